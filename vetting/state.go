package vetting

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"critreg/errkind"
)

// FactKind is what a fact about a state says.
type FactKind string

// The facts kept about states: memberships (65.1.1, 76) and the bureau's designations
// (65.1.2–65.1.5).
const (
	FactNATO FactKind = "nato"
	FactEU   FactKind = "eu"
	FactEEA  FactKind = "eea"
	// FactTerror: recognised as a state supporting terrorism by the European Parliament or
	// the Saeima (65.1.2).
	FactTerror FactKind = "terror_designation"
	// FactAttribution: named in a public cyber-incident attribution statement Latvia made or
	// joined (65.1.3).
	FactAttribution FactKind = "attribution"
	// FactNoDemocracy and FactNoAgreement: no democratic form of government; no agreement
	// with Latvia in the field of security or data protection (65.1.4).
	FactNoDemocracy FactKind = "no_democracy"
	FactNoAgreement FactKind = "no_agreement"
	// FactCooperationLaw: laws oblige suppliers to cooperate with the government (65.1.5).
	FactCooperationLaw FactKind = "cooperation_law"
)

// FactKinds lists every kind of fact.
var FactKinds = []FactKind{FactNATO, FactEU, FactEEA, FactTerror, FactAttribution, FactNoDemocracy, FactNoAgreement, FactCooperationLaw}

// Fact is one sourced statement about a state, holding from Since until the day before
// Until (empty: open). Verified is false for a fact the sources leave uncertain: it still
// counts, and every finding built on it says so.
type Fact struct {
	ID        int64    `json:"id,omitempty"`
	Kind      FactKind `json:"kind"`
	Since     string   `json:"since"`
	Until     string   `json:"until,omitempty"`
	Title     string   `json:"title"`
	Reference string   `json:"reference,omitempty"`
	Source    string   `json:"source"`
	Verified  bool     `json:"verified"`
	Note      string   `json:"note,omitempty"`
}

// State is an ISO 3166-1 alpha-2 state with its facts, and what they make of it on AsOf.
type State struct {
	Code   string `json:"code"`
	NameEN string `json:"name_en"`
	NameLV string `json:"name_lv"`
	AsOf   string `json:"as_of"`
	NATO   bool   `json:"nato"`
	EU     bool   `json:"eu"`
	EEA    bool   `json:"eea"`
	// Member is NATO, EU or EEA membership on AsOf: what 65.1.1 and point 76 ask.
	Member bool `json:"member"`
	// Criteria are the point-65.1 criteria the state meets on AsOf.
	Criteria []string `json:"criteria"`
	Facts    []Fact   `json:"facts"`
	// Version identifies the facts as they stand; a StateInput that names it is refused
	// once another save has changed them.
	Version string `json:"version"`
}

// StateInput replaces every fact of one state.
type StateInput struct {
	Facts []Fact `json:"facts"`
	// Version, when given, is the State.Version the facts were read at: a save made
	// after another one changed them is refused instead of undoing that change.
	Version string `json:"version,omitempty"`
}

// factsVersion identifies a state's facts: a digest of them, ids included.
func factsVersion(facts []Fact) string {
	h := sha256.New()
	for _, f := range facts {
		fmt.Fprintf(h, "%d\x1f%s\x1f%s\x1f%s\x1f%q\x1f%q\x1f%q\x1f%t\x1f%q\x1e", f.ID, f.Kind, f.Since, f.Until, f.Title, f.Reference, f.Source, f.Verified, f.Note)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// criterionFacts maps each point-65.1 criterion a state can meet by designation to the
// kinds of fact that establish it. 65.1.1 is the absence of membership.
var criterionFacts = []struct {
	criterion string
	kinds     []FactKind
}{
	{"65.1.2", []FactKind{FactTerror}},
	{"65.1.3", []FactKind{FactAttribution}},
	{"65.1.4", []FactKind{FactNoDemocracy, FactNoAgreement}},
	{"65.1.5", []FactKind{FactCooperationLaw}},
}

// finding is one criterion a state meets on a day, with the facts behind it.
type finding struct {
	Criterion string
	Facts     []Fact
}

// evaluate fills in what the facts make of s on day and returns the criteria findings.
func (s *State) evaluate(day string) []finding {
	s.AsOf = day
	s.NATO, s.EU, s.EEA = false, false, false
	for _, f := range s.Facts {
		if !holds(f.Since, f.Until, day) {
			continue
		}
		switch f.Kind {
		case FactNATO:
			s.NATO = true
		case FactEU:
			s.EU = true
		case FactEEA:
			s.EEA = true
		}
	}
	s.Member = s.NATO || s.EU || s.EEA
	var out []finding
	if !s.Member {
		out = append(out, finding{Criterion: "65.1.1"})
	}
	for _, c := range criterionFacts {
		var fs []Fact
		for _, f := range s.Facts {
			if slices.Contains(c.kinds, f.Kind) && holds(f.Since, f.Until, day) {
				fs = append(fs, f)
			}
		}
		if len(fs) > 0 {
			out = append(out, finding{Criterion: c.criterion, Facts: fs})
		}
	}
	s.Criteria = []string{}
	for _, f := range out {
		s.Criteria = append(s.Criteria, f.Criterion)
	}
	return out
}

// validateFacts checks a state's facts and reports every problem.
func validateFacts(facts []Fact) ([]Fact, error) {
	v := &errkind.ValidationError{}
	out := make([]Fact, len(facts))
	for i, f := range facts {
		p := "facts[" + itoa(i) + "]."
		if !slices.Contains(FactKinds, f.Kind) {
			v.Add(p+"kind", "unknown kind %q", f.Kind)
		}
		f.Since = date(v, p+"since", f.Since, false)
		f.Until = date(v, p+"until", f.Until, false)
		if f.Since != "" && f.Until != "" && f.Until <= f.Since {
			v.Add(p+"until", "must be after since")
		}
		f.Title = v.Text(p+"title", f.Title, maxName, true)
		f.Reference = v.Text(p+"reference", f.Reference, maxShort, false)
		f.Source = v.Text(p+"source", f.Source, maxText, true)
		f.Note = v.Text(p+"note", f.Note, maxText, false)
		if !f.Verified && f.Note == "" {
			v.Add(p+"note", "an unverified fact needs a note saying what is uncertain")
		}
		f.ID = 0
		out[i] = f
	}
	return out, v.Err()
}
