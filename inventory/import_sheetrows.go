package inventory

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// rowReader is what the import reads a sheet through: excelize's *Rows, or sheetRows.
type rowReader interface {
	Next() bool
	Columns(opts ...excelize.Options) ([]string, error)
	Error() error
	Close() error
}

// sheetRows reads a sheet's rows as excelize's Rows does with RawCellValue — the same row
// numbers, the same cells, the same values — but scans the sheet's XML itself. Decoding
// through encoding/xml took three quarters of an import's reading time; scanning bytes
// takes a fraction of it. It reads the layout every spreadsheet program writes (rows and
// cells in order; shared, inline and plain values; formulas; rich text) and, at the first
// thing it does not know — a namespace prefix, rows or cells out of order, a CDATA
// section — hands the sheet to excelize from the row it had reached, so every workbook
// excelize reads still imports the same. Unlike excelize, which stops without a word at
// malformed XML, it reports it. A differential test and a fuzz target hold the two
// readers to the same rows.
type sheetRows struct {
	f     *excelize.File
	sheet string
	sst   []string
	sc    *xmlScanner
	rc    io.ReadCloser

	seek, cur int // the row number asked for and that of the row element read ahead
	inData    bool
	done      bool
	cells     []string
	rowErr    error
	err       error
	slow      *excelize.Rows
	fellBack  bool

	val    []byte // scratch for decoded text
	intern map[string]string
}

// maxExcelRow is the last row a sheet can have.
const maxExcelRow = 1 << 20

// openSheetRows returns a reader for the sheet: sheetRows when the workbook's shared
// strings and the sheet's part can be read directly, else excelize's own.
func (rd *reader) openSheetRows(f *excelize.File, sheet string) (rowReader, error) {
	if zf := zipPart(rd.zr, rd.parts[sheet]); zf != nil && rd.sharedStrings() == nil {
		rc, err := zf.Open()
		if err == nil {
			src := io.LimitReader(rc, rd.opt.MaxUnzipped)
			return &sheetRows{f: f, sheet: sheet, sst: rd.sst, sc: newXMLScanner(src), rc: rc, intern: map[string]string{}}, nil
		}
	}
	return f.Rows(sheet)
}

// sharedStrings reads the workbook's shared strings once; errUnusual (or any error) leaves
// the reading to excelize.
func (rd *reader) sharedStrings() error {
	if !rd.sstRead {
		rd.sstRead = true
		rd.sst, rd.sstErr = readSharedStrings(rd.zr, rd.opt.MaxUnzipped)
	}
	return rd.sstErr
}

// zipPart finds a part by name as excelize does (any case, either slash); nil when there
// is none or more than one.
func zipPart(zr *zip.Reader, name string) *zip.File {
	if zr == nil || name == "" {
		return nil
	}
	var found *zip.File
	for _, f := range zr.File {
		if samePart(f, name) {
			if found != nil {
				return nil
			}
			found = f
		}
	}
	return found
}

// samePart reports whether f is the part name, as excelize matches parts.
func samePart(f *zip.File, name string) bool {
	return strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), name)
}

