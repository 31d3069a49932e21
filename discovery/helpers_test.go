package discovery

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"critreg/discovery/snmpsim"
)

// fixturesDir and sharedRecordings are relative to this package's directory.
const (
	fixturesDir      = "../fixtures/snmp"
	rulesPath        = "../fixtures/fingerprints.json"
	sharedRecordings = "../../shared/snmprec"
)

// testOptions are short timeouts: everything is on loopback.
func testOptions(rules *Rules) Options {
	return Options{Workers: 8, Timeout: 300 * time.Millisecond, Retries: 1, Rules: rules}
}

func loadRules(t testing.TB) *Rules {
	t.Helper()
	f, err := os.Open(rulesPath)
	if err != nil {
		t.Fatalf("open rules: %v", err)
	}
	defer f.Close()
	rs, err := LoadRules(f)
	if err != nil {
		t.Fatalf("LoadRules(%s) = %v", rulesPath, err)
	}
	return rs
}

func v2c(community string) Credentials {
	return Credentials{Version: V2c, Community: NewSecret(community)}
}

// startSim serves agents on loopback for the test's lifetime.
func startSim(t testing.TB, agents ...snmpsim.Agent) *snmpsim.Server {
	t.Helper()
	srv, err := snmpsim.Start(context.Background(), snmpsim.Config{Agents: agents})
	if err != nil {
		t.Fatalf("snmpsim.Start: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// recordings loads every .snmprec in dir, keyed by file name without extension.
func recordings(t testing.TB, dir string) map[string]*snmpsim.Recording {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.snmprec"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings in %s (%v)", dir, err)
	}
	out := map[string]*snmpsim.Recording{}
	for _, f := range files {
		rec, err := snmpsim.LoadFile(f)
		if err != nil {
			t.Fatalf("load %s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".snmprec")] = rec
	}
	return out
}

// targetOf turns a simulator address into a Target.
func targetOf(a interface{ String() string }) Target {
	tg, err := ParseTarget(a.String(), 161)
	if err != nil {
		panic(err)
	}
	return tg
}

// sweepAll runs a sweep and collects results by target string.
func sweepAll(t testing.TB, targets []string, creds Credentials, opts Options) (map[string]Result, Progress, error) {
	t.Helper()
	ts, err := ParseTargets(strings.Join(targets, ","), TargetOptions{})
	if err != nil {
		t.Fatalf("ParseTargets: %v", err)
	}
	got := map[string]Result{}
	opts.OnResult = func(r Result) { got[r.Target.String()] = r }
	p, err := Sweep(context.Background(), ts, creds, opts)
	return got, p, err
}
