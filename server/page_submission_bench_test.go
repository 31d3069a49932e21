package server_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/account"
	"critreg/inventory"
	"critreg/notice"
	"critreg/server"
	"critreg/store/storetest"
)

// BenchmarkSubmissionPages renders the list-submission pages and the notice line editor
// with 100,000 items in the database, as the operator that owns half of them and has
// submitted its 50,000-item list twice, 100 items changed in between and 71 since.
//
//	go test -run '^$' -bench BenchmarkSubmissionPages -benchtime 10x ./server/
func BenchmarkSubmissionPages(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, server.Schemas()...)
	seedItems(b, db, 100_000)
	acc := account.New(db)
	u, err := acc.UserByLogin(ctx, "alice")
	if err != nil {
		b.Fatal(err)
	}
	alice := u.Actor("127.0.0.1", "bench")
	secret, _, err := acc.StartSession(ctx, u, "127.0.0.1", "bench", "")
	if err != nil {
		b.Fatal(err)
	}
	bureauSecret := benchSession(b, acc, "bea", access.RoleBureau)
	svc := notice.New(db, inventory.NewStore(db), nil)
	v1, err := svc.SubmitList(ctx, alice, "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Write.Exec(`UPDATE items SET version = '2.0' WHERE id % 500 = 0 AND operator_id = 1`); err != nil {
		b.Fatal(err)
	}
	v2, err := svc.SubmitList(ctx, alice, "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Write.Exec(`UPDATE items SET version = '3.0' WHERE id % 700 = 0 AND operator_id = 1`); err != nil {
		b.Fatal(err)
	}
	n, err := svc.CreateNotice(ctx, alice, notice.NoticeInput{Title: "bench", Lines: []notice.LineInput{
		{Change: inventory.ChangeReplaceDevice, CurrentItemID: 10, New: inventory.ItemInput{Manufacturer: "Nokia Solutions and Networks Oy", Model: "M-9"}, PlannedStart: "2030-06-01"},
		{Change: inventory.ChangeUpdateSoftware, CurrentItemID: 11, New: inventory.ItemInput{Version: "2.0"}, PlannedStart: "2030-06-02"},
	}})
	if err != nil {
		b.Fatal(err)
	}
	// A first view of a diff is not in the pages' cache: these compare and preview
	// without it, as the pages do on a first view.
	b.Run("diff-uncached", func(b *testing.B) {
		for range b.N {
			if _, err := svc.Diff(ctx, alice, v1.ID, v2.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pending", func(b *testing.B) {
		for range b.N {
			if _, err := svc.PendingSubmission(ctx, alice, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := server.New(db, server.Config{Log: log}).Handler()
	for _, p := range []struct{ name, path, session string }{
		{"submissions", "/submissions", ""},
		{"submission-diff", fmt.Sprintf("/submissions/%d", v2.ID), ""},
		{"submission-compare", fmt.Sprintf("/submissions/%d?from=%d&to=%d", v1.ID, v2.ID, v1.ID), ""},
		{"submission-first", fmt.Sprintf("/submissions/%d", v1.ID), ""},
		{"submit-confirm", "/submissions/new", ""},
		{"notice", fmt.Sprintf("/notices/%d", n.ID), ""},
		{"notice-edit-line", fmt.Sprintf("/notices/%d?edit=1", n.ID), ""},
		{"bureau-submissions", "/submissions", bureauSecret},
		{"bureau-submission-diff", fmt.Sprintf("/submissions/%d", v2.ID), bureauSecret},
	} {
		if p.session == "" {
			p.session = secret
		}
		b.Run(p.name, func(b *testing.B) { benchGet(b, h, p.path, p.session) })
	}
	// The binding submit itself, of the 50,000-item list as it stands.
	b.Run("submit", func(b *testing.B) {
		for range b.N {
			if _, err := svc.SubmitList(ctx, alice, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
