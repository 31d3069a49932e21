package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// PartInput declares a part of a network critical beyond annex 6 (63.1).
type PartInput struct {
	Code        string `json:"code"`
	NameEN      string `json:"name_en"`
	NameLV      string `json:"name_lv"`
	Description string `json:"description"`
}

// Custom codes must not look like annex-6 codes, so that "4.1" always means the AMF.
var customCodeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,31}$`)

func (in PartInput) validate() (PartInput, error) {
	v := &errkind.ValidationError{}
	in.Code = strings.TrimSpace(in.Code)
	if !customCodeRE.MatchString(in.Code) {
		v.Add("code", "must start with a letter and hold up to 32 letters, digits, '.', '-' or '_' (annex-6 codes are reserved)")
	} else if _, ok := ParseAnnex6(in.Code); ok {
		v.Add("code", "%q is an annex-6 function; a declared part needs a code of its own", in.Code)
	}
	in.NameEN = text(v, "name_en", in.NameEN, maxName, false)
	in.NameLV = text(v, "name_lv", in.NameLV, maxName, false)
	if in.NameEN == "" && in.NameLV == "" {
		v.Add("name_en", "a name in English or Latvian is required")
	}
	in.Description = text(v, "description", in.Description, maxText, false)
	return in, v.Err()
}

// CriticalParts lists annex 6 and, for a network the actor may see, the parts its operator
// declared critical in it.
func (s *Store) CriticalParts(ctx context.Context, a access.Actor, networkID int64) ([]CriticalPart, error) {
	parts := Annex6()
	if networkID == 0 {
		return parts, nil
	}
	if _, err := s.Network(ctx, a, networkID); err != nil {
		return nil, err
	}
	custom, err := s.customParts(ctx, s.db.Read, networkID)
	if err != nil {
		return nil, err
	}
	return append(parts, custom...), nil
}

func (s *Store) customParts(ctx context.Context, q querier, networkID int64) ([]CriticalPart, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name_en, name_lv, description FROM custom_parts WHERE network_id = ? ORDER BY code`, networkID)
	if err != nil {
		return nil, fmt.Errorf("list declared parts: %w", err)
	}
	defer rows.Close()
	var out []CriticalPart
	for rows.Next() {
		p := CriticalPart{Custom: true, NetworkID: networkID, Technology: TechOther}
		if err := rows.Scan(&p.Code, &p.NameEN, &p.NameLV, &p.DescriptionEN); err != nil {
			return nil, fmt.Errorf("list declared parts: %w", err)
		}
		p.DescriptionLV = p.DescriptionEN
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeclarePart adds a critical part of the operator's own to a network (63.1).
func (s *Store) DeclarePart(ctx context.Context, a access.Actor, networkID int64, in PartInput) (CriticalPart, error) {
	n, err := s.Network(ctx, a, networkID)
	if err != nil {
		return CriticalPart{}, err
	}
	if !a.KeepsInventory(n.OperatorID) {
		return CriticalPart{}, errkind.Forbidden("only the operator's own users declare critical parts")
	}
	in, err = in.validate()
	if err != nil {
		return CriticalPart{}, err
	}
	p := CriticalPart{Code: in.Code, NameEN: in.NameEN, NameLV: in.NameLV, DescriptionEN: in.Description, DescriptionLV: in.Description,
		Technology: TechOther, Custom: true, NetworkID: networkID}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO custom_parts (network_id, code, name_en, name_lv, description) VALUES (?, ?, ?, ?, ?)`,
			networkID, in.Code, in.NameEN, in.NameLV, in.Description)
		if isUnique(err) {
			return errkind.Invalid("code", "network %d already has a part %q", networkID, in.Code)
		}
		if err != nil {
			return fmt.Errorf("declare part: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "critical_part.declare", ObjectType: "critical_part",
			ObjectID: fmt.Sprintf("%d/%s", networkID, in.Code), OperatorID: n.OperatorID, After: p})
	})
	return p, err
}

// WithdrawPart removes a declared part that no item is in.
func (s *Store) WithdrawPart(ctx context.Context, a access.Actor, networkID int64, code string) error {
	n, err := s.Network(ctx, a, networkID)
	if err != nil {
		return err
	}
	if !a.KeepsInventory(n.OperatorID) {
		return errkind.Forbidden("only the operator's own users withdraw critical parts")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM items WHERE network_id = ? AND critical_part = ?`, networkID, code).Scan(&used); err != nil {
			return fmt.Errorf("withdraw part: %w", err)
		}
		if used > 0 {
			return errkind.Conflict("part %q still holds %d items", code, used)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM custom_parts WHERE network_id = ? AND code = ?`, networkID, code)
		if err != nil {
			return fmt.Errorf("withdraw part: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return errkind.NotFound("critical part", code)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "critical_part.withdraw", ObjectType: "critical_part",
			ObjectID: fmt.Sprintf("%d/%s", networkID, code), OperatorID: n.OperatorID})
	})
}

// resolvePart turns what a person wrote for a critical part into its code: an annex-6 code,
// short name or name, or the code of a part declared in the network.
func (s *Store) resolvePart(ctx context.Context, q querier, networkID int64, in string) (string, bool, error) {
	if p, ok := ParseAnnex6(in); ok {
		return p.Code, true, nil
	}
	var code string
	err := q.QueryRowContext(ctx, `SELECT code FROM custom_parts WHERE network_id = ? AND code = ? COLLATE NOCASE`, networkID, strings.TrimSpace(in)).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("resolve critical part: %w", err)
	}
	return code, true, nil
}
