package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/audit"
	"critreg/server"
)

// withConfig returns the environment served by a second server over the same database,
// with cfg.
func (e *testEnv) withConfig(cfg server.Config) *testEnv {
	e.t.Helper()
	if cfg.Log == nil {
		cfg.Log = logrus.New()
		cfg.Log.SetOutput(io.Discard)
	}
	srv := httptest.NewServer(server.New(e.db, cfg).Handler())
	e.t.Cleanup(srv.Close)
	e2 := *e
	e2.srv = srv
	return &e2
}

// lastAuditIP returns the client address of the newest audit record.
func (e *testEnv) lastAuditIP() string {
	e.t.Helper()
	var ip string
	if err := e.db.Read.QueryRow(`SELECT ip FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&ip); err != nil {
		e.t.Fatal(err)
	}
	return ip
}

// TestForwardedFor: the audit's client address follows X-Forwarded-For only when the TCP
// peer is a proxy named in the configuration.
func TestForwardedFor(t *testing.T) {
	base := newEnv(t)
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	_, elsewhere, _ := net.ParseCIDR("10.0.0.0/8")
	for _, c := range []struct {
		name    string
		proxies []*net.IPNet
		xff     string
		want    string
	}{
		{"no proxy configured", nil, "203.0.113.9", "127.0.0.1"},
		{"peer is not a configured proxy", []*net.IPNet{elsewhere}, "203.0.113.9", "127.0.0.1"},
		{"peer is a configured proxy", []*net.IPNet{loopback}, "203.0.113.9", "203.0.113.9"},
		{"client forged a hop before the proxy", []*net.IPNet{loopback}, "198.51.100.1, 203.0.113.9", "203.0.113.9"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := base.withConfig(server.Config{TrustedProxies: c.proxies})
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/networks", strings.NewReader(`{"name":"`+c.name+`","technology":"4G"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.tokens["alice"])
			req.Header.Set("X-Forwarded-For", c.xff)
			req.Header.Set("X-Real-IP", "192.0.2.66")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 201 {
				t.Fatalf("create network = %d", resp.StatusCode)
			}
			if got := e.lastAuditIP(); got != c.want {
				t.Errorf("audit IP = %s, want %s", got, c.want)
			}
		})
	}
}

// TestSecurityHeaders: every answer carries the headers, errors and unknown paths too.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		login, method, path, body string
		ctype                     string
	}{
		{"", "GET", "/healthz", "", ""},
		{"alice", "GET", "/api/v1/items", "", ""},
		{"", "GET", "/api/v1/items", "", ""},
		{"alice", "GET", "/api/v1/items/999999", "", ""},
		{"alice", "GET", "/no/such/path", "", ""},
		{"", "GET", "/no/such/path", "", ""},
		{"alice", "PUT", "/api/v1/items", "", ""},
		{"alice", "POST", "/api/v1/items", "{", "application/json"},
		{"alice", "POST", "/api/v1/items", "{}", "text/plain"},
		{"alice", "POST", "/api/v1/items", `{"name":"` + strings.Repeat("x", 70<<10) + `"}`, "application/json"},
		{"", "GET", "/", "", ""},
	} {
		req, _ := http.NewRequest(c.method, e.srv.URL+c.path, strings.NewReader(c.body))
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		if c.login != "" {
			req.Header.Set("Authorization", "Bearer "+e.tokens[c.login])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			!strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s %s (%d): headers %v lack nosniff, CSP or frame denial", c.method, c.path, resp.StatusCode, h)
		}
		// Plain HTTP: no HSTS (the TLS case is tested on the real binary in cmd/critreg).
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s %s: HSTS over plain HTTP", c.method, c.path)
		}
	}
}

// TestSecurityHeadersOverTLS: HSTS on every answer over TLS.
func TestSecurityHeadersOverTLS(t *testing.T) {
	e := newEnv(t)
	log := logrus.New()
	log.SetOutput(io.Discard)
	srv := httptest.NewTLSServer(server.New(e.db, server.Config{Log: log}).Handler())
	defer srv.Close()
	for _, path := range []string{"/healthz", "/api/v1/items", "/no/such/path"} {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("GET %s over TLS (%d): no HSTS", path, resp.StatusCode)
		}
	}
}

// TestSuspensionOverAPI: an admin suspends a user, whose token fails on the next request.
func TestSuspensionOverAPI(t *testing.T) {
	e := newEnv(t)
	e.do("alice", "GET", "/api/v1/me", "", 200, nil)
	e.do("bob", "POST", "/api/v1/users/alice/suspend", "", 403, nil)
	e.do("bea", "POST", "/api/v1/users/alice/suspend", "", 403, nil)
	e.do("root", "POST", "/api/v1/users/nobody/suspend", "", 404, nil)
	var u struct{ Suspended bool }
	e.do("root", "POST", "/api/v1/users/alice/suspend", "", 200, &u)
	if !u.Suspended {
		t.Error("suspend answered a user that is not suspended")
	}
	e.do("alice", "GET", "/api/v1/me", "", 401, nil)
	e.do("alice", "GET", "/api/v1/items", "", 401, nil)
	e.do("root", "POST", "/api/v1/users/alice/unsuspend", "", 200, &u)
	e.do("alice", "GET", "/api/v1/me", "", 200, nil)
	e.do("root", "POST", "/api/v1/users/root/suspend", "", 422, nil)
}

