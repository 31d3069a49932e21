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

// Share is a percentage of ownership: exact, or a range where only bounds are known (as
// registers and BODS publish "25–50 %").
type Share struct {
	Exact *float64 `json:"exact,omitempty"`
	Min   *float64 `json:"min,omitempty"`
	Max   *float64 `json:"max,omitempty"`
}

// bounds returns the share's lower and upper bound.
func (s Share) bounds() (float64, float64) {
	if s.Exact != nil {
		return *s.Exact, *s.Exact
	}
	lo, hi := 0.0, 100.0
	if s.Min != nil {
		lo = *s.Min
	}
	if s.Max != nil {
		hi = *s.Max
	}
	return lo, hi
}

// The kinds of control a statement can record besides shares. Any of them is control, and
// control is counted regardless of share.
const (
	ControlVoting         = "voting_rights"
	ControlBoard          = "appoint_board"
	ControlOther          = "other_influence"
	ControlManagement     = "senior_managing_official"
	ControlTrust          = "trust"
	ControlContract       = "contract"
	ControlLegalFramework = "legal_framework"
)

// ControlKinds lists every kind of control.
var ControlKinds = []string{ControlVoting, ControlBoard, ControlOther, ControlManagement, ControlTrust, ControlContract, ControlLegalFramework}

