package vetting

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// DefaultThreshold is the beneficial-ownership threshold, in per cent, used when none is
// given: the 25 % of the EU anti-money-laundering rules.
const DefaultThreshold = 25.0

// maxPaths bounds a walk: a graph that fans out into more paths than this is reported as
// cut short rather than walked for ever.
const maxPaths = 20000

// edge is one statement as the walk uses it.
type edge struct {
	statementID int64
	subject     int64
	owner       int64
	hasShare    bool
	min, max    float64
	control     []string
}

// controls reports whether the owner controls the subject through this statement: a kind
// of control, or a majority share.
func (e edge) controls() bool { return len(e.control) > 0 || (e.hasShare && e.min > 50) }

// label is how the edge reads in evidence: "51 %", "25–50 %", "control (appoint_board)".
func (e edge) label() string {
	var parts []string
	if e.hasShare {
		if e.min == e.max {
			parts = append(parts, pct(e.min)+" %")
		} else {
			parts = append(parts, pct(e.min)+"–"+pct(e.max)+" %")
		}
	}
	if len(e.control) > 0 {
		parts = append(parts, "control ("+strings.Join(e.control, ", ")+")")
	}
	return strings.Join(parts, " + ")
}

func pct(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// graph is the part of the ownership graph above one party on one day.
type graph struct {
	root    int64
	parties map[int64]Party
	up      map[int64][]edge
}

// loadGraph reads every party above root and the statements between them that hold on
// day, in one recursive query: UNION (not UNION ALL) stops at parties already reached, so
// cycles end.
func (v *Vetting) loadGraph(ctx context.Context, q querier, root int64, day string) (graph, error) {
	g := graph{root: root, parties: map[int64]Party{}, up: map[int64][]edge{}}
	const live = `(o.start_date = '' OR o.start_date <= ?2) AND (o.end_date = '' OR ?2 < o.end_date)`
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE above(id) AS (
			SELECT ?1
			UNION
			SELECT o.owner_id FROM vet_ownership o JOIN above ON o.subject_id = above.id WHERE `+live+`
		)
		SELECT o.id, o.subject_id, o.owner_id, o.share_min, o.share_max, o.control
		FROM vet_ownership o JOIN above ON o.subject_id = above.id WHERE `+live+` ORDER BY o.id`, root, day)
	if err != nil {
		return g, fmt.Errorf("walk ownership of party %d: %w", root, err)
	}
	ids := []any{root}
	seen := map[int64]bool{root: true}
	for rows.Next() {
		var e edge
		var lo, hi nullFloat
		var ctl string
		if err := rows.Scan(&e.statementID, &e.subject, &e.owner, &lo, &hi, &ctl); err != nil {
			rows.Close()
			return g, fmt.Errorf("walk ownership of party %d: %w", root, err)
		}
		if lo.Valid || hi.Valid {
			e.hasShare = true
			e.min, e.max = 0, 100
			if lo.Valid {
				e.min = lo.Float64
			}
			if hi.Valid {
				e.max = hi.Float64
			}
		}
		e.control = splitList(ctl)
		g.up[e.subject] = append(g.up[e.subject], e)
		if !seen[e.owner] {
			seen[e.owner] = true
			ids = append(ids, e.owner)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return g, fmt.Errorf("walk ownership of party %d: %w", root, err)
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		prow, err := q.QueryContext(ctx, `SELECT `+partyColumns+` FROM vet_parties WHERE id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, chunk...)
		if err != nil {
			return g, fmt.Errorf("read parties above %d: %w", root, err)
		}
		for prow.Next() {
			p, err := scanParty(prow)
			if err != nil {
				prow.Close()
				return g, fmt.Errorf("read parties above %d: %w", root, err)
			}
			g.parties[p.ID] = p
		}
		prow.Close()
		if err := prow.Err(); err != nil {
			return g, fmt.Errorf("read parties above %d: %w", root, err)
		}
	}
	return g, nil
}

