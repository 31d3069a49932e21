package vetting

import (
	"context"
	"fmt"
	"strings"

	"critreg/access"
)

// The answers of a point-76 check.
const (
	Eligible    = "eligible"
	NotEligible = "not_eligible"
	Unknown     = "unknown"
)

// The results of one sub-point.
const (
	pass    = "pass"
	fail    = "fail"
	unknown = "unknown"
)

// Check is one sub-point of point 76 for one supplier.
type Check struct {
	Point  string `json:"point"`
	Result string `json:"result"`
	Reason string `json:"reason"`
	// Evidence is the ownership path behind the result; only the bureau sees it.
	Evidence string `json:"evidence,omitempty"`
}

// Eligibility says whether a supplier may be contracted under point 76: eligible, not
// eligible (with the sub-points that fail), or unknown (with what is missing).
type Eligibility struct {
	SupplierID int64   `json:"supplier_id"`
	Supplier   string  `json:"supplier"`
	AsOf       string  `json:"as_of"`
	Status     string  `json:"status"`
	Checks     []Check `json:"checks"`
}

// Eligibility evaluates point 76 for a supplier. Operators' users see the result and the
// sub-points; the ownership paths behind them are the bureau's.
func (v *Vetting) Eligibility(ctx context.Context, a access.Actor, supplierID int64, q IndicatorQuery) (Eligibility, error) {
	day, threshold, err := q.check()
	if err != nil {
		return Eligibility{}, err
	}
	s, err := v.subject(ctx, a, supplierID, day, threshold)
	if err != nil {
		return Eligibility{}, err
	}
	out := Eligibility{SupplierID: s.sp.ID, Supplier: s.sp.Name, AsOf: day}
	add := func(point, result, reason, evidence string) {
		out.Checks = append(out.Checks, Check{Point: point, Result: result, Reason: reason, Evidence: evidence})
	}
	if s.party.Kind == PartyPerson {
		// 76.2: a natural person who is a NATO, EU or EEA citizen.
		r, why := citizenCheck(s.states, s.party)
		add("76.2", r, why, s.label)
	} else {
		// 76.1.1: registered in a NATO, EU or EEA state.
		r, why, ev := registered(s.states, s.party)
		add("76.1.1", r, why, ev)
		// 76.1.2: the beneficial owners are NATO, EU or EEA citizens.
		bos := 0
		for _, o := range s.walk.Owners {
			if !o.Significant || !beneficial(o.Party) {
				continue
			}
			bos++
			r, why := citizenCheck(s.states, o.Party)
			add("76.1.2", r, why, o.Paths[0].Evidence)
		}
		if bos == 0 {
			add("76.1.2", unknown, "no beneficial owner recorded", s.label)
		}
		// 76.1.3: the manufacturers of the equipment and software it supplies.
		ms, err := v.manufacturers(ctx, s.sp.ID)
		if err != nil {
			return Eligibility{}, err
		}
		if len(ms) == 0 {
			add("76.1.3", pass, "no equipment or software of another manufacturer recorded for this supplier", "")
		}
		for _, m := range ms {
			p := Party{Kind: PartyCompany, Name: m.name, Country: m.country}
			if m.person {
				p = Party{Kind: PartyPerson, Name: m.name, Citizenships: splitList(m.country)}
				r, why := citizenCheck(s.states, p)
				add("76.1.3", r, "manufacturer "+why, "")
				continue
			}
			r, why, _ := registered(s.states, p)
			add("76.1.3", r, "manufacturer "+why, "")
		}
		// 76.1.4: the members are NATO/EU/EEA citizens or legal persons meeting 76.1.
		if !s.inG {
			add("76.1.4", unknown, "no members (shareholders) recorded", s.label)
		} else {
			g, err := v.loadGraph(ctx, v.db.Read, s.party.ID, day)
			if err != nil {
				return Eligibility{}, err
			}
			r, why, ev := g.members(s.states, threshold, s.party.ID, map[int64]bool{s.party.ID: true})
			add("76.1.4", r, why, ev)
		}
	}
	out.Status = Eligible
	for _, c := range out.Checks {
		if c.Result == fail {
			out.Status = NotEligible
			break
		}
		if c.Result == unknown {
			out.Status = Unknown
		}
	}
	if !bureau(a) {
		for i := range out.Checks {
			out.Checks[i].Evidence = ""
		}
	}
	return out, nil
}

