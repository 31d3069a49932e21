package vetting

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"critreg/access"
	"critreg/inventory"
)

// Impact is what an opinion, issued or drafted, hits: the operators, networks, critical
// parts and items it covers, each with the status it gives them.
type Impact struct {
	Opinion   *OpinionRef      `json:"opinion"`
	Draft     bool             `json:"draft"`
	AsOf      string           `json:"as_of"`
	Items     int              `json:"items"`
	Networks  int              `json:"networks"`
	Operators []OperatorImpact `json:"operators"`
}

// OperatorImpact is one operator hit by an opinion.
type OperatorImpact struct {
	OperatorID int64           `json:"operator_id"`
	Operator   string          `json:"operator"`
	Name       string          `json:"name"`
	Items      int             `json:"items"`
	Networks   []NetworkImpact `json:"networks"`
}

// NetworkImpact is one network hit by an opinion.
type NetworkImpact struct {
	NetworkID int64  `json:"network_id"`
	Name      string `json:"name"`
	Legacy    bool   `json:"legacy"`
	// BindsFrom is the day the opinion binds this network's items.
	BindsFrom string       `json:"binds_from"`
	Items     int          `json:"items"`
	Parts     []PartImpact `json:"critical_parts"`
}

// PartImpact is one critical part of a network hit by an opinion.
type PartImpact struct {
	Code   string `json:"code"`
	Items  int    `json:"items"`
	Status string `json:"status"`
}

// OpinionImpact is the impact of an issued opinion on the day given (empty: today).
func (v *Vetting) OpinionImpact(ctx context.Context, a access.Actor, id int64, day string) (Impact, error) {
	if err := needBureau(a); err != nil {
		return Impact{}, err
	}
	day, err := asOf(day)
	if err != nil {
		return Impact{}, err
	}
	o, err := opinionTx(ctx, v.db.Read, id)
	if err != nil {
		return Impact{}, err
	}
	o.statusOn(day)
	return v.impact(ctx, &o, day, false)
}

// DraftImpact is the impact a draft opinion would have if issued as it stands. Nothing is
// stored; a draft's reference may still be empty.
func (v *Vetting) DraftImpact(ctx context.Context, a access.Actor, in OpinionInput, day string) (Impact, error) {
	if err := needBureau(a); err != nil {
		return Impact{}, err
	}
	day, err := asOf(day)
	if err != nil {
		return Impact{}, err
	}
	if in.Reference == "" {
		in.Reference = "draft"
	}
	in, err = in.validate(ctx, v.db.Read, Day(v.now()))
	if err != nil {
		return Impact{}, err
	}
	o := in.opinion()
	return v.impact(ctx, &o, day, true)
}

