package notice

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/store/storetest"
	"critreg/vetting"
)

// env is a notice service over a fresh database: operators A and B, their users, a legacy
// 4G network and a new 5G network of A, a network of B.
type env struct {
	t                          testing.TB
	ctx                        context.Context
	svc                        *Service
	inv                        *inventory.Store
	vet                        *vetting.Vetting
	clock                      time.Time
	opA, opB                   inventory.Operator
	alice, eric, bob, bea, adm access.Actor
	lte, core, netB            inventory.Network
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := storetest.Open(t, audit.Schema, inventory.Schema, vetting.Schema, Schema)
	e := &env{t: t, ctx: context.Background(), inv: inventory.NewStore(db), clock: mustTime(t, "2027-01-10T09:00:00Z")}
	vet := vetting.New(db)
	e.vet = vet
	e.svc = New(db, e.inv, Vetted{V: vet})
	e.svc.now = func() time.Time { return e.clock }
	sys := access.System()
	var err error
	if e.opA, err = e.inv.CreateOperator(e.ctx, sys, inventory.OperatorInput{Code: "OPA", Name: "Operator A", RegistrationNo: "40003000001"}); err != nil {
		t.Fatal(err)
	}
	if e.opB, err = e.inv.CreateOperator(e.ctx, sys, inventory.OperatorInput{Code: "OPB", Name: "Operator B"}); err != nil {
		t.Fatal(err)
	}
	e.alice = access.Actor{UserID: 1, Login: "alice", Role: access.RoleOperator, OperatorID: e.opA.ID, Via: "test"}
	e.eric = access.Actor{UserID: 2, Login: "eric", Role: access.RoleEngineer, OperatorID: e.opA.ID, Via: "test"}
	e.bob = access.Actor{UserID: 3, Login: "bob", Role: access.RoleOperator, OperatorID: e.opB.ID, Via: "test"}
	e.bea = access.Actor{UserID: 4, Login: "bea", Role: access.RoleBureau, Via: "test"}
	e.adm = access.Actor{UserID: 5, Login: "adm", Role: access.RoleAdmin, Via: "test"}
	e.lte = e.network(e.alice, "LTE", inventory.Tech4G, true)
	e.core = e.network(e.alice, "5G core", inventory.Tech5G, false)
	e.netB = e.network(e.bob, "B core", inventory.Tech5G, false)
	// The bureau's opinions: a threat (binding a legacy network from 2030-01-01 only), a
	// restriction and no objection.
	for i, o := range []struct {
		supplier string
		verdict  vetting.Verdict
	}{{"Huawei Technologies Co., Ltd.", vetting.VerdictThreat}, {"ZTE Corporation", vetting.VerdictRestricted}, {"Nokia", vetting.VerdictNoObjection}} {
		if _, err := e.inv.CreateSupplier(e.ctx, e.bea, inventory.SupplierInput{Name: o.supplier, Roles: []inventory.SupplierRole{inventory.RoleManufacturer}}); err != nil {
			t.Fatal(err)
		}
		in := vetting.OpinionInput{Reference: fmt.Sprintf("SAB-2026/%d", i+1), SubjectKind: vetting.SubjectSupplier, Supplier: o.supplier, Verdict: o.verdict,
			IssuedOn: "2025-12-01", EffectiveOn: "2026-01-01", PublicSummary: "opinion on " + o.supplier, Rationale: "test"}
		if o.verdict == vetting.VerdictRestricted {
			in.Restriction = "not in the core"
		}
		if _, err := vet.Issue(e.ctx, e.bea, in); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func (e *env) at(s string) { e.clock = mustTime(e.t, s) }

func (e *env) network(a access.Actor, name string, tech inventory.Technology, legacy bool) inventory.Network {
	e.t.Helper()
	n, err := e.inv.CreateNetwork(e.ctx, a, inventory.NetworkInput{Name: name, Technology: tech, Legacy: legacy})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) item(a access.Actor, in inventory.ItemInput) inventory.Item {
	e.t.Helper()
	it, err := e.inv.CreateItem(e.ctx, a, in, inventory.SourceTyped, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return it
}

func (e *env) draft(a access.Actor, lines ...LineInput) Notice {
	e.t.Helper()
	n, err := e.svc.CreateNotice(e.ctx, a, NoticeInput{Title: "test notice", Lines: lines})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) step(a access.Actor, id int64, act Action, in StepInput) Notice {
	e.t.Helper()
	n, _, err := e.svc.Step(e.ctx, a, id, act, in)
	if err != nil {
		e.t.Fatalf("%s notice %d as %s: %v", act, id, a.Login, err)
	}
	return n
}

// wantErr checks that err is of kind want (nil: no error) and, if given, mentions text.
func wantErr(t *testing.T, what string, err, want error, text string) {
	t.Helper()
	var v *errkind.ValidationError
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s = %v, want no error", what, err)
	case want == nil:
		return
	case errors.Is(want, errkind.ErrNotFound) || errors.Is(want, errkind.ErrForbidden) || errors.Is(want, errkind.ErrConflict):
		if !errors.Is(err, want) {
			t.Fatalf("%s = %v, want %v", what, err, want)
		}
	case errors.As(want, &v):
		if !errors.As(err, &v) {
			t.Fatalf("%s = %v, want a validation error", what, err)
		}
	}
	if text != "" && !strings.Contains(err.Error(), text) {
		t.Fatalf("%s = %v, want it to mention %q", what, err, text)
	}
}

// invalid is the kind of a validation error, for wantErr.
var invalid = &errkind.ValidationError{}

// router is an MME of the legacy network.
func (e *env) router(maker, model string) inventory.Item {
	return e.item(e.alice, inventory.ItemInput{NetworkID: e.lte.ID, CriticalPart: "2.4", Kind: inventory.KindEquipment,
		Name: "MME", Model: model, Manufacturer: maker, Version: "1.0", Serial: "S-" + model})
}
