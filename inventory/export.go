package inventory

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"critreg/access"
)

// Sheet names of the annex-7 workbook. The importer finds the items by their header, not
// by these names, so a renamed sheet still imports.
const (
	SheetCover     = "Cover"
	SheetItems     = "Items"
	SheetSuppliers = "Suppliers"
	sheetLists     = "Lists"
)

// Export writes operator operatorCode's annex-7 list as a workbook: a cover sheet, the
// items (with their IDs, so that the file imports back onto the same items) and the
// suppliers they name. The items sheet is streamed, so the size of the list does not
// bound memory.
func (s *Store) Export(ctx context.Context, a access.Actor, operatorCode string, w io.Writer) error {
	// Cancelled on return, so that a failed write stops the reading of pages.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	op, err := s.Operator(ctx, a, operatorCode)
	if err != nil {
		return err
	}
	nets, _, err := s.Networks(ctx, a, NetworkFilter{Operator: op.Code}, Page{Limit: MaxLimit})
	if err != nil {
		return err
	}
	var count int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM items WHERE operator_id = ?`, op.ID).Scan(&count); err != nil {
		return fmt.Errorf("export %s: count items: %w", op.Code, err)
	}
	var custom []string
	for _, n := range nets {
		parts, err := s.customParts(ctx, s.db.Read, n.ID)
		if err != nil {
			return err
		}
		for _, p := range parts {
			custom = append(custom, p.Code)
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	b, err := newWorkbook(f, custom, count)
	if err != nil {
		return fmt.Errorf("export %s: %w", op.Code, err)
	}
	if err := b.cover(op, nets, s.now()); err != nil {
		return fmt.Errorf("export %s: %w", op.Code, err)
	}
	names := map[int64]string{}
	for _, n := range nets {
		names[n.ID] = n.Name
	}
	// The suppliers the items name are gathered on the way, for the Suppliers sheet.
	row := make([]any, len(itemFields))
	named := map[int64]bool{}
	n := 1
	pages, readErr := s.exportPages(ctx, a, op.Code)
	for page := range pages {
		for _, it := range page {
			n++
			if err := b.items.SetRow(cellName(1, n), itemRow(row, it, names[it.NetworkID])); err != nil {
				return fmt.Errorf("export %s: write row %d: %w", op.Code, n, err)
			}
			for _, id := range [...]int64{it.ManufacturerID, it.DistributorID, it.OutsourcerID} {
				if id != 0 {
					named[id] = true
				}
			}
		}
	}
	if err := <-readErr; err != nil {
		return fmt.Errorf("export %s: %w", op.Code, err)
	}
	if err := b.items.Flush(); err != nil {
		return fmt.Errorf("export %s: %w", op.Code, err)
	}
	sups, err := s.exportSuppliers(ctx, named)
	if err != nil {
		return err
	}
	if err := b.suppliers(sups); err != nil {
		return fmt.Errorf("export %s: %w", op.Code, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export %s: write workbook: %w", op.Code, err)
	}
	return nil
}

// Template writes a blank annex-7 workbook: the same sheets, headers and drop-downs as an
// export, without data.
func Template(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	b, err := newWorkbook(f, nil, 0)
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := b.cover(Operator{}, nil, time.Time{}); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := b.items.Flush(); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := b.suppliers(nil); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("template: write workbook: %w", err)
	}
	return nil
}

// itemRow fills row with an item's cells in the export's column order.
func itemRow(row []any, it Item, network string) []any {
	row[0] = it.ID
	row[1] = network
	row[2] = it.CriticalPart
	row[3] = string(it.Kind)
	row[4] = it.Name
	row[5] = it.Model
	row[6] = it.Version
	row[7] = it.Manufacturer
	row[8] = it.ManufacturerCountry
	row[9] = it.Distributor
	row[10] = it.OutsourcingProvider
	row[11] = it.OriginCountry
	row[12] = it.Serial
	row[13] = it.Quantity
	row[14] = it.Site
	row[15] = it.ManagementAddress
	row[16] = it.InServiceSince
	row[17] = it.Notes
	return row
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// exportPages reads the operator's items a page at a time, through the list's packed rows,
// in a goroutine of its own: reading was a seventh of an export's time, and it now overlaps
// the writing of the page before. The error channel gives one value once pages is closed;
// a cancelled ctx ends the reading.
func (s *Store) exportPages(ctx context.Context, a access.Actor, operator string) (<-chan []Item, <-chan error) {
	pages, done := make(chan []Item, 2), make(chan error, 1)
	go func() {
		defer close(done)
		defer close(pages)
		p := Page{Limit: MaxLimit}
		for {
			page, next, err := s.AppendItems(ctx, a, ItemFilter{Operator: operator}, p, nil)
			if err != nil {
				done <- err
				return
			}
			select {
			case pages <- page:
			case <-ctx.Done():
				done <- ctx.Err()
				return
			}
			if next == 0 {
				return
			}
			p.After = next
		}
	}()
	return pages, done
}

// exportSuppliers reads the suppliers with the given ids, in name order.
func (s *Store) exportSuppliers(ctx context.Context, ids map[int64]bool) ([]Supplier, error) {
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	idsJSON, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+supplierColumns+` FROM suppliers
		WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name_key, id`, string(idsJSON))
	if err != nil {
		return nil, fmt.Errorf("export: read suppliers: %w", err)
	}
	defer rows.Close()
	var out []Supplier
	for rows.Next() {
		sp, err := scanSupplier(rows)
		if err != nil {
			return nil, fmt.Errorf("export: read suppliers: %w", err)
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// workbook is an annex-7 workbook being written.
type workbook struct {
	f      *excelize.File
	bold   int
	title  int
	items  *excelize.StreamWriter
	nItems int
}

// newWorkbook lays out the sheets and opens the items sheet for streaming. Filters and
// drop-downs are set before streaming starts: the stream writer carries the settings a
// sheet has when it opens.
func newWorkbook(f *excelize.File, customParts []string, items int) (*workbook, error) {
	b := &workbook{f: f, nItems: items}
	if err := f.SetSheetName("Sheet1", SheetCover); err != nil {
		return nil, err
	}
	for _, name := range []string{SheetItems, SheetSuppliers, sheetLists} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	var err error
	if b.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return nil, err
	}
	if b.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return nil, err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, err
	}
	if err := b.lists(customParts); err != nil {
		return nil, err
	}
	last := cellName(len(itemFields), max(items+1, 2))
	if err := f.AutoFilter(SheetItems, "A1:"+last, nil); err != nil {
		return nil, err
	}
	codes := len(Annex6()) + len(customParts)
	for _, v := range []struct {
		col  int
		list string
		msg  string
	}{
		{4, fmt.Sprintf("%s!$A$1:$A$%d", sheetLists, len(Kinds)), "equipment, software or outsourcing"},
		{3, fmt.Sprintf("%s!$B$1:$B$%d", sheetLists, codes), "an annex-6 code (4.1) or a declared part"},
		{9, fmt.Sprintf("%s!$C$1:$C$%d", sheetLists, len(Countries())), "an ISO country code (CN, LV, …)"},
		{12, fmt.Sprintf("%s!$C$1:$C$%d", sheetLists, len(Countries())), "an ISO country code (CN, LV, …)"},
	} {
		dv := excelize.NewDataValidation(true)
		col := cellName(v.col, 2)
		dv.Sqref = col + ":" + strings.TrimSuffix(col, "2") + "1048576"
		dv.SetSqrefDropList(v.list)
		dv.SetError(excelize.DataValidationErrorStyleWarning, "critreg", "Use "+v.msg)
		if err := f.AddDataValidation(SheetItems, dv); err != nil {
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(SheetItems)
	if err != nil {
		return nil, err
	}
	for i, c := range itemFields {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return nil, err
		}
	}
	for _, col := range []int{3, 7, 13} { // critical part, version, serial: keep "1.10" as typed
		if err := sw.SetColStyle(col, col, textStyle); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	header := make([]any, len(itemFields))
	for i, c := range itemFields {
		header[i] = excelize.Cell{StyleID: b.bold, Value: c.Header}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return nil, err
	}
	b.items = sw
	return b, nil
}

// lists writes the hidden sheet the drop-downs draw from.
func (b *workbook) lists(customParts []string) error {
	for i, k := range Kinds {
		if err := b.f.SetCellValue(sheetLists, cellName(1, i+1), string(k)); err != nil {
			return err
		}
	}
	codes := []string{}
	for _, p := range Annex6() {
		codes = append(codes, p.Code)
	}
	codes = append(codes, customParts...)
	for i, c := range codes {
		if err := b.f.SetCellStr(sheetLists, cellName(2, i+1), c); err != nil {
			return err
		}
	}
	for i, c := range Countries() {
		if err := b.f.SetCellStr(sheetLists, cellName(3, i+1), c.Code); err != nil {
			return err
		}
	}
	return b.f.SetSheetVisible(sheetLists, false)
}

// cover writes the cover sheet.
func (b *workbook) cover(op Operator, nets []Network, now time.Time) error {
	f := b.f
	date := ""
	if !now.IsZero() {
		date = now.UTC().Format("2006-01-02")
	}
	rows := [][]any{
		{"Aprīkojuma, programmatūras un ārpakalpojumu saraksts (7. pielikums) / List of equipment, software and outsourcing (annex 7)"},
		{},
		{"Operators / Operator", op.Name},
		{"Kods / Code", op.Code},
		{"Reģistrācijas nr. / Registration no.", op.RegistrationNo},
		{"Datums / Date", date},
		{"Kontaktpersona / Contact", op.Contact},
		{},
		{"Tīkli / Networks", "Tehnoloģija / Technology", "Esošs (123. p.) / Legacy (point 123)"},
	}
	for _, n := range nets {
		legacy := "nē / no"
		if n.Legacy {
			legacy = "jā / yes"
		}
		rows = append(rows, []any{n.Name, string(n.Technology), legacy})
	}
	for i, r := range rows {
		if err := f.SetSheetRow(SheetCover, cellName(1, i+1), &r); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(SheetCover, "A1", "A1", b.title); err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetCover, "A9", "C9", b.bold); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetCover, "A", "A", 36); err != nil {
		return err
	}
	return f.SetColWidth(SheetCover, "B", "C", 30)
}

// suppliers writes the suppliers sheet.
func (b *workbook) suppliers(sups []Supplier) error {
	f := b.f
	header := []any{"Nosaukums / Name", "Valsts / Country", "Reģistrācijas nr. / Registration no.", "Lomas / Roles"}
	if err := f.SetSheetRow(SheetSuppliers, "A1", &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetSuppliers, "A1", "D1", b.bold); err != nil {
		return err
	}
	for i, sp := range sups {
		roles := make([]string, len(sp.Roles))
		for j, r := range sp.Roles {
			roles[j] = string(r)
		}
		row := []any{sp.Name, sp.Country, sp.RegistrationNo, strings.Join(roles, ", ")}
		if err := f.SetSheetRow(SheetSuppliers, cellName(1, i+2), &row); err != nil {
			return err
		}
	}
	if err := f.SetPanes(SheetSuppliers, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.AutoFilter(SheetSuppliers, "A1:"+cellName(4, max(len(sups)+1, 2)), nil); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetSuppliers, "A", "A", 40); err != nil {
		return err
	}
	return f.SetColWidth(SheetSuppliers, "B", "D", 24)
}
