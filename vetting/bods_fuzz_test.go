package vetting

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/store/storetest"
)

// FuzzBODS feeds arbitrary bytes to the BODS reader as the bureau imports them: whatever
// the file, ImportBODS either merges it or refuses it with a validation error (the API's
// 422), never panics or fails as the server's own fault, and the audit chain holds.
// The seeds are the BODS files in testdata.
func FuzzBODS(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "bods-*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"statementId":"x","recordType":"entity","recordDetails":{"name":"<b>x</b>"}}` + "\n" + `{}`))
	f.Add([]byte(`[{"statementType":"ownershipOrControlStatement","subject":{"describedByEntityStatement":"a"},"interests":[{"type":"shareholding","share":{"exact":1e308}}]}]`))
	ctx := context.Background()
	db := storetest.Open(f, audit.Schema, inventory.Schema, account.Schema, Schema)
	v := New(db)
	bureau := access.Actor{UserID: 2, Login: "analyst", Role: access.RoleBureau, Via: "fuzz"}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := v.ImportBODS(ctx, bureau, data)
		var ve *errkind.ValidationError
		if err != nil && !errors.As(err, &ve) && !errors.Is(err, errkind.ErrConflict) && !errors.Is(err, errkind.ErrNotFound) {
			t.Fatalf("ImportBODS(%q) = %v: not a client error", data, err)
		}
		if _, err := audit.Verify(ctx, db.Read); err != nil {
			t.Fatalf("audit chain after ImportBODS(%q): %v", data, err)
		}
	})
}
