package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestNetworksPage(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		login      string
		want, deny []string
	}{
		{"alice", []string{"LTE"}, []string{"5G core"}},
		{"bob", []string{"5G core"}, []string{"LTE"}},
		{"bea", []string{"LTE", "5G core"}, nil},
	} {
		t.Run(tc.login, func(t *testing.T) {
			code, page := e.signedIn(tc.login).get("/networks")
			if code != http.StatusOK {
				t.Fatalf("GET /networks as %s = %d, want 200", tc.login, code)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("GET /networks as %s lacks %q", tc.login, w)
				}
			}
			for _, d := range tc.deny {
				if strings.Contains(page, ">"+d+"<") {
					t.Errorf("GET /networks as %s shows another operator's network %q", tc.login, d)
				}
			}
		})
	}
}

var secretRE = regexp.MustCompile(`<code class="secret" id="secret">(crt_[a-z0-9]+)</code>`)

func TestTokensPage(t *testing.T) {
	e := newEnv(t)
	alice, root := e.signedIn("alice"), e.signedIn("root")

	// A bad expiry is shown beside its field, keeping the name typed.
	code, page := alice.post("/tokens", url.Values{"name": {"nightly export"}, "scope": {"read"}, "expires_in_days": {"ever"}}, true)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="tk-days-err"`) || !strings.Contains(page, `value="nightly export"`) {
		t.Fatalf("POST /tokens with a bad expiry = %d, want 422 with the error beside the field and the name kept", code)
	}

	// The secret is on the answer that made it, and works as an API token.
	code, page = alice.post("/tokens", url.Values{"name": {"nightly export"}, "scope": {"read"}, "expires_in_days": {"30"}}, true)
	m := secretRE.FindStringSubmatch(page)
	if code != http.StatusOK || m == nil {
		t.Fatalf("POST /tokens = %d, want 200 with the secret shown", code)
	}
	secret := m[1]
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/me with the new token = %d, want 200", resp.StatusCode)
	}

	// Never again: the list shows its prefix only.
	_, page = alice.get("/tokens")
	if strings.Contains(page, secret) || !strings.Contains(page, secret[:10]) {
		t.Fatalf("GET /tokens shows the secret again, or not the token's prefix")
	}
	// An operator's user sees only their own tokens, whatever login is asked for.
	_, page = alice.get("/tokens?login=root")
	if !strings.Contains(page, "<h2>alice</h2>") {
		t.Errorf("GET /tokens?login=root as alice does not stay on alice's tokens")
	}
	// An admin sees anyone's; and revoking stops the token.
	_, page = root.get("/tokens?login=alice")
	if !strings.Contains(page, "nightly export") {
		t.Errorf("GET /tokens?login=alice as admin lacks alice's token")
	}
	id := regexp.MustCompile(`action="/tokens/(\d+)/revoke"`).FindAllStringSubmatch(page, -1)
	if len(id) == 0 {
		t.Fatal("no revoke button")
	}
	last := id[len(id)-1][1]
	if code, _ := root.post("/tokens/"+last+"/revoke", url.Values{"login": {"alice"}}, false); code != http.StatusForbidden {
		t.Errorf("revoke without CSRF token = %d, want 403", code)
	}
	if code, _ := root.post("/tokens/"+last+"/revoke", url.Values{"login": {"alice"}}, true); code != http.StatusSeeOther {
		t.Fatalf("revoke = %d, want 303", code)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me with a revoked token = %d, want 401", resp.StatusCode)
	}
}

// A session that ran out sends the browser to the sign-in page, which says why; signing
// out ends the session at once.
func TestSessionExpiryAndSignOut(t *testing.T) {
	e := newEnv(t)
	alice := e.signedIn("alice")
	if _, err := e.db.Write.Exec(`UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00Z'`); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/items?q=x", nil)
	req.Header.Set("Accept", "text/html")
	req.AddCookie(alice.cookie)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/login?expired=1&next=%2Fitems%3Fq%3Dx" {
		t.Fatalf("GET /items with an expired session = %d to %q, want 303 to the sign-in page marked expired", resp.StatusCode, loc)
	}
	code, page := alice.get("/login?expired=1&lang=en")
	if code != http.StatusOK || !strings.Contains(page, "expired") {
		t.Errorf("sign-in page after expiry = %d, want it to say the session expired", code)
	}

	bob := e.signedIn("bob")
	if code, _ := bob.post("/logout", url.Values{}, false); code != http.StatusForbidden {
		t.Errorf("sign-out without CSRF token = %d, want 403", code)
	}
	if code, _ := bob.post("/logout", url.Values{}, true); code != http.StatusSeeOther {
		t.Fatalf("sign-out = %d, want 303", code)
	}
	if code, _ := bob.get("/items"); code != http.StatusSeeOther {
		t.Errorf("GET /items after sign-out = %d, want a redirect to sign in", code)
	}
}
