package demo_test

import (
	"context"
	"strings"
	"testing"

	"critreg/access"
	"critreg/demo"
	"critreg/discovery"
	"critreg/inventory"
	"critreg/server"
	"critreg/store/storetest"
)

// TestLabSweepsOnce starts the demo's agents twice over the same registry: the first start
// leaves a profile and a finished run with findings to review, the second adds nothing.
func TestLabSweepsOnce(t *testing.T) {
	t.Setenv("CRITREG_SECRET_KEY", "")
	t.Setenv("CRITREG_SECRET_KEY_FILE", "")
	ctx := context.Background()
	db := storetest.Open(t, server.Schemas()...)
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	inv := inventory.NewStore(db)
	op, err := inv.Operator(ctx, access.System(), "DAUGAVA")
	if err != nil {
		t.Fatal(err)
	}
	eng := access.Actor{Login: "engineer.daugava", Role: access.RoleEngineer, OperatorID: op.ID}
	svc := discovery.New(db, inv, discovery.Config{})
	for i := range 2 {
		lab, err := demo.StartLab(ctx, db)
		if err != nil {
			t.Fatalf("StartLab #%d: %v", i+1, err)
		}
		if n := len(strings.Split(lab.Targets, ",")); n < 8 {
			t.Errorf("lab targets = %q, want one per recording (8)", lab.Targets)
		}
		lab.Close()
	}
	runs, _, err := svc.Runs(ctx, eng, discovery.RunFilter{}, inventory.Page{Limit: 10})
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs after two starts = %d, %v; want 1", len(runs), err)
	}
	r := runs[0]
	if r.Status != discovery.StatusDone || r.Progress.Answering != r.Progress.Total || r.Findings.Open == 0 {
		t.Errorf("demo run = %s %+v, findings %+v; want done, every agent answering, findings open", r.Status, r.Progress, r.Findings)
	}
	ps, err := svc.Profiles(ctx, eng, "")
	if err != nil || len(ps) != 1 || ps[0].Name != "demo-lab" {
		t.Errorf("profiles = %+v, %v; want demo-lab", ps, err)
	}
}
