// Package account keeps critreg's users, their passwords and their API tokens, and turns
// credentials into an access.Actor. Passwords are stored as argon2id hashes and tokens as
// SHA-256 digests: neither can be read back, and a token is shown once, when it is made.
package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/store"
)

// Schema is the accounts' tables. It references operators, so it migrates after inventory.
var Schema = store.Schema{Package: "account", Migrations: []store.Migration{{
	Name: "users and API tokens",
	SQL: `
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role          TEXT NOT NULL CHECK (role IN ('operator', 'engineer', 'bureau', 'admin')),
	operator_id   INTEGER REFERENCES operators (id) ON DELETE RESTRICT,
	password_hash TEXT NOT NULL,
	suspended_at  TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	CHECK ((role IN ('operator', 'engineer')) = (operator_id IS NOT NULL))
) STRICT;
CREATE TABLE tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL DEFAULT '',
	prefix       TEXT NOT NULL,
	hash         TEXT NOT NULL UNIQUE,
	scope        TEXT NOT NULL CHECK (scope IN ('read', 'write', 'discovery')),
	created_at   TEXT NOT NULL,
	expires_at   TEXT NOT NULL DEFAULT '',
	revoked_at   TEXT NOT NULL DEFAULT '',
	last_used_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX tokens_user ON tokens (user_id);
`}, {
	Name: "web sessions",
	SQL: `
CREATE TABLE sessions (
	id           INTEGER PRIMARY KEY,
	hash         TEXT NOT NULL UNIQUE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf         TEXT NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
`}, {
	Name: "second factor, recovery codes and sign-in throttle",
	SQL: `
CREATE TABLE totp (
	user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	secret       TEXT    NOT NULL,
	confirmed_at TEXT    NOT NULL DEFAULT '',
	last_step    INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT    NOT NULL
) STRICT;
CREATE TABLE recovery_codes (
	id      INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash    TEXT    NOT NULL UNIQUE,
	used_at TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
CREATE TABLE signin_failures (
	id   INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('login', 'ip')),
	key  TEXT NOT NULL,
	at   TEXT NOT NULL
) STRICT;
CREATE INDEX signin_failures_key ON signin_failures (kind, key, at);
`}}}

// Accounts manages users and tokens.
type Accounts struct {
	db   *store.DB
	now  func() time.Time
	keys keyring
}

// New returns Accounts over db, migrated with Schema.
func New(db *store.DB) *Accounts { return &Accounts{db: db, now: time.Now} }

// User is a person who signs in to critreg.
type User struct {
	ID         int64       `json:"id"`
	Login      string      `json:"login"`
	Role       access.Role `json:"role"`
	OperatorID int64       `json:"operator_id,omitempty"`
	Operator   string      `json:"operator,omitempty"`
	Suspended  bool        `json:"suspended"`
	CreatedAt  time.Time   `json:"created_at"`
	// SecondFactor is set by Login when the user has a confirmed TOTP enrolment.
	SecondFactor bool `json:"second_factor,omitempty"`
}

// UserInput is a new user.
type UserInput struct {
	Login    string      `json:"login"`
	Role     access.Role `json:"role"`
	Operator string      `json:"operator"`
	Password string      `json:"password"`
}

var loginRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$`)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

const userColumns = `u.id, u.login, u.role, coalesce(u.operator_id, 0), coalesce(o.code, ''), u.suspended_at, u.created_at, u.password_hash`
const userFrom = ` FROM users u LEFT JOIN operators o ON o.id = u.operator_id`

// scanUser reads a row of userColumns, followed by any extra columns the query selected.
func scanUser(r interface{ Scan(...any) error }, extra ...any) (User, string, error) {
	var u User
	var suspended, created, hash string
	err := r.Scan(append([]any{&u.ID, &u.Login, &u.Role, &u.OperatorID, &u.Operator, &suspended, &created, &hash}, extra...)...)
	u.Suspended = suspended != ""
	u.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	return u, hash, err
}

// Actor returns the actor a user acts as, with the request's address.
func (u User) Actor(ip, via string) access.Actor {
	return access.Actor{UserID: u.ID, Login: u.Login, Role: u.Role, OperatorID: u.OperatorID, IP: ip, Via: via}
}

// AddUser creates a user. Admins do.
func (s *Accounts) AddUser(ctx context.Context, a access.Actor, in UserInput) (User, error) {
	if !a.Writes(access.RoleAdmin) {
		return User{}, errkind.Forbidden("only an admin adds users")
	}
	v := &errkind.ValidationError{}
	in.Login = strings.TrimSpace(in.Login)
	if !loginRE.MatchString(in.Login) {
		v.Add("login", "must be 2–64 letters, digits, '.', '_', '@' or '-'")
	}
	if _, err := access.ParseRole(string(in.Role)); err != nil {
		v.Add("role", "unknown role %q (want operator, engineer, bureau or admin)", in.Role)
	}
	if in.Role.OperatorScoped() && in.Operator == "" {
		v.Add("operator", "is required for the %s role", in.Role)
	}
	if !in.Role.OperatorScoped() && in.Operator != "" {
		v.Add("operator", "the %s role belongs to no operator", in.Role)
	}
	if err := checkPassword(in.Password); err != nil {
		v.AddErr("password", err)
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var opID any
		if in.Operator != "" {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM operators WHERE code = ?`, strings.ToUpper(in.Operator)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return errkind.Invalid("operator", "no operator %q", in.Operator)
			}
			if err != nil {
				return fmt.Errorf("find operator: %w", err)
			}
			opID = id
		}
		now := s.now().UTC().Format(time.RFC3339Nano)
		res, err := tx.ExecContext(ctx, `INSERT INTO users (login, role, operator_id, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			in.Login, in.Role, opID, hash, now, now)
		if store.IsUniqueViolation(err) {
			return errkind.Invalid("login", "login %q is taken", in.Login)
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		id, _ := res.LastInsertId()
		u, _, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = ?`, id))
		if err != nil {
			return fmt.Errorf("read user: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "user.create", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), OperatorID: u.OperatorID, After: u})
	})
	return u, err
}

