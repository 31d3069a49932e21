package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/store"
	"critreg/store/storetest"
)

func write(t *testing.T, db *store.DB, n int) {
	t.Helper()
	a := access.Actor{UserID: 7, Login: "anna", Role: access.RoleOperator, OperatorID: 3, IP: "192.0.2.1", Via: "api"}
	for i := range n {
		err := audit.Write(context.Background(), db, a, audit.Entry{Action: "item.update", ObjectType: "item", ObjectID: "42", OperatorID: 3,
			Before: map[string]int{"quantity": i}, After: map[string]int{"quantity": i + 1}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestVerifyFindsTampering(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		tamper string
		wantID int64
	}{
		{"intact", ``, 0},
		{"edited after", `UPDATE audit_log SET after = '{"quantity":99}' WHERE id = 3`, 3},
		{"edited ip", `UPDATE audit_log SET ip = '10.0.0.1' WHERE id = 2`, 2},
		{"rehashed but unlinked", `UPDATE audit_log SET action = 'x', hash = 'abc' WHERE id = 2`, 2},
		{"deleted in the middle", `DELETE FROM audit_log WHERE id = 2`, 3},
		{"deleted at the end", `DELETE FROM audit_log WHERE id = 5`, 5},
		{"deleted at the start", `DELETE FROM audit_log WHERE id = 1`, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := storetest.Open(t, audit.Schema)
			write(t, db, 5)
			if c.tamper != "" {
				if _, err := db.Write.Exec(c.tamper); err != nil {
					t.Fatal(err)
				}
			}
			n, err := audit.Verify(ctx, db.Read)
			var br *audit.BreakError
			switch {
			case c.wantID == 0 && (err != nil || n != 5):
				t.Fatalf("Verify = %d, %v; want 5, nil", n, err)
			case c.wantID != 0 && !errors.As(err, &br):
				t.Fatalf("Verify = %d, %v; want a break at %d", n, err, c.wantID)
			case c.wantID != 0 && br.ID != c.wantID:
				t.Fatalf("Verify broke at %d (%v), want %d", br.ID, err, c.wantID)
			}
		})
	}
}

func TestAppendRollsBackWithItsTransaction(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, audit.Schema)
	write(t, db, 1)
	boom := errors.New("boom")
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := audit.Append(ctx, tx, access.System(), audit.Entry{Action: "x.y", ObjectType: "x", ObjectID: "1"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	write(t, db, 1)
	if n, err := audit.Verify(ctx, db.Read); err != nil || n != 2 {
		t.Fatalf("Verify after a rolled-back append = %d, %v; want 2, nil", n, err)
	}
}

func TestListScopesByOperator(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, audit.Schema)
	for _, op := range []int64{1, 2, 2, 0} {
		if err := audit.Write(ctx, db, access.System(), audit.Entry{Action: "a.b", ObjectType: "x", ObjectID: "1", OperatorID: op}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		a    access.Actor
		want int
	}{
		{access.Actor{Role: access.RoleOperator, OperatorID: 2}, 2},
		{access.Actor{Role: access.RoleEngineer, OperatorID: 1}, 1},
		{access.Actor{Role: access.RoleOperator, OperatorID: 0}, 0},
		{access.Actor{Role: access.RoleBureau}, 4},
	} {
		recs, err := audit.List(ctx, db.Read, c.a, audit.Filter{})
		if err != nil || len(recs) != c.want {
			t.Errorf("List as %s of operator %d = %d records, %v; want %d", c.a.Role, c.a.OperatorID, len(recs), err, c.want)
		}
	}
}
