package vetting

import (
	"context"
	"testing"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/inventory"
	"critreg/store"
	"critreg/store/storetest"
)

// env is one test's database with the vetting package over it.
type env struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	v   *Vetting
	inv *inventory.Store
	op  inventory.Operator
	// opActor keeps the operator's list; bureau vets.
	opActor access.Actor
	bureau  access.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := storetest.Open(t, audit.Schema, inventory.Schema, account.Schema, Schema)
	e := &env{t: t, ctx: context.Background(), db: db, v: New(db), inv: inventory.NewStore(db),
		bureau: access.Actor{UserID: 2, Login: "analyst", Role: access.RoleBureau, Via: "test"}}
	op, err := e.inv.CreateOperator(e.ctx, access.System(), inventory.OperatorInput{Code: "TEL", Name: "Telekom"})
	if err != nil {
		t.Fatal(err)
	}
	e.op = op
	e.opActor = access.Actor{UserID: 1, Login: "officer", Role: access.RoleOperator, OperatorID: op.ID, Via: "test"}
	return e
}

func (e *env) supplier(name, country string) int64 {
	e.t.Helper()
	sp, err := e.inv.CreateSupplier(e.ctx, access.System(), inventory.SupplierInput{Name: name, Country: country})
	if err != nil {
		e.t.Fatal(err)
	}
	return sp.ID
}

func (e *env) person(name, citizenship string) int64 {
	e.t.Helper()
	in := PartyInput{Kind: PartyPerson, Name: name}
	if citizenship != "" {
		in.Citizenships = []string{citizenship}
	}
	return e.party(in)
}

func (e *env) party(in PartyInput) int64 {
	e.t.Helper()
	p, err := e.v.CreateParty(e.ctx, e.bureau, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return p.ID
}

// supplierParty puts a register supplier into the graph.
func (e *env) supplierParty(supplierID int64) int64 {
	return e.party(PartyInput{Kind: PartyCompany, SupplierID: supplierID})
}

func (e *env) company(name, country string) int64 {
	return e.party(PartyInput{Kind: PartyCompany, Name: name, Country: country})
}

func ptr(f float64) *float64 { return &f }

// own records that owner holds share per cent of subject (share < 0: no share) with the
// kinds of control given.
func (e *env) own(subject, owner int64, share float64, control ...string) int64 {
	e.t.Helper()
	in := StatementInput{SubjectID: subject, OwnerID: owner, Control: control, Source: "test register extract"}
	if share >= 0 {
		in.Share = &Share{Exact: ptr(share)}
	}
	st, err := e.v.CreateStatement(e.ctx, e.bureau, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return st.ID
}

func (e *env) network(name string, legacy bool) int64 {
	e.t.Helper()
	n, err := e.inv.CreateNetwork(e.ctx, e.opActor, inventory.NetworkInput{Name: name, Technology: "5G", Legacy: legacy})
	if err != nil {
		e.t.Fatal(err)
	}
	return n.ID
}

func (e *env) item(in inventory.ItemInput) int64 {
	e.t.Helper()
	if in.Quantity == 0 {
		in.Quantity = 1
	}
	it, err := e.inv.CreateItem(e.ctx, e.opActor, in, inventory.SourceTyped, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return it.ID
}

func (e *env) issue(in OpinionInput) Opinion {
	e.t.Helper()
	if in.PublicSummary == "" {
		in.PublicSummary = "summary of " + in.Reference
	}
	o, err := e.v.Issue(e.ctx, e.bureau, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// auditActions lists the actions recorded about one object, oldest first.
func (e *env) auditActions(objectType, objectID string) []string {
	e.t.Helper()
	recs, err := audit.List(e.ctx, e.db.Read, access.System(), audit.Filter{ObjectType: objectType, ObjectID: objectID, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for i := len(recs) - 1; i >= 0; i-- {
		out = append(out, recs[i].Action)
	}
	return out
}

func adminActor() access.Actor {
	return access.Actor{Login: "admin", Role: access.RoleAdmin, Via: "test"}
}
