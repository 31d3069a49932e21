package inventory

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits on an imported workbook. A workbook is a zip of XML parts: a small upload can
// inflate to gigabytes (a zip bomb), so the inflated size is bounded as well as the rows.
const (
	// DefaultMaxUnzipped bounds the inflated size of the whole workbook. A 200,000-row
	// sheet of the annex-7 layout inflates to about 120 MB.
	DefaultMaxUnzipped = 256 << 20
	// maxUnzippedXML is the part size above which excelize spills a sheet to a temporary
	// file instead of holding it in memory.
	maxUnzippedXML = 16 << 20
	// DefaultMaxRows bounds the data rows of one import.
	DefaultMaxRows = 200_000
	// maxProblems bounds the problems reported, so a file of garbage cannot exhaust memory.
	maxProblems = 5000
)

var oleHeader = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// fileProblem is a problem with the workbook as a whole.
func fileProblem(format string, a ...any) ImportProblem {
	return ImportProblem{Message: fmt.Sprintf(format, a...)}
}

// openWorkbook checks the file and opens it with explicit unzip limits. Every refusal is a
// problem a person can act on.
func openWorkbook(r io.ReaderAt, size int64, maxUnzipped int64) (*excelize.File, *zip.Reader, *ImportProblem) {
	head := make([]byte, 8)
	if size < 8 {
		p := fileProblem("the file is empty or too short to be a workbook")
		return nil, nil, &p
	}
	if _, err := r.ReadAt(head, 0); err != nil {
		p := fileProblem("the file cannot be read: %v", err)
		return nil, nil, &p
	}
	if bytes.Equal(head, oleHeader) {
		p := fileProblem("the workbook is password-protected (encrypted) or in the old .xls format: save it as an .xlsx workbook without a password and import that")
		if !oleEncrypted(r, size) {
			p = fileProblem("the file is an old-format .xls workbook: save it as .xlsx and import that")
		}
		return nil, nil, &p
	}
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		p := fileProblem("the file is not an Excel workbook (.xlsx)")
		return nil, nil, &p
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		p := fileProblem("the file is not a readable .xlsx workbook (damaged or cut short): %v", err)
		return nil, nil, &p
	}
	// Declared sizes are checked here; archive/zip refuses to inflate a part past its
	// declared size, so a lying header cannot get round the limit.
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(maxUnzipped) {
			p := fileProblem("the workbook inflates to more than %d MB: it is too large to import, or a zip bomb", maxUnzipped>>20)
			return nil, nil, &p
		}
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: min(maxUnzippedXML, maxUnzipped), RawCellValue: true,
	})
	if err != nil {
		p := fileProblem("the file is not a readable .xlsx workbook: %v", err)
		if strings.Contains(err.Error(), "unzip size") {
			p = fileProblem("the workbook inflates to more than %d MB: it is too large to import, or a zip bomb", maxUnzipped>>20)
		}
		return nil, nil, &p
	}
	return f, zr, nil
}

// oleEncrypted reports whether an OLE compound file holds an encrypted OOXML package (its
// directory names the EncryptionInfo stream) rather than an old .xls workbook.
func oleEncrypted(r io.ReaderAt, size int64) bool {
	name := []byte{}
	for _, c := range "EncryptionInfo" {
		name = append(name, byte(c), 0)
	}
	b, _ := io.ReadAll(io.NewSectionReader(r, 0, min(size, 64<<20)))
	return bytes.Contains(b, name)
}

// sheetLayout is what the streaming reader does not give: the sheet's merged ranges and
// the row count its dimension declares.
type sheetLayout struct {
	merges  []mergeRange
	lastRow int
}

// mergeRange is a merged block of cells, 0-based columns and 1-based rows as Excel shows.
type mergeRange struct {
	col1, row1, col2, row2 int
}

// sheetParts maps sheet names to their parts in the package, from the workbook and its
// relationships.
func sheetParts(zr *zip.Reader) map[string]string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if readPart(zr, "xl/workbook.xml", &wb) != nil || readPart(zr, "xl/_rels/workbook.xml.rels", &rels) != nil {
		return nil
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[s.Name] = target[s.RID]
	}
	return out
}

func readPart(zr *zip.Reader, name string, v any) error {
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, name) {
			rc, err := f.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			return xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v)
		}
	}
	return errors.New("no part " + name)
}

// scanLayout reads a sheet's part once, without parsing its XML, for the merged ranges
// (after the cell data) and the dimension (before it). Searching bytes is an order of
// magnitude cheaper than decoding the sheet a second time.
func scanLayout(zr *zip.Reader, part string, maxUnzipped int64) sheetLayout {
	var out sheetLayout
	var zf *zip.File
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, part) {
			zf = f
		}
	}
	if zf == nil {
		return out
	}
	rc, err := zf.Open()
	if err != nil {
		return out
	}
	defer rc.Close()
	src := io.LimitReader(rc, maxUnzipped)
	const overlap = 512
	buf := make([]byte, 0, 256<<10+overlap)
	first := true
	for {
		n, err := io.ReadFull(src, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		eof := err != nil
		if first {
			if i := bytes.Index(buf, []byte("dimension ref=\"")); i >= 0 {
				if ref, ok := attrValue(buf[i+len("dimension "):]); ok {
					if _, r2, ok := splitRef(ref); ok {
						out.lastRow = r2
					}
				}
			}
			first = false
		}
		limit := len(buf)
		if !eof {
			limit -= overlap
		}
		for off := 0; off < limit; {
			i := bytes.Index(buf[off:], []byte("mergeCell "))
			if i < 0 || off+i >= limit {
				break
			}
			off += i + len("mergeCell ")
			j := bytes.Index(buf[off:], []byte("ref=\""))
			if j < 0 || j > 64 {
				continue
			}
			if ref, ok := attrValue(buf[off+j:]); ok {
				if m, ok := parseRange(ref); ok {
					out.merges = append(out.merges, m)
				}
			}
		}
		if eof {
			return out
		}
		copy(buf, buf[limit:])
		buf = buf[:len(buf)-limit]
	}
}

// attrValue reads the value of `ref="…"` at the start of b.
func attrValue(b []byte) (string, bool) {
	i := bytes.IndexByte(b, '"')
	if i < 0 {
		return "", false
	}
	j := bytes.IndexByte(b[i+1:], '"')
	if j < 0 || j > 40 {
		return "", false
	}
	return string(b[i+1 : i+1+j]), true
}

func parseRange(ref string) (mergeRange, bool) {
	a, b, ok := strings.Cut(ref, ":")
	if !ok {
		return mergeRange{}, false
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(a)
	c2, r2, err2 := excelize.CellNameToCoordinates(b)
	if err1 != nil || err2 != nil {
		return mergeRange{}, false
	}
	return mergeRange{col1: min(c1, c2) - 1, row1: min(r1, r2), col2: max(c1, c2) - 1, row2: max(r1, r2)}, true
}

// splitRef returns the last column and row of a dimension such as "A1:R1001" or "A1".
func splitRef(ref string) (int, int, bool) {
	if _, b, ok := strings.Cut(ref, ":"); ok {
		ref = b
	}
	c, r, err := excelize.CellNameToCoordinates(ref)
	return c, r, err == nil
}
