package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// SupplierRole is what a supplier is to an item.
type SupplierRole string

// The roles annex 7 and point 65 name.
const (
	// RoleManufacturer is the manufacturer of equipment or the developer of software.
	RoleManufacturer SupplierRole = "manufacturer"
	// RoleDistributor is a distributor or integrator.
	RoleDistributor SupplierRole = "distributor"
	// RoleOutsourcing is an outsourcing provider (point 2.4).
	RoleOutsourcing SupplierRole = "outsourcing"
)

var supplierRoles = []SupplierRole{RoleManufacturer, RoleDistributor, RoleOutsourcing}

// Supplier is a legal or natural person in the register shared by every operator.
type Supplier struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Person is "legal" or "natural".
	Person         string         `json:"person"`
	Country        string         `json:"country"`
	RegistrationNo string         `json:"registration_no"`
	Roles          []SupplierRole `json:"roles"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// SupplierInput is what a caller sets on a supplier.
type SupplierInput struct {
	Name           string         `json:"name"`
	Person         string         `json:"person"`
	Country        string         `json:"country"`
	RegistrationNo string         `json:"registration_no"`
	Roles          []SupplierRole `json:"roles"`
}

func (in SupplierInput) validate() (SupplierInput, error) {
	v := &errkind.ValidationError{}
	in.Name = text(v, "name", in.Name, maxName, true)
	if in.Name != "" && SupplierKey(in.Name) == "" {
		v.Add("name", "must contain letters or digits")
	}
	if in.Person == "" {
		in.Person = "legal"
	}
	if in.Person != "legal" && in.Person != "natural" {
		v.Add("person", "must be legal or natural")
	}
	in.Country = country(v, "country", in.Country)
	in.RegistrationNo = text(v, "registration_no", in.RegistrationNo, maxShort, false)
	for _, r := range in.Roles {
		if !slices.Contains(supplierRoles, r) {
			v.Add("roles", "unknown role %q (want manufacturer, distributor or outsourcing)", r)
		}
	}
	in.Roles = normaliseRoles(in.Roles)
	return in, v.Err()
}

func normaliseRoles(rs []SupplierRole) []SupplierRole {
	out := []SupplierRole{}
	for _, r := range supplierRoles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

func joinRoles(rs []SupplierRole) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func splitRoles(s string) []SupplierRole {
	out := []SupplierRole{}
	for _, r := range strings.Split(s, ",") {
		if r != "" {
			out = append(out, SupplierRole(r))
		}
	}
	return out
}

var (
	nonAlnum = regexp.MustCompile(`[^\p{L}\p{N}]+`)
	// legalForms are company-form words that people add or leave out of a name at will.
	legalForms = map[string]bool{
		"sia": true, "as": true, "ik": true, "ltd": true, "limited": true, "inc": true, "incorporated": true, "llc": true,
		"co": true, "company": true, "corp": true, "corporation": true, "gmbh": true, "ag": true, "ab": true, "oy": true,
		"oyj": true, "sa": true, "sas": true, "spa": true, "bv": true, "nv": true, "plc": true, "kg": true, "se": true,
		"aps": true, "asa": true, "uab": true, "ou": true, "sp": true, "zoo": true, "pte": true, "pty": true,
	}
)

// SupplierKey normalises a supplier's name for matching: case, diacritics, punctuation and
// company-form words ("SIA", "Co., Ltd.") are ignored, so "Huawei Technologies Co., Ltd."
// and "HUAWEI TECHNOLOGIES" are one supplier.
func SupplierKey(name string) string {
	words := strings.Fields(nonAlnum.ReplaceAllString(foldKey(name), " "))
	kept := words[:0]
	for _, w := range words {
		if !legalForms[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		kept = words
	}
	return strings.Join(kept, " ")
}

const supplierColumns = `id, name, person, country, registration_no, roles, created_at, updated_at`

func scanSupplier(r interface{ Scan(...any) error }) (Supplier, error) {
	var sp Supplier
	var roles, created, updated string
	err := r.Scan(&sp.ID, &sp.Name, &sp.Person, &sp.Country, &sp.RegistrationNo, &roles, &created, &updated)
	sp.Roles = splitRoles(roles)
	sp.CreatedAt, sp.UpdatedAt = parseTime(created), parseTime(updated)
	return sp, err
}

func (s *Store) supplierTx(ctx context.Context, q querier, id int64) (Supplier, error) {
	sp, err := scanSupplier(q.QueryRowContext(ctx, `SELECT `+supplierColumns+` FROM suppliers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Supplier{}, errkind.NotFound("supplier", id)
	}
	if err != nil {
		return Supplier{}, fmt.Errorf("read supplier %d: %w", id, err)
	}
	return sp, nil
}

