package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/discovery"
	"critreg/discovery/snmpsim"
	"critreg/inventory"
	"critreg/secretkey"
	"critreg/server"
	"critreg/store"
)

// simTargets serves recordings on loopback with community and returns their addresses.
func simTargets(t *testing.T, community string, names ...string) []string {
	t.Helper()
	var agents []snmpsim.Agent
	for _, name := range names {
		rec, err := snmpsim.LoadFile(filepath.Join("..", "..", "fixtures", "snmp", name+".snmprec"))
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, snmpsim.Agent{Name: name, Recording: rec, Community: community})
	}
	sim, err := snmpsim.Start(context.Background(), snmpsim.Config{Agents: agents})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	var out []string
	for _, a := range sim.Addrs() {
		out = append(out, a.String())
	}
	return out
}

// registry makes a database with operator OPA and its engineer eric.
func registry(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "registry.db")
	for _, args := range [][]string{
		{"operator", "add", "--code", "OPA", "--name", "Operator A"},
		{"user", "add", "--login", "eric", "--role", "engineer", "--operator", "OPA"},
	} {
		if code, _, errOut := critreg(t, "a long passphrase\n", append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("critreg %v: %s", args, errOut)
		}
	}
	return db
}

func TestDiscoverAgentUploadsToServer(t *testing.T) {
	targets := simTargets(t, "lab-community", "cisco-asr9006", "juniper-mx480")
	dbPath := registry(t)
	code, token, errOut := critreg(t, "", "--db", dbPath, "token", "create", "--login", "eric", "--scope", "discovery")
	if code != 0 {
		t.Fatal(errOut)
	}
	token = strings.TrimSpace(token)
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := logrus.New()
	log.SetOutput(io.Discard)
	srv := httptest.NewServer(server.New(db, server.Config{Log: log}).Handler())
	defer srv.Close()

	// The agent needs no database of its own.
	agentDB := filepath.Join(t.TempDir(), "agent.db")
	code, out, errOut := critreg(t, "", "--db", agentDB, "discover", "--operator", "OPA", "--targets", strings.Join(targets, ","),
		"--community", "lab-community", "--timeout", "300ms", "--retries", "0", "--server", srv.URL, "--token", token)
	if code != 0 || !strings.Contains(out, "2 new") || !strings.Contains(errOut, "2 answered") {
		t.Fatalf("discover --server = %d, %q, %q; want the run sent with two new devices", code, out, errOut)
	}
	var origin, status string
	var results int
	if err := db.Read.QueryRow(`SELECT origin, status, (SELECT count(*) FROM discovery_results) FROM discovery_runs`).Scan(&origin, &status, &results); err != nil {
		t.Fatal(err)
	}
	if origin != "agent" || status != "done" || results != 2 {
		t.Errorf("run on the server = %s %s with %d results, want an agent run done with 2", origin, status, results)
	}
	// The token only uploads; plain HTTP to another machine is refused.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--server", srv.URL, "--token", "crt_wrong"}, "401"},
		{[]string{"--server", "http://registry.example.lv", "--token", token}, "https"},
		{[]string{"--server", srv.URL}, "--token"},
	} {
		args := append([]string{"--db", agentDB, "discover", "--operator", "OPA", "--targets", targets[0], "--community", "lab-community"}, c.args...)
		if code, _, errOut := critreg(t, "", args...); code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("discover %v = %d, %q; want exit 1 naming %q", c.args, code, errOut, c.want)
		}
	}
}

func TestDiscoverLocalWithProfile(t *testing.T) {
	targets := simTargets(t, "lab-community", "cisco-asr9006")
	dbPath := registry(t)
	t.Setenv(secretkey.Env, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{3}, 32)))
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	inv := inventory.NewStore(db)
	op, err := inv.Operator(ctx, access.System(), "OPA")
	if err != nil {
		t.Fatal(err)
	}
	eng := access.Actor{Login: "eric", Role: access.RoleEngineer, OperatorID: op.ID}
	if _, err := discovery.New(db, inv, discovery.Config{}).CreateProfile(ctx, eng, discovery.ProfileInput{Name: "lab", Version: discovery.V2c, Community: discovery.NewSecret("lab-community")}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, out, errOut := critreg(t, "", "--db", dbPath, "discover", "--operator", "OPA", "--targets", strings.Join(targets, ","), "--profile", "lab", "--timeout", "300ms")
	if code != 0 || !strings.Contains(out, "new ") || !strings.Contains(out, "Cisco") || !strings.Contains(errOut, "run 1 stored") {
		t.Fatalf("discover --profile = %d, %q, %q", code, out, errOut)
	}
	sdb, err := sql.Open("sqlite", "file:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var origin string
	var findings int
	if err := sdb.QueryRow(`SELECT origin, (SELECT count(*) FROM discovery_findings WHERE status = 'open') FROM discovery_runs`).Scan(&origin, &findings); err != nil {
		t.Fatal(err)
	}
	if origin != "cli" || findings != 1 {
		t.Errorf("local run = %s with %d open findings, want cli with 1", origin, findings)
	}

	// No such profile; no key.
	if code, _, errOut := critreg(t, "", "--db", dbPath, "discover", "--operator", "OPA", "--targets", targets[0], "--profile", "nope"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("discover --profile nope = %d, %q", code, errOut)
	}
	t.Setenv(secretkey.Env, "")
	if code, _, errOut := critreg(t, "", "--db", dbPath, "discover", "--operator", "OPA", "--targets", targets[0], "--profile", "lab"); code != 1 || !strings.Contains(errOut, secretkey.Env) {
		t.Errorf("discover --profile without a key = %d, %q; want the key's variable named", code, errOut)
	}
}
