package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"critreg/account"
)

// pageClient is a browser-like client: a session cookie, and the page's CSRF token.
type pageClient struct {
	t      *testing.T
	e      *testEnv
	cookie *http.Cookie
}

func (e *testEnv) signedIn(login string) *pageClient {
	e.t.Helper()
	acc := account.New(e.db)
	u, err := acc.UserByLogin(context.Background(), login)
	if err != nil {
		e.t.Fatal(err)
	}
	secret, _, err := acc.StartSession(context.Background(), u, "127.0.0.1", "test", "")
	if err != nil {
		e.t.Fatal(err)
	}
	return &pageClient{t: e.t, e: e, cookie: &http.Cookie{Name: "critreg_session", Value: secret}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (p *pageClient) get(path string) (int, string) {
	p.t.Helper()
	req, _ := http.NewRequest("GET", p.e.srv.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	req.AddCookie(p.cookie)
	resp, err := noRedirect.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (p *pageClient) post(path string, form url.Values, withToken bool) (int, string) {
	p.t.Helper()
	resp, body := p.send(path, form, withToken)
	return resp.StatusCode, body
}

// send posts form, with the session's CSRF token when withToken, and returns the answer
// (redirects not followed) and its body.
func (p *pageClient) send(path string, form url.Values, withToken bool) (*http.Response, string) {
	p.t.Helper()
	if withToken {
		_, page := p.get("/")
		m := csrfRE.FindStringSubmatch(page)
		if m == nil {
			p.t.Fatal("no CSRF token on the page")
		}
		form.Set("csrf", m[1])
	}
	req, _ := http.NewRequest("POST", p.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.AddCookie(p.cookie)
	resp, err := noRedirect.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestPagesCSRFEscapingIsolationSuspension(t *testing.T) {
	e := newEnv(t)
	alice, bob, root := e.signedIn("alice"), e.signedIn("bob"), e.signedIn("root")
	form := url.Values{"network_id": {"1"}, "critical_part": {"2.1"}, "kind": {"equipment"}, "name": {`<script>alert("x")</script>`}, "quantity": {"1"}}

	// Without the session's CSRF token a form post is refused and nothing is stored.
	if code, _ := alice.post("/items/new", form, false); code != http.StatusForbidden {
		t.Fatalf("POST without CSRF token = %d, want 403", code)
	}
	if n := e.count("items"); n != 0 {
		t.Fatalf("a refused post stored %d items", n)
	}
	code, _ := alice.post("/items/new", form, true)
	if code != http.StatusSeeOther {
		t.Fatalf("POST with CSRF token = %d, want 303", code)
	}
	// Hostile text comes back escaped.
	code, page := alice.get("/items/1")
	if code != 200 || strings.Contains(page, `<script>alert`) || !strings.Contains(page, `&lt;script&gt;alert`) {
		t.Fatalf("item page = %d; hostile name not escaped", code)
	}
	// Another operator's pages answer 404.
	for _, path := range []string{"/items/1", "/items/1/edit"} {
		if code, _ := bob.get(path); code != http.StatusNotFound {
			t.Errorf("GET %s as another operator's user = %d, want 404", path, code)
		}
	}
	if code, _ := bob.post("/items/1/edit", url.Values{"name": {"mine"}}, true); code != http.StatusNotFound {
		t.Errorf("POST edit of another operator's item = %d, want 404", code)
	}
	// Anonymous browsers are sent to sign in.
	req, _ := http.NewRequest("GET", e.srv.URL+"/items", nil)
	req.Header.Set("Accept", "text/html")
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous GET /items = %d to %q, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	// An admin suspends bob: his session stops working on the next request.
	if code, _ := root.post("/admin/users/bob/suspend", url.Values{}, true); code != http.StatusSeeOther {
		t.Fatalf("suspend = %d", code)
	}
	if code, _ := bob.get("/items"); code != http.StatusSeeOther {
		t.Errorf("suspended user's page = %d, want a redirect to sign in", code)
	}
	// Only admins suspend.
	if code, _ := alice.post("/admin/users/root/suspend", url.Values{}, true); code == http.StatusSeeOther {
		t.Error("an operator's user suspended an admin")
	}
}
