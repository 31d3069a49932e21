package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/account"
	"critreg/discovery"
	"critreg/discovery/snmpsim"
	"critreg/inventory"
	"critreg/secretkey"
	"critreg/server"
	"critreg/store/storetest"
)

// hostileDescr is the system description of a device whose agent answers with markup.
const hostileDescr = `<script>alert("sysDescr")</script><img src=x onerror=alert(1)>`

// hostileRecording is the open5gs core with markup in its system description and name.
func hostileRecording(t testing.TB) *snmpsim.Recording {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "fixtures", "snmp", "linux-open5gs.snmprec"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		switch {
		case strings.HasPrefix(l, "1.3.6.1.2.1.1.1.0|"):
			l = "1.3.6.1.2.1.1.1.0|4|Linux " + hostileDescr
		case strings.HasPrefix(l, "1.3.6.1.2.1.1.5.0|"):
			l = `1.3.6.1.2.1.1.5.0|4|core<b>5g</b>`
		}
		lines = append(lines, l)
	}
	rec, err := snmpsim.ParseRecording(strings.Join(lines, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// newDiscoveryPageEnv is a test server with a profile key and a simulator serving a Cisco
// and a Juniper router, the hostile core, and a silent host.
func newDiscoveryPageEnv(t *testing.T) *discoveryEnv {
	t.Helper()
	t.Setenv(secretkey.Env, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32)))
	e := newEnv(t).withConfig(server.Config{})
	load := func(name string) *snmpsim.Recording {
		rec, err := snmpsim.LoadFile(filepath.Join("..", "fixtures", "snmp", name+".snmprec"))
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	agents := []snmpsim.Agent{
		{Name: "cisco-asr9006", Recording: load("cisco-asr9006"), Community: labCommunity},
		{Name: "juniper-mx480", Recording: load("juniper-mx480"), Community: labCommunity},
		{Name: "hostile", Recording: hostileRecording(t), Community: labCommunity},
		{Name: "silent", Fault: snmpsim.FaultSilent},
	}
	sim, err := snmpsim.Start(context.Background(), snmpsim.Config{Agents: agents})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	de := &discoveryEnv{testEnv: e, agents: map[string]string{}}
	for i, a := range sim.Addrs() {
		de.agents[agents[i].Name] = a.String()
	}
	return de
}

// browserClient is a browser without JavaScript: it keeps cookies (the session, the
// language, the message shown after a form) and does not follow redirects by itself.
type browserClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func (e *testEnv) browse(login string) *browserClient {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(e.srv.URL)
	if login != "" {
		acc := account.New(e.db)
		usr, err := acc.UserByLogin(context.Background(), login)
		if err != nil {
			e.t.Fatal(err)
		}
		secret, _, err := acc.StartSession(context.Background(), usr, "127.0.0.1", "test", "")
		if err != nil {
			e.t.Fatal(err)
		}
		jar.SetCookies(u, []*http.Cookie{{Name: "critreg_session", Value: secret, Path: "/"}})
	}
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browserClient{t: e.t, base: e.srv.URL, hc: hc}
}

func (b *browserClient) do(req *http.Request) (int, string, string) {
	b.t.Helper()
	req.Header.Set("Accept", "text/html")
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

// get returns the status, the page and where a redirect points.
func (b *browserClient) get(path string) (int, string, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// post sends a form with the session's CSRF token, read from the page at from.
func (b *browserClient) post(from, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	_, page, _ := b.get(from)
	if m := csrfRE.FindStringSubmatch(page); m != nil {
		form.Set("csrf", m[1])
	}
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var runPathRE = regexp.MustCompile(`^/discovery/runs/(\d+)$`)

func TestDiscoveryPages(t *testing.T) {
	e := newDiscoveryPageEnv(t)
	eric, alice, bob, bea, root := e.browse("eric"), e.browse("alice"), e.browse("bob"), e.browse("bea"), e.browse("root")

	// The list the network is compared with: the Juniper router with another serial, and
	// a router at the silent address.
	var juniper, gone inventory.Item
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"1.1","kind":"equipment","name":"edge","model":"MX480","manufacturer":"Juniper Networks","serial":"OLD-SERIAL","management_address":%q}`,
		e.netA, e.agents["juniper-mx480"]), 201, &juniper)
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"1.1","kind":"equipment","name":"gone router","model":"MX204","manufacturer":"Juniper Networks","management_address":%q}`,
		e.netA, e.agents["silent"]), 201, &gone)

	for _, lang := range []string{"en", "lv"} {
		if _, page, _ := eric.get("/discovery?lang=" + lang); strings.Contains(page, "disc.") {
			t.Errorf("/discovery?lang=%s shows a message key instead of its text", lang)
		}
	}

	// Who sees the pages: anonymous browsers sign in first; admins have no use for them.
	if st, _, loc := e.browse("").get("/discovery"); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("anonymous GET /discovery = %d to %q, want a redirect to /login", st, loc)
	}
	if st, _, _ := root.get("/discovery"); st != http.StatusForbidden {
		t.Errorf("admin GET /discovery = %d, want 403", st)
	}
	st, page, _ := eric.get("/discovery")
	if st != http.StatusOK || !strings.Contains(page, `id="start-run"`) || !strings.Contains(page, `id="add-profile"`) || !strings.Contains(page, `href="/discovery"`) {
		t.Fatalf("engineer GET /discovery = %d; want the run form, the profile form and the navigation entry", st)
	}
	if _, page, _ := bea.get("/discovery"); strings.Contains(page, `id="start-run"`) || strings.Contains(page, `id="add-profile"`) {
		t.Error("the bureau is offered forms to start runs or keep profiles")
	}

	// Profiles: a bad v3 profile shows its problems beside the fields, keeps what was typed
	// and never the passphrases; a good v2c one is listed without its community.
	st, page, _ = eric.post("/discovery", "/discovery/profiles", url.Values{"name": {"core v3"}, "version": {"v3"}, "user": {"critreg"},
		"auth_protocol": {"SHA-256"}, "auth_passphrase": {"short1"}, "priv_protocol": {"AES"}, "priv_passphrase": {v3PrivPass}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-pf-auth_passphrase"`) || !strings.Contains(page, `value="core v3"`) {
		t.Errorf("bad profile = %d; want 422 with the problem beside the passphrase and the name kept", st)
	}
	if strings.Contains(page, v3PrivPass) {
		t.Error("the page shows a passphrase typed into the profile form")
	}
	st, _, loc := eric.post("/discovery", "/discovery/profiles", url.Values{"name": {"lab"}, "version": {"v2c"}, "community": {labCommunity}})
	if st != http.StatusSeeOther {
		t.Fatalf("add profile = %d, want 303", st)
	}
	_, page, _ = eric.get(loc)
	if !strings.Contains(page, `id="flash"`) || !strings.Contains(page, "<td>lab</td>") || strings.Contains(page, labCommunity) {
		t.Errorf("after adding a profile the page shows flash %v, profile %v, community %v; want the first two only",
			strings.Contains(page, `id="flash"`), strings.Contains(page, "<td>lab</td>"), strings.Contains(page, labCommunity))
	}

	// Starting a run: bad targets are shown beside the field with what was typed.
	st, page, _ = eric.post("/discovery", "/discovery/runs", url.Values{"targets": {"10.0.0.0/33"}, "profile": {"lab"}, "workers": {"many"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-workers"`) || !strings.Contains(page, ">10.0.0.0/33</textarea>") {
		t.Errorf("run with a bad worker count = %d; want 422 with the problem beside the field and the targets kept", st)
	}
	st, page, _ = eric.post("/discovery", "/discovery/runs", url.Values{"targets": {"10.0.0.0/33"}, "profile": {"lab"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-targets"`) || !strings.Contains(page, "nav CIDR diapazons") {
		t.Errorf("run with bad targets = %d; want 422 with the problem, in Latvian, beside the targets", st)
	}
	targets := strings.Join([]string{e.agents["cisco-asr9006"], e.agents["juniper-mx480"], e.agents["hostile"], e.agents["silent"]}, "\n")
	st, _, loc = eric.post("/discovery", "/discovery/runs", url.Values{"targets": {targets}, "profile": {"lab"}, "timeout_ms": {"1500"}, "retries": {"0"}, "workers": {"1"}})
	m := runPathRE.FindStringSubmatch(loc)
	if st != http.StatusSeeOther || m == nil {
		t.Fatalf("start run = %d to %q, want 303 to the run's page", st, loc)
	}
	var runID int64
	fmt.Sscan(m[1], &runID)
	runPath := loc
	if st, page, _ := eric.get(runPath); st != http.StatusOK || !strings.Contains(page, `id="run-live"`) {
		t.Fatalf("run page while it runs = %d", st)
	} else if strings.Contains(page, `data-running="1"`) && (!strings.Contains(page, "discovery.js") || !strings.Contains(page, `id="refresh"`) || !strings.Contains(page, `id="cancel"`)) {
		t.Error("a running run's page has no live script, refresh link or cancel button")
	}
	run, _ := e.waitRun("eric", runID)
	if run.Status != discovery.StatusDone {
		t.Fatalf("run = %s %+v", run.Status, run.Progress)
	}
	fs := e.findings("eric", runID)
	newCisco, changed, missing, newHostile := fs["new "+e.agents["cisco-asr9006"]], fs["changed "+e.agents["juniper-mx480"]], fs["missing "+e.agents["silent"]], fs["new "+e.agents["hostile"]]
	if newCisco.ID == 0 || changed.ID == 0 || missing.ID == 0 || newHostile.ID == 0 {
		t.Fatalf("findings = %v; want new Cisco and hostile devices, the changed Juniper and the missing router", mapKeys(fs))
	}

	// The finished run's page: counts, results and findings by kind; hostile text escaped.
	st, page, _ = eric.get(runPath)
	if st != http.StatusOK {
		t.Fatalf("run page = %d", st)
	}
	for _, want := range []string{`data-p="answering">3<`, `data-p="timeout">1<`, `id="new"`, `id="changed"`, `id="missing"`,
		fmt.Sprintf(`id="f-%d"`, newCisco.ID), fmt.Sprintf(`id="f-%d"`, changed.ID), fmt.Sprintf(`id="f-%d"`, missing.ID),
		"<del>OLD-SERIAL</del>", `href="/items/` + fmt.Sprint(gone.ID) + `"`, "&lt;script&gt;alert(&#34;sysDescr&#34;)&lt;/script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("run page lacks %q", want)
		}
	}
	if strings.Contains(page, "disc.") {
		t.Error("run page shows a message key instead of its text")
	}
	if rawMarkup([]byte(page)) || strings.Contains(page, "<b>5g</b>") || strings.Contains(page, "discovery.js") {
		t.Error("run page: hostile markup from a device is not escaped, or a finished run still polls")
	}

	// Other operators' users do not find the run or its findings; the bureau looks only.
	for _, path := range []string{runPath, fmt.Sprintf("/discovery/runs/%d?new_after=1", runID)} {
		if st, _, _ := bob.get(path); st != http.StatusNotFound {
			t.Errorf("another operator's GET %s = %d, want 404", path, st)
		}
	}
	for _, path := range []string{fmt.Sprintf("/discovery/findings/%d/accept", newCisco.ID), fmt.Sprintf("/discovery/findings/%d/dismiss", missing.ID), runPath + "/cancel"} {
		if st, _, _ := bob.post("/discovery", path, url.Values{"network_id": {fmt.Sprint(e.netB)}, "reason": {"mine"}}); st != http.StatusNotFound {
			t.Errorf("another operator's POST %s = %d, want 404", path, st)
		}
	}
	if _, page, _ := bob.get("/discovery"); strings.Contains(page, fmt.Sprintf(`href="%s"`, runPath)) {
		t.Error("another operator's run list shows the run")
	}
	if st, page, _ := bea.get(runPath); st != http.StatusOK || strings.Contains(page, "/accept\"") || strings.Contains(page, "/dismiss\"") {
		t.Errorf("bureau run page = %d; want it shown without forms to decide", st)
	}
	if st, _, _ := bea.post(runPath, fmt.Sprintf("/discovery/findings/%d/dismiss", missing.ID), url.Values{"reason": {"not ours"}}); st != http.StatusForbidden {
		t.Errorf("bureau dismissal = %d, want 403", st)
	}

	// Forms need the session's token.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+fmt.Sprintf("/discovery/findings/%d/dismiss", missing.ID), strings.NewReader("reason=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if st, _, _ := eric.do(req); st != http.StatusForbidden {
		t.Errorf("dismissal without the CSRF token = %d, want 403", st)
	}

	// A dismissal without a reason shows the problem beside the reason of that finding.
	st, page, _ = eric.post(runPath, fmt.Sprintf("/discovery/findings/%d/dismiss", missing.ID), url.Values{"reason": {"  "}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, fmt.Sprintf(`id="e-reason-%d"`, missing.ID)) {
		t.Errorf("dismissal without a reason = %d; want 422 with the problem beside the reason", st)
	}
	// Accepting a new device needs its network, said beside the field.
	st, page, _ = eric.post(runPath, fmt.Sprintf("/discovery/findings/%d/accept", newCisco.ID), url.Values{"name": {"Edge Liepāja"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, fmt.Sprintf(`id="e-net-%d"`, newCisco.ID)) || !strings.Contains(page, `value="Edge Liepāja"`) {
		t.Errorf("accept without a network = %d; want 422 with the problem beside the network and the name kept", st)
	}
	// Accepted, the device is an item, linked from the message the page then shows.
	st, _, loc = eric.post(runPath, fmt.Sprintf("/discovery/findings/%d/accept", newCisco.ID), url.Values{"network_id": {fmt.Sprint(e.netA)}, "name": {"Edge Liepāja"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, runPath+"#f-") {
		t.Fatalf("accept = %d to %q, want 303 back to the run", st, loc)
	}
	var f discovery.Finding
	e.do("eric", "GET", fmt.Sprintf("/api/v1/discovery/findings/%d", newCisco.ID), "", 200, &f)
	if f.ResultItemID == 0 {
		t.Fatalf("accepted finding = %+v, want the item it made", f)
	}
	_, page, _ = eric.get(loc)
	if !strings.Contains(page, `id="flash"`) || !strings.Contains(page, fmt.Sprintf(`href="/items/%d"`, f.ResultItemID)) {
		t.Errorf("after accepting, the page shows no message linking item %d", f.ResultItemID)
	}
	if _, again, _ := eric.get(loc); strings.Contains(again, `id="flash"`) {
		t.Error("the message after accepting is shown twice")
	}
	if _, items, _ := alice.get("/items?q=Liep%C4%81ja"); !strings.Contains(items, fmt.Sprintf(`href="/items/%d"`, f.ResultItemID)) {
		t.Error("the accepted device is not in /items")
	}
	// The change: accepted, its item is updated.
	st, _, loc = eric.post(runPath, fmt.Sprintf("/discovery/findings/%d/accept", changed.ID), url.Values{})
	if _, page, _ = eric.get(loc); st != http.StatusSeeOther || !strings.Contains(page, fmt.Sprintf(`href="/items/%d"`, juniper.ID)) {
		t.Errorf("accept change = %d; want the updated item linked", st)
	}
	// Missing: accepting needs a confirmation; a dismissal with a reason closes it.
	if st, page, _ = eric.post(runPath, fmt.Sprintf("/discovery/findings/%d/accept", missing.ID), url.Values{}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(page, fmt.Sprintf(`id="e-confirm-%d"`, missing.ID)) {
		t.Errorf("accept missing without confirmation = %d; want 422 beside the checkbox", st)
	}
	if st, _, _ = eric.post(runPath, fmt.Sprintf("/discovery/findings/%d/dismiss", missing.ID), url.Values{"reason": {"powered off <for> maintenance"}}); st != http.StatusSeeOther {
		t.Errorf("dismissal = %d, want 303", st)
	}
	if _, page, _ = eric.get(runPath); !strings.Contains(page, "powered off &lt;for&gt; maintenance") {
		t.Error("the dismissed finding does not show its reason")
	}
	e.do("alice", "GET", fmt.Sprintf("/api/v1/items/%d", gone.ID), "", 200, nil)
	// A finished run cannot be cancelled; the page says why.
	if st, page, _ = eric.post(runPath, runPath+"/cancel", url.Values{}); st != http.StatusConflict || !strings.Contains(page, "jau ir beigusies") {
		t.Errorf("cancel a finished run = %d, want 409 saying in Latvian it has ended", st)
	}
	// The run list shows the run with its counts.
	if _, page, _ = eric.get("/discovery"); !strings.Contains(page, fmt.Sprintf(`href="%s"`, runPath)) || !strings.Contains(page, "4 / 4") {
		t.Error("the run list does not show the run with its progress")
	}
}

// Without a secret key the profile form says so instead of taking secrets it cannot keep.
func TestDiscoveryPageWithoutKey(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(secretkey.Env, "")
	t.Setenv(secretkey.FileEnv, filepath.Join(dir, "missing.key"))
	e := newEnv(t)
	st, page, _ := e.browse("alice").get("/discovery")
	if st != http.StatusOK || !strings.Contains(page, `id="no-key"`) || strings.Contains(page, `id="add-profile"`) {
		t.Errorf("GET /discovery without a key = %d; want the plain message instead of the form", st)
	}
}

// BenchmarkDiscoveryPages renders the discovery pages with 100,000 items in the database, as
// an operator's user whose run swept 48 simulated devices and 16 silent hosts.
//
//	go test -run '^$' -bench BenchmarkDiscoveryPages ./server/
func BenchmarkDiscoveryPages(b *testing.B) {
	b.Setenv(secretkey.Env, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{3}, 32)))
	db := storetest.Open(b, server.Schemas()...)
	seedItems(b, db, 100_000)
	ctx, sys := context.Background(), access.System()
	acc := account.New(db)
	session := benchSession(b, acc, "alice", "")
	_, token, err := acc.CreateToken(ctx, sys, "alice", "bench-write", account.ScopeWrite, 0)
	if err != nil {
		b.Fatal(err)
	}
	var agents []snmpsim.Agent
	for range 6 {
		for _, name := range []string{"cisco-asr9006", "ericsson-router6675", "huawei-ne40e", "juniper-mx480", "linux-free5gc", "linux-hss", "linux-open5gs", "nokia-7750-sr"} {
			rec, err := snmpsim.LoadFile(filepath.Join("..", "fixtures", "snmp", name+".snmprec"))
			if err != nil {
				b.Fatal(err)
			}
			agents = append(agents, snmpsim.Agent{Name: name, Recording: rec, Community: labCommunity})
		}
	}
	for range 16 {
		agents = append(agents, snmpsim.Agent{Name: "silent", Fault: snmpsim.FaultSilent})
	}
	sim, err := snmpsim.Start(ctx, snmpsim.Config{Agents: agents})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sim.Close() })
	var targets []string
	for _, a := range sim.Addrs() {
		targets = append(targets, a.String())
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := server.New(db, server.Config{Log: log}).Handler()
	api := func(method, path, body string, out any) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 300 {
			b.Fatalf("%s %s = %d %s", method, path, rec.Code, rec.Body)
		}
		if out != nil {
			if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
				b.Fatal(err)
			}
		}
	}
	api("POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"`+labCommunity+`"}`, nil)
	var run discovery.Run
	api("POST", "/api/v1/discovery/runs", fmt.Sprintf(`{"targets":%q,"profile":"lab","timeout_ms":2000,"retries":0}`, strings.Join(targets, ",")), &run)
	for run.Status == discovery.StatusRunning {
		time.Sleep(50 * time.Millisecond)
		api("GET", fmt.Sprintf("/api/v1/discovery/runs/%d", run.ID), "", &run)
	}
	if run.Status != discovery.StatusDone || run.Progress.Answering != 48 || run.Findings.New != 48 {
		b.Fatalf("run = %s %+v %+v, want done with 48 devices found new", run.Status, run.Progress, run.Findings)
	}
	for _, p := range []struct{ name, path string }{
		{"runs", "/discovery"},
		{"run", fmt.Sprintf("/discovery/runs/%d", run.ID)},
	} {
		b.Run(p.name, func(b *testing.B) { benchGet(b, h, p.path, session) })
	}
}
