package inventory

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"critreg/access"
	"critreg/errkind"
)

// ImportOptions says how to import a workbook.
type ImportOptions struct {
	// DryRun reports what would change and writes nothing.
	DryRun bool
	// Sync makes the file the whole list of the networks it names: items of those
	// networks that no row matches are removed.
	Sync bool
	// FileName is recorded with every imported item ("file NAME row N").
	FileName string
	// Progress, when set, is called now and then with the rows done out of an estimate of
	// the total: each data row counts once when read and, in a commit, once when written.
	// Calls never overlap, but may come from another goroutine, and in a commit while its
	// transaction holds the database's writer: Progress must not write to the database.
	Progress func(done, total int)
	// MaxRows bounds the data rows (DefaultMaxRows when zero).
	MaxRows int
	// MaxUnzipped bounds the inflated size of the workbook (DefaultMaxUnzipped when zero).
	MaxUnzipped int64

	// rowByRow commits through CreateItemTx and its kin one change at a time: the reference
	// the bulk commit is tested against.
	rowByRow bool
	// streamRows is how many rows go to the commit's writer at a time (bulkRows when zero);
	// tests make it small to have small files written while read.
	streamRows int
}

// ImportProblem is one thing wrong with an imported workbook, located as Excel shows it.
// Problems with the file as a whole have no sheet or row.
type ImportProblem struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Header  string `json:"header,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// String locates the problem as a person reads it: "Items row 12 column C (Critical part): \"9.9\" is …".
func (p ImportProblem) String() string {
	var b strings.Builder
	if p.Sheet != "" {
		fmt.Fprintf(&b, "%s", p.Sheet)
		if p.Row > 0 {
			fmt.Fprintf(&b, " row %d", p.Row)
		}
		if p.Column != "" {
			fmt.Fprintf(&b, " column %s", p.Column)
			if p.Header != "" {
				fmt.Fprintf(&b, " (%s)", p.Header)
			}
		}
		b.WriteString(": ")
	}
	if p.Value != "" {
		fmt.Fprintf(&b, "%q ", p.Value)
	}
	b.WriteString(p.Message)
	return b.String()
}

// FieldChange is one field of an item that an import changes.
type FieldChange struct {
	Field Field  `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// ImportChange is one item an import adds, updates or removes.
type ImportChange struct {
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`
	ItemID int64  `json:"item_id,omitempty"`
	// Item is the added item, or the removed one.
	Item *ItemInput `json:"item,omitempty"`
	// Fields are the changes of an updated item.
	Fields []FieldChange `json:"fields,omitempty"`
}

// ImportColumn is how one column of the file was understood.
type ImportColumn struct {
	Sheet  string `json:"sheet"`
	Column string `json:"column"`
	Header string `json:"header"`
	Field  Field  `json:"field"`
}

// ImportResult is what an import found, and did or would do.
type ImportResult struct {
	Operator  string `json:"operator"`
	FileName  string `json:"file_name"`
	DryRun    bool   `json:"dry_run"`
	Sync      bool   `json:"sync"`
	Committed bool   `json:"committed"`
	// Sheets are the sheets read as item lists; Skipped those without an items header.
	Sheets    []string        `json:"sheets"`
	Skipped   []string        `json:"skipped_sheets,omitempty"`
	Columns   []ImportColumn  `json:"columns"`
	Rows      int             `json:"rows"`
	Added     []ImportChange  `json:"added"`
	Updated   []ImportChange  `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Removed   []ImportChange  `json:"removed"`
	Problems  []ImportProblem `json:"problems"`
	// MoreProblems counts problems found beyond those listed.
	MoreProblems int `json:"more_problems,omitempty"`
}

// ImportError is an import refused for problems in the file; nothing was written. It
// unwraps to an *errkind.ValidationError naming each problem's cell.
type ImportError struct {
	Problems []ImportProblem
	More     int
}

func (e *ImportError) Error() string {
	n := len(e.Problems) + e.More
	if n == 1 {
		return "import refused: " + e.Problems[0].String()
	}
	return fmt.Sprintf("import refused: %d problems, the first: %s", n, e.Problems[0])
}

