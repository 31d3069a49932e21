package notice

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"critreg/errkind"
	"critreg/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestExportWorkbook reads the exported workbook back and compares every cell with a
// golden dump: sheet, cell reference and value, one a line.
func TestExportWorkbook(t *testing.T) {
	e := newEnv(t)
	mme := e.router("Ericsson AB", "MME 1000")
	sw := e.item(e.alice, inventory.ItemInput{NetworkID: e.lte.ID, CriticalPart: "2.1", Kind: inventory.KindSoftware, Name: "HSS", Manufacturer: "Ericsson AB", Version: "3.2"})
	n := e.draft(e.alice,
		LineInput{Change: inventory.ChangeReplaceDevice, CurrentItemID: mme.ID, New: inventory.ItemInput{Manufacturer: "ZTE Corporation", Model: "ZXUN uMAC", OriginCountry: "CN"}, PlannedStart: "2027-02-28"},
		LineInput{Change: inventory.ChangeUpdateSoftware, CurrentItemID: sw.ID, New: inventory.ItemInput{Version: "3.1"}, PlannedStart: "2027-02-01"},
		LineInput{Change: inventory.ChangeRemove, CurrentItemID: mme.ID, PlannedStart: "2027-03-15"},
	)
	e.at("2027-01-31T22:30:00Z") // 1 February in Riga
	_, _, err := e.svc.Step(e.ctx, e.alice, n.ID, ActionSubmit, StepInput{})
	wantErr(t, "submit with a start before 2027-03-01", err, invalid, "2027-03-01")
	e.at("2027-01-31T21:30:00Z") // 23:30 on 31 January in Riga
	e.step(e.alice, n.ID, ActionSubmit, StepInput{})

	var buf bytes.Buffer
	if err := e.svc.ExportWorkbook(e.ctx, e.bea, n.ID, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var dump strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				dump.WriteString(sheet + "!" + ref + "\t" + strings.ReplaceAll(v, "\n", `\n`) + "\n")
			}
		}
	}
	golden := filepath.Join("testdata", "notice_workbook.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump.String(); got != string(want) {
		t.Errorf("workbook cells differ from %s (run go test -run TestExportWorkbook -update to accept):\n%s", golden, lineDiff(string(want), got))
	}

	if err := e.svc.ExportWorkbook(e.ctx, e.bob, n.ID, &buf); !errorsIsNotFound(err) {
		t.Errorf("ExportWorkbook by another operator = %v, want not found", err)
	}
}

func errorsIsNotFound(err error) bool { return errors.Is(err, errkind.ErrNotFound) }

// lineDiff shows the first lines in which two dumps differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 20; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, "- "+a, "+ "+b)
		}
	}
	return strings.Join(out, "\n")
}
