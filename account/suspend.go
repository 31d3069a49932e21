package account

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// Suspend stops a user at once (33.6): the user cannot sign in, and every session and API
// token of the user fails from the next request on. The sessions are also deleted, so that
// even an unsuspension does not bring them back. Admins do it, not to themselves.
func (s *Accounts) Suspend(ctx context.Context, a access.Actor, login string) (User, error) {
	return s.setSuspended(ctx, a, login, true)
}

// Unsuspend lets a suspended user sign in again; the tokens the user had work again.
func (s *Accounts) Unsuspend(ctx context.Context, a access.Actor, login string) (User, error) {
	return s.setSuspended(ctx, a, login, false)
}

func (s *Accounts) setSuspended(ctx context.Context, a access.Actor, login string, suspend bool) (User, error) {
	if !a.Writes(access.RoleAdmin) {
		return User{}, errkind.Forbidden("only an admin suspends or unsuspends a user")
	}
	u, err := s.UserByLogin(ctx, login)
	if err != nil {
		return User{}, err
	}
	if suspend && u.ID == a.UserID {
		return User{}, errkind.Invalid("login", "an admin cannot suspend their own account")
	}
	if u.Suspended == suspend {
		return u, nil
	}
	before := u
	action, at := "user.unsuspend", ""
	if suspend {
		action, at = "user.suspend", s.now().UTC().Format(time.RFC3339Nano)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET suspended_at = ?, updated_at = ? WHERE id = ?`,
			at, s.now().UTC().Format(time.RFC3339Nano), u.ID); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if suspend {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		u.Suspended = suspend
		return audit.Append(ctx, tx, a, audit.Entry{Action: action, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), OperatorID: u.OperatorID, Before: before, After: u})
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}
