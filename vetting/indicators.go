package vetting

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
)

// IndicatorQuery says for which day and with which threshold indicators are computed.
type IndicatorQuery struct {
	// AsOf is the day (YYYY-MM-DD); empty: today.
	AsOf string
	// Threshold is the beneficial-ownership threshold in per cent; 0: DefaultThreshold.
	Threshold float64
}

func (q IndicatorQuery) check() (string, float64, error) {
	day, err := asOf(q.AsOf)
	if err != nil {
		return "", 0, err
	}
	t := q.Threshold
	if t == 0 {
		t = DefaultThreshold
	}
	if t < 0 || t > 100 {
		return "", 0, errkind.Invalid("threshold", "must be a percentage above 0 and at most 100")
	}
	return day, t, nil
}

// Indicator is one point-65 criterion a supplier meets, with the evidence that shows it.
type Indicator struct {
	Criterion string `json:"criterion"`
	// Country is the state the criterion is about.
	Country  string `json:"country,omitempty"`
	Evidence string `json:"evidence"`
	// Facts are the reference data the finding rests on.
	Facts []Fact `json:"facts,omitempty"`
	// Unverified is set when every fact it rests on is unverified.
	Unverified bool `json:"unverified"`
}

// Gap is something that keeps a criterion from being assessed.
type Gap struct {
	Criterion string `json:"criterion"`
	Reason    string `json:"reason"`
	Evidence  string `json:"evidence,omitempty"`
}

// Indicators is what the ownership graph and the reference data say about one supplier.
// They are indicators for the analyst: an opinion is a person's decision.
type Indicators struct {
	SupplierID int64       `json:"supplier_id"`
	Supplier   string      `json:"supplier"`
	AsOf       string      `json:"as_of"`
	Threshold  float64     `json:"threshold"`
	Met        []Indicator `json:"met"`
	Unknown    []Gap       `json:"cannot_assess"`
	Owners     []Owner     `json:"owners"`
	Cycles     []string    `json:"cycles"`
	Truncated  bool        `json:"truncated"`
}

// subject is a supplier with its place in the graph, ready for evaluation.
type subject struct {
	sp     inventory.Supplier
	party  Party
	inG    bool
	walk   Walk
	states states
	day    string
	label  string
}

func (v *Vetting) subject(ctx context.Context, a access.Actor, supplierID int64, day string, threshold float64) (subject, error) {
	sp, err := inventory.NewStore(v.db).Supplier(ctx, a, supplierID)
	if err != nil {
		return subject{}, err
	}
	st, err := v.loadStates(ctx, day)
	if err != nil {
		return subject{}, err
	}
	s := subject{sp: sp, states: st, day: day}
	s.party, s.inG, err = supplierParty(ctx, v.db.Read, supplierID)
	if err != nil {
		return subject{}, err
	}
	if s.inG {
		g, err := v.loadGraph(ctx, v.db.Read, s.party.ID, day)
		if err != nil {
			return subject{}, err
		}
		s.walk = g.walk(threshold)
		s.label = g.name(s.party.ID)
	} else {
		s.walk = Walk{Threshold: threshold, Owners: []Owner{}, Cycles: []string{}}
		s.party = Party{Kind: PartyCompany, Name: sp.Name, Country: sp.Country, SupplierID: sp.ID}
		if sp.Person == "natural" {
			s.party.Kind = PartyPerson
			if sp.Country != "" {
				s.party.Citizenships = []string{sp.Country}
			}
			s.party.Country = ""
		}
		s.label = partyLabel(s.party)
	}
	if s.party.Country == "" && s.party.Kind != PartyPerson {
		s.party.Country = sp.Country
	}
	return s, nil
}

// countries are the states a party is tied to: registration, citizenships, or the state
// itself.
func countries(p Party) []string {
	if p.Kind == PartyPerson {
		return p.Citizenships
	}
	if p.Country == "" {
		return nil
	}
	return []string{p.Country}
}

// beneficial reports whether an owner is an end of the chain of ownership point 65.2.1
// asks about: a natural person or a state.
func beneficial(p Party) bool {
	return p.Kind == PartyPerson || p.Kind == PartyState || p.Kind == PartyStateBody
}

