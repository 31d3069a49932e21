package inventory

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// sheetRead is what a reader gave for one sheet: every row number Next reached, with its
// cells, and the first error.
type sheetRead struct {
	rows     [][]string
	err      error
	fellBack bool
}

// readBoth reads every sheet of a workbook through the import's reader and through
// excelize's Rows with raw values.
func readBoth(t testing.TB, data []byte) (fast, slow map[string]sheetRead) {
	t.Helper()
	f, zr, p := openWorkbook(bytes.NewReader(data), int64(len(data)), DefaultMaxUnzipped)
	if p != nil {
		t.Fatalf("open: %s", p.Message)
	}
	defer f.Close()
	rd := &reader{zr: zr, parts: sheetParts(zr), opt: ImportOptions{MaxUnzipped: DefaultMaxUnzipped}}
	fast, slow = map[string]sheetRead{}, map[string]sheetRead{}
	for _, sheet := range f.GetSheetList() {
		rows, err := rd.openSheetRows(f, sheet)
		if err != nil {
			t.Fatal(err)
		}
		got := drain(rows)
		if sr, ok := rows.(*sheetRows); ok {
			got.fellBack = sr.fellBack
		} else {
			got.fellBack = true
		}
		fast[sheet] = got
		ex, err := f.Rows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		slow[sheet] = drain(ex)
	}
	return fast, slow
}

func drain(rows rowReader) sheetRead {
	var out sheetRead
	defer rows.Close()
	for n := 0; rows.Next() && n < 20000; n++ {
		cells, err := rows.Columns()
		if err != nil {
			out.err = err
			return out
		}
		out.rows = append(out.rows, cells)
	}
	out.err = rows.Error()
	return out
}

// sameRows reports how the fast read differs from excelize's, if it does.
func sameRows(fast, slow sheetRead) string {
	if len(fast.rows) != len(slow.rows) {
		return fmt.Sprintf("%d rows, excelize %d", len(fast.rows), len(slow.rows))
	}
	for i := range fast.rows {
		if !reflect.DeepEqual(fast.rows[i], slow.rows[i]) && (len(fast.rows[i]) > 0 || len(slow.rows[i]) > 0) {
			return fmt.Sprintf("row %d: %q, excelize %q", i+1, fast.rows[i], slow.rows[i])
		}
	}
	return ""
}

// checkSameAsExcelize fails unless every sheet reads the same both ways, without
// falling back when direct says the reader should manage on its own.
func checkSameAsExcelize(t *testing.T, name string, data []byte, direct bool) {
	t.Helper()
	fast, slow := readBoth(t, data)
	if len(fast) == 0 {
		t.Fatalf("%s: no sheets", name)
	}
	for sheet, got := range fast {
		if got.err != nil {
			t.Errorf("%s, sheet %s: %v", name, sheet, got.err)
			continue
		}
		if diff := sameRows(got, slow[sheet]); diff != "" {
			t.Errorf("%s, sheet %s: %s", name, sheet, diff)
		}
		if direct && got.fellBack {
			t.Errorf("%s, sheet %s: fell back to excelize", name, sheet)
		}
	}
}

// awkwardValues are cell texts that test the decoding of XML and of Office's escapes.
var awkwardValues = []string{
	"plain", "  spaces around  ", "a & b < c > d \"e\" 'f'", "Ķīna — ražotājs", "line\nbreak", "crlf\r\nline",
	"tab\there", "_x0041_ is not A", "_x005F_x0041_", "emoji 📡", "\u00a0non-breaking\u00a0", "=not a formula",
	"0042", "1.5E+3", strings.Repeat("long ", 2000), "trailing space ", "&amp; literally",
}

