package vetting

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
	"critreg/inventory"
)

const opinionColumns = `o.id, o.reference, o.subject_kind, o.supplier_id, s.name, o.product, o.version_from, o.version_to, o.service,
	o.verdict, o.restriction, o.parts, o.issued_on, o.effective_on, o.public_summary, o.rationale, coalesce(o.supersedes_id, 0),
	coalesce(r.reference, ''), coalesce(r.revoked_on, ''), coalesce(r.public_summary, ''),
	coalesce(r.rationale, ''), o.created_at, o.created_by`
const opinionFrom = ` FROM vet_opinions o JOIN suppliers s ON s.id = o.supplier_id
	LEFT JOIN vet_revocations r ON r.opinion_id = o.id`

func scanOpinion(r interface{ Scan(...any) error }) (Opinion, error) {
	var o Opinion
	var parts, revRef, revOn, revSummary, created string
	err := r.Scan(&o.ID, &o.Reference, &o.SubjectKind, &o.SupplierID, &o.Supplier, &o.Product, &o.VersionFrom, &o.VersionTo, &o.Service,
		&o.Verdict, &o.Restriction, &parts, &o.IssuedOn, &o.EffectiveOn, &o.PublicSummary, &o.rationale, &o.Supersedes,
		&revRef, &revOn, &revSummary, &o.revRationale, &created, &o.createdBy)
	o.Parts = splitList(parts)
	if revRef != "" {
		o.Revocation = &Revocation{Reference: revRef, RevokedOn: revOn, PublicSummary: revSummary}
	}
	o.CreatedAt, _ = time.Parse(timeFormat, created)
	return o, err
}

func (v *Vetting) queryOpinions(ctx context.Context, q querier, where string, args ...any) ([]*Opinion, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+opinionColumns+opinionFrom+` `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read opinions: %w", err)
	}
	defer rows.Close()
	var out []*Opinion
	for rows.Next() {
		o, err := scanOpinion(rows)
		if err != nil {
			return nil, fmt.Errorf("read opinions: %w", err)
		}
		out = append(out, &o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read opinions: %w", err)
	}
	return out, supersessions(ctx, q, out...)
}

// supersessions fills in which later opinion replaces each one, and from when. Few
// opinions are ever superseded, so the replacing ones are read apart and matched in Go.
func supersessions(ctx context.Context, q querier, ops ...*Opinion) error {
	if len(ops) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, supersedes_id, effective_on FROM vet_opinions WHERE supersedes_id IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("read supersessions: %w", err)
	}
	defer rows.Close()
	by := map[int64]*Opinion{}
	for _, o := range ops {
		by[o.ID] = o
	}
	for rows.Next() {
		var id, old int64
		var from string
		if err := rows.Scan(&id, &old, &from); err != nil {
			return fmt.Errorf("read supersessions: %w", err)
		}
		if o := by[old]; o != nil {
			o.SupersededBy, o.SupersededFrom = id, from
		}
	}
	return rows.Err()
}

