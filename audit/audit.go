// Package audit keeps critreg's audit trail: one record for every change, login and read of
// restricted data, written in the same transaction as what it records, and chained by
// SHA-256 so that an edited or deleted record is found by Verify.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"critreg/access"
	"critreg/store"
)

// Schema is the audit trail's table. The chain head is kept apart so that deleting the
// newest records is found as well as editing old ones.
var Schema = store.Schema{Package: "audit", Migrations: []store.Migration{{
	Name: "audit log and chain head",
	SQL: `
CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY,
	at          TEXT    NOT NULL,
	ip          TEXT    NOT NULL,
	user_id     INTEGER NOT NULL,
	login       TEXT    NOT NULL,
	role        TEXT    NOT NULL,
	via         TEXT    NOT NULL,
	operator_id INTEGER NOT NULL,
	action      TEXT    NOT NULL,
	object_type TEXT    NOT NULL,
	object_id   TEXT    NOT NULL,
	before      TEXT,
	after       TEXT,
	prev_hash   TEXT    NOT NULL,
	hash        TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_operator ON audit_log (operator_id, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
CREATE TABLE audit_head (
	one   INTEGER PRIMARY KEY CHECK (one = 1),
	last  INTEGER NOT NULL,
	hash  TEXT    NOT NULL
) STRICT;
INSERT INTO audit_head (one, last, hash) VALUES (1, 0, '');
`}, {
	Name: "retention and the anchor of pruned records",
	SQL: `
CREATE TABLE audit_retention (
	one        INTEGER PRIMARY KEY CHECK (one = 1),
	months     INTEGER NOT NULL CHECK (months >= 18),
	changed_at TEXT    NOT NULL
) STRICT;
INSERT INTO audit_retention (one, months, changed_at) VALUES (1, 18, '');
CREATE TABLE audit_anchor (
	one       INTEGER PRIMARY KEY CHECK (one = 1),
	first     INTEGER NOT NULL,
	prev_hash TEXT    NOT NULL
) STRICT;
INSERT INTO audit_anchor (one, first, prev_hash) VALUES (1, 1, '');
`}}}

// Entry is what a caller records; who and when come from the Actor and the clock.
type Entry struct {
	// Action is a verb with its object: "item.create", "user.login", "opinion.read".
	Action     string
	ObjectType string
	ObjectID   string
	// OperatorID is the operator the object belongs to (0 for shared objects), so that an
	// operator's users can read the records about their own data.
	OperatorID int64
	// Before and After are the object's state; nil where there is none.
	Before, After any
}

// Record is one stored audit record.
type Record struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	IP         string          `json:"ip"`
	UserID     int64           `json:"user_id"`
	Login      string          `json:"login"`
	Role       string          `json:"role"`
	Via        string          `json:"via"`
	OperatorID int64           `json:"operator_id"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

const timeLayout = "2006-01-02T15:04:05.000000000Z"

// Append writes one record inside tx, chained to the record before it. The writer
// connection serialises transactions, so reading the head and writing the next record
// cannot interleave with another append.
func Append(ctx context.Context, tx *sql.Tx, a access.Actor, e Entry) error {
	return appendAt(ctx, tx, a, e, time.Now())
}

func appendAt(ctx context.Context, tx *sql.Tx, a access.Actor, e Entry, now time.Time) error {
	before, err := marshal(e.Before)
	if err != nil {
		return fmt.Errorf("audit %s: before: %w", e.Action, err)
	}
	after, err := marshal(e.After)
	if err != nil {
		return fmt.Errorf("audit %s: after: %w", e.Action, err)
	}
	var last int64
	var prev string
	if err := tx.QueryRowContext(ctx, `SELECT last, hash FROM audit_head WHERE one = 1`).Scan(&last, &prev); err != nil {
		return fmt.Errorf("audit %s: read chain head: %w", e.Action, err)
	}
	r := Record{
		ID: last + 1, At: now.UTC(), IP: a.IP, UserID: a.UserID, Login: a.Login, Role: string(a.Role),
		Via: a.Via, OperatorID: e.OperatorID, Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
		Before: before, After: after, PrevHash: prev,
	}
	r.Hash = r.digest()
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log
		(id, at, ip, user_id, login, role, via, operator_id, action, object_type, object_id, before, after, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.At.Format(timeLayout), r.IP, r.UserID, r.Login, r.Role, r.Via, r.OperatorID, r.Action,
		r.ObjectType, r.ObjectID, nullable(r.Before), nullable(r.After), r.PrevHash, r.Hash)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET last = ?, hash = ? WHERE one = 1`, r.ID, r.Hash); err != nil {
		return fmt.Errorf("audit %s: move chain head: %w", e.Action, err)
	}
	return nil
}

// Write writes a single record in a transaction of its own, for events that change
// nothing else (a login, a read of restricted data).
func Write(ctx context.Context, db *store.DB, a access.Actor, e Entry) error {
	return db.Tx(ctx, func(tx *sql.Tx) error { return Append(ctx, tx, a, e) })
}

func marshal(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return raw, nil
	}
	return json.Marshal(v)
}

