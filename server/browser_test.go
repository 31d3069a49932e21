package server_test

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
	"github.com/sirupsen/logrus"
	"github.com/xuri/excelize/v2"

	"critreg/demo"
	"critreg/server"
	"critreg/store/storetest"
)

// browser starts headless Chromium for a test, or skips when it is missing (and fails
// instead when CRITREG_REQUIRE_TOOLS is set, as in CI).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		} else if os.Getenv("CRITREG_REQUIRE_TOOLS") != "" {
			t.Fatal("chromium is required (CRITREG_REQUIRE_TOOLS is set) but not installed")
		} else {
			t.Skip("chromium not installed: browser tests skipped (apt-get install chromium)")
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func demoServer(t *testing.T) string {
	t.Helper()
	db := storetest.Open(t, server.Schemas()...)
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	srv := httptest.NewServer(server.New(db, server.Config{Log: log}).Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func screenshotDir(t *testing.T) string {
	if d := os.Getenv("CRITREG_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

type step = chromedp.Action[chromedp.Void]

// journey is one browser session walking through pages for a test: a step that fails ends
// the test naming the step, read and value put what they find into the test's string, and
// snap saves a screenshot for review (see screenshotDir).
type journey struct {
	t   *testing.T
	ctx context.Context
	dir string
	got *string
}

func newJourney(t *testing.T, ctx context.Context, got *string) *journey {
	return &journey{t: t, ctx: ctx, dir: screenshotDir(t), got: got}
}

func (j *journey) must(what string, steps ...step) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, steps...); err != nil {
		j.t.Fatalf("%s: %v", what, err)
	}
}

// read puts the text of the element sel into the journey's string.
func (j *journey) read(sel string) step { return readInto(j.got, sel) }

// value puts the value of the form field sel into the journey's string.
func (j *journey) value(sel string) step {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		v, err := chromedp.Value(chromedp.CSS(sel))(ctx, tg)
		*j.got = v
		return err
	})
}

func (j *journey) snap(name string) step {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(j.dir, name+".png"), png, 0o644)
	})
}

func (j *journey) contains(what, got, want string) {
	j.t.Helper()
	if !strings.Contains(got, want) {
		j.t.Fatalf("%s: page shows %q, want %q in it", what, got, want)
	}
}

// readInto puts the text of the element sel into dst.
func readInto(dst *string, sel string) step {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		v, err := chromedp.Text(chromedp.CSS(sel))(ctx, tg)
		*dst = v
		return err
	})
}

func signIn(base, login string) []step {
	return []step{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), login),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
	}
}

func signOut() []step {
	return []step{chromedp.Click(chromedp.CSS("header form button")), chromedp.WaitVisible(chromedp.ID("login"))}
}

