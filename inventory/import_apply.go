package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// planRow is one row of the file with the item it matched, if any, and the input it
// leads to.
type planRow struct {
	fr      *fileRow
	before  *Item
	in      *ItemInput
	changes []FieldChange
}

// importPlan is what a commit would do.
type importPlan struct {
	adds, updates []planRow
	unchanged     int
	removes       []*Item
	rows          int
}

// itemKey is the business key rows without an item ID are matched by.
type itemKey struct {
	network            int64
	part               string
	kind               Kind
	maker, model, serl string
}

func keyOf(networkID int64, part string, kind Kind, maker, model, serial string) itemKey {
	return itemKey{networkID, part, kind, SupplierKey(maker), foldKey(model), foldKey(serial)}
}

// plan matches the parsed rows to the register: by item ID where the file carries one,
// else by business key. Rows sharing a key match that key's items in id order, so a file
// that lists the same model twice without serial numbers re-imports unchanged.
func (s *Store) plan(reg *register, rows []*fileRow, networksNamed map[int64]bool, sync bool, ps *problems) *importPlan {
	p := &importPlan{rows: len(rows)}
	used := map[int64]*fileRow{}
	matched := make([]*Item, len(rows))
	for i, fr := range rows {
		if fr.id == 0 {
			continue
		}
		c := fr.sh.byField[FieldID]
		it, ok := reg.byID[fr.id]
		if !ok {
			fr.bad = true
			fr.sh.problem(fr.row, c, strconv.FormatInt(fr.id, 10), "is not the ID of an item in operator %s's list: clear the cell to add the row as a new item", reg.op.Code)
			continue
		}
		if prev, dup := used[fr.id]; dup {
			fr.bad = true
			fr.sh.problem(fr.row, c, strconv.FormatInt(fr.id, 10), "the same item ID as %s row %d", prev.sh.sheet, prev.row)
			continue
		}
		used[fr.id] = fr
		matched[i] = it
	}
	byKey := map[itemKey][]*Item{}
	for i := range reg.items {
		it := &reg.items[i]
		if used[it.ID] == nil {
			k := keyOf(it.NetworkID, it.CriticalPart, it.Kind, it.Manufacturer, it.Model, it.Serial)
			byKey[k] = append(byKey[k], it)
		}
	}
	seen := map[int64]bool{}
	for i, fr := range rows {
		if fr.bad {
			continue
		}
		before := matched[i]
		// A register without items (a first import) has no key to match: SupplierKey is
		// costly enough not to compute for nothing.
		if before == nil && fr.id == 0 && len(byKey) > 0 {
			k := keyOf(fr.in.NetworkID, fr.in.CriticalPart, fr.in.Kind, fr.in.Manufacturer, fr.in.Model, fr.in.Serial)
			if cand := byKey[k]; len(cand) > 0 {
				before, byKey[k] = cand[0], cand[1:]
			}
		}
		if before == nil {
			// A new item is the row as read: the plan points at it rather than holding a
			// second copy of every row of a big file.
			if checkRow(reg, fr, fr.in) {
				p.adds = append(p.adds, planRow{fr: fr, in: &fr.in})
			}
			continue
		}
		in := mergeInput(before, fr)
		if !checkRow(reg, fr, in) {
			continue
		}
		seen[before.ID] = true
		in, changes := diffItem(reg, *before, in)
		if len(changes) == 0 {
			p.unchanged++
			continue
		}
		p.updates = append(p.updates, planRow{fr: fr, before: before, in: &in, changes: changes})
	}
	if sync {
		for i := range reg.items {
			it := &reg.items[i]
			if networksNamed[it.NetworkID] && !seen[it.ID] {
				p.removes = append(p.removes, it)
			}
		}
	}
	return p
}

// mergeInput is the row's input, with the fields its sheet has no column for taken from
// the item it matched.
func mergeInput(before *Item, fr *fileRow) ItemInput {
	in := fr.in
	if before == nil {
		return in
	}
	b := before.Input()
	keep := func(f Field, dst *string, v string) {
		if !fr.has(f) {
			*dst = v
		}
	}
	if !fr.has(FieldNetwork) && in.NetworkID == 0 {
		in.NetworkID = b.NetworkID
	}
	keep(FieldCriticalPart, &in.CriticalPart, b.CriticalPart)
	if !fr.has(FieldKind) {
		in.Kind = b.Kind
	}
	keep(FieldName, &in.Name, b.Name)
	keep(FieldModel, &in.Model, b.Model)
	keep(FieldVersion, &in.Version, b.Version)
	keep(FieldManufacturer, &in.Manufacturer, b.Manufacturer)
	keep(FieldManufacturerCountry, &in.ManufacturerCountry, b.ManufacturerCountry)
	keep(FieldDistributor, &in.Distributor, b.Distributor)
	keep(FieldOutsourcingProvider, &in.OutsourcingProvider, b.OutsourcingProvider)
	keep(FieldOriginCountry, &in.OriginCountry, b.OriginCountry)
	keep(FieldSerial, &in.Serial, b.Serial)
	keep(FieldSite, &in.Site, b.Site)
	keep(FieldManagementAddress, &in.ManagementAddress, b.ManagementAddress)
	keep(FieldInServiceSince, &in.InServiceSince, b.InServiceSince)
	keep(FieldNotes, &in.Notes, b.Notes)
	if !fr.has(FieldQuantity) {
		in.Quantity = b.Quantity
	}
	return in
}

