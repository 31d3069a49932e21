package vetting

import (
	"errors"
	"testing"

	"critreg/errkind"
	"critreg/inventory"
)

func TestCompliance(t *testing.T) {
	e := newEnv(t)
	legacy := e.network("old core", true)
	fresh := e.network("new core", false)
	e.item(inventory.ItemInput{NetworkID: legacy, CriticalPart: "4.1", Kind: "equipment", Model: "X 9000", Manufacturer: "Hardware Co", ManufacturerCountry: "CN"})
	e.item(inventory.ItemInput{NetworkID: fresh, CriticalPart: "4.1", Kind: "equipment", Model: "X 9000", Manufacturer: "Hardware Co", ManufacturerCountry: "CN"})
	e.item(inventory.ItemInput{NetworkID: fresh, CriticalPart: "4.2", Kind: "software", Name: "NetOS", Version: "17.1", Manufacturer: "Software Co", OriginCountry: "US"})
	e.item(inventory.ItemInput{NetworkID: fresh, CriticalPart: "1.8", Kind: "outsourcing", Name: "NOC", OutsourcingProvider: "Ops Ltd"})
	e.item(inventory.ItemInput{NetworkID: fresh, CriticalPart: "4.3", Kind: "equipment", Model: "Orphan"})
	e.own(e.supplierParty(mustSupplier(t, e, "Software Co")), e.person("Owner", "US"), 100)
	hw := mustSupplier(t, e, "Hardware Co")

	get := func(q ComplianceQuery) Compliance {
		t.Helper()
		c, err := e.v.Compliance(e.ctx, e.opActor, q)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := get(ComplianceQuery{AsOf: "2026-01-01"})
	want := Counts{Items: 5, NotAssessed: 5, NoSupplier: 1, NoCountry: 2, NoBeneficialOwner: 3}
	if c.Counts != want {
		t.Errorf("Compliance before opinions counts = %+v, want %+v", c.Counts, want)
	}

	o := e.issue(OpinionInput{Reference: "SAB-20", SubjectKind: SubjectProduct, SupplierID: hw, Product: "X 9000", Verdict: VerdictThreat, IssuedOn: "2025-09-01"})
	c = get(ComplianceQuery{AsOf: "2026-01-01"})
	want.Prohibited, want.ProhibitedInForce, want.NotAssessed = 2, 1, 3
	if c.Counts != want {
		t.Errorf("Compliance after issue counts = %+v, want %+v", c.Counts, want)
	}
	if len(c.Items) != 2 || c.Items[0].Status.BindsFrom != "2030-01-01" || c.Items[1].Status.BindsFrom != "2025-09-01" {
		t.Errorf("Compliance items = %+v, want the legacy one binding from 2030-01-01 and the new one from 2025-09-01", c.Items)
	}
	if g := get(ComplianceQuery{AsOf: "2026-01-01", Status: GapNoSupplier}); len(g.Items) != 1 || g.Items[0].Model != "Orphan" {
		t.Errorf("Compliance(no_supplier) items = %+v, want the orphan", g.Items)
	}
	if g := get(ComplianceQuery{AsOf: "2026-01-01", Status: NotAssessed, Page: inventory.Page{Limit: 2}}); len(g.Items) != 2 || g.NextCursor == 0 {
		t.Errorf("Compliance(not_assessed, limit 2) = %d items, next %d; want 2 and a cursor", len(g.Items), g.NextCursor)
	}

	t.Run("impact of the opinion and of a draft", func(t *testing.T) {
		im, err := e.v.OpinionImpact(e.ctx, e.bureau, o.ID, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if im.Items != 2 || im.Networks != 2 || len(im.Operators) != 1 || im.Operators[0].Operator != "TEL" {
			t.Errorf("OpinionImpact = %+v, want 2 items in 2 networks of TEL", im)
		}
		d, err := e.v.DraftImpact(e.ctx, e.bureau, OpinionInput{SubjectKind: SubjectSoftware, Supplier: "Software Co", Product: "NetOS",
			VersionFrom: "17.0", Verdict: VerdictRestricted, Restriction: "r", Parts: []string{"4.1"}, PublicSummary: "draft"}, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if d.Items != 1 || !d.Draft || d.Operators[0].Networks[0].Parts[0].Status != RestrictedOutOfScope {
			t.Errorf("DraftImpact = %+v, want one item, restricted outside scope", d)
		}
		if _, err := e.v.DraftImpact(e.ctx, e.opActor, OpinionInput{}, ""); !errors.Is(err, errkind.ErrForbidden) {
			t.Errorf("DraftImpact as operator: err = %v, want forbidden", err)
		}
	})

	t.Run("revocation shows at once", func(t *testing.T) {
		if _, err := e.v.Revoke(e.ctx, e.bureau, o.ID, RevocationInput{Reference: "SAB-20R", RevokedOn: "2025-12-01", PublicSummary: "revoked"}); err != nil {
			t.Fatal(err)
		}
		c := get(ComplianceQuery{AsOf: "2026-01-01"})
		if c.Counts.Prohibited != 0 || c.Counts.NotAssessed != 5 {
			t.Errorf("Compliance after revocation = %+v, want nothing prohibited", c.Counts)
		}
		if c := get(ComplianceQuery{AsOf: "2025-11-30"}); c.Counts.Prohibited != 2 {
			t.Errorf("Compliance as of the day before the revocation = %+v, want 2 prohibited", c.Counts)
		}
	})

	t.Run("another operator is not found", func(t *testing.T) {
		other, err := e.inv.CreateOperator(e.ctx, adminActor(), inventory.OperatorInput{Code: "OTH2", Name: "Other"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.v.Compliance(e.ctx, e.opActor, ComplianceQuery{Operator: other.Code}); !errors.Is(err, errkind.ErrNotFound) {
			t.Errorf("Compliance of another operator: err = %v, want not found", err)
		}
		if _, err := e.v.Compliance(e.ctx, e.bureau, ComplianceQuery{Operator: other.Code}); err != nil {
			t.Errorf("Compliance as the bureau: %v", err)
		}
	})
}
