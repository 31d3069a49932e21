package account

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// Sign-in throttling. Failed attempts (wrong password, wrong second factor) are counted per
// login and per client address over a sliding window. Once a login reaches its limit it is
// locked for a minute, and every further failure after the lock ends doubles the lock, up to
// an hour; an address gets a higher limit, since many honest users may share one. Attempts
// made while locked are refused without checking the password and do not lengthen the lock,
// so that an attacker cannot keep an account shut for ever by hammering it.
const (
	throttleWindow    = time.Hour
	loginFailureLimit = 5
	ipFailureLimit    = 20
	lockoutBase       = time.Minute
	lockoutMax        = time.Hour
)

// LockedError is a sign-in refused because the login or the address failed too often.
// It is errkind.ErrUnauthenticated to callers that only ask that.
type LockedError struct {
	Until time.Time
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed sign-ins: try again after %s UTC", e.Until.UTC().Format("15:04:05"))
}

// Unwrap makes a lockout an authentication failure.
func (e *LockedError) Unwrap() error { return errkind.ErrUnauthenticated }

// lockoutFor is how long a key with n failures in the window stays locked after the last.
func lockoutFor(n, limit int) time.Duration {
	if n < limit {
		return 0
	}
	d := lockoutBase
	for i := limit; i < n && d < lockoutMax; i++ {
		d *= 2
	}
	return min(d, lockoutMax)
}

type throttleKey struct {
	kind, key string
	limit     int
}

func throttleKeys(login, ip string) []throttleKey {
	keys := []throttleKey{{"login", strings.ToLower(login), loginFailureLimit}}
	if ip != "" {
		keys = append(keys, throttleKey{"ip", ip, ipFailureLimit})
	}
	return keys
}

// lockedUntil returns when the lockout of the login or of the address ends; the zero time
// when neither is locked at now.
func (s *Accounts) lockedUntil(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, login, ip string, now time.Time) (time.Time, error) {
	var until time.Time
	for _, k := range throttleKeys(login, ip) {
		var n int
		var last string
		err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(max(at), '') FROM signin_failures WHERE kind = ? AND key = ? AND at > ?`,
			k.kind, k.key, now.Add(-throttleWindow).Format(time.RFC3339Nano)).Scan(&n, &last)
		if err != nil {
			return time.Time{}, fmt.Errorf("read sign-in failures: %w", err)
		}
		if d := lockoutFor(n, k.limit); d > 0 {
			t, _ := time.Parse(time.RFC3339Nano, last)
			if u := t.Add(d); u.After(now) && u.After(until) {
				until = u
			}
		}
	}
	return until, nil
}

// checkThrottle refuses an attempt on a locked login or address, recording the refusal.
func (s *Accounts) checkThrottle(ctx context.Context, a access.Actor, login, ip string, e audit.Entry) error {
	until, err := s.lockedUntil(ctx, s.db.Read, login, ip, s.now().UTC())
	if err != nil || until.IsZero() {
		return err
	}
	e.After = map[string]string{"reason": "locked out", "until": until.Format(time.RFC3339)}
	if err := audit.Write(ctx, s.db, a, e); err != nil {
		return err
	}
	return &LockedError{Until: until}
}

// recordFailure counts a failed attempt inside tx and, when it locks the login or the
// address, records the lockout in the audit trail.
func (s *Accounts) recordFailure(ctx context.Context, tx *sql.Tx, a access.Actor, login, ip string, operatorID int64) error {
	now := s.now().UTC()
	for _, k := range throttleKeys(login, ip) {
		// Failures older than the window count no more: drop this key's.
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE kind = ? AND key = ? AND at <= ?`,
			k.kind, k.key, now.Add(-throttleWindow).Format(time.RFC3339Nano)); err != nil {
			return fmt.Errorf("sweep sign-in failures: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO signin_failures (kind, key, at) VALUES (?, ?, ?)`,
			k.kind, k.key, now.Format(time.RFC3339Nano)); err != nil {
			return fmt.Errorf("count sign-in failure: %w", err)
		}
	}
	until, err := s.lockedUntil(ctx, tx, login, ip, now)
	if err != nil || until.IsZero() {
		return err
	}
	return audit.Append(ctx, tx, a, audit.Entry{Action: "user.lockout", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID), OperatorID: operatorID,
		After: map[string]string{"login": login, "ip": ip, "until": until.Format(time.RFC3339)}})
}

// clearFailures forgets a login's failures after it signed in completely.
func clearFailures(ctx context.Context, tx *sql.Tx, login string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE kind = 'login' AND key = ?`, strings.ToLower(login)); err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}
	return nil
}

// recordSignIn writes the audit record of a sign-in step in one transaction with the
// throttle's bookkeeping: a failure is counted, a completed sign-in clears the login's count.
func (s *Accounts) recordSignIn(ctx context.Context, a access.Actor, failed, complete bool, e audit.Entry) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := audit.Append(ctx, tx, a, e); err != nil {
			return err
		}
		switch {
		case failed:
			return s.recordFailure(ctx, tx, a, a.Login, a.IP, e.OperatorID)
		case complete:
			return clearFailures(ctx, tx, a.Login)
		}
		return nil
	})
}
