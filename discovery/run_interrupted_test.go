package discovery

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/inventory"
	"critreg/store"
	"critreg/store/storetest"
)

// TestCloseInterrupted closes the server's runs a stop left "running", with an audit
// record each, and leaves alone finished runs and runs of other processes.
func TestCloseInterrupted(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, audit.Schema, inventory.Schema, Schema)
	inv := inventory.NewStore(db)
	op, err := inv.CreateOperator(ctx, access.System(), inventory.OperatorInput{Code: "OPA", Name: "Operator A"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ origin, status string }{
		{"server", "running"}, {"server", "done"}, {"cli", "running"}, {"agent", "uploading"}, {"server", "running"},
	} {
		insertRun(t, db, op.ID, r.origin, r.status)
	}
	svc := New(db, inv, Config{})
	n, err := svc.CloseInterrupted(ctx)
	if err != nil || n != 2 {
		t.Fatalf("CloseInterrupted = %d, %v; want 2 runs closed", n, err)
	}
	want := []string{"failed", "done", "running", "uploading", "failed"}
	rows, err := db.Query(ctx, `SELECT status, error FROM discovery_runs ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for i := 0; rows.Next(); i++ {
		var status, errText string
		if err := rows.Scan(&status, &errText); err != nil {
			t.Fatal(err)
		}
		if status != want[i] || (status == "failed") != (errText == interruptedError) {
			t.Errorf("run %d = %s %q, want %s", i+1, status, errText, want[i])
		}
	}
	var audited int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'discovery.run.finish'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 2 {
		t.Errorf("audit records of closed runs = %d, want 2", audited)
	}
	if n, err := svc.CloseInterrupted(ctx); err != nil || n != 0 {
		t.Errorf("CloseInterrupted again = %d, %v; want 0", n, err)
	}
}

// insertRun stores a run as a process would have left it.
func insertRun(t *testing.T, db *store.DB, operatorID int64, origin, status string) {
	t.Helper()
	if err := db.Tx(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO discovery_runs (operator_id, origin, status, targets, options, user_id, login, started_at, updated_at)
			VALUES (?, ?, ?, '10.0.0.0/30', '{}', 1, 'eric', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z')`, operatorID, origin, status)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestRunsNewestFirst pages through runs latest first, each run once, and keeps another
// operator's runs out.
func TestRunsNewestFirst(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, audit.Schema, inventory.Schema, Schema)
	inv := inventory.NewStore(db)
	var ops []inventory.Operator
	for _, code := range []string{"OPA", "OPB"} {
		op, err := inv.CreateOperator(ctx, access.System(), inventory.OperatorInput{Code: code, Name: "Operator " + code})
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	for i := range 7 {
		insertRun(t, db, ops[i%2].ID, "server", "done")
	}
	svc := New(db, inv, Config{})
	eric := access.Actor{Login: "eric", Role: access.RoleEngineer, OperatorID: ops[0].ID}
	var got []int64
	for p := (inventory.Page{Limit: 2}); ; {
		runs, next, err := svc.Runs(ctx, eric, RunFilter{NewestFirst: true}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			got = append(got, r.ID)
		}
		if next == 0 {
			break
		}
		p.After = next
	}
	if want := []int64{7, 5, 3, 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Runs(newest first) = %v, want %v", got, want)
	}
}
