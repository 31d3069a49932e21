package server_test

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/account"
	"critreg/server"
	"critreg/store/storetest"
)

// Only the bureau and admins reach the states pages, and only admins the fingerprint rules;
// to anyone else they do not exist, whatever the method.
func TestReferencePagesRefused(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		login, method, path string
		want                int
	}{
		{"alice", "GET", "/admin/states", http.StatusNotFound},
		{"eric", "GET", "/admin/states/LV", http.StatusNotFound},
		{"alice", "POST", "/admin/states/LV", http.StatusNotFound},
		{"alice", "GET", "/admin/fingerprints", http.StatusNotFound},
		{"bea", "GET", "/admin/fingerprints", http.StatusNotFound},
		{"bea", "GET", "/admin/fingerprints/open5gs-amf", http.StatusNotFound},
		{"bea", "POST", "/admin/fingerprints/open5gs-amf/disable", http.StatusNotFound},
		{"eric", "POST", "/admin/fingerprints", http.StatusNotFound},
		{"bea", "GET", "/admin/states", http.StatusOK},
		{"root", "GET", "/admin/states/LV", http.StatusOK},
		{"root", "GET", "/admin/states/XX", http.StatusNotFound},
		{"root", "GET", "/admin/fingerprints/no-such-rule", http.StatusNotFound},
	} {
		t.Run(tc.login+" "+tc.method+" "+tc.path, func(t *testing.T) {
			p := e.signedIn(tc.login)
			var code int
			if tc.method == "GET" {
				code, _ = p.get(tc.path)
			} else {
				code, _ = p.post(tc.path, url.Values{"rows": {"0"}, "id": {"x"}}, true)
			}
			if code != tc.want {
				t.Errorf("%s %s as %s = %d, want %d", tc.method, tc.path, tc.login, code, tc.want)
			}
		})
	}
	if n := e.count(`audit_log WHERE action LIKE 'fingerprint_rule.%' OR action = 'state.update'`); n != 0 {
		t.Errorf("audit records of refused changes = %d, want 0", n)
	}
}