// impact finds the items the opinion covers. SQL groups the candidate items (by supplier,
// through the per-role indexes) down to one row per network and part, or per network, part
// and product, and the opinion's own matching rules (model names, version ranges) run on
// those rows.
func (v *Vetting) impact(ctx context.Context, o *Opinion, day string, draft bool) (Impact, error) {
	out := Impact{Opinion: refOf(o), Draft: draft, AsOf: day, Operators: []OperatorImpact{}}
	// A supplier-wide opinion covers every item that names the supplier, so SQL counts
	// per network and part; the other subjects keep the columns their rules compare.
	query := `SELECT i.operator_id, i.network_id, i.critical_part, '', '', '', '', 0, 0, 0, count(*) FROM items i
		WHERE i.manufacturer_id = ?1 OR i.distributor_id = ?1 OR i.outsourcer_id = ?1 GROUP BY i.network_id, i.critical_part`
	if o.SubjectKind != SubjectSupplier {
		role, kind := "i.manufacturer_id", inventory.KindEquipment
		switch o.SubjectKind {
		case SubjectSoftware:
			kind = inventory.KindSoftware
		case SubjectOutsourcing:
			role, kind = "i.outsourcer_id", inventory.KindOutsourcing
		}
		query = `SELECT i.operator_id, i.network_id, i.critical_part, i.kind, i.name, i.model, i.version,
			coalesce(i.manufacturer_id, 0), coalesce(i.distributor_id, 0), coalesce(i.outsourcer_id, 0), count(*)
			FROM items i WHERE ` + role + ` = ?1 AND i.kind = '` + string(kind) + `'
			GROUP BY i.network_id, i.critical_part, i.name, i.model, i.version, i.manufacturer_id, i.distributor_id, i.outsourcer_id`
	}
	names, err := v.networkNames(ctx)
	if err != nil {
		return Impact{}, err
	}
	rows, err := v.db.Read.QueryContext(ctx, query, o.SupplierID)
	if err != nil {
		return Impact{}, fmt.Errorf("impact of opinion %s: %w", o.Reference, err)
	}
	defer rows.Close()
	ops := map[int64]*OperatorImpact{}
	nets := map[int64]*NetworkImpact{}
	netOp := map[int64]int64{}
	parts := map[[2]any]*PartImpact{}
	for rows.Next() {
		var it itemFacts
		var n int
		if err := rows.Scan(&it.OperatorID, &it.NetworkID, &it.CriticalPart, &it.Kind, &it.Name, &it.Model, &it.Version,
			&it.Manufacturer, &it.Distributor, &it.Outsourcer, &n); err != nil {
			return Impact{}, fmt.Errorf("impact of opinion %s: %w", o.Reference, err)
		}
		nn := names[it.NetworkID]
		it.Legacy = nn.legacy
		if o.SubjectKind != SubjectSupplier && !o.matches(it) {
			continue
		}
		code, opName, netName := nn.operator, nn.operatorName, nn.name
		st := decide([]*Opinion{o}, it, day)
		op := ops[it.OperatorID]
		if op == nil {
			op = &OperatorImpact{OperatorID: it.OperatorID, Operator: code, Name: opName}
			ops[it.OperatorID] = op
		}
		op.Items += n
		nw := nets[it.NetworkID]
		if nw == nil {
			nw = &NetworkImpact{NetworkID: it.NetworkID, Name: netName, Legacy: it.Legacy, BindsFrom: o.bindsFrom(it.Legacy)}
			nets[it.NetworkID] = nw
			netOp[it.NetworkID] = it.OperatorID
		}
		nw.Items += n
		k := [2]any{it.NetworkID, it.CriticalPart}
		p := parts[k]
		if p == nil {
			p = &PartImpact{Code: it.CriticalPart, Status: st.Status}
			parts[k] = p
		}
		p.Items += n
		out.Items += n
	}
	if err := rows.Err(); err != nil {
		return Impact{}, fmt.Errorf("impact of opinion %s: %w", o.Reference, err)
	}
	for k, p := range parts {
		nw := nets[k[0].(int64)]
		nw.Parts = append(nw.Parts, *p)
	}
	for id, nw := range nets {
		sort.Slice(nw.Parts, func(i, j int) bool { return nw.Parts[i].Code < nw.Parts[j].Code })
		op := ops[netOp[id]]
		op.Networks = append(op.Networks, *nw)
	}
	for _, op := range ops {
		slices.SortFunc(op.Networks, func(a, b NetworkImpact) int { return cmpInt64(a.NetworkID, b.NetworkID) })
		out.Operators = append(out.Operators, *op)
	}
	slices.SortFunc(out.Operators, func(a, b OperatorImpact) int { return cmpInt64(a.OperatorID, b.OperatorID) })
	out.Networks = len(nets)
	return out, nil
}

type networkName struct {
	name, operator, operatorName string
	legacy                       bool
}

// networkNames reads every network with its operator: a few hundred rows, joined in Go
// after SQL has aggregated the items.
func (v *Vetting) networkNames(ctx context.Context) (map[int64]networkName, error) {
	rows, err := v.db.Read.QueryContext(ctx, `SELECT n.id, n.name, n.legacy, o.code, o.name FROM networks n JOIN operators o ON o.id = n.operator_id`)
	if err != nil {
		return nil, fmt.Errorf("read networks: %w", err)
	}
	defer rows.Close()
	out := map[int64]networkName{}
	for rows.Next() {
		var id int64
		var n networkName
		if err := rows.Scan(&id, &n.name, &n.legacy, &n.operator, &n.operatorName); err != nil {
			return nil, fmt.Errorf("read networks: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
