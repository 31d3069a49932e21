package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// Session lifetimes: a web session ends after half an hour without a request, and in any
// case twelve hours after sign-in, so a browser left signed in on a shared desk does not
// stay useful for long.
const (
	SessionIdle     = 30 * time.Minute
	SessionLifetime = 12 * time.Hour
)

// sessionTouchEvery spares a write per request: the last-seen time moves only when it is
// this much behind, which shortens the idle limit by at most this much.
const sessionTouchEvery = time.Minute

// ErrSessionExpired is a session that existed but ran out, so that the sign-in page can say
// why the user has to sign in again.
var ErrSessionExpired = fmt.Errorf("the session has expired: %w", errkind.ErrUnauthenticated)

// Session is a signed-in browser. Its secret lives only in the browser's cookie; critreg
// keeps the SHA-256 digest.
type Session struct {
	ID     int64
	UserID int64
	// CSRF is the token every unsafe request of this session must carry.
	CSRF       string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// StartSession opens a web session for a user who has just signed in (see Login) and
// returns its secret. A previous session of the same browser, given by its secret, ends in
// the same transaction, so the identifier changes at every sign-in.
func (s *Accounts) StartSession(ctx context.Context, u User, ip, userAgent, previous string) (string, Session, error) {
	if u.ID == 0 || u.Suspended {
		return "", Session{}, errkind.ErrUnauthenticated
	}
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	secret := rand.Text() + rand.Text()
	now := s.now().UTC()
	ss := Session{UserID: u.ID, CSRF: rand.Text(), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionLifetime)}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if previous != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, digest(previous)); err != nil {
				return fmt.Errorf("end previous session: %w", err)
			}
		}
		// Sessions that ran out are swept here, at a sign-in, rather than by a timer.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`,
			now.Format(time.RFC3339Nano), now.Add(-SessionIdle).Format(time.RFC3339Nano)); err != nil {
			return fmt.Errorf("sweep sessions: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, csrf, ip, user_agent, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, digest(secret), u.ID, ss.CSRF, ip, userAgent,
			now.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano), ss.ExpiresAt.Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		ss.ID, _ = res.LastInsertId()
		return nil
	})
	if err != nil {
		return "", Session{}, err
	}
	return secret, ss, nil
}

// SessionActor turns a session secret into the actor it stands for. An unknown secret is
// errkind.ErrUnauthenticated; a session past its idle or absolute limit, or of a user
// suspended since, is ended and reported as ErrSessionExpired.
func (s *Accounts) SessionActor(ctx context.Context, secret, ip string) (access.Actor, Session, error) {
	if secret == "" || len(secret) > 200 {
		return access.Actor{}, Session{}, errkind.ErrUnauthenticated
	}
	var u User
	var hash, created, seen, expires string
	var ss Session
	err := s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+`, s.id, s.csrf, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN operators o ON o.id = u.operator_id WHERE s.hash = ?`, digest(secret)).
		Scan(scanTargets(&u, &hash, &ss.ID, &ss.CSRF, &created, &seen, &expires)...)
	if errors.Is(err, sql.ErrNoRows) {
		return access.Actor{}, Session{}, errkind.ErrUnauthenticated
	}
	if err != nil {
		return access.Actor{}, Session{}, fmt.Errorf("read session: %w", err)
	}
	ss.UserID = u.ID
	ss.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	ss.LastSeenAt, _ = time.Parse(time.RFC3339Nano, seen)
	ss.ExpiresAt, _ = time.Parse(time.RFC3339Nano, expires)
	now := s.now().UTC()
	if u.Suspended || !now.Before(ss.ExpiresAt) || now.Sub(ss.LastSeenAt) >= SessionIdle {
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, ss.ID)
			return err
		}); err != nil {
			return access.Actor{}, Session{}, fmt.Errorf("end expired session: %w", err)
		}
		return access.Actor{}, Session{}, ErrSessionExpired
	}
	if now.Sub(ss.LastSeenAt) >= sessionTouchEvery {
		ss.LastSeenAt = now
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now.Format(time.RFC3339Nano), ss.ID)
			return err
		}); err != nil {
			return access.Actor{}, Session{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return u.Actor(ip, "web"), ss, nil
}

// EndSession signs a browser out: its session is deleted and the sign-out recorded.
func (s *Accounts) EndSession(ctx context.Context, a access.Actor, secret string) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, digest(secret))
		if err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "user.logout", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID), OperatorID: a.OperatorID})
	})
}
