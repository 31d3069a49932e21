package vetting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"critreg/access"
	"critreg/inventory"
)

// OpinionRef is the public face of the opinion behind a status: what every user may read.
type OpinionRef struct {
	ID            int64       `json:"id"`
	Reference     string      `json:"reference"`
	SubjectKind   SubjectKind `json:"subject_kind"`
	Verdict       Verdict     `json:"verdict"`
	Restriction   string      `json:"restriction,omitempty"`
	Parts         []string    `json:"critical_parts,omitempty"`
	IssuedOn      string      `json:"issued_on"`
	EffectiveOn   string      `json:"effective_on"`
	PublicSummary string      `json:"public_summary"`
}

func refOf(o *Opinion) *OpinionRef {
	return &OpinionRef{ID: o.ID, Reference: o.Reference, SubjectKind: o.SubjectKind, Verdict: o.Verdict,
		Restriction: o.Restriction, Parts: o.Parts, IssuedOn: o.IssuedOn, EffectiveOn: o.EffectiveOn, PublicSummary: o.PublicSummary}
}

// Point64Status is what the bureau's opinions make of one item: Status is Prohibited,
// RestrictedInScope, RestrictedOutOfScope, NoObjection or NotAssessed.
type Point64Status struct {
	Status string `json:"status"`
	// BindsFrom is the day the deciding opinion binds the item: its effective date, or
	// 2030-01-01 for a prohibition in a network covered by point 123.
	BindsFrom string `json:"binds_from,omitempty"`
	// InForce is set when BindsFrom is on or before the day asked about.
	InForce bool `json:"in_force"`
	// Opinion is the deciding opinion; nil when not assessed.
	Opinion *OpinionRef `json:"opinion,omitempty"`
	Reason  string      `json:"reason"`
}

// ItemRef describes an item, in the list or proposed, for a point-64 check. Suppliers are
// given by register id or by name (matched as the register matches names); a name the
// register does not know matches no opinion.
type ItemRef struct {
	Kind         inventory.Kind `json:"kind"`
	CriticalPart string         `json:"critical_part"`
	// Legacy marks a network covered by point 123.
	Legacy              bool   `json:"legacy"`
	Name                string `json:"name"`
	Model               string `json:"model"`
	Version             string `json:"version"`
	ManufacturerID      int64  `json:"manufacturer_id"`
	Manufacturer        string `json:"manufacturer"`
	DistributorID       int64  `json:"distributor_id"`
	Distributor         string `json:"distributor"`
	OutsourcerID        int64  `json:"outsourcing_provider_id"`
	OutsourcingProvider string `json:"outsourcing_provider"`
}

// Status returns the point-64 status of an item or a proposed item on the day asOf (the
// zero time: today), from the opinions current on that day. It reads only public parts
// of opinions, so any signed-in user may ask.
func (v *Vetting) Status(ctx context.Context, a access.Actor, ref ItemRef, asOf time.Time) (Point64Status, error) {
	day := Day(asOf)
	it := itemFacts{Kind: ref.Kind, CriticalPart: ref.CriticalPart, Legacy: ref.Legacy, Name: ref.Name, Model: ref.Model, Version: ref.Version}
	var err error
	if it.Manufacturer, err = v.supplierID(ctx, ref.ManufacturerID, ref.Manufacturer); err != nil {
		return Point64Status{}, err
	}
	if it.Distributor, err = v.supplierID(ctx, ref.DistributorID, ref.Distributor); err != nil {
		return Point64Status{}, err
	}
	if it.Outsourcer, err = v.supplierID(ctx, ref.OutsourcerID, ref.OutsourcingProvider); err != nil {
		return Point64Status{}, err
	}
	ops, err := v.opinionsFor(ctx, day, it.Manufacturer, it.Distributor, it.Outsourcer)
	if err != nil {
		return Point64Status{}, err
	}
	var matched []*Opinion
	for _, o := range ops {
		if o.current() && o.matches(it) {
			matched = append(matched, o)
		}
	}
	return decide(matched, it, day), nil
}

// ItemStatus returns the point-64 status of one item of the list, as Status does. The
// item is read with the caller's scope: another operator's item is not found.
func (v *Vetting) ItemStatus(ctx context.Context, a access.Actor, itemID int64, asOf time.Time) (Point64Status, error) {
	inv := inventory.NewStore(v.db)
	it, err := inv.Item(ctx, a, itemID)
	if err != nil {
		return Point64Status{}, err
	}
	n, err := inv.Network(ctx, a, it.NetworkID)
	if err != nil {
		return Point64Status{}, err
	}
	return v.Status(ctx, a, ItemRef{Kind: it.Kind, CriticalPart: it.CriticalPart, Legacy: n.Legacy, Name: it.Name, Model: it.Model,
		Version: it.Version, ManufacturerID: it.ManufacturerID, DistributorID: it.DistributorID, OutsourcerID: it.OutsourcerID}, asOf)
}

// supplierID resolves a supplier given by id or name; 0 when neither names a known one.
func (v *Vetting) supplierID(ctx context.Context, id int64, name string) (int64, error) {
	if id != 0 || strings.TrimSpace(name) == "" {
		return id, nil
	}
	err := v.db.Read.QueryRowContext(ctx, `SELECT id FROM suppliers WHERE name_key = ?`, inventory.SupplierKey(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find supplier %q: %w", name, err)
	}
	return id, nil
}