func registered(st states, p Party) (string, string, string) {
	switch {
	case p.Country == "":
		return unknown, p.Name + ": country of registration not recorded", partyLabel(p)
	case st.member(p.Country):
		return pass, p.Name + " is registered in " + p.Country + ", a NATO/EU/EEA state", partyLabel(p)
	}
	return fail, p.Name + " is registered in " + p.Country + ", not a NATO/EU/EEA state", partyLabel(p)
}

// citizenCheck asks whether a person (or a state as owner) is of a NATO/EU/EEA state.
func citizenCheck(st states, p Party) (string, string) {
	cs := countries(p)
	if len(cs) == 0 {
		return unknown, p.Name + ": citizenship not recorded"
	}
	for _, c := range cs {
		if st.member(c) {
			return pass, p.Name + " is of " + c + ", a NATO/EU/EEA state"
		}
	}
	return fail, p.Name + " is of " + strings.Join(cs, ", ") + ", not a NATO/EU/EEA state"
}

// members checks 76.1.4 for the party at: each direct member is a NATO/EU/EEA citizen, or
// a legal person that meets 76.1 itself: registered in such a state, its beneficial owners
// citizens of such states (76.1.2), and its own members passing in turn. A member met
// again on the same chain (a cycle) is not counted twice.
func (g graph) members(st states, threshold float64, at int64, seen map[int64]bool) (string, string, string) {
	es := g.up[at]
	if len(es) == 0 {
		return unknown, "no members (shareholders) recorded for " + g.name(at), g.name(at)
	}
	result, reason, evidence := pass, "every member of "+g.name(at)+" is of a NATO/EU/EEA state", g.name(at)
	for _, e := range es {
		o := g.parties[e.owner]
		var r, why string
		ev := g.name(at) + " ← " + e.label() + " " + g.name(e.owner)
		switch o.Kind {
		case PartyPerson, PartyState, PartyStateBody:
			r, why = citizenCheck(st, o)
		default:
			r, why, _ = registered(st, o)
			if r == pass {
				r, why, ev = g.ownersOf(st, threshold, o.ID, ev)
			}
			if r == pass && !seen[o.ID] {
				seen[o.ID] = true
				r, why, ev = g.members(st, threshold, o.ID, seen)
				ev = g.name(at) + " ← " + e.label() + " " + ev
				delete(seen, o.ID)
			}
		}
		switch {
		case r == fail:
			return fail, "member " + why, ev
		case r == unknown && result == pass:
			result, reason, evidence = unknown, "member "+why, ev
		}
	}
	return result, reason, evidence
}

// ownersOf checks 76.1.2 for a legal member: its beneficial owners are NATO/EU/EEA
// citizens. A member whose owners are not recorded passes here; its own members are
// checked next.
func (g graph) ownersOf(st states, threshold float64, id int64, ev string) (string, string, string) {
	w := graph{root: id, parties: g.parties, up: g.up}.walk(threshold)
	for _, o := range w.Owners {
		if !o.Significant || !beneficial(o.Party) {
			continue
		}
		if r, why := citizenCheck(st, o.Party); r != pass {
			return r, "member " + g.name(id) + "'s beneficial owner " + why, ev + " ← … " + g.name(o.Party.ID)
		}
	}
	return pass, "", ev
}

type manufacturer struct {
	name, country string
	person        bool
}

// manufacturers lists the other manufacturers whose equipment or software the supplier
// distributes or provides, with their country (the register's, else the item's).
func (v *Vetting) manufacturers(ctx context.Context, supplierID int64) ([]manufacturer, error) {
	rows, err := v.db.Read.QueryContext(ctx, `SELECT s.name, max(coalesce(nullif(s.country, ''), i.manufacturer_country)), s.person = 'natural'
		FROM items i JOIN suppliers s ON s.id = i.manufacturer_id
		WHERE (i.distributor_id = ?1 OR i.outsourcer_id = ?1) AND i.manufacturer_id <> ?1
		GROUP BY s.id ORDER BY s.name`, supplierID)
	if err != nil {
		return nil, fmt.Errorf("manufacturers supplied by %d: %w", supplierID, err)
	}
	defer rows.Close()
	var out []manufacturer
	for rows.Next() {
		var m manufacturer
		if err := rows.Scan(&m.name, &m.country, &m.person); err != nil {
			return nil, fmt.Errorf("manufacturers supplied by %d: %w", supplierID, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
