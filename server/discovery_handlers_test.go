package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	stdlog "log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/account"
	"critreg/discovery"
	"critreg/discovery/snmpsim"
	"critreg/inventory"
	"critreg/secretkey"
	"critreg/server"
)

// The secrets of the test profiles: distinctive, so that any copy of them is found.
const (
	labCommunity = "ZKq7-lab-community-5531"
	v3AuthPass   = "ZKq7-auth-passphrase-8812"
	v3PrivPass   = "ZKq7-priv-passphrase-4403"
)

// discoveryEnv is a test server with the default body limits, a profile key, and a
// simulator serving recorded devices and one silent host on loopback.
type discoveryEnv struct {
	*testEnv
	agents map[string]string // recording name → host:port
	names  []string          // the recordings in the order they are targeted
}

func newDiscoveryEnv(t *testing.T, names ...string) *discoveryEnv {
	t.Helper()
	t.Setenv(secretkey.Env, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
	e := newEnv(t).withConfig(server.Config{})
	var agents []snmpsim.Agent
	for _, name := range names {
		if name == "silent" {
			agents = append(agents, snmpsim.Agent{Name: name, Fault: snmpsim.FaultSilent})
			continue
		}
		rec, err := snmpsim.LoadFile(filepath.Join("..", "fixtures", "snmp", name+".snmprec"))
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, snmpsim.Agent{Name: name, Recording: rec, Community: labCommunity})
	}
	sim, err := snmpsim.Start(context.Background(), snmpsim.Config{Agents: agents})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	de := &discoveryEnv{testEnv: e, agents: map[string]string{}, names: names}
	for i, a := range sim.Addrs() {
		de.agents[names[i]] = a.String()
	}
	return de
}

func (e *discoveryEnv) targets() string {
	var ts []string
	for _, name := range e.names {
		ts = append(ts, e.agents[name])
	}
	return strings.Join(ts, ",")
}

