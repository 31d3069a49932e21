package discovery

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gosnmp/gosnmp"

	"critreg/errkind"
)

// Version is the SNMP version a sweep speaks.
type Version string

// Supported SNMP versions. v1 is left out on purpose: it has no GETBULK and no security.
const (
	V2c Version = "v2c"
	V3  Version = "v3"
)

// AuthProtocol names a USM authentication protocol.
type AuthProtocol string

// Authentication protocols (RFC 3414 SHA-1, RFC 7860 SHA-2).
const (
	AuthSHA    AuthProtocol = "SHA"
	AuthSHA224 AuthProtocol = "SHA-224"
	AuthSHA256 AuthProtocol = "SHA-256"
	AuthSHA384 AuthProtocol = "SHA-384"
	AuthSHA512 AuthProtocol = "SHA-512"
)

// PrivProtocol names a USM privacy protocol.
type PrivProtocol string

// Privacy protocols. AES-192 and AES-256 extend the key as in draft-blumenthal-aes-usm; the
// "-C" variants use the draft-reeder extension that Cisco devices implement.
const (
	PrivAES     PrivProtocol = "AES"
	PrivAES192  PrivProtocol = "AES-192"
	PrivAES256  PrivProtocol = "AES-256"
	PrivAES192C PrivProtocol = "AES-192-C"
	PrivAES256C PrivProtocol = "AES-256-C"
)

var authProtocols = map[AuthProtocol]gosnmp.SnmpV3AuthProtocol{
	AuthSHA: gosnmp.SHA, AuthSHA224: gosnmp.SHA224, AuthSHA256: gosnmp.SHA256,
	AuthSHA384: gosnmp.SHA384, AuthSHA512: gosnmp.SHA512,
}

var privProtocols = map[PrivProtocol]gosnmp.SnmpV3PrivProtocol{
	PrivAES: gosnmp.AES, PrivAES192: gosnmp.AES192, PrivAES256: gosnmp.AES256,
	PrivAES192C: gosnmp.AES192C, PrivAES256C: gosnmp.AES256C,
}

// Credentials are what a sweep authenticates with: a v2c community, or a v3 USM user at
// authPriv. Printing, logging or JSON-encoding Credentials never shows the secrets.
type Credentials struct {
	Version        Version      `json:"version"`
	Community      Secret       `json:"community,omitzero"`
	User           string       `json:"user,omitempty"`
	AuthProtocol   AuthProtocol `json:"auth_protocol,omitempty"`
	AuthPassphrase Secret       `json:"auth_passphrase,omitzero"`
	PrivProtocol   PrivProtocol `json:"priv_protocol,omitempty"`
	PrivPassphrase Secret       `json:"priv_passphrase,omitzero"`
	// ContextName selects a context on agents that serve several (v3 only).
	ContextName string `json:"context_name,omitempty"`
}

// ParseAuthProtocol accepts the usual spellings (sha, SHA1, sha256, SHA-256...).
func ParseAuthProtocol(s string) (AuthProtocol, error) {
	n := strings.ToUpper(strings.NewReplacer("-", "", "_", "").Replace(strings.TrimSpace(s)))
	for p := range authProtocols {
		if strings.ReplaceAll(string(p), "-", "") == n || (p == AuthSHA && n == "SHA1") {
			return p, nil
		}
	}
	return "", errkind.Errorf("unknown auth protocol %q: want SHA, SHA-224, SHA-256, SHA-384 or SHA-512", s)
}

// ParsePrivProtocol accepts the usual spellings (aes, AES128, aes-256, AES256C...).
func ParsePrivProtocol(s string) (PrivProtocol, error) {
	n := strings.ToUpper(strings.NewReplacer("-", "", "_", "").Replace(strings.TrimSpace(s)))
	if n == "AES128" {
		return PrivAES, nil
	}
	for p := range privProtocols {
		if strings.ReplaceAll(string(p), "-", "") == n {
			return p, nil
		}
	}
	return "", errkind.Errorf("unknown priv protocol %q: want AES, AES-192, AES-256, AES-192-C or AES-256-C", s)
}

// Validate checks the credentials are complete and usable.
func (c Credentials) Validate() error {
	switch c.Version {
	case V2c:
		if c.Community.IsZero() {
			return errors.New("v2c needs a community")
		}
		if len(c.Community.Reveal()) > 255 {
			return errors.New("community longer than 255 characters")
		}
	case V3:
		var errs []error
		if c.User == "" || len(c.User) > 32 {
			errs = append(errs, errors.New("v3 needs a user name of 1 to 32 characters"))
		}
		if _, ok := authProtocols[c.AuthProtocol]; !ok {
			errs = append(errs, fmt.Errorf("auth protocol %q: want SHA, SHA-224, SHA-256, SHA-384 or SHA-512", c.AuthProtocol))
		}
		if _, ok := privProtocols[c.PrivProtocol]; !ok {
			errs = append(errs, fmt.Errorf("priv protocol %q: want AES, AES-192, AES-256, AES-192-C or AES-256-C", c.PrivProtocol))
		}
		// RFC 3414 11.2 asks for at least 8 characters; net-snmp refuses shorter ones.
		if len(c.AuthPassphrase.Reveal()) < 8 {
			errs = append(errs, errors.New("auth passphrase shorter than 8 characters"))
		}
		if len(c.PrivPassphrase.Reveal()) < 8 {
			errs = append(errs, errors.New("priv passphrase shorter than 8 characters"))
		}
		return errors.Join(errs...)
	default:
		return fmt.Errorf("SNMP version %q: want v2c or v3", c.Version)
	}
	return nil
}

// String describes the credentials without their secrets.
func (c Credentials) String() string {
	if c.Version == V3 {
		return fmt.Sprintf("SNMP v3 user %q auth %s priv %s (authPriv)", c.User, c.AuthProtocol, c.PrivProtocol)
	}
	return fmt.Sprintf("SNMP %s community %s", c.Version, redacted)
}

// GoString is String, so %#v cannot reach the secrets either.
func (c Credentials) GoString() string { return "discovery.Credentials{" + c.String() + "}" }

// LogValue describes the credentials in log/slog records without their secrets.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// apply configures a gosnmp client with the credentials.
func (c Credentials) apply(g *gosnmp.GoSNMP) {
	switch c.Version {
	case V2c:
		g.Version = gosnmp.Version2c
		g.Community = c.Community.Reveal()
	case V3:
		g.Version = gosnmp.Version3
		g.SecurityModel = gosnmp.UserSecurityModel
		g.MsgFlags = gosnmp.AuthPriv
		g.ContextName = c.ContextName
		// A fresh parameter set per target: the engine ID, boots and time learnt from one
		// agent must not be offered to the next.
		g.SecurityParameters = &gosnmp.UsmSecurityParameters{
			UserName:                 c.User,
			AuthenticationProtocol:   authProtocols[c.AuthProtocol],
			AuthenticationPassphrase: c.AuthPassphrase.Reveal(),
			PrivacyProtocol:          privProtocols[c.PrivProtocol],
			PrivacyPassphrase:        c.PrivPassphrase.Reveal(),
		}
	}
}
