package audit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/store/storetest"
)

func TestRetentionOnlyGrows(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, audit.Schema)
	admin := access.Actor{UserID: 1, Login: "root", Role: access.RoleAdmin}
	if m, err := audit.Retention(ctx, db.Read); m != 18 || err != nil {
		t.Fatalf("Retention = %d, %v; want 18", m, err)
	}
	for _, c := range []struct {
		name   string
		actor  access.Actor
		months int
		want   string // "", "invalid" or "forbidden"
		after  int
	}{
		{"lengthen", admin, 24, "", 24},
		{"same", admin, 24, "", 24},
		{"shorten", admin, 20, "invalid", 24},
		{"below the floor", admin, 12, "invalid", 24},
		{"not an admin", access.Actor{UserID: 2, Role: access.RoleBureau}, 36, "forbidden", 24},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := audit.SetRetention(ctx, db, c.actor, c.months)
			var v *errkind.ValidationError
			switch {
			case c.want == "" && err != nil:
				t.Errorf("SetRetention(%d) = %v", c.months, err)
			case c.want == "invalid" && !errors.As(err, &v):
				t.Errorf("SetRetention(%d) = %v, want a validation error", c.months, err)
			case c.want == "forbidden" && !errors.Is(err, errkind.ErrForbidden):
				t.Errorf("SetRetention(%d) = %v, want forbidden", c.months, err)
			}
			if m, _ := audit.Retention(ctx, db.Read); m != c.after {
				t.Errorf("Retention after SetRetention(%d) = %d, want %d", c.months, m, c.after)
			}
		})
	}
}

func TestPruneKeepsChainVerifiable(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, audit.Schema)
	write(t, db, 5)
	cut := time.Now()
	time.Sleep(2 * time.Millisecond)
	write(t, db, 3)

	// Seventeen months on, nothing is old enough.
	if n, err := audit.Prune(ctx, db, cut.AddDate(0, 17, 0)); n != 0 || err != nil {
		t.Fatalf("Prune at 17 months = %d, %v; want nothing deleted", n, err)
	}
	// Eighteen months after the cut, the five older records go.
	n, err := audit.Prune(ctx, db, cut.AddDate(0, 18, 0))
	if n != 5 || err != nil {
		t.Fatalf("Prune at 18 months = %d, %v; want 5", n, err)
	}
	checked, err := audit.Verify(ctx, db.Read)
	if err != nil || checked != 4 {
		t.Fatalf("Verify after prune = %d, %v; want the 3 kept records and the prune record", checked, err)
	}
	// Pruning again later: the earlier prune record goes too, the chain still verifies.
	write(t, db, 1)
	if n, err := audit.Prune(ctx, db, time.Now().AddDate(0, 18, 1)); n != 5 || err != nil {
		t.Fatalf("second Prune = %d, %v; want 5", n, err)
	}
	if _, err := audit.Verify(ctx, db.Read); err != nil {
		t.Fatalf("Verify after a second prune = %v", err)
	}

	// Moving the anchor by hand to hide deleted records is found.
	var first int64
	if err := db.Read.QueryRow(`SELECT first FROM audit_anchor`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	write(t, db, 2)
	if _, err := db.Write.Exec(`DELETE FROM audit_log WHERE id = ?`, first); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := db.Read.QueryRow(`SELECT hash FROM audit_log WHERE id = ?`, first).Scan(&hash); err == nil {
		t.Fatal("record not deleted")
	}
	if err := db.Read.QueryRow(`SELECT prev_hash FROM audit_log WHERE id = ?`, first+1).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write.Exec(`UPDATE audit_anchor SET first = ?, prev_hash = ?`, first+1, hash); err != nil {
		t.Fatal(err)
	}
	var br *audit.BreakError
	if _, err := audit.Verify(ctx, db.Read); !errors.As(err, &br) {
		t.Errorf("Verify after a forged anchor = %v, want a break", err)
	}
}
