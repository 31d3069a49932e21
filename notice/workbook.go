package notice

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"critreg/access"
	"critreg/inventory"
)

// Sheet names of the change-list workbook.
const (
	sheetCover = "Notice"
	sheetLines = "Changes"
)

// itemHeaders are the annex-7 fields of an item, in Latvian and English, shown for the old
// and the new item of each line.
var itemHeaders = []string{
	"Tīkls / Network", "Kritiskā daļa / Critical part", "Veids / Kind", "Nosaukums / Name", "Modelis / Model", "Versija / Version",
	"Ražotājs / Manufacturer", "Ražotāja valsts / Manufacturer country", "Izplatītājs / Distributor",
	"Ārpakalpojuma sniedzējs / Outsourcing provider", "Izcelsmes valsts / Origin country", "Sērijas nr. / Serial",
	"Daudzums / Quantity", "Vieta / Site",
}

func itemRow(network string, in inventory.ItemInput) []any {
	if in.Kind == "" && in.Name == "" && in.Model == "" {
		return make([]any, len(itemHeaders))
	}
	return []any{network, in.CriticalPart, string(in.Kind), in.Name, in.Model, in.Version, in.Manufacturer, in.ManufacturerCountry,
		in.Distributor, in.OutsourcingProvider, in.OriginCountry, in.Serial, in.Quantity, in.Site}
}

// ExportWorkbook writes a notice as a change-list workbook: a cover sheet with the
// operator, the submission date and the earliest start, and one row a line with the
// annex-7 fields of the old and the new item, the exemption verdict and its reasons.
func (s *Service) ExportWorkbook(ctx context.Context, a access.Actor, id int64, w io.Writer) error {
	n, err := s.Notice(ctx, a, id)
	if err != nil {
		return err
	}
	op, err := s.inv.OperatorByID(ctx, a, n.OperatorID)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetCover); err != nil {
		return fmt.Errorf("notice %d workbook: %w", id, err)
	}
	if err := writeCover(f, n, op, s.now()); err != nil {
		return fmt.Errorf("notice %d workbook: %w", id, err)
	}
	networks := map[int64]string{}
	for _, ln := range n.Lines {
		ids := []int64{ln.NetworkID}
		if ln.Current != nil {
			ids = append(ids, ln.Current.NetworkID)
		}
		for _, id := range ids {
			if _, ok := networks[id]; ok || id == 0 {
				continue
			}
			// A network removed since is shown by its id.
			networks[id] = fmt.Sprint(id)
			if net, err := s.inv.Network(ctx, a, id); err == nil {
				networks[id] = fmt.Sprintf("%s (%d)", net.Name, net.ID)
			}
		}
	}
	if err := writeLinesSheet(f, n, networks); err != nil {
		return fmt.Errorf("notice %d workbook: %w", id, err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("notice %d workbook: %w", id, err)
	}
	return nil
}

func writeCover(f *excelize.File, n Notice, op inventory.Operator, now time.Time) error {
	sha := ""
	if len(n.Receipts) > 0 {
		sha = n.Receipts[len(n.Receipts)-1].SHA256
	}
	rows := [][]any{
		{"Paziņojums par izmaiņām / Change notice", n.ID},
		{"Operators / Operator", op.Name},
		{"Operatora kods / Operator code", op.Code},
		{"Reģistrācijas nr. / Registration no.", op.RegistrationNo},
		{"Nosaukums / Title", n.Title},
		{"Statuss / State", string(n.State)},
		{"Iesniegšanas datums (Rīga) / Submission date (Riga)", n.SubmittedDate},
		{"Iesniegts (UTC) / Submitted (UTC)", n.SubmittedAt},
		{"Agrākais sākums / Earliest start", n.EarliestStart},
		{"Plānotais sākums / Planned start", n.PlannedStart},
		{"Rindas / Lines", len(n.Lines)},
		{"SHA-256 (" + Canonicalization + ")", sha},
		{"Eksportēts / Exported", now.In(riga()).Format(time.DateTime)},
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sheetCover, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheetCover, "A", "B", 48)
}

func writeLinesSheet(f *excelize.File, n Notice, networks map[int64]string) error {
	if _, err := f.NewSheet(sheetLines); err != nil {
		return err
	}
	header := []any{"Rinda / Line", "Izmaiņa / Change", "Plānotais sākums / Planned start", "Lēmums / Verdict", "Punkts / Clause",
		"Pamatojums (LV)", "Reasons (EN)", "Brīdinājumi (LV)", "Warnings (EN)", "64. punkts / Point 64", "Atzinums / Opinion"}
	for _, h := range itemHeaders {
		header = append(header, "Pašreizējais: "+h)
	}
	for _, h := range itemHeaders {
		header = append(header, "Jaunais: "+h)
	}
	header = append(header, "Izpildīts / Done")
	if err := f.SetSheetRow(sheetLines, "A1", &header); err != nil {
		return err
	}
	for i, ln := range n.Lines {
		p64, opinions := "", ""
		if ln.Point64 != nil {
			p64, opinions = ln.Point64.Status, strings.Join(ln.Point64.Opinions, ", ")
			if ln.Point64.BindsFrom != "" {
				p64 += " (" + ln.Point64.BindsFrom + ")"
			}
		}
		warnings := append(append([]inventory.Text{}, ln.Exemption.Warnings...), ln.Warnings...)
		row := []any{ln.No, string(ln.Change), ln.PlannedStart, string(ln.Exemption.Verdict), ln.Exemption.Clause,
			joinTexts(ln.Exemption.Reasons, true), joinTexts(ln.Exemption.Reasons, false), joinTexts(warnings, true), joinTexts(warnings, false), p64, opinions}
		if ln.Current != nil {
			row = append(row, itemRow(networks[ln.Current.NetworkID], ln.Current.Input())...)
		} else {
			row = append(row, make([]any, len(itemHeaders))...)
		}
		if ln.Change == inventory.ChangeRemove {
			row = append(row, make([]any, len(itemHeaders))...)
		} else {
			row = append(row, itemRow(networks[ln.NetworkID], ln.New)...)
		}
		row = append(row, ln.DoneAt)
		if err := f.SetSheetRow(sheetLines, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(header), max(2, len(n.Lines)+1))
	if err != nil {
		return err
	}
	if err := f.AutoFilter(sheetLines, "A1:"+last, nil); err != nil {
		return err
	}
	return f.SetPanes(sheetLines, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func joinTexts(ts []inventory.Text, lv bool) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		if lv {
			parts[i] = t.LV
		} else {
			parts[i] = t.EN
		}
	}
	return strings.Join(parts, "\n")
}
