package server_test

import (
	"fmt"
	"strings"
	"testing"

	"critreg/inventory"
)

// TestIsolation tries every one of operator B's objects and lists with operator A's token:
// nothing of B is read, listed, changed or even confirmed to exist.
func TestIsolation(t *testing.T) {
	e := newEnv(t)
	var itB inventory.Item
	e.do("bob", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"4.2","kind":"software","name":"B's UPF","manufacturer":"B-only Vendor"}`, e.netB), 201, &itB)
	e.do("bob", "POST", fmt.Sprintf("/api/v1/networks/%d/critical-parts", e.netB), `{"code":"B-PART","name_en":"B's own part"}`, 201, nil)
	before := e.count("items") + e.count("networks") + e.count("custom_parts")

	// Objects of B answer 404 to A, exactly as objects that do not exist.
	type target struct{ item, network, operator, login string }
	theirs := target{fmt.Sprint(itB.ID), fmt.Sprint(e.netB), "OPB", "bob"}
	missing := target{"999999", "999998", "OPZ", "nobody"}
	for _, c := range []struct {
		method string
		path   func(target) string
		body   string
	}{
		{"GET", func(x target) string { return "/api/v1/items/" + x.item }, ""},
		{"PATCH", func(x target) string { return "/api/v1/items/" + x.item }, `{"name":"mine now"}`},
		{"DELETE", func(x target) string { return "/api/v1/items/" + x.item }, ""},
		{"GET", func(x target) string { return "/api/v1/networks/" + x.network }, ""},
		{"PATCH", func(x target) string { return "/api/v1/networks/" + x.network }, `{"legacy":true}`},
		{"DELETE", func(x target) string { return "/api/v1/networks/" + x.network }, ""},
		{"GET", func(x target) string { return "/api/v1/operators/" + x.operator }, ""},
		{"PATCH", func(x target) string { return "/api/v1/operators/" + x.operator }, `{"name":"x"}`},
		{"GET", func(x target) string { return "/api/v1/critical-parts?network_id=" + x.network }, ""},
		{"POST", func(x target) string { return "/api/v1/networks/" + x.network + "/critical-parts" }, `{"code":"A-PART","name_en":"x"}`},
		{"DELETE", func(x target) string { return "/api/v1/networks/" + x.network + "/critical-parts/B-PART" }, ""},
		{"GET", func(x target) string { return "/api/v1/users/" + x.login + "/tokens" }, ""},
	} {
		for _, login := range []string{"alice", "eric"} {
			b1 := e.do(login, c.method, c.path(theirs), c.body, 404, nil)
			b2 := e.do(login, c.method, c.path(missing), c.body, 404, nil)
			if title(b1) != title(b2) {
				t.Errorf("%s %s: another operator's object answers %s, a missing one %s", c.method, c.path(theirs), b1, b2)
			}
		}
	}
	// Lists never show B's objects to A.
	for _, path := range []string{"/api/v1/items?limit=1000", fmt.Sprintf("/api/v1/items?network_id=%d", e.netB), "/api/v1/items?operator=OPB",
		"/api/v1/items?q=UPF", "/api/v1/networks", "/api/v1/networks?operator=OPB", "/api/v1/operators", "/api/v1/audit?limit=1000"} {
		raw := e.do("alice", "GET", path, "", 200, nil)
		if strings.Contains(string(raw), "B's") || strings.Contains(string(raw), "OPB") || strings.Contains(string(raw), "5G core") {
			t.Errorf("GET %s as alice shows operator B's data: %s", path, raw)
		}
	}
	// Creating into B's network is refused as if it did not exist.
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":"x"}`, e.netB), 422, nil)
	e.do("alice", "POST", "/api/v1/networks", `{"operator":"OPB","name":"x","technology":"4G"}`, 422, nil)
	if after := e.count("items") + e.count("networks") + e.count("custom_parts"); after != before {
		t.Fatalf("A's requests changed B's data: %d rows → %d", before, after)
	}
	// Anonymous clients get 401 everywhere under /api/v1 but the document.
	for _, path := range []string{"/api/v1/items", "/api/v1/operators", fmt.Sprintf("/api/v1/items/%d", itB.ID), "/api/v1/audit", "/api/v1/suppliers"} {
		e.do("", "GET", path, "", 401, nil)
	}
}

func title(b []byte) string {
	s := string(b)
	i := strings.Index(s, `"title"`)
	if i < 0 {
		return s
	}
	return s[i : i+strings.Index(s[i:], ",")]
}