// waitRun polls a run until it ends, returning every state seen on the way.
func (e *discoveryEnv) waitRun(login string, id int64) (discovery.Run, []discovery.Run) {
	e.t.Helper()
	var seen []discovery.Run
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var run discovery.Run
		e.do(login, "GET", fmt.Sprintf("/api/v1/discovery/runs/%d", id), "", 200, &run)
		seen = append(seen, run)
		if run.Status != discovery.StatusRunning {
			return run, seen
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("run %d did not end in 30 s", id)
	return discovery.Run{}, nil
}

func (e *discoveryEnv) findings(login string, runID int64) map[string]discovery.Finding {
	e.t.Helper()
	var got struct{ Items []discovery.Finding }
	e.do(login, "GET", fmt.Sprintf("/api/v1/discovery/runs/%d/findings?limit=1000", runID), "", 200, &got)
	out := map[string]discovery.Finding{}
	for _, f := range got.Items {
		out[string(f.Kind)+" "+f.Target] = f
	}
	return out
}

func (e *discoveryEnv) startRun(login, profile string, extra string) discovery.Run {
	e.t.Helper()
	var run discovery.Run
	if !strings.Contains(extra, "timeout_ms") {
		extra += `,"timeout_ms":300`
	}
	e.do(login, "POST", "/api/v1/discovery/runs", fmt.Sprintf(`{"targets":%q,"profile":%q,"retries":0%s}`, e.targets(), profile, extra), 202, &run)
	return run
}

func TestDiscoveryProfilesEncryptedAndScoped(t *testing.T) {
	e := newDiscoveryEnv(t)
	var v2, v3 discovery.Profile
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"`+labCommunity+`"}`, 201, &v2)
	e.do("alice", "POST", "/api/v1/discovery/profiles", `{"name":"core v3","version":"v3","user":"critreg","auth_protocol":"sha-256","auth_passphrase":"`+v3AuthPass+`",
		"priv_protocol":"aes","priv_passphrase":"`+v3PrivPass+`"}`, 201, &v3)
	if v2.Operator != "OPA" || v3.AuthProtocol != discovery.AuthSHA256 || v3.PrivProtocol != discovery.PrivAES || v3.User != "critreg" {
		t.Errorf("created profiles = %+v, %+v", v2, v3)
	}
	answers := [][]byte{
		e.do("alice", "GET", "/api/v1/discovery/profiles", "", 200, nil),
		e.do("root", "GET", "/api/v1/audit?limit=1000", "", 200, nil),
		e.do("alice", "GET", "/api/v1/audit?limit=1000", "", 200, nil),
	}
	var list struct{ Items []discovery.Profile }
	e.do("eric", "GET", "/api/v1/discovery/profiles", "", 200, &list)
	if len(list.Items) != 2 || list.Items[0].Name != "core v3" || list.Items[1].Name != "lab" {
		t.Errorf("profiles of OPA = %+v, want core v3 and lab", list.Items)
	}
	if !bytes.Contains(answers[1], []byte("discovery.profile.create")) || !bytes.Contains(answers[1], []byte("[redacted]")) {
		t.Errorf("audit log = %.400s; want the profile's creation with its secrets redacted", answers[1])
	}

	// Bad input lists every problem; a duplicate name is refused.
	var p problemBody
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"","version":"v3","user":"","auth_protocol":"md5","auth_passphrase":"short","priv_protocol":"des"}`, 422, &p)
	if len(p.Errors) < 5 {
		t.Errorf("bad v3 profile: errors = %+v, want name, user, both protocols and both passphrases", p.Errors)
	}
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"x"}`, 422, nil)

	// Another operator's users, the bureau and the admin see none of it.
	e.do("bob", "GET", "/api/v1/discovery/profiles?operator=OPA", "", 404, nil)
	e.do("bea", "GET", "/api/v1/discovery/profiles?operator=OPA", "", 404, nil)
	e.do("bob", "DELETE", fmt.Sprintf("/api/v1/discovery/profiles/%d", v2.ID), "", 404, nil)
	e.do("bob", "POST", "/api/v1/discovery/runs", fmt.Sprintf(`{"operator":"OPA","targets":"127.0.0.1:9","profile":"lab"}`), 422, nil)
	e.do("bob", "POST", "/api/v1/discovery/runs", `{"targets":"127.0.0.1:9","profile":"lab"}`, 422, nil)
	e.do("bea", "POST", "/api/v1/discovery/runs", `{"operator":"OPA","targets":"127.0.0.1:9","profile":"lab"}`, 403, nil)

	// Deleting is audited and leaves the other profile.
	e.do("eric", "DELETE", fmt.Sprintf("/api/v1/discovery/profiles/%d", v3.ID), "", 204, nil)
	answers = append(answers, e.do("alice", "GET", "/api/v1/discovery/profiles", "", 200, nil), e.do("root", "GET", "/api/v1/audit?limit=1000", "", 200, nil))

	// The secrets are nowhere: not in any answer, not in the audit table, not in the
	// database file or its write-ahead log.
	for _, secret := range []string{labCommunity, v3AuthPass, v3PrivPass} {
		for i, b := range answers {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("answer %d holds secret %q", i, secret)
			}
		}
		var n int
		if err := e.db.Read.QueryRow(`SELECT count(*) FROM audit_log WHERE instr(coalesce(before, '') || coalesce(after, ''), ?) > 0`, secret).Scan(&n); err != nil || n != 0 {
			t.Errorf("audit records holding %q = %d (%v), want 0", secret, n, err)
		}
		files, _ := filepath.Glob(e.db.Path + "*")
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("database file %s holds secret %q", filepath.Base(f), secret)
			}
		}
	}
}

// TestDiscoveryProfileKeyBesideDatabase stores a profile on a server given no key: the
// installation's key file is made beside the database (as for second factors), readable by
// its owner only, and the database holds the community sealed, never in clear.
func TestDiscoveryProfileKeyBesideDatabase(t *testing.T) {
	e := newDiscoveryEnv(t)
	t.Setenv(secretkey.Env, "")
	t.Setenv(secretkey.FileEnv, "")
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"`+labCommunity+`"}`, 201, nil)
	st, err := os.Stat(e.db.Path + ".key")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file beside the database = %v, %v; want mode 0600", st, err)
	}
	if n := e.count("discovery_profiles"); n != 1 {
		t.Errorf("profiles stored = %d, want 1", n)
	}
}

