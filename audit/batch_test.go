package audit_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/store/storetest"
)

// TestBatchChainsLikeAppend writes records one by one, then by the hundred in a batch, then
// one by one again, and finds one unbroken chain holding every record in order.
func TestBatchChainsLikeAppend(t *testing.T) {
	ctx := context.Background()
	a := access.Actor{UserID: 7, Login: "anna", Role: access.RoleOperator, OperatorID: 3, IP: "192.0.2.1", Via: "api"}
	for _, n := range []int{0, 1, 199, 200, 201, 450} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			db := storetest.Open(t, audit.Schema)
			write(t, db, 2)
			err := db.Tx(ctx, func(tx *sql.Tx) error {
				b, err := audit.NewBatch(ctx, tx, a)
				if err != nil {
					return err
				}
				defer b.Close()
				for i := range n {
					var before any
					if i%2 == 0 {
						before = map[string]int{"quantity": i}
					}
					if err := b.Add(audit.Entry{Action: "item.create", ObjectType: "item", ObjectID: fmt.Sprint(i), OperatorID: 3,
						Before: before, After: json.RawMessage(fmt.Sprintf(`{"name":"<node %d> & ü"}`, i))}); err != nil {
						return err
					}
				}
				if err := b.Flush(); err != nil {
					return err
				}
				return audit.Append(ctx, tx, a, audit.Entry{Action: "import.commit", ObjectType: "import", ObjectID: "x.xlsx", OperatorID: 3})
			})
			if err != nil {
				t.Fatal(err)
			}
			write(t, db, 1)
			got, err := audit.Verify(ctx, db.Read)
			if want := int64(n + 4); err != nil || got != want {
				t.Fatalf("Verify after a batch of %d = %d, %v; want %d, nil", n, got, err, want)
			}
			if n == 0 {
				return
			}
			recs, err := audit.List(ctx, db.Read, access.System(), audit.Filter{ObjectType: "item", ObjectID: fmt.Sprint(n - 1)})
			if err != nil || len(recs) != 1 {
				t.Fatalf("List(item %d) = %d records, %v; want 1", n-1, len(recs), err)
			}
			if r := recs[0]; r.ID != int64(n+2) || r.Login != "anna" || r.Action != "item.create" || string(r.After) != fmt.Sprintf(`{"name":"<node %d> & ü"}`, n-1) {
				t.Errorf("the batch's last record = %+v, want record %d by anna with its After as given", r, n+2)
			}
		})
	}
}