// Statement says that Owner owns or controls Subject, from StartDate until the day before
// EndDate (empty: open).
type Statement struct {
	ID        int64     `json:"id"`
	SubjectID int64     `json:"subject_id"`
	Subject   string    `json:"subject"`
	OwnerID   int64     `json:"owner_id"`
	Owner     string    `json:"owner"`
	Share     *Share    `json:"share,omitempty"`
	Control   []string  `json:"control"`
	StartDate string    `json:"start_date"`
	EndDate   string    `json:"end_date"`
	Source    string    `json:"source"`
	BODSID    string    `json:"bods_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// StatementInput is what a caller sets on a statement.
type StatementInput struct {
	SubjectID int64    `json:"subject_id"`
	OwnerID   int64    `json:"owner_id"`
	Share     *Share   `json:"share"`
	Control   []string `json:"control"`
	StartDate string   `json:"start_date"`
	EndDate   string   `json:"end_date"`
	Source    string   `json:"source"`
}

func validateStatement(ctx context.Context, q querier, in StatementInput) (StatementInput, error) {
	ve := &errkind.ValidationError{}
	for _, f := range []struct {
		name string
		id   int64
	}{{"subject_id", in.SubjectID}, {"owner_id", in.OwnerID}} {
		if f.id == 0 {
			ve.Add(f.name, "is required")
			continue
		}
		p, err := partyTx(ctx, q, f.id)
		switch {
		case errors.Is(err, errkind.ErrNotFound):
			ve.Add(f.name, "no party %d", f.id)
		case err != nil:
			return in, err
		case f.name == "subject_id" && (p.Kind == PartyPerson || p.Kind == PartyState):
			ve.Add(f.name, "%s is a %s: nobody owns or controls one", p.Name, strings.ReplaceAll(string(p.Kind), "_", " "))
		}
	}
	if in.SubjectID != 0 && in.SubjectID == in.OwnerID {
		ve.Add("owner_id", "a party does not own itself")
	}
	if in.Share != nil {
		s := *in.Share
		for _, b := range []struct {
			name string
			v    *float64
		}{{"share.exact", s.Exact}, {"share.min", s.Min}, {"share.max", s.Max}} {
			if b.v != nil && (*b.v < 0 || *b.v > 100) {
				ve.Add(b.name, "must be a percentage from 0 to 100")
			}
		}
		switch {
		case s.Exact != nil && (s.Min != nil || s.Max != nil):
			ve.Add("share", "give either exact or a min/max range")
		case s.Exact == nil && s.Min == nil && s.Max == nil:
			in.Share = nil
		case s.Min != nil && s.Max != nil && *s.Min > *s.Max:
			ve.Add("share.max", "must not be below min")
		}
	}
	ctl := []string{}
	for _, c := range in.Control {
		if !slices.Contains(ControlKinds, c) {
			ve.Add("control", "unknown kind of control %q (want one of %s)", c, strings.Join(ControlKinds, ", "))
		} else if !slices.Contains(ctl, c) {
			ctl = append(ctl, c)
		}
	}
	in.Control = ctl
	if in.Share == nil && len(in.Control) == 0 {
		ve.Add("share", "a statement records a share, a kind of control, or both")
	}
	in.StartDate = date(ve, "start_date", in.StartDate, false)
	in.EndDate = date(ve, "end_date", in.EndDate, false)
	if in.StartDate != "" && in.EndDate != "" && in.EndDate <= in.StartDate {
		ve.Add("end_date", "must be after start_date")
	}
	in.Source = ve.Text("source", in.Source, maxText, true)
	return in, ve.Err()
}

const statementColumns = `o.id, o.subject_id, s.name, o.owner_id, w.name, o.share_min, o.share_max, o.control, o.start_date, o.end_date,
	o.source, coalesce(o.bods_id, ''), o.created_at, o.updated_at`
const statementFrom = ` FROM vet_ownership o JOIN vet_parties s ON s.id = o.subject_id JOIN vet_parties w ON w.id = o.owner_id`

func scanStatement(r interface{ Scan(...any) error }) (Statement, error) {
	var st Statement
	var lo, hi sql.NullFloat64
	var ctl, created, updated string
	err := r.Scan(&st.ID, &st.SubjectID, &st.Subject, &st.OwnerID, &st.Owner, &lo, &hi, &ctl, &st.StartDate, &st.EndDate,
		&st.Source, &st.BODSID, &created, &updated)
	st.Share = shareOf(lo, hi)
	st.Control = splitList(ctl)
	st.CreatedAt, _ = time.Parse(timeFormat, created)
	st.UpdatedAt, _ = time.Parse(timeFormat, updated)
	return st, err
}

func shareOf(lo, hi sql.NullFloat64) *Share {
	switch {
	case !lo.Valid && !hi.Valid:
		return nil
	case lo.Valid && hi.Valid && lo.Float64 == hi.Float64:
		return &Share{Exact: &lo.Float64}
	}
	s := &Share{}
	if lo.Valid {
		s.Min = &lo.Float64
	}
	if hi.Valid {
		s.Max = &hi.Float64
	}
	return s
}

// shareColumns returns what a share stores as: exact shares as equal bounds.
func shareColumns(s *Share) (any, any) {
	if s == nil {
		return nil, nil
	}
	if s.Exact != nil {
		return *s.Exact, *s.Exact
	}
	var lo, hi any
	if s.Min != nil {
		lo = *s.Min
	}
	if s.Max != nil {
		hi = *s.Max
	}
	return lo, hi
}

func statementTx(ctx context.Context, q querier, id int64) (Statement, error) {
	st, err := scanStatement(q.QueryRowContext(ctx, `SELECT `+statementColumns+statementFrom+` WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Statement{}, errkind.NotFound("ownership statement", id)
	}
	if err != nil {
		return Statement{}, fmt.Errorf("read ownership statement %d: %w", id, err)
	}
	return st, nil
}

// Statement returns one ownership-or-control statement.
func (v *Vetting) Statement(ctx context.Context, a access.Actor, id int64) (Statement, error) {
	if err := needBureau(a); err != nil {
		return Statement{}, err
	}
	return statementTx(ctx, v.db.Read, id)
}

// StatementFilter selects statements.
type StatementFilter struct {
	SubjectID int64
	OwnerID   int64
	// PartyID selects statements with the party on either side.
	PartyID int64
}

// Statements lists ownership-or-control statements in id order.
func (v *Vetting) Statements(ctx context.Context, a access.Actor, f StatementFilter, p inventory.Page) ([]Statement, int64, error) {
	if err := needBureau(a); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + statementColumns + statementFrom + ` WHERE o.id > ?`
	args := []any{p.After}
	if f.SubjectID != 0 {
		q += ` AND o.subject_id = ?`
		args = append(args, f.SubjectID)
	}
	if f.OwnerID != 0 {
		q += ` AND o.owner_id = ?`
		args = append(args, f.OwnerID)
	}
	if f.PartyID != 0 {
		q += ` AND (o.subject_id = ? OR o.owner_id = ?)`
		args = append(args, f.PartyID, f.PartyID)
	}
	limit := pageLimit(p)
	q += ` ORDER BY o.id LIMIT ?`
	args = append(args, limit+1)
	rows, err := v.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list ownership statements: %w", err)
	}
	defer rows.Close()
	var out []Statement
	for rows.Next() {
		st, err := scanStatement(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list ownership statements: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list ownership statements: %w", err)
	}
	out, next := trimPage(out, limit, func(s Statement) int64 { return s.ID })
	return out, next, nil
}

