package inventory

import (
	"time"

	"critreg/store"
	"regexp"
	"strings"
	"unicode/utf8"

	"critreg/errkind"
)

// Limits on text fields: generous for real data, small enough that a hostile client cannot
// fill the database through one field.
const (
	maxName  = 200
	maxText  = 2000
	maxShort = 100
)

// text checks one free-text field: trimmed, valid UTF-8, no control characters, within max.
// It returns the cleaned value.
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

// country checks an ISO 3166-1 alpha-2 code; empty is allowed (unknown).
func country(v *errkind.ValidationError, field, s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	if _, ok := CountryByCode(s); !ok {
		v.Add(field, "%q is not an ISO 3166-1 alpha-2 country code", s)
	}
	return s
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// date checks a calendar date in ISO form; empty is allowed.
func date(v *errkind.ValidationError, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !dateRE.MatchString(s) || !validDate(s) {
		v.Add(field, "%q is not a date in the form YYYY-MM-DD", s)
	}
	return s
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func isUnique(err error) bool     { return store.IsUniqueViolation(err) }
func isForeignKey(err error) bool { return store.IsForeignKeyViolation(err) }
