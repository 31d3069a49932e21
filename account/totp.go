package account

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"rsc.io/qr"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// The second factor is a TOTP code (RFC 6238: SHA-1, six digits, 30-second steps, as every
// authenticator app reads an otpauth URI), or one of the user's one-time recovery codes.
const (
	totpIssuer = "critreg"
	totpPeriod = 30
	// totpSkew accepts the codes of one step before and after the current one: phones'
	// clocks drift.
	totpSkew = 1
)

// ErrBadSecondFactor is a wrong, reused or expired second-factor code.
var ErrBadSecondFactor = fmt.Errorf("wrong or used second-factor code: %w", errkind.ErrUnauthenticated)

// ErrNoSecondFactor is a second-factor check for a user who has none set up yet: the
// sign-in has to go through enrolment first.
var ErrNoSecondFactor = fmt.Errorf("no second factor is set up for this account: %w", errkind.ErrConflict)

// RequiresSecondFactor reports whether a role must sign in with a second factor: the bureau
// and admins, who see every operator's data.
func RequiresSecondFactor(r access.Role) bool {
	return r == access.RoleBureau || r == access.RoleAdmin
}

// NeedsSecondFactor reports whether a user who passed the password step must still give a
// second factor: when enrolled, or when the role requires one. A user of such a role who is
// not enrolled (u.SecondFactor false) goes to enrolment before the sign-in completes.
func NeedsSecondFactor(u User) bool {
	return u.SecondFactor || RequiresSecondFactor(u.Role)
}

// secretAAD binds an encrypted TOTP secret to its user.
func secretAAD(userID int64) string { return fmt.Sprintf("critreg totp user %d", userID) }

// secondFactorEnrolled reports whether the user has a confirmed TOTP enrolment.
func (s *Accounts) secondFactorEnrolled(ctx context.Context, userID int64) (bool, error) {
	var n int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM totp WHERE user_id = ? AND confirmed_at != ''`, userID).Scan(&n); err != nil {
		return false, fmt.Errorf("read second factor: %w", err)
	}
	return n > 0, nil
}

// EnrolTOTP starts a TOTP enrolment for the acting user: it returns the otpauth URI and the
// same as a QR code in PNG, which the user scans with an authenticator app. The enrolment
// takes effect with ConfirmTOTP. A pending enrolment is replaced; a confirmed one must be
// reset by an admin (ResetSecondFactor) first. The secret is stored encrypted
// under the installation's secret key (package secretkey) and is never logged.
func (s *Accounts) EnrolTOTP(ctx context.Context, a access.Actor) (uri string, png []byte, err error) {
	if a.UserID == 0 {
		return "", nil, errkind.Forbidden("only a signed-in user enrols a second factor")
	}
	k, err := s.secretKey()
	if err != nil {
		return "", nil, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: a.Login, Period: totpPeriod})
	if err != nil {
		return "", nil, fmt.Errorf("make TOTP secret: %w", err)
	}
	sealed, err := k.Seal([]byte(key.Secret()), secretAAD(a.UserID))
	if err != nil {
		return "", nil, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO totp (user_id, secret, created_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0 WHERE confirmed_at = ''`,
			a.UserID, sealed, s.now().UTC().Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("store TOTP secret: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errkind.Conflict("a second factor is already set up; an admin resets it before a new enrolment")
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "user.totp_enrol", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID), OperatorID: a.OperatorID})
	})
	if err != nil {
		return "", nil, err
	}
	png, err = QRCodePNG(key.URL())
	if err != nil {
		return "", nil, err
	}
	return key.URL(), png, nil
}

// QRCodePNG renders text as a QR code image in PNG, critreg's own rendering: an enrolment
// URI never leaves the server for a third-party QR service.
func QRCodePNG(text string) ([]byte, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("render QR code: %w", err)
	}
	c.Scale = 6
	return c.PNG(), nil
}