// CreateStatement records who owns or controls whom.
func (v *Vetting) CreateStatement(ctx context.Context, a access.Actor, in StatementInput) (Statement, error) {
	if err := needBureauWrite(a); err != nil {
		return Statement{}, err
	}
	var st Statement
	err := v.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = v.createStatementTx(ctx, tx, a, in, "")
		return err
	})
	return st, err
}

func (v *Vetting) createStatementTx(ctx context.Context, tx *sql.Tx, a access.Actor, in StatementInput, bodsID string) (Statement, error) {
	in, err := validateStatement(ctx, tx, in)
	if err != nil {
		return Statement{}, err
	}
	lo, hi := shareColumns(in.Share)
	now := v.stamp()
	res, err := tx.ExecContext(ctx, `INSERT INTO vet_ownership (subject_id, owner_id, share_min, share_max, control, start_date, end_date, source, bods_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.SubjectID, in.OwnerID, lo, hi, strings.Join(in.Control, ","), in.StartDate, in.EndDate,
		in.Source, nullText(bodsID), now, now)
	if err != nil {
		return Statement{}, fmt.Errorf("insert ownership statement: %w", err)
	}
	id, _ := res.LastInsertId()
	st, err := statementTx(ctx, tx, id)
	if err != nil {
		return Statement{}, err
	}
	return st, audit.Append(ctx, tx, a, audit.Entry{Action: "ownership.create", ObjectType: "ownership", ObjectID: fmt.Sprint(id), After: st})
}

// UpdateStatement changes a statement (a corrected share, an end date).
func (v *Vetting) UpdateStatement(ctx context.Context, a access.Actor, id int64, in StatementInput) (Statement, error) {
	if err := needBureauWrite(a); err != nil {
		return Statement{}, err
	}
	var after Statement
	err := v.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		after, err = v.updateStatementTx(ctx, tx, a, id, in)
		return err
	})
	return after, err
}

func (v *Vetting) updateStatementTx(ctx context.Context, tx *sql.Tx, a access.Actor, id int64, in StatementInput) (Statement, error) {
	before, err := statementTx(ctx, tx, id)
	if err != nil {
		return Statement{}, err
	}
	if in, err = validateStatement(ctx, tx, in); err != nil {
		return Statement{}, err
	}
	lo, hi := shareColumns(in.Share)
	if _, err := tx.ExecContext(ctx, `UPDATE vet_ownership SET subject_id = ?, owner_id = ?, share_min = ?, share_max = ?, control = ?,
		start_date = ?, end_date = ?, source = ?, updated_at = ? WHERE id = ?`, in.SubjectID, in.OwnerID, lo, hi, strings.Join(in.Control, ","),
		in.StartDate, in.EndDate, in.Source, v.stamp(), id); err != nil {
		return Statement{}, fmt.Errorf("update ownership statement %d: %w", id, err)
	}
	after, err := statementTx(ctx, tx, id)
	if err != nil {
		return Statement{}, err
	}
	return after, audit.Append(ctx, tx, a, audit.Entry{Action: "ownership.update", ObjectType: "ownership", ObjectID: fmt.Sprint(id), Before: before, After: after})
}

// DeleteStatement removes a statement recorded in error. A statement that stopped being
// true gets an end date instead, so that evaluations of earlier days still see it.
func (v *Vetting) DeleteStatement(ctx context.Context, a access.Actor, id int64) error {
	if err := needBureauWrite(a); err != nil {
		return err
	}
	return v.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := statementTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM vet_ownership WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete ownership statement %d: %w", id, err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "ownership.delete", ObjectType: "ownership", ObjectID: fmt.Sprint(id), Before: before})
	})
}