// Supplier returns one supplier of the shared register.
func (s *Store) Supplier(ctx context.Context, a access.Actor, id int64) (Supplier, error) {
	return s.supplierTx(ctx, s.db.Read, id)
}

// SupplierByName finds a supplier by its normalised name.
func (s *Store) SupplierByName(ctx context.Context, a access.Actor, name string) (Supplier, error) {
	sp, err := scanSupplier(s.db.Read.QueryRowContext(ctx, `SELECT `+supplierColumns+` FROM suppliers WHERE name_key = ?`, SupplierKey(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return Supplier{}, errkind.NotFound("supplier", name)
	}
	return sp, err
}

// SupplierFilter selects suppliers.
type SupplierFilter struct {
	Q       string // part of the name
	Country string
	Role    SupplierRole
}

// Suppliers lists the shared register in id order.
func (s *Store) Suppliers(ctx context.Context, a access.Actor, f SupplierFilter, p Page) ([]Supplier, int64, error) {
	q := `SELECT ` + supplierColumns + ` FROM suppliers WHERE id > ?`
	args := []any{p.After}
	if f.Q != "" {
		q += ` AND instr(name_key, ?) > 0`
		args = append(args, SupplierKey(f.Q))
	}
	if f.Country != "" {
		q += ` AND country = ?`
		args = append(args, strings.ToUpper(f.Country))
	}
	if f.Role != "" {
		q += ` AND instr(',' || roles || ',', ?) > 0`
		args = append(args, ","+string(f.Role)+",")
	}
	q += ` ORDER BY id LIMIT ?`
	args = append(args, p.limit()+1)
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list suppliers: %w", err)
	}
	defer rows.Close()
	var out []Supplier
	for rows.Next() {
		sp, err := scanSupplier(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list suppliers: %w", err)
		}
		out = append(out, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list suppliers: %w", err)
	}
	out, next := trimPage(out, p.limit(), func(s Supplier) int64 { return s.ID })
	return out, next, nil
}

// CreateSupplier adds a supplier to the shared register. Any user who writes may: operators
// name their suppliers, the bureau records the companies behind them.
func (s *Store) CreateSupplier(ctx context.Context, a access.Actor, in SupplierInput) (Supplier, error) {
	if a.ReadOnly {
		return Supplier{}, errkind.Forbidden("read-only access")
	}
	in, err := in.validate()
	if err != nil {
		return Supplier{}, err
	}
	var sp Supplier
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		sp, err = s.insertSupplier(ctx, tx, a, in)
		return err
	})
	return sp, err
}

