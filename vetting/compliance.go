package vetting

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
)

// The data gaps compliance reports beside the statuses.
const (
	GapNoSupplier        = "no_supplier"
	GapNoCountry         = "no_country"
	GapNoBeneficialOwner = "no_beneficial_owner"
)

// ComplianceQuery asks for one operator's compliance.
type ComplianceQuery struct {
	// Operator is the operator's code; empty: the caller's own operator.
	Operator string
	// AsOf is the day (YYYY-MM-DD); empty: today.
	AsOf string
	// Status selects the items listed: a point-64 status or a gap; empty: every item an
	// opinion covers.
	Status string
	Page   inventory.Page
}

// Counts sums an operator's list by status and gap.
type Counts struct {
	Items int `json:"items"`
	// Prohibited counts items an opinion prohibits, whether it binds already or later;
	// ProhibitedInForce those it binds on the day asked.
	Prohibited           int `json:"prohibited"`
	ProhibitedInForce    int `json:"prohibited_in_force"`
	RestrictedInScope    int `json:"restricted_in_scope"`
	RestrictedOutOfScope int `json:"restricted_out_of_scope"`
	NoObjection          int `json:"no_objection"`
	NotAssessed          int `json:"not_assessed"`
	NoSupplier           int `json:"no_supplier"`
	NoCountry            int `json:"no_country"`
	// NoBeneficialOwner counts items whose supplier has no owner recorded in the graph.
	NoBeneficialOwner int `json:"no_beneficial_owner"`
}

// ComplianceItem is one item with its status.
type ComplianceItem struct {
	ItemID       int64          `json:"item_id"`
	NetworkID    int64          `json:"network_id"`
	Network      string         `json:"network"`
	Legacy       bool           `json:"legacy"`
	CriticalPart string         `json:"critical_part"`
	Kind         inventory.Kind `json:"kind"`
	Name         string         `json:"name"`
	Model        string         `json:"model"`
	Version      string         `json:"version"`
	Manufacturer string         `json:"manufacturer"`
	Status       Point64Status  `json:"point64"`
	Gaps         []string       `json:"gaps"`
}

// Compliance is one operator's list measured against the opinions current on AsOf.
type Compliance struct {
	OperatorID int64            `json:"operator_id"`
	Operator   string           `json:"operator"`
	AsOf       string           `json:"as_of"`
	Counts     Counts           `json:"counts"`
	Items      []ComplianceItem `json:"items"`
	NextCursor int64            `json:"-"`
}

var complianceStatuses = []string{Prohibited, RestrictedInScope, RestrictedOutOfScope, NoObjection, NotAssessed,
	GapNoSupplier, GapNoCountry, GapNoBeneficialOwner}

// Compliance measures an operator's whole list against the opinions current on the day.
// It is computed from the rows as they are, so an opinion issued or revoked a moment ago
// counts. Operators' users see their own operator only; the bureau sees any.
func (v *Vetting) Compliance(ctx context.Context, a access.Actor, q ComplianceQuery) (Compliance, error) {
	day, err := asOf(q.AsOf)
	if err != nil {
		return Compliance{}, err
	}
	if q.Status != "" && !slices.Contains(complianceStatuses, q.Status) {
		return Compliance{}, errkind.Invalid("status", "must be one of %s", strings.Join(complianceStatuses, ", "))
	}
	inv := inventory.NewStore(v.db)
	var op inventory.Operator
	switch {
	case q.Operator != "":
		op, err = inv.Operator(ctx, a, q.Operator)
	case a.Role.OperatorScoped():
		op, err = inv.OperatorByID(ctx, a, a.OperatorID)
	default:
		return Compliance{}, errkind.Invalid("operator", "is required")
	}
	if err != nil {
		return Compliance{}, err
	}
	out := Compliance{OperatorID: op.ID, Operator: op.Code, AsOf: day, Items: []ComplianceItem{}}
	nets, err := v.networks(ctx, op.ID)
	if err != nil {
		return Compliance{}, err
	}
	statuses, err := v.operatorStatuses(ctx, op.ID, nets, day)
	if err != nil {
		return Compliance{}, err
	}
	if out.Counts, err = v.counts(ctx, op.ID); err != nil {
		return Compliance{}, err
	}
	for _, st := range statuses {
		switch st.Status {
		case Prohibited:
			out.Counts.Prohibited++
			if st.InForce {
				out.Counts.ProhibitedInForce++
			}
		case RestrictedInScope:
			out.Counts.RestrictedInScope++
		case RestrictedOutOfScope:
			out.Counts.RestrictedOutOfScope++
		case NoObjection:
			out.Counts.NoObjection++
		}
	}
	out.Counts.NotAssessed = out.Counts.Items - len(statuses)
	ids, next, err := v.listed(ctx, op.ID, statuses, q)
	if err != nil {
		return Compliance{}, err
	}
	out.NextCursor = next
	if out.Items, err = v.complianceItems(ctx, ids, nets, statuses); err != nil {
		return Compliance{}, err
	}
	return out, nil
}

