package vetting

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"critreg/errkind"
	"critreg/inventory"
)

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"9.9", "9.10", -1}, {"17.3.1", "17.3.1a", -1}, {"v2.0", "2.0", 0}, {"1.0", "1.0.0", -1},
		{"16.12.4", "17.3", -1}, {"1.0", "1.beta", 1}, {"010", "9", 1}, {"R21", "R3", 1},
	} {
		if got := compareVersions(c.a, c.b); got != c.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestStatusBySubject(t *testing.T) {
	e := newEnv(t)
	hw := e.supplier("Hardware Co", "CN")
	sw := e.supplier("Software Co", "US")
	osp := e.supplier("Ops Outsourcing", "IN")
	dist := e.supplier("Reseller SIA", "LV")
	e.issue(OpinionInput{Reference: "SAB-1", SubjectKind: SubjectProduct, SupplierID: hw, Product: "X 9000", Verdict: VerdictThreat, IssuedOn: "2025-01-10", Rationale: "r"})
	e.issue(OpinionInput{Reference: "SAB-2", SubjectKind: SubjectSoftware, SupplierID: sw, Product: "NetOS", VersionFrom: "16.0", VersionTo: "17.9",
		Verdict: VerdictRestricted, Restriction: "not in the 5G core", Parts: []string{"4.1", "4.2"}, IssuedOn: "2025-02-01"})
	e.issue(OpinionInput{Reference: "SAB-3", SubjectKind: SubjectOutsourcing, SupplierID: osp, Service: "NOC monitoring", Verdict: VerdictThreat, IssuedOn: "2025-03-01"})
	e.issue(OpinionInput{Reference: "SAB-4", SubjectKind: SubjectSupplier, SupplierID: dist, Verdict: VerdictNoObjection, IssuedOn: "2025-03-01"})

	cases := []struct {
		name string
		ref  ItemRef
		want string
		op   string
	}{
		{"product by model", ItemRef{Kind: inventory.KindEquipment, CriticalPart: "4.1", ManufacturerID: hw, Model: "x  9000"}, Prohibited, "SAB-1"},
		{"product by name when model empty", ItemRef{Kind: inventory.KindEquipment, CriticalPart: "4.1", Manufacturer: "HARDWARE CO., LTD.", Name: "X 9000"}, Prohibited, "SAB-1"},
		{"another model", ItemRef{Kind: inventory.KindEquipment, CriticalPart: "4.1", ManufacturerID: hw, Model: "X 8000"}, NotAssessed, ""},
		{"product opinion does not cover software", ItemRef{Kind: inventory.KindSoftware, CriticalPart: "4.1", ManufacturerID: hw, Name: "X 9000"}, NotAssessed, ""},
		{"software in range, in scope", ItemRef{Kind: inventory.KindSoftware, CriticalPart: "4.1", ManufacturerID: sw, Name: "NetOS", Version: "17.3.1"}, RestrictedInScope, "SAB-2"},
		{"software in range, out of scope", ItemRef{Kind: inventory.KindSoftware, CriticalPart: "1.8", ManufacturerID: sw, Name: "NetOS", Version: "16.0"}, RestrictedOutOfScope, "SAB-2"},
		{"software above range", ItemRef{Kind: inventory.KindSoftware, CriticalPart: "4.1", ManufacturerID: sw, Name: "NetOS", Version: "17.10"}, NotAssessed, ""},
		{"software below range", ItemRef{Kind: inventory.KindSoftware, CriticalPart: "4.1", ManufacturerID: sw, Name: "NetOS", Version: "15.9"}, NotAssessed, ""},
		{"software without version", ItemRef{Kind: inventory.KindSoftware, CriticalPart: "4.1", ManufacturerID: sw, Name: "NetOS"}, RestrictedInScope, "SAB-2"},
		{"outsourcing service", ItemRef{Kind: inventory.KindOutsourcing, CriticalPart: "1.8", OutsourcerID: osp, Name: "NOC Monitoring"}, Prohibited, "SAB-3"},
		{"another service of the provider", ItemRef{Kind: inventory.KindOutsourcing, CriticalPart: "1.8", OutsourcerID: osp, Name: "Field work"}, NotAssessed, ""},
		{"supplier as distributor", ItemRef{Kind: inventory.KindEquipment, CriticalPart: "4.1", DistributorID: dist, Model: "Q1"}, NoObjection, "SAB-4"},
		{"supplier as outsourcer", ItemRef{Kind: inventory.KindOutsourcing, CriticalPart: "4.1", OutsourcingProvider: "Reseller", Name: "x"}, NoObjection, "SAB-4"},
		{"the worse opinion decides", ItemRef{Kind: inventory.KindEquipment, CriticalPart: "4.1", ManufacturerID: hw, DistributorID: dist, Model: "X 9000"}, Prohibited, "SAB-1"},
		{"unknown supplier name", ItemRef{Kind: inventory.KindEquipment, CriticalPart: "4.1", Manufacturer: "Nobody", Model: "X 9000"}, NotAssessed, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := e.v.Status(e.ctx, e.opActor, c.ref, day(t, "2025-06-01"))
			if err != nil {
				t.Fatal(err)
			}
			ref := ""
			if st.Opinion != nil {
				ref = st.Opinion.Reference
			}
			if st.Status != c.want || ref != c.op {
				t.Errorf("Status(%s) = %s by %q, want %s by %q (%s)", c.name, st.Status, ref, c.want, c.op, st.Reason)
			}
		})
	}
}