func TestStatesPages(t *testing.T) {
	e := newEnv(t)
	bea, root := e.signedIn("bea"), e.signedIn("root")

	for _, tc := range []struct {
		query      string
		want, deny []string
	}{
		{"", []string{`id="state-LV"`, `id="state-CN"`}, nil},
		{"?member=yes", []string{`id="state-LV"`}, []string{`id="state-CN"`}},
		{"?member=no&designated=1", []string{`id="state-CN"`, `id="state-RU"`}, []string{`id="state-LV"`, `id="state-BR"`}},
	} {
		code, page := bea.get("/admin/states" + tc.query)
		if code != http.StatusOK {
			t.Fatalf("GET /admin/states%s = %d, want 200", tc.query, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("GET /admin/states%s lacks %s", tc.query, w)
			}
		}
		for _, d := range tc.deny {
			if strings.Contains(page, d) {
				t.Errorf("GET /admin/states%s shows %s", tc.query, d)
			}
		}
	}
	// The United Kingdom was in the EU until 2020.
	_, page := bea.get("/admin/states?as_of=2019-06-01&lang=en")
	if row := between(page, `id="state-GB"`, "</tr>"); !strings.Contains(row, "ES/EU") {
		t.Errorf("GB as of 2019-06-01 = %q, want an EU member", row)
	}
	_, page = bea.get("/admin/states?lang=en")
	row := between(page, `id="state-GB"`, "</tr>")
	if strings.Contains(row, "ES/EU ") {
		t.Errorf("GB today = %q, want no EU membership", row)
	}
	if !strings.Contains(row, `<a href="https://`) {
		t.Errorf("GB today = %q, want the web addresses of its sources as links", row)
	}
	code, page := bea.get("/admin/states?as_of=2019-13-45")
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="st-as_of-err"`) || !strings.Contains(page, `value="2019-13-45"`) {
		t.Errorf("GET /admin/states?as_of=2019-13-45 = %d, want 422 with the error beside the field and the day kept", code)
	}

	// The edit form: LV has three facts (EEA, EU, NATO) and a blank row for a new one.
	_, page = root.get("/admin/states/LV")
	if !strings.Contains(page, `name="rows" value="4"`) || !strings.Contains(page, `name="new.3"`) || !strings.Contains(page, `<option value="eea" selected>`) {
		t.Fatalf("GET /admin/states/LV lacks the three fact rows and the new one")
	}
	form := stateForm(t, page)
	hostile := `<script>alert("x")</script>`
	form.Set("kind.3", "attribution")
	form.Set("since.3", "2025-13-01")
	form.Set("title.3", hostile)
	form.Set("source.3", "javascript:alert(1)")
	form.Del("verified.3")
	// Unverified without a note, and a bad day: both named beside their fields.
	code, page = root.post("/admin/states/LV", form, true)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("POST /admin/states/LV with a bad fact = %d, want 422", code)
	}
	for _, w := range []string{`id="f3-since-err"`, `id="f3-note-err"`, `value="2025-13-01"`, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`} {
		if !strings.Contains(page, w) {
			t.Errorf("POST /admin/states/LV with a bad fact: page lacks %s", w)
		}
	}
	if strings.Contains(page, hostile) {
		t.Error("POST /admin/states/LV shows the typed title unescaped")
	}
	if n := e.count(`audit_log WHERE action = 'state.update'`); n != 0 {
		t.Fatalf("state.update records after a refused change = %d, want 0", n)
	}

	form.Set("since.3", "2025-01-01")
	form.Set("verified.3", "1")
	form.Set("remove.0", "1") // the EEA fact: facts are in the order of their kinds
	form.Del("csrf")
	if code, _ := root.post("/admin/states/LV", form, false); code != http.StatusForbidden {
		t.Errorf("POST /admin/states/LV without the CSRF token = %d, want 403", code)
	}
	code, _ = root.post("/admin/states/LV", form, true)
	if code != http.StatusSeeOther {
		t.Fatalf("POST /admin/states/LV = %d, want 303", code)
	}
	var st struct {
		EEA   bool
		Facts []struct{ Kind, Title, Source string }
	}
	e.do("alice", "GET", "/api/v1/states/LV", "", 200, &st)
	if st.EEA || len(st.Facts) != 3 || st.Facts[0].Title != hostile {
		t.Errorf("LV after the change = %+v, want 3 facts, no EEA, the new title stored as typed", st)
	}
	_, page = bea.get("/admin/states/LV?saved=1")
	if strings.Contains(page, hostile) || strings.Contains(page, `href="javascript:`) {
		t.Error("GET /admin/states/LV shows the hostile title or source unescaped")
	}
	if h := between(page, `id="history"`, "</section>"); !strings.Contains(h, "root") || !strings.Contains(h, "state.update") || !strings.Contains(h, "3 → 3") {
		t.Errorf("history = %q, want root's state.update with 3 → 3 facts", h)
	}
	if n := e.count(`audit_log WHERE action = 'state.update' AND login = 'root'`); n != 1 {
		t.Errorf("state.update records = %d, want 1", n)
	}

	// Two people open the form; the one who saves second is told, keeps what they typed,
	// and replaces the first save only by saving again.
	_, page = bea.get("/admin/states/LV")
	beaForm := stateForm(t, page)
	_, page = root.get("/admin/states/LV")
	rootForm := stateForm(t, page)
	beaForm.Set("note.0", "checked against the treaty text")
	if code, _ := bea.post("/admin/states/LV", beaForm, true); code != http.StatusSeeOther {
		t.Fatalf("bea's save = %d, want 303", code)
	}
	rootForm.Set("note.1", "root's note")
	code, page = root.post("/admin/states/LV", rootForm, true)
	if code != http.StatusConflict || !strings.Contains(page, "mainīja cita saglabāšana") || !strings.Contains(page, "root&#39;s note") {
		t.Fatalf("root's save over bea's = %d, want 409 saying so in Latvian with root's note kept", code)
	}
	if n := e.count(`audit_log WHERE action = 'state.update'`); n != 2 {
		t.Errorf("state.update records after the refused save = %d, want 2", n)
	}
	if code, _ := root.post("/admin/states/LV", stateForm(t, page), true); code != http.StatusSeeOther {
		t.Errorf("root's second save = %d, want 303", code)
	}
}

