package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// Scope limits what a token may do.
type Scope string

// Token scopes.
const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
	// ScopeDiscovery may only upload discovery results: the token a discovery agent inside
	// an operator's management network carries.
	ScopeDiscovery Scope = "discovery"
)

// Token describes an API token without its secret.
type Token struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Login      string    `json:"login"`
	Name       string    `json:"name"`
	Prefix     string    `json:"prefix"`
	Scope      Scope     `json:"scope"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  string    `json:"expires_at,omitempty"`
	Revoked    bool      `json:"revoked"`
	LastUsedAt string    `json:"last_used_at,omitempty"`
}

// tokenPrefix marks critreg tokens so that secret scanners can find leaked ones.
const tokenPrefix = "crt_"

func digest(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// CreateToken makes a new token for the user with login and returns it with its secret, the
// only time the secret is seen. Admins make tokens for anyone; users for themselves.
func (s *Accounts) CreateToken(ctx context.Context, a access.Actor, login, name string, scope Scope, ttl time.Duration) (Token, string, error) {
	u, err := s.UserByLogin(ctx, login)
	if err != nil {
		return Token{}, "", err
	}
	if !a.Writes(access.RoleAdmin) && a.UserID != u.ID {
		return Token{}, "", errkind.NotFound("user", login)
	}
	switch scope {
	case ScopeRead, ScopeWrite:
	case ScopeDiscovery:
		if !u.Role.OperatorScoped() {
			return Token{}, "", errkind.Invalid("scope", "discovery tokens belong to an operator's users")
		}
	default:
		return Token{}, "", errkind.Invalid("scope", "must be read, write or discovery")
	}
	if len(name) > 100 {
		return Token{}, "", errkind.Invalid("name", "is longer than 100 characters")
	}
	secret := tokenPrefix + strings.ToLower(rand.Text()) + strings.ToLower(rand.Text())
	now := s.now().UTC()
	t := Token{UserID: u.ID, Login: u.Login, Name: name, Prefix: secret[:len(tokenPrefix)+6], Scope: scope, CreatedAt: now}
	if ttl > 0 {
		t.ExpiresAt = now.Add(ttl).Format(time.RFC3339)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO tokens (user_id, name, prefix, hash, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.ID, name, t.Prefix, digest(secret), scope, now.Format(time.RFC3339Nano), t.ExpiresAt)
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		t.ID, _ = res.LastInsertId()
		return audit.Append(ctx, tx, a, audit.Entry{Action: "token.create", ObjectType: "token", ObjectID: fmt.Sprint(t.ID), OperatorID: u.OperatorID, After: t})
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

// Authenticate turns a token secret into the actor it stands for. Revoked, expired and
// malformed tokens and suspended users all get errkind.ErrUnauthenticated.
func (s *Accounts) Authenticate(ctx context.Context, secret, ip, via string) (access.Actor, Scope, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return access.Actor{}, "", errkind.ErrUnauthenticated
	}
	var scope, expires, revoked string
	var tokenID int64
	u, _, err := scanUser(s.db.QueryRow(ctx, `SELECT `+userColumns+`, t.id, t.scope, t.expires_at, t.revoked_at
		FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN operators o ON o.id = u.operator_id WHERE t.hash = ?`, digest(secret)),
		&tokenID, &scope, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return access.Actor{}, "", errkind.ErrUnauthenticated
	}
	if err != nil {
		return access.Actor{}, "", fmt.Errorf("authenticate token: %w", err)
	}
	if revoked != "" || u.Suspended {
		return access.Actor{}, "", errkind.ErrUnauthenticated
	}
	if expires != "" {
		if t, err := time.Parse(time.RFC3339, expires); err != nil || !s.now().Before(t) {
			return access.Actor{}, "", errkind.ErrUnauthenticated
		}
	}
	a := u.Actor(ip, via)
	a.ReadOnly = Scope(scope) != ScopeWrite
	return a, Scope(scope), nil
}

// Tokens lists a user's tokens without their secrets.
func (s *Accounts) Tokens(ctx context.Context, a access.Actor, login string) ([]Token, error) {
	u, err := s.UserByLogin(ctx, login)
	if err != nil {
		return nil, err
	}
	if !a.Is(access.RoleAdmin) && a.UserID != u.ID {
		return nil, errkind.NotFound("user", login)
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, name, prefix, scope, created_at, expires_at, revoked_at, last_used_at
		FROM tokens WHERE user_id = ? ORDER BY id`, u.ID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t := Token{UserID: u.ID, Login: u.Login}
		var created, revoked string
		if err := rows.Scan(&t.ID, &t.Name, &t.Prefix, &t.Scope, &created, &t.ExpiresAt, &revoked, &t.LastUsedAt); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
		t.Revoked = revoked != ""
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken stops a token from working at its next use.
func (s *Accounts) RevokeToken(ctx context.Context, a access.Actor, id int64) error {
	var userID, opID int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT t.user_id, coalesce(u.operator_id, 0) FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`, id).Scan(&userID, &opID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Is(access.RoleAdmin) && a.UserID != userID) {
		return errkind.NotFound("token", id)
	}
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''`, s.now().UTC().Format(time.RFC3339Nano), id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "token.revoke", ObjectType: "token", ObjectID: fmt.Sprint(id), OperatorID: opID})
	})
}

// scanTargets returns the scan destinations of a row of userColumns into u and hash,
// followed by extra columns, for queries that join users to another table.
func scanTargets(u *User, hash *string, extra ...any) []any {
	return append([]any{&u.ID, &u.Login, &u.Role, &u.OperatorID, &u.Operator, suspendedScanner{u}, createdScanner{u}, hash}, extra...)
}

type suspendedScanner struct{ u *User }

func (s suspendedScanner) Scan(v any) error {
	str, _ := v.(string)
	s.u.Suspended = str != ""
	return nil
}

type createdScanner struct{ u *User }

func (s createdScanner) Scan(v any) error {
	str, _ := v.(string)
	s.u.CreatedAt, _ = time.Parse(time.RFC3339Nano, str)
	return nil
}
