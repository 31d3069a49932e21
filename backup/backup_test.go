package backup_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/backup"
	"critreg/store"
	"critreg/store/storetest"
)

func writeRecords(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for range n {
		if err := audit.Write(context.Background(), db, access.System(), audit.Entry{Action: "test.write", ObjectType: "test"}); err != nil {
			t.Error(err)
			return
		}
	}
}

func count(t *testing.T, path string) int {
	t.Helper()
	// Read-only, so that counting does not change the file (and its checksum).
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.Verify(context.Background(), db); err != nil {
		t.Fatalf("Verify(%s) = %v", path, err)
	}
	return n
}

// TestBackupWhileWriting copies a database while a writer keeps committing, then restores
// the copy: the copy is a consistent snapshot with an unbroken chain.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, audit.Schema)
	writeRecords(t, db, 200)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			writeRecords(t, db, 1)
		}
	}()
	dir := t.TempDir()
	out := filepath.Join(dir, "copy.db")
	err := backup.Backup(ctx, db, out)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(out + ".sha256")
	if err != nil || !strings.HasSuffix(string(sum), "  copy.db\n") || len(sum) != 64+2+len("copy.db")+1 {
		t.Fatalf("checksum file = %q, %v; want sha256sum's format", sum, err)
	}
	if err := backup.Backup(ctx, db, out); err == nil {
		t.Error("Backup over an existing file succeeded")
	}
	n := count(t, out)
	if n < 200 {
		t.Errorf("backup holds %d records, want at least the 200 written before it", n)
	}

	target := filepath.Join(dir, "restored.db")
	if err := backup.Restore(ctx, out, target, true); err != nil {
		t.Fatal(err)
	}
	if got := count(t, target); got != n {
		t.Errorf("restored database holds %d records, the backup %d", got, n)
	}
	// Restoring again keeps the replaced database beside it.
	if err := backup.Restore(ctx, out, target, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(target + ".pre-restore"); err != nil {
		t.Errorf("the replaced database was not kept: %v", err)
	}
}

func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := storetest.Open(t, audit.Schema)
	writeRecords(t, db, 20)
	good := filepath.Join(dir, "good.db")
	if err := backup.Backup(ctx, db, good); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	sum, _ := os.ReadFile(good + ".sha256")

	// A copy whose bytes changed after the checksum was taken.
	flipped := filepath.Join(dir, "flipped.db")
	b := append([]byte(nil), raw...)
	b[len(b)-100] ^= 0xff
	os.WriteFile(flipped, b, 0o600)
	os.WriteFile(flipped+".sha256", []byte(strings.Replace(string(sum), "good.db", "flipped.db", 1)), 0o600)

	// A copy with an edited audit record and a checksum that matches the edit: only the
	// chain shows the tampering.
	edited := filepath.Join(dir, "edited.db")
	if err := backup.Backup(ctx, db, edited); err != nil {
		t.Fatal(err)
	}
	os.Remove(edited + ".sha256")
	func() {
		e, err := store.Open(edited)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if _, err := e.Write.Exec(`UPDATE audit_log SET login = 'mallory' WHERE id = 5`); err != nil {
			t.Fatal(err)
		}
	}()
	tmp := filepath.Join(dir, "edited2.db")
	e, _ := store.Open(edited)
	if err := backup.Backup(ctx, e, tmp); err != nil {
		t.Fatal(err)
	}
	e.Close()

	// A database in use by a running critreg.
	busy := filepath.Join(dir, "busy.db")
	if err := backup.Restore(ctx, good, busy, true); err != nil {
		t.Fatal(err)
	}
	open, err := store.Open(busy)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	if err := open.Read.Ping(); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name, file, target string
		want               func(error) bool
	}{
		{"flipped byte", flipped, filepath.Join(dir, "t1.db"), func(err error) bool { return errors.Is(err, backup.ErrChecksum) }},
		{"no checksum file", edited, filepath.Join(dir, "t2.db"), func(err error) bool { return err != nil }},
		{"edited audit record", tmp, filepath.Join(dir, "t3.db"), func(err error) bool { var b *audit.BreakError; return errors.As(err, &b) }},
		{"target in use", good, busy, func(err error) bool { return errors.Is(err, backup.ErrInUse) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := backup.Restore(ctx, c.file, c.target, true)
			if !c.want(err) {
				t.Errorf("Restore(%s) = %v", c.name, err)
			}
			if c.target != busy {
				if _, err := os.Stat(c.target); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("a refused restore left %s: %v", c.target, err)
				}
			}
		})
	}
	if got := count(t, busy); got != 20 {
		t.Errorf("the database in use holds %d records after a refused restore, want 20", got)
	}
}
