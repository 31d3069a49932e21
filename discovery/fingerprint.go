package discovery

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// Rules are fingerprint rules: patterns over what a device says about itself, each naming
// the annex-6 function a match suggests and how sure that suggestion is. They are data —
// seeded from fixtures/fingerprints.json and then kept by admins in the database — so that
// a vendor is added without a release.
type Rules struct {
	functions    map[string]string
	confirmBelow float64
	rules        []rule
}

// rule is one compiled rule; every pattern present must match.
type rule struct {
	id         string
	function   string
	confidence float64
	weak       bool
	sysDescr   *regexp.Regexp
	sysObject  string
	hostname   *regexp.Regexp
	model      *regexp.Regexp
	maker      *regexp.Regexp
	software   *regexp.Regexp
}

// rulesFile is the JSON shape of the rules.
type rulesFile struct {
	// Functions names each annex-6 code used, e.g. "4.1": "AMF".
	Functions map[string]string `json:"functions"`
	// ConfirmBelow: a result under this confidence needs a person to confirm it.
	ConfirmBelow float64    `json:"confirm_below"`
	Rules        []ruleJSON `json:"rules"`
}

type ruleJSON struct {
	ID         string  `json:"id"`
	Function   string  `json:"function"`
	Confidence float64 `json:"confidence"`
	// Weak marks evidence that alone never suffices (a host name).
	Weak bool `json:"weak"`
	// Patterns are Go regular expressions; sys_object_id is a dotted prefix.
	SysDescr     string `json:"sys_descr"`
	SysObjectID  string `json:"sys_object_id"`
	Hostname     string `json:"hostname"`
	Model        string `json:"model"`
	Manufacturer string `json:"manufacturer"`
	Software     string `json:"software"`
}

// FunctionMatch is one annex-6 function a device appears to perform.
type FunctionMatch struct {
	// Code is the annex-6 code ("4.1"); Short its abbreviation ("AMF").
	Code  string `json:"code"`
	Short string `json:"short"`
	// Confidence is 0–1: the matching rules combined as independent evidence.
	Confidence float64 `json:"confidence"`
	// NeedsConfirmation is set when the match rests only on weak signals or is below the
	// rules' confirmation threshold; a person must confirm it before it enters the list.
	NeedsConfirmation bool `json:"needs_confirmation"`
	// Evidence lists the rules that matched and on what.
	Evidence []string `json:"evidence"`
}

// LoadRules reads fingerprint rules from JSON.
func LoadRules(r io.Reader) (*Rules, error) {
	var f rulesFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("fingerprint rules: %w", err)
	}
	rs := &Rules{functions: f.Functions, confirmBelow: f.ConfirmBelow}
	if rs.confirmBelow <= 0 {
		rs.confirmBelow = 0.7
	}
	var errs []error
	seen := map[string]bool{}
	for i, j := range f.Rules {
		ru, err := compileRule(j, f.Functions)
		if err == nil && seen[j.ID] {
			err = errors.New("duplicate id")
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("rule %d (%s): %w", i+1, j.ID, err))
			continue
		}
		seen[j.ID] = true
		rs.rules = append(rs.rules, ru)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("fingerprint rules: %w", err)
	}
	return rs, nil
}

// ParseRules reads fingerprint rules from JSON bytes (for an embedded file).
func ParseRules(b []byte) (*Rules, error) { return LoadRules(strings.NewReader(string(b))) }

func compileRule(j ruleJSON, functions map[string]string) (rule, error) {
	r := rule{id: j.ID, function: j.Function, confidence: j.Confidence, weak: j.Weak, sysObject: strings.TrimPrefix(j.SysObjectID, ".")}
	if j.ID == "" {
		return r, errors.New("no id")
	}
	if _, ok := functions[j.Function]; !ok {
		return r, fmt.Errorf("function %q is not listed in functions", j.Function)
	}
	if j.Confidence <= 0 || j.Confidence > 1 {
		return r, fmt.Errorf("confidence %v: want 0 < c <= 1", j.Confidence)
	}
	var err error
	compile := func(dst **regexp.Regexp, field, pat string) {
		if pat == "" || err != nil {
			return
		}
		if *dst, err = regexp.Compile(pat); err != nil {
			err = fmt.Errorf("%s: %w", field, err)
		}
	}
	compile(&r.sysDescr, "sys_descr", j.SysDescr)
	compile(&r.hostname, "hostname", j.Hostname)
	compile(&r.model, "model", j.Model)
	compile(&r.maker, "manufacturer", j.Manufacturer)
	compile(&r.software, "software", j.Software)
	if err != nil {
		return r, err
	}
	if r.sysDescr == nil && r.hostname == nil && r.model == nil && r.maker == nil && r.software == nil && r.sysObject == "" {
		return r, errors.New("no pattern")
	}
	return r, nil
}

// Len is the number of rules.
func (rs *Rules) Len() int { return len(rs.rules) }

// match tests one rule and says on what it matched.
func (r *rule) match(d *Device) (string, bool) {
	var why []string
	check := func(re *regexp.Regexp, field, v string) bool {
		if re == nil {
			return true
		}
		if v == "" || !re.MatchString(v) {
			return false
		}
		why = append(why, fmt.Sprintf("%s %q", field, truncateText(v, 60)))
		return true
	}
	if r.sysObject != "" {
		if !(d.SysObjectID == r.sysObject || strings.HasPrefix(d.SysObjectID, r.sysObject+".")) {
			return "", false
		}
		why = append(why, "sysObjectID "+d.SysObjectID)
	}
	if !check(r.sysDescr, "sysDescr", d.SysDescr) || !check(r.hostname, "sysName", d.SysName) ||
		!check(r.model, "model", d.Model) || !check(r.maker, "manufacturer", d.Manufacturer) {
		return "", false
	}
	if r.software != nil {
		found := ""
		for _, s := range slices.Concat(d.RunningSoftware, d.InstalledSoftware) {
			if r.software.MatchString(s) {
				found = s
				break
			}
		}
		if found == "" {
			return "", false
		}
		why = append(why, fmt.Sprintf("software %q", found))
	}
	return r.id + ": " + strings.Join(why, ", "), true
}

// Match applies the rules to a device. Evidence for the same function combines as
// independent: 1 - Π(1 - cᵢ), capped below certainty, since no SNMP answer proves a function.
func (rs *Rules) Match(d *Device) []FunctionMatch {
	if rs == nil {
		return nil
	}
	type acc struct {
		miss   float64
		strong bool
		ev     []string
	}
	by := map[string]*acc{}
	for i := range rs.rules {
		r := &rs.rules[i]
		why, ok := r.match(d)
		if !ok {
			continue
		}
		a := by[r.function]
		if a == nil {
			a = &acc{miss: 1}
			by[r.function] = a
		}
		a.miss *= 1 - r.confidence
		a.strong = a.strong || !r.weak
		a.ev = append(a.ev, why)
	}
	out := make([]FunctionMatch, 0, len(by))
	for code, a := range by {
		c := min(1-a.miss, 0.99)
		c = float64(int(c*100+0.5)) / 100
		out = append(out, FunctionMatch{
			Code: code, Short: rs.functions[code], Confidence: c,
			NeedsConfirmation: !a.strong || c < rs.confirmBelow,
			Evidence:          a.ev,
		})
	}
	slices.SortFunc(out, func(a, b FunctionMatch) int {
		if a.Confidence != b.Confidence {
			if a.Confidence > b.Confidence {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

func truncateText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
