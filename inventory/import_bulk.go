package inventory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// bulkRows is how many items one INSERT of an import writes (23 values an item, well under
// SQLite's limit on the values of one statement), and how many parsed rows go to the
// writer at a time. Larger statements cost less a row, but hold more memory at once.
const bulkRows = 250

// itemInsertColumns are the columns an import writes of a new item, its id included: the
// id is given rather than left to SQLite so that the search row and the audit record need
// not read the item back.
const itemInsertColumns = `id, operator_id, network_id, critical_part, kind, name, model, version,
	manufacturer_id, manufacturer_country, distributor_id, outsourcer_id, origin_country, serial, quantity, site,
	management_address, in_service_since, notes, source, source_ref, created_at, updated_at`

const itemInsertValues = 23

// searchRows is how many search rows one INSERT writes. The search index flushes what it
// holds in memory at the end of every statement, as a segment of its own that it later
// merges: fewer, larger statements make fewer segments.
const searchRows = 2000

// bulkWriter writes an import's changes within one transaction, with the same rows, search
// rows and audit records as CreateItemTx, UpdateItemTx and DeleteItemTx one change at a
// time, at a fraction of the cost: every statement is prepared once, the networks come
// from the register the import read, suppliers are looked up once and kept, new items are
// not read back, and items, search rows and audit records are inserted a batch at a time.
type bulkWriter struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
	q   *txStatements
	a   access.Actor
	reg *register
	now string
	// nowArg is now as a statement argument, boxed once rather than twice a row.
	nowArg any
	// nextID is the id the next new item gets: what AUTOINCREMENT would give it.
	nextID int64
	// suppliers are the register's suppliers this import named, by SupplierKey, as stored.
	suppliers map[string]Supplier
	log       *audit.Batch
	scratch   []byte
	// keys are the register keys of the supplier names met so far, as SupplierKey is costly.
	keys map[string]string

	items   []any
	nItems  int
	search  []any
	nSearch int
}

