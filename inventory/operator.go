package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// Operator is an owner or legal possessor of a public electronic communications network.
type Operator struct {
	ID             int64     `json:"id"`
	Code           string    `json:"code"`
	Name           string    `json:"name"`
	RegistrationNo string    `json:"registration_no"`
	Contact        string    `json:"contact"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// OperatorInput is what a caller sets on an operator.
type OperatorInput struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	RegistrationNo string `json:"registration_no"`
	Contact        string `json:"contact"`
}

var operatorCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{1,31}$`)

func (in OperatorInput) validate() (OperatorInput, error) {
	v := &errkind.ValidationError{}
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	if !operatorCodeRE.MatchString(in.Code) {
		v.Add("code", "must be 2–32 letters, digits, '-' or '_', starting with a letter or digit")
	}
	in.Name = text(v, "name", in.Name, maxName, true)
	in.RegistrationNo = text(v, "registration_no", in.RegistrationNo, maxShort, false)
	in.Contact = text(v, "contact", in.Contact, maxText, false)
	return in, v.Err()
}

const operatorColumns = `id, code, name, registration_no, contact, created_at, updated_at`

func scanOperator(r interface{ Scan(...any) error }) (Operator, error) {
	var o Operator
	var created, updated string
	err := r.Scan(&o.ID, &o.Code, &o.Name, &o.RegistrationNo, &o.Contact, &created, &updated)
	o.CreatedAt, o.UpdatedAt = parseTime(created), parseTime(updated)
	return o, err
}

// CreateOperator registers an operator. Only admins do.
func (s *Store) CreateOperator(ctx context.Context, a access.Actor, in OperatorInput) (Operator, error) {
	if !a.Writes(access.RoleAdmin) {
		return Operator{}, errkind.Forbidden("only an admin registers operators")
	}
	in, err := in.validate()
	if err != nil {
		return Operator{}, err
	}
	var o Operator
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO operators (code, name, registration_no, contact, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, in.Code, in.Name, in.RegistrationNo, in.Contact, now, now)
		if isUnique(err) {
			return errkind.Invalid("code", "operator %s already exists", in.Code)
		}
		if err != nil {
			return fmt.Errorf("insert operator: %w", err)
		}
		id, _ := res.LastInsertId()
		o, err = scanOperator(tx.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = ?`, id))
		if err != nil {
			return fmt.Errorf("read operator: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "operator.create", ObjectType: "operator", ObjectID: o.Code, OperatorID: o.ID, After: o})
	})
	return o, err
}

// Operator returns the operator with the code given, if the actor may see it.
func (s *Store) Operator(ctx context.Context, a access.Actor, code string) (Operator, error) {
	o, err := scanOperator(s.db.Read.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE code = ?`, strings.ToUpper(code)))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Sees(o.ID)) {
		return Operator{}, errkind.NotFound("operator", code)
	}
	if err != nil {
		return Operator{}, fmt.Errorf("read operator %s: %w", code, err)
	}
	return o, nil
}

// OperatorByID returns the operator with the id given, if the actor may see it.
func (s *Store) OperatorByID(ctx context.Context, a access.Actor, id int64) (Operator, error) {
	o, err := scanOperator(s.db.Read.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Sees(o.ID)) {
		return Operator{}, errkind.NotFound("operator", id)
	}
	if err != nil {
		return Operator{}, fmt.Errorf("read operator %d: %w", id, err)
	}
	return o, nil
}

// Operators lists the operators the actor may see, in id order.
func (s *Store) Operators(ctx context.Context, a access.Actor, p Page) ([]Operator, int64, error) {
	q := `SELECT ` + operatorColumns + ` FROM operators WHERE id > ?`
	args := []any{p.After}
	if !a.SeesAll() {
		q += ` AND id = ?`
		args = append(args, a.OperatorID)
	}
	q += ` ORDER BY id LIMIT ?`
	args = append(args, p.limit()+1)
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list operators: %w", err)
	}
	defer rows.Close()
	var out []Operator
	for rows.Next() {
		o, err := scanOperator(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list operators: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list operators: %w", err)
	}
	out, next := trimPage(out, p.limit(), func(o Operator) int64 { return o.ID })
	return out, next, nil
}

// UpdateOperator changes an operator's name, registration number and contact. Admins do,
// and the operator's own compliance officer. The code never changes: other systems use it.
func (s *Store) UpdateOperator(ctx context.Context, a access.Actor, code string, in OperatorInput) (Operator, error) {
	before, err := s.Operator(ctx, a, code)
	if err != nil {
		return Operator{}, err
	}
	if !a.Writes(access.RoleAdmin) && !(a.Writes(access.RoleOperator) && a.OperatorID == before.ID) {
		return Operator{}, errkind.Forbidden("only an admin or the operator's own compliance officer changes an operator")
	}
	in.Code = before.Code
	in, err = in.validate()
	if err != nil {
		return Operator{}, err
	}
	var after Operator
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE operators SET name = ?, registration_no = ?, contact = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.RegistrationNo, in.Contact, s.stamp(), before.ID); err != nil {
			return fmt.Errorf("update operator: %w", err)
		}
		after, err = scanOperator(tx.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = ?`, before.ID))
		if err != nil {
			return fmt.Errorf("read operator: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "operator.update", ObjectType: "operator", ObjectID: after.Code, OperatorID: after.ID, Before: before, After: after})
	})
	return after, err
}

// DeleteOperator removes an operator that has no networks and no users left.
func (s *Store) DeleteOperator(ctx context.Context, a access.Actor, code string) error {
	before, err := s.Operator(ctx, a, code)
	if err != nil {
		return err
	}
	if !a.Writes(access.RoleAdmin) {
		return errkind.Forbidden("only an admin removes operators")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM operators WHERE id = ?`, before.ID)
		if isForeignKey(err) {
			return errkind.Conflict("operator %s still has networks or users", before.Code)
		}
		if err != nil {
			return fmt.Errorf("delete operator: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "operator.delete", ObjectType: "operator", ObjectID: before.Code, OperatorID: before.ID, Before: before})
	})
}
