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
	// Group the items first and join the few groups to their names after: joining every
	// item to its network and operator would cost two lookups per item.
	where := ""
	var args []any
	if !a.SeesAll() {
		where = ` WHERE operator_id = ?`
		args = append(args, a.OperatorID)
	}
	q := `SELECT g.operator_id, o.code, g.network_id, n.name, g.critical_part, g.items, g.no_manufacturer, g.no_origin, g.no_manufacturer_country
		FROM (SELECT operator_id, network_id, critical_part, count(*) AS items,
			sum(manufacturer_id IS NULL AND kind <> 'outsourcing') AS no_manufacturer,
			sum(origin_country = '') AS no_origin,
			sum(manufacturer_id IS NOT NULL AND manufacturer_country = '') AS no_manufacturer_country
			FROM items` + where + ` GROUP BY operator_id, network_id, critical_part) g
		JOIN networks n ON n.id = g.network_id JOIN operators o ON o.id = g.operator_id`
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
