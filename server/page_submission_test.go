package server_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var locationIDRE = regexp.MustCompile(`/submissions/(\d+)`)

// submit confirms and makes a list submission through the pages, returning its page path.
func (p *pageClient) submit(version int) string {
	p.t.Helper()
	code, page := p.get("/submissions/new")
	if code != http.StatusOK || !strings.Contains(page, fmt.Sprintf(`name="version" value="%d"`, version)) {
		p.t.Fatalf("GET /submissions/new = %d, want the confirmation of version %d", code, version)
	}
	resp, _ := p.send("/submissions", url.Values{"version": {fmt.Sprint(version)}}, true)
	if resp.StatusCode != http.StatusSeeOther {
		p.t.Fatalf("POST /submissions version %d = %d, want 303", version, resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	if !locationIDRE.MatchString(loc) {
		p.t.Fatalf("POST /submissions sent to %q, want a submission page", loc)
	}
	return strings.TrimSuffix(loc, "?submitted=1")
}

func TestSubmissionPages(t *testing.T) {
	e := newEnv(t)
	alice, eric, bob, bea := e.signedIn("alice"), e.signedIn("eric"), e.signedIn("bob"), e.signedIn("bea")
	var it struct{ ID int64 }
	for _, name := range []string{"MME one", "MME two", "MME three"} {
		e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":%q,"model":"M1","manufacturer":"Nokia","quantity":1}`, e.netA, name), 201, &it)
	}
	first := it.ID

	// Nothing submitted yet; the compliance officer sees the button, the engineer does not.
	code, page := alice.get("/submissions")
	if code != 200 || !strings.Contains(page, `href="/submissions/new"`) || !strings.Contains(page, `href="/submissions"`) {
		t.Fatalf("GET /submissions as the compliance officer = %d, want the list with the submit button and the nav link", code)
	}
	if _, page := eric.get("/submissions"); strings.Contains(page, `href="/submissions/new"`) {
		t.Error("an engineer is offered the submit button")
	}
	if code, _ := eric.get("/submissions/new"); code != http.StatusForbidden {
		t.Errorf("GET /submissions/new as an engineer = %d, want 403", code)
	}
	if code, _ := bea.get("/submissions/new"); code != http.StatusForbidden {
		t.Errorf("GET /submissions/new as the bureau = %d, want 403", code)
	}
	// The binding submit needs the CSRF token.
	if code, _ := alice.post("/submissions", url.Values{"version": {"1"}}, false); code != http.StatusForbidden {
		t.Fatalf("POST /submissions without the CSRF token = %d, want 403", code)
	}
	if n := e.count("list_submissions"); n != 0 {
		t.Fatalf("a refused submit stored %d submissions", n)
	}
	// The confirmation shows what goes: three items added.
	_, page = alice.get("/submissions/new")
	if !strings.Contains(page, `id="diff-added">`) || !strings.Contains(page, ": 3</li>") || !strings.Contains(page, "MME two") {
		t.Fatalf("confirmation of the first submission does not show the three items added:\n%s", page)
	}
	v1 := alice.submit(1)
	code, page = alice.get(v1 + "?submitted=1")
	if code != 200 || !strings.Contains(page, `id="version">1<`) || !strings.Contains(page, "SHA-256") || !strings.Contains(page, `id="first"`) {
		t.Fatalf("GET %s = %d, want version 1 with its receipt and no diff", v1, code)
	}

	// Edits: one item renamed to a hostile string, one removed, one added.
	e.do("alice", "PATCH", fmt.Sprintf("/api/v1/items/%d", first), `{"name":"<script>alert(1)</script>"}`, 200, nil)
	e.do("alice", "DELETE", fmt.Sprintf("/api/v1/items/%d", first-1), "", 204, nil)
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"software","name":"HSS <b>new</b>","model":"H","manufacturer":"Ericsson","quantity":1}`, e.netA), 201, nil)
	_, page = alice.get("/submissions/new")
	for _, want := range []string{`id="diff-added">`, "HSS &lt;b&gt;new&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;", "<del>MME three</del>", "MME two"} {
		if !strings.Contains(page, want) {
			t.Errorf("confirmation of version 2 lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert(1)") || strings.Contains(page, "<b>new</b>") {
		t.Error("confirmation of version 2 shows a hostile string unescaped")
	}
	v2 := alice.submit(2)
	// A confirmation of version 2 posted again is stale: nothing is submitted twice.
	resp, _ := alice.send("/submissions", url.Values{"version": {"2"}}, true)
	if resp.StatusCode != http.StatusConflict || e.count("list_submissions") != 2 {
		t.Errorf("POST of a stale confirmation = %d with %d submissions, want 409 and 2", resp.StatusCode, e.count("list_submissions"))
	}
	code, page = alice.get(v2)
	if code != 200 || !strings.Contains(page, `id="compare"`) || !strings.Contains(page, "<del>MME three</del>") || !strings.Contains(page, "<ins>&lt;script&gt;") {
		t.Fatalf("GET %s = %d, want the diff from version 1 with the rename old → new", v2, code)
	}
	// Any two versions: version 2 against 1 shows the change undone.
	id1, id2 := locationIDRE.FindStringSubmatch(v1)[1], locationIDRE.FindStringSubmatch(v2)[1]
	_, page = alice.get(v2 + "?from=" + id2 + "&to=" + id1)
	if !strings.Contains(page, "<ins>MME three</ins>") {
		t.Error("the diff from version 2 to 1 does not show the rename undone")
	}

	// The bureau sees every operator's submissions; another operator's users see none of
	// them, and a submission page of another operator is not found.
	if _, page := bea.get("/submissions?operator=OPA"); !strings.Contains(page, `href="`+v2+`"`) || strings.Contains(page, `href="/submissions/new"`) {
		t.Error("the bureau's list lacks OPA's version 2, or offers to submit")
	}
	if code, _ := bea.get(v2); code != 200 {
		t.Errorf("GET %s as the bureau = %d, want 200", v2, code)
	}
	if _, page := bob.get("/submissions"); strings.Contains(page, `href="`+v1+`"`) {
		t.Error("another operator's user sees OPA's submissions listed")
	}
	for _, path := range []string{v1, v2, v2 + "?from=" + id1} {
		if code, _ := bob.get(path); code != http.StatusNotFound {
			t.Errorf("GET %s as another operator's user = %d, want 404", path, code)
		}
	}
	bv := bob.submit(1)
	if code, _ := alice.get(v2 + "?from=" + locationIDRE.FindStringSubmatch(bv)[1]); code != http.StatusNotFound {
		t.Errorf("comparing with another operator's version = %d, want 404", code)
	}
	if code, _ := alice.get("/submissions/99999"); code != http.StatusNotFound {
		t.Errorf("GET of a submission that does not exist = %d, want 404", code)
	}
}

func TestNoticeLinePages(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.signedIn("alice"), e.signedIn("bob")
	var it struct{ ID int64 }
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":"MME","model":"M1","manufacturer":"Nokia","quantity":1}`, e.netA), 201, &it)
	var n struct{ ID int64 }
	e.do("alice", "POST", "/api/v1/notices", fmt.Sprintf(`{"title":"Core swap","lines":[
		{"change":"replace_device","current_item_id":%d,"new":{"manufacturer":"Ericsson","model":"MME 9"},"planned_start":"2027-06-01"},
		{"change":"expand_capacity","current_item_id":%d,"new":{"manufacturer":"Nokia","model":"M1"},"planned_start":"2027-06-02"}]}`, it.ID, it.ID), 201, &n)
	path := fmt.Sprintf("/notices/%d", n.ID)

	code, page := alice.get(path + "?edit=1")
	if code != 200 || !strings.Contains(page, `id="edit-line"`) || !strings.Contains(page, `id="e-model" name="model" value="MME 9"`) {
		t.Fatalf("GET %s?edit=1 = %d, want line 1's form filled in", path, code)
	}
	// A bad date: the problem shows beside its field, in Latvian, and what was typed stays.
	form := url.Values{"change": {"replace_device"}, "item": {fmt.Sprint(it.ID)}, "manufacturer": {"<script>x</script>"}, "model": {"MME 10"}, "planned_start": {"31.12.2027"}}
	code, page = alice.post(path+"/lines/1", form, true)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("POST an edit with a bad date = %d, want 422", code)
	}
	for _, want := range []string{`id="e-planned_start-error">&#34;31.12.2027&#34; nav datums formā GGGG-MM-DD`, `value="31.12.2027"`, `value="MME 10"`, `value="&lt;script&gt;x&lt;/script&gt;"`, `aria-invalid="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the edit form after a bad date lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>x") {
		t.Error("the edit form shows a hostile string unescaped")
	}
	if strings.Contains(page, `id="l-model" name="model" value="MME 10"`) {
		t.Error("the form to add a line took the values typed into the edited line")
	}
	// Corrected, it saves.
	form.Set("planned_start", "2027-07-01")
	if code, _ := alice.post(path+"/lines/1", form, true); code != http.StatusSeeOther {
		t.Fatalf("POST a good edit = %d, want 303", code)
	}
	var got struct {
		Lines []struct {
			PlannedStart string `json:"planned_start"`
			New          struct{ Model string }
		}
	}
	e.do("alice", "GET", fmt.Sprintf("/api/v1/notices/%d", n.ID), "", 200, &got)
	if len(got.Lines) != 2 || got.Lines[0].PlannedStart != "2027-07-01" || got.Lines[0].New.Model != "MME 10" {
		t.Fatalf("notice after the edit = %+v, want line 1 starting 2027-07-01 with MME 10", got.Lines)
	}
	// Another operator's user cannot see the form or change a line.
	if code, _ := bob.get(path + "?edit=1"); code != http.StatusNotFound {
		t.Errorf("GET the edit form as another operator's user = %d, want 404", code)
	}
	if code, _ := bob.post(path+"/lines/1", form, true); code != http.StatusNotFound {
		t.Errorf("POST an edit as another operator's user = %d, want 404", code)
	}
	if code, _ := bob.post(path+"/lines/2/remove", url.Values{}, true); code != http.StatusNotFound {
		t.Errorf("POST a removal as another operator's user = %d, want 404", code)
	}
	if code, _ := alice.post(path+"/lines/9", form, true); code != http.StatusNotFound {
		t.Errorf("POST an edit of a line that does not exist = %d, want 404", code)
	}
	// Removing line 2 leaves one; the last line cannot go.
	if code, _ := alice.post(path+"/lines/2/remove", url.Values{}, true); code != http.StatusSeeOther {
		t.Fatalf("POST remove line 2 = %d, want 303", code)
	}
	e.do("alice", "GET", fmt.Sprintf("/api/v1/notices/%d", n.ID), "", 200, &got)
	if len(got.Lines) != 1 {
		t.Fatalf("notice after removing a line has %d lines, want 1", len(got.Lines))
	}
	code, page = alice.post(path+"/lines/1/remove", url.Values{}, true)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "paziņojumam nepieciešama vismaz viena rinda") {
		t.Errorf("POST remove the last line = %d, want 422 saying in Latvian a notice needs a line", code)
	}
	// The API keeps answering in English.
	b := e.do("alice", "PUT", fmt.Sprintf("/api/v1/notices/%d", n.ID), `{"title":"x","lines":[]}`, 422, nil)
	if !strings.Contains(string(b), "a notice needs at least one line") {
		t.Errorf("PUT with no lines answered %s, want the English message", b)
	}
}

// lteWorkbook is an operator-layout workbook of rows items for OPA's LTE network.
func lteWorkbook(t testing.TB, rows int) []byte { return lteWorkbookPart(t, rows, "2.1") }

// lteWorkbookPart is lteWorkbook with every item in critical part part.
func lteWorkbookPart(t testing.TB, rows int, part string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	header := []any{"Tīkls", "Kritiskā daļa", "Veids", "Nosaukums", "Ražotājs", "Modelis", "Sērijas numurs", "Izcelsmes valsts", "Atrašanās vieta"}
	if err := sw.SetRow("A1", header); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{"LTE", part, "iekārta", fmt.Sprintf("Router %d", i), "Juniper Networks, Inc.", "MX204", fmt.Sprintf("JN%06d", i), "ASV", "Rīga"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// postFile posts a workbook to the import page with the session's CSRF token.
func (p *pageClient) postFile(path string, file []byte, fields map[string]string) *http.Response {
	p.t.Helper()
	_, page := p.get("/")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		p.t.Fatal("no CSRF token on the page")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", m[1])
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	w, _ := mw.CreateFormFile("file", "lte <i>list.xlsx")
	w.Write(file)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, p.e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	req.AddCookie(p.cookie)
	resp, err := noRedirect.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

func TestImportProgressPage(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.signedIn("alice"), e.signedIn("bob")
	resp := alice.postFile("/import", lteWorkbook(t, 200), map[string]string{"do": "commit"})
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/import/") {
		t.Fatalf("POST /import commit = %d to %q, want 303 to the import's page", resp.StatusCode, loc)
	}
	// The page follows the job until it is done; while it runs it shows the bar and a link
	// that reloads it.
	var page string
	for deadline := time.Now().Add(20 * time.Second); ; {
		var code int
		code, page = alice.get(loc)
		if code != 200 {
			t.Fatalf("GET %s = %d, want 200", loc, code)
		}
		if strings.Contains(page, `data-state="done"`) {
			break
		}
		if !strings.Contains(page, `data-state="running"`) || !strings.Contains(page, `id="import-bar"`) || !strings.Contains(page, `href="`+loc+`"`) {
			t.Fatalf("GET %s while not done shows neither the result nor the progress:\n%s", loc, page)
		}
		if time.Now().After(deadline) {
			t.Fatal("the import did not finish in 20 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(page, `id="import-result"`) || !strings.Contains(page, "pievienoti: 200") || !strings.Contains(page, "lte &lt;i&gt;list.xlsx") {
		t.Errorf("the finished import's page lacks the result of 200 items added, or shows the file name unescaped:\n%s", page)
	}
	// The API follows the same job; another operator's user finds neither.
	var ans struct{ State string }
	e.do("alice", "GET", "/api/v1"+strings.Replace(loc, "/import/", "/imports/", 1), "", 200, &ans)
	if ans.State != "done" {
		t.Errorf("GET the import from the API = state %q, want done", ans.State)
	}
	if code, _ := bob.get(loc); code != http.StatusNotFound {
		t.Errorf("GET %s as another operator's user = %d, want 404", loc, code)
	}
	e.do("bob", "GET", "/api/v1"+strings.Replace(loc, "/import/", "/imports/", 1), "", 404, nil)
	if n := e.count("items"); n != 200 {
		t.Errorf("items after the import = %d, want 200", n)
	}
	// A commit of a workbook with problems ends refused: its page lists them, nothing is written.
	resp = alice.postFile("/import", lteWorkbookPart(t, 3, "9.9"), map[string]string{"do": "commit"})
	resp.Body.Close()
	loc = resp.Header.Get("Location")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var code int
		code, page = alice.get(loc)
		if code == http.StatusUnprocessableEntity {
			break
		}
		if code != http.StatusOK || time.Now().After(deadline) {
			t.Fatalf("GET %s of a refused import = %d, want 422 once refused", loc, code)
		}
	}
	if !strings.Contains(page, `data-state="refused"`) || !strings.Contains(page, "3 · problēmas") || !strings.Contains(page, "9.9") || e.count("items") != 200 {
		t.Errorf("the refused import's page does not list its 3 problems, or items were written (%d)", e.count("items"))
	}
	// A dry run still answers at once, with nothing written.
	resp = alice.postFile("/import", lteWorkbook(t, 3), map[string]string{"do": "dry-run"})
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `id="import-result"`) {
		t.Errorf("POST /import dry run = %d, want 200 with its result", resp.StatusCode)
	}
}
