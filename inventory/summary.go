package inventory

import (
	"context"
	"fmt"

	"critreg/access"
)

// PartSummary counts the items of one critical part of one network, with the gaps in their
// data that vetting and compliance cannot work around.
type PartSummary struct {
	OperatorID   int64  `json:"operator_id"`
	Operator     string `json:"operator"`
	NetworkID    int64  `json:"network_id"`
	Network      string `json:"network"`
	CriticalPart string `json:"critical_part"`
	Items        int    `json:"items"`
	// NoManufacturer counts equipment and software without a manufacturer or developer.
	NoManufacturer int `json:"no_manufacturer"`
	// NoOrigin counts items without a country of production or development (65.1.6).
	NoOrigin int `json:"no_origin"`
	// NoManufacturerCountry counts items naming a manufacturer without its country.
	NoManufacturerCountry int `json:"no_manufacturer_country"`
}

// Summary counts the items the actor may see per network and critical part, in operator,
// network and part order. It reads every item once, through one grouped query.
func (s *Store) Summary(ctx context.Context, a access.Actor) ([]PartSummary, error) {
	q := `SELECT i.operator_id, o.code, i.network_id, n.name, i.critical_part, count(*),
		sum(i.manufacturer_id IS NULL AND i.kind <> 'outsourcing'),
		sum(i.origin_country = ''),
		sum(i.manufacturer_id IS NOT NULL AND i.manufacturer_country = '')
		FROM items i JOIN networks n ON n.id = i.network_id JOIN operators o ON o.id = i.operator_id`
	var args []any
	if !a.SeesAll() {
		q += ` WHERE i.operator_id = ?`
		args = append(args, a.OperatorID)
	}
	q += ` GROUP BY i.network_id, i.critical_part ORDER BY o.code, n.name, i.network_id`
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("summarise items: %w", err)
	}
	defer rows.Close()
	var out []PartSummary
	for rows.Next() {
		var p PartSummary
		if err := rows.Scan(&p.OperatorID, &p.Operator, &p.NetworkID, &p.Network, &p.CriticalPart, &p.Items,
			&p.NoManufacturer, &p.NoOrigin, &p.NoManufacturerCountry); err != nil {
			return nil, fmt.Errorf("summarise items: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summarise items: %w", err)
	}
	SortParts(out)
	return out, nil
}
