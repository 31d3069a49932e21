package inventory

import (
	"strings"
	"unicode"
)

// latvianFold maps Latvian letters with diacritics to their base letters, so that "Ķīna",
// "Kina" and "KĪNA" compare equal when matching names typed by people.
var latvianFold = strings.NewReplacer(
	"ā", "a", "č", "c", "ē", "e", "ģ", "g", "ī", "i", "ķ", "k", "ļ", "l", "ņ", "n", "š", "s", "ū", "u", "ž", "z",
	"ō", "o", "ŗ", "r",
)

// foldKey folds a name for matching: lower case, Latvian diacritics removed, every run of
// white space (non-breaking spaces included) made one space, ends trimmed.
func foldKey(s string) string {
	s = strings.ToLower(s)
	s = latvianFold.Replace(s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }), " ")
}