// TestDiscoveryRunReconcileAndReview sweeps simulated devices, takes a new one into the
// list, declares the others with differences, sweeps again and reviews the findings.
func TestDiscoveryRunReconcileAndReview(t *testing.T) {
	e := newDiscoveryEnv(t, "cisco-asr9006", "juniper-mx480", "huawei-ne40e", "linux-open5gs", "silent")
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"`+labCommunity+`"}`, 201, nil)

	// Run 1: one worker, the silent host last and waited for a whole second, so that the run
	// is seen part-done however slow the machine.
	run := e.startRun("eric", "lab", `,"workers":1,"timeout_ms":1000`)
	if run.Status != discovery.StatusRunning || run.Progress.Total != 5 || run.Operator != "OPA" {
		t.Fatalf("started run = %+v", run)
	}
	e.do("bob", "GET", fmt.Sprintf("/api/v1/discovery/runs/%d", run.ID), "", 404, nil)
	run, seen := e.waitRun("bea", run.ID)
	live := false
	for _, r := range seen {
		live = live || (r.Status == discovery.StatusRunning && r.Progress.Done > 0 && r.Progress.Done < r.Progress.Total)
	}
	if !live {
		t.Errorf("no progress seen while run 1 was running: %+v", seen)
	}
	p := run.Progress
	if run.Status != discovery.StatusDone || p.Done != 5 || p.Answering != 4 || p.Failed != 1 || p.Timeout != 1 {
		t.Fatalf("run 1 = %s %+v, want done with 4 answering and 1 timeout", run.Status, p)
	}
	if run.Findings.New != 4 || run.Findings.Open != 4 {
		t.Errorf("run 1 findings = %+v, want 4 new", run.Findings)
	}
	var results struct{ Items []discovery.StoredResult }
	e.do("bea", "GET", fmt.Sprintf("/api/v1/discovery/runs/%d/results", run.ID), "", 200, &results)
	devices := map[string]*discovery.Device{}
	for _, r := range results.Items {
		devices[r.Target] = r.Device
	}
	if len(results.Items) != 4 || devices[e.agents["cisco-asr9006"]] == nil || devices[e.agents["cisco-asr9006"]].Manufacturer != "Cisco" {
		t.Fatalf("run 1 results = %d, cisco = %+v", len(results.Items), devices[e.agents["cisco-asr9006"]])
	}

	// Accepting the new Cisco router makes an item with its provenance.
	f1 := e.findings("eric", run.ID)
	cisco := f1["new "+e.agents["cisco-asr9006"]]
	e.do("bea", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", cisco.ID), fmt.Sprintf(`{"network_id":%d}`, e.netA), 403, nil)
	e.do("bob", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", cisco.ID), fmt.Sprintf(`{"network_id":%d}`, e.netB), 404, nil)
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", cisco.ID), `{}`, 422, nil)
	var dec discovery.Decision
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", cisco.ID), fmt.Sprintf(`{"network_id":%d}`, e.netA), 200, &dec)
	it := dec.Item
	cd := devices[e.agents["cisco-asr9006"]]
	wantRef := fmt.Sprintf("discovery run %d host %s at ", run.ID, e.agents["cisco-asr9006"])
	if it == nil || it.Source != inventory.SourceDiscovered || !strings.HasPrefix(it.SourceRef, wantRef) || it.Model != cd.Model ||
		it.Serial != cd.Serial || it.ManagementAddress != e.agents["cisco-asr9006"] || it.CriticalPart != cd.Functions[0].Code || it.NetworkID != e.netA {
		t.Fatalf("accepted item = %+v; want the Cisco device with source discovered and ref %q…", it, wantRef)
	}
	if dec.Finding.Status != discovery.FindingAccepted || dec.Finding.ResultItemID != it.ID {
		t.Errorf("accepted finding = %+v", dec.Finding)
	}
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", cisco.ID), fmt.Sprintf(`{"network_id":%d}`, e.netA), 409, nil)

	// The list then differs from the network in every way reconciliation knows.
	e.do("alice", "PATCH", fmt.Sprintf("/api/v1/items/%d", it.ID), `{"version":"1.0.0"}`, 200, nil)
	jd, hd := devices[e.agents["juniper-mx480"]], devices[e.agents["huawei-ne40e"]]
	var juniper, huawei, gone inventory.Item
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"1.1","kind":"equipment","name":"edge","model":%q,"manufacturer":%q,"serial":"OLD-SERIAL","management_address":%q}`,
		e.netA, jd.Model, jd.Manufacturer, e.agents["juniper-mx480"]), 201, &juniper)
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"1.1","kind":"equipment","name":"core","model":"7750 SR-7","manufacturer":"Nokia","serial":%q,"management_address":%q}`,
		e.netA, hd.Serial, e.agents["huawei-ne40e"]), 201, &huawei)
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"1.1","kind":"equipment","name":"gone","model":"MX204","manufacturer":"Juniper Networks","management_address":%q}`,
		e.netA, e.agents["silent"]), 201, &gone)

	run2 := e.startRun("alice", "lab", "")
	run2, _ = e.waitRun("alice", run2.ID)
	f2 := e.findings("alice", run2.ID)
	for key, want := range map[string]string{
		"changed " + e.agents["cisco-asr9006"]: "63.3.2",
		"changed " + e.agents["juniper-mx480"]: "63.3.1",
		"changed " + e.agents["huawei-ne40e"]:  "made without notice",
		"new " + e.agents["linux-open5gs"]:     "does not declare",
		"missing " + e.agents["silent"]:        "not seen",
	} {
		f, ok := f2[key]
		if !ok {
			t.Errorf("run 2: no finding %q; got %v", key, mapKeys(f2))
			continue
		}
		if !strings.Contains(f.Meaning, want) {
			t.Errorf("run 2 finding %s means %q, want %q in it", key, f.Meaning, want)
		}
	}
	if len(f2) != 5 {
		t.Errorf("run 2 findings = %v, want the five above", mapKeys(f2))
	}

	// Accepting the software update changes the version only, and says so field by field.
	upd := f2["changed "+e.agents["cisco-asr9006"]]
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", upd.ID), `{}`, 200, &dec)
	if dec.Item.Version != cd.SoftwareVersion || len(dec.Changes) != 3 || dec.Changes[0] != (discovery.ItemChange{Field: "version", Before: "1.0.0", After: cd.SoftwareVersion}) ||
		dec.Changes[1] != (discovery.ItemChange{Field: "source", Before: "api", After: "discovered"}) || dec.Changes[2].Field != "source_ref" {
		t.Errorf("accept update: item version %q, changes %+v; want version 1.0.0 → %s, the source and its reference", dec.Item.Version, dec.Changes, cd.SoftwareVersion)
	}

	// A change made to the item since the run is not overwritten.
	repl := f2["changed "+e.agents["juniper-mx480"]]
	e.do("alice", "PATCH", fmt.Sprintf("/api/v1/items/%d", juniper.ID), `{"serial":"TYPED-BY-HAND"}`, 200, nil)
	var conflict struct{ Detail string }
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", repl.ID), `{}`, 409, &conflict)
	if !strings.Contains(conflict.Detail, "TYPED-BY-HAND") {
		t.Errorf("accept over a changed item: %q, want the current value named", conflict.Detail)
	}
	var got inventory.Item
	e.do("alice", "GET", fmt.Sprintf("/api/v1/items/%d", juniper.ID), "", 200, &got)
	if got.Serial != "TYPED-BY-HAND" {
		t.Errorf("item serial after a refused accept = %q", got.Serial)
	}

	// The other manufacturer: accepted, the manufacturer changes.
	mf := f2["changed "+e.agents["huawei-ne40e"]]
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", mf.ID), `{}`, 200, &dec)
	if !makerIs(dec.Item.Manufacturer, "Huawei") || dec.Item.Model != hd.Model {
		t.Errorf("accept manufacturer change: item = %s %s, want Huawei %s", dec.Item.Manufacturer, dec.Item.Model, hd.Model)
	}

	// Missing: accepting removes only when confirmed; a dismissal needs a reason.
	ms := f2["missing "+e.agents["silent"]]
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", ms.ID), `{}`, 422, nil)
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/dismiss", ms.ID), `{"reason":"  "}`, 422, nil)
	var dismissed discovery.Finding
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/dismiss", ms.ID), `{"reason":"maintenance window: the router was powered off"}`, 200, &dismissed)
	if dismissed.Status != discovery.FindingDismissed || dismissed.DecidedBy != "eric" || !strings.Contains(dismissed.Reason, "powered off") {
		t.Errorf("dismissed finding = %+v", dismissed)
	}
	e.do("alice", "GET", fmt.Sprintf("/api/v1/items/%d", gone.ID), "", 200, nil)
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/dismiss", ms.ID), `{"reason":"again"}`, 409, nil)

	// Every decision is in the audit trail.
	for _, action := range []string{"discovery.finding.accept", "discovery.finding.dismiss", "discovery.run.start", "discovery.run.finish"} {
		var n int
		if err := e.db.Read.QueryRow(`SELECT count(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil || n == 0 {
			t.Errorf("audit records of %s = %d (%v)", action, n, err)
		}
	}
	if n := e.count("discovery_findings WHERE status = 'accepted'"); n != 3 {
		t.Errorf("accepted findings = %d, want 3", n)
	}
}

func makerIs(got, want string) bool {
	return strings.HasPrefix(strings.ToLower(got), strings.ToLower(want))
}

func mapKeys(m map[string]discovery.Finding) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestDiscoveryFailedPollKeepsKnownData sweeps once, then again with a community no agent
// knows: the second run fails every poll, and nothing the first one learnt is lost.
func TestDiscoveryFailedPollKeepsKnownData(t *testing.T) {
	e := newDiscoveryEnv(t, "cisco-asr9006", "juniper-mx480")
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"`+labCommunity+`"}`, 201, nil)
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"wrong","version":"v2c","community":"not-the-community"}`, 201, nil)
	run1 := e.startRun("eric", "lab", "")
	run1, _ = e.waitRun("eric", run1.ID)
	f1 := e.findings("eric", run1.ID)
	var dec discovery.Decision
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/findings/%d/accept", f1["new "+e.agents["juniper-mx480"]].ID), fmt.Sprintf(`{"network_id":%d}`, e.netA), 200, &dec)
	before := *dec.Item

	run2 := e.startRun("eric", "wrong", "")
	run2, _ = e.waitRun("eric", run2.ID)
	if run2.Status != discovery.StatusDone || run2.Progress.Answering != 0 || run2.Progress.Timeout != 2 {
		t.Fatalf("run with a wrong community = %s %+v, want done with 2 timeouts", run2.Status, run2.Progress)
	}
	var known struct{ Items []discovery.StoredResult }
	e.do("eric", "GET", "/api/v1/discovery/devices", "", 200, &known)
	if len(known.Items) != 2 || known.Items[0].RunID != run1.ID || known.Items[0].Device == nil {
		t.Errorf("known devices after a failed poll = %+v, want both from run %d", known.Items, run1.ID)
	}
	var results struct{ Items []discovery.StoredResult }
	e.do("eric", "GET", fmt.Sprintf("/api/v1/discovery/runs/%d/results", run1.ID), "", 200, &results)
	if len(results.Items) != 2 {
		t.Errorf("run 1 results after run 2 = %d, want 2", len(results.Items))
	}
	var after inventory.Item
	e.do("eric", "GET", fmt.Sprintf("/api/v1/items/%d", before.ID), "", 200, &after)
	if after.UpdatedAt != before.UpdatedAt || after.Serial != before.Serial || after.Version != before.Version {
		t.Errorf("item after a failed poll = %+v, want it untouched", after)
	}
	f2 := e.findings("eric", run2.ID)
	m, ok := f2["missing "+e.agents["juniper-mx480"]]
	if !ok || len(f2) != 1 || !strings.Contains(m.Meaning, "not proof of removal") || m.Status != discovery.FindingOpen {
		t.Errorf("run 2 findings = %+v, want one open missing finding that says silence is not proof", f2)
	}
}

func TestDiscoveryCancelKeepsWhatWasFound(t *testing.T) {
	e := newDiscoveryEnv(t, "cisco-asr9006", "silent")
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"`+labCommunity+`"}`, 201, nil)
	var run discovery.Run
	e.do("eric", "POST", "/api/v1/discovery/runs", fmt.Sprintf(`{"targets":%q,"profile":"lab","timeout_ms":5000,"retries":2,"workers":2}`, e.targets()), 202, &run)
	e.do("bea", "POST", fmt.Sprintf("/api/v1/discovery/runs/%d/cancel", run.ID), "", 403, nil)
	deadline := time.Now().Add(10 * time.Second)
	for run.Progress.Answering == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		e.do("eric", "GET", fmt.Sprintf("/api/v1/discovery/runs/%d", run.ID), "", 200, &run)
	}
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/runs/%d/cancel", run.ID), "", 200, &run)
	if run.Status != discovery.StatusCancelled || run.Findings.New != 1 || run.Findings.Missing != 0 {
		t.Errorf("cancelled run = %s %+v %+v; want cancelled with the one device found and nothing missing", run.Status, run.Progress, run.Findings)
	}
	e.do("eric", "POST", fmt.Sprintf("/api/v1/discovery/runs/%d/cancel", run.ID), "", 409, nil)
}

