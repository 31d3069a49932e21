package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"critreg/discovery/snmpsim"
	"critreg/secretkey"
)

// TestBrowserDiscovery drives Chromium through an engineer's discovery journey on the demo
// data: keep a credential profile, start a run against simulated devices on loopback, watch
// its progress move until it is done, and accept a new device into the list.
func TestBrowserDiscovery(t *testing.T) {
	ctx := browser(t)
	t.Setenv(secretkey.Env, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{5}, 32)))
	base := demoServer(t)

	// Two routers that answer and two hosts that never do: one worker and a two-second
	// timeout make the run last long enough to be watched.
	var agents []snmpsim.Agent
	for _, name := range []string{"cisco-asr9006", "juniper-mx480"} {
		rec, err := snmpsim.LoadFile(filepath.Join("..", "fixtures", "snmp", name+".snmprec"))
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, snmpsim.Agent{Name: name, Recording: rec, Community: labCommunity})
	}
	agents = append(agents, snmpsim.Agent{Name: "silent-1", Fault: snmpsim.FaultSilent}, snmpsim.Agent{Name: "silent-2", Fault: snmpsim.FaultSilent})
	sim, err := snmpsim.Start(context.Background(), snmpsim.Config{Agents: agents})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	var targets []string
	for _, a := range sim.Addrs() {
		targets = append(targets, a.String())
	}

	var s string
	j := newJourney(t, ctx, &s)
	must, read, snap := j.must, j.read, j.snap
	eval := func(expr string) (string, error) { return chromedp.Run(ctx, chromedp.Evaluate[string](expr)) }

	must("sign in", chromedp.Steps(signIn(base, "engineer.daugava")...), chromedp.WaitVisible(chromedp.CSS("main section")),
		chromedp.Click(chromedp.CSS(`header nav a[href="/discovery"]`)), chromedp.WaitVisible(chromedp.ID("add-profile")))
	must("add profile", chromedp.SendKeys(chromedp.ID("pf-name"), "lab"), chromedp.SetValue(chromedp.ID("pf-version"), "v2c"),
		chromedp.SendKeys(chromedp.ID("pf-community"), labCommunity), chromedp.Click(chromedp.CSS("#add-profile button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("flash")), read("table.profiles"))
	if !strings.Contains(s, "lab") || strings.Contains(s, labCommunity) {
		t.Fatalf("profiles after adding one: %q; want it listed without its community", s)
	}
	must("start run", chromedp.SendKeys(chromedp.ID("targets"), strings.Join(targets, " ")), chromedp.SetValue(chromedp.ID("run-profile"), "lab"),
		chromedp.Click(chromedp.CSS("#start-run summary")), chromedp.SetValue(chromedp.ID("run-workers"), "1"),
		chromedp.SetValue(chromedp.ID("run-timeout_ms"), "2000"), chromedp.SetValue(chromedp.ID("run-retries"), "0"),
		chromedp.Click(chromedp.CSS("#start-run button[type=submit]")), chromedp.WaitVisible(chromedp.ID("run-live")), snap("discovery-run-live"))

	// The page's script moves the counts while the run goes; when it ends the page reloads
	// with the results and findings.
	movedLive := false
	deadline := time.Now().Add(60 * time.Second)
	for {
		v, err := eval(`document.getElementById("run-status").className + "|" + document.querySelector('[data-p="done"]').textContent + "|" + document.querySelector('[data-p="total"]').textContent`)
		if err == nil {
			parts := strings.Split(v, "|")
			if strings.Contains(parts[0], "status-done") {
				break
			}
			if strings.Contains(parts[0], "status-running") && parts[1] != "0" && parts[1] != parts[2] {
				movedLive = true
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run page did not reach done in 60 s (last: %q, %v)", v, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !movedLive {
		t.Error("the progress did not move on the page while the run was running")
	}
	must("run done", chromedp.WaitVisible(chromedp.ID("new")), read("#run-live"), snap("discovery-run-done"))
	if !strings.Contains(s, "4") {
		t.Errorf("progress of the finished run: %q", s)
	}

	// Accept the first new device into the first network offered.
	fid, err := eval(`document.querySelector("#new article.finding").id.slice(2)`)
	if err != nil || fid == "" {
		t.Fatalf("no new finding on the page: %q %v", fid, err)
	}
	net, err := eval(`document.querySelector("#net-` + fid + ` option:nth-child(2)").value`)
	if err != nil || net == "" {
		t.Fatalf("no network offered: %q %v", net, err)
	}
	must("accept", chromedp.SetValue(chromedp.ID("net-"+fid), net), chromedp.Click(chromedp.ID("accept-"+fid)),
		chromedp.WaitVisible(chromedp.ID("flash")), read("#flash"), snap("discovery-accepted"))
	if !strings.Contains(s, "#") {
		t.Fatalf("message after accepting: %q, want the item named", s)
	}
	must("item", chromedp.Click(chromedp.CSS("#flash a")), chromedp.WaitVisible(chromedp.CSS("dl.fields")), read("main"))
	if !strings.Contains(s, "discovery run") {
		t.Errorf("the accepted item does not show its provenance: %.300q", s)
	}
	must("runs page", chromedp.Navigate(base+"/discovery"), chromedp.WaitVisible(chromedp.CSS("table.runs")), read("table.runs"), snap("discovery"))
	if !strings.Contains(s, "4 / 4") {
		t.Errorf("runs page: %q, want the run with 4 of 4 hosts done", s)
	}
	runURL, err := eval(`document.querySelector("table.runs a").href`)
	if err != nil {
		t.Fatal(err)
	}
	// At phone width and at 1280×800 neither page scrolls sideways outside its tables.
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 800}} {
		for name, u := range map[string]string{"discovery": base + "/discovery", "discovery-run": runURL} {
			must(name+" "+size.name, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main h1")), snap(name+"-"+size.name))
			overflow, err := eval(`String(document.documentElement.scrollWidth - document.documentElement.clientWidth)`)
			if err != nil || overflow != "0" {
				t.Errorf("%s at %d px scrolls sideways by %s px (%v)", u, size.w, overflow, err)
			}
		}
	}
}
