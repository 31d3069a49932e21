package vetting

import (
	"slices"
	"strings"
	"unicode"

	"critreg/inventory"
)

// itemFacts is what matching needs of an annex-7 item (or a proposed one).
type itemFacts struct {
	ID           int64
	OperatorID   int64
	NetworkID    int64
	Legacy       bool
	CriticalPart string
	Kind         inventory.Kind
	Name, Model  string
	Version      string
	Manufacturer int64
	Distributor  int64
	Outsourcer   int64
}

// productKey folds a model or product name for comparison: case and runs of spaces ignored.
func productKey(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// matches reports whether the opinion covers the item.
func (o *Opinion) matches(it itemFacts) bool {
	s := o.SupplierID
	switch o.SubjectKind {
	case SubjectSupplier:
		return it.Manufacturer == s || it.Distributor == s || it.Outsourcer == s
	case SubjectProduct:
		return it.Kind == inventory.KindEquipment && it.Manufacturer == s && o.sameProduct(it)
	case SubjectSoftware:
		return it.Kind == inventory.KindSoftware && it.Manufacturer == s && o.sameProduct(it) &&
			inRange(it.Version, o.VersionFrom, o.VersionTo)
	case SubjectOutsourcing:
		return it.Kind == inventory.KindOutsourcing && it.Outsourcer == s &&
			(o.Service == "" || productKey(it.Name) == productKey(o.Service))
	}
	return false
}

// sameProduct compares the opinion's product with the item's model, or its name where
// the list keeps the product there (software is often listed by name only).
func (o *Opinion) sameProduct(it itemFacts) bool {
	k := productKey(o.Product)
	return k != "" && (productKey(it.Model) == k || productKey(it.Name) == k)
}

// inRange reports whether version v lies in [from, to] (either end open when empty). An
// item without a version is inside every range: the bureau's opinion is not escaped by
// leaving the version out.
func inRange(v, from, to string) bool {
	if v == "" {
		return true
	}
	return (from == "" || compareVersions(v, from) >= 0) && (to == "" || compareVersions(v, to) <= 0)
}

// compareVersions orders version strings the way people read them: runs of digits as
// numbers, other runs as text, case ignored ("9.10" after "9.9", "17.3.1a" after
// "17.3.1"). A leading "v" is ignored.
func compareVersions(a, b string) int {
	ta, tb := versionTokens(a), versionTokens(b)
	for i := 0; i < len(ta) && i < len(tb); i++ {
		x, y := ta[i], tb[i]
		xd, yd := isDigits(x), isDigits(y)
		switch {
		case xd && yd:
			x, y = strings.TrimLeft(x, "0"), strings.TrimLeft(y, "0")
			if len(x) != len(y) {
				return cmpInt(len(x), len(y))
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
		case xd != yd:
			// A number sorts after text at the same place: "1.0" > "1.beta".
			if xd {
				return 1
			}
			return -1
		default:
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
		}
	}
	return cmpInt(len(ta), len(tb))
}

func versionTokens(s string) []string {
	s = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "v")
	var out []string
	var cur []rune
	digit := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			if !digit {
				flush()
			}
			digit = true
			cur = append(cur, r)
		case unicode.IsLetter(r):
			if digit {
				flush()
			}
			digit = false
			cur = append(cur, r)
		default:
			flush()
			digit = false
		}
	}
	flush()
	return out
}

func isDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsDigit(r) })
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Point 64 binds networks in operation when the rules took effect from this day (123).
const legacyBindsFrom = "2030-01-01"

// The point-64 statuses of an item.
const (
	Prohibited           = "prohibited"
	RestrictedInScope    = "restricted_in_scope"
	RestrictedOutOfScope = "restricted_out_of_scope"
	NoObjection          = "no_objection"
	NotAssessed          = "not_assessed"
)

func severity(v Verdict) int {
	switch v {
	case VerdictThreat:
		return 3
	case VerdictRestricted:
		return 2
	}
	return 1
}

// decide picks the opinion that decides an item's status among the current opinions that
// match it: the most severe, and of equals the one that binds first.
func decide(matched []*Opinion, it itemFacts, day string) Point64Status {
	if len(matched) == 0 {
		return Point64Status{Status: NotAssessed, Reason: "no opinion of the bureau covers it"}
	}
	var best *Opinion
	bestFrom := ""
	for _, o := range matched {
		from := o.bindsFrom(it.Legacy)
		if best == nil || severity(o.Verdict) > severity(best.Verdict) ||
			severity(o.Verdict) == severity(best.Verdict) && from < bestFrom {
			best, bestFrom = o, from
		}
	}
	st := Point64Status{BindsFrom: bestFrom, InForce: bestFrom <= day, Opinion: refOf(best)}
	switch best.Verdict {
	case VerdictThreat:
		st.Status = Prohibited
		st.Reason = "point 64: opinion " + best.Reference + " finds that its use may threaten national security"
		if it.Legacy && bestFrom == legacyBindsFrom && best.EffectiveOn < legacyBindsFrom {
			st.Reason += "; the network was in operation when the rules took effect, so the prohibition binds from 2030-01-01 (point 123)"
		}
	case VerdictRestricted:
		if len(best.Parts) == 0 || slices.Contains(best.Parts, it.CriticalPart) {
			st.Status = RestrictedInScope
			st.Reason = "66.3: opinion " + best.Reference + " restricts its use in critical part " + it.CriticalPart
		} else {
			st.Status = RestrictedOutOfScope
			st.Reason = "66.3: opinion " + best.Reference + " restricts its use in critical parts " + strings.Join(best.Parts, ", ") + ", not in " + it.CriticalPart
		}
	default:
		st.Status = NoObjection
		st.Reason = "opinion " + best.Reference + ": no objection"
	}
	return st
}

// bindsFrom is the day the opinion binds an item: its effective date, or for a threat in a
// network covered by point 123, 2030-01-01 if that is later.
func (o *Opinion) bindsFrom(legacy bool) string {
	if o.Verdict == VerdictThreat && legacy && o.EffectiveOn < legacyBindsFrom {
		return legacyBindsFrom
	}
	return o.EffectiveOn
}