// droppingServer serves the real router, but drops the connection the first time a
// request whose path ends in suffix comes in, after the server handled it: the client
// never hears the answer and must find out what was stored.
type droppingServer struct {
	URL string
	mu  sync.Mutex
	did bool
}

func newDroppingServer(t *testing.T, e *discoveryEnv, suffix string) *droppingServer {
	t.Helper()
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := server.New(e.db, server.Config{Log: log}).Handler()
	d := &droppingServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		drop := !d.did && r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, suffix)
		d.did = d.did || drop
		d.mu.Unlock()
		if drop {
			h.ServeHTTP(httptest.NewRecorder(), r)
			panic(http.ErrAbortHandler)
		}
		h.ServeHTTP(w, r)
	}))
	// The server logs the deliberate abort; keep the test output clean.
	srv.Config.ErrorLog = stdlog.New(io.Discard, "", 0)
	t.Cleanup(srv.Close)
	d.URL = srv.URL
	return d
}

func (d *droppingServer) dropped() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.did
}

// routes is the live route table.
func (e *discoveryEnv) routes() []*echo.Route {
	var out []*echo.Route
	for _, r := range server.New(e.db, server.Config{}).Handler().(*echo.Echo).Routes() {
		if strings.HasPrefix(r.Path, "/") && r.Method != echo.RouteNotFound && r.Method != "echo_route_any" {
			out = append(out, r)
		}
	}
	return out
}

