package inventory

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// listRow is what a list reads of an item: all its fields joined into one text value by
// listSeparator, in the order splitRow takes them apart. The pure-Go SQLite driver pays,
// per result column and row, two or three calls into SQLite behind the connection's mutex,
// an allocation for the value and a conversion in database/sql; reading the 27 fields as
// one value halved the cost of a page of items.
const listRow = `concat_ws(char(31), i.id, i.operator_id, i.network_id, coalesce(i.manufacturer_id, 0),
	coalesce(i.distributor_id, 0), coalesce(i.outsourcer_id, 0), i.quantity,
	o.code, i.critical_part, i.kind, i.name, i.model, i.version, coalesce(m.name, ''), i.manufacturer_country,
	coalesce(d.name, ''), coalesce(x.name, ''), i.origin_country, i.serial, i.site, i.management_address,
	i.in_service_since, i.notes, i.source, i.source_ref, i.created_at, i.updated_at)`

// listSeparator joins the fields of listRow (char(31), the unit separator). Text that
// passed validation never holds it (control characters are refused); a row whose text does
// splits into more fields than listRow joins, and splitRow reports it.
const listSeparator = "\x1f"

// appendList runs a query selecting listRow and appends its rows to dst. whole is false
// when a row did not split into exactly its fields; dst is then incomplete.
func (s *Store) appendList(ctx context.Context, dst []Item, query string, args []any) (_ []Item, whole bool, err error) {
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return dst, false, err
	}
	defer rows.Close()
	var row string
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return dst, false, err
		}
		dst = append(dst, Item{})
		if !dst[len(dst)-1].splitRow(row) {
			return dst, false, nil
		}
	}
	return dst, true, rows.Err()
}

// splitRow sets the item's fields from a value of listRow and reports whether the value
// held exactly those fields. The text fields share the value's memory: one allocation per
// item instead of one per field.
func (it *Item) splitRow(row string) bool {
	var quantity int64
	for _, f := range [...]*int64{&it.ID, &it.OperatorID, &it.NetworkID, &it.ManufacturerID, &it.DistributorID, &it.OutsourcerID, &quantity} {
		var s string
		var ok bool
		var err error
		if s, row, ok = strings.Cut(row, listSeparator); !ok {
			return false
		}
		if *f, err = strconv.ParseInt(s, 10, 64); err != nil {
			return false
		}
	}
	it.Quantity = int(quantity)
	var kind, source, created string
	for _, f := range [...]*string{&it.Operator, &it.CriticalPart, &kind, &it.Name, &it.Model, &it.Version,
		&it.Manufacturer, &it.ManufacturerCountry, &it.Distributor, &it.OutsourcingProvider, &it.OriginCountry,
		&it.Serial, &it.Site, &it.ManagementAddress, &it.InServiceSince, &it.Notes, &source, &it.SourceRef, &created} {
		var ok bool
		if *f, row, ok = strings.Cut(row, listSeparator); !ok {
			return false
		}
	}
	if strings.Contains(row, listSeparator) {
		return false
	}
	it.Kind, it.Source = Kind(kind), Source(source)
	it.CreatedAt, it.UpdatedAt = parseStamp(created), parseStamp(row)
	return true
}

// parseStamp is parseTime for the layout stamp writes, UTC to the nanosecond
// ("2006-01-02T15:04:05.999999999Z"), read field by field; anything else goes to parseTime.
// A page of items holds two hundred of them, and time.Parse cost more than their splitting.
func parseStamp(s string) time.Time {
	if len(s) < 20 || len(s) > 30 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
		s[len(s)-1] != 'Z' || len(s) > 20 && (s[19] != '.' || len(s) == 21) {
		return parseTime(s)
	}
	num := func(f string) int {
		n := 0
		for i := range len(f) {
			if f[i] < '0' || f[i] > '9' {
				return -1
			}
			n = n*10 + int(f[i]-'0')
		}
		return n
	}
	year, month, day := num(s[0:4]), num(s[5:7]), num(s[8:10])
	hour, minute, sec := num(s[11:13]), num(s[14:16]), num(s[17:19])
	nsec := 0
	if len(s) > 20 {
		frac := s[20 : len(s)-1]
		if nsec = num(frac); nsec < 0 {
			return parseTime(s)
		}
		for range 9 - len(frac) {
			nsec *= 10
		}
	}
	if year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return parseTime(s)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day {
		return parseTime(s) // a day the month does not have
	}
	return t
}

// appendListColumns runs a query selecting itemColumns and appends its rows to dst.
func (s *Store) appendListColumns(ctx context.Context, dst []Item, query string, args []any) ([]Item, error) {
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return dst, err
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return dst, err
		}
		dst = append(dst, it)
	}
	return dst, rows.Err()
}
