package inventory

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestImportMessyOperatorLayout(t *testing.T) {
	fx := newImportFixture(t)
	res, err := fx.importFile(t, "testdata/messy-operator.xlsx", ImportOptions{DryRun: true})
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, problemsText(res.Problems))
	}
	if len(res.Sheets) != 1 || res.Sheets[0] != "Inventārs" || len(res.Skipped) != 1 {
		t.Errorf("sheets = %v, skipped %v; want [Inventārs], [Lasi mani]", res.Sheets, res.Skipped)
	}
	if len(res.Added) != 5 {
		t.Fatalf("dry run added %d items, want 5", len(res.Added))
	}
	if n := len(fx.items(t)); n != 0 {
		t.Fatalf("a dry run wrote %d items", n)
	}
	res, err = fx.importFile(t, "testdata/messy-operator.xlsx", ImportOptions{})
	if err != nil {
		t.Fatalf("commit: %v\n%s", err, problemsText(res.Problems))
	}
	items := fx.items(t)
	if len(items) != 5 {
		t.Fatalf("items after commit = %d, want 5", len(items))
	}
	bySerialOrName := map[string]Item{}
	for _, it := range items {
		bySerialOrName[it.Name] = it
	}
	tests := []struct {
		name string
		got  func(Item) any
		item string
		want any
	}{
		{"merged network cell", func(it Item) any { return it.NetworkID }, "AMF edge", fx.net["Mobile 5G"].ID},
		{"part by short name", func(it Item) any { return it.CriticalPart }, "AMF klasteris", "4.1"},
		{"part by Latvian name", func(it Item) any { return it.CriticalPart }, "AMF edge", "4.1"},
		{"declared part, other case", func(it Item) any { return it.CriticalPart }, "DNS operations", "DNS-RES"},
		{"kind in Latvian", func(it Item) any { return it.Kind }, "UDM", KindSoftware},
		{"kind in English with spaces", func(it Item) any { return it.Kind }, "AMF edge", KindEquipment},
		{"kind in Latvian, upper case", func(it Item) any { return it.Kind }, "HSS", KindEquipment},
		{"country in Latvian", func(it Item) any { return it.ManufacturerCountry }, "UDM", "FI"},
		{"country code in lower case", func(it Item) any { return it.OriginCountry }, "HSS", "CN"},
		{"country Ķīna", func(it Item) any { return it.OriginCountry }, "AMF edge", "CN"},
		{"date serial", func(it Item) any { return it.InServiceSince }, "AMF klasteris", "2023-05-01"},
		{"date dd.mm.yyyy", func(it Item) any { return it.InServiceSince }, "UDM", "2022-03-15"},
		{"date ISO", func(it Item) any { return it.InServiceSince }, "AMF edge", "2024-01-31"},
		{"formula cached text", func(it Item) any { return it.Manufacturer }, "AMF edge", "Ericsson AB"},
		{"formula cached number", func(it Item) any { return it.Quantity }, "AMF edge", 1},
		{"number 3.0 as quantity", func(it Item) any { return it.Quantity }, "UDM", 3},
		{"non-breaking spaces", func(it Item) any { return it.Site }, "UDM", "Rīga DC1"},
		{"supplier matched by key", func(it Item) any { return it.ManufacturerID }, "AMF edge", bySerialOrName["AMF klasteris"].ManufacturerID},
		{"outsourcing provider", func(it Item) any { return it.OutsourcingProvider }, "DNS operations", "Netnod AB"},
		{"distributor", func(it Item) any { return it.Distributor }, "UDM", "Baltic Integrator SIA"},
		{"provenance", func(it Item) any { return it.SourceRef }, "HSS", "file messy-operator.xlsx row 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, ok := bySerialOrName[tt.item]
			if !ok {
				t.Fatalf("no item named %q", tt.item)
			}
			if got := tt.got(it); got != tt.want {
				t.Errorf("item %q: got %v, want %v", tt.item, got, tt.want)
			}
		})
	}
	res, err = fx.importFile(t, "testdata/messy-operator.xlsx", ImportOptions{})
	if err != nil || len(res.Added)+len(res.Updated) != 0 || res.Unchanged != 5 {
		t.Errorf("re-import = %d added, %d updated, %d unchanged, err %v; want 0, 0, 5", len(res.Added), len(res.Updated), res.Unchanged, err)
	}
}