// readSharedStrings reads xl/sharedStrings.xml (none is an empty table).
func readSharedStrings(zr *zip.Reader, limit int64) ([]string, error) {
	const name = "xl/sharedStrings.xml"
	zf := zipPart(zr, name)
	if zf == nil {
		for _, f := range zr.File {
			if samePart(f, name) {
				return nil, errUnusual // more than one: excelize's choice is its own
			}
		}
		return nil, nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	r := &sheetRows{sc: newXMLScanner(io.LimitReader(rc, limit)), intern: map[string]string{}}
	var out []string
	depth := 0
	for {
		if err := r.sc.next(); err != nil {
			return nil, err
		}
		switch r.sc.kind {
		case tokenEOF:
			if depth > 0 {
				return nil, xmlError("the shared strings end inside an element")
			}
			return out, nil
		case tokenStart:
			if bytes.IndexByte(r.sc.name, ':') >= 0 {
				return nil, errUnusual
			}
			if depth == 1 && string(r.sc.name) == "si" {
				s, err := r.richText()
				if err != nil {
					return nil, err
				}
				out = append(out, s)
				continue
			}
			if !r.sc.selfClosing {
				depth++
			}
		case tokenEnd:
			depth--
		}
	}
}

// Next moves to the next row number, as excelize's Rows.Next does: a number between two
// row elements is an empty row.
func (r *sheetRows) Next() bool {
	r.seek++
	if r.slow != nil {
		return r.slow.Next()
	}
	if r.cur >= r.seek {
		return true
	}
	if r.done {
		return false
	}
	n, err := r.readRow()
	switch {
	case errors.Is(err, errUnusual):
		return r.fallBack()
	case err != nil:
		// The row number is unknown: the error belongs to the next row.
		r.cur, r.cells, r.rowErr, r.done = r.seek, nil, err, true
		return true
	case n == 0:
		r.done = true
		return false
	}
	r.cur = n
	return true
}

// Columns returns the cells of the current row.
func (r *sheetRows) Columns(opts ...excelize.Options) ([]string, error) {
	if r.slow != nil {
		return r.slow.Columns(opts...)
	}
	if r.cur > r.seek {
		return nil, nil
	}
	if r.rowErr != nil {
		r.err = r.rowErr
		return nil, r.rowErr
	}
	return r.cells, nil
}

func (r *sheetRows) Error() error {
	if r.slow != nil {
		return r.slow.Error()
	}
	return r.err
}

func (r *sheetRows) Close() error {
	var err error
	if r.slow != nil {
		err = r.slow.Close()
	}
	if r.rc != nil {
		r.rc.Close()
		r.rc = nil
	}
	return err
}

// fallBack hands the sheet to excelize, which reads again to the row asked for.
func (r *sheetRows) fallBack() bool {
	r.fellBack = true
	r.Close()
	slow, err := r.f.Rows(r.sheet)
	if err != nil {
		r.err, r.done = err, true
		return false
	}
	r.slow = slow
	// The import asks for every row's cells, and excelize's Columns moves its reading on
	// as Next does not: the replay asks as the import did.
	for i := 1; i < r.seek && slow.Next(); i++ {
		_, _ = slow.Columns()
	}
	return slow.Next()
}

// readRow reads the next row element: its number and cells, or 0 at the end of the data.
func (r *sheetRows) readRow() (int, error) {
	sc := r.sc
	if !r.inData {
		if err := r.findData(); err != nil || r.done {
			return 0, err
		}
	}
	for {
		if err := sc.next(); err != nil {
			return 0, err
		}
		switch sc.kind {
		case tokenEOF:
			return 0, xmlError("the sheet ends inside its data")
		case tokenEnd:
			if string(sc.name) != "sheetData" {
				return 0, xmlError("</%s> where </sheetData> belongs", sc.name)
			}
			return 0, nil
		case tokenStart:
			if string(sc.name) != "row" {
				if r.cur == 0 {
					return 0, errUnusual
				}
				// excelize would take the cells in it for the row before, already read.
				return 0, fmt.Errorf("<%s> between the sheet's rows", sc.name)
			}
			n, err := r.rowNumber()
			if err != nil {
				return 0, err
			}
			r.cells = nil
			if sc.selfClosing {
				return n, nil
			}
			return n, r.readCells()
		}
	}
}

// findData skips to the sheet's <sheetData>.
func (r *sheetRows) findData() error {
	sc := r.sc
	root := true
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch sc.kind {
		case tokenEOF:
			r.done = true
			return nil
		case tokenStart:
			prefixed := bytes.IndexByte(sc.name, ':') >= 0
			if root && prefixed {
				return errUnusual
			}
			root = false
			local := sc.name[bytes.IndexByte(sc.name, ':')+1:]
			if string(local) == "sheetData" {
				if prefixed {
					return errUnusual
				}
				if sc.selfClosing {
					r.done = true
					return nil
				}
				r.inData = true
				return nil
			}
		}
	}
}

// rowNumber reads a row's r attribute. Rows must come in order: excelize would fold a row
// that goes back into the one before it, so a sheet whose rows do is refused as broken
// rather than handed to excelize after that row has been read.
func (r *sheetRows) rowNumber() (int, error) {
	ref, err := r.attr("r", false)
	if err != nil {
		return 0, err
	}
	if ref == nil {
		return r.cur + 1, nil
	}
	n, err := strconv.Atoi(string(ref))
	switch {
	case err != nil:
		return 0, errUnusual
	case n == 0:
		return r.cur + 1, nil
	case n <= r.cur:
		return 0, fmt.Errorf("row %d comes after row %d: the sheet's rows are out of order", n, r.cur)
	case n > maxExcelRow:
		return 0, fmt.Errorf("row %d is past the last row a sheet can have", n)
	}
	return n, nil
}

