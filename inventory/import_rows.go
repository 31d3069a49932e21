package inventory

import (
	"context"
	"fmt"
	"strings"

	"critreg/access"
	"critreg/errkind"
)

// register is what an import matches the file against: the operator, its networks and
// declared parts, and its current list.
type register struct {
	op       Operator
	networks []Network
	netByKey map[string]Network
	netByID  map[int64]Network
	custom   map[int64]map[string]string // network → folded code → code
	items    []Item
	byID     map[int64]*Item
}

func (s *Store) loadRegister(ctx context.Context, a access.Actor, code string) (*register, error) {
	op, err := s.Operator(ctx, a, code)
	if err != nil {
		return nil, err
	}
	reg := &register{op: op, netByKey: map[string]Network{}, netByID: map[int64]Network{}, custom: map[int64]map[string]string{}, byID: map[int64]*Item{}}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+networkColumns+networkFrom+` WHERE n.operator_id = ? ORDER BY n.id`, op.ID)
	if err != nil {
		return nil, fmt.Errorf("import: read networks: %w", err)
	}
	for rows.Next() {
		n, err := scanNetwork(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("import: read networks: %w", err)
		}
		reg.networks = append(reg.networks, n)
		reg.netByKey[foldKey(n.Name)] = n
		reg.netByID[n.ID] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("import: read networks: %w", err)
	}
	for _, n := range reg.networks {
		parts, err := s.customParts(ctx, s.db.Read, n.ID)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, p := range parts {
			m[foldKey(p.Code)] = p.Code
		}
		reg.custom[n.ID] = m
	}
	items, err := s.db.Read.QueryContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.operator_id = ? ORDER BY i.id`, op.ID)
	if err != nil {
		return nil, fmt.Errorf("import: read items: %w", err)
	}
	defer items.Close()
	for items.Next() {
		it, err := scanItem(items)
		if err != nil {
			return nil, fmt.Errorf("import: read items: %w", err)
		}
		reg.items = append(reg.items, it)
	}
	if err := items.Err(); err != nil {
		return nil, fmt.Errorf("import: read items: %w", err)
	}
	for i := range reg.items {
		reg.byID[reg.items[i].ID] = &reg.items[i]
	}
	return reg, nil
}

// fileRow is one data row of the file, parsed.
type fileRow struct {
	sh  *sheetReader
	row int
	id  int64
	in  ItemInput
	// bad marks a row with a cell problem; it takes no part in matching.
	bad bool
}

// has reports whether the row's sheet has a column for f.
func (fr *fileRow) has(f Field) bool { _, ok := fr.sh.byField[f]; return ok }

// sheetReader parses the data rows of one items sheet.
type sheetReader struct {
	rd         *reader
	sheet      string
	cols       []column
	byField    map[Field]column
	hasNetwork bool
	merges     []mergeRange
	mergeVals  []string
	width      int
}

func newSheetReader(rd *reader, sheet string, cols []column, headerRow int, merges []mergeRange) *sheetReader {
	sh := &sheetReader{rd: rd, sheet: sheet, cols: cols, byField: map[Field]column{}}
	for _, c := range cols {
		sh.byField[c.Field] = c
		sh.width = max(sh.width, c.Index+1)
	}
	_, sh.hasNetwork = sh.byField[FieldNetwork]
	for _, m := range merges {
		if m.row1 > headerRow {
			sh.merges = append(sh.merges, m)
		}
	}
	sh.mergeVals = make([]string, len(sh.merges))
	if rd.networksNamed == nil {
		rd.networksNamed = map[int64]bool{}
	}
	return sh
}

func (sh *sheetReader) problem(row int, c column, value, format string, a ...any) {
	sh.rd.ps.add(ImportProblem{Sheet: sh.sheet, Row: row, Column: c.Letter, Header: c.Header, Value: value, Message: fmt.Sprintf(format, a...)})
}

// row parses data row n; a blank row gives nil.
func (sh *sheetReader) row(n int, raw []string) *fileRow {
	blank := true
	for _, c := range sh.cols {
		if c.Index < len(raw) && cleanCell(raw[c.Index]) != "" {
			blank = false
			break
		}
	}
	cells := raw
	if len(sh.merges) > 0 {
		cells = sh.applyMerges(n, raw)
	}
	if blank {
		return nil
	}
	fr := &fileRow{sh: sh, row: n}
	var netID int64
	if !sh.hasNetwork && len(sh.rd.reg.networks) == 1 {
		netID = sh.rd.reg.networks[0].ID
	}
	val := func(c column) string {
		if c.Index < len(cells) {
			return cleanCell(cells[c.Index])
		}
		return ""
	}
	bad := func(c column, v, format string, a ...any) {
		fr.bad = true
		sh.problem(n, c, v, format, a...)
	}
	var partCol column
	var partVal string
	for _, c := range sh.cols {
		v := val(c)
		if excelErrors[strings.ToUpper(v)] {
			bad(c, v, "the cell holds the formula error %s: correct the formula or type the value", strings.ToUpper(v))
			continue
		}
		switch c.Field {
		case FieldID:
			if v != "" {
				id, err := parseItemID(v)
				if err != nil {
					bad(c, v, "%v", err)
				}
				fr.id = id
			}
		case FieldNetwork:
			if v == "" {
				bad(c, v, "the network is required")
				continue
			}
			nw, ok := sh.rd.reg.netByKey[foldKey(v)]
			if !ok {
				bad(c, v, "is not a network of operator %s (its networks: %s)", sh.rd.reg.op.Code, sh.rd.reg.networkNames())
				continue
			}
			netID = nw.ID
		case FieldCriticalPart:
			partCol, partVal = c, v
		case FieldKind:
			if v == "" {
				continue
			}
			k, ok := ParseKind(v)
			if !ok {
				bad(c, v, "is not a kind: write iekārta / equipment, programmatūra / software or ārpakalpojums / outsourcing")
			}
			fr.in.Kind = k
		case FieldManufacturerCountry, FieldOriginCountry:
			if v == "" {
				continue
			}
			code, err := parseCountryCell(v)
			if err != nil {
				bad(c, v, "%v", err)
			}
			if c.Field == FieldOriginCountry {
				fr.in.OriginCountry = code
			} else {
				fr.in.ManufacturerCountry = code
			}
		case FieldQuantity:
			if v == "" {
				continue
			}
			q, err := parseQuantity(v)
			if err != nil {
				bad(c, v, "%v", err)
			}
			fr.in.Quantity = q
		case FieldInServiceSince:
			if v == "" {
				continue
			}
			d, err := parseDate(v)
			if err != nil {
				bad(c, v, "%v", err)
			}
			fr.in.InServiceSince = d
		default:
			p, limit := textField(&fr.in, c.Field)
			if p == nil {
				continue
			}
			check := &errkind.ValidationError{}
			*p = text(check, string(c.Field), v, limit, false)
			if len(check.Fields) > 0 {
				bad(c, v, "%s", check.Fields[0].Message)
			}
		}
	}
	fr.in.NetworkID = netID
	if netID != 0 {
		sh.rd.networksNamed[netID] = true
	}
	if _, ok := sh.byField[FieldCriticalPart]; ok && partVal != "" {
		if p, ok := ParseAnnex6(partVal); ok {
			fr.in.CriticalPart = p.Code
		} else if code, ok := sh.rd.reg.custom[netID][foldKey(partVal)]; ok {
			fr.in.CriticalPart = code
		} else {
			where := "the row's network"
			if nw, ok := sh.rd.reg.netByID[netID]; ok {
				where = "network " + nw.Name
			}
			bad(partCol, partVal, "is neither an annex-6 function (code such as 4.1, short name such as AMF, or name in Latvian or English) nor a part declared critical in %s", where)
		}
	}
	return fr
}

// applyMerges gives every cell of a merged block the value of its top-left cell, as a
// person reading the sheet sees it.
func (sh *sheetReader) applyMerges(n int, raw []string) []string {
	var cells []string
	for i, m := range sh.merges {
		if n < m.row1 || n > m.row2 {
			continue
		}
		if n == m.row1 {
			if m.col1 < len(raw) {
				sh.mergeVals[i] = raw[m.col1]
			} else {
				sh.mergeVals[i] = ""
			}
		}
		if cells == nil {
			cells = make([]string, max(len(raw), sh.width))
			copy(cells, raw)
		}
		for c := m.col1; c <= m.col2 && c < len(cells); c++ {
			if n == m.row1 && c == m.col1 {
				continue
			}
			cells[c] = sh.mergeVals[i]
		}
	}
	if cells == nil {
		return raw
	}
	return cells
}

// textField returns the ItemInput field a free-text column fills, with its length limit.
func textField(in *ItemInput, f Field) (*string, int) {
	switch f {
	case FieldName:
		return &in.Name, maxName
	case FieldModel:
		return &in.Model, maxName
	case FieldVersion:
		return &in.Version, maxShort
	case FieldManufacturer:
		return &in.Manufacturer, maxName
	case FieldDistributor:
		return &in.Distributor, maxName
	case FieldOutsourcingProvider:
		return &in.OutsourcingProvider, maxName
	case FieldSerial:
		return &in.Serial, maxText
	case FieldSite:
		return &in.Site, maxName
	case FieldManagementAddress:
		return &in.ManagementAddress, maxName
	case FieldNotes:
		return &in.Notes, maxText
	}
	return nil, 0
}

func (reg *register) networkNames() string {
	if len(reg.networks) == 0 {
		return "none yet"
	}
	names := make([]string, len(reg.networks))
	for i, n := range reg.networks {
		names[i] = n.Name
	}
	return strings.Join(names, ", ")
}
