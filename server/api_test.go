package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"critreg/audit"
	"critreg/inventory"
)

type itemList struct {
	Items      []inventory.Item `json:"items"`
	NextCursor string           `json:"next_cursor"`
}

type problemBody struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Errors []struct {
		Field, Message string
	} `json:"errors"`
}

func TestCriticalPartsContract(t *testing.T) {
	e := newEnv(t)
	var got struct {
		Items []map[string]any `json:"items"`
	}
	e.do("alice", "GET", "/api/v1/critical-parts", "", 200, &got)
	if len(got.Items) != 41 {
		t.Fatalf("critical parts = %d, want the 41 functions of annex 6", len(got.Items))
	}
	amf := got.Items[22]
	if amf["code"] != "4.1" || amf["short"] != "AMF" || amf["name_en"] != "Access and Mobility Management Function" ||
		amf["name_lv"] != "Piekļuves un mobilo sakaru pārvaldības funkcija" || amf["technology"] != "5G" {
		t.Errorf("critical part 23 = %v, want AMF (4.1)", amf)
	}
}

func TestItemCRUD(t *testing.T) {
	e := newEnv(t)
	var it inventory.Item
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"AMF","kind":"software","name":"AMF","model":"Packet Core Controller",
		"version":"1.18","manufacturer":"Ericsson AB","manufacturer_country":"se","origin_country":"SE","serial":"","quantity":2,"site":"Riga"}`, e.netA), 201, &it)
	if it.ID == 0 || it.CriticalPart != "4.1" || it.ManufacturerCountry != "SE" || it.Manufacturer != "Ericsson AB" || it.Operator != "OPA" || it.Source != inventory.SourceAPI {
		t.Fatalf("created item = %+v", it)
	}
	var got inventory.Item
	e.do("alice", "GET", fmt.Sprintf("/api/v1/items/%d", it.ID), "", 200, &got)
	if got.Name != "AMF" || got.Quantity != 2 {
		t.Fatalf("GET item = %+v", got)
	}
	// PATCH changes only what is sent.
	e.do("eric", "PATCH", fmt.Sprintf("/api/v1/items/%d", it.ID), `{"version":"1.19"}`, 200, &got)
	if got.Version != "1.19" || got.Model != "Packet Core Controller" || got.Quantity != 2 {
		t.Fatalf("PATCH item = %+v", got)
	}
	// The manufacturer was added to the shared register once.
	var sps struct{ Items []inventory.Supplier }
	e.do("bob", "GET", "/api/v1/suppliers?q=ericsson", "", 200, &sps)
	if len(sps.Items) != 1 || sps.Items[0].Country != "SE" {
		t.Fatalf("suppliers = %+v, want Ericsson AB (SE)", sps.Items)
	}
	e.do("alice", "DELETE", fmt.Sprintf("/api/v1/items/%d", it.ID), "", 204, nil)
	e.do("alice", "GET", fmt.Sprintf("/api/v1/items/%d", it.ID), "", 404, nil)

	// Every change left an audit record with before and after.
	recs, err := audit.List(context.Background(), e.db.Read, auditAll(), audit.Filter{ObjectType: "item", ObjectID: fmt.Sprint(it.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range recs {
		actions = append(actions, r.Action+"/"+r.Login)
	}
	if strings.Join(actions, ",") != "item.delete/alice,item.update/eric,item.create/alice" {
		t.Fatalf("audit of the item = %v", actions)
	}
	if !strings.Contains(string(recs[1].Before), `"version":"1.18"`) || !strings.Contains(string(recs[1].After), `"version":"1.19"`) {
		t.Errorf("update record before/after = %s / %s", recs[1].Before, recs[1].After)
	}
	if recs[1].IP != "127.0.0.1" {
		t.Errorf("audit IP = %q, want 127.0.0.1", recs[1].IP)
	}
}

func TestFiltersSearchAndPagination(t *testing.T) {
	e := newEnv(t)
	makers := []string{"Nokia Solutions and Networks Oy", "Ericsson AB", "Huawei Technologies Co., Ltd."}
	parts := []string{"2.1", "2.4", "2.6"}
	for i := range 30 {
		kind := "equipment"
		if i%3 == 2 {
			kind = "software"
		}
		e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":%q,"kind":%q,"name":"node %d","model":"Model-%d","manufacturer":%q,"serial":"SN%04d"}`,
			e.netA, parts[i%3], kind, i, i%5, makers[i%3], i), 201, nil)
	}
	e.do("bob", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"4.2","kind":"software","name":"node secret","manufacturer":"Ericsson AB"}`, e.netB), 201, nil)

	collect := func(login, query string, limit int) []inventory.Item {
		var all []inventory.Item
		cursor := ""
		for pages := 0; ; pages++ {
			var l itemList
			e.do(login, "GET", fmt.Sprintf("/api/v1/items?limit=%d&cursor=%s&%s", limit, cursor, query), "", 200, &l)
			all = append(all, l.Items...)
			if l.NextCursor == "" {
				return all
			}
			if pages > 100 {
				t.Fatal("pagination does not end")
			}
			cursor = l.NextCursor
		}
	}
	for _, c := range []struct {
		login, query string
		want         int
	}{
		{"alice", "", 30},
		{"bea", "", 31},
		{"bob", "", 1},
		{"alice", "critical_part=2.4", 10},
		{"alice", "critical_part=MME", 10},
		{"alice", "kind=software", 10},
		{"alice", fmt.Sprintf("network_id=%d", e.netA), 30},
		{"alice", fmt.Sprintf("network_id=%d", e.netB), 0},
		{"alice", "q=huawei", 10},
		{"alice", "q=HUAW+model-1", 2},
		{"alice", "q=SN0007", 1},
		{"alice", "q=secret", 0},
		{"bea", "q=secret", 1},
		{"bea", "operator=OPB", 1},
		{"alice", `q=%22%29+OR+1%3D1+--`, 0},
	} {
		for _, limit := range []int{7, 1000} {
			got := collect(c.login, c.query, limit)
			if len(got) != c.want {
				t.Errorf("GET /items?%s as %s (limit %d) = %d items, want %d", c.query, c.login, limit, len(got), c.want)
			}
			seen := map[int64]bool{}
			for i, it := range got {
				if seen[it.ID] || (i > 0 && it.ID <= got[i-1].ID) {
					t.Fatalf("GET /items?%s: pages repeat or skip (id %d)", c.query, it.ID)
				}
				seen[it.ID] = true
			}
		}
	}
	for _, bad := range []string{"limit=0", "limit=1001", "limit=x", "cursor=bogus", "network_id=-1"} {
		var p problemBody
		e.do("alice", "GET", "/api/v1/items?"+bad, "", 400, &p)
		if len(p.Errors) != 1 {
			t.Errorf("GET /items?%s: problem = %+v, want one field error", bad, p)
		}
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	e := newEnv(t)
	items, audits := e.count("items"), e.count("audit_log")
	long := strings.Repeat("x", 201)
	for _, c := range []struct {
		name, body string
		status     int
		fields     []string
	}{
		{"malformed JSON", `{"network_id":`, 400, nil},
		{"not an object", `[1,2]`, 400, nil},
		{"two objects", `{"network_id":1} {}`, 400, nil},
		{"unknown field", fmt.Sprintf(`{"network_id":%d,"colour":"red"}`, e.netA), 400, []string{"colour"}},
		{"wrong type", `{"network_id":"one"}`, 400, []string{"network_id"}},
		{"quantity as text", fmt.Sprintf(`{"network_id":%d,"quantity":"2"}`, e.netA), 400, []string{"quantity"}},
		{"missing fields", fmt.Sprintf(`{"network_id":%d}`, e.netA), 422, []string{"critical_part", "kind", "name"}},
		{"unknown part and country", fmt.Sprintf(`{"network_id":%d,"critical_part":"9.9","kind":"equipment","name":"x","origin_country":"XX","manufacturer_country":"Narnia"}`, e.netA), 422,
			[]string{"critical_part", "manufacturer_country", "origin_country"}},
		{"over-long name", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":%q}`, e.netA, long), 422, []string{"name"}},
		{"control characters", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":"a\u0000b"}`, e.netA), 422, []string{"name"}},
		{"bad date and quantity", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":"a","in_service_since":"31.02.2020","quantity":-3}`, e.netA), 422,
			[]string{"in_service_since", "quantity"}},
		{"outsourcing without provider", fmt.Sprintf(`{"network_id":%d,"critical_part":"1.8","kind":"outsourcing","name":"NOC"}`, e.netA), 422, []string{"outsourcing_provider"}},
		{"another operator's network", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":"x"}`, e.netB), 422, []string{"network_id"}},
		{"no such network", `{"network_id":999,"critical_part":"2.1","kind":"equipment","name":"x"}`, 422, []string{"network_id"}},
		{"huge body", `{"name":"` + strings.Repeat("a", 70<<10) + `"}`, 413, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p problemBody
			e.do("alice", "POST", "/api/v1/items", c.body, c.status, &p)
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Field)
			}
			for _, want := range c.fields {
				if !strings.Contains(" "+strings.Join(fields, " ")+" ", " "+want+" ") {
					t.Errorf("problem fields = %v, want %q among them", fields, want)
				}
			}
		})
	}
	if e.count("items") != items || e.count("audit_log") != audits || e.count("suppliers") != 0 {
		t.Fatalf("bad input changed the database: items %d→%d, audit %d→%d, suppliers %d", items, e.count("items"), audits, e.count("audit_log"), e.count("suppliers"))
	}
	// The wrong content type is refused too.
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/items", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+e.tokens["alice"])
	req.Header.Set("Content-Type", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 415 {
		t.Errorf("POST text/plain = %d, want 415", resp.StatusCode)
	}
}