func TestStatusDates(t *testing.T) {
	e := newEnv(t)
	hw := e.supplier("Vendor", "CN")
	o := e.issue(OpinionInput{Reference: "SAB-10", SubjectKind: SubjectSupplier, SupplierID: hw, Verdict: VerdictThreat,
		IssuedOn: "2025-05-01", EffectiveOn: "2025-07-01"})
	item := ItemRef{Kind: inventory.KindEquipment, CriticalPart: "4.1", ManufacturerID: hw, Model: "M"}
	legacy := item
	legacy.Legacy = true
	for _, c := range []struct {
		name      string
		ref       ItemRef
		asOf      string
		want      string
		bindsFrom string
		inForce   bool
	}{
		{"new network before the effective date", item, "2025-06-01", Prohibited, "2025-07-01", false},
		{"new network from the effective date", item, "2025-07-01", Prohibited, "2025-07-01", true},
		{"legacy network: point 123", legacy, "2026-01-01", Prohibited, "2030-01-01", false},
		{"legacy network in 2030", legacy, "2030-01-01", Prohibited, "2030-01-01", true},
		{"before the opinion was issued", item, "2025-04-30", Prohibited, "2025-07-01", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, err := e.v.Status(e.ctx, e.opActor, c.ref, day(t, c.asOf))
			if err != nil {
				t.Fatal(err)
			}
			if st.Status != c.want || st.BindsFrom != c.bindsFrom || st.InForce != c.inForce {
				t.Errorf("Status(%s on %s) = %s from %s in force %v, want %s from %s in force %v", c.name, c.asOf, st.Status, st.BindsFrom, st.InForce, c.want, c.bindsFrom, c.inForce)
			}
		})
	}

	t.Run("superseded and revoked", func(t *testing.T) {
		n := e.issue(OpinionInput{Reference: "SAB-11", SubjectKind: SubjectSupplier, SupplierID: hw, Verdict: VerdictNoObjection,
			IssuedOn: "2026-01-01", EffectiveOn: "2026-02-01", Supersedes: o.ID})
		for _, c := range []struct {
			asOf string
			want string
		}{{"2026-01-15", Prohibited}, {"2026-02-01", NoObjection}} {
			st, err := e.v.Status(e.ctx, e.opActor, item, day(t, c.asOf))
			if err != nil {
				t.Fatal(err)
			}
			if st.Status != c.want {
				t.Errorf("Status on %s after supersession = %s, want %s", c.asOf, st.Status, c.want)
			}
		}
		if _, err := e.v.Issue(e.ctx, e.bureau, OpinionInput{Reference: "SAB-12", SubjectKind: SubjectSupplier, SupplierID: hw,
			Verdict: VerdictThreat, PublicSummary: "x", Supersedes: o.ID}); !errors.Is(err, errkind.ErrConflict) {
			t.Errorf("superseding twice: err = %v, want conflict", err)
		}
		if _, err := e.v.Revoke(e.ctx, e.bureau, n.ID, RevocationInput{Reference: "SAB-R1", RevokedOn: "2026-06-01", PublicSummary: "revoked", Rationale: "why"}); err != nil {
			t.Fatal(err)
		}
		st, err := e.v.Status(e.ctx, e.opActor, item, day(t, "2026-06-01"))
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != NotAssessed {
			t.Errorf("Status after revocation = %s, want %s", st.Status, NotAssessed)
		}
		if got := e.auditActions("opinion", strconv.FormatInt(n.ID, 10)); !slices.Equal(got, []string{"opinion.issue", "opinion.revoke"}) {
			t.Errorf("audit of opinion %d = %v, want issue and revoke", n.ID, got)
		}
		if _, err := e.v.Revoke(e.ctx, e.bureau, n.ID, RevocationInput{Reference: "SAB-R2", PublicSummary: "again"}); !errors.Is(err, errkind.ErrConflict) {
			t.Errorf("revoking twice: err = %v, want conflict", err)
		}
	})
}

func TestIssueValidation(t *testing.T) {
	e := newEnv(t)
	hw := e.supplier("Vendor", "CN")
	_, err := e.v.Issue(e.ctx, e.bureau, OpinionInput{SubjectKind: "thing", SupplierID: hw, Verdict: VerdictRestricted,
		VersionFrom: "2", EffectiveOn: "2020-01-01", IssuedOn: "2021-01-01", Parts: []string{"<x>"}})
	var ve *errkind.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Issue(bad) err = %v, want a validation error", err)
	}
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	for _, w := range []string{"reference", "subject_kind", "version_from", "restriction", "critical_parts[0]", "effective_on", "public_summary"} {
		if !slices.Contains(fields, w) {
			t.Errorf("Issue(bad) fields = %v, want %s", fields, w)
		}
	}
	if _, err := e.v.Issue(e.ctx, e.opActor, OpinionInput{Reference: "X", SubjectKind: SubjectSupplier, SupplierID: hw, Verdict: VerdictThreat, PublicSummary: "x"}); !errors.Is(err, errkind.ErrForbidden) {
		t.Errorf("Issue as operator: err = %v, want forbidden", err)
	}
}
