package inventory_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/store/storetest"
)

// FuzzWorkbook feeds arbitrary bytes to the workbook reader as an operator's dry-run
// import: whatever the file (a broken zip, a zip bomb, a workbook with odd cells), Import
// answers with a result or a client error, never panics, and writes nothing. The seeds are
// the workbooks in testdata.
func FuzzWorkbook(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xlsx"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("PK\x03\x04"))
	ctx := context.Background()
	db := storetest.Open(f, audit.Schema, inventory.Schema)
	inv := inventory.NewStore(db)
	op, err := inv.CreateOperator(ctx, access.System(), inventory.OperatorInput{Code: "OPA", Name: "A"})
	if err != nil {
		f.Fatal(err)
	}
	officer := access.Actor{UserID: 1, Login: "officer", Role: access.RoleOperator, OperatorID: op.ID, Via: "fuzz"}
	if _, err := inv.CreateNetwork(ctx, officer, inventory.NetworkInput{Name: "LTE", Technology: "4G"}); err != nil {
		f.Fatal(err)
	}
	var before int
	if err := db.Read.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&before); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := inv.Import(ctx, officer, "OPA", bytes.NewReader(data), int64(len(data)),
			inventory.ImportOptions{DryRun: true, FileName: "fuzz.xlsx", MaxRows: 2000, MaxUnzipped: 16 << 20})
		var ie *inventory.ImportError
		var ve *errkind.ValidationError
		if err != nil && !errors.As(err, &ie) && !errors.As(err, &ve) {
			t.Fatalf("Import(%d bytes) = %v: not a client error", len(data), err)
		}
		var after int
		if err := db.Read.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&after); err != nil || after != before {
			t.Fatalf("a dry run wrote: audit records %d, were %d (%v)", after, before, err)
		}
	})
}
