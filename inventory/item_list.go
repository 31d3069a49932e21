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
	return s.AppendItems(ctx, a, f, p, nil)
}

// AppendItems is Items appending the page to dst, for callers that reuse one slice from
// request to request (the API's list of items, its busiest answer).
func (s *Store) AppendItems(ctx context.Context, a access.Actor, f ItemFilter, p Page, dst []Item) ([]Item, int64, error) {
	cond, args, err := itemsQuery(a, f, p)
	if err != nil {
		return dst, 0, err
	}
	start := len(dst)
	dst, whole, err := s.appendList(ctx, dst, `SELECT `+listRow+cond, args)
	if err == nil && !whole {
		// A text field held the separator the list's joined column uses: read the page
		// again a column at a time.
		dst, err = s.appendListColumns(ctx, dst[:start], `SELECT `+itemColumns+cond, args)
	}
	if err != nil {
		return dst[:start], 0, fmt.Errorf("list items: %w", err)
	}
	page, next := trimPage(dst[start:], p.limit(), func(it Item) int64 { return it.ID })
	return dst[:start+len(page)], next, nil
}

// itemsQuery returns the FROM, WHERE, ORDER BY and LIMIT of a page of items, with its
// arguments. The page asks for one row more than its limit, to learn whether another follows.
//
// Equality terms on integer columns compare with "+?": SQLite plans a "col = ?" term of an
// ORDER BY query for the value bound, and re-prepares the statement whenever that value
// changes to or from 0 or 1 (network 1, operator 1), which cost more than running the
// query. The unary plus keeps the term usable by an index while making the plan
// independent of the value. When a network is named, it decides the operator, so the
// operator scope is checked on the row ("+i.operator_id") and the planner walks the
// network's index, never the whole operator's.
func itemsQuery(a access.Actor, f ItemFilter, p Page) (string, []any, error) {
	where := []string{"i.id > ?"}
	args := []any{p.After}
	if !a.SeesAll() {
		if f.NetworkID != 0 {
			where = append(where, "+i.operator_id = ?")
		} else {
			where = append(where, "i.operator_id = +?")
		}
		args = append(args, a.OperatorID)
	}
	if f.Operator != "" {
		where = append(where, "o.code = ?")
		args = append(args, strings.ToUpper(f.Operator))
	}
	if f.NetworkID != 0 {
		where = append(where, "i.network_id = +?")
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
		where = append(where, "(i.manufacturer_id = +? OR i.distributor_id = +? OR i.outsourcer_id = +?)")
		args = append(args, f.SupplierID, f.SupplierID, f.SupplierID)
	}
	from, order := itemFrom, "i.id"
	if f.Q != "" {
		match := ftsQuery(f.Q)
		if match == "" {
			return "", nil, errkind.Invalid("q", "search needs at least one letter or digit")
		}
		// The search index drives the query in rowid order, so a page stops after its
		// rows instead of collecting every match of a common word first.
		from = ` FROM items_fts f JOIN items i ON i.id = f.rowid` + strings.TrimPrefix(itemFrom, " FROM items i")
		where[0] = "f.rowid > ?"
		where = append(where, "items_fts MATCH ?")
		args = append(args, match)
		order = "f.rowid"
	}
	args = append(args, p.limit()+1)
	return from + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args, nil
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
	if _, err := tx.ExecContext(ctx, `INSERT INTO items_fts (rowid, body) VALUES (?, ?)`, it.ID, searchBody(it)); err != nil {
		return fmt.Errorf("index item %d: %w", it.ID, err)
	}
	return nil
}

// searchBody is the text of an item the search index holds.
func searchBody(it Item) string {
	return strings.Join([]string{it.Name, it.Model, it.Version, it.Manufacturer, it.Distributor, it.OutsourcingProvider,
		it.Serial, it.Site, it.ManagementAddress, it.Notes, it.CriticalPart}, " ")
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