// TestDiscoveryUploadResumes sends an agent's run through a server that loses the answer
// to batch 2 once: the agent asks what is held, goes on, and nothing is stored twice.
func TestDiscoveryUploadResumes(t *testing.T) {
	e := newDiscoveryEnv(t, "cisco-asr9006", "juniper-mx480", "huawei-ne40e", "linux-open5gs")
	_, token, err := account.New(e.db).CreateToken(context.Background(), access.System(), "eric", "agent", account.ScopeDiscovery, 0)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newDroppingServer(t, e, "/batches/2")
	var retries int
	u := &discovery.Uploader{Server: proxy.URL, Token: token, MaxBatch: 1, MinBackoff: 10 * time.Millisecond, RetryFor: 10 * time.Second,
		OnRetry: func(error, time.Duration) { retries++ }}
	ts, err := discovery.ParseTargets(e.targets(), discovery.TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	up, err := u.Start(ctx, discovery.UploadInput{Targets: e.targets(), Credentials: "SNMP v2c community [redacted]", Options: discovery.RunOptions{Workers: 4, TimeoutMS: 300}})
	if err != nil {
		t.Fatal(err)
	}
	var addErr error
	opts := discovery.Options{Workers: 4, Timeout: 300 * time.Millisecond, Retries: -1,
		OnResult: func(r discovery.Result) {
			if err := up.Add(ctx, r); err != nil && addErr == nil {
				addErr = err
			}
		},
		Progress: up.Progress}
	p, err := discovery.Sweep(ctx, ts, discovery.Credentials{Version: discovery.V2c, Community: discovery.NewSecret(labCommunity)}, opts)
	if err != nil || addErr != nil {
		t.Fatalf("sweep = %v, upload = %v", err, addErr)
	}
	run, err := up.Commit(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !proxy.dropped() {
		t.Error("the answer to batch 2 was never dropped; the test did not test resumption")
	}
	if retries != 0 {
		t.Errorf("retries = %d, want 0: the server held batch 2, so asking was enough", retries)
	}
	if run.Origin != discovery.OriginAgent || run.Status != discovery.StatusDone || run.HeldSeq != 4 || run.Findings.New != 4 || run.StartedBy != "eric" {
		t.Errorf("uploaded run = %+v", run)
	}
	if n := e.count(fmt.Sprintf("discovery_results WHERE run_id = %d", run.ID)); n != 4 {
		t.Errorf("results stored = %d, want 4 (none twice)", n)
	}
	// The engineer reviews what the agent sent; the agent's token could not.
	e.do("eric", "GET", fmt.Sprintf("/api/v1/discovery/runs/%d/findings", run.ID), "", 200, nil)

	// A batch sent again with other content is refused; out of order is refused.
	up2, err := u.Start(ctx, discovery.UploadInput{Targets: e.targets()})
	if err != nil {
		t.Fatal(err)
	}
	agent := func(method, path, body string, want int) {
		t.Helper()
		e.tokens["agent"] = token
		e.do("agent", method, path, body, want, nil)
	}
	tg, err := discovery.ParseTarget(e.agents["cisco-asr9006"], 161)
	if err != nil {
		t.Fatal(err)
	}
	batch := fmt.Sprintf(`{"results":[{"target":{"host":%q,"port":%d},"read_at":"2026-01-01T00:00:00Z","cause":"auth"}]}`, tg.Host, tg.Port)
	agent("PUT", fmt.Sprintf("/api/v1/discovery/uploads/%d/batches/1", up2.ID), strings.Replace(batch, fmt.Sprint(tg.Port), "9", 1), 422)
	agent("PUT", fmt.Sprintf("/api/v1/discovery/uploads/%d/batches/2", up2.ID), batch, 409)
	agent("PUT", fmt.Sprintf("/api/v1/discovery/uploads/%d/batches/1", up2.ID), batch, 200)
	agent("PUT", fmt.Sprintf("/api/v1/discovery/uploads/%d/batches/1", up2.ID), batch, 200)
	agent("PUT", fmt.Sprintf("/api/v1/discovery/uploads/%d/batches/1", up2.ID), strings.Replace(batch, "auth", "refused", 1), 409)
	agent("POST", fmt.Sprintf("/api/v1/discovery/uploads/%d/commit", up2.ID), `{"batches":2}`, 409)
	agent("POST", fmt.Sprintf("/api/v1/discovery/uploads/%d/commit", up2.ID), `{"batches":1,"progress":{"total":4,"done":4,"failed":4}}`, 200)
	agent("PUT", fmt.Sprintf("/api/v1/discovery/uploads/%d/batches/2", up2.ID), batch, 409)
	// Another operator's user finds no upload of OPA.
	e.do("bob", "GET", fmt.Sprintf("/api/v1/discovery/uploads/%d", up2.ID), "", 404, nil)
}

// TestDiscoveryTokenOnlyUploads walks the route table: a discovery-scope token is answered
// 404 everywhere except the upload routes.
func TestDiscoveryTokenOnlyUploads(t *testing.T) {
	e := newDiscoveryEnv(t)
	_, token, err := account.New(e.db).CreateToken(context.Background(), access.System(), "eric", "agent", account.ScopeDiscovery, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["agent"] = token
	before := e.count("items") + e.count("discovery_runs") + e.count("discovery_profiles")
	n := 0
	for _, r := range e.routes() {
		if strings.HasPrefix(r.Path, "/api/v1/discovery/uploads") {
			continue
		}
		path, _ := fill(r.Path, map[string]string{}, "1")
		body := ""
		if r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
			body = `{}`
		}
		// Routes that answer without credentials (the sign-in pages) take no token.
		if st, _ := e.try("", r.Method, path, body); st != 401 && st != 303 {
			continue
		}
		if st, got := e.try("agent", r.Method, path, body); st != 404 {
			t.Errorf("%s %s with a discovery token = %d %.200s, want 404", r.Method, path, st, got)
		}
		n++
	}
	if n < 40 {
		t.Errorf("checked %d routes; expected the whole API", n)
	}
	if after := e.count("items") + e.count("discovery_runs") + e.count("discovery_profiles"); after != before {
		t.Errorf("rows changed by a discovery token: %d → %d", before, after)
	}
	// It does upload.
	var st discovery.UploadState
	e.do("agent", "POST", "/api/v1/discovery/uploads", `{"targets":"127.0.0.1:1161"}`, 201, &st)
	// A read-scope token does not.
	_, read, err := account.New(e.db).CreateToken(context.Background(), access.System(), "eric", "read", account.ScopeRead, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["reader"] = read
	e.do("reader", "POST", "/api/v1/discovery/uploads", `{"targets":"127.0.0.1:1161"}`, 403, nil)
}

// TestDiscoveryRunLimit: the server sweeps at most four runs at once and refuses a fifth
// until one ends.
func TestDiscoveryRunLimit(t *testing.T) {
	e := newDiscoveryEnv(t, "silent")
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"`+labCommunity+`"}`, 201, nil)
	long := fmt.Sprintf(`{"targets":%q,"profile":"lab","timeout_ms":10000,"retries":2}`, e.targets())
	var ids []int64
	for range 4 {
		var run discovery.Run
		e.do("eric", "POST", "/api/v1/discovery/runs", long, 202, &run)
		ids = append(ids, run.ID)
	}
	var p struct{ Detail string }
	e.do("alice", "POST", "/api/v1/discovery/runs", long, 409, &p)
	if !strings.Contains(p.Detail, "already sweeping") {
		t.Errorf("fifth run refused with %q", p.Detail)
	}
	for _, id := range ids {
		var run discovery.Run
		e.do("alice", "POST", fmt.Sprintf("/api/v1/discovery/runs/%d/cancel", id), "", 200, &run)
		if run.Status != discovery.StatusCancelled {
			t.Errorf("run %d after cancel = %s", id, run.Status)
		}
	}
	var run discovery.Run
	e.do("alice", "POST", "/api/v1/discovery/runs", long, 202, &run)
	e.do("alice", "POST", fmt.Sprintf("/api/v1/discovery/runs/%d/cancel", run.ID), "", 200, nil)
}

// TestDiscoveryChangeWithNoticeOnRecord: another manufacturer where a submitted notice
// announced the replacement is not a change made without notice.
func TestDiscoveryChangeWithNoticeOnRecord(t *testing.T) {
	e := newDiscoveryEnv(t, "huawei-ne40e")
	e.do("eric", "POST", "/api/v1/discovery/profiles", `{"name":"lab","version":"v2c","community":"`+labCommunity+`"}`, 201, nil)
	var old inventory.Item
	e.do("alice", "POST", "/api/v1/items", fmt.Sprintf(`{"network_id":%d,"critical_part":"1.1","kind":"equipment","name":"core","model":"7750 SR-7","manufacturer":"Nokia","management_address":%q}`,
		e.netA, e.agents["huawei-ne40e"]), 201, &old)
	var n struct{ ID int64 }
	e.do("alice", "POST", "/api/v1/notices", fmt.Sprintf(`{"title":"core router replacement","lines":[{"change":"replace_device","current_item_id":%d,
		"new":{"manufacturer":"Huawei","model":"NetEngine 40E","kind":"equipment"},"planned_start":"2030-01-01"}]}`, old.ID), 201, &n)
	e.do("alice", "POST", fmt.Sprintf("/api/v1/notices/%d/submit", n.ID), `{}`, 200, nil)
	run := e.startRun("eric", "lab", "")
	run, _ = e.waitRun("eric", run.ID)
	f, ok := e.findings("eric", run.ID)["changed "+e.agents["huawei-ne40e"]]
	if !ok || !f.NoticeOnRecord || !strings.Contains(f.Meaning, "a notice on record covers this item") || strings.Contains(f.Meaning, "without notice") {
		t.Errorf("finding = %+v; want the change covered by the notice on record", f)
	}
}
