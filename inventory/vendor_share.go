package inventory

import (
	"context"
	"fmt"

	"critreg/access"
)

// VendorCount is how many items of a critical part one manufacturer accounts for.
type VendorCount struct {
	Manufacturer string `json:"manufacturer"`
	Items        int    `json:"items"`
}

// FunctionShare is the split of one critical function's items among manufacturers.
type FunctionShare struct {
	CriticalPart string        `json:"critical_part"`
	Items        int           `json:"items"`
	Vendors      []VendorCount `json:"vendors"`
}

// VendorShare counts, for each annex-6 function, the items of every manufacturer across
// the operators the actor sees: the bureau's national view of dependence on vendors.
func (s *Store) VendorShare(ctx context.Context, a access.Actor) ([]FunctionShare, error) {
	// Count in the order of the items_summary index first (it holds every column read, so
	// no item row is touched and no sort of every item is needed), then fold the few
	// thousand groups per function and manufacturer.
	where := ""
	var args []any
	if !a.SeesAll() {
		where = ` WHERE operator_id = ?`
		args = append(args, a.OperatorID)
	}
	q := `SELECT g.critical_part, coalesce(m.name, ''), sum(g.items) FROM
		(SELECT critical_part, manufacturer_id, count(*) AS items FROM items` + where + `
			GROUP BY operator_id, network_id, critical_part, kind, manufacturer_id) g
		LEFT JOIN suppliers m ON m.id = g.manufacturer_id
		GROUP BY g.critical_part, g.manufacturer_id ORDER BY g.critical_part, sum(g.items) DESC`
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("vendor share: %w", err)
	}
	defer rows.Close()
	byPart := map[string]*FunctionShare{}
	for rows.Next() {
		var part string
		var v VendorCount
		if err := rows.Scan(&part, &v.Manufacturer, &v.Items); err != nil {
			return nil, fmt.Errorf("vendor share: %w", err)
		}
		f := byPart[part]
		if f == nil {
			f = &FunctionShare{CriticalPart: part}
			byPart[part] = f
		}
		f.Items += v.Items
		f.Vendors = append(f.Vendors, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("vendor share: %w", err)
	}
	var out []FunctionShare
	for _, p := range annex6 {
		if f, ok := byPart[p.Code]; ok {
			out = append(out, *f)
			delete(byPart, p.Code)
		}
	}
	for _, f := range byPart {
		out = append(out, *f)
	}
	return out, nil
}
