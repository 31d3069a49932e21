package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"critreg/access"
	"critreg/audit"
	"critreg/backup"
	"critreg/inventory"
	"critreg/server"
	"critreg/store"
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

// TestKilledImport kills `critreg import` of a large workbook while it commits (as soon as
// the write-ahead log starts to grow) and at moments around its end, and finds each time a
// database that opens, passes `critreg audit verify`, and holds the whole import or none of
// it.
func TestKilledImport(t *testing.T) {
	bin := critregBinary(t)
	const rows = 5000
	dir := t.TempDir()
	ctx, sys := context.Background(), access.System()
	src, base := filepath.Join(dir, "src.db"), filepath.Join(dir, "base.db")
	db, err := store.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, server.Schemas()...); err != nil {
		t.Fatal(err)
	}
	inv := inventory.NewStore(db)
	op, err := inv.CreateOperator(ctx, sys, inventory.OperatorInput{Code: "OPA", Name: "Operator A"})
	if err != nil {
		t.Fatal(err)
	}
	officer := access.Actor{Login: "officer", Role: access.RoleOperator, OperatorID: op.ID, Via: "test"}
	n, err := inv.CreateNetwork(ctx, officer, inventory.NetworkInput{Name: "LTE", Technology: "4G"})
	if err != nil {
		t.Fatal(err)
	}
	// The database before the import: the operator and its network, no items.
	if err := backup.Backup(ctx, db, base); err != nil {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		for i := range rows {
			in := inventory.ItemInput{NetworkID: n.ID, CriticalPart: "2.1", Kind: inventory.KindEquipment, Name: fmt.Sprintf("eNodeB %d", i),
				Manufacturer: "Nokia Solutions and Networks Oy", Model: "AirScale", Version: "23R1", Serial: fmt.Sprintf("SN%07d", i), Quantity: 1, Site: fmt.Sprintf("site %d", i%300)}
			if _, err := inv.CreateItemTx(ctx, tx, officer, in, inventory.SourceTyped, ""); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "big.xlsx")
	if out, err := exec.Command(bin, "--db", src, "export", "--operator", "OPA", "--out", book).CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	// Without their ids the rows are new items to the database before the export.
	wb, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	for r := 2; r <= rows+1; r++ {
		if err := wb.SetCellValue("Items", fmt.Sprintf("A%d", r), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Save(); err != nil {
		t.Fatal(err)
	}
	wb.Close()

	// A complete import, timed, for the kill moments.
	whole := filepath.Join(dir, "whole.db")
	copyDB(t, base, whole)
	start := time.Now()
	if out, err := exec.Command(bin, "--db", whole, "import", "--operator", "OPA", book).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	took := time.Since(start)
	if got := checkAfterCrash(t, bin, whole); got != rows {
		t.Fatalf("a complete import holds %d items, want %d", got, rows)
	}

	killed, midCommit := 0, 0
	// A machine busy with other tests can let the WAL watch miss the commit; more attempts
	// are made until one kill lands while the transaction is being written.
	whens := []string{"wal", "wal", "0.5", "0.9"}
	for i := 0; i < len(whens); i++ {
		when := whens[i]
		if i == len(whens)-1 && midCommit == 0 && len(whens) < 12 {
			whens = append(whens, "wal")
		}
		db := filepath.Join(dir, fmt.Sprintf("run-%d.db", i))
		copyDB(t, base, db)
		cmd := exec.Command(bin, "--db", db, "import", "--operator", "OPA", book)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if when == "wal" {
			if waitWALGrowth(db, done, took*3) {
				midCommit++
			}
		} else {
			var f float64
			fmt.Sscan(when, &f)
			select {
			case err := <-done:
				done <- err // for the Wait below
			case <-time.After(time.Duration(f * float64(took))):
			}
		}
		// Killing a process that has exited already is harmless: Wait reports its exit.
		_ = cmd.Process.Kill()
		if err := <-done; err != nil {
			killed++
		}
		got := checkAfterCrash(t, bin, db)
		if got != 0 && got != rows {
			t.Errorf("import killed at %s: the database holds %d of its %d items", when, got, rows)
		}
		t.Logf("killed at %s: %d items", when, got)
	}
	if killed == 0 || midCommit == 0 {
		t.Errorf("imports killed %d times, %d of them while the transaction was being written; want both (a full import takes %s)", killed, midCommit, took)
	}
}

// waitWALGrowth returns true when the write-ahead log of db has grown by a megabyte (the
// import's transaction is being written), and false when the process ended first or limit
// passed.
func waitWALGrowth(db string, done chan error, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	var start int64 = -1
	for time.Now().Before(deadline) {
		if st, err := os.Stat(db + "-wal"); err == nil {
			if start < 0 {
				start = st.Size()
			}
			if st.Size() > start+1<<20 {
				return true
			}
		}
		select {
		case err := <-done:
			done <- err
			return false
		case <-time.After(200 * time.Microsecond):
		}
	}
	return false
}

func copyDB(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