func nullable(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// digest is the record's hash: SHA-256 over every field, each length-prefixed so that no
// two different records serialise alike, and over the previous record's hash.
func (r Record) digest() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(r.ID, 10), r.At.UTC().Format(timeLayout), r.IP, strconv.FormatInt(r.UserID, 10),
		r.Login, r.Role, r.Via, strconv.FormatInt(r.OperatorID, 10), r.Action, r.ObjectType, r.ObjectID,
		nullMark(r.Before), nullMark(r.After), r.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func nullMark(b json.RawMessage) string {
	if b == nil {
		return "\x00null"
	}
	return string(b)
}

// BreakError names the first record at which the chain does not hold.
type BreakError struct {
	ID     int64
	Reason string
}

func (e *BreakError) Error() string {
	return fmt.Sprintf("audit chain broken at record %d: %s", e.ID, e.Reason)
}

// Verify walks the whole chain from its anchor and returns the number of records checked, or a *BreakError
// naming the first record that was edited, inserted or follows a deleted one.
func Verify(ctx context.Context, db *sql.DB) (int64, error) {
	// The chain starts at the anchor: record 1, or the first record Prune kept, linked to
	// the hash of the last record it deleted.
	var n, wantID int64 = 0, 1
	prev := ""
	// Databases from before pruning existed (a restored old backup) have no anchor table.
	var anchors int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_anchor'`).Scan(&anchors); err != nil {
		return 0, fmt.Errorf("verify audit chain: %w", err)
	}
	if anchors > 0 {
		if err := db.QueryRowContext(ctx, `SELECT first, prev_hash FROM audit_anchor WHERE one = 1`).Scan(&wantID, &prev); err != nil {
			return 0, fmt.Errorf("verify audit chain: read anchor: %w", err)
		}
	}
	// A moved anchor must be named by the audit.prune record that moved it, so that deleting
	// old records and moving the anchor by hand is found too.
	anchor, anchorHash, anchored := wantID, prev, wantID == 1
	rows, err := db.QueryContext(ctx, `SELECT `+columns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("verify audit chain: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return n, fmt.Errorf("verify audit chain: %w", err)
		}
		switch {
		case r.ID != wantID:
			return n, &BreakError{ID: r.ID, Reason: fmt.Sprintf("expected record %d next: records were deleted", wantID)}
		case r.PrevHash != prev:
			return n, &BreakError{ID: r.ID, Reason: "does not link to the record before it"}
		case r.digest() != r.Hash:
			return n, &BreakError{ID: r.ID, Reason: "content does not match its hash: the record was changed"}
		}
		if !anchored && r.Action == "audit.prune" && r.ObjectID == strconv.FormatInt(anchor-1, 10) && strings.Contains(string(r.After), anchorHash) {
			anchored = true
		}
		prev, wantID = r.Hash, wantID+1
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("verify audit chain: %w", err)
	}
	var last int64
	var head string
	if err := db.QueryRowContext(ctx, `SELECT last, hash FROM audit_head WHERE one = 1`).Scan(&last, &head); err != nil {
		return n, fmt.Errorf("verify audit chain: read head: %w", err)
	}
	if !anchored {
		return n, &BreakError{ID: anchor, Reason: "the chain starts at a record no pruning recorded: older records were deleted"}
	}
	if last != wantID-1 || head != prev {
		return n, &BreakError{ID: last, Reason: fmt.Sprintf("chain head names record %d but the log ends at %d: the newest records were deleted or the head was changed", last, wantID-1)}
	}
	return n, nil
}

const columns = `id, at, ip, user_id, login, role, via, operator_id, action, object_type, object_id, before, after, prev_hash, hash`

func scan(s interface{ Scan(...any) error }) (Record, error) {
	var r Record
	var at string
	var before, after sql.NullString
	if err := s.Scan(&r.ID, &at, &r.IP, &r.UserID, &r.Login, &r.Role, &r.Via, &r.OperatorID, &r.Action,
		&r.ObjectType, &r.ObjectID, &before, &after, &r.PrevHash, &r.Hash); err != nil {
		return r, err
	}
	t, err := time.Parse(timeLayout, at)
	if err != nil {
		return r, fmt.Errorf("record %d: time %q: %w", r.ID, at, err)
	}
	r.At = t
	if before.Valid {
		r.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		r.After = json.RawMessage(after.String)
	}
	return r, nil
}

// Filter selects audit records.
type Filter struct {
	ObjectType string
	ObjectID   string
	Action     string // prefix match: "item." selects every item action
	// After is the cursor: records with a smaller id than this (newest first).
	Before int64
	Limit  int
}

// List returns records newest first. Bureau and admin users see every record; an operator's
// users see the records about their own operator's objects.
func List(ctx context.Context, db *sql.DB, a access.Actor, f Filter) ([]Record, error) {
	var where []string
	var args []any
	if !a.SeesAll() {
		where = append(where, "operator_id = ?")
		args = append(args, a.OperatorID)
		if a.OperatorID == 0 {
			return nil, nil
		}
	}
	if f.ObjectType != "" {
		where = append(where, "object_type = ?")
		args = append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		where = append(where, "object_id = ?")
		args = append(args, f.ObjectID)
	}
	if f.Action != "" {
		where = append(where, "substr(action, 1, ?) = ?")
		args = append(args, len(f.Action), f.Action)
	}
	if f.Before > 0 {
		where = append(where, "id < ?")
		args = append(args, f.Before)
	}
	q := `SELECT ` + columns + ` FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit records: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list audit records: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Each calls fn for every record, oldest first: the export of the trail as JSON lines.
func Each(ctx context.Context, db *sql.DB, fn func(Record) error) error {
	rows, err := db.QueryContext(ctx, `SELECT `+columns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read audit records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return fmt.Errorf("read audit records: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
