package vetting

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// AnalystEntry is the analyst's own finding on a criterion that data cannot decide:
// ability to deliver (65.2.3), cybersecurity practice (65.2.4), information from partner
// services (65.3). Entries are restricted: only the bureau and admins read them, and every
// read is audited. They are added, never edited.
type AnalystEntry struct {
	ID         int64  `json:"id"`
	SupplierID int64  `json:"supplier_id"`
	Criterion  string `json:"criterion"`
	// Finding is met, not_met or unknown.
	Finding   string    `json:"finding"`
	Text      string    `json:"text"`
	Source    string    `json:"source"`
	HoldsFrom string    `json:"holds_from"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// AnalystEntryInput is a new entry.
type AnalystEntryInput struct {
	Criterion string `json:"criterion"`
	Finding   string `json:"finding"`
	Text      string `json:"text"`
	Source    string `json:"source"`
	HoldsFrom string `json:"holds_from"`
}

var analystCriteria = []string{"65.2.3", "65.2.4", "65.3"}

// AnalystEntries lists a supplier's entries, oldest first, and records the read.
func (v *Vetting) AnalystEntries(ctx context.Context, a access.Actor, supplierID int64) ([]AnalystEntry, error) {
	if err := needBureau(a); err != nil {
		return nil, err
	}
	if _, err := inventory.NewStore(v.db).Supplier(ctx, a, supplierID); err != nil {
		return nil, err
	}
	rows, err := v.db.Read.QueryContext(ctx, `SELECT id, supplier_id, criterion, finding, text, source, holds_from, created_at, created_by
		FROM vet_analyst_entries WHERE supplier_id = ? ORDER BY id`, supplierID)
	if err != nil {
		return nil, fmt.Errorf("read analyst entries of supplier %d: %w", supplierID, err)
	}
	defer rows.Close()
	out := []AnalystEntry{}
	for rows.Next() {
		var e AnalystEntry
		var created string
		if err := rows.Scan(&e.ID, &e.SupplierID, &e.Criterion, &e.Finding, &e.Text, &e.Source, &e.HoldsFrom, &created, &e.CreatedBy); err != nil {
			return nil, fmt.Errorf("read analyst entries of supplier %d: %w", supplierID, err)
		}
		e.CreatedAt, _ = time.Parse(timeFormat, created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read analyst entries of supplier %d: %w", supplierID, err)
	}
	err = v.db.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Append(ctx, tx, a, audit.Entry{Action: "analyst_entries.read", ObjectType: "supplier", ObjectID: fmt.Sprint(supplierID),
			After: map[string]any{"entries": len(out)}})
	})
	return out, err
}

// AddAnalystEntry records an analyst's entry on a supplier.
func (v *Vetting) AddAnalystEntry(ctx context.Context, a access.Actor, supplierID int64, in AnalystEntryInput) (AnalystEntry, error) {
	if !a.Writes(access.RoleBureau) {
		return AnalystEntry{}, errkind.Forbidden("only the security bureau records analyst entries")
	}
	if _, err := inventory.NewStore(v.db).Supplier(ctx, a, supplierID); err != nil {
		return AnalystEntry{}, err
	}
	ve := &errkind.ValidationError{}
	if !slices.Contains(analystCriteria, in.Criterion) {
		ve.Add("criterion", "must be 65.2.3, 65.2.4 or 65.3")
	}
	if in.Finding != "met" && in.Finding != "not_met" && in.Finding != "unknown" {
		ve.Add("finding", "must be met, not_met or unknown")
	}
	in.Text = ve.Text("text", in.Text, maxText, true)
	in.Source = ve.Text("source", in.Source, maxText, false)
	in.HoldsFrom = date(ve, "holds_from", in.HoldsFrom, false)
	if in.HoldsFrom == "" {
		in.HoldsFrom = Day(v.now())
	}
	if err := ve.Err(); err != nil {
		return AnalystEntry{}, err
	}
	e := AnalystEntry{SupplierID: supplierID, Criterion: in.Criterion, Finding: in.Finding, Text: in.Text, Source: in.Source,
		HoldsFrom: in.HoldsFrom, CreatedAt: v.now().UTC(), CreatedBy: a.Login}
	err := v.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO vet_analyst_entries (supplier_id, criterion, finding, text, source, holds_from, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, supplierID, e.Criterion, e.Finding, e.Text, e.Source, e.HoldsFrom, e.CreatedAt.Format(timeFormat), e.CreatedBy)
		if err != nil {
			return fmt.Errorf("insert analyst entry: %w", err)
		}
		e.ID, _ = res.LastInsertId()
		return audit.Append(ctx, tx, a, audit.Entry{Action: "analyst_entry.create", ObjectType: "analyst_entry", ObjectID: fmt.Sprint(e.ID), After: e})
	})
	return e, err
}
