package discovery

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/store"
)

// Profile is a named set of SNMP credentials of one operator, as every answer shows it:
// without its secrets.
type Profile struct {
	ID           int64        `json:"id"`
	Operator     string       `json:"operator"`
	Name         string       `json:"name"`
	Version      Version      `json:"version"`
	User         string       `json:"user,omitempty"`
	AuthProtocol AuthProtocol `json:"auth_protocol,omitempty"`
	PrivProtocol PrivProtocol `json:"priv_protocol,omitempty"`
	CreatedBy    string       `json:"created_by"`
	CreatedAt    time.Time    `json:"created_at"`
}

// ProfileInput is a new profile. The secrets are Secret values: they decode from JSON but
// never encode back, so an input echoed into a log or an answer shows "[redacted]".
type ProfileInput struct {
	// Operator is the operator's code; its own users may leave it out.
	Operator       string       `json:"operator"`
	Name           string       `json:"name"`
	Version        Version      `json:"version"`
	Community      Secret       `json:"community"`
	User           string       `json:"user"`
	AuthProtocol   AuthProtocol `json:"auth_protocol"`
	AuthPassphrase Secret       `json:"auth_passphrase"`
	PrivProtocol   PrivProtocol `json:"priv_protocol"`
	PrivPassphrase Secret       `json:"priv_passphrase"`
}

// sealedSecrets is what the encrypted column holds.
type sealedSecrets struct {
	Community string `json:"c,omitempty"`
	Auth      string `json:"a,omitempty"`
	Priv      string `json:"p,omitempty"`
}

// profileAAD binds a sealed value to its operator and profile name.
func profileAAD(operatorID int64, name string) string {
	return fmt.Sprintf("critreg discovery profile %d/%s", operatorID, name)
}

// credentials returns the input as Credentials, checking it.
func (in ProfileInput) credentials() (Credentials, error) {
	v := &errkind.ValidationError{}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		v.Add("name", "is required")
	case len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		v.Add("name", "must be 1 to 64 printable characters")
	}
	c := Credentials{Version: in.Version, Community: in.Community, User: in.User}
	switch in.Version {
	case V2c:
		if in.Community.IsZero() {
			v.Add("community", "is required for v2c")
		} else if len(in.Community.Reveal()) > 255 {
			v.Add("community", "is longer than 255 characters")
		}
		if in.User != "" || !in.AuthPassphrase.IsZero() || !in.PrivPassphrase.IsZero() {
			v.Add("version", "v2c takes a community only; v3 users and passphrases belong to a v3 profile")
		}
	case V3:
		if !in.Community.IsZero() {
			v.Add("community", "a v3 profile has no community")
		}
		if in.User == "" || len(in.User) > 32 {
			v.Add("user", "must be 1 to 32 characters")
		}
		ap, err := ParseAuthProtocol(string(in.AuthProtocol))
		if err != nil {
			v.AddErr("auth_protocol", err)
		}
		pp, err := ParsePrivProtocol(string(in.PrivProtocol))
		if err != nil {
			v.AddErr("priv_protocol", err)
		}
		if len(in.AuthPassphrase.Reveal()) < 8 {
			v.Add("auth_passphrase", "must be at least 8 characters")
		}
		if len(in.PrivPassphrase.Reveal()) < 8 {
			v.Add("priv_passphrase", "must be at least 8 characters")
		}
		c.AuthProtocol, c.PrivProtocol = ap, pp
		c.AuthPassphrase, c.PrivPassphrase = in.AuthPassphrase, in.PrivPassphrase
	default:
		v.Add("version", "must be v2c or v3")
	}
	return c, v.Err()
}

// CreateProfile stores a credential profile encrypted under the configured key. Without
// a key nothing is stored and the answer says how to configure one.
func (s *Service) CreateProfile(ctx context.Context, a access.Actor, in ProfileInput) (Profile, error) {
	o, err := s.operatorFor(ctx, a, in.Operator)
	if err != nil {
		return Profile{}, err
	}
	if !ownsProfiles(a, o.ID) {
		return Profile{}, errkind.Invalid("operator", "no operator %q", in.Operator)
	}
	if !mayDiscover(a, o.ID) {
		return Profile{}, errkind.Forbidden("only the operator's own users with write access keep its credential profiles")
	}
	creds, err := in.credentials()
	if err != nil {
		return Profile{}, err
	}
	key, err := s.cfg.Key()
	if err != nil {
		return Profile{}, errkind.Conflict("cannot store the profile: %v", err)
	}
	p := Profile{Operator: o.Code, Name: strings.TrimSpace(in.Name), Version: creds.Version, User: creds.User,
		AuthProtocol: creds.AuthProtocol, PrivProtocol: creds.PrivProtocol, CreatedBy: a.Login, CreatedAt: s.cfg.Now().UTC()}
	plain, err := json.Marshal(sealedSecrets{Community: creds.Community.Reveal(), Auth: creds.AuthPassphrase.Reveal(), Priv: creds.PrivPassphrase.Reveal()})
	if err != nil {
		return Profile{}, fmt.Errorf("seal profile: %w", err)
	}
	sealed, err := key.Seal(plain, profileAAD(o.ID, p.Name))
	clear(plain)
	if err != nil {
		return Profile{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO discovery_profiles (operator_id, name, version, user, auth_protocol, priv_protocol, sealed, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.ID, p.Name, p.Version, p.User, p.AuthProtocol, p.PrivProtocol, sealed, p.CreatedBy, p.CreatedAt.Format(timeLayout))
		if store.IsUniqueViolation(err) {
			return errkind.Invalid("name", "the operator already has a profile named %q", p.Name)
		}
		if err != nil {
			return fmt.Errorf("insert profile: %w", err)
		}
		p.ID, _ = res.LastInsertId()
		return audit.Append(ctx, tx, a, audit.Entry{Action: "discovery.profile.create", ObjectType: "discovery_profile",
			ObjectID: fmt.Sprint(p.ID), OperatorID: o.ID, After: p.redacted()})
	})
	if err != nil {
		return Profile{}, err
	}
	return p, nil
}

