package notice

import (
	"testing"

	"critreg/errkind"
	"critreg/inventory"
)

func TestPendingSubmission(t *testing.T) {
	e := newEnv(t)
	a := e.router("Ericsson AB", "MME 1000")
	b := e.router("Ericsson AB", "MME 2000")
	e.router("Ericsson AB", "MME 3000")

	p, err := e.svc.PendingSubmission(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.NextVersion != 1 || p.Last != nil || p.Items != 3 || len(p.Diff.Added) != 3 || len(p.Diff.Removed) != 0 {
		t.Fatalf("PendingSubmission before the first = version %d, last %v, %d items, %d added, want version 1, none, 3, 3", p.NextVersion, p.Last, p.Items, len(p.Diff.Added))
	}
	v1, err := e.svc.SubmitList(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	in := a.Input()
	in.Version = "1.1"
	if _, err := e.inv.UpdateItem(e.ctx, e.alice, a.ID, in, inventory.SourceTyped, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.inv.DeleteItem(e.ctx, e.alice, b.ID, ""); err != nil {
		t.Fatal(err)
	}
	c := e.router("Nokia", "MME 9")
	p, err = e.svc.PendingSubmission(e.ctx, e.alice, "OPA")
	if err != nil {
		t.Fatal(err)
	}
	if p.NextVersion != 2 || p.Last == nil || p.Last.ID != v1.ID || p.Items != 3 || p.Diff.From != v1.Receipt {
		t.Fatalf("PendingSubmission after version 1 = version %d, last %+v, %d items, want version 2 after %d, 3 items", p.NextVersion, p.Last, p.Items, v1.ID)
	}
	d := p.Diff
	if len(d.Added) != 1 || d.Added[0].ID != c.ID || len(d.Removed) != 1 || d.Removed[0].ID != b.ID || len(d.Changed) != 1 ||
		d.Changed[0].ID != a.ID || d.Changed[0].Fields[0] != (FieldChange{Field: "version", From: "1.0", To: "1.1"}) {
		t.Errorf("PendingSubmission diff = %+v, want %d added, %d removed, %d's version 1.0 → 1.1", d, c.ID, b.ID, a.ID)
	}
	// What the confirmation showed is what the submission then holds.
	v2, err := e.svc.SubmitList(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Diff(e.ctx, e.alice, v1.ID, v2.ID)
	if err != nil || len(got.Added) != len(d.Added) || len(got.Removed) != len(d.Removed) || len(got.Changed) != len(d.Changed) {
		t.Errorf("Diff(v1, v2) = %+v, %v, want what PendingSubmission showed", got, err)
	}
	_, err = e.svc.PendingSubmission(e.ctx, e.bob, "OPA")
	wantErr(t, "PendingSubmission of another operator", err, &errkind.ValidationError{}, "")
	if subs, _, _ := e.svc.Submissions(e.ctx, e.alice, SubmissionFilter{}, inventory.Page{}); len(subs) != 2 {
		t.Errorf("list submissions after two submits and two previews = %d, want 2", len(subs))
	}
}
