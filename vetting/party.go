package vetting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// PartyKind is what kind of person or body a party of the ownership graph is.
type PartyKind string

// The kinds of party.
const (
	PartyCompany   PartyKind = "company"
	PartyPerson    PartyKind = "person"
	PartyState     PartyKind = "state"
	PartyStateBody PartyKind = "state_body"
)

var partyKinds = []PartyKind{PartyCompany, PartyPerson, PartyState, PartyStateBody}

// Party is a node of the ownership-or-control graph: a supplier of the register, another
// company, a natural person (with citizenships), a state, or a state body (a ministry, a
// state assets commission, a state-owned fund).
type Party struct {
	ID   int64     `json:"id"`
	Kind PartyKind `json:"kind"`
	// SupplierID links the party to the supplier register; 0 for parties outside it.
	SupplierID int64  `json:"supplier_id,omitempty"`
	Name       string `json:"name"`
	// Country is the state of registration of a company, the state of a state or state body.
	Country string `json:"country"`
	// Citizenships are a natural person's.
	Citizenships   []string  `json:"citizenships"`
	RegistrationNo string    `json:"registration_no"`
	BODSID         string    `json:"bods_id,omitempty"`
	Note           string    `json:"note"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// PartyInput is what a caller sets on a party. A party linked to a supplier takes the
// supplier's name and country where they are left empty.
type PartyInput struct {
	Kind           PartyKind `json:"kind"`
	SupplierID     int64     `json:"supplier_id"`
	Name           string    `json:"name"`
	Country        string    `json:"country"`
	Citizenships   []string  `json:"citizenships"`
	RegistrationNo string    `json:"registration_no"`
	Note           string    `json:"note"`
}

func (v *Vetting) validateParty(ctx context.Context, q querier, in PartyInput) (PartyInput, error) {
	ve := &errkind.ValidationError{}
	if !slices.Contains(partyKinds, in.Kind) {
		ve.Add("kind", "must be company, person, state or state_body")
	}
	if in.SupplierID != 0 {
		var name, ctry, person string
		err := q.QueryRowContext(ctx, `SELECT name, country, person FROM suppliers WHERE id = ?`, in.SupplierID).Scan(&name, &ctry, &person)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			ve.Add("supplier_id", "no supplier %d in the register", in.SupplierID)
		case err != nil:
			return in, fmt.Errorf("read supplier %d: %w", in.SupplierID, err)
		default:
			if strings.TrimSpace(in.Name) == "" {
				in.Name = name
			}
			if strings.TrimSpace(in.Country) == "" && person == "legal" {
				in.Country = ctry
			}
			if in.Kind == PartyState || in.Kind == PartyStateBody {
				ve.Add("supplier_id", "a supplier is a company or a person")
			}
		}
	}
	if in.Kind == PartyState && strings.TrimSpace(in.Name) == "" {
		if c, ok := inventory.CountryByCode(strings.ToUpper(strings.TrimSpace(in.Country))); ok {
			in.Name = c.NameEN
		}
	}
	in.Name = ve.Text("name", in.Name, maxName, true)
	in.Country = country(ve, "country", in.Country, in.Kind == PartyState || in.Kind == PartyStateBody)
	cs := []string{}
	for i, c := range in.Citizenships {
		c = country(ve, "citizenships["+itoa(i)+"]", c, true)
		if c != "" && !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	if len(cs) > 0 && in.Kind != PartyPerson {
		ve.Add("citizenships", "only a natural person has citizenships")
	}
	in.Citizenships = cs
	in.RegistrationNo = ve.Text("registration_no", in.RegistrationNo, maxShort, false)
	in.Note = ve.Text("note", in.Note, maxText, false)
	return in, ve.Err()
}

type querier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

const partyColumns = `id, kind, coalesce(supplier_id, 0), name, country, citizenships, registration_no, coalesce(bods_id, ''), note, created_at, updated_at`

func scanParty(r interface{ Scan(...any) error }) (Party, error) {
	var p Party
	var cs, created, updated string
	err := r.Scan(&p.ID, &p.Kind, &p.SupplierID, &p.Name, &p.Country, &cs, &p.RegistrationNo, &p.BODSID, &p.Note, &created, &updated)
	p.Citizenships = splitList(cs)
	p.CreatedAt, _ = time.Parse(timeFormat, created)
	p.UpdatedAt, _ = time.Parse(timeFormat, updated)
	return p, err
}

func partyTx(ctx context.Context, q querier, id int64) (Party, error) {
	p, err := scanParty(q.QueryRowContext(ctx, `SELECT `+partyColumns+` FROM vet_parties WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Party{}, errkind.NotFound("party", id)
	}
	if err != nil {
		return Party{}, fmt.Errorf("read party %d: %w", id, err)
	}
	return p, nil
}

// Party returns one party. The ownership graph is the bureau's working material.
func (v *Vetting) Party(ctx context.Context, a access.Actor, id int64) (Party, error) {
	if err := needBureau(a); err != nil {
		return Party{}, err
	}
	return partyTx(ctx, v.db.Read, id)
}

// PartyFilter selects parties.
type PartyFilter struct {
	Q          string
	Kind       PartyKind
	SupplierID int64
}