// redacted is the profile as the audit trail records it: what it is, and that secrets
// were set, never what they are.
func (p Profile) redacted() map[string]any {
	m := map[string]any{"id": p.ID, "operator": p.Operator, "name": p.Name, "version": p.Version}
	if p.Version == V3 {
		m["user"], m["auth_protocol"], m["priv_protocol"] = p.User, p.AuthProtocol, p.PrivProtocol
		m["auth_passphrase"], m["priv_passphrase"] = redacted, redacted
	} else {
		m["community"] = redacted
	}
	return m
}

const profileColumns = `p.id, o.code, p.name, p.version, p.user, p.auth_protocol, p.priv_protocol, p.created_by, p.created_at`

func scanProfile(r interface{ Scan(...any) error }, extra ...any) (Profile, error) {
	var p Profile
	var created string
	err := r.Scan(append([]any{&p.ID, &p.Operator, &p.Name, &p.Version, &p.User, &p.AuthProtocol, &p.PrivProtocol, &p.CreatedBy, &created}, extra...)...)
	p.CreatedAt = parseTime(created)
	return p, err
}

// Profiles lists an operator's profiles, without secrets, by name. Only the operator's
// own users see them.
func (s *Service) Profiles(ctx context.Context, a access.Actor, operator string) ([]Profile, error) {
	o, err := s.operatorFor(ctx, a, operator)
	if err != nil || !ownsProfiles(a, o.ID) {
		return nil, errkind.NotFound("operator", operator)
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+profileColumns+` FROM discovery_profiles p JOIN operators o ON o.id = p.operator_id
		WHERE p.operator_id = ? ORDER BY p.name`, o.ID)
	if err != nil {
		return nil, fmt.Errorf("list profiles: %w", err)
	}
	defer rows.Close()
	out := []Profile{}
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, fmt.Errorf("list profiles: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// profileRow reads one profile with its sealed secrets and operator id.
func (s *Service) profileRow(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, where string, args ...any) (Profile, int64, string, error) {
	var opID int64
	var sealed string
	p, err := scanProfile(q.QueryRowContext(ctx, `SELECT `+profileColumns+`, p.operator_id, p.sealed FROM discovery_profiles p
		JOIN operators o ON o.id = p.operator_id WHERE `+where, args...), &opID, &sealed)
	return p, opID, sealed, err
}

// ProfileCredentials decrypts operator's profile name for a sweep. Only the operator's own
// users reach it; another operator's profile does not exist for them.
func (s *Service) ProfileCredentials(ctx context.Context, a access.Actor, operatorID int64, name string) (Credentials, error) {
	if !ownsProfiles(a, operatorID) {
		return Credentials{}, errkind.NotFound("profile", name)
	}
	p, opID, sealed, err := s.profileRow(ctx, s.db.Read, `p.operator_id = ? AND p.name = ?`, operatorID, name)
	if errors.Is(err, sql.ErrNoRows) {
		return Credentials{}, errkind.NotFound("profile", name)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("read profile %q: %w", name, err)
	}
	key, err := s.cfg.Key()
	if err != nil {
		return Credentials{}, errkind.Conflict("cannot read profile %q: %v", name, err)
	}
	plain, err := key.Open(sealed, profileAAD(opID, p.Name))
	if err != nil {
		return Credentials{}, errkind.Conflict("profile %q: %v", name, err)
	}
	var sec sealedSecrets
	err = json.Unmarshal(plain, &sec)
	clear(plain)
	if err != nil {
		return Credentials{}, fmt.Errorf("profile %q: %w", name, err)
	}
	c := Credentials{Version: p.Version, User: p.User, AuthProtocol: p.AuthProtocol, PrivProtocol: p.PrivProtocol}
	if p.Version == V2c {
		c.Community = NewSecret(sec.Community)
	} else {
		c.AuthPassphrase, c.PrivPassphrase = NewSecret(sec.Auth), NewSecret(sec.Priv)
	}
	return c, nil
}

// DeleteProfile removes a profile. Runs that used it keep its name on record.
func (s *Service) DeleteProfile(ctx context.Context, a access.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, opID, _, err := s.profileRow(ctx, tx, `p.id = ?`, id)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !ownsProfiles(a, opID)) {
			return errkind.NotFound("profile", id)
		}
		if err != nil {
			return fmt.Errorf("read profile %d: %w", id, err)
		}
		if !mayDiscover(a, opID) {
			return errkind.Forbidden("only the operator's own users with write access keep its credential profiles")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM discovery_profiles WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete profile %d: %w", id, err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "discovery.profile.delete", ObjectType: "discovery_profile",
			ObjectID: fmt.Sprint(id), OperatorID: opID, Before: p.redacted()})
	})
}

// KeyError says why credential profiles cannot be stored or read here (no usable secret
// key), or nil when they can, so that a page can say so before anyone types a secret.
func (s *Service) KeyError() error {
	_, err := s.cfg.Key()
	return err
}
