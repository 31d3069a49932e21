package vetting

import (
	"slices"
	"strings"
	"testing"
)

func ownerNamed(w []Owner, name string) (Owner, bool) {
	for _, o := range w {
		if o.Party.Name == name {
			return o, true
		}
	}
	return Owner{}, false
}

func TestWalk(t *testing.T) {
	e := newEnv(t)
	day := "2025-06-01"
	walk := func(supplierID int64) Walk {
		t.Helper()
		p, ok, err := supplierParty(e.ctx, e.db.Read, supplierID)
		if err != nil || !ok {
			t.Fatalf("supplierParty(%d) = %v, %v", supplierID, ok, err)
		}
		g, err := e.v.loadGraph(e.ctx, e.db.Read, p.ID, day)
		if err != nil {
			t.Fatal(err)
		}
		return g.walk(DefaultThreshold)
	}

	t.Run("cycle", func(t *testing.T) {
		s := e.supplierParty(e.supplier("Cycle SIA", "LV"))
		a := e.company("Cycle Holding A", "CY")
		b := e.company("Cycle Holding B", "CY")
		e.own(s, a, 100)
		e.own(a, b, 50)
		e.own(b, a, 30) // B owns A and A owns B
		w := walk(mustSupplier(t, e, "Cycle SIA"))
		if len(w.Cycles) == 0 {
			t.Errorf("walk(cycle).Cycles = %v, want the loop reported", w.Cycles)
		}
		if o, ok := ownerNamed(w.Owners, "Cycle Holding B"); !ok || o.Min != 50 {
			t.Errorf("walk(cycle) B = %+v, want 50 %%", o)
		}
	})

	t.Run("two paths to one state add up", func(t *testing.T) {
		s := e.supplierParty(e.supplier("Twopath SIA", "LV"))
		x := e.company("Twopath X", "LV")
		y := e.company("Twopath Y", "LV")
		cn := e.party(PartyInput{Kind: PartyState, Country: "CN"})
		e.own(s, x, 20)
		e.own(s, y, 20)
		e.own(x, cn, 100)
		e.own(y, cn, 100)
		w := walk(mustSupplier(t, e, "Twopath SIA"))
		o, ok := ownerNamed(w.Owners, "China")
		if !ok || len(o.Paths) != 2 || o.Min != 40 || !o.Significant {
			t.Errorf("walk(two paths) China = %+v, want 2 paths, 40 %%, significant", o)
		}
	})

	t.Run("shares multiply along a path", func(t *testing.T) {
		for _, c := range []struct {
			first, second float64
			want          float64
			significant   bool
		}{{60, 50, 30, true}, {40, 50, 20, false}} {
			name := "Mult " + pct(c.first)
			s := e.supplierParty(e.supplier(name+" SIA", "LV"))
			m := e.company(name+" Mid", "LV")
			top := e.person(name+" Owner", "LV")
			e.own(s, m, c.first)
			e.own(m, top, c.second)
			o, _ := ownerNamed(walk(mustSupplier(t, e, name+" SIA")).Owners, name+" Owner")
			if o.Min != c.want || o.Significant != c.significant {
				t.Errorf("walk(%v %% × %v %%) = %v %% significant %v, want %v %% significant %v", c.first, c.second, o.Min, o.Significant, c.want, c.significant)
			}
		}
	})

	t.Run("control without shares", func(t *testing.T) {
		s := e.supplierParty(e.supplier("Ctl SIA", "LV"))
		p := e.person("Ctl Person", "CN")
		e.own(s, p, -1, ControlBoard)
		o, ok := ownerNamed(walk(mustSupplier(t, e, "Ctl SIA")).Owners, "Ctl Person")
		if !ok || !o.Control || !o.Significant {
			t.Errorf("walk(control) = %+v, want control and significant", o)
		}
	})

	t.Run("state body four levels up", func(t *testing.T) {
		s := e.supplierParty(e.supplier("Deep SIA", "LV"))
		l1 := e.company("Deep L1", "NL")
		l2 := e.company("Deep L2", "HK")
		l3 := e.company("Deep L3", "HK")
		body := e.party(PartyInput{Kind: PartyStateBody, Name: "State assets commission", Country: "CN"})
		e.own(s, l1, 100)
		e.own(l1, l2, 100)
		e.own(l2, l3, 100)
		e.own(l3, body, 51)
		o, ok := ownerNamed(walk(mustSupplier(t, e, "Deep SIA")).Owners, "State assets commission")
		if !ok || len(o.Paths[0].Parties) != 5 || o.Min != 51 || !o.Control {
			t.Fatalf("walk(four levels) = %+v, want 51 %% control over a path of 5 parties", o)
		}
		want := "Deep SIA (LV) ← 100 % Deep L1 (NL) ← 100 % Deep L2 (HK) ← 100 % Deep L3 (HK) ← 51 % State assets commission (CN)"
		if o.Paths[0].Evidence != want {
			t.Errorf("evidence = %q, want %q", o.Paths[0].Evidence, want)
		}
	})

	t.Run("ended statement is not walked after its end", func(t *testing.T) {
		s := e.supplierParty(e.supplier("Ended SIA", "LV"))
		p := e.person("Ended Owner", "RU")
		_, err := e.v.CreateStatement(e.ctx, e.bureau, StatementInput{SubjectID: s, OwnerID: p, Share: &Share{Exact: ptr(100)},
			StartDate: "2020-01-01", EndDate: "2024-01-01", Source: "register"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			day  string
			want bool
		}{{"2019-12-31", false}, {"2020-01-01", true}, {"2023-12-31", true}, {"2024-01-01", false}} {
			pt, _, _ := supplierParty(e.ctx, e.db.Read, mustSupplier(t, e, "Ended SIA"))
			g, err := e.v.loadGraph(e.ctx, e.db.Read, pt.ID, c.day)
			if err != nil {
				t.Fatal(err)
			}
			_, got := ownerNamed(g.walk(DefaultThreshold).Owners, "Ended Owner")
			if got != c.want {
				t.Errorf("owner on %s = %v, want %v", c.day, got, c.want)
			}
		}
	})
}

func mustSupplier(t *testing.T, e *env, name string) int64 {
	t.Helper()
	sp, err := e.inv.SupplierByName(e.ctx, e.bureau, name)
	if err != nil {
		t.Fatal(err)
	}
	return sp.ID
}

func criteria(in Indicators) []string {
	var out []string
	for _, m := range in.Met {
		if !slices.Contains(out, m.Criterion) {
			out = append(out, m.Criterion)
		}
	}
	return out
}

func TestIndicators(t *testing.T) {
	e := newEnv(t)
	// 65.1.4 has no seeded designation: the bureau records one for the test.
	if _, err := e.v.UpdateState(e.ctx, e.bureau, "BY", StateInput{Facts: []Fact{{Kind: FactNoDemocracy, Since: "2020-08-09",
		Title: "test designation", Source: "bureau test", Verified: true}}}); err != nil {
		t.Fatal(err)
	}
	if got := e.auditActions("state", "BY"); !slices.Equal(got, []string{"state.update"}) {
		t.Errorf("audit of state BY = %v, want [state.update]", got)
	}
	acme := e.supplier("Acme SIA", "LV")
	s := e.supplierParty(acme)
	hold := e.company("Acme Holdings", "HK")
	sac := e.party(PartyInput{Kind: PartyStateBody, Name: "state assets commission", Country: "CN"})
	e.own(s, hold, 100)
	e.own(hold, sac, 51)

	ru := e.supplierParty(e.supplier("Ru Telecom OOO", "RU"))
	e.own(ru, e.person("Ivan Petrov", "RU"), 100)
	by := e.supplier("By Soft", "BY")
	local := e.supplier("Local Maker SIA", "LV")
	e.own(e.supplierParty(local), e.person("Anna Ozola", "LV"), 100)
	net := e.network("core", false)
	e.item(inventoryItem(net, "4.1", "equipment", "Box 1", "Local Maker SIA", "CN"))

	cases := []struct {
		name     string
		supplier int64
		asOf     string
		want     []string
		notWant  []string
		unknown  string
	}{
		{"state body behind a holding", acme, "2025-06-01", []string{"65.1.1", "65.1.3", "65.1.5", "65.2.2"}, []string{"65.1.2"}, ""},
		{"terror designation", mustSupplier(t, e, "Ru Telecom OOO"), "2025-06-01", []string{"65.1.1", "65.1.2", "65.1.3", "65.1.5", "65.2.1"}, nil, ""},
		{"before the designation", mustSupplier(t, e, "Ru Telecom OOO"), "2022-01-01", []string{"65.1.1", "65.1.5"}, []string{"65.1.2"}, ""},
		{"no democracy", by, "2025-06-01", []string{"65.1.1", "65.1.4"}, nil, "65.2.1"},
		{"production place", local, "2025-06-01", []string{"65.1.6"}, []string{"65.1.1", "65.2.1"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := e.v.Indicators(e.ctx, e.bureau, c.supplier, IndicatorQuery{AsOf: c.asOf})
			if err != nil {
				t.Fatal(err)
			}
			got := criteria(in)
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("Indicators(%s) = %v, want %s among them", c.name, got, w)
				}
			}
			for _, w := range c.notWant {
				if slices.Contains(got, w) {
					t.Errorf("Indicators(%s) = %v, want no %s", c.name, got, w)
				}
			}
			if c.unknown != "" && !slices.ContainsFunc(in.Unknown, func(g Gap) bool { return g.Criterion == c.unknown }) {
				t.Errorf("Indicators(%s).Unknown = %+v, want %s", c.name, in.Unknown, c.unknown)
			}
		})
	}

	t.Run("evidence reads as a path", func(t *testing.T) {
		in, err := e.v.Indicators(e.ctx, e.bureau, acme, IndicatorQuery{AsOf: "2025-06-01"})
		if err != nil {
			t.Fatal(err)
		}
		want := "Acme SIA (LV) ← 100 % Acme Holdings (HK) ← 51 % state assets commission (CN): CN law obliges cooperation with the government (65.1.5)"
		if !slices.ContainsFunc(in.Met, func(m Indicator) bool { return strings.HasPrefix(m.Evidence, want) }) {
			t.Errorf("Indicators(Acme) evidence = %+v, want one starting %q", in.Met, want)
		}
		if slices.ContainsFunc(in.Met, func(m Indicator) bool { return m.Unverified }) {
			t.Errorf("Indicators(Acme) = %+v: CN's findings rest on verified facts too, want none flagged", in.Met)
		}
	})

	t.Run("no beneficial owner and unknown country", func(t *testing.T) {
		s := e.supplierParty(e.supplier("Opaque SIA", "LV"))
		e.own(s, e.company("Shell Ltd", ""), 100)
		in, err := e.v.Indicators(e.ctx, e.bureau, mustSupplier(t, e, "Opaque SIA"), IndicatorQuery{AsOf: "2025-06-01"})
		if err != nil {
			t.Fatal(err)
		}
		var reasons []string
		for _, g := range in.Unknown {
			reasons = append(reasons, g.Reason)
		}
		for _, w := range []string{"owner of unknown country: Shell Ltd", "no beneficial owner recorded", "the owners of Shell Ltd are not recorded"} {
			if !slices.Contains(reasons, w) {
				t.Errorf("Indicators(Opaque).Unknown = %q, want %q", reasons, w)
			}
		}
	})

	t.Run("threshold is configurable", func(t *testing.T) {
		s := e.supplierParty(e.supplier("Minor SIA", "LV"))
		e.own(s, e.person("Minor Holder", "CN"), 20)
		e.own(s, e.person("Major Holder", "LV"), 80)
		for _, c := range []struct {
			threshold float64
			want      bool
		}{{25, false}, {10, true}} {
			in, err := e.v.Indicators(e.ctx, e.bureau, mustSupplier(t, e, "Minor SIA"), IndicatorQuery{AsOf: "2025-06-01", Threshold: c.threshold})
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(criteria(in), "65.2.1"); got != c.want {
				t.Errorf("Indicators(threshold %v) has 65.2.1 = %v, want %v", c.threshold, got, c.want)
			}
		}
	})

	t.Run("operators may not read indicators", func(t *testing.T) {
		if _, err := e.v.Indicators(e.ctx, e.opActor, acme, IndicatorQuery{}); err == nil {
			t.Errorf("Indicators as operator: no error, want forbidden")
		}
	})
}

func TestIndicatorOnUnverifiedFactIsFlagged(t *testing.T) {
	e := newEnv(t)
	// KP's only 65.1.3 fact is the 2020 sanctions listing, which the seed leaves unverified.
	kp := e.supplier("Pyongyang Trading", "KP")
	in, err := e.v.Indicators(e.ctx, e.bureau, kp, IndicatorQuery{AsOf: "2025-06-01"})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(in.Met, func(m Indicator) bool { return m.Criterion == "65.1.3" })
	if i < 0 || !in.Met[i].Unverified || !strings.Contains(in.Met[i].Evidence, "unverified") {
		t.Errorf("Indicators(KP) = %+v, want 65.1.3 flagged as resting on an unverified fact", in.Met)
	}
}
