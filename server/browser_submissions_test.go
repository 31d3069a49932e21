package server_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestBrowserSubmissionsJourney drives Chromium as Daugava's compliance officer: submit the
// annex-7 list and see the version and its differences; edit a notice line, with the
// problem shown beside its field; commit a long import and follow its progress to done;
// then check the main pages at phone width and at 1280×800, with screenshots of each.
func TestBrowserSubmissionsJourney(t *testing.T) {
	ctx := browser(t)
	base := demoServer(t)
	var s string
	j := newJourney(t, ctx, &s)
	must, read, snap, contains := j.must, j.read, j.snap, j.contains
	must("sign in", chromedp.Steps(signIn(base, "operator.daugava")...), chromedp.WaitVisible(chromedp.CSS("main section")))

	// Submit the list: the confirmation shows what goes, the binding submit gives a receipt.
	must("confirm", chromedp.Navigate(base+"/submissions"), chromedp.Click(chromedp.ID("prepare-submission")),
		chromedp.WaitVisible(chromedp.ID("confirm")), read("#next-version"), snap("submission-confirm"))
	version := strings.TrimSpace(s)
	must("submit", chromedp.Click(chromedp.ID("submit-list")), chromedp.WaitVisible(chromedp.ID("receipt")), read("#version"))
	if strings.TrimSpace(s) != version {
		t.Fatalf("submitted version = %q, want %q as confirmed", s, version)
	}
	must("receipt", read("#receipt"), snap("submission"))
	contains("receipt", s, "SHA-256")
	// An item changes; the next confirmation and the new version show it field by field.
	must("edit item", chromedp.Navigate(base+"/items/9/edit"), chromedp.WaitVisible(chromedp.ID("version")),
		chromedp.SetValue(chromedp.ID("version"), "24.2.R1"), chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("dl.fields")))
	must("confirm again", chromedp.Navigate(base+"/submissions/new"), chromedp.WaitVisible(chromedp.ID("diff")), read("#diff"))
	contains("pending diff", s, "24.2.R1")
	// The confirmation has a #diff too: wait for the receipt, which only the new version's page has.
	must("submit again", chromedp.Click(chromedp.ID("submit-list")), chromedp.WaitVisible(chromedp.ID("receipt")), read("#diff"), snap("submission-diff"))
	contains("version diff", s, "24.2.R1")
	contains("version diff", s, "Mainīti: 1")
	must("list", chromedp.Navigate(base+"/submissions"), chromedp.WaitVisible(chromedp.CSS("table.submissions")), read("table.submissions"), snap("submissions"))
	contains("submissions", s, "operator.daugava")
	var submissionURL string
	must("submission url", chromedp.Click(chromedp.CSS("table.submissions tbody a")), chromedp.WaitVisible(chromedp.ID("receipt")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			v, err := chromedp.Evaluate[string]("location.pathname")(ctx, tg)
			submissionURL = v
			return err
		}))

	// A notice line edited: a missing date shows beside its field, in Latvian, and the
	// model typed stays; corrected, the line is saved.
	must("draft notice", chromedp.Navigate(base+"/notices"), chromedp.WaitVisible(chromedp.ID("draft")),
		chromedp.SendKeys(chromedp.ID("l-title"), "ePDG replacement"), chromedp.SetValue(chromedp.ID("l-change"), "replace_device"),
		chromedp.SendKeys(chromedp.ID("l-item"), "9"), chromedp.SendKeys(chromedp.ID("l-manufacturer"), "Nokia Solutions and Networks Oy"),
		chromedp.SendKeys(chromedp.ID("l-model"), "7750 SR-1"), chromedp.SetValue(chromedp.ID("l-start"), "2027-03-01"),
		chromedp.Click(chromedp.CSS("#draft button")), chromedp.WaitVisible(chromedp.ID("notice-state")))
	var noticeURL string
	must("edit line", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		v, err := chromedp.Evaluate[string]("location.pathname")(ctx, tg)
		noticeURL = v
		return err
	}), chromedp.Click(chromedp.ID("edit-line-1")), chromedp.WaitVisible(chromedp.ID("edit-line")),
		chromedp.SetValue(chromedp.ID("e-model"), "7750 SR-7"), chromedp.SetValue(chromedp.ID("e-planned_start"), ""),
		chromedp.Click(chromedp.CSS("#edit-line button[type=submit]")), chromedp.WaitVisible(chromedp.ID("e-planned_start-error")),
		read("#e-planned_start-error"), snap("notice-line-error"))
	contains("line error", s, "nav datums formā GGGG-MM-DD")
	var typed string
	must("typed kept", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		v, err := chromedp.Value(chromedp.ID("e-model"))(ctx, tg)
		typed = v
		return err
	}))
	if typed != "7750 SR-7" {
		t.Fatalf("model after a failed edit = %q, want 7750 SR-7", typed)
	}
	must("save line", chromedp.SetValue(chromedp.ID("e-planned_start"), "2027-04-01"),
		chromedp.Click(chromedp.CSS("#edit-line button[type=submit]")), chromedp.WaitNotPresent(chromedp.ID("edit-line")),
		read("#line-1"), snap("notice-line-saved"))
	contains("saved line", s, "7750 SR-7")
	contains("saved line", s, "2027-04-01")

	// A long import: the commit runs in the background, the page draws its progress and
	// shows the result when done.
	wb := bigWorkbook(t, 800)
	sawRunning := false
	must("import commit", chromedp.Navigate(base+"/import"), chromedp.SetUploadFiles(chromedp.ID("file"), []string{wb}),
		chromedp.Click(chromedp.CSS(`button[value="commit"]`)), chromedp.WaitVisible(chromedp.ID("import-job")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			state, err := chromedp.Evaluate[string](`document.getElementById("import-job").getAttribute("data-state")`)(ctx, tg)
			sawRunning = state == "running"
			if err != nil || !sawRunning {
				return err
			}
			_, err = snap("import-progress")(ctx, tg)
			return err
		}))
	if sawRunning {
		// The script redraws the bar from the import API before the result replaces it.
		must("progress drawn", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				v, err := chromedp.Evaluate[string](`(function(){var b=document.getElementById("import-bar"); var r=document.getElementById("import-result"); return r ? "done" : (b && b.value > 0 ? "drawn" : "")})()`)(ctx, tg)
				if err == nil && v != "" {
					return nil
				}
			}
			return fmt.Errorf("the progress bar was never drawn")
		}))
	} else {
		t.Log("the import was done before its page first showed: progress not observed")
	}
	must("import done", chromedp.WaitVisible(chromedp.ID("import-result")), read("#import-result"), snap("import-done"))
	contains("import result", s, "Importēts")
	contains("import result", s, "pievienoti: 800")

	// Phone width and 1280×800: no page scrolls sideways outside its table wrappers.
	pages := map[string]string{"items": "/items", "dashboard": "/", "notice": noticeURL, "submission": submissionURL}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 800}} {
		for name, path := range pages {
			var overflow int64
			must(name+" "+size.name, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main h1")),
				chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					v, err := chromedp.Evaluate[int64](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)(ctx, tg)
					overflow = v
					return err
				}), snap(name+"-"+size.name))
			if overflow > 0 {
				t.Errorf("%s at %d px scrolls sideways by %d px", path, size.w, overflow)
			}
		}
	}
}

// bigWorkbook writes an operator-layout workbook of rows items for Daugava's backbone, big
// enough that committing it takes a while.
func bigWorkbook(t *testing.T, rows int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"Tīkls", "Kritiskā daļa", "Veids", "Nosaukums", "Ražotājs", "Modelis", "Sērijas numurs", "Izcelsmes valsts", "Atrašanās vieta"}); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{"IP/MPLS backbone", "4.1", "iekārta", fmt.Sprintf("Access router %d", i), "Juniper Networks, Inc.", "MX204", fmt.Sprintf("JX%06d", i), "ASV", "Liepāja"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "backbone.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}