func TestImportReportsEveryProblem(t *testing.T) {
	fx := newImportFixture(t)
	fx.seed(t)
	items, audits := len(fx.items(t)), fx.auditCount(t)
	res, err := fx.importFile(t, "testdata/problems.xlsx", ImportOptions{})
	if err == nil {
		t.Fatal("import of a file with problems succeeded")
	}
	want := []struct {
		row         int
		col, header string
		value, msg  string
	}{
		{2, "B", "Network", "Mobile 6G", "is not a network of operator LMT"},
		{3, "C", "Critical part", "9.9", "is neither an annex-6 function"},
		{4, "C", "Critical part", "DNS-RES", "nor a part declared critical in network Mobile 5G"},
		{5, "D", "Kind", "hardware-ish", "is not a kind"},
		{6, "G", "Manufacturer country", "Atlantis", "is not a country"},
		{7, "I", "In service since", "31.02.2023", "is not a date"},
		{8, "H", "Quantity", "two", "is not a whole number"},
		{9, "H", "Quantity", "0", "must be between 1 and"},
		{10, "E", "Name", "", "needs a name or a model"},
		{11, "J", "Outsourcing provider", "", "outsourcing provider is required"},
		{12, "A", "ID", "999999", "is not the ID of an item"},
		{13, "H", "Quantity", "#DIV/0!", "formula error #DIV/0!"},
		{14, "E", "Name", "#REF!", "formula error #REF!"},
	}
	if len(res.Problems) != len(want) {
		t.Errorf("problems = %d, want %d:\n%s", len(res.Problems), len(want), problemsText(res.Problems))
	}
	for _, w := range want {
		found := false
		for _, p := range res.Problems {
			if p.Sheet == "Sheet1" && p.Row == w.row && p.Column == w.col && p.Header == w.header && p.Value == w.value && strings.Contains(p.Message, w.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at row %d column %s (%s) value %q saying %q; got:\n%s", w.row, w.col, w.header, w.value, w.msg, problemsText(res.Problems))
		}
	}
	if got := len(fx.items(t)); got != items {
		t.Errorf("items after a refused import = %d, want %d", got, items)
	}
	if got := fx.auditCount(t); got != audits {
		t.Errorf("audit records after a refused import = %d, want %d", got, audits)
	}
}

func TestImportBadFiles(t *testing.T) {
	fx := newImportFixture(t)
	fx.seed(t)
	valid := fx.export(t)
	tests := []struct {
		name string
		file func(t testing.TB) []byte
		opt  ImportOptions
		want string
	}{
		{"not a workbook", testdataFile("not-a-workbook.xlsx"), ImportOptions{}, "not an Excel workbook"},
		{"empty", func(t testing.TB) []byte { return nil }, ImportOptions{}, "empty or too short"},
		{"truncated", testdataFile("truncated.xlsx"), ImportOptions{}, "damaged or cut short"},
		{"truncated export", func(t testing.TB) []byte { return valid[:len(valid)/2] }, ImportOptions{}, "damaged or cut short"},
		{"zip bomb", zipBomb, ImportOptions{}, "zip bomb"},
		{"zip bomb with a lying header", lyingZipBomb, ImportOptions{}, "not a readable .xlsx workbook"},
		{"too large inflated", func(t testing.TB) []byte { return valid }, ImportOptions{MaxUnzipped: 10 << 10}, "inflates to more than"},
		{"too many rows", func(t testing.TB) []byte { return valid }, ImportOptions{MaxRows: 2}, "more than 2 data rows"},
		{"password-protected", testdataFile("password.xlsx"), ImportOptions{}, "password-protected"},
		{"password-protected export", encrypted(valid), ImportOptions{}, "password-protected"},
		{"formula errors", testdataFile("problems.xlsx"), ImportOptions{}, "formula error #DIV/0!"},
		{"no items sheet", func(t testing.TB) []byte {
			f := excelize.NewFile()
			f.SetCellValue("Sheet1", "A1", "hello")
			return saveBook(t, f)
		}, ImportOptions{}, "no sheet has a header row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, audits := len(fx.items(t)), fx.auditCount(t)
			res, err := fx.importBytes(t, tt.file(t), tt.opt)
			if err == nil {
				t.Fatalf("import succeeded, want a problem saying %q", tt.want)
			}
			if !strings.Contains(problemsText(res.Problems), tt.want) {
				t.Errorf("problems = %s; want one saying %q", problemsText(res.Problems), tt.want)
			}
			if got := len(fx.items(t)); got != items {
				t.Errorf("items after a refused import = %d, want %d", got, items)
			}
			if got := fx.auditCount(t); got != audits {
				t.Errorf("audit records after a refused import = %d, want %d", got, audits)
			}
		})
	}
}