func (s *Store) newBulkWriter(ctx context.Context, tx *sql.Tx, a access.Actor, reg *register) (*bulkWriter, error) {
	now := s.stamp()
	w := &bulkWriter{s: s, ctx: ctx, tx: tx, q: newTxStatements(tx), a: a, reg: reg, now: now, nowArg: now, suppliers: map[string]Supplier{}, keys: map[string]string{},
		items: make([]any, 0, bulkRows*itemInsertValues), search: make([]any, 0, 2*searchRows)}
	// AUTOINCREMENT gives one more than the largest id the table ever held.
	if err := tx.QueryRowContext(ctx, `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'items'), 0),
		coalesce((SELECT max(id) FROM items), 0)) + 1`).Scan(&w.nextID); err != nil {
		return nil, fmt.Errorf("import: next item id: %w", err)
	}
	log, err := audit.NewBatch(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	w.log = log
	return w, nil
}

// close releases the prepared statements.
func (w *bulkWriter) close() {
	w.log.Close()
	w.q.close()
}

// rowFailure is a change a row leads to that the item rules refuse.
type rowFailure struct {
	fr  *fileRow
	err error
}

func (e *rowFailure) Error() string {
	return fmt.Sprintf("import %s row %d: %v", e.fr.sh.sheet, e.fr.row, e.err)
}

func (e *rowFailure) Unwrap() error { return e.err }

// network is the register's network id, which an import may change the items of: the
// import checked at its start that the actor keeps the operator's list.
func (w *bulkWriter) network(id int64) (Network, error) {
	if id == 0 {
		return Network{}, errkind.Invalid("network_id", "is required")
	}
	n, ok := w.reg.netByID[id]
	if !ok {
		return Network{}, errkind.Invalid("network_id", "no network %d", id)
	}
	return n, nil
}

// prepare validates an item's input for network id and matches its suppliers to the
// register, as CreateItemTx and UpdateItemTx do. The item returned holds the fields the
// input sets; the caller fills in the rest.
func (w *bulkWriter) prepare(in ItemInput) (ItemInput, Item, error) {
	n, err := w.network(in.NetworkID)
	if err != nil {
		return in, Item{}, err
	}
	if in, err = w.s.validateItem(w.ctx, w.q, n, in); err != nil {
		return in, Item{}, err
	}
	it := Item{OperatorID: n.OperatorID, Operator: w.reg.op.Code, NetworkID: n.ID, CriticalPart: in.CriticalPart, Kind: in.Kind,
		Name: in.Name, Model: in.Model, Version: in.Version, ManufacturerCountry: in.ManufacturerCountry, OriginCountry: in.OriginCountry,
		Serial: in.Serial, Quantity: in.Quantity, Site: in.Site, ManagementAddress: in.ManagementAddress, InServiceSince: in.InServiceSince,
		Notes: in.Notes, Source: SourceImported, UpdatedAt: parseTime(w.now)}
	if it.ManufacturerID, it.Manufacturer, err = w.supplier(in.Manufacturer, in.ManufacturerCountry, RoleManufacturer); err != nil {
		return in, Item{}, err
	}
	if it.DistributorID, it.Distributor, err = w.supplier(in.Distributor, "", RoleDistributor); err != nil {
		return in, Item{}, err
	}
	if it.OutsourcerID, it.OutsourcingProvider, err = w.supplier(in.OutsourcingProvider, "", RoleOutsourcing); err != nil {
		return in, Item{}, err
	}
	return in, it, nil
}

// add writes a new item for row fr, as CreateItemTx does.
func (w *bulkWriter) add(fr *fileRow, in ItemInput, ref string) error {
	_, it, err := w.prepare(in)
	if err != nil {
		return &rowFailure{fr, err}
	}
	it.ID, w.nextID = w.nextID, w.nextID+1
	it.SourceRef, it.CreatedAt = ref, it.UpdatedAt
	w.items = append(w.items, it.ID, it.OperatorID, it.NetworkID, it.CriticalPart, string(it.Kind), it.Name, it.Model, it.Version,
		nullID(it.ManufacturerID), it.ManufacturerCountry, nullID(it.DistributorID), nullID(it.OutsourcerID), it.OriginCountry,
		it.Serial, it.Quantity, it.Site, it.ManagementAddress, it.InServiceSince, it.Notes, string(it.Source), it.SourceRef, w.nowArg, w.nowArg)
	if w.nItems++; w.nItems == bulkRows {
		if err := w.writeItems(); err != nil {
			return err
		}
	}
	if err := w.index(it); err != nil {
		return err
	}
	return w.log.Add(audit.Entry{Action: "item.create", ObjectType: "item", ObjectID: strconv.FormatInt(it.ID, 10), OperatorID: it.OperatorID, After: w.json(it)})
}

// update changes item id to the row's input, as UpdateItemTx does.
func (w *bulkWriter) update(fr *fileRow, id int64, in ItemInput, ref string) error {
	before, err := w.item(id)
	if err != nil {
		return &rowFailure{fr, err}
	}
	if in.NetworkID == 0 {
		in.NetworkID = before.NetworkID
	}
	in, after, err := w.prepare(in)
	if err != nil {
		return &rowFailure{fr, err}
	}
	after.ID, after.CreatedAt, after.SourceRef = id, before.CreatedAt, ref
	if _, err := w.q.exec(w.ctx, `UPDATE items SET network_id = ?, critical_part = ?, kind = ?, name = ?, model = ?, version = ?,
		manufacturer_id = ?, manufacturer_country = ?, distributor_id = ?, outsourcer_id = ?, origin_country = ?, serial = ?,
		quantity = ?, site = ?, management_address = ?, in_service_since = ?, notes = ?, source = ?, source_ref = ?, updated_at = ?
		WHERE id = ?`,
		after.NetworkID, in.CriticalPart, in.Kind, in.Name, in.Model, in.Version, nullID(after.ManufacturerID), in.ManufacturerCountry,
		nullID(after.DistributorID), nullID(after.OutsourcerID), in.OriginCountry, in.Serial, in.Quantity, in.Site, in.ManagementAddress,
		in.InServiceSince, in.Notes, after.Source, ref, w.now, id); err != nil {
		return fmt.Errorf("update item: %w", err)
	}
	if _, err := w.q.exec(w.ctx, `DELETE FROM items_fts WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("index item %d: %w", id, err)
	}
	if err := w.index(after); err != nil {
		return err
	}
	return w.log.Add(audit.Entry{Action: "item.update", ObjectType: "item", ObjectID: fmt.Sprint(id), OperatorID: after.OperatorID, Before: before, After: w.json(after)})
}

// remove deletes item id, as DeleteItemTx does; ref says why.
func (w *bulkWriter) remove(id int64, ref string) error {
	before, err := w.item(id)
	if err != nil {
		return err
	}
	if _, err := w.q.exec(w.ctx, `DELETE FROM items WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete item: %w", err)
	}
	if _, err := w.q.exec(w.ctx, `DELETE FROM items_fts WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("delete item %d from the search index: %w", id, err)
	}
	return w.log.Add(audit.Entry{Action: "item.delete", ObjectType: "item", ObjectID: fmt.Sprint(id), OperatorID: before.OperatorID,
		Before: before, After: map[string]string{"reason": ref}})
}

// json is the item as its audit record holds it: what encoding/json writes for it, less
// the reflection and the second pass over the output. The buffer is reused; audit.Batch.Add
// keeps a copy.
func (w *bulkWriter) json(it Item) json.RawMessage {
	w.scratch = it.AppendJSON(w.scratch[:0])
	return w.scratch
}

// item reads an existing item of the operator within the transaction: the state its audit
// record starts from.
func (w *bulkWriter) item(id int64) (Item, error) {
	it, err := scanItem(w.q.queryRow(w.ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && it.OperatorID != w.reg.op.ID {
		return Item{}, errkind.NotFound("item", id)
	}
	if err != nil {
		return Item{}, fmt.Errorf("read item %d: %w", id, err)
	}
	return it, nil
}

// index queues the item's search row.
func (w *bulkWriter) index(it Item) error {
	w.search = append(w.search, it.ID, searchBody(it))
	if w.nSearch++; w.nSearch == searchRows {
		return w.writeSearch()
	}
	return nil
}

// writeItems inserts the new items queued.
func (w *bulkWriter) writeItems() error {
	if w.nItems == 0 {
		return nil
	}
	if _, err := w.q.exec(w.ctx, insertRows(`INSERT INTO items (`+itemInsertColumns+`) VALUES `, itemInsertValues, w.nItems), w.items...); err != nil {
		return fmt.Errorf("insert items: %w", err)
	}
	w.items, w.nItems = w.items[:0], 0
	return nil
}

// writeSearch inserts the search rows queued.
func (w *bulkWriter) writeSearch() error {
	if w.nSearch == 0 {
		return nil
	}
	if _, err := w.q.exec(w.ctx, insertRows(`INSERT INTO items_fts (rowid, body) VALUES `, 2, w.nSearch), w.search...); err != nil {
		return fmt.Errorf("index items: %w", err)
	}
	w.search, w.nSearch = w.search[:0], 0
	return nil
}

// flush writes everything queued, the audit records last.
func (w *bulkWriter) flush() error {
	if err := w.writeItems(); err != nil {
		return err
	}
	if err := w.writeSearch(); err != nil {
		return err
	}
	return w.log.Flush()
}

// supplier matches a supplier named in an item to the register, adding it, or adding the
// role or country it lacks, with the audit records EnsureSupplier writes. It returns the
// supplier's id and its name as the register holds it; an empty name is no supplier.
func (w *bulkWriter) supplier(name, country string, role SupplierRole) (int64, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, "", nil
	}
	key, ok := w.keys[name]
	if !ok {
		key = SupplierKey(name)
		w.keys[name] = key
	}
	sp, ok := w.suppliers[key]
	if !ok {
		var err error
		sp, err = scanSupplier(w.q.queryRow(w.ctx, `SELECT `+supplierColumns+` FROM suppliers WHERE name_key = ?`, key))
		if errors.Is(err, sql.ErrNoRows) {
			return w.newSupplier(name, key, country, role)
		}
		if err != nil {
			return 0, "", fmt.Errorf("find supplier %q: %w", name, err)
		}
	}
	if slices.Contains(sp.Roles, role) && (sp.Country != "" || country == "") {
		w.suppliers[key] = sp
		return sp.ID, sp.Name, nil
	}
	after := sp
	after.Roles = normaliseRoles(append(slices.Clone(sp.Roles), role))
	if after.Country == "" {
		after.Country = country
	}
	if _, err := w.q.exec(w.ctx, `UPDATE suppliers SET roles = ?, country = ?, updated_at = ? WHERE id = ?`,
		joinRoles(after.Roles), after.Country, w.now, sp.ID); err != nil {
		return 0, "", fmt.Errorf("update supplier %d: %w", sp.ID, err)
	}
	if err := w.log.Add(audit.Entry{Action: "supplier.update", ObjectType: "supplier", ObjectID: fmt.Sprint(sp.ID), Before: sp, After: after}); err != nil {
		return 0, "", err
	}
	// The record shows the supplier as it was read; the register now holds the new time.
	after.UpdatedAt = parseTime(w.now)
	w.suppliers[key] = after
	return sp.ID, sp.Name, nil
}

func (w *bulkWriter) newSupplier(name, key, country string, role SupplierRole) (int64, string, error) {
	res, err := w.q.exec(w.ctx, `INSERT INTO suppliers (name, name_key, person, country, registration_no, roles, created_at, updated_at)
		VALUES (?, ?, 'legal', ?, '', ?, ?, ?)`, name, key, country, string(role), w.now, w.now)
	if err != nil {
		return 0, "", fmt.Errorf("insert supplier: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, "", fmt.Errorf("insert supplier: %w", err)
	}
	sp := Supplier{ID: id, Name: name, Person: "legal", Country: country, Roles: []SupplierRole{role},
		CreatedAt: parseTime(w.now), UpdatedAt: parseTime(w.now)}
	w.suppliers[key] = sp
	return id, name, w.log.Add(audit.Entry{Action: "supplier.create", ObjectType: "supplier", ObjectID: fmt.Sprint(id), After: sp})
}

// nullID is a supplier reference as stored: NULL for none.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// insertRows is an INSERT of n rows of k values each.
func insertRows(head string, k, n int) string {
	row := "(?" + strings.Repeat(", ?", k-1) + ")"
	var b strings.Builder
	b.Grow(len(head) + n*(len(row)+1))
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}
