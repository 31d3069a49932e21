package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// Kind is what an annex-7 item is.
type Kind string

// The kinds of item annex 7 lists.
const (
	KindEquipment   Kind = "equipment"
	KindSoftware    Kind = "software"
	KindOutsourcing Kind = "outsourcing"
)

// Kinds lists every kind.
var Kinds = []Kind{KindEquipment, KindSoftware, KindOutsourcing}

// Source says where an item's data came from.
type Source string

// The provenances an item can have.
const (
	SourceTyped      Source = "typed"
	SourceAPI        Source = "api"
	SourceImported   Source = "imported"
	SourceDiscovered Source = "discovered"
	SourceNotice     Source = "notice"
)

// Item is one row of an operator's annex-7 list: a piece of equipment, software or an
// outsourced service used in a critical part of one of its networks.
type Item struct {
	ID           int64  `json:"id"`
	OperatorID   int64  `json:"operator_id"`
	Operator     string `json:"operator"`
	NetworkID    int64  `json:"network_id"`
	CriticalPart string `json:"critical_part"`
	Kind         Kind   `json:"kind"`
	Name         string `json:"name"`
	Model        string `json:"model"`
	// Version is the software version, or the firmware or hardware revision of equipment.
	Version             string `json:"version"`
	ManufacturerID      int64  `json:"manufacturer_id,omitempty"`
	Manufacturer        string `json:"manufacturer"`
	ManufacturerCountry string `json:"manufacturer_country"`
	DistributorID       int64  `json:"distributor_id,omitempty"`
	Distributor         string `json:"distributor"`
	OutsourcerID        int64  `json:"outsourcing_provider_id,omitempty"`
	OutsourcingProvider string `json:"outsourcing_provider"`
	// OriginCountry is where the equipment is produced or the software developed (65.1.6).
	OriginCountry     string    `json:"origin_country"`
	Serial            string    `json:"serial"`
	Quantity          int       `json:"quantity"`
	Site              string    `json:"site"`
	ManagementAddress string    `json:"management_address"`
	InServiceSince    string    `json:"in_service_since"`
	Notes             string    `json:"notes"`
	Source            Source    `json:"source"`
	SourceRef         string    `json:"source_ref"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// ItemInput is what a caller sets on an item. Suppliers are given by name and matched to the
// register, or added to it.
type ItemInput struct {
	NetworkID           int64  `json:"network_id"`
	CriticalPart        string `json:"critical_part"`
	Kind                Kind   `json:"kind"`
	Name                string `json:"name"`
	Model               string `json:"model"`
	Version             string `json:"version"`
	Manufacturer        string `json:"manufacturer"`
	ManufacturerCountry string `json:"manufacturer_country"`
	Distributor         string `json:"distributor"`
	OutsourcingProvider string `json:"outsourcing_provider"`
	OriginCountry       string `json:"origin_country"`
	Serial              string `json:"serial"`
	Quantity            int    `json:"quantity"`
	Site                string `json:"site"`
	ManagementAddress   string `json:"management_address"`
	InServiceSince      string `json:"in_service_since"`
	Notes               string `json:"notes"`
}

// Input returns the item as an input, for a change that starts from its current state.
func (it Item) Input() ItemInput {
	return ItemInput{
		NetworkID: it.NetworkID, CriticalPart: it.CriticalPart, Kind: it.Kind, Name: it.Name, Model: it.Model,
		Version: it.Version, Manufacturer: it.Manufacturer, ManufacturerCountry: it.ManufacturerCountry,
		Distributor: it.Distributor, OutsourcingProvider: it.OutsourcingProvider, OriginCountry: it.OriginCountry,
		Serial: it.Serial, Quantity: it.Quantity, Site: it.Site, ManagementAddress: it.ManagementAddress,
		InServiceSince: it.InServiceSince, Notes: it.Notes,
	}
}

// ParseKind reads a kind in English or Latvian ("iekārta", "programmatūra", "ārpakalpojums").
func ParseKind(s string) (Kind, bool) {
	switch foldKey(s) {
	case "equipment", "iekarta", "iekartas", "device", "hardware":
		return KindEquipment, true
	case "software", "programmatura", "programmaturas":
		return KindSoftware, true
	case "outsourcing", "arpakalpojums", "arpakalpojumi", "service":
		return KindOutsourcing, true
	}
	return "", false
}

const maxQuantity = 1_000_000

// validate checks an item for network n and resolves its critical part. It reports every
// problem at once.
func (s *Store) validateItem(ctx context.Context, q querier, n Network, in ItemInput) (ItemInput, error) {
	v := &errkind.ValidationError{}
	if strings.TrimSpace(in.CriticalPart) == "" {
		v.Add("critical_part", "is required")
	} else {
		code, ok, err := s.resolvePart(ctx, q, n.ID, in.CriticalPart)
		if err != nil {
			return in, err
		}
		if !ok {
			v.Add("critical_part", "%q is neither an annex-6 function nor a part declared critical in this network", in.CriticalPart)
		}
		in.CriticalPart = code
	}
	switch in.Kind {
	case KindEquipment, KindSoftware, KindOutsourcing:
	case "":
		v.Add("kind", "is required (equipment, software or outsourcing)")
	default:
		v.Add("kind", "must be equipment, software or outsourcing")
	}
	in.Name = text(v, "name", in.Name, maxName, false)
	in.Model = text(v, "model", in.Model, maxName, false)
	in.Version = text(v, "version", in.Version, maxShort, false)
	in.Manufacturer = text(v, "manufacturer", in.Manufacturer, maxName, false)
	in.Distributor = text(v, "distributor", in.Distributor, maxName, false)
	in.OutsourcingProvider = text(v, "outsourcing_provider", in.OutsourcingProvider, maxName, false)
	in.ManufacturerCountry = country(v, "manufacturer_country", in.ManufacturerCountry)
	in.OriginCountry = country(v, "origin_country", in.OriginCountry)
	in.Serial = text(v, "serial", in.Serial, maxText, false)
	in.Site = text(v, "site", in.Site, maxName, false)
	in.ManagementAddress = text(v, "management_address", in.ManagementAddress, maxName, false)
	in.InServiceSince = date(v, "in_service_since", in.InServiceSince)
	in.Notes = text(v, "notes", in.Notes, maxText, false)
	if in.Quantity == 0 {
		in.Quantity = 1
	}
	if in.Quantity < 1 || in.Quantity > maxQuantity {
		v.Add("quantity", "must be between 1 and %d", maxQuantity)
	}
	if in.Name == "" && in.Model == "" {
		v.Add("name", "an item needs a name or a model")
	}
	if in.Kind == KindOutsourcing && in.OutsourcingProvider == "" {
		v.Add("outsourcing_provider", "is required for outsourcing")
	}
	return in, v.Err()
}

const itemColumns = `i.id, i.operator_id, o.code, i.network_id, i.critical_part, i.kind, i.name, i.model, i.version,
	coalesce(i.manufacturer_id, 0), coalesce(m.name, ''), i.manufacturer_country,
	coalesce(i.distributor_id, 0), coalesce(d.name, ''), coalesce(i.outsourcer_id, 0), coalesce(x.name, ''),
	i.origin_country, i.serial, i.quantity, i.site, i.management_address, i.in_service_since, i.notes,
	i.source, i.source_ref, i.created_at, i.updated_at`

const itemFrom = ` FROM items i
	JOIN operators o ON o.id = i.operator_id
	LEFT JOIN suppliers m ON m.id = i.manufacturer_id
	LEFT JOIN suppliers d ON d.id = i.distributor_id
	LEFT JOIN suppliers x ON x.id = i.outsourcer_id`

func scanItem(r interface{ Scan(...any) error }) (Item, error) {
	var it Item
	var created, updated string
	err := r.Scan(&it.ID, &it.OperatorID, &it.Operator, &it.NetworkID, &it.CriticalPart, &it.Kind, &it.Name, &it.Model, &it.Version,
		&it.ManufacturerID, &it.Manufacturer, &it.ManufacturerCountry, &it.DistributorID, &it.Distributor,
		&it.OutsourcerID, &it.OutsourcingProvider, &it.OriginCountry, &it.Serial, &it.Quantity, &it.Site,
		&it.ManagementAddress, &it.InServiceSince, &it.Notes, &it.Source, &it.SourceRef, &created, &updated)
	it.CreatedAt, it.UpdatedAt = parseTime(created), parseTime(updated)
	return it, err
}

func (s *Store) itemTx(ctx context.Context, q querier, id int64) (Item, error) {
	it, err := scanItem(q.QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, errkind.NotFound("item", id)
	}
	if err != nil {
		return Item{}, fmt.Errorf("read item %d: %w", id, err)
	}
	return it, nil
}

// Item returns one item, if the actor may see it.
func (s *Store) Item(ctx context.Context, a access.Actor, id int64) (Item, error) {
	it, err := s.itemTx(ctx, s.db.Read, id)
	if err != nil {
		return Item{}, err
	}
	if !a.Sees(it.OperatorID) {
		return Item{}, errkind.NotFound("item", id)
	}
	return it, nil
}

// writableNetwork returns network id for a change of its items by a: not found when a
// cannot see it, forbidden when a sees it but does not keep it.
func (s *Store) writableNetwork(ctx context.Context, q querier, a access.Actor, id int64) (Network, error) {
	n, err := s.networkTx(ctx, q, id)
	if err != nil || !a.Sees(n.OperatorID) {
		return Network{}, errkind.Invalid("network_id", "no network %d", id)
	}
	if !a.KeepsInventory(n.OperatorID) {
		return Network{}, errkind.Forbidden("only the operator's own users change its list")
	}
	return n, nil
}

// CreateItem adds an item to a network's list.
func (s *Store) CreateItem(ctx context.Context, a access.Actor, in ItemInput, src Source, ref string) (Item, error) {
	var it Item
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		it, err = s.CreateItemTx(ctx, tx, a, in, src, ref)
		return err
	})
	return it, err
}

// CreateItemTx adds an item within tx, for changes of which it is one part (an import, a
// change notice carried out).
func (s *Store) CreateItemTx(ctx context.Context, tx *sql.Tx, a access.Actor, in ItemInput, src Source, ref string) (Item, error) {
	if in.NetworkID == 0 {
		return Item{}, errkind.Invalid("network_id", "is required")
	}
	n, err := s.writableNetwork(ctx, tx, a, in.NetworkID)
	if err != nil {
		return Item{}, err
	}
	if in, err = s.validateItem(ctx, tx, n, in); err != nil {
		return Item{}, err
	}
	ids, err := s.ensureItemSuppliers(ctx, tx, a, in)
	if err != nil {
		return Item{}, err
	}
	now := s.stamp()
	res, err := tx.ExecContext(ctx, `INSERT INTO items (operator_id, network_id, critical_part, kind, name, model, version,
		manufacturer_id, manufacturer_country, distributor_id, outsourcer_id, origin_country, serial, quantity, site,
		management_address, in_service_since, notes, source, source_ref, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.OperatorID, n.ID, in.CriticalPart, in.Kind, in.Name, in.Model, in.Version, ids[0], in.ManufacturerCountry, ids[1], ids[2],
		in.OriginCountry, in.Serial, in.Quantity, in.Site, in.ManagementAddress, in.InServiceSince, in.Notes, src, ref, now, now)
	if err != nil {
		return Item{}, fmt.Errorf("insert item: %w", err)
	}
	id, _ := res.LastInsertId()
	it, err := s.itemTx(ctx, tx, id)
	if err != nil {
		return Item{}, err
	}
	if err := indexItem(ctx, tx, it, false); err != nil {
		return Item{}, err
	}
	return it, audit.Append(ctx, tx, a, audit.Entry{Action: "item.create", ObjectType: "item", ObjectID: fmt.Sprint(id), OperatorID: it.OperatorID, After: it})
}

