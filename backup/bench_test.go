package backup_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/backup"
	"critreg/store/storetest"
)

// BenchmarkBackup copies a database of 200,000 audit records (a few years of a busy
// registry's trail, the largest table) and restores the copy with every check, and reports
// the copy's size and the speeds.
//
//	go test -run='^$' -bench=BenchmarkBackup -benchtime=3x ./backup/
func BenchmarkBackup(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, audit.Schema)
	after := `{"name":"` + strings.Repeat("x", 300) + `"}`
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for i := range 200000 {
			if err := audit.Append(ctx, tx, access.System(), audit.Entry{Action: "item.update", ObjectType: "item", ObjectID: fmt.Sprint(i), After: after}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var size int64
	copies, restores := 0, 0
	b.Run("backup", func(b *testing.B) {
		for range b.N {
			copies++
			out := filepath.Join(dir, fmt.Sprintf("copy-%d.db", copies))
			if err := backup.Backup(ctx, db, out); err != nil {
				b.Fatal(err)
			}
			st, err := os.Stat(out)
			if err != nil {
				b.Fatal(err)
			}
			size = st.Size()
		}
		b.ReportMetric(float64(size)/(1<<20), "MB")
		b.SetBytes(size)
	})
	// Restoring checks the checksum, SQLite's integrity and the whole audit chain.
	b.Run("restore-verify", func(b *testing.B) {
		for range b.N {
			restores++
			if err := backup.Restore(ctx, filepath.Join(dir, "copy-1.db"), filepath.Join(dir, fmt.Sprintf("restored-%d.db", restores)), true); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(size)
	})
}
