package inventory

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// bigRows is the size of the benchmark workbook: 100,000 unless CRITREG_BENCH_ROWS says.
func bigRows() int {
	if n, err := strconv.Atoi(os.Getenv("CRITREG_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// writeBigWorkbook writes an operator's list of n rows in 12 columns, as operators keep
// them, with excelize's stream writer.
func writeBigWorkbook(tb testing.TB, path string, n int) {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	header := []any{"Tīkls", "Kritiskā daļa", "Veids", "Nosaukums", "Ražotājs", "Ražotāja valsts", "Modelis", "Versija",
		"Sērijas numurs", "Daudzums", "Atrašanās vieta", "Ekspluatācijā kopš"}
	if err := sw.SetRow("A1", header); err != nil {
		tb.Fatal(err)
	}
	nets := []string{"Mobile 5G", "Mobile 4G", "IP core"}
	parts := [][]string{{"4.1", "AMF", "4.3", "SMF", "4.2"}, {"2.2", "2.3", "MME", "2.5"}, {"1.1", "1.7", "1.8", "DNS-RES"}}
	kinds := []string{"iekārta", "equipment", "programmatūra", "software"}
	makers := []string{"Ericsson AB", "Nokia Solutions and Networks Oy", "Huawei Technologies Co., Ltd.", "Cisco Systems, Inc.", "Juniper Networks", "ZTE Corporation", "Mikrotikls SIA"}
	countries := []string{"Zviedrija", "FI", "Ķīna", "US", "United States", "CN", "LV"}
	row := make([]any, 12)
	for i := range n {
		net := i % len(nets)
		m := i % len(makers)
		row[0] = nets[net]
		row[1] = parts[net][i%len(parts[net])]
		row[2] = kinds[i%len(kinds)]
		row[3] = fmt.Sprintf("Node %d", i)
		row[4] = makers[m]
		row[5] = countries[m]
		row[6] = fmt.Sprintf("MX-%d", i%40)
		row[7] = fmt.Sprintf("%d.%d.%d", i%9, i%13, i%5)
		row[8] = fmt.Sprintf("SN%08d", i)
		row[9] = 1 + i%4
		row[10] = fmt.Sprintf("Site %d", i%150)
		if i%2 == 0 {
			row[11] = 44000 + i%3000
		} else {
			row[11] = fmt.Sprintf("%02d.%02d.%d", 1+i%28, 1+i%12, 2015+i%10)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
}

// TestMakeBig writes the benchmark workbook where CRITREG_BIG_XLSX says:
//
//	CRITREG_BIG_XLSX=/tmp/big.xlsx go test ./inventory -run TestMakeBig
func TestMakeBig(t *testing.T) {
	path := os.Getenv("CRITREG_BIG_XLSX")
	if path == "" {
		t.Skip("set CRITREG_BIG_XLSX=FILE to write the 100,000-row benchmark workbook")
	}
	writeBigWorkbook(t, path, bigRows())
}

// bigWorkbook returns the benchmark workbook, made once per run in a temporary directory
// (or CRITREG_BIG_XLSX when it names an existing file).
func bigWorkbook(b *testing.B) []byte {
	b.Helper()
	path := os.Getenv("CRITREG_BIG_XLSX")
	if _, err := os.Stat(path); path == "" || err != nil {
		path = filepath.Join(b.TempDir(), "big.xlsx")
		writeBigWorkbook(b, path, bigRows())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// peakRSS reports the process's peak resident set (VmHWM) in MB: run one benchmark per
// process for a figure of that benchmark alone.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkImport100k compares the import of the benchmark workbook, as a dry run and as
// a commit into an empty list, with excelize's own streaming read of the same file:
//
//	go test ./inventory -run '^$' -bench Import100k -benchtime 1x
func BenchmarkImport100k(b *testing.B) {
	data := bigWorkbook(b)
	b.Run("excelize-rows", func(b *testing.B) {
		for b.Loop() {
			f, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			rows, err := f.Rows("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				cells, err := rows.Columns()
				if err != nil {
					b.Fatal(err)
				}
				n += len(cells)
			}
			rows.Close()
			f.Close()
		}
		b.ReportMetric(peakRSS(), "peak-RSS-MB")
	})
	b.Run("dry-run", func(b *testing.B) {
		fx := newImportFixture(b)
		for b.Loop() {
			res, err := fx.importBytes(b, data, ImportOptions{DryRun: true, FileName: "big.xlsx"})
			if err != nil || len(res.Added) != bigRows() {
				b.Fatalf("dry run: %d added, %v", len(res.Added), err)
			}
		}
		b.ReportMetric(peakRSS(), "peak-RSS-MB")
	})
	b.Run("commit", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			fx := newImportFixture(b)
			b.StartTimer()
			res, err := fx.importBytes(b, data, ImportOptions{FileName: "big.xlsx"})
			if err != nil || len(res.Added) != bigRows() {
				b.Fatalf("commit: %d added, %v", len(res.Added), err)
			}
		}
		b.ReportMetric(peakRSS(), "peak-RSS-MB")
	})
}

// BenchmarkExport100k compares the export of a 100,000-item list with a bare excelize
// stream writer writing the same cells:
//
//	go test ./inventory -run '^$' -bench Export100k -benchtime 1x
func BenchmarkExport100k(b *testing.B) {
	fx := newImportFixture(b)
	data := bigWorkbook(b)
	if _, err := fx.importBytes(b, data, ImportOptions{FileName: "big.xlsx"}); err != nil {
		b.Fatal(err)
	}
	items, err := allItems(fx)
	if err != nil {
		b.Fatal(err)
	}
	names := map[int64]string{}
	for _, n := range fx.net {
		names[n.ID] = n.Name
	}
	b.Run("excelize-streamwriter", func(b *testing.B) {
		for b.Loop() {
			f := excelize.NewFile()
			sw, err := f.NewStreamWriter("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			row := make([]any, len(itemFields))
			for i, it := range items {
				if err := sw.SetRow(cellName(1, i+2), itemRow(row, it, names[it.NetworkID])); err != nil {
					b.Fatal(err)
				}
			}
			if err := sw.Flush(); err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := f.WriteTo(&buf); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
		b.ReportMetric(peakRSS(), "peak-RSS-MB")
	})
	b.Run("export", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			if err := fx.s.Export(context.Background(), fx.a, "LMT", &buf); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(peakRSS(), "peak-RSS-MB")
	})
}

func allItems(fx *importFixture) ([]Item, error) {
	rows, err := fx.s.db.Read.Query(`SELECT ` + itemColumns + itemFrom + ` ORDER BY i.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