// TestSheetRowsMatchExcelize holds the import's sheet reader to excelize's Rows on
// workbooks excelize writes both ways (shared strings and the stream writer's inline
// strings), with gaps, formulas, rich text, numbers, dates and booleans, and on every
// workbook in testdata.
func TestSheetRowsMatchExcelize(t *testing.T) {
	t.Run("shared strings", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		for i, v := range awkwardValues {
			cell, _ := excelize.CoordinatesToCellName(1+i%5*2, 1+i*2)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
		must(t, f.SetCellValue("Sheet1", "K1", 42))
		must(t, f.SetCellValue("Sheet1", "L1", 3.25))
		must(t, f.SetCellValue("Sheet1", "M1", true))
		must(t, f.SetCellValue("Sheet1", "N1", time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)))
		must(t, f.SetCellFormula("Sheet1", "O1", "K1*2"))
		must(t, f.SetCellFormula("Sheet1", "P3", `IF(K1>1,"big","small")`))
		must(t, f.SetCellRichText("Sheet1", "Q2", []excelize.RichTextRun{{Text: "Rich "}, {Text: "text", Font: &excelize.Font{Bold: true}}}))
		must(t, f.MergeCell("Sheet1", "R1", "S3"))
		must(t, f.SetCellValue("Sheet1", "R1", "merged"))
		must(t, f.SetCellValue("Sheet1", "XFD40", "last column"))
		_, err := f.NewSheet("Second")
		must(t, err)
		must(t, f.SetCellValue("Second", "B7", "alone"))
		checkSameAsExcelize(t, "excelize workbook", writeWorkbook(t, f), true)
	})
	t.Run("stream writer", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		must(t, err)
		for i, v := range awkwardValues {
			cell, _ := excelize.CoordinatesToCellName(1, 1+i*3)
			must(t, sw.SetRow(cell, []any{v, i, nil, float64(i) / 3, excelize.Cell{Formula: "A1"}}))
		}
		must(t, sw.Flush())
		checkSameAsExcelize(t, "stream-written workbook", writeWorkbook(t, f), true)
	})
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xlsx"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		must(t, err)
		if _, _, p := openWorkbook(bytes.NewReader(data), int64(len(data)), DefaultMaxUnzipped); p != nil {
			continue // the workbooks that are refused before any sheet is read
		}
		checkSameAsExcelize(t, file, data, true)
	}
}

// TestSheetRowsLibreOffice holds the reader to excelize's on a workbook LibreOffice wrote.
func TestSheetRowsLibreOffice(t *testing.T) {
	soffice := requireTool(t, "soffice", "libreoffice-calc")
	dir := t.TempDir()
	csv := filepath.Join(dir, "awkward.csv")
	var b strings.Builder
	for i, v := range awkwardValues {
		fmt.Fprintf(&b, "%d,\"%s\",,%d.5\n", i, strings.ReplaceAll(v, `"`, `""`), i)
	}
	must(t, os.WriteFile(csv, []byte(b.String()), 0o600))
	cmd := exec.CommandContext(t.Context(), soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", dir, csv)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "awkward.xlsx"))
	must(t, err)
	checkSameAsExcelize(t, "LibreOffice workbook", data, true)
}

// TestSheetRowsHandsUnusualXMLToExcelize: XML the reader does not know goes to excelize
// from the row reached, and reads the same.
func TestSheetRowsHandsUnusualXMLToExcelize(t *testing.T) {
	for _, tc := range []struct{ name, sheet string }{
		{"namespace prefixes", `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row><x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>two</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`},
		{"a prefixed row number", sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c></row><row x14ac:r="3"><c r="A3" t="s"><v>1</v></c></row>`)},
		{"cells out of order", sheetXML(`<row r="1"><c r="C1" t="s"><v>0</v></c><c r="A1" t="s"><v>1</v></c></row>`)},
		{"CDATA", sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="str"><v><![CDATA[a<b]]></v></c></row>`)},
		{"lower-case reference", sheetXML(`<row r="1"><c r="a1" t="s"><v>1</v></c></row>`)},
		{"an element in a cell", sheetXML(`<row r="1" x14ac:dyDescent="0.25"><c r="A1" s="3" t="s" cm="1"><v>1</v><extLst><ext uri="x"/></extLst></c></row>`)},
		{"an element in a row", sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c><extLst><c r="B1"><v>7</v></c></extLst></row>`)},
		{"a signed style", sheetXML(`<row r="1"><c r="A1" s="+1" t="s"><v>2</v></c></row>`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := workbookWithSheet(t, tc.sheet)
			fast, slow := readBoth(t, data)
			got := fast["Sheet1"]
			if !got.fellBack {
				t.Errorf("read directly, want excelize")
			}
			if got.err != nil || slow["Sheet1"].err != nil {
				t.Fatalf("errors: %v, excelize %v", got.err, slow["Sheet1"].err)
			}
			if diff := sameRows(got, slow["Sheet1"]); diff != "" {
				t.Error(diff)
			}
		})
	}
}

// TestSheetRowsReadsAwkwardXMLDirectly: what spreadsheet programs do write, in all its
// variety, is read without excelize and as excelize reads it.
func TestSheetRowsReadsAwkwardXMLDirectly(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"no references", `<row><c t="s"><v>0</v></c><c/><c t="s"><v>1</v></c></row><row/><row><c t="str"><v>x</v></c></row>`},
		{"signed and zero row numbers", `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="+3"><c r="A3" t="s"><v>1</v></c></row><row r="0"><c t="s"><v>2</v></c></row>`},
		{"gaps", `<row r="2"><c r="C2" t="s"><v>2</v></c></row><row r="9" spans="1:3"><c r="B9"><v>12.5</v></c></row>`},
		{"types", `<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c><c r="C1" t="d"><v>2023-05-01T00:00:00</v></c><c r="D1" t="n"><v>7</v></c><c r="E1" t="str"><f>A1</f><v>TRUE</v></c><c r="F1"><f>1/0</f></c></row>`},
		{"entities and references", `<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> &#x41;&#66;&lt;&amp;&gt;&quot;&apos; </t></is></c><c r="B1" t='str'><v>a<!-- note -->b</v></c></row>`},
		{"rich inline text", `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>bold</t></r><r><t> plain</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh><phoneticPr fontId="1"/></is></c></row>`},
		{"shared string with spaces", `<row r="1"><c r="A1" t="s"><v> 3 </v></c><c r="B1" t="s"><v></v></c><c r="C1" t="s"/></row>`},
		{"escapes", `<row r="1"><c r="A1" t="inlineStr"><is><t>_x0009_tab_x005F_x0041__xD800_</t></is></c><c r="B1" t="str"><v>_x0041_</v></c></row>`},
		{"line ends", "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\r\nb\rc</v></c></row>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkSameAsExcelize(t, tc.name, workbookWithSheet(t, sheetXML(tc.data)), true)
		})
	}
}

