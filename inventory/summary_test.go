package inventory

import (
	"context"
	"reflect"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/store/storetest"
)

func TestSummaryAndVendorShare(t *testing.T) {
	ctx := context.Background()
	s := NewStore(storetest.Open(t, audit.Schema, Schema))
	actors := map[string]access.Actor{}
	nets := map[string]Network{}
	for _, code := range []string{"OPA", "OPB"} {
		op, err := s.CreateOperator(ctx, access.System(), OperatorInput{Code: code, Name: code})
		if err != nil {
			t.Fatal(err)
		}
		a := access.Actor{UserID: op.ID, Login: code, Role: access.RoleOperator, OperatorID: op.ID}
		n, err := s.CreateNetwork(ctx, a, NetworkInput{Name: "core", Technology: Tech5G})
		if err != nil {
			t.Fatal(err)
		}
		actors[code], nets[code] = a, n
	}
	for _, it := range []struct {
		op string
		in ItemInput
	}{
		{"OPA", ItemInput{CriticalPart: "4.1", Kind: KindEquipment, Name: "AMF 1", Manufacturer: "Nokia", ManufacturerCountry: "FI", OriginCountry: "FI"}},
		{"OPA", ItemInput{CriticalPart: "4.1", Kind: KindSoftware, Name: "AMF 2", Manufacturer: "Ericsson"}},
		{"OPA", ItemInput{CriticalPart: "4.10", Kind: KindEquipment, Name: "NSSAAF"}},
		{"OPA", ItemInput{CriticalPart: "4.2", Kind: KindEquipment, Name: "UPF", Manufacturer: "Nokia", ManufacturerCountry: "FI", OriginCountry: "FI"}},
		{"OPB", ItemInput{CriticalPart: "4.1", Kind: KindEquipment, Name: "AMF", Manufacturer: "Nokia", OriginCountry: "FI"}},
	} {
		it.in.NetworkID = nets[it.op].ID
		if _, err := s.CreateItem(ctx, actors[it.op], it.in, SourceTyped, ""); err != nil {
			t.Fatal(err)
		}
	}
	type row struct {
		op, part                           string
		items, noMaker, noOrigin, noMakerC int
	}
	rows := func(ps []PartSummary) []row {
		var out []row
		for _, p := range ps {
			out = append(out, row{p.Operator, p.CriticalPart, p.Items, p.NoManufacturer, p.NoOrigin, p.NoManufacturerCountry})
		}
		return out
	}
	opa := []row{{"OPA", "4.1", 2, 0, 1, 1}, {"OPA", "4.2", 1, 0, 0, 0}, {"OPA", "4.10", 1, 1, 1, 0}}
	for _, tc := range []struct {
		name string
		a    access.Actor
		want []row
	}{
		{"operator sees its own", actors["OPA"], opa},
		{"bureau sees all", access.Actor{Login: "bea", Role: access.RoleBureau}, append(append([]row{}, opa...), row{"OPB", "4.1", 1, 0, 0, 1})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Summary(ctx, tc.a)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows(got), tc.want) {
				t.Errorf("Summary() = %+v, want %+v", rows(got), tc.want)
			}
		})
	}

	shares, err := s.VendorShare(ctx, access.Actor{Login: "bea", Role: access.RoleBureau})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]VendorCount{}
	for _, f := range shares {
		got[f.CriticalPart] = f.Vendors
	}
	want := map[string][]VendorCount{
		"4.1":  {{"Nokia", 2}, {"Ericsson", 1}},
		"4.2":  {{"Nokia", 1}},
		"4.10": {{"", 1}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("VendorShare(bureau) = %+v, want %+v", got, want)
	}
}
