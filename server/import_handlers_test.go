package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/xuri/excelize/v2"

	"critreg/server"
)

// upload posts a workbook to /api/v1/imports with the form fields given.
func upload(t *testing.T, base, token string, file []byte, fields map[string]string) (int, http.Header, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	w, _ := mw.CreateFormFile("file", "list.xlsx")
	w.Write(file)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/imports", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func download(t *testing.T, base, token, path string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

type importAnswer struct {
	ID     string `json:"id"`
	State  string `json:"state"`
	Status int    `json:"status"`
	Result struct {
		Committed bool `json:"committed"`
		Added     []struct {
			Row int `json:"row"`
		} `json:"added"`
		Updated []struct {
			ItemID int64 `json:"item_id"`
			Fields []struct{ Field, From, To string }
		} `json:"updated"`
		Unchanged int `json:"unchanged"`
		Problems  []struct {
			Sheet, Column, Header, Value, Message string
			Row                                   int
		} `json:"problems"`
	} `json:"result"`
}

func decodeAnswer(t *testing.T, b []byte) importAnswer {
	t.Helper()
	var a importAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return a
}

func TestImportExportAPI(t *testing.T) {
	e := newEnv(t)
	e.do("alice", "POST", "/api/v1/items", `{"network_id":`+strconv.FormatInt(e.netA, 10)+`,"critical_part":"2.2","kind":"equipment","name":"HSS","model":"HSS9860","manufacturer":"Huawei"}`, 201, nil)
	e.do("alice", "POST", "/api/v1/items", `{"network_id":`+strconv.FormatInt(e.netA, 10)+`,"critical_part":"2.3","kind":"software","name":"MME","version":"1.0","manufacturer":"Nokia"}`, 201, nil)

	status, ctype, file := download(t, e.srv.URL, e.tokens["alice"], "/api/v1/operators/OPA/annex7.xlsx")
	if status != 200 || ctype != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("export = %d %s, want 200 and a workbook", status, ctype)
	}
	if status, _, _ := download(t, e.srv.URL, e.tokens["bob"], "/api/v1/operators/OPA/annex7.xlsx"); status != 404 {
		t.Errorf("export of another operator's list = %d, want 404", status)
	}
	if status, _, b := download(t, e.srv.URL, e.tokens["bea"], "/api/v1/annex7-template.xlsx"); status != 200 || len(b) == 0 {
		t.Errorf("template = %d, want 200", status)
	}

	status, _, b := upload(t, e.srv.URL, e.tokens["alice"], file, map[string]string{"operator": "OPA", "dry_run": "true"})
	if a := decodeAnswer(t, b); status != 200 || a.State != "done" || a.Result.Unchanged != 2 || len(a.Result.Added)+len(a.Result.Updated) != 0 {
		t.Fatalf("dry run of the export = %d %s; want 200 with 2 unchanged", status, b)
	}

	f, _ := excelize.OpenReader(bytes.NewReader(file))
	f.SetCellValue("Items", "G3", "1.1")
	var edited bytes.Buffer
	f.WriteTo(&edited)
	audits := e.count("audit_log")
	status, _, b = upload(t, e.srv.URL, e.tokens["alice"], edited.Bytes(), map[string]string{"sync": "true"})
	a := decodeAnswer(t, b)
	if status != 200 || !a.Result.Committed || len(a.Result.Updated) != 1 || a.Result.Updated[0].Fields[0].To != "1.1" {
		t.Fatalf("commit of one edit = %d %s; want the version changed", status, b)
	}
	if got := e.count("audit_log"); got != audits+2 {
		t.Errorf("audit records after one change = %d, want %d (the item and the import)", got, audits+2)
	}
	var job importAnswer
	e.do("alice", "GET", "/api/v1/imports/"+a.ID, "", 200, &job)
	if job.State != "done" {
		t.Errorf("GET import %s state = %q, want done", a.ID, job.State)
	}
	e.do("bob", "GET", "/api/v1/imports/"+a.ID, "", 404, nil)

	// Another operator cannot import into OPA.
	if status, _, b := upload(t, e.srv.URL, e.tokens["bob"], file, map[string]string{"operator": "OPA"}); status != 404 {
		t.Errorf("import into another operator = %d %s, want 404", status, b)
	}
	// The bureau may dry-run but not commit.
	if status, _, b := upload(t, e.srv.URL, e.tokens["bea"], file, map[string]string{"operator": "OPA"}); status != 403 {
		t.Errorf("commit by the bureau = %d %s, want 403", status, b)
	}
}

