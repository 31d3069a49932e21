package vetting

import (
	"errors"
	"slices"
	"strconv"
	"testing"

	"critreg/errkind"
)

func TestGraphChangesAreAudited(t *testing.T) {
	e := newEnv(t)
	sp := e.supplier("Audited SIA", "LV")
	p := e.supplierParty(sp)
	owner := e.person("Audited Owner", "LV")
	st := e.own(p, owner, 100)
	if _, err := e.v.UpdateParty(e.ctx, e.bureau, owner, PartyInput{Kind: PartyPerson, Name: "Audited Owner", Citizenships: []string{"LV", "EE"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.v.UpdateStatement(e.ctx, e.bureau, st, StatementInput{SubjectID: p, OwnerID: owner, Share: &Share{Min: ptr(50), Max: ptr(75)}, Source: "corrected"}); err != nil {
		t.Fatal(err)
	}
	if err := e.v.DeleteParty(e.ctx, e.bureau, owner); err == nil {
		t.Errorf("DeleteParty(owner named by a statement): no error, want conflict")
	}
	if err := e.v.DeleteStatement(e.ctx, e.bureau, st); err != nil {
		t.Fatal(err)
	}
	if err := e.v.DeleteParty(e.ctx, e.bureau, owner); err != nil {
		t.Fatal(err)
	}
	if _, err := e.v.AddAnalystEntry(e.ctx, e.bureau, sp, AnalystEntryInput{Criterion: "65.2.4", Finding: "unknown", Text: "no audit of practice yet"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.v.AnalystEntries(e.ctx, e.bureau, sp); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		objectType string
		id         int64
		want       []string
	}{
		{"party", owner, []string{"party.create", "party.update", "party.delete"}},
		{"ownership", st, []string{"ownership.create", "ownership.update", "ownership.delete"}},
		{"supplier", sp, []string{"supplier.create", "analyst_entries.read"}},
		{"analyst_entry", 1, []string{"analyst_entry.create"}},
	} {
		if got := e.auditActions(c.objectType, strconv.FormatInt(c.id, 10)); !slices.Equal(got, c.want) {
			t.Errorf("audit of %s %d = %v, want %v", c.objectType, c.id, got, c.want)
		}
	}
	if _, err := e.v.AnalystEntries(e.ctx, e.opActor, sp); err == nil {
		t.Errorf("AnalystEntries as operator: no error, want forbidden")
	}
}

func TestStatementValidation(t *testing.T) {
	e := newEnv(t)
	person := e.person("Natural Person", "LV")
	company := e.company("Some Company", "LV")
	_, err := e.v.CreateStatement(e.ctx, e.bureau, StatementInput{SubjectID: person, OwnerID: company, Share: &Share{Min: ptr(60), Max: ptr(40)},
		Control: []string{"bribery"}, StartDate: "2025-02-30", Source: ""})
	var ve *errkind.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("CreateStatement(bad) err = %v, want a validation error", err)
	}
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	for _, w := range []string{"subject_id", "share.max", "control", "start_date", "source"} {
		if !slices.Contains(fields, w) {
			t.Errorf("CreateStatement(bad) fields = %v, want %s", fields, w)
		}
	}
	if _, err := e.v.CreateStatement(e.ctx, e.opActor, StatementInput{SubjectID: company, OwnerID: person, Share: &Share{Exact: ptr(10)}, Source: "x"}); !errors.Is(err, errkind.ErrForbidden) {
		t.Errorf("CreateStatement as operator: err = %v, want forbidden", err)
	}
}