// checkRow reports what a row lacks as a whole, at the column a person would fill.
func checkRow(reg *register, fr *fileRow, in ItemInput) bool {
	lacks := rowLacks(fr, in)
	for _, l := range lacks {
		c, has := fr.sh.byField[l.field]
		if !has {
			c = column{}
		}
		fr.sh.problem(fr.row, c, "", "%s", l.msg)
	}
	return len(lacks) == 0
}

// lack is something a row needs and does not have, at the field a person would fill.
type lack struct {
	field Field
	msg   string
}

// rowLacks lists what a row lacks as a whole; nil when it is complete.
func rowLacks(fr *fileRow, in ItemInput) []lack {
	var out []lack
	if in.NetworkID == 0 && fr.sh.hasNetwork {
		out = append(out, lack{FieldNetwork, "the network is required"})
	}
	if in.CriticalPart == "" {
		out = append(out, lack{FieldCriticalPart, "the critical part is required (an annex-6 code such as 4.1, a short name such as AMF, or a declared part)"})
	}
	if in.Kind == "" {
		out = append(out, lack{FieldKind, "the kind is required: iekārta / equipment, programmatūra / software or ārpakalpojums / outsourcing"})
	}
	if in.Name == "" && in.Model == "" {
		f := FieldName
		if !fr.has(FieldName) {
			f = FieldModel
		}
		out = append(out, lack{f, "an item needs a name or a model"})
	}
	if in.Kind == KindOutsourcing && in.OutsourcingProvider == "" {
		out = append(out, lack{FieldOutsourcingProvider, "the outsourcing provider is required for outsourcing"})
	}
	return out
}

// diffItem compares a row with the item it matched. Values equal up to spacing, and
// suppliers equal up to their register key, are kept as stored, so a file read back
// unchanged changes nothing.
func diffItem(reg *register, before Item, in ItemInput) (ItemInput, []FieldChange) {
	var out []FieldChange
	b := before.Input()
	if in.Quantity == 0 {
		in.Quantity = 1
	}
	if in.NetworkID != b.NetworkID {
		out = append(out, FieldChange{FieldNetwork, reg.netByID[b.NetworkID].Name, reg.netByID[in.NetworkID].Name})
	}
	str := func(f Field, from string, to *string) {
		if cleanCell(from) == *to {
			*to = from
			return
		}
		out = append(out, FieldChange{f, from, *to})
	}
	supplier := func(f Field, from string, to *string) {
		if SupplierKey(from) == SupplierKey(*to) {
			*to = from
			return
		}
		out = append(out, FieldChange{f, from, *to})
	}
	str(FieldCriticalPart, b.CriticalPart, &in.CriticalPart)
	if b.Kind != in.Kind {
		out = append(out, FieldChange{FieldKind, string(b.Kind), string(in.Kind)})
	}
	str(FieldName, b.Name, &in.Name)
	str(FieldModel, b.Model, &in.Model)
	str(FieldVersion, b.Version, &in.Version)
	supplier(FieldManufacturer, b.Manufacturer, &in.Manufacturer)
	str(FieldManufacturerCountry, b.ManufacturerCountry, &in.ManufacturerCountry)
	supplier(FieldDistributor, b.Distributor, &in.Distributor)
	supplier(FieldOutsourcingProvider, b.OutsourcingProvider, &in.OutsourcingProvider)
	str(FieldOriginCountry, b.OriginCountry, &in.OriginCountry)
	str(FieldSerial, b.Serial, &in.Serial)
	if b.Quantity != in.Quantity {
		out = append(out, FieldChange{FieldQuantity, strconv.Itoa(b.Quantity), strconv.Itoa(in.Quantity)})
	}
	str(FieldSite, b.Site, &in.Site)
	str(FieldManagementAddress, b.ManagementAddress, &in.ManagementAddress)
	str(FieldInServiceSince, b.InServiceSince, &in.InServiceSince)
	str(FieldNotes, b.Notes, &in.Notes)
	return in, out
}