type netInfo struct {
	name   string
	legacy bool
}

func (v *Vetting) networks(ctx context.Context, operatorID int64) (map[int64]netInfo, error) {
	rows, err := v.db.Read.QueryContext(ctx, `SELECT id, name, legacy FROM networks WHERE operator_id = ?`, operatorID)
	if err != nil {
		return nil, fmt.Errorf("read networks of operator %d: %w", operatorID, err)
	}
	defer rows.Close()
	out := map[int64]netInfo{}
	for rows.Next() {
		var id int64
		var n netInfo
		if err := rows.Scan(&id, &n.name, &n.legacy); err != nil {
			return nil, fmt.Errorf("read networks of operator %d: %w", operatorID, err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// itemFactColumns are the item columns matching reads, in itemFacts order.
const itemFactColumns = `i.id, i.operator_id, i.network_id, i.critical_part, i.kind, i.name, i.model, i.version,
	coalesce(i.manufacturer_id, 0), coalesce(i.distributor_id, 0), coalesce(i.outsourcer_id, 0)`

func scanItemFacts(r interface{ Scan(...any) error }) (itemFacts, error) {
	var it itemFacts
	err := r.Scan(&it.ID, &it.OperatorID, &it.NetworkID, &it.CriticalPart, &it.Kind, &it.Name, &it.Model, &it.Version,
		&it.Manufacturer, &it.Distributor, &it.Outsourcer)
	return it, err
}

// operatorStatuses decides every item of the operator that some opinion names a supplier
// of. The query reads only the items that can match, never the whole list.
func (v *Vetting) operatorStatuses(ctx context.Context, operatorID int64, nets map[int64]netInfo, day string) (map[int64]Point64Status, error) {
	ops, err := v.allOpinions(ctx, day)
	if err != nil {
		return nil, err
	}
	bySupplier := map[int64][]*Opinion{}
	for _, o := range ops {
		if o.current() {
			bySupplier[o.SupplierID] = append(bySupplier[o.SupplierID], o)
		}
	}
	out := map[int64]Point64Status{}
	if len(bySupplier) == 0 {
		return out, nil
	}
	// Each arm seeks the operator's items by one supplier column through an index that
	// starts with operator_id. An item reached through two roles comes twice and is
	// decided once: dropping it here is cheaper than sorting for UNION.
	const named = `(SELECT supplier_id FROM vet_opinions)`
	rows, err := v.db.Read.QueryContext(ctx, `SELECT `+itemFactColumns+` FROM items i WHERE i.operator_id = ?1 AND i.manufacturer_id IN `+named+`
		UNION ALL SELECT `+itemFactColumns+` FROM items i WHERE i.operator_id = ?1 AND i.distributor_id IN `+named+`
		UNION ALL SELECT `+itemFactColumns+` FROM items i WHERE i.operator_id = ?1 AND i.outsourcer_id IN `+named, operatorID)
	if err != nil {
		return nil, fmt.Errorf("match items of operator %d: %w", operatorID, err)
	}
	defer rows.Close()
	var matched []*Opinion
	for rows.Next() {
		it, err := scanItemFacts(rows)
		if err != nil {
			return nil, fmt.Errorf("match items of operator %d: %w", operatorID, err)
		}
		if _, done := out[it.ID]; done {
			continue
		}
		it.Legacy = nets[it.NetworkID].legacy
		matched = matchAll(matched[:0], bySupplier, it)
		if len(matched) > 0 {
			out[it.ID] = decide(matched, it, day)
		}
	}
	return out, rows.Err()
}

// matchAll appends the opinions on any of the item's suppliers that cover it.
func matchAll(dst []*Opinion, bySupplier map[int64][]*Opinion, it itemFacts) []*Opinion {
	for i, s := range []int64{it.Manufacturer, it.Distributor, it.Outsourcer} {
		if s == 0 || (i >= 1 && s == it.Manufacturer) || (i == 2 && s == it.Distributor) {
			continue
		}
		for _, o := range bySupplier[s] {
			if o.matches(it) {
				dst = append(dst, o)
			}
		}
	}
	return dst
}

// ownedSuppliers is the SQL set of suppliers the graph names an owner of.
const ownedSuppliers = `(SELECT p.supplier_id FROM vet_parties p WHERE p.supplier_id IS NOT NULL
	AND EXISTS (SELECT 1 FROM vet_ownership o WHERE o.subject_id = p.id))`

// The gap predicates, on items aliased i.
const (
	primarySupplier = `coalesce(i.manufacturer_id, i.outsourcer_id, i.distributor_id)`
	noSupplierSQL   = `(i.manufacturer_id IS NULL AND i.distributor_id IS NULL AND i.outsourcer_id IS NULL)`
	noCountrySQL    = `(i.manufacturer_country = '' AND i.origin_country = '')`
	noOwnerSQL      = `(` + primarySupplier + ` IS NOT NULL AND ` + primarySupplier + ` NOT IN ` + ownedSuppliers + `)`
)

// counts sums the operator's items and gaps. SQL aggregates per supplier over the covering
// index; whether a supplier has an owner on record is then one look-up per supplier
// rather than one per item.
func (v *Vetting) counts(ctx context.Context, operatorID int64) (Counts, error) {
	var c Counts
	owned := map[int64]bool{}
	rows, err := v.db.Read.QueryContext(ctx, `SELECT supplier_id FROM `+ownedSuppliers+` AS owned`)
	if err != nil {
		return c, fmt.Errorf("suppliers with owners: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return c, fmt.Errorf("suppliers with owners: %w", err)
		}
		owned[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("suppliers with owners: %w", err)
	}
	// Grouping by the index's own column order streams the groups without a sort.
	rows, err = v.db.Read.QueryContext(ctx, `SELECT coalesce(`+primarySupplier+`, 0), count(*), sum(`+noCountrySQL+`)
		FROM items i WHERE i.operator_id = ? GROUP BY i.manufacturer_id, i.distributor_id, i.outsourcer_id`, operatorID)
	if err != nil {
		return c, fmt.Errorf("count items of operator %d: %w", operatorID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s int64
		var n, noCountry int
		if err := rows.Scan(&s, &n, &noCountry); err != nil {
			return c, fmt.Errorf("count items of operator %d: %w", operatorID, err)
		}
		c.Items += n
		c.NoCountry += noCountry
		switch {
		case s == 0:
			c.NoSupplier += n
		case !owned[s]:
			c.NoBeneficialOwner += n
		}
	}
	return c, rows.Err()
}

// listed returns one page of the ids of the items q.Status selects.
func (v *Vetting) listed(ctx context.Context, operatorID int64, statuses map[int64]Point64Status, q ComplianceQuery) ([]int64, int64, error) {
	limit := pageLimit(q.Page)
	switch q.Status {
	case "", Prohibited, RestrictedInScope, RestrictedOutOfScope, NoObjection:
		var ids []int64
		for id, st := range statuses {
			if id > q.Page.After && (q.Status == "" || st.Status == q.Status) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		ids, next := trimPage(ids, limit, func(id int64) int64 { return id })
		return ids, next, nil
	}
	pred := map[string]string{NotAssessed: "1", GapNoSupplier: noSupplierSQL, GapNoCountry: noCountrySQL, GapNoBeneficialOwner: noOwnerSQL}[q.Status]
	var ids []int64
	after := q.Page.After
	for len(ids) <= limit {
		rows, err := v.db.Read.QueryContext(ctx, `SELECT i.id FROM items i WHERE i.operator_id = ? AND i.id > ? AND `+pred+` ORDER BY i.id LIMIT ?`,
			operatorID, after, 4*limit)
		if err != nil {
			return nil, 0, fmt.Errorf("list items of operator %d: %w", operatorID, err)
		}
		n := 0
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("list items of operator %d: %w", operatorID, err)
			}
			n++
			after = id
			if _, ok := statuses[id]; ok && q.Status == NotAssessed {
				continue
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, fmt.Errorf("list items of operator %d: %w", operatorID, err)
		}
		if n < 4*limit {
			break
		}
	}
	ids, next := trimPage(ids, limit, func(id int64) int64 { return id })
	return ids, next, nil
}

// complianceItems reads the items of one page with their gaps.
func (v *Vetting) complianceItems(ctx context.Context, ids []int64, nets map[int64]netInfo, statuses map[int64]Point64Status) ([]ComplianceItem, error) {
	out := []ComplianceItem{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := v.db.Read.QueryContext(ctx, `SELECT i.id, i.network_id, i.critical_part, i.kind, i.name, i.model, i.version, coalesce(s.name, ''),
		`+noSupplierSQL+`, `+noCountrySQL+`, `+noOwnerSQL+`
		FROM items i LEFT JOIN suppliers s ON s.id = i.manufacturer_id
		WHERE i.id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY i.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read compliance items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it ComplianceItem
		var noSup, noCtry, noOwner bool
		if err := rows.Scan(&it.ItemID, &it.NetworkID, &it.CriticalPart, &it.Kind, &it.Name, &it.Model, &it.Version, &it.Manufacturer,
			&noSup, &noCtry, &noOwner); err != nil {
			return nil, fmt.Errorf("read compliance items: %w", err)
		}
		it.Network, it.Legacy = nets[it.NetworkID].name, nets[it.NetworkID].legacy
		st, ok := statuses[it.ItemID]
		if !ok {
			st = Point64Status{Status: NotAssessed, Reason: "no opinion of the bureau covers it"}
		}
		it.Status = st
		it.Gaps = []string{}
		for _, g := range []struct {
			on   bool
			name string
		}{{noSup, GapNoSupplier}, {noCtry, GapNoCountry}, {noOwner, GapNoBeneficialOwner}} {
			if g.on {
				it.Gaps = append(it.Gaps, g.name)
			}
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
