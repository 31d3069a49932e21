package server_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
)

// secret marks every restricted text the bureau writes, so that any answer an operator's
// user gets can be searched for it.
const secret = "SECRET-REASONING-7f3a"

func TestVettingRestrictedNeverReachesOperators(t *testing.T) {
	e := newEnv(t)
	var sp struct{ ID int64 }
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.4","kind":"equipment","model":"X 9000","manufacturer":"Hardware Co","manufacturer_country":"CN"}`, e.netA), 201, nil)
	e.do("bea", "GET", "/api/v1/suppliers?q=Hardware", "", 200, &struct{ Items []*struct{ ID int64 } }{Items: []*struct{ ID int64 }{&sp}})
	var before struct {
		Counts struct {
			Prohibited  int
			NotAssessed int `json:"not_assessed"`
		}
	}
	e.do("alice", "GET", "/api/v1/compliance?as_of=2026-01-01", "", 200, &before)
	if before.Counts.Prohibited != 0 || before.Counts.NotAssessed != 1 {
		t.Fatalf("compliance before the opinion = %+v, want 1 not assessed", before.Counts)
	}

	var party struct{ ID int64 }
	e.do("bea", "POST", "/api/v1/parties", fmt.Sprintf(`{"kind":"company","supplier_id":%d}`, sp.ID), 201, &party)
	var state struct{ ID int64 }
	e.do("bea", "POST", "/api/v1/parties", `{"kind":"state_body","name":"Assets commission","country":"CN"}`, 201, &state)
	e.do("bea", "POST", "/api/v1/ownership", fmt.Sprintf(`{"subject_id":%d,"owner_id":%d,"share":{"exact":51},"source":"register"}`, party.ID, state.ID), 201, nil)
	e.do("bea", "POST", fmt.Sprintf("/api/v1/suppliers/%d/analyst-entries", sp.ID), `{"criterion":"65.3","finding":"met","text":"`+secret+` partner report"}`, 201, nil)
	var op struct{ ID int64 }
	body := e.do("bea", "POST", "/api/v1/opinions", fmt.Sprintf(`{"reference":"SAB-2025-1","subject_kind":"product","supplier_id":%d,"product":"X 9000",
		"verdict":"threat","issued_on":"2025-06-01","public_summary":"may threaten national security","rationale":"%s"}`, sp.ID, secret), 201, &op)
	if !strings.Contains(string(body), secret) {
		t.Errorf("POST /api/v1/opinions as the bureau = %s, want the rationale back", body)
	}
	var other struct{ ID int64 }
	e.do("bea", "POST", "/api/v1/opinions", fmt.Sprintf(`{"reference":"SAB-2025-2","subject_kind":"supplier","supplier_id":%d,
		"verdict":"no_objection","issued_on":"2025-01-01","public_summary":"earlier","rationale":"%s"}`, sp.ID, secret), 201, &other)
	e.do("bea", "POST", fmt.Sprintf("/api/v1/opinions/%d/revoke", other.ID), `{"reference":"SAB-2025-2R","revoked_on":"2025-05-01","public_summary":"withdrawn","rationale":"`+secret+`"}`, 200, nil)

	var after struct {
		Counts struct {
			Prohibited        int
			ProhibitedInForce int `json:"prohibited_in_force"`
		}
		Items []struct {
			Point64 struct {
				Status    string
				BindsFrom string `json:"binds_from"`
			}
		}
	}
	e.do("alice", "GET", "/api/v1/compliance?as_of=2026-01-01", "", 200, &after)
	if after.Counts.Prohibited != 1 || after.Counts.ProhibitedInForce != 0 || len(after.Items) != 1 || after.Items[0].Point64.BindsFrom != "2030-01-01" {
		t.Errorf("compliance after the opinion = %+v, want 1 prohibited from 2030 (legacy network)", after)
	}

	// Every endpoint an operator's user may call answers without the restricted text.
	for _, path := range []string{
		"/api/v1/opinions", fmt.Sprintf("/api/v1/opinions/%d", op.ID), fmt.Sprintf("/api/v1/opinions/%d", other.ID),
		"/api/v1/opinions?status=revoked", "/api/v1/compliance", "/api/v1/compliance?status=prohibited",
		"/api/v1/compliance?as_of=2031-01-01", fmt.Sprintf("/api/v1/suppliers/%d/eligibility", sp.ID),
		fmt.Sprintf("/api/v1/suppliers/%d", sp.ID), "/api/v1/audit", "/api/v1/audit?object_type=opinion", "/api/v1/states/CN",
		"/api/v1/items", "/api/v1/openapi.json", "/api/v1/states?designated=true",
	} {
		for _, login := range []string{"alice", "eric", "bob"} {
			b := e.do(login, "GET", path, "", http.StatusOK, nil)
			// The OpenAPI document names the restricted field; answers must not carry it.
			leak := strings.Contains(string(b), secret) || path != "/api/v1/openapi.json" && strings.Contains(string(b), `"restricted"`)
			if leak {
				t.Errorf("GET %s as %s leaks restricted data: %s", path, login, b)
			}
		}
	}
	// The bureau's endpoints refuse them, and the refusal says nothing restricted.
	for _, r := range []struct{ method, path, body string }{
		{"GET", fmt.Sprintf("/api/v1/suppliers/%d/analyst-entries", sp.ID), ""},
		{"POST", fmt.Sprintf("/api/v1/suppliers/%d/analyst-entries", sp.ID), `{"criterion":"65.3","finding":"met","text":"x"}`},
		{"GET", fmt.Sprintf("/api/v1/suppliers/%d/indicators", sp.ID), ""},
		{"GET", "/api/v1/parties", ""},
		{"GET", fmt.Sprintf("/api/v1/parties/%d", party.ID), ""},
		{"GET", "/api/v1/ownership", ""},
		{"GET", fmt.Sprintf("/api/v1/opinions/%d/impact", op.ID), ""},
		{"POST", "/api/v1/opinions/impact", `{"subject_kind":"supplier","supplier":"Hardware Co","verdict":"threat","public_summary":"d"}`},
		{"POST", "/api/v1/opinions", `{"reference":"X","subject_kind":"supplier","supplier":"Hardware Co","verdict":"threat","public_summary":"d"}`},
		{"POST", fmt.Sprintf("/api/v1/opinions/%d/revoke", op.ID), `{"reference":"Y","public_summary":"z"}`},
		{"PATCH", "/api/v1/states/CN", `{"facts":[]}`},
		{"POST", "/api/v1/ownership/bods", `[]`},
	} {
		b := e.do("alice", r.method, r.path, r.body, http.StatusForbidden, nil)
		if strings.Contains(string(b), secret) {
			t.Errorf("%s %s as alice leaks: %s", r.method, r.path, b)
		}
	}
	e.do("alice", "GET", "/api/v1/compliance?operator=OPB", "", http.StatusNotFound, nil)

	// The bureau reads the rationale and the entries, and each read leaves a record.
	if b := e.do("bea", "GET", fmt.Sprintf("/api/v1/opinions/%d", op.ID), "", 200, nil); !strings.Contains(string(b), secret) {
		t.Errorf("GET opinion as the bureau = %s, want the rationale", b)
	}
	if b := e.do("bea", "GET", fmt.Sprintf("/api/v1/suppliers/%d/analyst-entries", sp.ID), "", 200, nil); !strings.Contains(string(b), secret) {
		t.Errorf("GET analyst entries as the bureau = %s, want the entry", b)
	}
	for _, action := range []string{"opinion.read_restricted", "analyst_entries.read", "opinion.issue", "opinion.revoke", "party.create", "ownership.create", "analyst_entry.create"} {
		var recs struct{ Items []struct{ Login string } }
		e.do("root", "GET", "/api/v1/audit?action="+action, "", 200, &recs)
		if len(recs.Items) == 0 || recs.Items[0].Login != "bea" {
			t.Errorf("audit records of %s = %+v, want one by bea", action, recs.Items)
		}
	}

	// The bureau sees the impact of the opinion and of a draft.
	var im struct {
		Items     int
		Operators []struct{ Operator string }
	}
	e.do("bea", "GET", fmt.Sprintf("/api/v1/opinions/%d/impact", op.ID), "", 200, &im)
	if im.Items != 1 || len(im.Operators) != 1 || im.Operators[0].Operator != "OPA" {
		t.Errorf("impact = %+v, want 1 item of OPA", im)
	}
	e.do("bea", "POST", "/api/v1/opinions/impact", `{"subject_kind":"supplier","supplier":"Hardware Co","verdict":"threat","public_summary":"d"}`, 200, &im)
	if im.Items != 1 {
		t.Errorf("draft impact = %+v, want 1 item", im)
	}
	var ind struct{ Met []struct{ Criterion string } }
	e.do("bea", "GET", fmt.Sprintf("/api/v1/suppliers/%d/indicators?as_of=2025-06-01&threshold=50", sp.ID), "", 200, &ind)
	if len(ind.Met) == 0 {
		t.Errorf("indicators = %+v, want criteria met", ind)
	}
}

