package vetting

import (
	"errors"
	"os"
	"slices"
	"testing"

	"critreg/errkind"
)

func TestStatesSeed(t *testing.T) {
	e := newEnv(t)
	data, err := os.ReadFile("../fixtures/states.json")
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.v.SeedStates(e.ctx, adminActor(), data)
	if err != nil || n == 0 {
		t.Fatalf("SeedStates = %d, %v; want facts loaded", n, err)
	}
	if n, err := e.v.SeedStates(e.ctx, adminActor(), data); err != nil || n != 0 {
		t.Errorf("SeedStates again = %d, %v; want 0 (loaded once)", n, err)
	}
	if got := e.auditActions("states", "states.json"); !slices.Equal(got, []string{"states.seed"}) {
		t.Errorf("audit of the seed = %v, want [states.seed]", got)
	}
	for _, c := range []struct {
		code, day string
		member    bool
		criteria  []string
	}{
		{"LV", "2003-12-31", false, []string{"65.1.1"}},
		{"LV", "2004-03-29", true, []string{}},
		{"GB", "2020-01-31", true, []string{}},
		{"GB", "2020-02-01", true, []string{}},
		{"SE", "2024-03-06", true, []string{}},
		{"RU", "2022-08-10", false, []string{"65.1.1", "65.1.3", "65.1.5"}},
		{"RU", "2022-08-11", false, []string{"65.1.1", "65.1.2", "65.1.3", "65.1.5"}},
		{"CN", "2025-06-01", false, []string{"65.1.1", "65.1.3", "65.1.5"}},
		{"IR", "2025-06-01", false, []string{"65.1.1"}},
	} {
		st, err := e.v.State(e.ctx, e.opActor, c.code, c.day)
		if err != nil {
			t.Fatal(err)
		}
		if st.Member != c.member || !slices.Equal(st.Criteria, c.criteria) {
			t.Errorf("State(%s, %s) = member %v, criteria %v; want %v, %v", c.code, c.day, st.Member, st.Criteria, c.member, c.criteria)
		}
	}
	gb, _ := e.v.State(e.ctx, e.opActor, "GB", "2020-02-01")
	if gb.EU || !gb.NATO {
		t.Errorf("State(GB, 2020-02-01) EU %v NATO %v, want EU false, NATO true", gb.EU, gb.NATO)
	}
	all, err := e.v.States(e.ctx, e.opActor, StateFilter{AsOf: "2025-06-01", Member: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 37 {
		t.Errorf("States(member) on 2025-06-01 = %d, want 37 (27 EU, 9 more in NATO, LI in the EEA)", len(all))
	}
	if _, err := e.v.UpdateState(e.ctx, e.opActor, "LV", StateInput{}); !errors.Is(err, errkind.ErrForbidden) {
		t.Errorf("UpdateState as operator: err = %v, want forbidden", err)
	}
	_, err = e.v.UpdateState(e.ctx, e.bureau, "LV", StateInput{Facts: []Fact{{Kind: "nato", Since: "2004-13-01", Title: "x", Source: "y"}}})
	var ve *errkind.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Errorf("UpdateState(bad date, unverified without note) err = %v, want 2 field problems", err)
	}
}

// TestUpdateStateVersion: a save that names the version it read is refused once another
// save has changed the facts, and changes nothing; naming the current version, or none,
// saves.
func TestUpdateStateVersion(t *testing.T) {
	e := newEnv(t)
	lv, err := e.v.State(e.ctx, e.bureau, "LV", "")
	if err != nil {
		t.Fatal(err)
	}
	if lv.Version == "" {
		t.Fatal("a state has no version")
	}
	first := StateInput{Facts: append(slices.Clone(lv.Facts), Fact{Kind: FactNoAgreement, Since: "2001-01-01", Title: "first", Source: "test", Verified: true}), Version: lv.Version}
	saved, err := e.v.UpdateState(e.ctx, e.bureau, "LV", first)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Version == lv.Version {
		t.Error("the version did not change with the facts")
	}
	var before int
	e.db.Read.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&before)
	second := StateInput{Facts: lv.Facts, Version: lv.Version}
	if _, err := e.v.UpdateState(e.ctx, e.bureau, "LV", second); !errors.Is(err, errkind.ErrConflict) {
		t.Fatalf("a save from the old version: err = %v, want a conflict", err)
	}
	now, _ := e.v.State(e.ctx, e.bureau, "LV", "")
	var after int
	e.db.Read.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&after)
	if now.Version != saved.Version || len(now.Facts) != len(lv.Facts)+1 || after != before {
		t.Errorf("after the refused save: %d facts, version %s (want %s), %d audit records (were %d)", len(now.Facts), now.Version, saved.Version, after, before)
	}
	second.Version = now.Version
	if _, err := e.v.UpdateState(e.ctx, e.bureau, "LV", second); err != nil {
		t.Errorf("a save from the current version: %v", err)
	}
	second.Version = ""
	if _, err := e.v.UpdateState(e.ctx, e.bureau, "LV", second); err != nil {
		t.Errorf("a save naming no version: %v", err)
	}
}