// Indicators evaluates the point-65 criteria for one supplier. The graph is bureau
// material, so only the bureau and admins read it.
func (v *Vetting) Indicators(ctx context.Context, a access.Actor, supplierID int64, q IndicatorQuery) (Indicators, error) {
	if err := needBureau(a); err != nil {
		return Indicators{}, err
	}
	day, threshold, err := q.check()
	if err != nil {
		return Indicators{}, err
	}
	s, err := v.subject(ctx, a, supplierID, day, threshold)
	if err != nil {
		return Indicators{}, err
	}
	out := Indicators{SupplierID: s.sp.ID, Supplier: s.sp.Name, AsOf: day, Threshold: threshold,
		Met: []Indicator{}, Unknown: []Gap{}, Owners: s.walk.Owners, Cycles: s.walk.Cycles, Truncated: s.walk.Truncated}
	met := func(criterion, country, evidence string, facts []Fact) {
		// A finding is unverified when no verified fact supports it on its own.
		in := Indicator{Criterion: criterion, Country: country, Evidence: evidence, Facts: facts, Unverified: len(facts) > 0}
		for _, f := range facts {
			in.Unverified = in.Unverified && !f.Verified
		}
		if in.Unverified {
			in.Evidence += " [rests on an unverified fact]"
		}
		out.Met = append(out.Met, in)
	}
	// The supplier's own state and those of its significant owners: 65.1.1–65.1.5.
	stateFindings := func(path string, cs []string) {
		for _, c := range cs {
			st := s.states[c]
			if st == nil {
				continue
			}
			for _, f := range st.evaluate(day) {
				met(f.Criterion, c, path+": "+c+" "+describe(f.Criterion), f.Facts)
			}
		}
	}
	if cs := countries(s.party); len(cs) == 0 {
		out.Unknown = append(out.Unknown, Gap{Criterion: "65.1", Reason: "the supplier's country of registration (or citizenship) is not recorded", Evidence: s.label})
	} else {
		stateFindings(s.label, cs)
	}
	hasBO := false
	for _, o := range s.walk.Owners {
		cs := countries(o.Party)
		ev := o.Paths[0].Evidence
		if len(o.Paths) > 1 {
			ev = fmt.Sprintf("%s (and %d more paths; total %s)", ev, len(o.Paths)-1, shareText(o))
		}
		if len(cs) == 0 {
			out.Unknown = append(out.Unknown, Gap{Criterion: "65.1", Reason: "owner of unknown country: " + o.Party.Name, Evidence: ev})
		}
		if !o.Significant && o.Max >= threshold {
			out.Unknown = append(out.Unknown, Gap{Criterion: "65.2.1", Reason: fmt.Sprintf("the share of %s (%s) may reach the threshold of %s %%", o.Party.Name, shareText(o), pct(threshold)), Evidence: ev})
		}
		if o.Top && !beneficial(o.Party) && o.Significant {
			out.Unknown = append(out.Unknown, Gap{Criterion: "65.2.1", Reason: "the owners of " + o.Party.Name + " are not recorded", Evidence: ev})
		}
		if o.Significant {
			stateFindings(ev, cs)
			if beneficial(o.Party) {
				hasBO = true
				for _, c := range cs {
					if st := s.states[c]; st != nil && len(st.evaluate(day)) > 0 {
						met("65.2.1", c, ev+": beneficial owner "+o.Party.Name+" tied to "+c+", which meets "+strings.Join(st.Criteria, ", "), nil)
					}
				}
			}
		}
		// A state or state body at any share is a link to that state (65.2.2).
		if o.Party.Kind == PartyState || o.Party.Kind == PartyStateBody {
			for _, c := range cs {
				if st := s.states[c]; st != nil && len(st.evaluate(day)) > 0 {
					met("65.2.2", c, ev+": owned or controlled by the state "+c+", which meets "+strings.Join(st.Criteria, ", "), nil)
				}
			}
		}
	}
	if !hasBO && s.party.Kind != PartyPerson {
		reason := "no beneficial owner recorded"
		if !s.inG || len(s.walk.Owners) == 0 {
			reason = "no beneficial owner recorded: the graph names no owner of the supplier"
		}
		out.Unknown = append(out.Unknown, Gap{Criterion: "65.2.1", Reason: reason, Evidence: s.label})
	}
	// 65.1.6: where the supplier's equipment and software are produced or developed.
	origins, err := v.originCountries(ctx, s.sp.ID)
	if err != nil {
		return Indicators{}, err
	}
	for _, oc := range origins {
		st := s.states[oc]
		if st == nil {
			continue
		}
		if fs := st.evaluate(day); len(fs) > 0 {
			var facts []Fact
			for _, f := range fs {
				facts = append(facts, f.Facts...)
			}
			met("65.1.6", oc, fmt.Sprintf("%s: items produced or developed in %s, which meets %s", s.label, oc, strings.Join(st.Criteria, ", ")), facts)
		}
	}
	sort.SliceStable(out.Met, func(i, j int) bool { return out.Met[i].Criterion < out.Met[j].Criterion })
	return out, nil
}

func shareText(o Owner) string {
	s := pct(round(o.Min)) + " %"
	if o.Max != o.Min {
		s = pct(round(o.Min)) + "–" + pct(round(o.Max)) + " %"
	}
	if o.Control {
		s += ", control"
	}
	return s
}

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// describe says in words what a criterion found of a state.
func describe(criterion string) string {
	switch criterion {
	case "65.1.1":
		return "not NATO/EU/EEA (65.1.1)"
	case "65.1.2":
		return "recognised as supporting terrorism (65.1.2)"
	case "65.1.3":
		return "named in a cyber-attribution statement Latvia made or joined (65.1.3)"
	case "65.1.4":
		return "no democratic government or no security/data-protection agreement (65.1.4)"
	case "65.1.5":
		return "law obliges cooperation with the government (65.1.5)"
	}
	return criterion
}

// originCountries lists the countries where the supplier's items are produced or
// developed. The recursive query skips through the (manufacturer, origin) index one
// country at a time, so a vendor with a hundred thousand items costs a few seeks.
func (v *Vetting) originCountries(ctx context.Context, supplierID int64) ([]string, error) {
	rows, err := v.db.Read.QueryContext(ctx, `WITH RECURSIVE c(x) AS (
			SELECT (SELECT min(origin_country) FROM items WHERE manufacturer_id = ?1 AND origin_country > '')
			UNION ALL
			SELECT (SELECT min(origin_country) FROM items WHERE manufacturer_id = ?1 AND origin_country > c.x) FROM c WHERE c.x IS NOT NULL
		)
		SELECT x FROM c WHERE x IS NOT NULL`, supplierID)
	if err != nil {
		return nil, fmt.Errorf("origin countries of supplier %d: %w", supplierID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("origin countries of supplier %d: %w", supplierID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// member reports NATO/EU/EEA membership of a state on the day the states were evaluated.
func (st states) member(code string) bool {
	s := st[code]
	return s != nil && s.Member
}