// Unwrap presents the problems as field errors, the field being the cell.
func (e *ImportError) Unwrap() error {
	v := &errkind.ValidationError{}
	for _, p := range e.Problems {
		field := "file"
		if p.Sheet != "" {
			field = fmt.Sprintf("%s!%s%d", p.Sheet, p.Column, p.Row)
		}
		msg := p.Message
		if p.Value != "" {
			msg = fmt.Sprintf("%q %s", p.Value, p.Message)
		}
		v.Add(field, "%s", msg)
	}
	return v
}

// problems collects what is wrong, up to maxProblems.
type problems struct {
	list []ImportProblem
	more int
}

func (ps *problems) add(p ImportProblem) {
	if len(ps.list) >= maxProblems {
		ps.more++
		return
	}
	ps.list = append(ps.list, p)
}

func (ps *problems) any() bool { return len(ps.list) > 0 }

func (ps *problems) err() error {
	if !ps.any() {
		return nil
	}
	return &ImportError{Problems: ps.list, More: ps.more}
}

// Import reads an annex-7 workbook, or an operator's own layout of one, into the list of
// operator operatorCode. It validates the whole file first and reports every problem; while
// any remains it writes nothing and returns an *ImportError beside the result. A dry run
// returns what would change. A commit writes every change in one transaction, with the
// audit records, or nothing.
func (s *Store) Import(ctx context.Context, a access.Actor, operatorCode string, r io.ReaderAt, size int64, opt ImportOptions) (ImportResult, error) {
	res := ImportResult{Operator: strings.ToUpper(operatorCode), FileName: opt.FileName, DryRun: opt.DryRun, Sync: opt.Sync,
		Added: []ImportChange{}, Updated: []ImportChange{}, Removed: []ImportChange{}, Problems: []ImportProblem{}, Sheets: []string{}, Columns: []ImportColumn{}}
	if opt.MaxRows <= 0 {
		opt.MaxRows = DefaultMaxRows
	}
	if opt.MaxUnzipped <= 0 {
		opt.MaxUnzipped = DefaultMaxUnzipped
	}
	if opt.FileName == "" {
		opt.FileName = "upload.xlsx"
	}
	res.FileName = opt.FileName
	reg, err := s.loadRegister(ctx, a, operatorCode)
	if err != nil {
		return res, err
	}
	res.Operator = reg.op.Code
	if !opt.DryRun && !a.KeepsInventory(reg.op.ID) {
		return res, errkind.Forbidden("only the operator's own users change its list")
	}
	saved, err := s.savedMapping(ctx, s.db.Read, reg.op.ID)
	if err != nil {
		return res, err
	}
	var ps problems
	f, zr, p := openWorkbook(r, size, opt.MaxUnzipped)
	if p != nil {
		ps.add(*p)
		res.Problems = ps.list
		return res, ps.err()
	}
	defer f.Close()
	rd := &reader{s: s, reg: reg, saved: saved, opt: opt, ps: &ps, res: &res, zr: zr, parts: sheetParts(zr)}
	if !opt.DryRun && !opt.rowByRow {
		// A commit writes its new items while the file is still read; any return before
		// the commit undoes them.
		rd.pipe = s.newPipeline(ctx, a, reg, opt, &ps)
		defer rd.pipe.abandon()
	}
	for _, sheet := range f.GetSheetList() {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := rd.readSheet(f, sheet); err != nil {
			return res, err
		}
		if rd.tooMany {
			break
		}
	}
	if len(res.Sheets) == 0 && !ps.any() {
		ps.add(fileProblem("no sheet has a header row naming the critical part and at least two other known columns (network, kind, name, model, manufacturer…); sheets found: %s",
			strings.Join(f.GetSheetList(), ", ")))
	}
	res.Rows = len(rd.rows)
	plan := s.plan(reg, rd.rows, rd.networksNamed, opt.Sync, &ps)
	if ps.any() {
		res.Problems, res.MoreProblems = ps.list, ps.more
		return res, ps.err()
	}
	plan.fill(&res)
	if opt.DryRun {
		return res, nil
	}
	if err := s.commitPlan(ctx, a, reg, plan, opt, rd.estimate, &ps, rd.pipe); err != nil {
		if ps.any() {
			res.Problems, res.MoreProblems = ps.list, ps.more
			return res, ps.err()
		}
		return res, err
	}
	res.Committed = true
	return res, nil
}

