package vetting

import (
	"testing"

	"critreg/inventory"
)

func TestEligibility(t *testing.T) {
	e := newEnv(t)
	net := e.network("core", false)

	good := e.supplier("Good SIA", "LV")
	e.own(e.supplierParty(good), e.person("Good Owner", "LV"), 100)

	foreign := e.supplier("Foreign Co", "CN")
	e.own(e.supplierParty(foreign), e.person("Foreign Owner", "LV"), 100)

	bo := e.supplier("BO SIA", "LV")
	e.own(e.supplierParty(bo), e.person("Far Owner", "CN"), 100)

	dist := e.supplier("Dist SIA", "LV")
	e.own(e.supplierParty(dist), e.person("Dist Owner", "LV"), 100)
	e.supplier("Far Maker", "CN")
	e.item(inventory.ItemInput{NetworkID: net, CriticalPart: "4.1", Kind: "equipment", Name: "Box", Model: "B1",
		Manufacturer: "Far Maker", Distributor: "Dist SIA", Quantity: 1})

	members := e.supplier("Members SIA", "LV")
	mp := e.supplierParty(members)
	e.own(mp, e.person("Main Member", "LV"), 90)
	e.own(mp, e.person("Small Member", "CN"), 10)

	nested := e.supplier("Nested SIA", "LV")
	np := e.supplierParty(nested)
	hold := e.company("Nested Holding", "EE")
	e.own(np, hold, 100)
	e.own(hold, e.company("Offshore Ltd", "AE"), 5)
	e.own(hold, e.person("Nested Owner", "EE"), 95)

	boOfMember := e.supplier("Layered SIA", "LV")
	lp := e.supplierParty(boOfMember)
	e.own(lp, e.person("Layered Owner", "LV"), 80)
	mid := e.company("Layered Member", "LT")
	e.own(lp, mid, 20)
	e.own(mid, e.person("Member's Owner", "BY"), 100)

	opaque := e.supplier("Opaque Two SIA", "LV")

	natural, err := e.inv.CreateSupplier(e.ctx, e.bureau, inventory.SupplierInput{Name: "Jānis Kalniņš", Person: "natural", Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		supplier int64
		want     string
		failing  string
	}{
		{"all pass", good, Eligible, ""},
		{"registered outside (76.1.1)", foreign, NotEligible, "76.1.1"},
		{"beneficial owner outside (76.1.2)", bo, NotEligible, "76.1.2"},
		{"manufacturer outside (76.1.3)", dist, NotEligible, "76.1.3"},
		{"a member outside (76.1.4)", members, NotEligible, "76.1.4"},
		{"a member's member outside (76.1.4)", nested, NotEligible, "76.1.4"},
		{"a member's beneficial owner outside (76.1.4)", boOfMember, NotEligible, "76.1.4"},
		{"nothing recorded", opaque, Unknown, ""},
		{"natural person (76.2)", natural.ID, Eligible, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			el, err := e.v.Eligibility(e.ctx, e.bureau, c.supplier, IndicatorQuery{AsOf: "2025-06-01"})
			if err != nil {
				t.Fatal(err)
			}
			if el.Status != c.want {
				t.Errorf("Eligibility(%s) = %s (%+v), want %s", c.name, el.Status, el.Checks, c.want)
			}
			if c.failing == "" {
				return
			}
			found := false
			for _, ch := range el.Checks {
				if ch.Point == c.failing && ch.Result == fail {
					found = true
					if ch.Evidence == "" && c.failing != "76.1.3" {
						t.Errorf("Eligibility(%s) %s has no path as evidence", c.name, ch.Point)
					}
				}
			}
			if !found {
				t.Errorf("Eligibility(%s) checks = %+v, want %s failing", c.name, el.Checks, c.failing)
			}
		})
	}

	t.Run("operators see the result without paths", func(t *testing.T) {
		el, err := e.v.Eligibility(e.ctx, e.opActor, bo, IndicatorQuery{AsOf: "2025-06-01"})
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range el.Checks {
			if ch.Evidence != "" {
				t.Errorf("Eligibility as operator: %s evidence = %q, want none", ch.Point, ch.Evidence)
			}
		}
	})
}