func checkPassword(p string) error {
	switch {
	case len([]rune(p)) < MinPasswordLength:
		return errkind.Errorf("must be at least %d characters", MinPasswordLength)
	case len(p) > 1024:
		return errkind.Errorf("must be at most 1024 bytes")
	}
	return nil
}

// UserByLogin returns a user by login, for admins.
func (s *Accounts) UserByLogin(ctx context.Context, login string) (User, error) {
	u, _, err := scanUser(s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.login = ?`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errkind.NotFound("user", login)
	}
	if err != nil {
		return User{}, fmt.Errorf("read user %s: %w", login, err)
	}
	return u, nil
}

// Users lists users: every user for admins, an operator's own users for its compliance
// officer.
func (s *Accounts) Users(ctx context.Context, a access.Actor) ([]User, error) {
	q := `SELECT ` + userColumns + userFrom
	var args []any
	switch {
	case a.Is(access.RoleAdmin):
	case a.Is(access.RoleOperator):
		q += ` WHERE u.operator_id = ?`
		args = append(args, a.OperatorID)
	default:
		return nil, errkind.Forbidden("only an admin lists users")
	}
	rows, err := s.db.Read.QueryContext(ctx, q+` ORDER BY u.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ErrBadCredentials is the one answer to a failed sign-in, whatever failed, so that the
// answer does not tell which logins exist.
var ErrBadCredentials = fmt.Errorf("wrong login or password: %w", errkind.ErrUnauthenticated)

// Login checks a password and records the attempt, successful or not. Failures are
// throttled (see throttle.go): a locked login or address gets a *LockedError. When the user
// NeedsSecondFactor, the sign-in is complete only after VerifySecondFactor.
func (s *Accounts) Login(ctx context.Context, login, password, ip, via string) (User, error) {
	// A locked login or address is refused before the password is even looked at.
	if err := s.checkThrottle(ctx, access.Actor{Login: login, IP: ip, Via: via}, login, ip,
		audit.Entry{Action: "user.login_failed", ObjectType: "user", ObjectID: "0"}); err != nil {
		return User{}, err
	}
	u, hash, err := scanUser(s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.login = ?`, login))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("read user: %w", err)
	}
	found := err == nil
	if !found {
		// Spend the same time on an unknown login as on a known one.
		hash = dummyHash()
	}
	passwordOK := VerifyPassword(hash, password)
	ok := passwordOK && found && !u.Suspended
	actor := access.Actor{UserID: u.ID, Login: login, Role: u.Role, OperatorID: u.OperatorID, IP: ip, Via: via}
	action, reason := "user.login", ""
	switch {
	case !found:
		action, reason = "user.login_failed", "unknown login"
	case !passwordOK:
		action, reason = "user.login_failed", "wrong password"
	case u.Suspended:
		action, reason = "user.login_failed", "account suspended"
	}
	var after any
	if reason != "" {
		after = map[string]string{"reason": reason}
	}
	if ok {
		if u.SecondFactor, err = s.secondFactorEnrolled(ctx, u.ID); err != nil {
			return User{}, err
		}
		if NeedsSecondFactor(u) {
			after = map[string]string{"second_factor": "required"}
		}
	}
	if err := s.recordSignIn(ctx, actor, !ok, ok && !NeedsSecondFactor(u), audit.Entry{Action: action, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), OperatorID: u.OperatorID, After: after}); err != nil {
		return User{}, err
	}
	if !ok {
		return User{}, ErrBadCredentials
	}
	return u, nil
}
