package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"fmt"
	"strings"
)

// recoveryCodeCount is how many recovery codes a user gets at each enrolment.
const recoveryCodeCount = 10

// recoveryEncoding writes recovery codes in lower-case base32 without padding: 10 random
// bytes make 16 characters, shown in four groups of four.
var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCodes returns fresh codes as shown to the user and their digests as stored.
// The codes carry 80 random bits each, so a plain SHA-256 digest (as for API tokens) is
// as safe to keep as a slow password hash, and lets a code be found by its digest.
func newRecoveryCodes() (codes, hashes []string) {
	for range recoveryCodeCount {
		b := make([]byte, 10)
		_, _ = rand.Read(b)
		raw := strings.ToLower(recoveryEncoding.EncodeToString(b))
		codes = append(codes, raw[0:4]+"-"+raw[4:8]+"-"+raw[8:12]+"-"+raw[12:16])
		hashes = append(hashes, recoveryDigest(raw))
	}
	return codes, hashes
}

// normaliseRecoveryCode strips what users type around a code (dashes, spaces, capitals);
// "" when the rest cannot be a recovery code.
func normaliseRecoveryCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		switch {
		case r == '-' || r == ' ':
		case (r >= 'a' && r <= 'z') || (r >= '2' && r <= '7'):
			b.WriteRune(r)
		default:
			return ""
		}
	}
	if b.Len() != 16 {
		return ""
	}
	return b.String()
}

func recoveryDigest(normalised string) string { return digest("recovery:" + normalised) }

// replaceRecoveryCodes stores a user's new recovery codes, dropping the old ones.
func replaceRecoveryCodes(ctx context.Context, tx *sql.Tx, userID int64, hashes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("drop recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, hash) VALUES (?, ?)`, userID, h); err != nil {
			return fmt.Errorf("store recovery code: %w", err)
		}
	}
	return nil
}

// RecoveryCodesLeft returns how many unused recovery codes a user has.
func (s *Accounts) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at = ''`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recovery codes: %w", err)
	}
	return n, nil
}