// opinionsFor reads the opinions on any of the suppliers given, with their status on day.
func (v *Vetting) opinionsFor(ctx context.Context, day string, suppliers ...int64) ([]*Opinion, error) {
	var ids []any
	for _, s := range suppliers {
		if s != 0 {
			ids = append(ids, s)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	ops, err := v.queryOpinions(ctx, v.db.Read, `WHERE o.supplier_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
	for _, o := range ops {
		o.statusOn(day)
	}
	return ops, err
}

// allOpinions reads every opinion with its status on day.
func (v *Vetting) allOpinions(ctx context.Context, day string) ([]*Opinion, error) {
	ops, err := v.queryOpinions(ctx, v.db.Read, `ORDER BY o.id`)
	for _, o := range ops {
		o.statusOn(day)
	}
	return ops, err
}

func opinionTx(ctx context.Context, q querier, id int64) (Opinion, error) {
	o, err := scanOpinion(q.QueryRowContext(ctx, `SELECT `+opinionColumns+opinionFrom+` WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Opinion{}, errkind.NotFound("opinion", id)
	}
	if err != nil {
		return Opinion{}, fmt.Errorf("read opinion %d: %w", id, err)
	}
	err = q.QueryRowContext(ctx, `SELECT id, effective_on FROM vet_opinions WHERE supersedes_id = ?`, id).Scan(&o.SupersededBy, &o.SupersededFrom)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Opinion{}, fmt.Errorf("read opinion %d: %w", id, err)
	}
	return o, nil
}

// withRestricted fills in the bureau's part of an opinion.
func (o Opinion) withRestricted() Opinion {
	o.Restricted = &OpinionRestricted{Rationale: o.rationale, RevocationRationale: o.revRationale, IssuedBy: o.createdBy}
	return o
}

// Opinion returns one opinion with its status on day (empty: today). The bureau reads its
// restricted part too, and that read is audited; everyone else reads the public part.
func (v *Vetting) Opinion(ctx context.Context, a access.Actor, id int64, day string) (Opinion, error) {
	day, err := asOf(day)
	if err != nil {
		return Opinion{}, err
	}
	o, err := opinionTx(ctx, v.db.Read, id)
	if err != nil {
		return Opinion{}, err
	}
	o.statusOn(day)
	if !bureau(a) {
		return redact(o, a), nil
	}
	err = v.db.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Append(ctx, tx, a, audit.Entry{Action: "opinion.read_restricted", ObjectType: "opinion", ObjectID: fmt.Sprint(id)})
	})
	if err != nil {
		return Opinion{}, err
	}
	return o.withRestricted(), nil
}

// OpinionFilter selects opinions.
type OpinionFilter struct {
	SupplierID int64
	Verdict    Verdict
	// Status keeps opinions with this status on AsOf.
	Status string
	AsOf   string
}

// Opinions lists opinions in id order, public parts only: a list never carries the
// restricted rationale, for anyone.
func (v *Vetting) Opinions(ctx context.Context, a access.Actor, f OpinionFilter, p inventory.Page) ([]Opinion, int64, error) {
	day, err := asOf(f.AsOf)
	if err != nil {
		return nil, 0, err
	}
	where := `WHERE o.id > ?`
	args := []any{p.After}
	if f.SupplierID != 0 {
		where += ` AND o.supplier_id = ?`
		args = append(args, f.SupplierID)
	}
	if f.Verdict != "" {
		where += ` AND o.verdict = ?`
		args = append(args, f.Verdict)
	}
	where += ` ORDER BY o.id`
	ops, err := v.queryOpinions(ctx, v.db.Read, where, args...)
	if err != nil {
		return nil, 0, err
	}
	limit := pageLimit(p)
	out := []Opinion{}
	for _, o := range ops {
		o.statusOn(day)
		if f.Status != "" && o.Status != f.Status {
			continue
		}
		out = append(out, redact(*o, access.Actor{}))
		if len(out) > limit {
			break
		}
	}
	out, next := trimPage(out, limit, func(o Opinion) int64 { return o.ID })
	return out, next, nil
}

