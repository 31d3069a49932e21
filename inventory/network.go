package inventory

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
)

// Network is one of an operator's public electronic communications networks.
type Network struct {
	ID         int64      `json:"id"`
	OperatorID int64      `json:"operator_id"`
	Operator   string     `json:"operator"`
	Name       string     `json:"name"`
	Technology Technology `json:"technology"`
	// Legacy marks a network in operation or under construction when the rules took effect:
	// point 64 binds it from 2030-01-01 (point 123).
	Legacy      bool      `json:"legacy"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// NetworkInput is what a caller sets on a network. Operator is the operator's code.
type NetworkInput struct {
	Operator    string     `json:"operator"`
	Name        string     `json:"name"`
	Technology  Technology `json:"technology"`
	Legacy      bool       `json:"legacy"`
	Description string     `json:"description"`
}

func (in NetworkInput) validate() (NetworkInput, error) {
	v := &errkind.ValidationError{}
	in.Name = text(v, "name", in.Name, maxName, true)
	in.Description = text(v, "description", in.Description, maxText, false)
	if !slices.Contains(NetworkTechnologies, in.Technology) {
		v.Add("technology", "must be one of 4G, 5G, fixed, transport, other")
	}
	return in, v.Err()
}

const networkColumns = `n.id, n.operator_id, o.code, n.name, n.technology, n.legacy, n.description, n.created_at, n.updated_at`
const networkFrom = ` FROM networks n JOIN operators o ON o.id = n.operator_id`

func scanNetwork(r interface{ Scan(...any) error }) (Network, error) {
	var n Network
	var created, updated string
	err := r.Scan(&n.ID, &n.OperatorID, &n.Operator, &n.Name, &n.Technology, &n.Legacy, &n.Description, &created, &updated)
	n.CreatedAt, n.UpdatedAt = parseTime(created), parseTime(updated)
	return n, err
}

// CreateNetwork adds a network to an operator. The operator's own users do; an operator's
// user may omit the operator code.
func (s *Store) CreateNetwork(ctx context.Context, a access.Actor, in NetworkInput) (Network, error) {
	if in.Operator == "" && a.Role.OperatorScoped() {
		o, err := s.OperatorByID(ctx, a, a.OperatorID)
		if err != nil {
			return Network{}, err
		}
		in.Operator = o.Code
	}
	if strings.TrimSpace(in.Operator) == "" {
		return Network{}, errkind.Invalid("operator", "is required")
	}
	op, err := s.Operator(ctx, a, in.Operator)
	if errors.Is(err, errkind.ErrNotFound) {
		return Network{}, errkind.Invalid("operator", "no operator %q", in.Operator)
	}
	if err != nil {
		return Network{}, err
	}
	if !a.KeepsInventory(op.ID) {
		return Network{}, errkind.Forbidden("only the operator's own users add networks")
	}
	in, err = in.validate()
	if err != nil {
		return Network{}, err
	}
	var n Network
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO networks (operator_id, name, technology, legacy, description, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, op.ID, in.Name, in.Technology, in.Legacy, in.Description, now, now)
		if isUnique(err) {
			return errkind.Invalid("name", "operator %s already has a network named %q", op.Code, in.Name)
		}
		if err != nil {
			return fmt.Errorf("insert network: %w", err)
		}
		id, _ := res.LastInsertId()
		if n, err = s.networkTx(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "network.create", ObjectType: "network", ObjectID: fmt.Sprint(n.ID), OperatorID: op.ID, After: n})
	})
	return n, err
}

func (s *Store) networkTx(ctx context.Context, q querier, id int64) (Network, error) {
	n, err := scanNetwork(q.QueryRowContext(ctx, `SELECT `+networkColumns+networkFrom+` WHERE n.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Network{}, errkind.NotFound("network", id)
	}
	if err != nil {
		return Network{}, fmt.Errorf("read network %d: %w", id, err)
	}
	return n, nil
}

// querier is what *sql.DB and *sql.Tx share, so a read can run inside or outside a write.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Network returns one network, if the actor may see it.
func (s *Store) Network(ctx context.Context, a access.Actor, id int64) (Network, error) {
	n, err := s.networkTx(ctx, s.db.Read, id)
	if err != nil {
		return Network{}, err
	}
	if !a.Sees(n.OperatorID) {
		return Network{}, errkind.NotFound("network", id)
	}
	return n, nil
}

// NetworkFilter selects networks.
type NetworkFilter struct {
	Operator string // operator code
}

// Networks lists the networks the actor may see.
func (s *Store) Networks(ctx context.Context, a access.Actor, f NetworkFilter, p Page) ([]Network, int64, error) {
	q := `SELECT ` + networkColumns + networkFrom + ` WHERE n.id > ?`
	args := []any{p.After}
	if !a.SeesAll() {
		q += ` AND n.operator_id = ?`
		args = append(args, a.OperatorID)
	}
	if f.Operator != "" {
		q += ` AND o.code = ?`
		args = append(args, strings.ToUpper(f.Operator))
	}
	q += ` ORDER BY n.id LIMIT ?`
	args = append(args, p.limit()+1)
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list networks: %w", err)
	}
	defer rows.Close()
	var out []Network
	for rows.Next() {
		n, err := scanNetwork(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list networks: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list networks: %w", err)
	}
	out, next := trimPage(out, p.limit(), func(n Network) int64 { return n.ID })
	return out, next, nil
}

// UpdateNetwork changes a network's name, technology, legacy flag and description. It never
// moves a network to another operator.
func (s *Store) UpdateNetwork(ctx context.Context, a access.Actor, id int64, in NetworkInput) (Network, error) {
	before, err := s.Network(ctx, a, id)
	if err != nil {
		return Network{}, err
	}
	if !a.KeepsInventory(before.OperatorID) {
		return Network{}, errkind.Forbidden("only the operator's own users change its networks")
	}
	if in.Operator != "" && !strings.EqualFold(in.Operator, before.Operator) {
		return Network{}, errkind.Invalid("operator", "a network cannot move to another operator")
	}
	in, err = in.validate()
	if err != nil {
		return Network{}, err
	}
	var after Network
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE networks SET name = ?, technology = ?, legacy = ?, description = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.Technology, in.Legacy, in.Description, s.stamp(), id)
		if isUnique(err) {
			return errkind.Invalid("name", "operator %s already has a network named %q", before.Operator, in.Name)
		}
		if err != nil {
			return fmt.Errorf("update network: %w", err)
		}
		if after, err = s.networkTx(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "network.update", ObjectType: "network", ObjectID: fmt.Sprint(id), OperatorID: after.OperatorID, Before: before, After: after})
	})
	return after, err
}

// DeleteNetwork removes a network that holds no items.
func (s *Store) DeleteNetwork(ctx context.Context, a access.Actor, id int64) error {
	before, err := s.Network(ctx, a, id)
	if err != nil {
		return err
	}
	if !a.KeepsInventory(before.OperatorID) {
		return errkind.Forbidden("only the operator's own users remove its networks")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM networks WHERE id = ?`, id)
		if isForeignKey(err) {
			return errkind.Conflict("network %d still holds items", id)
		}
		if err != nil {
			return fmt.Errorf("delete network: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "network.delete", ObjectType: "network", ObjectID: fmt.Sprint(id), OperatorID: before.OperatorID, Before: before})
	})
}
