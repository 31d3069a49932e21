package inventory

import (
	"context"
	"database/sql"
	"fmt"

	"critreg/access"
	"critreg/errkind"
)

// OperatorItemsTx returns every item of one operator in id order, read within tx so that
// the list is one consistent snapshot (a submission of the annex-7 list freezes it).
func (s *Store) OperatorItemsTx(ctx context.Context, tx *sql.Tx, a access.Actor, operatorID int64) ([]Item, error) {
	if !a.Sees(operatorID) {
		return nil, errkind.NotFound("operator", operatorID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.operator_id = ? ORDER BY i.id`, operatorID)
	if err != nil {
		return nil, fmt.Errorf("read items of operator %d: %w", operatorID, err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("read items of operator %d: %w", operatorID, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// OperatorNetworksTx returns every network of one operator in id order, read within tx.
func (s *Store) OperatorNetworksTx(ctx context.Context, tx *sql.Tx, a access.Actor, operatorID int64) ([]Network, error) {
	if !a.Sees(operatorID) {
		return nil, errkind.NotFound("operator", operatorID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+networkColumns+networkFrom+` WHERE n.operator_id = ? ORDER BY n.id`, operatorID)
	if err != nil {
		return nil, fmt.Errorf("read networks of operator %d: %w", operatorID, err)
	}
	defer rows.Close()
	var out []Network
	for rows.Next() {
		n, err := scanNetwork(rows)
		if err != nil {
			return nil, fmt.Errorf("read networks of operator %d: %w", operatorID, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