// ensureItemSuppliers matches the item's manufacturer, distributor and outsourcing provider
// to the register, adding those it lacks. Missing ones are NULL.
func (s *Store) ensureItemSuppliers(ctx context.Context, tx *sql.Tx, a access.Actor, in ItemInput) ([3]any, error) {
	var out [3]any
	for i, sp := range []struct {
		name, country string
		role          SupplierRole
	}{{in.Manufacturer, in.ManufacturerCountry, RoleManufacturer}, {in.Distributor, "", RoleDistributor}, {in.OutsourcingProvider, "", RoleOutsourcing}} {
		id, err := s.EnsureSupplier(ctx, tx, a, sp.name, sp.country, sp.role)
		if err != nil {
			return out, err
		}
		if id != 0 {
			out[i] = id
		}
	}
	return out, nil
}

// UpdateItem replaces an item's fields. It stays in its network's operator; moving it to
// another network of the same operator is allowed.
func (s *Store) UpdateItem(ctx context.Context, a access.Actor, id int64, in ItemInput, src Source, ref string) (Item, error) {
	var it Item
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		it, err = s.UpdateItemTx(ctx, tx, a, id, in, src, ref)
		return err
	})
	return it, err
}

// UpdateItemTx changes an item within tx.
func (s *Store) UpdateItemTx(ctx context.Context, tx *sql.Tx, a access.Actor, id int64, in ItemInput, src Source, ref string) (Item, error) {
	before, err := s.itemTx(ctx, tx, id)
	if err != nil || !a.Sees(before.OperatorID) {
		return Item{}, errkind.NotFound("item", id)
	}
	if !a.KeepsInventory(before.OperatorID) {
		return Item{}, errkind.Forbidden("only the operator's own users change its list")
	}
	if in.NetworkID == 0 {
		in.NetworkID = before.NetworkID
	}
	n, err := s.writableNetwork(ctx, tx, a, in.NetworkID)
	if err != nil {
		return Item{}, err
	}
	if n.OperatorID != before.OperatorID {
		return Item{}, errkind.Invalid("network_id", "no network %d", in.NetworkID)
	}
	if in, err = s.validateItem(ctx, tx, n, in); err != nil {
		return Item{}, err
	}
	ids, err := s.ensureItemSuppliers(ctx, tx, a, in)
	if err != nil {
		return Item{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE items SET network_id = ?, critical_part = ?, kind = ?, name = ?, model = ?, version = ?,
		manufacturer_id = ?, manufacturer_country = ?, distributor_id = ?, outsourcer_id = ?, origin_country = ?, serial = ?,
		quantity = ?, site = ?, management_address = ?, in_service_since = ?, notes = ?, source = ?, source_ref = ?, updated_at = ?
		WHERE id = ?`,
		n.ID, in.CriticalPart, in.Kind, in.Name, in.Model, in.Version, ids[0], in.ManufacturerCountry, ids[1], ids[2],
		in.OriginCountry, in.Serial, in.Quantity, in.Site, in.ManagementAddress, in.InServiceSince, in.Notes, src, ref, s.stamp(), id); err != nil {
		return Item{}, fmt.Errorf("update item: %w", err)
	}
	after, err := s.itemTx(ctx, tx, id)
	if err != nil {
		return Item{}, err
	}
	if err := indexItem(ctx, tx, after, true); err != nil {
		return Item{}, err
	}
	return after, audit.Append(ctx, tx, a, audit.Entry{Action: "item.update", ObjectType: "item", ObjectID: fmt.Sprint(id), OperatorID: after.OperatorID, Before: before, After: after})
}

// DeleteItem removes an item from the list.
func (s *Store) DeleteItem(ctx context.Context, a access.Actor, id int64, ref string) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return s.DeleteItemTx(ctx, tx, a, id, ref) })
}

// DeleteItemTx removes an item within tx; ref says why (a notice line, an import).
func (s *Store) DeleteItemTx(ctx context.Context, tx *sql.Tx, a access.Actor, id int64, ref string) error {
	before, err := s.itemTx(ctx, tx, id)
	if err != nil || !a.Sees(before.OperatorID) {
		return errkind.NotFound("item", id)
	}
	if !a.KeepsInventory(before.OperatorID) {
		return errkind.Forbidden("only the operator's own users change its list")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM items WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete item: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM items_fts WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("delete item %d from the search index: %w", id, err)
	}
	var after any
	if ref != "" {
		after = map[string]string{"reason": ref}
	}
	return audit.Append(ctx, tx, a, audit.Entry{Action: "item.delete", ObjectType: "item", ObjectID: fmt.Sprint(id), OperatorID: before.OperatorID, Before: before, After: after})
}
