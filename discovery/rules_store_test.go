package discovery

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/discovery/snmpsim"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/store"
	"critreg/store/storetest"
)

var ruleAdmin = access.Actor{UserID: 9, Login: "root", Role: access.RoleAdmin, Via: "web"}

func rulesService(t *testing.T) (*Service, *store.DB) {
	t.Helper()
	db := storetest.Open(t, audit.Schema, inventory.Schema, Schema)
	return New(db, inventory.NewStore(db), Config{}), db
}

func countRows(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// The fixture seeds an empty table once; a later Service over the same database (a
// restart) keeps what the admin changed.
func TestFingerprintRulesSeededOnce(t *testing.T) {
	ctx := context.Background()
	svc, db := rulesService(t)
	seed, err := rulesSeed()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := svc.FingerprintRules(ctx, ruleAdmin)
	if err != nil || len(rs) != len(seed.Rules) {
		t.Fatalf("FingerprintRules = %d rules, %v; want the %d of the seed", len(rs), err, len(seed.Rules))
	}
	if rs[0].ID != seed.Rules[0].ID || !rs[0].Enabled || rs[0].UpdatedBy != "system" {
		t.Errorf("first rule = %+v, want %s, enabled, by system", rs[0], seed.Rules[0].ID)
	}
	if _, err := svc.SetFingerprintRuleEnabled(ctx, ruleAdmin, "open5gs-amf", false); err != nil {
		t.Fatal(err)
	}
	again := New(db, inventory.NewStore(db), Config{})
	rs, err = again.FingerprintRules(ctx, ruleAdmin)
	if err != nil || len(rs) != len(seed.Rules) {
		t.Fatalf("FingerprintRules after restart = %d, %v; want %d", len(rs), err, len(seed.Rules))
	}
	if rs[0].Enabled {
		t.Errorf("rule %s after restart is enabled again, want the admin's change kept", rs[0].ID)
	}
	if n := countRows(t, db, `SELECT count(*) FROM audit_log WHERE action = 'fingerprint_rules.seed'`); n != 1 {
		t.Errorf("seed audit records = %d, want 1", n)
	}
}

func TestFingerprintRuleChangesAudited(t *testing.T) {
	ctx := context.Background()
	svc, db := rulesService(t)
	in := FingerprintRuleInput{ID: "acme-sbc", Function: "SEPP", Confidence: 0.8, Manufacturer: "^Acme$", Model: "^SBC ", Enabled: true}
	r, err := svc.AddFingerprintRule(ctx, ruleAdmin, in)
	if err != nil {
		t.Fatalf("AddFingerprintRule = %v", err)
	}
	if r.Function != "4.12" || r.FunctionName != "SEPP" || r.UpdatedBy != "root" || r.UpdatedAt.IsZero() {
		t.Errorf("AddFingerprintRule = %+v, want function 4.12 SEPP by root", r)
	}
	in = r.Input()
	in.Confidence = 0.5
	if r, err = svc.UpdateFingerprintRule(ctx, ruleAdmin, "acme-sbc", in); err != nil || r.Confidence != 0.5 {
		t.Fatalf("UpdateFingerprintRule = %+v, %v; want confidence 0.5", r, err)
	}
	if _, err := svc.SetFingerprintRuleEnabled(ctx, ruleAdmin, "acme-sbc", false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetFingerprintRuleEnabled(ctx, ruleAdmin, "acme-sbc", false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetFingerprintRuleEnabled(ctx, ruleAdmin, "acme-sbc", true); err != nil {
		t.Fatal(err)
	}
	recs, err := audit.List(ctx, db.Read, ruleAdmin, audit.Filter{ObjectType: "fingerprint_rule", ObjectID: "acme-sbc"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range recs {
		got = append(got, rec.Action+" by "+rec.Login)
	}
	want := []string{"fingerprint_rule.enable by root", "fingerprint_rule.disable by root", "fingerprint_rule.update by root", "fingerprint_rule.create by root"}
	if !slices.Equal(got, want) {
		t.Errorf("audit of acme-sbc = %q, want %q (a disable that changes nothing is not recorded)", got, want)
	}
	if _, err := audit.Verify(ctx, db.Read); err != nil {
		t.Errorf("audit.Verify = %v", err)
	}
}

// Bad input is refused with every problem named, and changes nothing.
func TestFingerprintRuleRefused(t *testing.T) {
	ctx := context.Background()
	svc, db := rulesService(t)
	if _, err := svc.FingerprintRules(ctx, ruleAdmin); err != nil {
		t.Fatal(err)
	}
	good := FingerprintRuleInput{ID: "acme", Function: "4.1", Confidence: 0.5, SysDescr: "Acme", Enabled: true}
	engineer := access.Actor{Login: "eric", Role: access.RoleEngineer, OperatorID: 1}
	readOnly := ruleAdmin
	readOnly.ReadOnly = true
	for _, tc := range []struct {
		name   string
		a      access.Actor
		in     func(FingerprintRuleInput) FingerprintRuleInput
		fields []string
		kind   error
	}{
		{"bad regex", ruleAdmin, func(in FingerprintRuleInput) FingerprintRuleInput { in.SysDescr = "Acme (SBC"; return in }, []string{"sys_descr"}, nil},
		{"unknown code", ruleAdmin, func(in FingerprintRuleInput) FingerprintRuleInput { in.Function = "9.9"; return in }, []string{"function"}, nil},
		{"every problem", ruleAdmin, func(in FingerprintRuleInput) FingerprintRuleInput {
			return FingerprintRuleInput{ID: "Bad Name", Function: "XYZ", Confidence: 1.5, Model: "[", SysObjectID: "1.3.x"}
		}, []string{"id", "function", "confidence", "model", "sys_object_id"}, nil},
		{"no pattern", ruleAdmin, func(in FingerprintRuleInput) FingerprintRuleInput { in.SysDescr = ""; return in }, []string{"patterns"}, nil},
		{"duplicate id", ruleAdmin, func(in FingerprintRuleInput) FingerprintRuleInput { in.ID = "open5gs-amf"; return in }, []string{"id"}, nil},
		{"engineer", engineer, func(in FingerprintRuleInput) FingerprintRuleInput { return in }, nil, errkind.ErrForbidden},
		{"read-only token", readOnly, func(in FingerprintRuleInput) FingerprintRuleInput { return in }, nil, errkind.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rules := countRows(t, db, `SELECT count(*) FROM discovery_rules`)
			audits := countRows(t, db, `SELECT count(*) FROM audit_log`)
			_, err := svc.AddFingerprintRule(ctx, tc.a, tc.in(good))
			checkRefusal(t, "AddFingerprintRule", err, tc.fields, tc.kind)
			// The same input as a change of open5gs-amf, except a duplicate name, which
			// is its own name there and a rename.
			if tc.name != "duplicate id" {
				_, err = svc.UpdateFingerprintRule(ctx, tc.a, "open5gs-amf", tc.in(good))
				checkRefusal(t, "UpdateFingerprintRule", err, tc.fields, tc.kind)
			}
			if n := countRows(t, db, `SELECT count(*) FROM discovery_rules`); n != rules {
				t.Errorf("rules after refusal = %d, want %d", n, rules)
			}
			if n := countRows(t, db, `SELECT count(*) FROM audit_log`); n != audits {
				t.Errorf("audit records after refusal = %d, want %d", n, audits)
			}
		})
	}
	r, err := svc.FingerprintRule(ctx, ruleAdmin, "open5gs-amf")
	if err != nil || r.Function != "4.1" || r.Confidence != 0.95 {
		t.Errorf("open5gs-amf after refusals = %+v, %v; want it unchanged", r, err)
	}
	in := r.Input()
	in.ID = "renamed"
	_, err = svc.UpdateFingerprintRule(ctx, ruleAdmin, "open5gs-amf", in)
	checkRefusal(t, "UpdateFingerprintRule(rename)", err, []string{"id"}, nil)
	if _, err := svc.FingerprintRule(ctx, ruleAdmin, "no-such-rule"); !errors.Is(err, errkind.ErrNotFound) {
		t.Errorf("FingerprintRule(no-such-rule) = %v, want not found", err)
	}
}

func checkRefusal(t *testing.T, what string, err error, fields []string, kind error) {
	t.Helper()
	if kind != nil {
		if !errors.Is(err, kind) {
			t.Errorf("%s = %v, want %v", what, err, kind)
		}
		return
	}
	var v *errkind.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("%s = %v, want a validation error", what, err)
	}
	var got []string
	for _, f := range v.Fields {
		got = append(got, f.Field)
	}
	for _, f := range fields {
		if !slices.Contains(got, f) {
			t.Errorf("%s fields = %q (%v), want %q among them", what, got, err, f)
		}
	}
}

func TestTryFingerprintRules(t *testing.T) {
	ctx := context.Background()
	svc, _ := rulesService(t)
	juniper := FingerprintTrial{SysDescr: "Juniper Networks, Inc. mx480 internet router, kernel JUNOS 21.4R3-S5.4", SysObjectID: ".1.3.6.1.4.1.2636.1.1.1.2.25"}
	res, err := svc.TryFingerprintRules(ctx, ruleAdmin, juniper)
	if err != nil {
		t.Fatal(err)
	}
	if res.Manufacturer != "Juniper Networks" || res.Model != "MX480" {
		t.Errorf("TryFingerprintRules(juniper) device = %q %q, want Juniper Networks MX480", res.Manufacturer, res.Model)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "juniper-router" || len(res.Functions) != 1 || res.Functions[0].Code != "1.1" {
		t.Fatalf("TryFingerprintRules(juniper) = %+v, want juniper-router assigning 1.1", res)
	}

	// A disabled rule still shows as matching, but assigns nothing.
	if _, err := svc.SetFingerprintRuleEnabled(ctx, ruleAdmin, "juniper-router", false); err != nil {
		t.Fatal(err)
	}
	res, err = svc.TryFingerprintRules(ctx, ruleAdmin, juniper)
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Enabled || len(res.Functions) != 0 {
		t.Errorf("TryFingerprintRules(juniper) with the rule disabled = %+v, %v; want a disabled hit and no function", res, err)
	}
	if _, err := svc.TryFingerprintRules(ctx, ruleAdmin, FingerprintTrial{SysObjectID: "iso.3.6"}); err == nil {
		t.Error("TryFingerprintRules(sysObjectID iso.3.6) = nil error, want it refused")
	}
}

// A run applies the rules as they stand when it starts: a disabled rule no longer matches,
// and a rule added since does.
func TestRunUsesChangedRules(t *testing.T) {
	ctx := context.Background()
	svc, db := rulesService(t)
	inv := inventory.NewStore(db)
	op, err := inv.CreateOperator(ctx, access.System(), inventory.OperatorInput{Code: "OPA", Name: "Operator A"})
	if err != nil {
		t.Fatal(err)
	}
	eng := access.Actor{Login: "eric", Role: access.RoleEngineer, OperatorID: op.ID}
	recs := recordings(t, fixturesDir)
	srv := startSim(t, snmpsim.Agent{Name: "mx", Recording: recs["juniper-mx480"], Community: "mx"})
	ts, err := ParseTargets(srv.Addrs()[0].String(), TargetOptions{DefaultPort: 161})
	if err != nil {
		t.Fatal(err)
	}
	functions := func() []string {
		t.Helper()
		run, err := svc.RunLocal(ctx, eng, "OPA", ts, v2c("mx"), Options{Workers: 1, Timeout: 500 * time.Millisecond, Retries: 1}, nil)
		if err != nil {
			t.Fatalf("RunLocal = %v", err)
		}
		res, _, err := svc.Results(ctx, eng, run.ID, inventory.Page{Limit: 10})
		if err != nil || len(res) != 1 || res[0].Device == nil {
			t.Fatalf("Results = %+v, %v; want one device", res, err)
		}
		var out []string
		for _, f := range res[0].Device.Functions {
			out = append(out, f.Code)
		}
		slices.Sort(out)
		return out
	}
	if got := functions(); !slices.Equal(got, []string{"1.1"}) {
		t.Fatalf("functions with the seeded rules = %q, want [1.1]", got)
	}
	if _, err := svc.SetFingerprintRuleEnabled(ctx, ruleAdmin, "juniper-router", false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddFingerprintRule(ctx, ruleAdmin, FingerprintRuleInput{ID: "mx-interconnect", Function: "1.6",
		Confidence: 0.6, Manufacturer: "^Juniper", Model: "^MX480$", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if got := functions(); !slices.Equal(got, []string{"1.6"}) {
		t.Errorf("functions after disabling juniper-router and adding mx-interconnect = %q, want [1.6]", got)
	}
}
