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
	q := `SELECT i.critical_part, coalesce(m.name, ''), count(*) FROM items i LEFT JOIN suppliers m ON m.id = i.manufacturer_id`
	var args []any
	if !a.SeesAll() {
		q += ` WHERE i.operator_id = ?`
		args = append(args, a.OperatorID)
	}
	q += ` GROUP BY i.critical_part, i.manufacturer_id ORDER BY i.critical_part, count(*) DESC`
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
