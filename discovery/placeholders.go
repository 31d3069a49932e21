package discovery

import (
	"strings"
	"unicode"
)

// placeholders are values devices put where they have no real answer. They must not reach
// the registry as a serial or model: two devices both "serial N/A" are not the same device.
var placeholders = map[string]bool{
	"": true, "n/a": true, "na": true, "none": true, "null": true, "nil": true, "unknown": true,
	"default": true, "<private>": true, "private": true, "builtin": true, "not available": true,
	"not specified": true, "unspecified": true, "-": true, "--": true, "0": true, "00000000": true,
	"to be filled by o.e.m.": true, "not applicable": true, "xxxxxxxxxx": true,
}

// clean trims a textual value and returns "" for a placeholder. NUL bytes and other control
// characters are dropped first, since fixed-width fields often come NUL-padded.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == 0 || (unicode.IsControl(r) && r != '\n') {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if isPlaceholder(s) {
		return ""
	}
	return s
}

func isPlaceholder(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	if placeholders[l] {
		return true
	}
	// All one repeated filler character: "0000000", "*****", "FFFFFFFF".
	if len(l) >= 3 && strings.Count(l, l[:1]) == len(l) && strings.ContainsAny(l[:1], "0f*x?-. ") {
		return true
	}
	return false
}

// cleanSerial is clean with the stricter idea of a serial: a single token, no spaces.
func cleanSerial(s string) string {
	s = clean(s)
	if s == "" || strings.ContainsAny(s, " \t\n") && len(strings.Fields(s)) > 1 {
		return ""
	}
	return s
}