// fill reports the plan in the result.
func (p *importPlan) fill(res *ImportResult) {
	res.Added = make([]ImportChange, 0, len(p.adds))
	for i := range p.adds {
		// The row's input itself, not a copy: a big file's result stays one copy of it.
		r := &p.adds[i]
		res.Added = append(res.Added, ImportChange{Sheet: r.fr.sh.sheet, Row: r.fr.row, Item: r.in})
	}
	for _, r := range p.updates {
		res.Updated = append(res.Updated, ImportChange{Sheet: r.fr.sh.sheet, Row: r.fr.row, ItemID: r.before.ID, Fields: r.changes})
	}
	res.Unchanged = p.unchanged
	for _, it := range p.removes {
		in := it.Input()
		res.Removed = append(res.Removed, ImportChange{ItemID: it.ID, Item: &in})
	}
}

// importRef is the provenance an imported item records.
func importRef(file string, fr *fileRow, sheets int) string {
	if sheets > 1 {
		return fmt.Sprintf("file %s sheet %s row %d", file, fr.sh.sheet, fr.row)
	}
	return fmt.Sprintf("file %s row %d", file, fr.row)
}

// planSheets counts the sheets whose rows the plan adds or updates: with more than one,
// an item's provenance names its sheet.
func planSheets(p *importPlan) int {
	sheets := map[*sheetReader]bool{}
	for _, r := range p.adds {
		sheets[r.fr.sh] = true
	}
	for _, r := range p.updates {
		sheets[r.fr.sh] = true
	}
	return len(sheets)
}

// rowProblem turns a change the item rules refuse (which the checks above should have
// caught) into problems at its row; other errors are returned as they are.
func rowProblem(err error, ps *problems) error {
	var rf *rowFailure
	var v *errkind.ValidationError
	if !errors.As(err, &rf) || !errors.As(rf.err, &v) {
		return err
	}
	for _, f := range v.Fields {
		c := rf.fr.sh.byField[Field(f.Field)]
		rf.fr.sh.problem(rf.fr.row, c, "", "%s", f.Message)
	}
	return ps.err()
}

// commitAudit is the record of the import as a whole, after those of its items.
func commitAudit(reg *register, p *importPlan, opt ImportOptions) audit.Entry {
	return audit.Entry{Action: "import.commit", ObjectType: "import", ObjectID: opt.FileName, OperatorID: reg.op.ID,
		After: map[string]any{"file": opt.FileName, "rows": p.rows, "added": len(p.adds), "updated": len(p.updates), "unchanged": p.unchanged,
			"removed": len(p.removes), "sync": opt.Sync}}
}

// syncRef is why an item a sync import removes goes.
func syncRef(opt ImportOptions) string {
	return fmt.Sprintf("file %s: not in the file (sync)", opt.FileName)
}

// commitRowByRow writes the plan in one transaction through CreateItemTx, UpdateItemTx and
// DeleteItemTx, one change at a time: the reference the bulk commit is tested against.
func (s *Store) commitRowByRow(ctx context.Context, a access.Actor, reg *register, p *importPlan, opt ImportOptions, estimate int, ps *problems) error {
	sheets := planSheets(p)
	total := 2 * max(p.rows, estimate)
	done := max(p.rows, estimate)
	step := func() {
		done++
		if opt.Progress != nil && done%1000 == 0 {
			opt.Progress(done, total)
		}
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range p.adds {
			if _, err := s.CreateItemTx(ctx, tx, a, *r.in, SourceImported, importRef(opt.FileName, r.fr, sheets)); err != nil {
				return rowProblem(&rowFailure{r.fr, err}, ps)
			}
			step()
		}
		for _, r := range p.updates {
			if _, err := s.UpdateItemTx(ctx, tx, a, r.before.ID, *r.in, SourceImported, importRef(opt.FileName, r.fr, sheets)); err != nil {
				return rowProblem(&rowFailure{r.fr, err}, ps)
			}
			step()
		}
		for _, it := range p.removes {
			if err := s.DeleteItemTx(ctx, tx, a, it.ID, syncRef(opt)); err != nil {
				return fmt.Errorf("import: remove item %d: %w", it.ID, err)
			}
		}
		return audit.Append(ctx, tx, a, commitAudit(reg, p, opt))
	})
	if err == nil && opt.Progress != nil {
		opt.Progress(total, total)
	}
	return err
}
