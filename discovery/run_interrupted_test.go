package discovery

import (
	"context"
	"database/sql"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/inventory"
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
		if err := db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO discovery_runs (operator_id, origin, status, targets, options, user_id, login, started_at, updated_at)
			VALUES (?, ?, ?, '10.0.0.0/30', '{}', 1, 'eric', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z')`, op.ID, r.origin, r.status)
			return err
		}); err != nil {
			t.Fatal(err)
		}
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