// TestBrowserJourneys drives Chromium through the main journeys of operators, engineers
// and the bureau, saving a screenshot of each main page.
func TestBrowserJourneys(t *testing.T) {
	ctx := browser(t)
	base := demoServer(t)
	var s string
	j := newJourney(t, ctx, &s)
	must, read, snap, contains := j.must, j.read, j.snap, j.contains
	// An operator signs in; the pages are in Latvian until switched.
	must("sign in", chromedp.Steps(signIn(base, "operator.daugava")...), chromedp.WaitVisible(chromedp.CSS("main section")), read("main"), snap("dashboard"))
	contains("dashboard", s, "Atbilstība 64. punktam")
	contains("dashboard removals", s, "Huawei UGW9811")
	must("switch to English", chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] main section`)), read("main"))
	contains("English dashboard", s, "Point-64 compliance")

	// Inventory: search, and page through it.
	must("inventory", chromedp.Navigate(base+"/items?limit=10"), read("main"), snap("inventory"))
	contains("inventory", s, "Ericsson Blade Cluster HSS")
	must("next page", chromedp.Click(chromedp.CSS(`a[rel="next"]`)), chromedp.WaitVisible(chromedp.CSS(`nav.pager a:not([rel])`)), read("table.items"))
	if strings.Contains(s, "Ericsson Blade Cluster HSS") {
		t.Fatal("the second page repeats the first")
	}
	must("search", chromedp.Navigate(base+"/items?q=UGW9811"), chromedp.WaitVisible(chromedp.CSS("table.items")), read("table.items tbody"))
	if n := strings.Count(s, "UGW9811"); n != 3 {
		t.Fatalf("search UGW9811 shows %d rows: %q", n, s)
	}

	// Networks, and an API token whose secret is shown once.
	must("networks", chromedp.Navigate(base+"/networks"), chromedp.WaitVisible(chromedp.CSS("table.networks")), read("main"), snap("networks"))
	contains("networks", s, "LTE core")
	must("token", chromedp.Navigate(base+"/tokens"), chromedp.WaitVisible(chromedp.ID("tk-name")),
		chromedp.SendKeys(chromedp.ID("tk-name"), "inventory sync"), chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("secret")), read("main"), snap("tokens"))
	contains("token secret", s, "crt_")

	// A new item with mistakes: the problems show beside their fields and what was typed stays.
	must("item form", chromedp.Navigate(base+"/items/new"), chromedp.WaitVisible(chromedp.ID("critical_part")),
		chromedp.SendKeys(chromedp.ID("critical_part"), "9.9"), chromedp.SetValue(chromedp.ID("kind"), "equipment"),
		chromedp.SendKeys(chromedp.ID("name"), "Edge router <b>Valmiera</b>"), chromedp.SetValue(chromedp.ID("quantity"), "two"),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".field-error")),
		read("main"), snap("item-form-errors"))
	contains("form errors", s, "must be a whole number")
	contains("form errors", s, "neither an annex-6 function")
	var typed string
	must("typed value kept", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		v, err := chromedp.Value(chromedp.ID("name"))(ctx, tg)
		typed = v
		return err
	}))
	if typed != "Edge router <b>Valmiera</b>" {
		t.Fatalf("name after a failed save = %q", typed)
	}
	must("fix and save", chromedp.SetValue(chromedp.ID("critical_part"), "1.1"), chromedp.SetValue(chromedp.ID("quantity"), "2"),
		chromedp.SetValue(chromedp.ID("manufacturer"), "Nokia Solutions and Networks Oy"), chromedp.SetValue(chromedp.ID("model"), "7750 SR-1"),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("dl.fields")),
		read("main"), snap("item"))
	contains("saved item", s, "Edge router <b>Valmiera</b>")
	contains("item history", s, "item.create")
	must("edit item", chromedp.Click(chromedp.CSS(`p.actions a[href$="/edit"]`)), chromedp.WaitVisible(chromedp.ID("version")),
		chromedp.SetValue(chromedp.ID("version"), "23.10.R2"),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("dl.fields")),
		read("main"), snap("item-edited"))
	contains("edited item", s, "23.10.R2")
	contains("item history after edit", s, "item.update")

	// The exemption check answers with the clause, and point 64 separately.
	must("check", chromedp.Navigate(base+"/check"), chromedp.SetValue(chromedp.ID("change"), "replace_device"),
		chromedp.SendKeys(chromedp.ID("item"), "6"), chromedp.SendKeys(chromedp.ID("model"), "Huawei UGW9811"),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")), chromedp.WaitVisible(chromedp.ID("result")),
		read("#result"), snap("check"))
	contains("check clause", s, "63.3.1")
	contains("check point 64", s, "Prohibited")

	// Import: a workbook with a mistake shows it by sheet, row and column and changes nothing;
	// the corrected one is checked, then imported.
	bad, good := importWorkbooks(t)
	must("import with problems", chromedp.Navigate(base+"/import"), chromedp.SetUploadFiles(chromedp.ID("file"), []string{bad}),
		chromedp.Click(chromedp.CSS(`button[value="dry-run"]`)), chromedp.WaitVisible(chromedp.ID("import-result")),
		read("#import-result"), snap("import-problems"))
	contains("import problems", s, "9.9")
	must("import dry run", chromedp.Navigate(base+"/import"), chromedp.SetUploadFiles(chromedp.ID("file"), []string{good}),
		chromedp.Click(chromedp.CSS(`button[value="dry-run"]`)), chromedp.WaitVisible(chromedp.ID("import-result")), read("#import-result"))
	contains("dry run", s, "added: 1")
	must("import commit", chromedp.Navigate(base+"/import"), chromedp.SetUploadFiles(chromedp.ID("file"), []string{good}),
		chromedp.Click(chromedp.CSS(`button[value="commit"]`)), chromedp.WaitVisible(chromedp.ID("import-result")), read("#import-result"),
		snap("import-committed"))
	contains("commit", s, "Imported")
	must("imported item listed", chromedp.Navigate(base+"/items?q=Ventspils"), read("table.items"))
	contains("imported item", s, "Ventspils")

	// A notice: drafted with its line checked, refused when it starts too early, then
	// submitted with a receipt.
	must("draft early notice", chromedp.Navigate(base+"/notices"), chromedp.WaitVisible(chromedp.ID("draft")),
		chromedp.SendKeys(chromedp.ID("l-title"), "Too early"), chromedp.SetValue(chromedp.ID("l-change"), "replace_device"),
		chromedp.SendKeys(chromedp.ID("l-item"), "12"), chromedp.SendKeys(chromedp.ID("l-manufacturer"), "Cisco Systems, Inc."),
		chromedp.SendKeys(chromedp.ID("l-model"), "ASR 9006"), chromedp.SetValue(chromedp.ID("l-start"), "2026-11-30"),
		chromedp.Click(chromedp.CSS("#draft button")), chromedp.WaitVisible(chromedp.ID("notice-state")),
		chromedp.Click(chromedp.CSS(`#steps button[value="submit"]`)), chromedp.WaitVisible(chromedp.CSS("p.error")), read("main"), snap("notice-refused"))
	contains("notice verdict", s, "63.3")
	contains("refused start", s, "earliest")
	must("draft notice", chromedp.Navigate(base+"/notices"), chromedp.WaitVisible(chromedp.ID("draft")),
		chromedp.SendKeys(chromedp.ID("l-title"), "ePDG replacement"), chromedp.SetValue(chromedp.ID("l-change"), "replace_device"),
		chromedp.SendKeys(chromedp.ID("l-item"), "9"), chromedp.SendKeys(chromedp.ID("l-manufacturer"), "Nokia Solutions and Networks Oy"),
		chromedp.SendKeys(chromedp.ID("l-model"), "7750 SR-1"), chromedp.SetValue(chromedp.ID("l-start"), "2027-03-01"),
		chromedp.Click(chromedp.CSS("#draft button")), chromedp.WaitVisible(chromedp.ID("notice-state")),
		chromedp.Click(chromedp.CSS(`#steps button[value="submit"]`)), chromedp.WaitVisible(chromedp.ID("receipt")), read("main"), snap("notice-submitted"))
	contains("receipt", s, "SHA-256")
	contains("submitted", s, "A notice is needed at least a month ahead")

	// Another operator's item is not found, as if it did not exist.
	must("isolation", chromedp.Navigate(base+"/items/50"), read("main"))
	contains("another operator's item", s, "not found")
	must("sign out", chromedp.Steps(signOut()...))

	// The bureau signs in with a second factor, enrolling on first use.
	var uri string
	must("bureau password", chromedp.Steps(signIn(base, "analyst.bureau")...), chromedp.WaitVisible(chromedp.ID("totp-uri")), readInto(&uri, "#totp-uri"),
		snap("second-factor"))
	secret := regexp.MustCompile(`secret=([A-Z2-7]+)`).FindStringSubmatch(uri)
	if secret == nil {
		t.Fatalf("enrolment shows no secret: %q", uri)
	}
	code, err := totp.GenerateCode(secret[1], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	must("bureau second factor", chromedp.SendKeys(chromedp.ID("code"), code), chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("ul.codes")), chromedp.Click(chromedp.CSS("main a.button")), chromedp.WaitVisible(chromedp.CSS("main section")))

	// The bureau previews a draft opinion's impact, then issues it.
	must("opinion preview", chromedp.Navigate(base+"/opinions"), chromedp.WaitVisible(chromedp.ID("issue")),
		chromedp.SendKeys(chromedp.ID("o-reference"), "SAB-2026/A-099"), chromedp.SetValue(chromedp.ID("o-subject_kind"), "supplier"),
		chromedp.SendKeys(chromedp.ID("o-supplier"), "Samsung Electronics Co., Ltd."), chromedp.SetValue(chromedp.ID("o-verdict"), "threat"),
		chromedp.SetValue(chromedp.ID("o-issued_on"), "2026-11-20"), chromedp.SetValue(chromedp.ID("o-effective_on"), "2026-11-20"),
		chromedp.SendKeys(chromedp.ID("o-public_summary"), "Must not be used in critical parts."),
		chromedp.SendKeys(chromedp.ID("o-rationale"), "RESTRICTED-RATIONALE-MARKER"),
		chromedp.Click(chromedp.CSS(`button[value="preview"]`)), chromedp.WaitVisible(chromedp.ID("impact")), read("#impact"), snap("opinion-preview"))
	contains("impact", s, "BALTA")
	must("opinion issue", chromedp.Click(chromedp.CSS(`button[value="issue"]`)), chromedp.WaitNotPresent(chromedp.ID("impact")), read("main table"), snap("opinions"))
	contains("issued", s, "SAB-2026/A-099")
	must("dossier", chromedp.Navigate(base+"/suppliers/5"), chromedp.WaitVisible(chromedp.CSS("svg.graph")), read("main"), snap("supplier-dossier"))
	contains("indicators", s, "65.1.1")
	must("national view", chromedp.Navigate(base+"/national"), chromedp.WaitVisible(chromedp.CSS("svg.chart")), snap("national"))
	must("bureau dashboard", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("svg.chart")), snap("bureau-dashboard"))
	must("review queue", chromedp.Navigate(base+"/notices"), chromedp.Click(chromedp.CSS(`main table a`)), chromedp.WaitVisible(chromedp.ID("steps")),
		chromedp.Click(chromedp.CSS(`#steps button[value="review"]`)), chromedp.WaitVisible(chromedp.CSS(`#steps button[value="accept"]`)),
		chromedp.Click(chromedp.CSS(`#steps button[value="accept"]`)), chromedp.WaitNotPresent(chromedp.ID("steps")), read("#notice-state"), snap("notice-accepted"))
	contains("accepted", s, "accepted")
	must("sign out bureau", chromedp.Steps(signOut()...))

	// The operator whose Samsung AMF is now prohibited sees it at once, without the rationale.
	must("balta", chromedp.Steps(signIn(base, "operator.balta")...), chromedp.WaitVisible(chromedp.CSS("main section")), read("main"))
	contains("balta removals", s, "Samsung 5G Core AMF")
	if strings.Contains(s, "RESTRICTED-RATIONALE-MARKER") {
		t.Fatal("the restricted rationale reached an operator's page")
	}
	must("phone width", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/items"), chromedp.WaitVisible(chromedp.CSS("table.items")), snap("inventory-phone"))
}

// importWorkbooks writes two operator-layout workbooks for Daugava: one with a mistake and
// the same one corrected.
func importWorkbooks(t *testing.T) (bad, good string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, part string) string {
		f := excelize.NewFile()
		defer f.Close()
		rows := [][]any{
			{"Daugava Telekom — kritisko daļu saraksts"},
			{},
			{"Tīkls", "Kritiskā daļa", "Veids", "Nosaukums", "Ražotājs", "Modelis", "Sērijas numurs", "Izcelsmes valsts", "Atrašanās vieta"},
			{"IP/MPLS backbone", part, "iekārta", "Edge router Ventspils", "Juniper Networks, Inc.", "MX204", "JN1234AB", "ASV", "Ventspils POP"},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, name)
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("bad.xlsx", "9.9"), write("good.xlsx", "Galvenā maršrutēšana un galalietotāju datplūsmas kontrole")
}
