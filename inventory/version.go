package inventory

import (
	"strings"
	"unicode"
)

// preRelease ranks the words that mark a version before its release: "2.0-rc1" comes
// before "2.0", while any other trailing word ("16.9.4a", "20.3R1", "SPC200") is a later
// build of the same release.
var preRelease = map[string]int{"dev": 1, "snapshot": 1, "alpha": 2, "beta": 3, "pre": 4, "preview": 4, "rc": 5}

// CompareVersions compares two software or firmware versions as vendors write them:
// dotted numbers compared as numbers ("10.2" after "9.12"), letters and suffixes compared
// word by word ("15.2(4)M3", "V300R019C10SPC200", "2.0-rc1"), trailing zeros ignored
// ("1.2" = "1.2.0"). It returns -1, 0 or +1, and false when either side holds no version.
func CompareVersions(a, b string) (int, bool) {
	ta, tb := versionTokens(a), versionTokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0, false
	}
	for i := 0; i < max(len(ta), len(tb)); i++ {
		switch {
		case i >= len(ta):
			return -tailSign(tb[i:]), true
		case i >= len(tb):
			return tailSign(ta[i:]), true
		}
		if c := compareToken(ta[i], tb[i]); c != 0 {
			return c, true
		}
	}
	return 0, true
}

// tailSign says whether a version that goes on past the other's end is later (+1: more
// numbers or a build suffix), earlier (-1: a pre-release word) or the same (0: zeros).
func tailSign(rest []string) int {
	for _, t := range rest {
		if isDigits(t) {
			if strings.Trim(t, "0") != "" {
				return 1
			}
			continue
		}
		if preRelease[t] > 0 {
			return -1
		}
		return 1
	}
	return 0
}

func compareToken(a, b string) int {
	da, db := isDigits(a), isDigits(b)
	switch {
	case da && db:
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return sign(len(a) - len(b))
		}
		return strings.Compare(a, b)
	case da:
		return 1
	case db:
		return -1
	}
	pa, pb := preRelease[a], preRelease[b]
	if pa > 0 || pb > 0 {
		// A pre-release word sorts before any other word, and among themselves by rank.
		switch {
		case pa == 0:
			return 1
		case pb == 0:
			return -1
		case pa != pb:
			return sign(pa - pb)
		}
		return 0
	}
	return strings.Compare(a, b)
}

// versionTokens splits a version into runs of digits and runs of letters, lower case; every
// other character separates. A leading "v" before a digit ("v2.1", "V300R019") is dropped.
func versionTokens(v string) []string {
	v = strings.ToLower(strings.TrimSpace(v))
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		v = v[1:]
	}
	var out []string
	start, kind := -1, 0
	flush := func(i int) {
		if start >= 0 {
			out = append(out, v[start:i])
		}
		start, kind = -1, 0
	}
	for i, r := range v {
		k := 0
		switch {
		case r >= '0' && r <= '9':
			k = 1
		case unicode.IsLetter(r):
			k = 2
		}
		if k != kind {
			flush(i)
			if k != 0 {
				start, kind = i, k
			}
		}
	}
	flush(len(v))
	return out
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
