package inventory

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/xuri/excelize/v2"

	"critreg/audit"
)

// importStep is one import of a scenario: the workbook it reads, made from the list so far.
type importStep struct {
	name string
	book func(t *testing.T, fx *importFixture) []byte
	opt  ImportOptions
}

// TestBulkCommitMatchesRowByRow runs each scenario twice, committing through the bulk
// writer and through CreateItemTx and its kin one row at a time, and finds after every
// step the same items, suppliers, search index and audit records in both databases.
func TestBulkCommitMatchesRowByRow(t *testing.T) {
	messy := func(t *testing.T, fx *importFixture) []byte { return readTestdata(t, "messy-operator.xlsx") }
	edited := func(t *testing.T, fx *importFixture) []byte { return editedExport(t, fx.export(t)) }
	for _, tc := range []struct {
		name  string
		seed  bool
		steps []importStep
	}{
		{"messy workbook into an empty list", false, []importStep{
			{"messy", messy, ImportOptions{FileName: "messy.xlsx"}},
			{"messy again", messy, ImportOptions{FileName: "messy.xlsx"}},
		}},
		{"messy workbook, then an edited export with sync, then the same again", true, []importStep{
			{"messy", messy, ImportOptions{FileName: "messy.xlsx"}},
			{"edited export", edited, ImportOptions{FileName: "lmt.xlsx", Sync: true}},
			{"unchanged export", func(t *testing.T, fx *importFixture) []byte { return fx.export(t) }, ImportOptions{FileName: "lmt.xlsx", Sync: true}},
		}},
		{"new rows around one that matches an item by its business key", true, []importStep{
			{"mixed", func(t *testing.T, fx *importFixture) []byte { return mixedBook(t) }, ImportOptions{FileName: "mixed.xlsx"}},
			{"mixed again", func(t *testing.T, fx *importFixture) []byte { return mixedBook(t) }, ImportOptions{FileName: "mixed.xlsx"}},
		}},
		{"two item sheets", true, []importStep{
			{"two sheets", func(t *testing.T, fx *importFixture) []byte { return twoSheetBook(t) }, ImportOptions{FileName: "two.xlsx"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bulk, rows := newImportFixture(t), newImportFixture(t)
			if tc.seed {
				bulk.seed(t)
				rows.seed(t)
			}
			for _, st := range tc.steps {
				var got [2]ImportResult
				for i, fx := range []*importFixture{bulk, rows} {
					opt := st.opt
					// The bulk commit hands every row to the writer on its own, so that even
					// these small files are written while they are read.
					opt.rowByRow, opt.streamRows = i == 1, 1
					res, err := fx.importBytes(t, st.book(t, fx), opt)
					if err != nil || !res.Committed {
						t.Fatalf("%s: import (row by row %v) = %v\n%s", st.name, opt.rowByRow, err, problemsText(res.Problems))
					}
					got[i] = res
				}
				if a, b := resultCounts(got[0]), resultCounts(got[1]); a != b {
					t.Errorf("%s: bulk import = %s, row by row %s", st.name, a, b)
				}
				t.Logf("%s: %s", st.name, resultCounts(got[0]))
				want := dbContents(t, rows)
				for table, have := range dbContents(t, bulk) {
					if !slices.Equal(have, want[table]) {
						t.Errorf("%s: %s after the bulk commit =\n%s\nafter the row-by-row commit =\n%s", st.name, table,
							strings.Join(have, "\n"), strings.Join(want[table], "\n"))
					}
				}
				if n, err := audit.Verify(context.Background(), bulk.s.db.Read); err != nil {
					t.Errorf("%s: audit.Verify after the bulk commit = %d, %v", st.name, n, err)
				}
			}
		})
	}
}

func resultCounts(r ImportResult) string {
	return fmt.Sprintf("%d rows, %d added, %d updated, %d unchanged, %d removed", r.Rows, len(r.Added), len(r.Updated), r.Unchanged, len(r.Removed))
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// editedExport changes an export as a person would before importing it back: a model, a
// manufacturer the register does not hold yet, a country, a row without its item ID (it
// matches by business key), a row removed (a sync removes its item) and two rows added,
// one of them the same model as an existing item.
func editedExport(t *testing.T, b []byte) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetItems)
	if err != nil {
		t.Fatal(err)
	}
	last := len(rows)
	set := func(cell string, v any) {
		if err := f.SetCellValue(SheetItems, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("F3", "UDM-X")
	set("H4", "Nokia Networks Latvia SIA")
	set("I4", "LV")
	set("A5", nil)
	for c := range len(itemFields) {
		cell, _ := excelize.CoordinatesToCellName(c+1, 2)
		set(cell, nil)
	}
	for i, r := range [][]any{
		{nil, "Mobile 5G", "4.2", "software", "SMF", "SMF 9", "1.0", "Ericsson AB", "SE"},
		append([]any{nil}, toAny(rows[5][1:])...),
	} {
		cell, _ := excelize.CoordinatesToCellName(1, last+1+i)
		if err := f.SetSheetRow(SheetItems, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// twoSheetBook lists items on two sheets, so that each item's provenance names its sheet.
func twoSheetBook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	header := []any{"Tīkls", "Kritiskā daļa", "Veids", "Nosaukums", "Ražotājs", "Modelis", "Sērijas numurs", "Ražotāja valsts", "Izplatītājs"}
	if _, err := f.NewSheet("Core"); err != nil {
		t.Fatal(err)
	}
	for sheet, rows := range map[string][][]any{
		// Acme is added without a country, then gains one, then the distributor role: two
		// changes of a supplier the import added itself.
		"Sheet1": {header, {"Mobile 5G", "AMF", "iekārta", "AMF pool", "Ericsson AB", "UNC 23", "S1"}, {"Mobile 4G", "2.2", "software", "HSS", "Huawei", "HSS9860", ""},
			{"Mobile 5G", "4.3", "iekārta", "SMF", "Acme Telecom GmbH", "A1", "", ""}, {"Mobile 5G", "4.3", "iekārta", "SMF 2", "ACME telecom", "A2", "", "DE"}},
		"Core": {header, {"IP core", "DNS-RES", "equipment", "Resolver", "Nominum", "N1", "R1"}, {"IP core", "1.1", "iekārta", "Router", "Juniper Networks", "MX960", "J1", "US", "Acme Telecom"}},
	} {
		setRows(t, f, sheet, 1, rows)
	}
	return saveBook(t, f)
}

// mixedBook adds two items, changes the site of a seeded one it matches by business key,
// and adds a third.
func mixedBook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	setRows(t, f, "Sheet1", 1, [][]any{
		{"Tīkls", "Kritiskā daļa", "Veids", "Nosaukums", "Ražotājs", "Ražotāja valsts", "Modelis", "Sērijas numurs", "Atrašanās vieta"},
		{"Mobile 5G", "4.2", "software", "SMF", "Ericsson AB", "SE", "SMF 9", "", "Riga DC2"},
		{"Mobile 4G", "MME", "iekārta", "MME pool", "Nokia Solutions and Networks", "FI", "MME 5", "N-77", "Valmiera"},
		{"Mobile 5G", "4.1", "equipment", "AMF cluster", "ERICSSON AB", "SE", "UNC 22", "SE-001", "Riga DC3"},
		{"IP core", "1.1", "iekārta", "Edge <router> & co", "Juniper Networks", "US", "MX960", "J-1", "Riga DC1"},
	})
	return saveBook(t, f)
}

// dbContents is what an import leaves behind, table by table, in a form two databases
// can be compared in: every item and supplier column, the audit records without their
// time and hashes, the search index as the items each word of every item finds.
func dbContents(t *testing.T, fx *importFixture) map[string][]string {
	t.Helper()
	db := fx.s.db.Read
	out := map[string][]string{
		"items":           dumpRows(t, db, `SELECT * FROM items ORDER BY id`),
		"suppliers":       dumpRows(t, db, `SELECT * FROM suppliers ORDER BY id`),
		"sqlite_sequence": dumpRows(t, db, `SELECT name, seq FROM sqlite_sequence ORDER BY name`),
		"audit_log": dumpRows(t, db, `SELECT id, ip, user_id, login, role, via, operator_id, action, object_type, object_id, before, after
			FROM audit_log ORDER BY id`),
		"audit_head":    dumpRows(t, db, `SELECT last FROM audit_head`),
		"items_fts":     dumpRows(t, db, `SELECT count(*) FROM items_fts`),
		"search":        nil,
		"search by API": nil,
	}
	words := map[string]bool{}
	for _, it := range fx.items(t) {
		for _, w := range strings.FieldsFunc(searchBody(it), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			words[strings.ToLower(w)] = true
		}
	}
	sorted := make([]string, 0, len(words))
	for w := range words {
		sorted = append(sorted, w)
	}
	slices.Sort(sorted)
	for _, w := range sorted {
		ids := dumpRows(t, db, `SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid`, ftsQuery(w))
		out["search"] = append(out["search"], w+": "+strings.Join(ids, " "))
		found, _, err := fx.s.Items(context.Background(), fx.a, ItemFilter{Q: w}, Page{Limit: MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, it := range found {
			names = append(names, fmt.Sprint(it.ID))
		}
		out["search by API"] = append(out["search by API"], w+": "+strings.Join(names, " "))
	}
	return out
}

// dumpRows renders every row a query returns as one line.
func dumpRows(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var line []string
		for i, v := range vals {
			line = append(line, fmt.Sprintf("%s=%v", cols[i], v))
		}
		out = append(out, strings.Join(line, " | "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCommitUndoesRowsWrittenWhileReading gives a workbook whose last row is wrong, after
// its first rows went to the writer: the file's problems are reported, and the list and
// the audit trail are as they were.
func TestCommitUndoesRowsWrittenWhileReading(t *testing.T) {
	good := []any{"Mobile 5G", "4.2", "software", "SMF", "Ericsson AB", "SE", "SMF 9", "", "Riga DC2"}
	book := func(t *testing.T, last []any) []byte {
		f := excelize.NewFile()
		defer f.Close()
		rows := [][]any{{"Tīkls", "Kritiskā daļa", "Veids", "Nosaukums", "Ražotājs", "Ražotāja valsts", "Modelis", "Sērijas numurs", "Atrašanās vieta"}}
		for i := range 6 {
			r := slices.Clone(good)
			r[7] = fmt.Sprintf("S-%d", i)
			rows = append(rows, r)
		}
		rows = append(rows, last)
		setRows(t, f, "Sheet1", 1, rows)
		return saveBook(t, f)
	}
	for _, tc := range []struct {
		name    string
		last    []any
		problem string
	}{
		{"unknown network in the last row", []any{"Mobile 6G", "4.2", "software", "SMF"}, "Sheet1 row 8 column A"},
		{"no name or model in the last row", []any{"Mobile 5G", "4.2", "software"}, "Sheet1 row 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newImportFixture(t)
			fx.seed(t)
			items, records := len(fx.items(t)), fx.auditCount(t)
			res, err := fx.importBytes(t, book(t, tc.last), ImportOptions{FileName: "bad.xlsx", streamRows: 1})
			switch {
			case err == nil || res.Committed:
				t.Fatalf("Import = committed %v, %v; want an error", res.Committed, err)
			case !strings.Contains(problemsText(res.Problems), tc.problem):
				t.Errorf("Import problems =\n%s\nwant one at %s", problemsText(res.Problems), tc.problem)
			}
			if got := len(fx.items(t)); got != items {
				t.Errorf("items after a refused import = %d, want %d", got, items)
			}
			if got := fx.auditCount(t); got != records {
				t.Errorf("audit records after a refused import = %d, want %d", got, records)
			}
		})
	}
}