// reader turns the sheets of a workbook into parsed rows.
type reader struct {
	s     *Store
	reg   *register
	saved map[string]Field
	opt   ImportOptions
	ps    *problems
	res   *ImportResult
	zr    *zip.Reader
	parts map[string]string

	// sst is the workbook's shared strings, read once for every sheet; an error leaves
	// the sheets to excelize's reader.
	sst     []string
	sstRead bool
	sstErr  error

	// pipe, in a commit, writes new items while the file is read.
	pipe *pipeline

	rows          []*fileRow
	networksNamed map[int64]bool
	estimate      int
	done          int
	tooMany       bool
}

// headerSearchRows is how far below the top the header row may sit (under a title block).
const headerSearchRows = 30

func (rd *reader) readSheet(f *excelize.File, sheet string) error {
	rows, err := rd.openSheetRows(f, sheet)
	if err != nil {
		rd.ps.add(ImportProblem{Sheet: sheet, Message: fmt.Sprintf("the sheet cannot be read: %v", err)})
		return nil
	}
	defer rows.Close()
	var cols []column
	headerRow := 0
	for n := 1; n <= headerSearchRows && rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			rd.ps.add(ImportProblem{Sheet: sheet, Message: fmt.Sprintf("the sheet cannot be read: %v", err)})
			return nil
		}
		c, dup, ok := findHeader(cells, rd.saved)
		if ok {
			cols, headerRow = c, n
			for _, d := range dup {
				rd.ps.add(ImportProblem{Sheet: sheet, Row: headerRow, Column: d.Letter, Header: d.Header,
					Message: fmt.Sprintf("a second column for %s: map one of them to another field or to ignore", d.Field)})
			}
			break
		}
	}
	if cols == nil {
		rd.res.Skipped = append(rd.res.Skipped, sheet)
		return rows.Error()
	}
	rd.res.Sheets = append(rd.res.Sheets, sheet)
	for _, c := range cols {
		rd.res.Columns = append(rd.res.Columns, ImportColumn{Sheet: sheet, Column: c.Letter, Header: c.Header, Field: c.Field})
	}
	var layout sheetLayout
	if part := rd.parts[sheet]; part != "" {
		layout = scanLayout(rd.zr, part, rd.opt.MaxUnzipped)
	}
	if layout.lastRow > headerRow {
		rd.estimate += layout.lastRow - headerRow
	}
	sh := newSheetReader(rd, sheet, cols, headerRow, layout.merges)
	if !sh.hasNetwork && len(rd.reg.networks) != 1 {
		rd.ps.add(ImportProblem{Sheet: sheet, Row: headerRow, Message: fmt.Sprintf(
			"no network column (Tīkls / Network), and operator %s has %d networks: add the column naming each row's network", rd.reg.op.Code, len(rd.reg.networks))})
	}
	for n := headerRow + 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			rd.ps.add(ImportProblem{Sheet: sheet, Message: fmt.Sprintf("the sheet cannot be read past row %d: %v", n-1, err)})
			return nil
		}
		if len(rd.rows) >= rd.opt.MaxRows {
			rd.ps.add(ImportProblem{Sheet: sheet, Row: n, Message: fmt.Sprintf("the file has more than %d data rows, the most one import takes: split it", rd.opt.MaxRows)})
			rd.tooMany = true
			return nil
		}
		if fr := sh.row(n, cells); fr != nil {
			rd.rows = append(rd.rows, fr)
			if rd.pipe != nil {
				rd.pipe.offer(fr)
			}
			rd.done++
			if rd.opt.Progress != nil && rd.done%1000 == 0 {
				rd.opt.Progress(rd.done+rd.pipe.writtenRows(), rd.total())
			}
		}
	}
	if err := rows.Error(); err != nil {
		rd.ps.add(ImportProblem{Sheet: sheet, Message: fmt.Sprintf("the sheet cannot be read: %v", err)})
	}
	return nil
}

// total is the progress estimate: the rows to read, and in a commit to write again.
func (rd *reader) total() int {
	t := max(rd.estimate, rd.done)
	if !rd.opt.DryRun {
		t *= 2
	}
	return t
}