// testdataFile reads a file of testdata/.
func testdataFile(name string) func(t testing.TB) []byte {
	return func(t testing.TB) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

// zipBomb is a small workbook whose sheet inflates to 300 MB.
func zipBomb(t testing.TB) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte(`<?xml version="1.0"?><x/>`))
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 300 {
		w.Write(chunk)
	}
	zw.Close()
	return buf.Bytes()
}

// lyingZipBomb declares a tiny sheet that inflates far past what it declares.
func lyingZipBomb(t testing.TB) []byte {
	b := zipBomb(t)
	// Rewrite the declared uncompressed size (central directory and local header) of the
	// sheet to 1 KB: archive/zip then stops inflating at the declared size.
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		h := f.FileHeader
		if strings.HasSuffix(f.Name, "sheet1.xml") {
			h.UncompressedSize64 = 1024
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	return out.Bytes()
}

// encrypted returns the workbook saved with a password, as Excel encrypts it.
func encrypted(b []byte) func(t testing.TB) []byte {
	return func(t testing.TB) []byte {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out bytes.Buffer
		if err := f.Write(&out, excelize.Options{Password: "secret"}); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
}

func TestImportSavedMappingOverridesGuess(t *testing.T) {
	fx := newImportFixture(t)
	f := excelize.NewFile()
	setRows(t, f, "Sheet1", 1, [][]any{
		{"Tīkls", "Funkcija", "Iekārtas tips", "Apraksts", "Nosaukums"},
		{"Mobile 5G", "AMF", "iekārta", "Core AMF", "internal name"},
	})
	b := saveBook(t, f)
	if _, err := fx.s.SetColumnMapping(context.Background(), fx.a, "LMT", []MappedColumn{
		{Header: "Iekārtas tips", Field: FieldKind}, {Header: "Apraksts", Field: FieldName}, {Header: "NOSAUKUMS", Field: FieldIgnore},
	}); err != nil {
		t.Fatal(err)
	}
	res, err := fx.importBytes(t, b, ImportOptions{DryRun: true})
	if err != nil {
		t.Fatalf("import with a saved mapping: %v\n%s", err, problemsText(res.Problems))
	}
	if len(res.Added) != 1 || res.Added[0].Item.Name != "Core AMF" || res.Added[0].Item.Kind != KindEquipment {
		t.Errorf("import with a saved mapping added %+v, want one equipment named Core AMF", res.Added)
	}
	if _, err := fx.s.SetColumnMapping(context.Background(), fx.a, "LMT", []MappedColumn{{Header: "x", Field: "colour"}}); err == nil {
		t.Error("SetColumnMapping with an unknown field succeeded")
	}
}

func TestImportSyncRemovesWhatTheFileLacks(t *testing.T) {
	fx := newImportFixture(t)
	seeded := fx.seed(t)
	file := fx.export(t)
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.RemoveRow(SheetItems, 3); err != nil { // the UDM of Mobile 5G
		t.Fatal(err)
	}
	edited := saveBook(t, f)
	res, err := fx.importBytes(t, edited, ImportOptions{DryRun: true})
	if err != nil || len(res.Removed) != 0 {
		t.Fatalf("import without sync: removed %d, err %v; want none", len(res.Removed), err)
	}
	res, err = fx.importBytes(t, edited, ImportOptions{Sync: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Removed) != 1 || res.Removed[0].ItemID != seeded[1].ID {
		t.Fatalf("sync removed %+v, want item %d only", res.Removed, seeded[1].ID)
	}
	if got := len(fx.items(t)); got != len(seeded)-1 {
		t.Errorf("items after sync = %d, want %d", got, len(seeded)-1)
	}
}

func TestImportProgress(t *testing.T) {
	fx := newImportFixture(t)
	var last, total int
	f := excelize.NewFile()
	rows := [][]any{{"Network", "Critical part", "Kind", "Model"}}
	for i := range 2500 {
		rows = append(rows, []any{"Mobile 5G", "4.1", "equipment", "M" + strings.Repeat("x", i%7)})
	}
	setRows(t, f, "Sheet1", 1, rows)
	_, err := fx.importBytes(t, saveBook(t, f), ImportOptions{Progress: func(d, tot int) { last, total = d, tot }})
	if err != nil {
		t.Fatal(err)
	}
	if total != 5000 || last != total {
		t.Errorf("last progress = %d of %d, want 5000 of 5000", last, total)
	}
}