func (s *Store) insertSupplier(ctx context.Context, tx *sql.Tx, a access.Actor, in SupplierInput) (Supplier, error) {
	now := s.stamp()
	res, err := tx.ExecContext(ctx, `INSERT INTO suppliers (name, name_key, person, country, registration_no, roles, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.Name, SupplierKey(in.Name), in.Person, in.Country, in.RegistrationNo, joinRoles(in.Roles), now, now)
	if isUnique(err) {
		var id int64
		_ = tx.QueryRowContext(ctx, `SELECT id FROM suppliers WHERE name_key = ?`, SupplierKey(in.Name)).Scan(&id)
		return Supplier{}, errkind.Invalid("name", "the register already holds this supplier (id %d)", id)
	}
	if err != nil {
		return Supplier{}, fmt.Errorf("insert supplier: %w", err)
	}
	id, _ := res.LastInsertId()
	sp, err := s.supplierTx(ctx, tx, id)
	if err != nil {
		return Supplier{}, err
	}
	return sp, audit.Append(ctx, tx, a, audit.Entry{Action: "supplier.create", ObjectType: "supplier", ObjectID: fmt.Sprint(id), After: sp})
}

// UpdateSupplier changes a supplier. The register is shared, so only the bureau and admins
// change what others rely on.
func (s *Store) UpdateSupplier(ctx context.Context, a access.Actor, id int64, in SupplierInput) (Supplier, error) {
	if !a.Writes(access.RoleBureau, access.RoleAdmin) {
		return Supplier{}, errkind.Forbidden("only the bureau or an admin changes the shared supplier register")
	}
	before, err := s.Supplier(ctx, a, id)
	if err != nil {
		return Supplier{}, err
	}
	in, err = in.validate()
	if err != nil {
		return Supplier{}, err
	}
	var after Supplier
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE suppliers SET name = ?, name_key = ?, person = ?, country = ?, registration_no = ?, roles = ?, updated_at = ?
			WHERE id = ?`, in.Name, SupplierKey(in.Name), in.Person, in.Country, in.RegistrationNo, joinRoles(in.Roles), s.stamp(), id)
		if isUnique(err) {
			return errkind.Invalid("name", "another supplier in the register has this name")
		}
		if err != nil {
			return fmt.Errorf("update supplier: %w", err)
		}
		if after, err = s.supplierTx(ctx, tx, id); err != nil {
			return err
		}
		if before.Name != after.Name {
			if err := s.reindexSupplierItems(ctx, tx, id); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "supplier.update", ObjectType: "supplier", ObjectID: fmt.Sprint(id), Before: before, After: after})
	})
	return after, err
}

// DeleteSupplier removes a supplier no item names.
func (s *Store) DeleteSupplier(ctx context.Context, a access.Actor, id int64) error {
	if !a.Writes(access.RoleBureau, access.RoleAdmin) {
		return errkind.Forbidden("only the bureau or an admin changes the shared supplier register")
	}
	before, err := s.Supplier(ctx, a, id)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM suppliers WHERE id = ?`, id)
		if isForeignKey(err) {
			return errkind.Conflict("supplier %d is still named by items or ownership records", id)
		}
		if err != nil {
			return fmt.Errorf("delete supplier: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "supplier.delete", ObjectType: "supplier", ObjectID: fmt.Sprint(id), Before: before})
	})
}

// EnsureSupplier returns the id of the supplier named name, creating it (with the country
// given) when the register has no such name, and adding role to its roles when missing.
// Both changes are audited within tx. An empty name returns 0: no supplier.
func (s *Store) EnsureSupplier(ctx context.Context, tx *sql.Tx, a access.Actor, name, country string, role SupplierRole) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, nil
	}
	sp, err := scanSupplier(tx.QueryRowContext(ctx, `SELECT `+supplierColumns+` FROM suppliers WHERE name_key = ?`, SupplierKey(name)))
	if errors.Is(err, sql.ErrNoRows) {
		sp, err = s.insertSupplier(ctx, tx, a, SupplierInput{Name: name, Person: "legal", Country: country, Roles: []SupplierRole{role}})
		return sp.ID, err
	}
	if err != nil {
		return 0, fmt.Errorf("find supplier %q: %w", name, err)
	}
	if slices.Contains(sp.Roles, role) && (sp.Country != "" || country == "") {
		return sp.ID, nil
	}
	after := sp
	after.Roles = normaliseRoles(append(slices.Clone(sp.Roles), role))
	if after.Country == "" {
		after.Country = country
	}
	if _, err := tx.ExecContext(ctx, `UPDATE suppliers SET roles = ?, country = ?, updated_at = ? WHERE id = ?`,
		joinRoles(after.Roles), after.Country, s.stamp(), sp.ID); err != nil {
		return 0, fmt.Errorf("update supplier %d: %w", sp.ID, err)
	}
	return sp.ID, audit.Append(ctx, tx, a, audit.Entry{Action: "supplier.update", ObjectType: "supplier", ObjectID: fmt.Sprint(sp.ID), Before: sp, After: after})
}