// attr finds an attribute of the current start tag by its local name; with another
// prefix, or twice, it is left to excelize. With number, its value must be an integer.
func (r *sheetRows) attr(name string, number bool) ([]byte, error) {
	it := attrIter{b: r.sc.attrs}
	var found []byte
	for {
		n, v, ok, err := it.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return found, nil
		}
		local := n[bytes.IndexByte(n, ':')+1:]
		if string(local) != name {
			continue
		}
		if len(local) != len(n) || found != nil || bytes.ContainsAny(v, "&<") {
			return nil, errUnusual
		}
		if number {
			if _, ok := plainNumber(bytes.TrimPrefix(v, []byte("-"))); !ok {
				return nil, errUnusual
			}
		}
		found = v
	}
}

// plainNumber parses digits without sign or spaces, up to nine of them.
func plainNumber(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// cellColumn reads the column of a cell reference such as "AB12" (1-based).
func cellColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A') + 1
		i++
	}
	if i == 0 || i > 3 || col > 16384 {
		return 0, false
	}
	if n, ok := plainNumber(ref[i:]); !ok || n == 0 || ref[i] == '0' {
		return 0, false
	}
	return col, true
}

// readCells reads the cells of a row up to its end tag.
func (r *sheetRows) readCells() error {
	sc := r.sc
	col := 0
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch sc.kind {
		case tokenEOF:
			return xmlError("the sheet ends inside a row")
		case tokenEnd:
			if string(sc.name) != "row" {
				return xmlError("</%s> where </row> belongs", sc.name)
			}
			return nil
		case tokenStart:
			if string(sc.name) != "c" {
				return errUnusual
			}
			ref, err := r.attr("r", false)
			if err != nil {
				return err
			}
			typ, err := r.attr("t", false)
			if err != nil {
				return err
			}
			if _, err := r.attr("s", true); err != nil {
				return err
			}
			next := col + 1
			if ref != nil {
				c, ok := cellColumn(ref)
				if !ok || c <= col {
					return errUnusual
				}
				next = c
			}
			col = next
			val, formula, err := r.cellValue(string(typ))
			if err != nil {
				return err
			}
			if val != "" || formula {
				for len(r.cells) < col-1 {
					r.cells = append(r.cells, "")
				}
				r.cells = append(r.cells, val)
			}
		}
	}
}

// cellValue reads a cell's children and returns its value as excelize's raw value: the
// shared string, the inline string, or the text of <v>.
func (r *sheetRows) cellValue(typ string) (string, bool, error) {
	sc := r.sc
	if sc.selfClosing {
		return "", false, nil
	}
	var v, inline string
	var hasV, hasInline, formula bool
	for {
		if err := sc.next(); err != nil {
			return "", false, err
		}
		switch sc.kind {
		case tokenEOF:
			return "", false, xmlError("the sheet ends inside a cell")
		case tokenEnd:
			if string(sc.name) != "c" {
				return "", false, xmlError("</%s> where </c> belongs", sc.name)
			}
			switch typ {
			case "s":
				if !hasV || v == "" {
					return "", formula, nil
				}
				i, ok := plainNumber([]byte(strings.TrimSpace(v)))
				if !ok {
					return "", false, errUnusual
				}
				if i >= len(r.sst) {
					return "", false, fmt.Errorf("a cell refers to shared string %d, which the workbook does not have", i)
				}
				return r.sst[i], formula, nil
			case "inlineStr":
				if hasInline {
					return inline, formula, nil
				}
			}
			return v, formula, nil
		case tokenStart:
			switch string(sc.name) {
			case "v":
				if hasV {
					return "", false, errUnusual
				}
				hasV = true
				t, err := r.text()
				if err != nil {
					return "", false, err
				}
				v = r.str(t)
			case "f":
				formula = true
				if err := r.skip(); err != nil {
					return "", false, err
				}
			case "is":
				if hasInline {
					return "", false, errUnusual
				}
				hasInline = true
				s, err := r.richText()
				if err != nil {
					return "", false, err
				}
				inline = s
			default:
				return "", false, errUnusual
			}
		}
	}
}

