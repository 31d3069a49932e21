package demo_test

import (
	"context"
	"errors"
	"testing"

	"critreg/access"
	"critreg/demo"
	"critreg/inventory"
	"critreg/server"
	"critreg/store/storetest"
)

func TestLoadCompletesAPartialLoadAndLeavesOtherRegistriesAlone(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, server.Schemas()...)
	inv := inventory.NewStore(db)
	// As if a first load was killed after its first supplier and operator.
	if _, err := inv.CreateSupplier(ctx, access.System(), inventory.SupplierInput{Name: "Ericsson AB", Country: "SE"}); err != nil {
		t.Fatal(err)
	}
	if _, err := inv.CreateOperator(ctx, access.System(), inventory.OperatorInput{Code: "DAUGAVA", Name: "Daugava Telekom SIA"}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatalf("Load after a partial load: %v", err)
		}
	}
	items, _, err := inv.Items(ctx, access.Actor{Role: access.RoleBureau}, inventory.ItemFilter{}, inventory.Page{Limit: 1000})
	if err != nil || len(items) != 66 {
		t.Fatalf("items after loading = %d, %v; want 66", len(items), err)
	}

	other := storetest.Open(t, server.Schemas()...)
	if _, err := inventory.NewStore(other).CreateOperator(ctx, access.System(), inventory.OperatorInput{Code: "REAL", Name: "A real operator"}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, other); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("Load into a real registry = %v, want ErrNotEmpty", err)
	}
}
