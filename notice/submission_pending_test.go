package notice

import (
	"reflect"
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

// TestPendingMatchesDiff checks, round after round of changes, that the confirmation
// shows exactly the differences the stored diff shows once the list is submitted, and
// that reading only the changed items answers as reading both lists whole does.
func TestPendingMatchesDiff(t *testing.T) {
	e := newEnv(t)
	items := map[string]inventory.Item{}
	for _, m := range []string{"A", "B", "C", "D", "E", "F"} {
		items[m] = e.router("Ericsson AB", "MME "+m)
	}
	items["N"] = e.router("Nokia Solutions and Networks Oy", "MME N")
	update := func(t *testing.T, name string, edit func(*inventory.ItemInput)) {
		t.Helper()
		in := items[name].Input()
		edit(&in)
		it, err := e.inv.UpdateItem(e.ctx, e.alice, items[name].ID, in, inventory.SourceTyped, "")
		if err != nil {
			t.Fatal(err)
		}
		items[name] = it
	}
	remove := func(t *testing.T, name string) {
		t.Helper()
		if err := e.inv.DeleteItem(e.ctx, e.alice, items[name].ID, ""); err != nil {
			t.Fatal(err)
		}
		delete(items, name)
	}
	rename := func(t *testing.T, from, to string) {
		t.Helper()
		sup, err := e.inv.SupplierByName(e.ctx, e.bea, from)
		if err != nil {
			t.Fatal(err)
		}
		in := inventory.SupplierInput{Name: to, Person: sup.Person, Country: sup.Country, RegistrationNo: sup.RegistrationNo, Roles: sup.Roles}
		if _, err := e.inv.UpdateSupplier(e.ctx, e.bea, sup.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	rounds := []struct {
		name                    string
		change                  func(t *testing.T)
		added, removed, changed int
	}{
		{"nothing changed", func(*testing.T) {}, 0, 0, 0},
		{"fields changed, one changed and reverted", func(t *testing.T) {
			update(t, "A", func(in *inventory.ItemInput) { in.Version = "1.1" })
			update(t, "B", func(in *inventory.ItemInput) { in.Site = "Rīga, \"Dzirnavu\" {iela} 5\\7"; in.Quantity = 3 })
			update(t, "C", func(in *inventory.ItemInput) { in.Notes = "temporary" })
			update(t, "C", func(in *inventory.ItemInput) { in.Notes = "" })
		}, 0, 0, 2},
		{"an item deleted and another created", func(t *testing.T) {
			remove(t, "D")
			items["G"] = e.router("Ericsson AB", "MME G")
		}, 1, 1, 0},
		{"created and deleted before submitting, moved to another network", func(t *testing.T) {
			items["H"] = e.router("Ericsson AB", "MME H")
			remove(t, "H")
			update(t, "E", func(in *inventory.ItemInput) { in.NetworkID = e.core.ID })
			update(t, "A", func(in *inventory.ItemInput) { in.Version = "1.0" })
		}, 0, 0, 2},
		{"a supplier renamed, one of its items edited", func(t *testing.T) {
			rename(t, "Ericsson AB", "Ericsson Aktiebolag")
			update(t, "F", func(in *inventory.ItemInput) { in.Model = "MME F2"; in.Manufacturer = "Ericsson Aktiebolag" })
		}, 0, 0, 6},
		{"the name restored", func(t *testing.T) {
			rename(t, "Ericsson Aktiebolag", "Ericsson AB")
		}, 0, 0, 6},
		{"written by SQL past every write path of the code", func(t *testing.T) {
			for _, w := range []struct{ sql, item string }{
				{`UPDATE items SET serial = 'S-raw' WHERE id = ?`, "A"},
				{`DELETE FROM items WHERE id = ?`, "B"},
			} {
				if _, err := e.svc.db.Write.ExecContext(e.ctx, w.sql, items[w.item].ID); err != nil {
					t.Fatal(err)
				}
			}
			delete(items, "B")
		}, 0, 1, 1},
	}
	last, err := e.svc.SubmitList(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		t.Run(r.name, func(t *testing.T) {
			r.change(t)
			op, err := e.svc.operatorFor(e.ctx, e.alice, "")
			if err != nil {
				t.Fatal(err)
			}
			p, how, err := e.svc.pendingFromChanges(e.ctx, e.alice, op)
			if err != nil || how != answered {
				t.Fatalf("pendingFromChanges = %v, %v, want an answer from the change log", how, err)
			}
			whole, err := e.svc.pendingWhole(e.ctx, e.alice, op)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p, whole) {
				t.Errorf("pendingFromChanges = %+v, want what reading both lists whole gives, %+v", p, whole)
			}
			if len(p.Diff.Added) != r.added || len(p.Diff.Removed) != r.removed || len(p.Diff.Changed) != r.changed {
				t.Errorf("PendingSubmission = %d added, %d removed, %d changed, want %d, %d, %d: %+v",
					len(p.Diff.Added), len(p.Diff.Removed), len(p.Diff.Changed), r.added, r.removed, r.changed, p.Diff)
			}
			sub, err := e.svc.SubmitList(e.ctx, e.alice, "")
			if err != nil {
				t.Fatal(err)
			}
			if sub.Version != p.NextVersion || sub.ItemCount != p.Items {
				t.Errorf("SubmitList = version %d of %d items, want %d of %d as confirmed", sub.Version, sub.ItemCount, p.NextVersion, p.Items)
			}
			got, err := e.svc.Diff(e.ctx, e.alice, last.ID, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Added, p.Diff.Added) || !reflect.DeepEqual(got.Removed, p.Diff.Removed) || !reflect.DeepEqual(got.Changed, p.Diff.Changed) {
				t.Errorf("Diff(%d, %d) = %+v, want what the confirmation showed, %+v", last.ID, sub.ID, got, p.Diff)
			}
			// The indexed diff, both ways, is the diff of the decoded contents.
			for _, pair := range [][2]int64{{last.ID, sub.ID}, {sub.ID, last.ID}} {
				got, err := e.svc.Diff(e.ctx, e.alice, pair[0], pair[1])
				if err != nil {
					t.Fatal(err)
				}
				d1, d2, err := e.svc.wholeItems(e.ctx, e.alice, pair[0], pair[1])
				if err != nil {
					t.Fatal(err)
				}
				added, removed, changed := diffItems(d1, d2)
				if !reflect.DeepEqual(got.Added, added) || !reflect.DeepEqual(got.Removed, removed) || !reflect.DeepEqual(got.Changed, changed) {
					t.Errorf("Diff(%d, %d) = %+v, want the diff of the decoded contents: %+v, %+v, %+v", pair[0], pair[1], got, added, removed, changed)
				}
			}
			last = sub
		})
	}
}

// TestPendingWithoutIndex: a submission made before submissions were indexed is compared
// whole, and the answer is the same.
func TestPendingWithoutIndex(t *testing.T) {
	e := newEnv(t)
	a := e.router("Ericsson AB", "MME 1")
	e.router("Ericsson AB", "MME 2")
	v1, err := e.svc.SubmitList(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	in := a.Input()
	in.Version = "2.0"
	if _, err := e.inv.UpdateItem(e.ctx, e.alice, a.ID, in, inventory.SourceTyped, ""); err != nil {
		t.Fatal(err)
	}
	withIndex, err := e.svc.PendingSubmission(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.db.Write.ExecContext(e.ctx, `DELETE FROM list_submission_index WHERE submission_id = ?`, v1.ID); err != nil {
		t.Fatal(err)
	}
	without, err := e.svc.PendingSubmission(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withIndex, without) || len(without.Diff.Changed) != 1 {
		t.Errorf("PendingSubmission without an index = %+v, want %+v with one change", without, withIndex)
	}
	v2, err := e.svc.SubmitList(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.Diff(e.ctx, e.alice, v1.ID, v2.ID)
	if err != nil || len(d.Changed) != 1 || d.Changed[0].ID != a.ID {
		t.Errorf("Diff(unindexed %d, %d) = %+v, %v, want item %d changed", v1.ID, v2.ID, d, err, a.ID)
	}
}

func TestItemSlices(t *testing.T) {
	tests := []struct {
		name  string
		items []ListItem
	}{
		{"none", nil},
		{"one", []ListItem{{ID: 1, Name: "MME"}}},
		{"quotes, escapes, brackets and non-ASCII", []ListItem{
			{ID: 1, Name: `a "quoted" name \ with {braces} and [brackets]`, Notes: "līnija\nnākamā\t<&>\u2028"},
			{ID: 2, Site: `\"}]`, Serial: "\x01"},
			{ID: 3, Quantity: 7, Model: "Ž-9"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := ListDocument{Kind: KindList, Items: append([]ListItem{}, tt.items...), Networks: []NetworkRef{{ID: 1, Name: "{]"}}}
			content, err := Canonical(doc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := itemSlices(content)
			if err != nil {
				t.Fatalf("itemSlices(%s) = %v", content, err)
			}
			if len(got) != len(tt.items) {
				t.Fatalf("itemSlices(%s) = %d items, want %d", content, len(got), len(tt.items))
			}
			for i, it := range tt.items {
				want, err := Canonical(it)
				if err != nil {
					t.Fatal(err)
				}
				if string(got[i]) != string(want) {
					t.Errorf("itemSlices(...)[%d] = %s, want %s", i, got[i], want)
				}
			}
		})
	}
	for _, bad := range []string{``, `{"kind":"list"}`, `{"items":[{"id":1}`, `{"items":[{"id":1}x`, `{"items":[1]}`} {
		if _, err := itemSlices([]byte(bad)); err == nil {
			t.Errorf("itemSlices(%q) = no error, want one", bad)
		}
	}
}