// ConfirmTOTP completes the acting user's enrolment with a code from the authenticator
// app, and returns a new set of one-time recovery codes: shown this once, stored hashed.
func (s *Accounts) ConfirmTOTP(ctx context.Context, a access.Actor, code string) (recoveryCodes []string, err error) {
	if a.UserID == 0 {
		return nil, errkind.Forbidden("only a signed-in user enrols a second factor")
	}
	secret, confirmed, lastStep, err := s.totpSecret(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	switch {
	case secret == "":
		return nil, errkind.Conflict("start an enrolment before confirming it")
	case confirmed:
		return nil, errkind.Conflict("the second factor is already confirmed")
	}
	step, ok := matchTOTP(secret, code, s.now(), lastStep)
	if !ok {
		return nil, errkind.Invalid("code", "does not match the authenticator app's code; check that the phone's clock is right")
	}
	codes, hashes := newRecoveryCodes()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE totp SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at = ''`,
			s.now().UTC().Format(time.RFC3339Nano), step, a.UserID)
		if err != nil {
			return fmt.Errorf("confirm second factor: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errkind.Conflict("the second factor is already confirmed")
		}
		if err := replaceRecoveryCodes(ctx, tx, a.UserID, hashes); err != nil {
			return err
		}
		// A confirmed enrolment completes a sign-in that was waiting for it.
		if err := clearFailures(ctx, tx, a.Login); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "user.totp_confirm", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID), OperatorID: a.OperatorID,
			After: map[string]int{"recovery_codes": len(codes)}})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// totpSecret returns a user's decrypted TOTP secret ("" when not enrolled).
func (s *Accounts) totpSecret(ctx context.Context, userID int64) (secret string, confirmed bool, lastStep int64, err error) {
	var sealed, confirmedAt string
	err = s.db.Read.QueryRowContext(ctx, `SELECT secret, confirmed_at, last_step FROM totp WHERE user_id = ?`, userID).Scan(&sealed, &confirmedAt, &lastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, 0, nil
	}
	if err != nil {
		return "", false, 0, fmt.Errorf("read second factor: %w", err)
	}
	k, err := s.secretKey()
	if err != nil {
		return "", false, 0, err
	}
	plain, err := k.Open(sealed, secretAAD(userID))
	if err != nil {
		return "", false, 0, fmt.Errorf("second factor of user %d: %w", userID, err)
	}
	return string(plain), confirmedAt != "", lastStep, nil
}

// matchTOTP checks a six-digit code against the steps around now, skipping steps up to
// lastStep, whose codes were used already. It returns the step the code belongs to.
func matchTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	current := now.Unix() / totpPeriod
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// VerifySecondFactor completes a sign-in: code is the current TOTP code or an unused
// recovery code of the user who passed the password step. A TOTP code works once; a
// recovery code is spent. Failures count towards the sign-in throttle, and success or
// failure is recorded in the audit trail.
func (s *Accounts) VerifySecondFactor(ctx context.Context, userID int64, code, ip string) error {
	u, _, err := scanUser(s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = ?`, userID))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Suspended) {
		return ErrBadCredentials
	}
	if err != nil {
		return fmt.Errorf("read user: %w", err)
	}
	a := u.Actor(ip, "web")
	entry := audit.Entry{Action: "user.second_factor_failed", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), OperatorID: u.OperatorID}
	if err := s.checkThrottle(ctx, a, u.Login, ip, entry); err != nil {
		return err
	}
	secret, confirmed, lastStep, err := s.totpSecret(ctx, u.ID)
	if err != nil {
		return err
	}
	if !confirmed {
		return ErrNoSecondFactor
	}
	method := "totp"
	var ok bool
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if step, match := matchTOTP(secret, code, s.now(), lastStep); match {
			// The step moves forward only if no other request used it meanwhile.
			res, err := tx.ExecContext(ctx, `UPDATE totp SET last_step = ? WHERE user_id = ? AND last_step < ?`, step, u.ID, step)
			if err != nil {
				return fmt.Errorf("use TOTP code: %w", err)
			}
			n, _ := res.RowsAffected()
			ok = n == 1
		} else if norm := normaliseRecoveryCode(code); norm != "" {
			method = "recovery code"
			res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND hash = ? AND used_at = ''`,
				s.now().UTC().Format(time.RFC3339Nano), u.ID, recoveryDigest(norm))
			if err != nil {
				return fmt.Errorf("use recovery code: %w", err)
			}
			n, _ := res.RowsAffected()
			ok = n == 1
		}
		if !ok {
			entry.After = map[string]string{"method": method}
			if err := audit.Append(ctx, tx, a, entry); err != nil {
				return err
			}
			return s.recordFailure(ctx, tx, a, u.Login, ip, u.OperatorID)
		}
		if err := audit.Append(ctx, tx, a, audit.Entry{Action: "user.second_factor", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), OperatorID: u.OperatorID,
			After: map[string]string{"method": method}}); err != nil {
			return err
		}
		return clearFailures(ctx, tx, u.Login)
	})
	if err != nil {
		return err
	}
	if !ok {
		return ErrBadSecondFactor
	}
	return nil
}

// ResetSecondFactor removes a user's TOTP enrolment and recovery codes, for a user who lost
// the phone: an admin does it, and the user enrols again at the next sign-in.
func (s *Accounts) ResetSecondFactor(ctx context.Context, a access.Actor, login string) error {
	if !a.Writes(access.RoleAdmin) {
		return errkind.Forbidden("only an admin resets a second factor")
	}
	u, err := s.UserByLogin(ctx, login)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM totp WHERE user_id = ?`, u.ID); err != nil {
			return fmt.Errorf("reset second factor: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, u.ID); err != nil {
			return fmt.Errorf("reset recovery codes: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "user.totp_reset", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), OperatorID: u.OperatorID})
	})
}