var (
	inputTagRE  = regexp.MustCompile(`<input [^>]*>`)
	nameAttrRE  = regexp.MustCompile(`name="([^"]*)"`)
	valueAttrRE = regexp.MustCompile(`value="([^"]*)"`)
	textareaRE  = regexp.MustCompile(`<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>`)
	selectRE    = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRE  = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// stateForm reads the edit form's fields as the browser would send them.
func stateForm(t *testing.T, page string) url.Values {
	t.Helper()
	form := url.Values{}
	page = between(page, `id="facts"`, "</form>")
	for _, tag := range inputTagRE.FindAllString(page, -1) {
		n, v := nameAttrRE.FindStringSubmatch(tag), valueAttrRE.FindStringSubmatch(tag)
		if n == nil || (strings.Contains(tag, `type="checkbox"`) && !strings.Contains(tag, " checked")) {
			continue
		}
		val := ""
		if v != nil {
			val = html.UnescapeString(v[1])
		}
		form.Set(n[1], val)
	}
	for _, m := range textareaRE.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range selectRE.FindAllStringSubmatch(page, -1) {
		if o := selectedRE.FindStringSubmatch(m[2]); o != nil {
			form.Set(m[1], o[1])
		}
	}
	form.Del("csrf")
	return form
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

func TestFingerprintPages(t *testing.T) {
	e := newEnv(t)
	root := e.signedIn("root")
	code, page := root.get("/admin/fingerprints")
	if code != http.StatusOK || !strings.Contains(page, `id="rule-open5gs-amf"`) {
		t.Fatalf("GET /admin/fingerprints = %d, want 200 with the seeded rules", code)
	}
	bad := url.Values{"id": {"acme-sbc"}, "function": {"9.9"}, "confidence": {"very"}, "sys_descr": {"Acme (SBC"}, "enabled": {"1"}}
	if code, _ := root.post("/admin/fingerprints", bad, false); code != http.StatusForbidden {
		t.Errorf("POST /admin/fingerprints without the CSRF token = %d, want 403", code)
	}
	code, page = root.post("/admin/fingerprints", bad, true)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("POST /admin/fingerprints with bad fields = %d, want 422", code)
	}
	for _, w := range []string{`id="r-function-err"`, `id="r-confidence-err"`, `id="r-sys_descr-err"`, `value="9.9"`, `value="very"`, `value="Acme (SBC"`} {
		if !strings.Contains(page, w) {
			t.Errorf("POST /admin/fingerprints with bad fields: page lacks %s", w)
		}
	}
	if n := e.count(`discovery_rules WHERE name = 'acme-sbc'`); n != 0 {
		t.Fatalf("rule stored despite the errors")
	}

	hostile := `"><img src=x onerror=alert(1)>`
	good := url.Values{"id": {"acme-sbc"}, "function": {"SEPP"}, "confidence": {"0,8"}, "sys_descr": {`(?i)acme.*sbc`}, "note": {hostile}, "enabled": {"1"}}
	code, _ = root.post("/admin/fingerprints", good, true)
	if code != http.StatusSeeOther {
		t.Fatalf("POST /admin/fingerprints = %d, want 303", code)
	}
	_, page = root.get("/admin/fingerprints")
	if strings.Contains(page, hostile) || !strings.Contains(page, `&#34;&gt;&lt;img src=x onerror=alert(1)&gt;`) {
		t.Error("GET /admin/fingerprints shows the hostile note unescaped")
	}
	if row := between(page, `id="rule-acme-sbc"`, "</tr>"); !strings.Contains(row, "4.12") || !strings.Contains(row, "0.8") || !strings.Contains(row, "root") {
		t.Errorf("rule row = %q, want 4.12 at 0.8 by root", row)
	}

	try := url.Values{"sys_descr": {"ACME Packet SBC 4600 <script>alert(2)</script>"}, "sys_object_id": {"1.3.6.1.4.1.9148.1.1"}}
	code, page = root.post("/admin/fingerprints/try", try, true)
	if code != http.StatusOK {
		t.Fatalf("POST /admin/fingerprints/try = %d, want 200", code)
	}
	hits := between(page, `id="try-hits"`, "</table>")
	if !strings.Contains(hits, "acme-sbc") || !strings.Contains(hits, "sbc-descr") || strings.Contains(page, "<script>alert(2)") {
		t.Errorf("try hits = %q, want acme-sbc and sbc-descr, escaped", hits)
	}
	if fs := between(page, `id="try-functions"`, "</ul>"); !strings.Contains(fs, "4.12") || !strings.Contains(fs, "1.5") {
		t.Errorf("try functions = %q, want 4.12 and 1.5", fs)
	}
	code, page = root.post("/admin/fingerprints/try", url.Values{"sys_object_id": {"iso.3"}}, true)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="t-sys_object_id-err"`) || !strings.Contains(page, `value="iso.3"`) {
		t.Errorf("POST /admin/fingerprints/try with a bad OID = %d, want 422 with the error beside the field", code)
	}

	if code, _ := root.post("/admin/fingerprints/acme-sbc/disable", url.Values{}, true); code != http.StatusSeeOther {
		t.Fatalf("disable = %d, want 303", code)
	}
	_, page = root.post("/admin/fingerprints/try", try, true)
	if hits := between(page, `id="try-hits"`, "</table>"); !strings.Contains(between(hits, "acme-sbc", "</tr>"), "netiek piemērots") {
		t.Errorf("try after disabling = %q, want acme-sbc marked as not applied", hits)
	}
	if fs := between(page, `id="try-functions"`, "</ul>"); strings.Contains(fs, "4.12") {
		t.Errorf("try functions after disabling = %q, want no 4.12", fs)
	}

	edit := url.Values{"function": {"4.12"}, "confidence": {"2"}, "sys_descr": {`(?i)acme`}, "enabled": {"1"}}
	code, page = root.post("/admin/fingerprints/acme-sbc", edit, true)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="r-confidence-err"`) || !strings.Contains(page, `value="2"`) {
		t.Errorf("POST /admin/fingerprints/acme-sbc with confidence 2 = %d, want 422 beside the field, typed value kept", code)
	}
	edit.Set("confidence", "0.9")
	if code, _ := root.post("/admin/fingerprints/acme-sbc", edit, true); code != http.StatusSeeOther {
		t.Fatalf("POST /admin/fingerprints/acme-sbc = %d, want 303", code)
	}
	_, page = root.get("/admin/fingerprints/acme-sbc?lang=en")
	h := between(page, `id="history"`, "</section>")
	for _, w := range []string{"fingerprint_rule.create", "fingerprint_rule.disable", "fingerprint_rule.update", "root"} {
		if !strings.Contains(h, w) {
			t.Errorf("history of acme-sbc lacks %s: %q", w, h)
		}
	}
}

