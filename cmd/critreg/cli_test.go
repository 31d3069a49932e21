package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"critreg/discovery/snmpsim"
)

// critreg runs the command line in-process and returns its exit code and output.
func critreg(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestAdminCommandsAndAuditVerify(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	steps := []struct {
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"", []string{"--db", db, "operator", "add", "--code", "DAUGAVA", "--name", "Daugava Telekom SIA", "--registration-no", "40003000001"}, 0, "operator DAUGAVA"},
		{"", []string{"--db", db, "operator", "add", "--code", "DAUGAVA", "--name", "again"}, 1, ""},
		{"a long passphrase\n", []string{"--db", db, "user", "add", "--login", "anna", "--role", "operator", "--operator", "DAUGAVA"}, 0, "user anna"},
		{"short\n", []string{"--db", db, "user", "add", "--login", "bert", "--role", "bureau"}, 1, ""},
		{"a long passphrase\n", []string{"--db", db, "user", "add", "--login", "bert", "--role", "wizard"}, 1, ""},
		{"", []string{"--db", db, "token", "create", "--login", "anna"}, 0, "crt_"},
		{"", []string{"--db", db, "token", "create", "--login", "nobody"}, 1, ""},
		{"", []string{"--db", db, "audit", "verify"}, 0, "audit chain intact: 3 records"},
		{"", []string{"--db", db, "no-such-command"}, 2, ""},
		{"", []string{"--db", db, "operator", "add", "--bogus"}, 2, ""},
	}
	for _, s := range steps {
		code, out, errOut := critreg(t, s.stdin, s.args...)
		if code != s.code || !strings.Contains(out, s.out) {
			t.Fatalf("critreg %s = %d, %q, %q; want %d and %q", strings.Join(s.args[2:], " "), code, out, errOut, s.code, s.out)
		}
	}
	// An edit of a record with plain SQL is found, and the record named.
	sdb, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`UPDATE audit_log SET login = 'mallory' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	code, _, errOut := critreg(t, "", "--db", db, "audit", "verify")
	if code != 1 || !strings.Contains(errOut, "record 2") {
		t.Fatalf("audit verify after tampering = %d, %q; want exit 1 naming record 2", code, errOut)
	}
}

func TestDemoLoads(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	code, out, errOut := critreg(t, "", "--db", db, "demo", "load")
	if code != 0 || !strings.Contains(out, "analyst.bureau") {
		t.Fatalf("demo load = %d, %q, %q", code, out, errOut)
	}
	// Loading again changes nothing and still prints the logins.
	if code, out, _ = critreg(t, "", "--db", db, "demo", "load"); code != 0 || !strings.Contains(out, "admin") {
		t.Fatalf("second demo load = %d, %q", code, out)
	}
	if code, out, _ = critreg(t, "", "--db", db, "audit", "verify"); code != 0 {
		t.Fatalf("audit verify on the demo = %d, %q", code, out)
	}
}

func TestCheck(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errOut := critreg(t, "", "--db", db, "demo", "load"); code != 0 {
		t.Fatal(errOut)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		// Item 6 is Daugava's SGW, a Huawei UGW9811.
		{[]string{"--change", "replace_device", "--item", "6", "--model", "Huawei UGW9811", "--lang", "en"}, 0, "exempt (63.3.1)"},
		{[]string{"--change", "replace_device", "--item", "6", "--manufacturer", "Nokia", "--model", "7750 SR"}, 0, "notice: notice_required"},
		{[]string{"--change", "update_software", "--item", "2", "--version", "1.40", "--json"}, 0, `"clause": "63.3.2"`},
		{[]string{"--change", "teleport", "--item", "6"}, 1, ""},
		{[]string{"--change", "replace_device", "--item", "9999"}, 1, ""},
		{[]string{"--item", "6"}, 2, ""},
	} {
		code, out, errOut := critreg(t, "", append([]string{"--db", db, "check", "--operator", "DAUGAVA"}, c.args...)...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("critreg check %v = %d, %q, %q; want %d and %q", c.args, code, out, errOut, c.code, c.want)
		}
	}
}

func TestImportExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	xlsx := filepath.Join(dir, "daugava.xlsx")
	if code, _, errOut := critreg(t, "", "--db", db, "demo", "load"); code != 0 {
		t.Fatal(errOut)
	}
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"export", "--operator", "DAUGAVA", "--out", xlsx}, 0, "written to"},
		{[]string{"import", "--operator", "DAUGAVA", "--dry-run", xlsx}, 0, "0 added, 0 updated, 41 unchanged"},
		{[]string{"import", "--operator", "DAUGAVA", xlsx}, 0, "imported"},
		{[]string{"import", "--operator", "DAUGAVA", "../../inventory/testdata/problems.xlsx"}, 1, ""},
		{[]string{"import", "--operator", "NOPE", xlsx}, 1, ""},
		{[]string{"import", "--operator", "DAUGAVA", filepath.Join(dir, "missing.xlsx")}, 1, ""},
		{[]string{"import", "--operator", "DAUGAVA"}, 2, ""},
		{[]string{"audit", "verify"}, 0, "audit chain intact"},
	} {
		code, out, errOut := critreg(t, "", append([]string{"--db", db}, c.args...)...)
		if code != c.code || !strings.Contains(out, c.out) {
			t.Errorf("critreg %v = %d, %q, %q; want %d and %q", c.args, code, out, errOut, c.code, c.out)
		}
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := critreg(t, "", "--db", db, "demo", "load"); code != 0 {
		t.Fatal(errOut)
	}
	var agents []snmpsim.Agent
	for _, name := range []string{"cisco-asr9006", "linux-open5gs"} {
		rec, err := snmpsim.LoadFile(filepath.Join("..", "..", "fixtures", "snmp", name+".snmprec"))
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, snmpsim.Agent{Name: name, Recording: rec, Community: "demo-community"})
	}
	agents = append(agents, snmpsim.Agent{Name: "dead", Fault: snmpsim.FaultSilent})
	sim, err := snmpsim.Start(context.Background(), snmpsim.Config{Agents: agents})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	var targets []string
	for _, a := range sim.Addrs() {
		targets = append(targets, a.String())
	}
	code, out, errOut := critreg(t, "", "--db", db, "discover", "--operator", "DAUGAVA", "--targets", strings.Join(targets, ","),
		"--community", "demo-community", "--timeout", "300ms", "--retries", "0")
	if code != 0 {
		t.Fatalf("discover = %d, %q", code, errOut)
	}
	if strings.Count(out, "new ") != 2 || !strings.Contains(out, "Cisco") || !strings.Contains(out, "4.1") || !strings.Contains(errOut, "2 answered, 1 failed (1 timeout") {
		t.Errorf("discover output = %q / %q; want two new devices (a Cisco router and an open5gs core with its AMF) and one timeout", out, errOut)
	}
	for _, bad := range [][]string{
		{"--operator", "DAUGAVA", "--targets", targets[0]},
		{"--operator", "NOPE", "--targets", targets[0], "--community", "x"},
		{"--operator", "DAUGAVA", "--targets", "not a target!", "--community", "x"},
		{"--operator", "DAUGAVA", "--targets", targets[0], "--community", "x", "--server", "https://example.invalid"},
	} {
		if code, _, _ := critreg(t, "", append([]string{"--db", db, "discover"}, bad...)...); code != 1 {
			t.Errorf("discover %v = %d, want 1", bad, code)
		}
	}
	if code, out, _ := critreg(t, "", "--db", db, "audit", "verify"); code != 0 {
		t.Errorf("audit verify after discover = %d, %q", code, out)
	}
}