func TestImportAPIReportsProblems(t *testing.T) {
	e := newEnv(t)
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Network", "Critical part", "Kind", "Name"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"LTE", "4.99", "equipment", "x"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"WiMAX", "2.2", "iekārta", "y"})
	var buf bytes.Buffer
	f.WriteTo(&buf)
	items := e.count("items")
	status, h, b := upload(t, e.srv.URL, e.tokens["alice"], buf.Bytes(), nil)
	if status != 422 || h.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("import with problems = %d %s %s, want 422 problem+json", status, h.Get("Content-Type"), b)
	}
	a := decodeAnswer(t, b)
	if a.State != "refused" || a.Status != 422 || len(a.Result.Problems) != 2 {
		t.Fatalf("import with problems = %s; want 2 problems", b)
	}
	if p := a.Result.Problems[0]; p.Sheet != "Sheet1" || p.Row != 2 || p.Column != "B" || p.Header != "Critical part" || p.Value != "4.99" {
		t.Errorf("first problem = %+v, want Sheet1 row 2 column B (Critical part) value 4.99", p)
	}
	if got := e.count("items"); got != items {
		t.Errorf("items after a refused import = %d, want %d", got, items)
	}
	// Not a workbook at all.
	if status, _, b := upload(t, e.srv.URL, e.tokens["alice"], []byte("Network;Critical part\nLTE;2.2\n"), nil); status != 422 || !strings.Contains(string(b), "not an Excel workbook") {
		t.Errorf("import of a text file = %d %s, want 422 saying it is not a workbook", status, b)
	}
}

func TestImportAPIUploadLimitAndAsync(t *testing.T) {
	e := newEnv(t)
	log := logrus.New()
	log.SetOutput(io.Discard)
	small := httptest.NewServer(server.New(e.db, server.Config{Log: log, MaxUpload: 4 << 10}).Handler())
	defer small.Close()
	items, audits := e.count("items"), e.count("audit_log")
	status, h, b := upload(t, small.URL, e.tokens["alice"], bytes.Repeat([]byte("x"), 64<<10), nil)
	if status != http.StatusRequestEntityTooLarge || h.Get("Content-Type") != "application/problem+json" {
		t.Errorf("upload over the limit = %d %s %s, want 413 problem+json", status, h.Get("Content-Type"), b)
	}
	if e.count("items") != items || e.count("audit_log") != audits {
		t.Error("an upload over the limit changed the database")
	}

	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Critical part", "Kind", "Name"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"2.2", "equipment", "HSS"})
	var buf bytes.Buffer
	f.WriteTo(&buf)
	status, _, b = upload(t, e.srv.URL, e.tokens["alice"], buf.Bytes(), map[string]string{"async": "true"})
	if status != http.StatusAccepted {
		t.Fatalf("async import = %d %s, want 202", status, b)
	}
	id := decodeAnswer(t, b).ID
	var job importAnswer
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		e.do("alice", "GET", "/api/v1/imports/"+id, "", 200, &job)
		if job.State != "running" {
			break
		}
	}
	if job.State != "done" || len(job.Result.Added) != 1 {
		t.Errorf("async import ended %q with %d added, want done with 1", job.State, len(job.Result.Added))
	}
}

func TestColumnMappingAPI(t *testing.T) {
	e := newEnv(t)
	var m struct {
		Columns []struct{ Header, Field string }
	}
	e.do("alice", "PUT", "/api/v1/operators/OPA/column-mapping", `{"columns":[{"header":"Iekārtas tips","field":"kind"}]}`, 200, &m)
	if len(m.Columns) != 1 || m.Columns[0].Field != "kind" {
		t.Errorf("saved mapping = %+v, want one column mapped to kind", m)
	}
	e.do("alice", "PUT", "/api/v1/operators/OPA/column-mapping", `{"columns":[{"header":"x","field":"colour"}]}`, 422, nil)
	e.do("bob", "PUT", "/api/v1/operators/OPA/column-mapping", `{"columns":[]}`, 404, nil)
	e.do("alice", "GET", "/api/v1/operators/OPA/column-mapping", "", 200, &m)
}