// TestSheetRowsReportsMalformedXML: where excelize's reader stops without a word at
// broken XML and so gives fewer rows, the import's reports the sheet as unreadable and
// the import changes nothing.
func TestSheetRowsReportsMalformedXML(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"unknown entity", `<row r="1"><c r="A1" t="str"><v>a</v></c></row><row r="2"><c r="A2" t="str"><v>&bogus;</v></c></row><row r="3"><c r="A3" t="str"><v>c</v></c></row>`},
		{"not UTF-8", "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a</v></c></row><row r=\"2\"><c r=\"A2\" t=\"str\"><v>\xff\xfe</v></c></row>"},
		{"control character", "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\x01b</v></c></row>"},
		{"unclosed row", `<row r="1"><c r="A1" t="str"><v>a</v></c>`},
		{"unquoted attribute", `<row r=1><c r="A1" t="str"><v>a</v></c></row>`},
		{"rows out of order", `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="3"><c r="A3" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c></row>`},
		{"an element between rows", `<row r="1"><c r="A1" t="s"><v>0</v></c></row><extLst><c r="B1"><v>7</v></c></extLst>`},
		{"shared string past the table", `<row r="1"><c r="A1" t="s"><v>99</v></c></row>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := workbookWithSheet(t, sheetXML(tc.data))
			fast, _ := readBoth(t, data)
			if fast["Sheet1"].err == nil {
				t.Fatalf("read %d rows without an error", len(fast["Sheet1"].rows))
			}
			fx := newImportFixture(t)
			res, err := fx.importBytes(t, data, ImportOptions{})
			if err == nil || res.Committed || len(fx.items(t)) != 0 {
				t.Fatalf("import: %v, committed %v, %d items", err, res.Committed, len(fx.items(t)))
			}
		})
	}
}

// FuzzSheetRows: for any sheet data, when the import's reader reads it without an error
// it reads what excelize's Rows reads.
func FuzzSheetRows(f *testing.F) {
	for _, s := range []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>x &amp; y</t></is></c></row>`,
		`<row><c><v>1</v></c><c t="s"><v>2</v></c></row><row r="4"><c r="D4" t="str"><f>A1</f><v>z</v></c></row>`,
		`<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><r><rPr/><t>_x0041_</t></r></is></c></row>`,
		"<row r=\"2\"><c r=\"B2\" t=\"e\"><v>#REF!</v></c><c r=\"C2\"><v>&#x10FFFF;\r\n</v></c></row>",
		`<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		data := workbookWithSheet(t, sheetXML(body))
		fast, slow := readBoth(t, data)
		got := fast["Sheet1"]
		if got.err != nil || slow["Sheet1"].err != nil {
			return
		}
		if diff := sameRows(got, slow["Sheet1"]); diff != "" {
			t.Fatalf("differs from excelize (fell back: %v): %s", got.fellBack, diff)
		}
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func writeWorkbook(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheetXML wraps sheet data in a worksheet part.
func sheetXML(data string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">` +
		`<dimension ref="A1"/><sheetData>` + data + `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
}

// testSharedStrings is the shared-string table of workbookWithSheet: plain, rich and
// escaped items.
const testSharedStrings = `<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">` +
	`<si><t>zero</t></si><si><t xml:space="preserve"> one &amp; </t></si>` +
	`<si><r><rPr><b/></rPr><t>t</t></r><r><t>wo</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si><si><t>_x0033_</t></si></sst>`

var templateWorkbook []byte

// workbookWithSheet is a workbook whose first sheet's part is the XML given, with the
// test shared strings.
func workbookWithSheet(t testing.TB, sheet string) []byte {
	t.Helper()
	if templateWorkbook == nil {
		f := excelize.NewFile()
		must(t, f.SetCellValue("Sheet1", "A1", "template"))
		templateWorkbook = writeWorkbook(t, f)
		f.Close()
	}
	zr, err := zip.NewReader(bytes.NewReader(templateWorkbook), int64(len(templateWorkbook)))
	must(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, b []byte) {
		w, err := zw.Create(name)
		must(t, err)
		_, err = w.Write(b)
		must(t, err)
	}
	for _, zf := range zr.File {
		switch zf.Name {
		case "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml":
			continue
		}
		rc, err := zf.Open()
		must(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		must(t, err)
		put(zf.Name, b)
	}
	put("xl/worksheets/sheet1.xml", []byte(sheet))
	put("xl/sharedStrings.xml", []byte(testSharedStrings))
	must(t, zw.Close())
	return buf.Bytes()
}

// TestSheetRowsRandomSheets builds thousands of sheets from the pieces sheet XML is made
// of, in orders and combinations no program would write, and holds the reader to
// excelize's wherever it reads without an error.
func TestSheetRowsRandomSheets(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	texts := []string{"a", "", " ", "x &amp; y", "&#x41;", "_x0041_", "_x005F_", "Ķ", "1.5", " 2 ", "a<!--c-->b", "\r\n", "&lt;t&gt;", "0", "3", "9"}
	value := func() string {
		switch rng.IntN(8) {
		case 0:
			return ""
		case 1:
			return "<v/>"
		case 2:
			return "<f>SUM(A1)</f>" + pick("", "<v>"+pick(texts...)+"</v>")
		case 3:
			return "<is>" + pick("<t>"+pick(texts...)+"</t>", "<r><t>"+pick(texts...)+"</t></r><r><rPr/><t>"+pick(texts...)+"</t></r>", "<t/>", "") + "</is>"
		case 4:
			return "<f/>"
		default:
			return "<v>" + pick(texts...) + "</v>"
		}
	}
	var mismatches, direct int
	for i := range 3000 {
		var b strings.Builder
		row := 0
		for range rng.IntN(6) {
			row += rng.IntN(3)
			attr := ""
			switch rng.IntN(4) {
			case 0:
			case 1:
				attr = fmt.Sprintf(` r="%d"`, row+1)
			default:
				attr = fmt.Sprintf(` r="%d" spans="1:5"`, row+1)
			}
			row++
			if rng.IntN(10) == 0 {
				b.WriteString("<row" + attr + "/>")
				continue
			}
			b.WriteString("<row" + attr + ">")
			col := 0
			for range rng.IntN(6) {
				col += 1 + rng.IntN(3)
				ref := ""
				if rng.IntN(4) > 0 {
					name, _ := excelize.CoordinatesToCellName(col, row)
					ref = ` r="` + name + `"`
				}
				typ := pick("", ` t="s"`, ` t="str"`, ` t="inlineStr"`, ` t="n"`, ` t="b"`, ` t="e"`, ` t='str'`)
				style := pick("", ` s="2"`)
				if v := value(); v == "" && rng.IntN(2) == 0 {
					b.WriteString("<c" + ref + typ + style + "/>")
				} else {
					b.WriteString("<c" + ref + style + typ + ">" + v + "</c>")
				}
			}
			b.WriteString("</row>")
		}
		data := workbookWithSheet(t, sheetXML(b.String()))
		fast, slow := readBoth(t, data)
		got := fast["Sheet1"]
		if got.err != nil {
			if slow["Sheet1"].err == nil && !strings.Contains(got.err.Error(), "shared string") {
				t.Errorf("case %d: %v where excelize reads it\n%s", i, got.err, b.String())
			}
			continue
		}
		if !got.fellBack {
			direct++
		}
		if diff := sameRows(got, slow["Sheet1"]); diff != "" {
			if mismatches++; mismatches < 5 {
				t.Errorf("case %d: %s\n%s", i, diff, b.String())
			}
		}
	}
	// Otherwise the test would hold excelize to itself.
	if direct < 2000 {
		t.Errorf("only %d of 3,000 sheets read directly", direct)
	}
	t.Logf("%d of 3,000 sheets read directly", direct)
}
