package inventory

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWriteTestdata regenerates the workbooks in testdata/ that excelize writes:
//
//	CRITREG_WRITE_TESTDATA=1 go test ./inventory -run TestWriteTestdata
func TestWriteTestdata(t *testing.T) {
	if os.Getenv("CRITREG_WRITE_TESTDATA") != "1" {
		t.Skip("set CRITREG_WRITE_TESTDATA=1 to regenerate testdata/")
	}
	messy := messyWorkbook(t)
	for name, b := range map[string][]byte{
		"messy-operator.xlsx": messy,
		"problems.xlsx":       problemsWorkbook(t),
		"not-a-workbook.xlsx": []byte("Tīkls;Kritiskā daļa;Veids\nMobile 5G;4.1;iekārta\n"),
		"truncated.xlsx":      messy[:len(messy)/2],
		"password.xlsx":       encrypted(messy)(t),
	} {
		if err := os.WriteFile(filepath.Join("testdata", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func saveBook(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func setRows(t testing.TB, f *excelize.File, sheet string, first int, rows [][]any) {
	t.Helper()
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, first+i)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
}

// messyWorkbook is an operator's own layout: a title block above the header, Latvian
// headers with odd spacing and units, a sheet that is not a list, merged network cells,
// formulas with cached values, dates as serials, dd.mm.yyyy and ISO, countries and kinds
// in both languages, annex-6 parts by code, short name and Latvian name, and a part the
// operator declared itself.
func messyWorkbook(t testing.TB) []byte {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Lasi mani"))
	must(f.SetCellValue("Lasi mani", "A1", "Šis fails ir iekšējai lietošanai. Saraksts ir lapā 'Inventārs'."))
	_, err := f.NewSheet("Inventārs")
	must(err)
	sh := "Inventārs"
	setRows(t, f, sh, 1, [][]any{
		{"SIA LMT — kritiskās infrastruktūras saraksts"},
		{"Sagatavots: 01.03.2026", nil, "Atbildīgais: A. Bērziņa"},
		nil,
		{"Nr.", "TĪKLS", "Kritiskā daļa", "Veids\u00a0", " Nosaukums ", "Ražotājs", "Ražotāja valsts", "Modelis", "Programmatūras versija",
			"Sērijas numurs", "Daudzums, gab.", "Atrašanās vieta", "Izcelsmes valsts", "Izplatītājs", "Ārpakalpojuma sniedzējs", "Ekspluatācijā kopš"},
		{1, "Mobile 5G", "AMF", "iekārta", "AMF klasteris", "Ericsson AB", "Zviedrija", "UNC 22", "22.3.1", "SE-001", 2, "Rīga DC1", "SE", nil, nil, 45047},
		{2, nil, "4.3", "PROGRAMMATŪRA", "UDM", "nokia solutions and networks", "Somija", "UDM", "5.1", nil, 3.0, "Rīga\u00a0 DC1", "Finland", "Baltic Integrator SIA", nil, "15.03.2022"},
		{3, nil, "Piekļuves un mobilo sakaru pārvaldības funkcija", " Equipment ", "AMF edge", "formula", "SE", "UNC 22", nil, "SE-002", "formula", "Liepāja", "Ķīna", nil, nil, "2024-01-31"},
		nil,
		{4, "mobile 4g", "2.2", "IEKĀRTA", "HSS", "HUAWEI TECHNOLOGIES CO., LTD.", "Ķīna", "HSS9860", nil, nil, 1, nil, "cn"},
		{5, "IP core", "dns-res", "ārpakalpojums", "DNS operations", nil, nil, nil, nil, nil, nil, nil, "Zviedrija", nil, "Netnod AB", "01.06.2020"},
	})
	must(f.MergeCell(sh, "A1", "H1"))
	must(f.MergeCell(sh, "B5", "B7"))
	// Formulas with the values Excel cached for them; excelize writes no cached values, so
	// the cells are rewritten as Excel leaves them.
	return rewritePart(t, saveBook(t, f), "xl/worksheets/sheet2.xml", func(s string) string {
		s = cachedFormula(s, "F7", "F5", "str", "Ericsson AB")
		return cachedFormula(s, "K7", "K5-1", "", "1")
	})
}

// cachedFormula turns a placeholder cell of a sheet's XML into a formula with a cached value.
func cachedFormula(sheetXML, cell, formula, typ, value string) string {
	t := ""
	if typ != "" {
		t = ` t="` + typ + `"`
	}
	re := regexp.MustCompile(`<c r="` + cell + `"([^>]*?)(?: t="\w+")?>.*?</c>`)
	return re.ReplaceAllString(sheetXML, `<c r="`+cell+`"$1`+t+`><f>`+formula+`</f><v>`+value+`</v></c>`)
}

// problemsWorkbook has one mistake per row, and a formula error of each common kind.
func problemsWorkbook(t testing.TB) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	setRows(t, f, sh, 1, [][]any{
		{"ID", "Network", "Critical part", "Kind", "Name", "Model", "Manufacturer country", "Quantity", "In service since", "Outsourcing provider"},
		{nil, "Mobile 6G", "4.1", "equipment", "AMF", nil, nil, nil, nil, nil},
		{nil, "Mobile 5G", "9.9", "equipment", "AMF", nil, nil, nil, nil, nil},
		{nil, "Mobile 5G", "DNS-RES", "equipment", "resolver", nil, nil, nil, nil, nil},
		{nil, "Mobile 5G", "4.1", "hardware-ish", "AMF", nil, nil, nil, nil, nil},
		{nil, "Mobile 5G", "4.1", "equipment", "AMF", nil, "Atlantis", nil, nil, nil},
		{nil, "Mobile 5G", "4.1", "equipment", "AMF", nil, nil, nil, "31.02.2023", nil},
		{nil, "Mobile 5G", "4.1", "equipment", "AMF", nil, nil, "two", nil, nil},
		{nil, "Mobile 5G", "4.1", "equipment", "AMF", nil, nil, 0, nil, nil},
		{nil, "Mobile 5G", "4.1", "equipment", nil, nil, nil, nil, nil, nil},
		{nil, "Mobile 5G", "4.1", "outsourcing", "NOC", nil, nil, nil, nil, nil},
		{999999, "Mobile 5G", "4.1", "equipment", "AMF", nil, nil, nil, nil, nil},
		{nil, "Mobile 5G", "4.1", "equipment", "AMF", nil, nil, "DIV0", nil, nil},
		{nil, "Mobile 5G", "4.1", "equipment", "REF", nil, nil, nil, nil, nil},
	})
	b := saveBook(t, f)
	// Excel stores a failed formula as t="e" with the error as its cached value; excelize
	// writes no cached values, so the two cells are rewritten as Excel leaves them.
	return rewritePart(t, b, "xl/worksheets/sheet1.xml", func(s string) string {
		s = regexp.MustCompile(`<c r="H13"([^>]*?)( t="\w+")?><v>[^<]*</v></c>`).ReplaceAllString(s, `<c r="H13"$1 t="e"><f>1/0</f><v>#DIV/0!</v></c>`)
		return regexp.MustCompile(`<c r="E14"([^>]*?)( t="\w+")?><v>[^<]*</v></c>`).ReplaceAllString(s, `<c r="E14"$1 t="e"><f>#REF!A1</f><v>#REF!</v></c>`)
	})
}

// rewritePart rewrites one part of a zip package.
func rewritePart(t testing.TB, b []byte, part string, fn func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			data = []byte(fn(string(data)))
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
