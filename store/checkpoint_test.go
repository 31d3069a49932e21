package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"critreg/store"
)

// TestCheckpointInBackground writes far past SQLite's automatic checkpoint threshold in one
// commit: the commit leaves the log as it is (no request pays for copying it), the
// background loop copies it within a few seconds, and the data reads back after a reopen.
func TestCheckpointInBackground(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, store.Schema{Package: "p", Migrations: []store.Migration{{Name: "one", SQL: `CREATE TABLE a (x TEXT)`}}}); err != nil {
		t.Fatal(err)
	}
	var autocheckpoint int
	if err := db.Write.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&autocheckpoint); err != nil || autocheckpoint != 0 {
		t.Fatalf("writer wal_autocheckpoint = %d, %v; want 0 (the checkpoint runs in the background)", autocheckpoint, err)
	}
	// About 8 MB: some 2,000 pages of 4 KB, twice the automatic threshold.
	row := strings.Repeat("x", 4000)
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		for range 2000 {
			if _, err := tx.Exec(`INSERT INTO a (x) VALUES (?)`, row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wal, err := os.Stat(path + "-wal")
	if err != nil || wal.Size() < 4000*2000 {
		t.Fatalf("log after the commit = %v, %v; want it to hold the commit", wal, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var busy, logFrames, copied int
		if err := db.Write.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &copied); err != nil {
			t.Fatal(err)
		}
		// Copied already by the loop, or by this call: either way the log is now in the file.
		if logFrames > 0 && copied == logFrames {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("checkpoint = %d of %d frames copied after 10 s", copied, logFrames)
		}
		time.Sleep(100 * time.Millisecond)
	}
	main, err := os.Stat(path)
	if err != nil || main.Size() < 4000*2000 {
		t.Fatalf("database file after the checkpoint = %v, %v; want the rows in it", main, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM a`).Scan(&n); err != nil || n != 2000 {
		t.Errorf("rows after reopening = %d, %v; want 2000", n, err)
	}
}

// TestBackgroundCheckpointRuns shows the loop copies the log without being asked.
func TestBackgroundCheckpointRuns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, store.Schema{Package: "p", Migrations: []store.Migration{{Name: "one", SQL: `CREATE TABLE a (x TEXT)`}}}); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO a (x) VALUES (?)`, strings.Repeat("y", 1<<20))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() >= before.Size()+1<<20 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("database file = %d bytes 10 s after a 1 MB commit (was %d): the background checkpoint did not run", st.Size(), before.Size())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
