package inventory

import (
	"testing"
)

func TestExportImportRoundTrip(t *testing.T) {
	fx := newImportFixture(t)
	seeded := fx.seed(t)
	file := fx.export(t)

	res, err := fx.importBytes(t, file, ImportOptions{DryRun: true, Sync: true, FileName: "lmt.xlsx"})
	if err != nil {
		t.Fatalf("dry run of an unchanged export: %v\n%s", err, problemsText(res.Problems))
	}
	if len(res.Added)+len(res.Updated)+len(res.Removed) != 0 || res.Unchanged != len(seeded) {
		t.Fatalf("dry run of an unchanged export = %d added, %d updated, %d removed, %d unchanged; want only %d unchanged: %+v",
			len(res.Added), len(res.Updated), len(res.Removed), res.Unchanged, len(seeded), res)
	}
	before := fx.auditCount(t)
	res, err = fx.importBytes(t, file, ImportOptions{Sync: true, FileName: "lmt.xlsx"})
	if err != nil || !res.Committed {
		t.Fatalf("commit of an unchanged export: %v", err)
	}
	if got := fx.auditCount(t); got != before+1 {
		t.Errorf("audit records after an unchanged import = %d, want %d (the import record only)", got, before+1)
	}

	// Edit one cell: the model of the second item (row 3, column F).
	edited := editCell(t, file, SheetItems, "F3", "UDM-X")
	res, err = fx.importBytes(t, edited, ImportOptions{DryRun: true, FileName: "lmt.xlsx"})
	if err != nil {
		t.Fatalf("dry run of an edited export: %v\n%s", err, problemsText(res.Problems))
	}
	if len(res.Updated) != 1 || len(res.Added) != 0 || res.Unchanged != len(seeded)-1 {
		t.Fatalf("dry run of one edit = %d added, %d updated, %d unchanged; want 0, 1, %d", len(res.Added), len(res.Updated), res.Unchanged, len(seeded)-1)
	}
	want := FieldChange{Field: FieldModel, From: "UDM", To: "UDM-X"}
	if u := res.Updated[0]; u.ItemID != seeded[1].ID || len(u.Fields) != 1 || u.Fields[0] != want || u.Row != 3 {
		t.Fatalf("dry run of one edit: update = %+v, want item %d row 3 with %+v only", u, seeded[1].ID, want)
	}
	if _, err := fx.importBytes(t, edited, ImportOptions{FileName: "lmt.xlsx"}); err != nil {
		t.Fatal(err)
	}
	it, err := fx.s.Item(t.Context(), fx.a, seeded[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if it.Model != "UDM-X" || it.Source != SourceImported || it.SourceRef != "file lmt.xlsx row 3" || it.Version != seeded[1].Version {
		t.Errorf("item after import = model %q source %q ref %q version %q; want UDM-X, imported, \"file lmt.xlsx row 3\", %q",
			it.Model, it.Source, it.SourceRef, it.Version, seeded[1].Version)
	}
	// Importing the same edited file again changes nothing.
	res, err = fx.importBytes(t, edited, ImportOptions{FileName: "lmt.xlsx"})
	if err != nil || len(res.Updated)+len(res.Added) != 0 {
		t.Errorf("re-import of the same file = %d updated, %d added, err %v; want nothing", len(res.Updated), len(res.Added), err)
	}
}