func TestVettingStatesAndBODS(t *testing.T) {
	e := newEnv(t)
	var states struct{ Items []struct{ Code string } }
	e.do("alice", "GET", "/api/v1/states?member=no&designated=true&as_of=2025-06-01", "", 200, &states)
	var codes []string
	for _, s := range states.Items {
		codes = append(codes, s.Code)
	}
	if strings.Join(codes, ",") != "CN,KP,RU" {
		t.Errorf("designated non-member states = %v, want CN, KP, RU", codes)
	}
	e.do("bea", "PATCH", "/api/v1/states/IR", `{"facts":[{"kind":"no_agreement","since":"2020-01-01","title":"no agreement","source":"bureau","verified":true}]}`, 200, nil)
	var ir struct{ Criteria []string }
	e.do("alice", "GET", "/api/v1/states/IR", "", 200, &ir)
	if strings.Join(ir.Criteria, ",") != "65.1.1,65.1.4" {
		t.Errorf("IR criteria after PATCH = %v, want 65.1.1, 65.1.4", ir.Criteria)
	}
	e.do("bea", "PATCH", "/api/v1/states/IR", `{"facts":[{"kind":"bogus","title":"","source":""}]}`, 422, nil)
	e.do("alice", "GET", "/api/v1/states/ZZ", "", 404, nil)

	data, err := os.ReadFile("../vetting/testdata/bods-0.4.json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		PartiesCreated    int `json:"parties_created"`
		StatementsCreated int `json:"statements_created"`
	}
	e.do("bea", "POST", "/api/v1/ownership/bods", string(data), 200, &res)
	if res.PartiesCreated != 4 || res.StatementsCreated != 3 {
		t.Errorf("BODS import = %+v, want 4 parties and 3 statements", res)
	}
	var sts struct{ Items []struct{ ID int64 } }
	e.do("bea", "GET", "/api/v1/ownership?limit=1", "", 200, &sts)
	e.do("bea", "PATCH", fmt.Sprintf("/api/v1/ownership/%d", sts.Items[0].ID), `{"end_date":"2030-01-01"}`, 200, nil)
	e.do("bea", "PATCH", fmt.Sprintf("/api/v1/ownership/%d", sts.Items[0].ID), `{"share":{"exact":150}}`, 422, nil)
	e.do("bea", "DELETE", fmt.Sprintf("/api/v1/ownership/%d", sts.Items[0].ID), "", 204, nil)
}
