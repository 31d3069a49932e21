package vetting

import (
	"regexp"
	"strconv"
	"strings"

	"critreg/errkind"
	"critreg/inventory"
)

// Limits on text fields: generous for real acts, small enough that one field cannot fill
// the database.
const (
	maxName  = 300
	maxText  = 20000
	maxShort = 200
)

// country checks an ISO 3166-1 alpha-2 code; empty is allowed where required is false.
func country(v *errkind.ValidationError, field, s string, required bool) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		if required {
			v.Add(field, "is required")
		}
		return ""
	}
	if _, ok := inventory.CountryByCode(s); !ok {
		v.Add(field, "%q is not an ISO 3166-1 alpha-2 country code", s)
	}
	return s
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// date checks a YYYY-MM-DD date; empty is allowed where required is false.
func date(v *errkind.ValidationError, field, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, "is required")
		}
		return ""
	}
	if !dateRE.MatchString(s) {
		v.Add(field, "%q is not a date in the form YYYY-MM-DD", s)
		return s
	}
	if _, err := ParseDay(s); err != nil {
		v.Add(field, "%q is not a calendar date", s)
	}
	return s
}

// holds reports whether a fact or statement valid from since until until (exclusive; empty
// means open) holds on day.
func holds(since, until, day string) bool {
	return (since == "" || since <= day) && (until == "" || day < until)
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