func TestFingerprintAPI(t *testing.T) {
	e := newEnv(t)
	var l struct {
		Items []struct {
			ID       string
			Function string
			Enabled  bool
		}
	}
	e.do("alice", "GET", "/api/v1/discovery/fingerprints", "", 200, &l)
	if len(l.Items) == 0 || l.Items[0].ID != "open5gs-amf" {
		t.Fatalf("GET /api/v1/discovery/fingerprints = %+v, want the seeded rules", l.Items)
	}
	rule := `{"id":"acme-sbc","function":"SEPP","confidence":0.8,"sys_descr":"(?i)acme"}`
	e.do("alice", "POST", "/api/v1/discovery/fingerprints", rule, 403, nil)
	e.do("bea", "POST", "/api/v1/discovery/fingerprints", rule, 403, nil)
	e.do("root", "POST", "/api/v1/discovery/fingerprints", `{"id":"bad","function":"4.99","confidence":0.8,"model":"[a-"}`, 422, nil)
	if n := e.count(`discovery_rules WHERE name = 'bad'`); n != 0 {
		t.Fatal("a refused rule was stored")
	}
	var r struct {
		ID, Function string
		Enabled      bool
	}
	e.do("root", "POST", "/api/v1/discovery/fingerprints", rule, 201, &r)
	if r.Function != "4.12" || !r.Enabled {
		t.Errorf("POST /api/v1/discovery/fingerprints = %+v, want 4.12, enabled", r)
	}
	e.do("bea", "PATCH", "/api/v1/discovery/fingerprints/acme-sbc", `{"enabled":false}`, 403, nil)
	e.do("root", "PATCH", "/api/v1/discovery/fingerprints/acme-sbc", `{"enabled":false}`, 200, &r)
	if r.Enabled || r.Function != "4.12" {
		t.Errorf("PATCH enabled=false = %+v, want disabled, function kept", r)
	}
	e.do("root", "PATCH", "/api/v1/discovery/fingerprints/acme-sbc", `{"id":"renamed"}`, 422, nil)
	e.do("root", "PATCH", "/api/v1/discovery/fingerprints/nope", `{"enabled":false}`, 404, nil)
	var res struct {
		Hits      []struct{ ID string }
		Functions []struct{ Code string }
	}
	e.do("eric", "POST", "/api/v1/discovery/fingerprints/try", `{"sys_descr":"Acme SBC","sys_object_id":"1.3.6.1.4.1.9148.1"}`, 200, &res)
	if len(res.Hits) != 2 || len(res.Functions) != 1 || res.Functions[0].Code != "1.5" {
		t.Errorf("try = %+v, want acme-sbc (disabled) and sbc-descr, assigning 1.5 only", res)
	}
}