// TestTOTPOverAPI enrols and confirms a second factor through the API.
func TestTOTPOverAPI(t *testing.T) {
	t.Setenv("CRITREG_SECRET_KEY", strings.Repeat("42", 32))
	e := newEnv(t)
	var en struct{ URI, QR string }
	e.do("bea", "POST", "/api/v1/me/totp", "", 200, &en)
	if !strings.HasPrefix(en.URI, "otpauth://totp/critreg:bea?") || !strings.HasPrefix(en.QR, "data:image/png;base64,") {
		t.Fatalf("enrolment = %+v", en)
	}
	secret := en.URI[strings.Index(en.URI, "secret=")+7:]
	secret = secret[:strings.IndexAny(secret+"&", "&")]
	e.do("bea", "POST", "/api/v1/me/totp/confirm", `{"code":"000000"}`, 422, nil)
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var rc struct {
		RecoveryCodes []string `json:"recovery_codes"`
	}
	e.do("bea", "POST", "/api/v1/me/totp/confirm", `{"code":"`+code+`"}`, 200, &rc)
	if len(rc.RecoveryCodes) != 10 {
		t.Errorf("recovery codes = %v", rc.RecoveryCodes)
	}
	e.do("bea", "POST", "/api/v1/me/totp", "", 409, nil)
	e.do("bea", "DELETE", "/api/v1/users/bea/totp", "", 403, nil)
	e.do("root", "DELETE", "/api/v1/users/bea/totp", "", 204, nil)
	e.do("bea", "POST", "/api/v1/me/totp", "", 200, nil)
}

// TestAuditExport: JSON lines for the bureau and admins, each line a record, the whole
// chain in order; refused to operators.
func TestAuditExport(t *testing.T) {
	e := newEnv(t)
	e.do("alice", "GET", "/api/v1/audit/export", "", 403, nil)
	e.do("", "GET", "/api/v1/audit/export", "", 401, nil)
	raw := e.do("bea", "GET", "/api/v1/audit/export", "", 200, nil)
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	var n, last int64
	for sc.Scan() {
		var r audit.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v: %s", n+1, err, sc.Bytes())
		}
		if r.ID != last+1 {
			t.Fatalf("line %d holds record %d, want %d", n+1, r.ID, last+1)
		}
		last = r.ID
		n++
	}
	recs, err := audit.List(context.Background(), e.db.Read, access.Actor{Role: access.RoleAdmin}, audit.Filter{Limit: 1})
	if err != nil || len(recs) != 1 || recs[0].Action != "audit.export" || recs[0].ID != n {
		t.Errorf("newest record = %+v, %v; want the audit.export, the last of the %d exported", recs, err, n)
	}
	if n < 5 {
		t.Errorf("export has %d records", n)
	}
}

// TestAuditRetentionOverAPI: the retention only grows, and pruning today deletes nothing
// younger than it.
func TestAuditRetentionOverAPI(t *testing.T) {
	e := newEnv(t)
	var r struct{ Months int }
	e.do("bea", "GET", "/api/v1/audit/retention", "", 200, &r)
	if r.Months != 18 {
		t.Errorf("retention = %d, want 18", r.Months)
	}
	e.do("alice", "GET", "/api/v1/audit/retention", "", 403, nil)
	e.do("bea", "PUT", "/api/v1/audit/retention", `{"months":24}`, 403, nil)
	e.do("root", "PUT", "/api/v1/audit/retention", `{"months":24}`, 200, &r)
	e.do("root", "PUT", "/api/v1/audit/retention", `{"months":20}`, 422, nil)
	e.do("root", "PUT", "/api/v1/audit/retention", `{"months":12}`, 422, nil)
	e.do("bea", "POST", "/api/v1/audit/prune", "", 403, nil)
	var p struct{ Deleted int64 }
	before := e.count("audit_log")
	e.do("root", "POST", "/api/v1/audit/prune", "", 200, &p)
	if p.Deleted != 0 || e.count("audit_log") != before {
		t.Errorf("prune of a young trail deleted %d records", p.Deleted)
	}
}

// TestTokenScopeOverAPI: a read token reads and cannot change anything; an expired or
// revoked token is refused; listing tokens never shows a secret.
func TestTokenScopeOverAPI(t *testing.T) {
	e := newEnv(t)
	var nt struct {
		Token  struct{ ID int64 }
		Secret string
	}
	e.do("alice", "POST", "/api/v1/users/alice/tokens", `{"name":"ro","scope":"read","expires_in_days":1}`, 201, &nt)
	e.tokens["alice-ro"] = nt.Secret
	e.do("alice-ro", "GET", "/api/v1/items", "", 200, nil)
	e.do("alice-ro", "POST", "/api/v1/networks", `{"name":"x","technology":"4G"}`, 403, nil)
	e.do("alice-ro", "POST", "/api/v1/me/totp", "", 403, nil)
	raw := e.do("alice", "GET", "/api/v1/users/alice/tokens", "", 200, nil)
	if strings.Contains(string(raw), nt.Secret) || strings.Contains(string(raw), nt.Secret[8:]) {
		t.Error("the token list shows a secret")
	}
	e.do("alice", "DELETE", fmt.Sprintf("/api/v1/tokens/%d", nt.Token.ID), "", 204, nil)
	e.do("alice-ro", "GET", "/api/v1/items", "", 401, nil)
}
