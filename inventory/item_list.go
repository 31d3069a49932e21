package inventory

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	"critreg/access"
	"critreg/errkind"
)

// ItemFilter selects items. Zero fields select everything.
type ItemFilter struct {
	Operator     string // operator code
	NetworkID    int64
	CriticalPart string
	Kind         Kind
	// SupplierID selects items naming the supplier in any role.
	SupplierID int64
	// Q is a text search over names, models, versions, suppliers, serials, sites and notes:
	// every word must occur, as a word or the start of one.
	Q string
}

// Items lists the items the actor may see, in id order, one page at a time. Pages are
// keyset pages (id > after), so a deep page costs what the first one does.
func (s *Store) Items(ctx context.Context, a access.Actor, f ItemFilter, p Page) ([]Item, int64, error) {
	where := []string{"i.id > ?"}
	args := []any{p.After}
	if !a.SeesAll() {
		where = append(where, "i.operator_id = ?")
		args = append(args, a.OperatorID)
	}
	if f.Operator != "" {
		where = append(where, "o.code = ?")
		args = append(args, strings.ToUpper(f.Operator))
	}
	if f.NetworkID != 0 {
		where = append(where, "i.network_id = ?")
		args = append(args, f.NetworkID)
	}
	if f.CriticalPart != "" {
		code := f.CriticalPart
		if p, ok := ParseAnnex6(code); ok {
			code = p.Code
		}
		where = append(where, "i.critical_part = ?")
		args = append(args, code)
	}
	if f.Kind != "" {
		where = append(where, "i.kind = ?")
		args = append(args, f.Kind)
	}
	if f.SupplierID != 0 {
		where = append(where, "(i.manufacturer_id = ? OR i.distributor_id = ? OR i.outsourcer_id = ?)")
		args = append(args, f.SupplierID, f.SupplierID, f.SupplierID)
	}
	from, order := itemFrom, "i.id"
	if f.Q != "" {
		match := ftsQuery(f.Q)
		if match == "" {
			return nil, 0, errkind.Invalid("q", "search needs at least one letter or digit")
		}
		// The search index drives the query in rowid order, so a page stops after its
		// rows instead of collecting every match of a common word first.
		from = ` FROM items_fts f JOIN items i ON i.id = f.rowid` + strings.TrimPrefix(itemFrom, " FROM items i")
		where[0] = "f.rowid > ?"
		where = append(where, "items_fts MATCH ?")
		args = append(args, match)
		order = "f.rowid"
	}
	limit := p.limit()
	q := `SELECT ` + itemColumns + from + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	out := make([]Item, 0, min(limit+1, 128))
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list items: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list items: %w", err)
	}
	out, next := trimPage(out, limit, func(it Item) int64 { return it.ID })
	return out, next, nil
}

// ftsQuery turns what a person typed into an FTS5 query. Each word typed is one quoted
// phrase of its letter-and-digit runs with a prefix match on the last ("Model-1" finds
// "Model-1" and "Model-12", not "node 1"), and every word is required. Quoting makes FTS5's
// own syntax (AND, NEAR, *, ^, column filters) plain text.
func ftsQuery(q string) string {
	var terms []string
	for _, word := range strings.Fields(q) {
		runs := strings.FieldsFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(runs) == 0 {
			continue
		}
		terms = append(terms, `"`+strings.Join(runs, " ")+`"*`)
		if len(terms) == 16 {
			break
		}
	}
	return strings.Join(terms, " ")
}

// indexItem (re)writes an item's row in the search index.
func indexItem(ctx context.Context, tx *sql.Tx, it Item, replace bool) error {
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM items_fts WHERE rowid = ?`, it.ID); err != nil {
			return fmt.Errorf("index item %d: %w", it.ID, err)
		}
	}
	body := strings.Join([]string{it.Name, it.Model, it.Version, it.Manufacturer, it.Distributor, it.OutsourcingProvider,
		it.Serial, it.Site, it.ManagementAddress, it.Notes, it.CriticalPart}, " ")
	if _, err := tx.ExecContext(ctx, `INSERT INTO items_fts (rowid, body) VALUES (?, ?)`, it.ID, body); err != nil {
		return fmt.Errorf("index item %d: %w", it.ID, err)
	}
	return nil
}

// reindexSupplierItems refreshes the search index of every item naming a renamed supplier.
func (s *Store) reindexSupplierItems(ctx context.Context, tx *sql.Tx, supplierID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.manufacturer_id = ?1 OR i.distributor_id = ?1 OR i.outsourcer_id = ?1`, supplierID)
	if err != nil {
		return fmt.Errorf("reindex items of supplier %d: %w", supplierID, err)
	}
	var items []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("reindex items of supplier %d: %w", supplierID, err)
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reindex items of supplier %d: %w", supplierID, err)
	}
	for _, it := range items {
		if err := indexItem(ctx, tx, it, true); err != nil {
			return err
		}
	}
	return nil
}
