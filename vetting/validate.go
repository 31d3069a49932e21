package vetting

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

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

// text checks one free-text field: trimmed, valid UTF-8, no control characters, within max.
func text(v *errkind.ValidationError, field, s string, max int, required bool) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	switch {
	case !utf8.ValidString(s):
		v.Add(field, "is not valid UTF-8 text")
	case required && s == "":
		v.Add(field, "is required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "is longer than %d characters", max)
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }):
		v.Add(field, "contains control characters")
	}
	return s
}

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
