package notice_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/xuri/excelize/v2"

	"critreg/access"
	"critreg/account"
	"critreg/inventory"
	"critreg/notice"
	"critreg/server"
	"critreg/store"
	"critreg/store/storetest"
	"critreg/vetting"
)

// api is the real router over a fresh database: operators OPA and OPB, a token per user,
// a network each.
type api struct {
	t      *testing.T
	db     *store.DB
	srv    *httptest.Server
	tokens map[string]string
	netA   int64
	netB   int64
}

func newAPI(t *testing.T) *api {
	t.Helper()
	db := storetest.Open(t, server.Schemas()...)
	log := logrus.New()
	log.SetOutput(io.Discard)
	srv := httptest.NewServer(server.New(db, server.Config{Log: log}).Handler())
	t.Cleanup(srv.Close)
	e := &api{t: t, db: db, srv: srv, tokens: map[string]string{}}
	ctx, sys := context.Background(), access.System()
	inv, acc := inventory.NewStore(db), account.New(db)
	for _, code := range []string{"OPA", "OPB"} {
		if _, err := inv.CreateOperator(ctx, sys, inventory.OperatorInput{Code: code, Name: "Operator " + code, RegistrationNo: "4000" + code}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []account.UserInput{
		{Login: "alice", Role: access.RoleOperator, Operator: "OPA"},
		{Login: "eric", Role: access.RoleEngineer, Operator: "OPA"},
		{Login: "bob", Role: access.RoleOperator, Operator: "OPB"},
		{Login: "bea", Role: access.RoleBureau},
		{Login: "root", Role: access.RoleAdmin},
	} {
		u.Password = "correct horse battery"
		if _, err := acc.AddUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		_, secret, err := acc.CreateToken(ctx, sys, u.Login, "test", account.ScopeWrite, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[u.Login] = secret
	}
	var n struct{ ID int64 }
	e.do("alice", "POST", "/api/v1/networks", `{"name":"LTE","technology":"4G","legacy":true}`, 201, &n)
	e.netA = n.ID
	e.do("bob", "POST", "/api/v1/networks", `{"name":"B core","technology":"5G"}`, 201, &n)
	e.netB = n.ID
	return e
}

// do sends a request as login ("" for nobody), checks the status and decodes the answer
// into out when given. It returns the body.
func (e *api) do(login, method, path, body string, want int, out any) []byte {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
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
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s as %q = %d %s, want %d", method, path, login, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
	return b
}

func (e *api) item(login string, body string) int64 {
	e.t.Helper()
	var it struct{ ID int64 }
	e.do(login, "POST", "/api/v1/items", body, 201, &it)
	return it.ID
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestAPIExemptionCheck(t *testing.T) {
	e := newAPI(t)
	mine := e.item("eric", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.4","kind":"equipment","name":"MME","model":"MME 1000","manufacturer":"Ericsson AB"}`, e.netA))
	theirs := e.item("bob", fmt.Sprintf(`{"network_id":%d,"critical_part":"4.1","kind":"equipment","name":"AMF","model":"A1","manufacturer":"Nokia"}`, e.netB))

	var res notice.CheckResult
	e.do("eric", "POST", "/api/v1/exemption-check", fmt.Sprintf(`{"change":"replace_device","current_item_id":%d,"new":{"serial":"S2"}}`, mine), 200, &res)
	if res.Exemption.Verdict != inventory.VerdictExempt || res.Exemption.Clause != "63.3.1" || res.Exemption.Reasons[0].LV == "" ||
		res.Point64 == nil || res.Point64.Status != notice.StatusNotAssessed || res.Operator != "OPA" {
		t.Errorf("check(same model) = %+v, want exempt 63.3.1 with reasons, point 64 not assessed", res)
	}
	e.do("eric", "POST", "/api/v1/exemption-check", fmt.Sprintf(`{"change":"replace_device","current_item_id":%d,"new":{"manufacturer":"Huawei","model":"X"}}`, mine), 200, &res)
	if res.Exemption.Verdict != inventory.VerdictNoticeRequired {
		t.Errorf("check(other manufacturer) = %s, want notice_required", res.Exemption.Verdict)
	}
	e.do("eric", "POST", "/api/v1/exemption-check", fmt.Sprintf(`{"change":"replace_device","current_item_id":%d}`, theirs), 422, nil)
	res = notice.CheckResult{}
	e.do("bea", "POST", "/api/v1/exemption-check", fmt.Sprintf(`{"operator":"OPB","change":"remove","current_item_id":%d}`, theirs), 200, &res)
	if res.Exemption.Verdict != inventory.VerdictNoNotice || res.Point64 != nil {
		t.Errorf("check(remove) = %+v, want no notice and no point-64 status", res)
	}
	// A same-model replacement of a prohibited model is exempt from notice and prohibited;
	// in this legacy network the prohibition binds from 2030-01-01.
	hw := e.item("eric", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.5","kind":"equipment","name":"SGW","model":"UGW9811","manufacturer":"Huawei Technologies Co., Ltd."}`, e.netA))
	if _, err := vetting.New(e.db).Issue(context.Background(), access.Actor{Login: "bea", Role: access.RoleBureau}, vetting.OpinionInput{
		Reference: "SAB-2026/9", SubjectKind: vetting.SubjectProduct, Supplier: "Huawei Technologies", Product: "UGW9811", Verdict: vetting.VerdictThreat,
		IssuedOn: "2026-01-15", PublicSummary: "may threaten national security", Rationale: "restricted"}); err != nil {
		t.Fatal(err)
	}
	res = notice.CheckResult{}
	e.do("eric", "POST", "/api/v1/exemption-check", fmt.Sprintf(`{"change":"replace_device","current_item_id":%d,"new":{"serial":"H2"}}`, hw), 200, &res)
	if res.Exemption.Clause != "63.3.1" || res.Point64 == nil || res.Point64.Status != notice.StatusProhibited || res.Point64.BindsFrom != "2030-01-01" ||
		len(res.Point64.Opinions) != 1 || res.Point64.Opinions[0] != "SAB-2026/9" || !strings.Contains(res.Summary.EN, "prohibits") {
		t.Errorf("check(same model, prohibited) = %+v / %+v, want exempt under 63.3.1 and prohibited from 2030-01-01 by SAB-2026/9", res.Exemption, res.Point64)
	}

	e.do("", "POST", "/api/v1/exemption-check", `{"change":"remove"}`, 401, nil)
	e.do("eric", "POST", "/api/v1/exemption-check", `{"change":"remove","similar":true}`, 400, nil)
}

func TestAPISubmissions(t *testing.T) {
	e := newAPI(t)
	id := e.item("alice", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.4","kind":"equipment","name":"MME <core> & co","model":"MME 1000","manufacturer":"Ericsson AB","version":"1.0"}`, e.netA))
	e.item("alice", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"software","name":"HSS","manufacturer":"Ericsson AB","version":"3"}`, e.netA))

	var v1 notice.ListSubmission
	e.do("alice", "POST", "/api/v1/submissions", `{}`, 201, &v1)
	if v1.Version != 1 || v1.ItemCount != 2 || v1.Receipt.SHA256 == "" || v1.Receipt.SubmittedAtRiga == "" {
		t.Fatalf("submission = %+v, want version 1 of 2 items with a receipt", v1)
	}
	raw := e.do("bea", "GET", fmt.Sprintf("/api/v1/submissions/%d/content", v1.ID), "", 200, nil)
	if sha(raw) != v1.Receipt.SHA256 || !notice.Verify(raw, v1.Receipt.SHA256) {
		t.Errorf("sha256 of the content = %s, want the receipt's %s", sha(raw), v1.Receipt.SHA256)
	}
	// The content inside a JSON answer is the same document: canonicalised again, it
	// hashes to the receipt too.
	var generic any
	if err := json.Unmarshal(v1.Content, &generic); err != nil {
		t.Fatal(err)
	}
	if again, _ := notice.Canonical(generic); notice.Digest(again) != v1.Receipt.SHA256 {
		t.Errorf("re-canonicalised content hashes to %s, want %s", notice.Digest(again), v1.Receipt.SHA256)
	}

	e.do("alice", "PATCH", fmt.Sprintf("/api/v1/items/%d", id), `{"version":"1.1","site":"Riga"}`, 200, nil)
	var v2 notice.ListSubmission
	e.do("alice", "POST", "/api/v1/submissions", `{"operator":"OPA"}`, 201, &v2)
	if again := e.do("bea", "GET", fmt.Sprintf("/api/v1/submissions/%d/content", v1.ID), "", 200, nil); !bytes.Equal(again, raw) {
		t.Errorf("version 1 changed after an item was edited")
	}
	var d notice.ListDiff
	e.do("bea", "GET", fmt.Sprintf("/api/v1/submissions/%d/diff/%d", v1.ID, v2.ID), "", 200, &d)
	if len(d.Changed) != 1 || len(d.Changed[0].Fields) != 2 || d.Changed[0].Fields[0].Field != "version" || d.Changed[0].Fields[1].Field != "site" {
		t.Errorf("diff = %+v, want item %d's version and site changed", d, id)
	}
	var list struct{ Items []notice.ListSubmission }
	e.do("bea", "GET", "/api/v1/submissions?operator=OPA", "", 200, &list)
	if len(list.Items) != 2 {
		t.Errorf("the bureau sees %d submissions, want 2", len(list.Items))
	}
	e.do("bob", "GET", "/api/v1/submissions", "", 200, &list)
	if len(list.Items) != 0 {
		t.Errorf("operator B sees %d of A's submissions, want 0", len(list.Items))
	}
	for _, path := range []string{fmt.Sprintf("/api/v1/submissions/%d", v1.ID), fmt.Sprintf("/api/v1/submissions/%d/content", v1.ID),
		fmt.Sprintf("/api/v1/submissions/%d/diff/%d", v1.ID, v2.ID)} {
		e.do("bob", "GET", path, "", 404, nil)
	}
	e.do("eric", "POST", "/api/v1/submissions", `{}`, 403, nil)
	e.do("bea", "POST", "/api/v1/submissions", `{"operator":"OPA"}`, 403, nil)
	e.do("bob", "POST", "/api/v1/submissions", `{"operator":"OPA"}`, 422, nil)
}

func TestAPINoticeFlow(t *testing.T) {
	e := newAPI(t)
	mme := e.item("alice", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.4","kind":"equipment","name":"MME","model":"MME 1000","manufacturer":"Ericsson AB","serial":"E1"}`, e.netA))
	earliest := notice.EarliestStart(time.Now())
	early, _ := time.Parse(time.DateOnly, earliest)
	body := func(start string) string {
		return fmt.Sprintf(`{"title":"MME swap","lines":[
			{"change":"replace_device","current_item_id":%d,"new":{"manufacturer":"Nokia","model":"MME 9","serial":"N1"},"planned_start":%q},
			{"change":"update_software","current_item_id":%d,"new":{"version":"2.0"},"planned_start":%q}]}`,
			mme, start, mme, time.Now().Format(time.DateOnly))
	}
	var n notice.Notice
	e.do("alice", "POST", "/api/v1/notices", body(early.AddDate(0, 0, -1).Format(time.DateOnly)), 201, &n)
	if len(n.Lines) != 2 || n.State != notice.StateDraft || n.Lines[1].Exemption.Clause != "63.3.2" {
		t.Fatalf("draft = %+v, want 2 lines, the second exempt under 63.3.2", n)
	}
	id := n.ID
	e.do("bob", "GET", fmt.Sprintf("/api/v1/notices/%d", id), "", 404, nil)
	e.do("bea", "GET", fmt.Sprintf("/api/v1/notices/%d", id), "", 404, nil) // drafts are the operator's own

	problem := e.do("alice", "POST", fmt.Sprintf("/api/v1/notices/%d/submit", id), "", 422, nil)
	if !strings.Contains(string(problem), earliest) || !strings.Contains(string(problem), "lines[0].planned_start") {
		t.Errorf("early submission = %s, want the earliest date %s on line 0", problem, earliest)
	}
	e.do("alice", "PUT", fmt.Sprintf("/api/v1/notices/%d", id), body(earliest), 200, &n)
	e.do("eric", "POST", fmt.Sprintf("/api/v1/notices/%d/submit", id), "", 403, nil)
	var out struct {
		Notice  notice.Notice
		Receipt *notice.Receipt
	}
	e.do("alice", "POST", fmt.Sprintf("/api/v1/notices/%d/submit", id), "", 200, &out)
	if out.Notice.State != notice.StateSubmitted || out.Receipt == nil || out.Notice.EarliestStart != earliest {
		t.Fatalf("submit = %+v, want submitted with a receipt and earliest start %s", out, earliest)
	}
	content := e.do("bea", "GET", fmt.Sprintf("/api/v1/notices/%d/submissions/1", id), "", 200, nil)
	if sha(content) != out.Receipt.SHA256 {
		t.Errorf("sha256 of the notice content = %s, want the receipt's %s", sha(content), out.Receipt.SHA256)
	}
	e.do("bob", "GET", fmt.Sprintf("/api/v1/notices/%d/submissions/1", id), "", 404, nil)

	var q struct{ Items []notice.QueueEntry }
	e.do("bea", "GET", "/api/v1/notices/queue", "", 200, &q)
	if len(q.Items) != 1 || q.Items[0].ID != id {
		t.Errorf("queue = %+v, want notice %d", q.Items, id)
	}
	e.do("alice", "GET", "/api/v1/notices/queue", "", 403, nil)

	e.do("alice", "POST", fmt.Sprintf("/api/v1/notices/%d/review", id), "", 403, nil)
	e.do("bob", "POST", fmt.Sprintf("/api/v1/notices/%d/review", id), "", 404, nil)
	e.do("bea", "POST", fmt.Sprintf("/api/v1/notices/%d/review", id), "", 200, nil)
	e.do("bea", "POST", fmt.Sprintf("/api/v1/notices/%d/object", id), `{"note":"no opinion given"}`, 422, nil)
	out.Receipt = nil
	e.do("bea", "POST", fmt.Sprintf("/api/v1/notices/%d/accept", id), `{"note":"fine"}`, 200, &out)
	if out.Notice.State != notice.StateAccepted || len(out.Notice.History) != 4 || out.Receipt != nil {
		t.Errorf("accept = %s with %d events, want accepted after 4 events and no receipt", out.Notice.State, len(out.Notice.History))
	}

	// The exempt update goes ahead now; the replacement waits for the earliest start.
	e.do("eric", "POST", fmt.Sprintf("/api/v1/notices/%d/lines/2/done", id), "", 200, nil)
	problem = e.do("alice", "POST", fmt.Sprintf("/api/v1/notices/%d/lines/1/done", id), "", 409, nil)
	if !strings.Contains(string(problem), earliest) {
		t.Errorf("early execution = %s, want the earliest start %s named", problem, earliest)
	}
	// A month later, as far as the notice is concerned.
	earliest = time.Now().AddDate(0, -1, 0).Format(time.DateOnly)
	if _, err := e.db.Write.Exec(`UPDATE notices SET earliest_start = ? WHERE id = ?`, earliest, id); err != nil {
		t.Fatal(err)
	}
	e.do("bea", "POST", fmt.Sprintf("/api/v1/notices/%d/lines/1/done", id), "", 403, nil)
	e.do("alice", "POST", fmt.Sprintf("/api/v1/notices/%d/lines/1/done", id), "", 200, &n)
	var it inventory.Item
	e.do("alice", "GET", fmt.Sprintf("/api/v1/items/%d", mme), "", 200, &it)
	if it.Manufacturer != "Nokia" || it.Model != "MME 9" || it.Source != inventory.SourceNotice || it.SourceRef != fmt.Sprintf("notice %d line 1", id) {
		t.Errorf("item after the notice = %s %s, %s %q, want Nokia MME 9 from notice %d line 1", it.Manufacturer, it.Model, it.Source, it.SourceRef, id)
	}

	wb := e.do("bea", "GET", fmt.Sprintf("/api/v1/notices/%d/workbook.xlsx", id), "", 200, nil)
	f, err := excelize.OpenReader(bytes.NewReader(wb))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cover, _ := f.GetRows("Notice")
	rows, _ := f.GetRows("Changes")
	if !hasRow(cover, "Operators / Operator", "Operator OPA") || !hasRow(cover, "Agrākais sākums / Earliest start", earliest) {
		t.Errorf("cover sheet = %v, want the operator and earliest start %s", cover, earliest)
	}
	if len(rows) != 3 || rows[1][1] != "replace_device" || rows[1][3] != "notice_required" || rows[2][4] != "63.3.2" {
		t.Errorf("change rows = %v, want 2 lines: a replacement needing notice, an update exempt under 63.3.2", rows)
	}
	e.do("bob", "GET", fmt.Sprintf("/api/v1/notices/%d/workbook.xlsx", id), "", 404, nil)

	var list struct{ Items []notice.Notice }
	e.do("bob", "GET", "/api/v1/notices", "", 200, &list)
	if len(list.Items) != 0 {
		t.Errorf("operator B lists %d of A's notices, want 0", len(list.Items))
	}
	e.do("bea", "GET", "/api/v1/notices?state=accepted", "", 200, &list)
	if len(list.Items) != 1 {
		t.Errorf("the bureau lists %d accepted notices, want 1", len(list.Items))
	}
}

func hasRow(rows [][]string, key, value string) bool {
	for _, r := range rows {
		if len(r) >= 2 && r[0] == key && r[1] == value {
			return true
		}
	}
	return false
}

func TestAPIOpenAPIDescribesNotices(t *testing.T) {
	e := newAPI(t)
	var doc struct {
		Paths map[string]map[string]any
	}
	e.do("", "GET", "/api/v1/openapi.json", "", 200, &doc)
	for _, p := range []string{"/api/v1/exemption-check", "/api/v1/submissions", "/api/v1/submissions/{id}/diff/{other}", "/api/v1/notices",
		"/api/v1/notices/{id}/submit", "/api/v1/notices/{id}/request-info", "/api/v1/notices/{id}/lines/{line}/done", "/api/v1/notices/{id}/workbook.xlsx", "/api/v1/notices/queue"} {
		if doc.Paths[p] == nil {
			t.Errorf("OpenAPI document lacks %s", p)
		}
	}
}
