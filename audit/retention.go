package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"critreg/access"
	"critreg/errkind"
	"critreg/store"
)

// MinRetentionMonths is how long an audit record is kept at the least: eighteen months.
const MinRetentionMonths = 18

// Retention returns how many months audit records are kept.
func Retention(ctx context.Context, db *sql.DB) (int, error) {
	var months int
	if err := db.QueryRowContext(ctx, `SELECT months FROM audit_retention WHERE one = 1`).Scan(&months); err != nil {
		return 0, fmt.Errorf("read audit retention: %w", err)
	}
	return months, nil
}

// SetRetention lengthens the retention to months. It can only go up: a shorter retention
// would let records be deleted that an earlier promise kept. Admins set it, and the change
// is itself recorded.
func SetRetention(ctx context.Context, db *store.DB, a access.Actor, months int) error {
	if !a.Writes(access.RoleAdmin) {
		return errkind.Forbidden("only an admin sets the audit retention")
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT months FROM audit_retention WHERE one = 1`).Scan(&current); err != nil {
			return fmt.Errorf("read audit retention: %w", err)
		}
		switch {
		case months > 1200:
			return errkind.Invalid("months", "must be at most 1200")
		case months < current:
			return errkind.Invalid("months", "the retention can only be lengthened: it is %d months", current)
		case months == current:
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit_retention SET months = ?, changed_at = ? WHERE one = 1`,
			months, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
			return fmt.Errorf("set audit retention: %w", err)
		}
		return Append(ctx, tx, a, Entry{Action: "audit.retention", ObjectType: "audit", ObjectID: "retention",
			Before: map[string]int{"months": current}, After: map[string]int{"months": months}})
	})
}

// Prune deletes the audit records older than the retention at now, oldest first, and
// returns how many it deleted. The chain stays verifiable: the anchor moves to the first
// record kept, with the hash of the last one deleted, and the pruning is itself recorded
// (by the system) with that hash, so the anchor's history is in the chain. A record newer
// than the cut-off is never deleted, even one written with an earlier id under a clock that
// went back: only the unbroken run of old records at the start goes.
func Prune(ctx context.Context, db *store.DB, now time.Time) (int64, error) {
	months, err := Retention(ctx, db.Read)
	if err != nil {
		return 0, err
	}
	months = max(months, MinRetentionMonths)
	cutoff := now.UTC().AddDate(0, -months, 0)
	var deleted int64
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		var first, last int64
		if err := tx.QueryRowContext(ctx, `SELECT first FROM audit_anchor WHERE one = 1`).Scan(&first); err != nil {
			return fmt.Errorf("prune audit: read anchor: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT last FROM audit_head WHERE one = 1`).Scan(&last); err != nil {
			return fmt.Errorf("prune audit: read head: %w", err)
		}
		// The first record young enough to keep; every record before it goes.
		var keep sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT min(id) FROM audit_log WHERE at >= ?`, cutoff.Format(timeLayout)).Scan(&keep); err != nil {
			return fmt.Errorf("prune audit: %w", err)
		}
		through := last
		if keep.Valid {
			through = keep.Int64 - 1
		}
		if through < first {
			return nil
		}
		var hash string
		err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE id = ?`, through).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("prune audit: record %d is missing: verify the chain", through)
		}
		if err != nil {
			return fmt.Errorf("prune audit: %w", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE id <= ?`, through)
		if err != nil {
			return fmt.Errorf("prune audit: %w", err)
		}
		deleted, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `UPDATE audit_anchor SET first = ?, prev_hash = ? WHERE one = 1`, through+1, hash); err != nil {
			return fmt.Errorf("prune audit: move anchor: %w", err)
		}
		sys := access.System()
		return Append(ctx, tx, sys, Entry{Action: "audit.prune", ObjectType: "audit", ObjectID: fmt.Sprint(through),
			After: map[string]any{"deleted_through": through, "deleted": deleted, "anchor_hash": hash,
				"retention_months": months, "cutoff": cutoff.Format(time.RFC3339)}})
	})
	if err != nil {
		return 0, err
	}
	return deleted, nil
}