// Issue records a new opinion of the bureau. With Supersedes it replaces an earlier one
// from its own effective date; the earlier one is not changed.
func (v *Vetting) Issue(ctx context.Context, a access.Actor, in OpinionInput) (Opinion, error) {
	if !a.Writes(access.RoleBureau) {
		return Opinion{}, errkind.Forbidden("only the security bureau issues opinions")
	}
	var o Opinion
	err := v.db.Tx(ctx, func(tx *sql.Tx) error {
		in, err := in.validate(ctx, tx, Day(v.now()))
		if err != nil {
			return err
		}
		if in.Supersedes != 0 {
			old, err := opinionTx(ctx, tx, in.Supersedes)
			if errors.Is(err, errkind.ErrNotFound) {
				return errkind.Invalid("supersedes", "no opinion %d", in.Supersedes)
			}
			if err != nil {
				return err
			}
			switch {
			case old.Revocation != nil:
				return errkind.Conflict("opinion %s was revoked; a revoked opinion is not superseded", old.Reference)
			case old.SupersededBy != 0:
				return errkind.Conflict("opinion %s is already superseded by opinion %d", old.Reference, old.SupersededBy)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO vet_opinions (reference, subject_kind, supplier_id, product, version_from, version_to,
			service, verdict, restriction, parts, issued_on, effective_on, public_summary, rationale, supersedes_id, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.Reference, in.SubjectKind, in.SupplierID, in.Product, in.VersionFrom, in.VersionTo, in.Service, in.Verdict, in.Restriction,
			strings.Join(in.Parts, ","), in.IssuedOn, in.EffectiveOn, in.PublicSummary, in.Rationale, nullID(in.Supersedes), v.stamp(), a.Login)
		if isUnique(err) {
			return errkind.Invalid("reference", "an opinion with reference %q exists", in.Reference)
		}
		if err != nil {
			return fmt.Errorf("insert opinion: %w", err)
		}
		id, _ := res.LastInsertId()
		if o, err = opinionTx(ctx, tx, id); err != nil {
			return err
		}
		o.statusOn(Day(v.now()))
		return audit.Append(ctx, tx, a, audit.Entry{Action: "opinion.issue", ObjectType: "opinion", ObjectID: fmt.Sprint(id), After: o.withRestricted()})
	})
	if err != nil {
		return Opinion{}, err
	}
	return o.withRestricted(), nil
}

// Revoke records the act that revokes an opinion from in.RevokedOn.
func (v *Vetting) Revoke(ctx context.Context, a access.Actor, id int64, in RevocationInput) (Opinion, error) {
	if !a.Writes(access.RoleBureau) {
		return Opinion{}, errkind.Forbidden("only the security bureau revokes opinions")
	}
	ve := &errkind.ValidationError{}
	in.Reference = ve.Text("reference", in.Reference, maxShort, true)
	in.RevokedOn = date(ve, "revoked_on", in.RevokedOn, false)
	if in.RevokedOn == "" {
		in.RevokedOn = Day(v.now())
	}
	in.PublicSummary = ve.Text("public_summary", in.PublicSummary, maxText, true)
	in.Rationale = ve.Text("rationale", in.Rationale, maxText, false)
	if err := ve.Err(); err != nil {
		return Opinion{}, err
	}
	var o Opinion
	err := v.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := opinionTx(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case before.Revocation != nil:
			return errkind.Conflict("opinion %s is already revoked", before.Reference)
		case before.SupersededBy != 0:
			return errkind.Conflict("opinion %s is superseded by opinion %d; revoke that one", before.Reference, before.SupersededBy)
		case in.RevokedOn < before.IssuedOn:
			return errkind.Invalid("revoked_on", "must not be before the opinion was issued (%s)", before.IssuedOn)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO vet_revocations (opinion_id, reference, revoked_on, public_summary, rationale, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, in.Reference, in.RevokedOn, in.PublicSummary, in.Rationale, v.stamp(), a.Login)
		if isUnique(err) {
			return errkind.Invalid("reference", "a revocation with reference %q exists", in.Reference)
		}
		if err != nil {
			return fmt.Errorf("revoke opinion %d: %w", id, err)
		}
		if o, err = opinionTx(ctx, tx, id); err != nil {
			return err
		}
		o.statusOn(Day(v.now()))
		return audit.Append(ctx, tx, a, audit.Entry{Action: "opinion.revoke", ObjectType: "opinion", ObjectID: fmt.Sprint(id),
			After: map[string]any{"revocation": o.Revocation, "revocation_rationale": in.Rationale}})
	})
	if err != nil {
		return Opinion{}, err
	}
	return o.withRestricted(), nil
}