// Parties lists parties in id order.
func (v *Vetting) Parties(ctx context.Context, a access.Actor, f PartyFilter, p inventory.Page) ([]Party, int64, error) {
	if err := needBureau(a); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + partyColumns + ` FROM vet_parties WHERE id > ?`
	args := []any{p.After}
	if f.Q != "" {
		q += ` AND instr(lower(name), lower(?)) > 0`
		args = append(args, f.Q)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.SupplierID != 0 {
		q += ` AND supplier_id = ?`
		args = append(args, f.SupplierID)
	}
	limit := pageLimit(p)
	q += ` ORDER BY id LIMIT ?`
	args = append(args, limit+1)
	rows, err := v.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list parties: %w", err)
	}
	defer rows.Close()
	var out []Party
	for rows.Next() {
		pt, err := scanParty(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list parties: %w", err)
		}
		out = append(out, pt)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list parties: %w", err)
	}
	out, next := trimPage(out, limit, func(p Party) int64 { return p.ID })
	return out, next, nil
}

// CreateParty adds a party to the graph.
func (v *Vetting) CreateParty(ctx context.Context, a access.Actor, in PartyInput) (Party, error) {
	if err := needBureauWrite(a); err != nil {
		return Party{}, err
	}
	var p Party
	err := v.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = v.createPartyTx(ctx, tx, a, in, "")
		return err
	})
	return p, err
}

func (v *Vetting) createPartyTx(ctx context.Context, tx *sql.Tx, a access.Actor, in PartyInput, bodsID string) (Party, error) {
	in, err := v.validateParty(ctx, tx, in)
	if err != nil {
		return Party{}, err
	}
	now := v.stamp()
	res, err := tx.ExecContext(ctx, `INSERT INTO vet_parties (kind, supplier_id, name, country, citizenships, registration_no, bods_id, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Kind, nullID(in.SupplierID), in.Name, in.Country, strings.Join(in.Citizenships, ","),
		in.RegistrationNo, nullText(bodsID), in.Note, now, now)
	if isUnique(err) {
		return Party{}, errkind.Invalid("supplier_id", "supplier %d already has a party in the graph", in.SupplierID)
	}
	if err != nil {
		return Party{}, fmt.Errorf("insert party: %w", err)
	}
	id, _ := res.LastInsertId()
	p, err := partyTx(ctx, tx, id)
	if err != nil {
		return Party{}, err
	}
	return p, audit.Append(ctx, tx, a, audit.Entry{Action: "party.create", ObjectType: "party", ObjectID: fmt.Sprint(id), After: p})
}

// UpdateParty changes a party.
func (v *Vetting) UpdateParty(ctx context.Context, a access.Actor, id int64, in PartyInput) (Party, error) {
	if err := needBureauWrite(a); err != nil {
		return Party{}, err
	}
	var after Party
	err := v.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		after, err = v.updatePartyTx(ctx, tx, a, id, in)
		return err
	})
	return after, err
}

func (v *Vetting) updatePartyTx(ctx context.Context, tx *sql.Tx, a access.Actor, id int64, in PartyInput) (Party, error) {
	before, err := partyTx(ctx, tx, id)
	if err != nil {
		return Party{}, err
	}
	if in, err = v.validateParty(ctx, tx, in); err != nil {
		return Party{}, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE vet_parties SET kind = ?, supplier_id = ?, name = ?, country = ?, citizenships = ?, registration_no = ?, note = ?, updated_at = ?
		WHERE id = ?`, in.Kind, nullID(in.SupplierID), in.Name, in.Country, strings.Join(in.Citizenships, ","), in.RegistrationNo, in.Note, v.stamp(), id)
	if isUnique(err) {
		return Party{}, errkind.Invalid("supplier_id", "supplier %d already has a party in the graph", in.SupplierID)
	}
	if err != nil {
		return Party{}, fmt.Errorf("update party %d: %w", id, err)
	}
	after, err := partyTx(ctx, tx, id)
	if err != nil {
		return Party{}, err
	}
	return after, audit.Append(ctx, tx, a, audit.Entry{Action: "party.update", ObjectType: "party", ObjectID: fmt.Sprint(id), Before: before, After: after})
}

// DeleteParty removes a party no statement names.
func (v *Vetting) DeleteParty(ctx context.Context, a access.Actor, id int64) error {
	if err := needBureauWrite(a); err != nil {
		return err
	}
	return v.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := partyTx(ctx, tx, id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM vet_parties WHERE id = ?`, id)
		if isForeignKey(err) {
			return errkind.Conflict("party %d is still named by ownership statements", id)
		}
		if err != nil {
			return fmt.Errorf("delete party %d: %w", id, err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "party.delete", ObjectType: "party", ObjectID: fmt.Sprint(id), Before: before})
	})
}

// supplierParty finds the party of a supplier; ok is false when the graph has none.
func supplierParty(ctx context.Context, q querier, supplierID int64) (Party, bool, error) {
	p, err := scanParty(q.QueryRowContext(ctx, `SELECT `+partyColumns+` FROM vet_parties WHERE supplier_id = ?`, supplierID))
	if errors.Is(err, sql.ErrNoRows) {
		return Party{}, false, nil
	}
	if err != nil {
		return Party{}, false, fmt.Errorf("read party of supplier %d: %w", supplierID, err)
	}
	return p, true, nil
}
