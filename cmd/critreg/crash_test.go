package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"critreg/audit"
)

// killDuring starts critreg with args and SIGKILLs it after delay, as a power cut or the
// OOM killer would; it reports whether the process was still running when killed.
func killDuring(t *testing.T, bin string, delay time.Duration, args ...string) bool {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return false
	case <-time.After(delay):
	}
	_ = cmd.Process.Kill()
	<-done
	return true
}

// checkAfterCrash opens a database left by a killed process: it must open, pass SQLite's
// integrity check and `critreg audit verify`, and every item must have the audit record
// written in its transaction (no change survived without its record, nor the reverse).
func checkAfterCrash(t *testing.T, bin, db string) (items int) {
	t.Helper()
	if out, err := exec.Command(bin, "--db", db, "audit", "verify").CombinedOutput(); err != nil {
		t.Fatalf("audit verify after the kill: %v\n%s", err, out)
	}
	sdb, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var res string
	if err := sdb.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
	var orphans int
	err = sdb.QueryRow(`SELECT count(*) FROM items i WHERE NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.object_type = 'item' AND a.object_id = CAST(i.id AS TEXT))`).Scan(&orphans)
	if err != nil {
		t.Fatal(err)
	}
	if orphans > 0 {
		t.Errorf("%d items have no audit record", orphans)
	}
	if err := sdb.QueryRow(`SELECT count(*) FROM items`).Scan(&items); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.Verify(context.Background(), sdb); err != nil {
		t.Fatal(err)
	}
	return items
}

// TestKilledBulkWrite kills `critreg demo load`, a bulk write of many transactions, at
// several moments, and finds each time a database that opens, verifies, and holds whole
// transactions only; loading again then completes.
func TestKilledBulkWrite(t *testing.T) {
	bin := critregBinary(t)
	dir := t.TempDir()
	full := filepath.Join(dir, "full.db")
	if out, err := exec.Command(bin, "--db", full, "demo", "load").CombinedOutput(); err != nil {
		t.Fatalf("demo load: %v\n%s", err, out)
	}
	want := checkAfterCrash(t, bin, full)
	killedMidway := 0
	for i, delay := range []time.Duration{30 * time.Millisecond, 120 * time.Millisecond, 250 * time.Millisecond, 400 * time.Millisecond} {
		db := filepath.Join(dir, fmt.Sprintf("killed-%d.db", i))
		if !killDuring(t, bin, delay, "--db", db, "demo", "load") {
			continue
		}
		got := checkAfterCrash(t, bin, db)
		if got < want {
			killedMidway++
		}
		// The interrupted load completes when run again.
		if out, err := exec.Command(bin, "--db", db, "demo", "load").CombinedOutput(); err != nil && !strings.Contains(string(out), "exists") {
			t.Errorf("demo load after a kill: %v\n%s", err, out)
		}
		checkAfterCrash(t, bin, db)
	}
	t.Logf("killed part-way %d times; a full load holds %d items", killedMidway, want)
}