// Path is one chain of statements from the supplier up to an owner.
type Path struct {
	// Parties are the party ids from the supplier (first) to the owner (last).
	Parties []int64 `json:"parties"`
	// Statements are the statement ids between them.
	Statements []int64 `json:"statements"`
	// Min and Max are the owner's indirect share through this path: the shares along it
	// multiplied. A link of control without a share passes 0–100 %.
	Min float64 `json:"min_share"`
	Max float64 `json:"max_share"`
	// Control is set when every link is control (a kind of control or a majority), so the
	// owner controls the supplier through the path whatever the share.
	Control bool `json:"control"`
	// Evidence is the path as a person reads it.
	Evidence string `json:"evidence"`
}

// Owner is a party above the supplier with what all paths to it add up to.
type Owner struct {
	Party Party `json:"party"`
	// Min and Max sum the paths' shares (capped at 100 %).
	Min     float64 `json:"min_share"`
	Max     float64 `json:"max_share"`
	Control bool    `json:"control"`
	// Significant: the owner holds at least the threshold or controls the supplier.
	Significant bool `json:"significant"`
	// Top: no statement names an owner of this party.
	Top   bool   `json:"top"`
	Paths []Path `json:"paths"`
}

// Walk is the result of walking up from one party.
type Walk struct {
	Threshold float64 `json:"threshold"`
	Owners    []Owner `json:"owners"`
	// Cycles are the loops met, as evidence strings; each is walked once.
	Cycles []string `json:"cycles"`
	// Truncated is set when the graph had more paths than a walk follows.
	Truncated bool `json:"truncated"`
}

// walk follows every path up from the root, multiplying shares and carrying control, and
// sums each owner's paths. A party already on the current path ends that path (a cycle).
func (g graph) walk(threshold float64) Walk {
	w := Walk{Threshold: threshold, Cycles: []string{}}
	owners := map[int64]*Owner{}
	var order []int64
	onPath := map[int64]bool{g.root: true}
	paths := 0
	var step func(at int64, p Path, label string)
	step = func(at int64, p Path, label string) {
		for _, e := range g.up[at] {
			if paths >= maxPaths {
				w.Truncated = true
				return
			}
			lo, hi := 0.0, 100.0
			if e.hasShare {
				lo, hi = e.min, e.max
			}
			next := Path{
				Parties:    append(append([]int64{}, p.Parties...), e.owner),
				Statements: append(append([]int64{}, p.Statements...), e.statementID),
				Min:        p.Min * lo / 100,
				Max:        p.Max * hi / 100,
				Control:    p.Control && e.controls(),
			}
			nextLabel := label + " ← " + e.label() + " " + g.name(e.owner)
			if onPath[e.owner] {
				w.Cycles = append(w.Cycles, nextLabel+" (cycle)")
				continue
			}
			paths++
			next.Evidence = nextLabel
			o := owners[e.owner]
			if o == nil {
				o = &Owner{Party: g.parties[e.owner], Top: len(g.up[e.owner]) == 0}
				owners[e.owner] = o
				order = append(order, e.owner)
			}
			o.Paths = append(o.Paths, next)
			onPath[e.owner] = true
			step(e.owner, next, nextLabel)
			onPath[e.owner] = false
		}
	}
	step(g.root, Path{Parties: []int64{g.root}, Min: 100, Max: 100, Control: true}, g.name(g.root))
	for _, id := range order {
		o := owners[id]
		for _, p := range o.Paths {
			o.Min += p.Min
			o.Max += p.Max
			o.Control = o.Control || p.Control
		}
		o.Min, o.Max = min(o.Min, 100), min(o.Max, 100)
		o.Significant = o.Control || o.Min >= threshold
		w.Owners = append(w.Owners, *o)
	}
	if w.Owners == nil {
		w.Owners = []Owner{}
	}
	return w
}

// name is a party as evidence shows it: "Acme Holdings (HK)".
func (g graph) name(id int64) string {
	p, ok := g.parties[id]
	if !ok {
		return fmt.Sprintf("party %d", id)
	}
	return partyLabel(p)
}

func partyLabel(p Party) string {
	c := p.Country
	if p.Kind == PartyPerson {
		c = strings.Join(p.Citizenships, ", ")
	}
	if c == "" {
		c = "country unknown"
	}
	return p.Name + " (" + c + ")"
}