// richText reads a string item (<si> or <is>): its text and the text of its runs,
// phonetic runs left out, with the _xHHHH_ escapes decoded — excelize's xlsxSI.String.
func (r *sheetRows) richText() (string, error) {
	sc := r.sc
	if sc.selfClosing {
		return "", nil
	}
	var t []byte
	hasT := false
	var runs []byte
	for {
		if err := sc.next(); err != nil {
			return "", err
		}
		switch sc.kind {
		case tokenEOF:
			return "", xmlError("the part ends inside a string")
		case tokenEnd:
			out := append(t, runs...)
			if len(out) == 0 {
				return "", nil
			}
			return r.str(unescapeOOXML(out)), nil
		case tokenStart:
			if bytes.IndexByte(sc.name, ':') >= 0 {
				return "", errUnusual
			}
			switch string(sc.name) {
			case "t":
				if hasT {
					return "", errUnusual
				}
				hasT = true
				b, err := r.text()
				if err != nil {
					return "", err
				}
				t = append([]byte(nil), b...)
			case "r":
				if err := r.run(&runs); err != nil {
					return "", err
				}
			default:
				if err := r.skip(); err != nil {
					return "", err
				}
			}
		}
	}
}

// run reads a rich-text run, appending its text.
func (r *sheetRows) run(dst *[]byte) error {
	sc := r.sc
	if sc.selfClosing {
		return nil
	}
	hasT := false
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch sc.kind {
		case tokenEOF:
			return xmlError("the part ends inside a run")
		case tokenEnd:
			return nil
		case tokenStart:
			if bytes.IndexByte(sc.name, ':') >= 0 {
				return errUnusual
			}
			if string(sc.name) != "t" {
				if err := r.skip(); err != nil {
					return err
				}
				continue
			}
			if hasT {
				return errUnusual
			}
			hasT = true
			b, err := r.text()
			if err != nil {
				return err
			}
			*dst = append(*dst, b...)
		}
	}
}

// text reads the decoded text of the current element up to its end tag, into scratch
// valid until the next call. An element inside it is left to excelize.
func (r *sheetRows) text() ([]byte, error) {
	sc := r.sc
	r.val = r.val[:0]
	if sc.selfClosing {
		return r.val, nil
	}
	name := string(sc.name)
	for {
		if err := sc.next(); err != nil {
			return nil, err
		}
		switch sc.kind {
		case tokenEOF:
			return nil, xmlError("the part ends inside <%s>", name)
		case tokenStart:
			return nil, errUnusual
		case tokenEnd:
			if string(sc.name) != name {
				return nil, xmlError("</%s> where </%s> belongs", sc.name, name)
			}
			return r.val, nil
		case tokenText:
			var err error
			if r.val, err = appendText(r.val, sc.text); err != nil {
				return nil, err
			}
		}
	}
}

// skip passes over the current element and everything in it.
func (r *sheetRows) skip() error {
	sc := r.sc
	if sc.selfClosing {
		return nil
	}
	for depth := 1; depth > 0; {
		if err := sc.next(); err != nil {
			return err
		}
		switch sc.kind {
		case tokenEOF:
			return xmlError("the part ends inside an element")
		case tokenStart:
			if !sc.selfClosing {
				depth++
			}
		case tokenEnd:
			depth--
		}
	}
	return nil
}

// str makes a string of b, sharing one copy of each short value: an inventory repeats its
// networks, kinds, manufacturers and countries on every row.
func (r *sheetRows) str(b []byte) string {
	if len(b) > 32 {
		return string(b)
	}
	if s, ok := r.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(r.intern) < 8192 {
		r.intern[s] = s
	}
	return s
}

// unescapeOOXML decodes the _xHHHH_ escapes Office writes for characters XML cannot hold
// ("_x005F_" is a literal underscore), as excelize does: an escape of half a surrogate
// pair decodes to nothing.
func unescapeOOXML(b []byte) []byte {
	if !bytes.Contains(b, []byte("_x")) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if i+7 <= len(b) && b[i] == '_' && b[i+1] == 'x' && b[i+6] == '_' {
			if v, ok := hex4(b[i+2 : i+6]); ok {
				switch {
				case v == 0x5F:
					out = append(out, '_')
				case v >= 0xD800 && v <= 0xDFFF:
				default:
					out = utf8.AppendRune(out, rune(v))
				}
				i += 7
				continue
			}
		}
		out = append(out, b[i])
		i++
	}
	return out
}

func hex4(b []byte) (int, bool) {
	v := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}
