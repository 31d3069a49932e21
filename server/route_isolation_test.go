package server_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"critreg/server"
)

// marker is in the names of operator B's objects: an answer to anyone else that contains
// it has leaked B's data.
const marker = "ZQXB"

// publicRoutes answer without credentials.
var publicRoutes = map[string]bool{
	"GET /healthz":             true,
	"GET /api/v1/openapi.json": true,
}

// try sends a request and returns the status and body, without judging them.
func (e *testEnv) try(login, method, path, body string) (int, string) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[login])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// fill puts values into a route's path parameters: for each parameter, the value the
// segment before it names in owned ("items" → B's item id), else placeholder for the
// first parameter and "1" for later ones (a line, a sequence number). mapped tells whether
// the first parameter names one of the owned objects.
func fill(path string, owned map[string]string, placeholder string) (filled string, mapped bool) {
	segs := strings.Split(path, "/")
	first := true
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") {
			continue
		}
		v, ok := owned[segs[i-1]]
		switch {
		case ok && first:
			mapped = true
		case !ok && first:
			v = placeholder
		case !ok:
			v = "1"
		}
		segs[i], first = v, false
	}
	return strings.Join(segs, "/"), mapped
}

// TestRouteTableIsolation walks the live route table, so that routes added later are
// covered without editing this test: every API route refuses an anonymous client, and
// every route with a path parameter, pointed at operator B's objects, answers operator A's
// users exactly as for an object that does not exist and never shows B's data.
func TestRouteTableIsolation(t *testing.T) {
	e := newEnv(t)
	var item, tok, ntc, sub struct{ ID int64 }
	e.do("bob", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"4.2","kind":"software","name":"%s UPF","serial":"%s-1","notes":"%s"}`, e.netB, marker, marker, marker), 201, &item)
	e.do("bob", "PATCH", fmt.Sprintf("/api/v1/networks/%d", e.netB), `{"name":"`+marker+` core"}`, 200, nil)
	e.do("bob", "POST", fmt.Sprintf("/api/v1/networks/%d/critical-parts", e.netB), `{"code":"B-PART","name_en":"`+marker+` part"}`, 201, nil)
	var nt struct {
		Token struct{ ID int64 }
	}
	e.do("bob", "POST", "/api/v1/users/bob/tokens", `{"name":"`+marker+`","scope":"read"}`, 201, &nt)
	tok.ID = nt.Token.ID
	owned := map[string]string{
		"items": fmt.Sprint(item.ID), "networks": fmt.Sprint(e.netB), "operators": "OPB", "users": "bob",
		"tokens": fmt.Sprint(tok.ID), "critical-parts": "B-PART",
	}
	// Objects of other areas, where their API makes them; a route whose object could not be
	// made still runs with a placeholder.
	if st, body := e.try("bob", "POST", "/api/v1/submissions", `{}`); st == 201 || st == 200 {
		if _, err := fmt.Sscanf(body[strings.Index(body, `"id":`)+5:], "%d", &sub.ID); err == nil {
			owned["submissions"] = fmt.Sprint(sub.ID)
		}
	}
	if st, body := e.try("bob", "POST", "/api/v1/notices", fmt.Sprintf(`{"title":"%s notice","lines":[{"change":"remove","current_item_id":%d,"planned_start":"2030-01-01"}]}`, marker, item.ID)); st == 201 {
		if _, err := fmt.Sscanf(body[strings.Index(body, `"id":`)+5:], "%d", &ntc.ID); err == nil {
			owned["notices"] = fmt.Sprint(ntc.ID)
		}
	}
	t.Logf("operator B's objects: %v", owned)
	before := e.count("items") + e.count("networks") + e.count("custom_parts") + e.count("tokens")

	ec := server.New(e.db, server.Config{}).Handler().(*echo.Echo)
	var routes []*echo.Route
	for _, r := range ec.Routes() {
		if strings.HasPrefix(r.Path, "/") && r.Method != echo.RouteNotFound && r.Method != "echo_route_any" {
			routes = append(routes, r)
		}
	}
	if len(routes) < 40 {
		t.Fatalf("the route table has %d routes; expected the whole API", len(routes))
	}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		body := ""
		if r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
			body = "{}"
		}
		// Anonymous.
		path, _ := fill(r.Path, owned, "999999")
		st, got := e.try("", r.Method, path, body)
		switch {
		case publicRoutes[key]:
		case strings.HasPrefix(r.Path, "/api/"):
			if st != http.StatusUnauthorized {
				t.Errorf("%s %s anonymous = %d, want 401", r.Method, path, st)
			}
		case st >= 500 || (st < 300 && strings.Contains(got, marker)):
			t.Errorf("%s %s anonymous = %d %.200s", r.Method, path, st, got)
		}
		if !strings.Contains(r.Path, ":") {
			continue
		}
		// Operator A's users against B's objects, and against objects that do not exist.
		for _, login := range []string{"alice", "eric"} {
			theirs, mapped := fill(r.Path, owned, "999999")
			missing, _ := fill(r.Path, map[string]string{"operators": "OPZ", "users": "nobody", "critical-parts": "NOPART"}, "999999")
			st1, b1 := e.try(login, r.Method, theirs, body)
			st2, b2 := e.try(login, r.Method, missing, body)
			switch {
			case st1 >= 500:
				t.Errorf("%s %s as %s = %d %.200s", r.Method, theirs, login, st1, b1)
			case strings.Contains(b1, marker):
				t.Errorf("%s %s as %s = %d and shows operator B's data: %.300s", r.Method, theirs, login, st1, b1)
			case mapped && st1 < 300:
				t.Errorf("%s %s as %s = %d: operator A reached B's object", r.Method, theirs, login, st1)
			case mapped && (st1 != st2 || title([]byte(b1)) != title([]byte(b2))):
				t.Errorf("%s as %s: B's object answers %d %s, a missing one %d %s: the answer tells that it exists", key, login, st1, title([]byte(b1)), st2, title([]byte(b2)))
			}
		}
	}
	after := e.count("items") + e.count("networks") + e.count("custom_parts") + e.count("tokens")
	if after != before {
		t.Errorf("objects before the sweep %d, after %d: another operator's user changed something", before, after)
	}
	e.do("bob", "GET", fmt.Sprintf("/api/v1/items/%d", item.ID), "", 200, nil)
	e.do("bob", "GET", "/api/v1/me", "", 200, nil)
}