func TestHostileStringsStoredVerbatim(t *testing.T) {
	e := newEnv(t)
	for _, s := range []string{`Robert'); DROP TABLE items;--`, `<script>alert(1)</script>`, `" OR 1=1 --`, `ķīna ☃ 中文`} {
		var it inventory.Item
		body, _ := json.Marshal(map[string]any{"network_id": e.netA, "critical_part": "2.1", "kind": "equipment", "name": s, "notes": s, "site": s})
		e.do("alice", "POST", "/api/v1/items", string(body), 201, &it)
		var got inventory.Item
		raw := e.do("alice", "GET", fmt.Sprintf("/api/v1/items/%d", it.ID), "", 200, &got)
		if got.Name != s || got.Notes != s || got.Site != s {
			t.Errorf("stored %q, read back %q", s, got.Name)
		}
		if strings.Contains(string(raw), "<script>") {
			t.Errorf("JSON answer carries raw markup: %s", raw)
		}
	}
}

func TestOperatorsNetworksSuppliersByRole(t *testing.T) {
	e := newEnv(t)
	e.do("root", "POST", "/api/v1/operators", `{"code":"opc","name":"Operator C","registration_no":"4000"}`, 201, nil)
	e.do("root", "POST", "/api/v1/operators", `{"code":"OPC","name":"dup"}`, 422, nil)
	e.do("alice", "POST", "/api/v1/operators", `{"code":"OPD","name":"D"}`, 403, nil)
	e.do("bea", "POST", "/api/v1/operators", `{"code":"OPD","name":"D"}`, 403, nil)
	var ops struct{ Items []inventory.Operator }
	e.do("alice", "GET", "/api/v1/operators", "", 200, &ops)
	if len(ops.Items) != 1 || ops.Items[0].Code != "OPA" {
		t.Errorf("operators as alice = %+v, want only OPA", ops.Items)
	}
	e.do("bea", "GET", "/api/v1/operators", "", 200, &ops)
	if len(ops.Items) != 3 {
		t.Errorf("operators as the bureau = %d, want 3", len(ops.Items))
	}
	e.do("alice", "PATCH", "/api/v1/operators/OPA", `{"contact":"compliance@opa.example"}`, 200, nil)
	e.do("alice", "PATCH", "/api/v1/operators/OPA", `{"code":"OPX"}`, 422, nil)
	e.do("root", "DELETE", "/api/v1/operators/OPA", "", 409, nil)
	e.do("root", "DELETE", "/api/v1/operators/OPC", "", 204, nil)

	// The bureau reads every list but writes none of it.
	e.do("bea", "POST", "/api/v1/networks", `{"operator":"OPA","name":"x","technology":"4G"}`, 403, nil)
	e.do("bea", "PATCH", fmt.Sprintf("/api/v1/networks/%d", e.netA), `{"legacy":false}`, 403, nil)
	e.do("alice", "PATCH", fmt.Sprintf("/api/v1/networks/%d", e.netA), `{"technology":"6G"}`, 422, nil)
	e.do("alice", "POST", "/api/v1/networks", `{"name":"LTE","technology":"4G"}`, 422, nil)

	// Declared critical parts (63.1).
	e.do("alice", "POST", fmt.Sprintf("/api/v1/networks/%d/critical-parts", e.netA), `{"code":"4.1","name_en":"x"}`, 422, nil)
	e.do("alice", "POST", fmt.Sprintf("/api/v1/networks/%d/critical-parts", e.netA), `{"code":"OSS-1","name_en":"Provisioning system"}`, 201, nil)
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"oss-1","kind":"software","name":"Provisioning"}`, e.netA), 201, nil)
	e.do("alice", "DELETE", fmt.Sprintf("/api/v1/networks/%d/critical-parts/OSS-1", e.netA), "", 409, nil)
	var parts struct{ Items []inventory.CriticalPart }
	e.do("alice", "GET", fmt.Sprintf("/api/v1/critical-parts?network_id=%d", e.netA), "", 200, &parts)
	if len(parts.Items) != 42 || !parts.Items[41].Custom {
		t.Errorf("critical parts of network A = %d, want 41 + 1 declared", len(parts.Items))
	}

	// Suppliers: anyone adds; only the bureau or an admin changes the shared register.
	var sp inventory.Supplier
	e.do("alice", "POST", "/api/v1/suppliers", `{"name":"Acme SIA","country":"LV","roles":["distributor"]}`, 201, &sp)
	e.do("bob", "POST", "/api/v1/suppliers", `{"name":"ACME, SIA"}`, 422, nil)
	e.do("alice", "PATCH", fmt.Sprintf("/api/v1/suppliers/%d", sp.ID), `{"country":"CN"}`, 403, nil)
	e.do("bea", "PATCH", fmt.Sprintf("/api/v1/suppliers/%d", sp.ID), `{"country":"EE"}`, 200, &sp)
	if sp.Country != "EE" || sp.Name != "Acme SIA" {
		t.Errorf("supplier after PATCH = %+v", sp)
	}
	e.do("bea", "PATCH", fmt.Sprintf("/api/v1/suppliers/%d", sp.ID), `{"roles":["wizard"]}`, 422, nil)
}

func TestAuditEndpointScope(t *testing.T) {
	e := newEnv(t)
	var l struct{ Items []audit.Record }
	e.do("bob", "GET", "/api/v1/audit?limit=1000", "", 200, &l)
	for _, r := range l.Items {
		if r.OperatorID != 2 {
			t.Errorf("bob sees audit record %d of operator %d", r.ID, r.OperatorID)
		}
	}
	if len(l.Items) == 0 {
		t.Error("bob sees no audit records of his own operator")
	}
	e.do("bea", "GET", "/api/v1/audit?object_type=network", "", 200, &l)
	if len(l.Items) != 2 {
		t.Errorf("network records for the bureau = %d, want 2", len(l.Items))
	}
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	var nt struct {
		Token  struct{ ID int64 }
		Secret string
	}
	e.do("alice", "POST", "/api/v1/users/alice/tokens", `{"name":"script","scope":"read"}`, 201, &nt)
	e.tokens["alice-ro"] = nt.Secret
	e.do("alice-ro", "GET", "/api/v1/items", "", 200, nil)
	e.do("alice-ro", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":"x"}`, e.netA), 403, nil)
	// Listing shows no secret; the database holds none either.
	raw := e.do("alice", "GET", "/api/v1/users/alice/tokens", "", 200, nil)
	if strings.Contains(string(raw), nt.Secret) || strings.Contains(string(raw), nt.Secret[4:]) {
		t.Fatal("token list shows the secret")
	}
	var stored int
	e.db.Read.QueryRow(`SELECT count(*) FROM tokens WHERE hash = ? OR prefix = ?`, nt.Secret, nt.Secret).Scan(&stored)
	if stored != 0 {
		t.Fatal("the token's secret is stored in clear")
	}
	e.do("bob", "GET", "/api/v1/users/alice/tokens", "", 404, nil)
	e.do("bob", "DELETE", fmt.Sprintf("/api/v1/tokens/%d", nt.Token.ID), "", 404, nil)
	e.do("alice", "DELETE", fmt.Sprintf("/api/v1/tokens/%d", nt.Token.ID), "", 204, nil)
	e.do("alice-ro", "GET", "/api/v1/items", "", 401, nil)
	e.tokens["nobody"] = "crt_notatoken"
	e.do("nobody", "GET", "/api/v1/items", "", 401, nil)
	e.do("", "GET", "/api/v1/items", "", 401, nil)
}

// auditAll is an actor that reads the whole trail.
func auditAll() (a accessActor) { return bureauActor() }
