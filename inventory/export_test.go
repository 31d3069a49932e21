package inventory

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// workbookCells reads every visible sheet's cells, for golden comparison: the cells, not
// the zip bytes, which carry timestamps.
func workbookCells(t *testing.T, b []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sh := range f.GetSheetList() {
		if v, _ := f.GetSheetVisible(sh); !v {
			continue
		}
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		out[sh] = rows
	}
	return out
}

// checkGolden compares got with testdata/name; CRITREG_UPDATE_GOLDEN=1 rewrites the file.
func checkGolden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if os.Getenv("CRITREG_UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with CRITREG_UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(b)) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, b)
	}
}

func TestExportGolden(t *testing.T) {
	fx := newImportFixture(t)
	fx.seed(t)
	b := fx.export(t)
	checkGolden(t, "export.golden.json", workbookCells(t, b))

	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	panes, err := f.GetPanes(SheetItems)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("items panes = %+v, %v; want the header row frozen", panes, err)
	}
	dvs, err := f.GetDataValidations(SheetItems)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[dv.Sqref] = dv.Formula1
	}
	for sqref, want := range map[string]string{"D2:D1048576": "Lists!$A$1:$A$3", "C2:C1048576": "Lists!$B$1:$B$42", "I2:I1048576": "Lists!$C$1:$C$249"} {
		if lists[sqref] != want {
			t.Errorf("drop-down of %s = %q, want %q (all: %v)", sqref, lists[sqref], want, lists)
		}
	}
	if w, _ := f.GetColWidth(SheetItems, "E"); w != 28 {
		t.Errorf("width of the name column = %v, want 28", w)
	}
	if names := f.GetDefinedName(); len(names) == 0 || names[0].Name != "_xlnm._FilterDatabase" || names[0].RefersTo != "'Items'!$A$1:$R$5" {
		t.Errorf("filter = %+v, want 'Items'!$A$1:$R$5", names)
	}
}

func TestTemplateGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "template.golden.json", workbookCells(t, buf.Bytes()))
	// The blank template imports as an empty list.
	fx := newImportFixture(t)
	res, err := fx.importBytes(t, buf.Bytes(), ImportOptions{DryRun: true})
	if err != nil || res.Rows != 0 || len(res.Sheets) != 1 {
		t.Errorf("import of the template = %d rows, sheets %v, err %v; want 0 rows of sheet Items", res.Rows, res.Sheets, err)
	}
}

// TestExportManyPages exports a list longer than one page of the reader: every item once,
// in id order, every supplier they name, and a re-import that changes nothing.
func TestExportManyPages(t *testing.T) {
	fx := newImportFixture(t)
	src := filepath.Join(t.TempDir(), "list.xlsx")
	writeBigWorkbook(t, src, 2*MaxLimit+345)
	if _, err := fx.importFile(t, src, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	items, err := allItems(fx)
	if err != nil {
		t.Fatal(err)
	}
	data := fx.export(t)
	cells := workbookCells(t, data)
	rows := cells[SheetItems][1:]
	if len(rows) != len(items) || len(items) != 2*MaxLimit+345 {
		t.Fatalf("exported %d rows of %d items", len(rows), len(items))
	}
	for i, it := range items {
		if rows[i][0] != strconv.FormatInt(it.ID, 10) || rows[i][4] != it.Name {
			t.Fatalf("row %d: %q, want item %d %q", i+2, rows[i][:5], it.ID, it.Name)
		}
	}
	if got := len(cells[SheetSuppliers]) - 1; got != 7 {
		t.Errorf("suppliers sheet lists %d suppliers, want the 7 the items name", got)
	}
	res, err := fx.importBytes(t, data, ImportOptions{DryRun: true, Sync: true})
	if err != nil || len(res.Added)+len(res.Updated)+len(res.Removed) != 0 || res.Unchanged != len(items) {
		t.Fatalf("re-import: %d added, %d updated, %d removed, %d unchanged, %v", len(res.Added), len(res.Updated), len(res.Removed), res.Unchanged, err)
	}
}
