package inventory

import (
	"time"

	"critreg/store"
	"regexp"
	"strings"

	"critreg/errkind"
)

// Limits on text fields: generous for real data, small enough that a hostile client cannot
// fill the database through one field.
const (
	maxName  = 200
	maxText  = 2000
	maxShort = 100
)

// text checks one free-text field (see errkind.ValidationError.Text) and returns it cleaned.
func text(v *errkind.ValidationError, field, s string, max int, required bool) string {
	return v.Text(field, s, max, required)
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
