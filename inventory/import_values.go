package inventory

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// excelErrors are the values Excel stores in a cell whose formula failed.
var excelErrors = map[string]bool{
	"#DIV/0!": true, "#REF!": true, "#N/A": true, "#NAME?": true, "#NULL!": true, "#NUM!": true,
	"#VALUE!": true, "#SPILL!": true, "#CALC!": true, "#GETTING_DATA": true, "#FIELD!": true, "#BLOCKED!": true,
}

// cleanCell trims a cell as people leave it: non-breaking and other odd spaces become
// plain ones, runs collapse, ends are trimmed. Line breaks inside a cell become spaces.
func cleanCell(s string) string {
	if s == "" {
		return ""
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\u202f' || r == '\u2007' || r == '\u2009' || r == '\ufeff' || r == '\u200b'
	}), " ")
}

// excelEpoch is day 0 of Excel's 1900 date system, accounting for its phantom 29 Feb 1900.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads a date as workbooks hold it: an Excel serial (the cell's raw value, with
// or without a time of day), dd.mm.yyyy (also d.m.yyyy, with '/' or '-'), or ISO
// yyyy-mm-dd (with or without a time). It returns the ISO date.
func parseDate(s string) (string, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 1 || f > 2958465 || math.IsNaN(f) {
			return "", fmt.Errorf("is not a date")
		}
		return excelEpoch.AddDate(0, 0, int(math.Floor(f))).Format(time.DateOnly), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(time.DateOnly), nil
	}
	if len(s) > 10 && s[4] == '-' {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil && (s[10] == 'T' || s[10] == ' ') {
			return t.Format(time.DateOnly), nil
		}
	}
	for _, layout := range []string{"2.1.2006", "2/1/2006", "2-1-2006", "2.1.2006."} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("is not a date (use dd.mm.yyyy or yyyy-mm-dd)")
}

// parseQuantity reads a positive whole number, as text or as a number cell ("3", "3.0").
func parseQuantity(s string) (int, error) {
	s = strings.ReplaceAll(s, " ", "")
	n, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if ferr != nil || f != math.Trunc(f) {
			return 0, fmt.Errorf("is not a whole number")
		}
		n = int(f)
	}
	if n < 1 || n > maxQuantity {
		return 0, fmt.Errorf("must be between 1 and %d", maxQuantity)
	}
	return n, nil
}

// parseItemID reads the item ID column of an export.
func parseItemID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) {
			return 0, fmt.Errorf("is not an item ID (a whole number)")
		}
		id = int64(f)
	}
	if id <= 0 {
		return 0, fmt.Errorf("is not an item ID (a whole number)")
	}
	return id, nil
}

// parseCountryCell reads a country as a code or a name in Latvian or English.
func parseCountryCell(s string) (string, error) {
	c, ok := ParseCountry(s)
	if !ok {
		return "", fmt.Errorf("is not a country (give an ISO code like CN or a name in Latvian or English)")
	}
	return c.Code, nil
}