// BenchmarkReferencePages renders the reference-data pages with 100,000 items in the
// database, as an admin.
//
//	go test -run '^$' -bench BenchmarkReferencePages ./server/
func BenchmarkReferencePages(b *testing.B) {
	db := storetest.Open(b, server.Schemas()...)
	seedItems(b, db, 100_000)
	secret := benchSession(b, account.New(db), "root", access.RoleAdmin)
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := server.New(db, server.Config{Log: log}).Handler()
	for _, p := range []struct{ name, path string }{
		{"states", "/admin/states"},
		{"states-filtered", "/admin/states?member=no&designated=1&as_of=2024-01-01"},
		{"state", "/admin/states/RU"},
		{"fingerprints", "/admin/fingerprints"},
		{"fingerprint", "/admin/fingerprints/open5gs-amf"},
	} {
		b.Run(p.name, func(b *testing.B) { benchGet(b, h, p.path, secret) })
	}
	b.Run("fingerprints-try", func(b *testing.B) {
		req := httptest.NewRequest(http.MethodGet, "/admin/fingerprints", nil)
		req.Header.Set("Accept", "text/html")
		req.AddCookie(&http.Cookie{Name: "critreg_session", Value: secret})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		m := csrfRE.FindStringSubmatch(rec.Body.String())
		if m == nil {
			b.Fatal("no CSRF token")
		}
		form := url.Values{"csrf": {m[1]}, "sys_descr": {"Juniper Networks, Inc. mx480 internet router"}, "sys_object_id": {"1.3.6.1.4.1.2636.1.1.1.2.25"}}
		for range b.N {
			req := httptest.NewRequest(http.MethodPost, "/admin/fingerprints/try", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "text/html")
			req.AddCookie(&http.Cookie{Name: "critreg_session", Value: secret})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("POST /admin/fingerprints/try = %d", rec.Code)
			}
		}
	})
}
