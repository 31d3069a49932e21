package server_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
)

// TestBrowserAdminReference drives Chromium through the admin's reference data: a state's
// fact corrected after an error shown beside its field, and a fingerprint rule added and
// tried, with a screenshot of each page.
func TestBrowserAdminReference(t *testing.T) {
	ctx := browser(t)
	base := demoServer(t)
	var s string
	j := newJourney(t, ctx, &s)
	must, read, value, snap, contains := j.must, j.read, j.value, j.snap, j.contains

	// The admin signs in with a second factor, enrolling on first use.
	var uri string
	must("admin password", chromedp.Steps(signIn(base, "admin")...), chromedp.WaitVisible(chromedp.ID("totp-uri")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			v, err := chromedp.Text(chromedp.ID("totp-uri"))(ctx, tg)
			uri = v
			return err
		}))
	secret := regexp.MustCompile(`secret=([A-Z2-7]+)`).FindStringSubmatch(uri)
	if secret == nil {
		t.Fatalf("enrolment shows no secret: %q", uri)
	}
	code, err := totp.GenerateCode(secret[1], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	must("admin second factor", chromedp.SendKeys(chromedp.ID("code"), code), chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("ul.codes")), chromedp.Click(chromedp.CSS("main a.button")), chromedp.WaitVisible(chromedp.CSS("main h1")))

	// States: the list as of a day, then one state's facts corrected.
	must("states", chromedp.Navigate(base+"/admin/states?lang=en&as_of=2019-06-01"), chromedp.WaitVisible(chromedp.CSS("table.states")), read("#state-GB"))
	contains("GB in 2019", s, "ES/EU")
	must("state LV", chromedp.Navigate(base+"/admin/states/LV"), chromedp.WaitVisible(chromedp.ID("fact-3")),
		chromedp.SetValue(chromedp.ID("f3-kind"), "attribution"), chromedp.SetValue(chromedp.ID("f3-since"), "2025-02-01"),
		chromedp.SetValue(chromedp.ID("f3-until"), "2024-01-01"),
		chromedp.SendKeys(chromedp.ID("f3-title"), "Joint attribution statement"),
		chromedp.SendKeys(chromedp.ID("f3-source"), "https://www.mfa.gov.lv/en/statement"),
		chromedp.Click(chromedp.CSS("#facts button[type=submit]")), chromedp.WaitVisible(chromedp.ID("f3-until-err")), read("#f3-until-err"))
	contains("until before since", s, "after since")
	must("typed values kept", value("#f3-title"))
	contains("title kept", s, "Joint attribution statement")
	must("state LV fixed", chromedp.SetValue(chromedp.ID("f3-until"), ""), chromedp.Click(chromedp.CSS("#facts button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("p.notice-ok")), read("#history"), snap("admin-state"))
	contains("history", s, "state.update")
	contains("who", s, "admin")
	must("states list", chromedp.Navigate(base+"/admin/states?member=no&designated=1"), chromedp.WaitVisible(chromedp.ID("state-CN")),
		read("#changes"), snap("admin-states"))
	contains("recent changes", s, "LV")

	// Fingerprint rules: one added, then tried on a pasted device.
	must("add rule", chromedp.Navigate(base+"/admin/fingerprints"), chromedp.WaitVisible(chromedp.ID("add")),
		chromedp.SendKeys(chromedp.ID("r-id"), "acme-packet-sbc"), chromedp.SendKeys(chromedp.ID("r-function"), "4.12"),
		chromedp.SendKeys(chromedp.ID("r-confidence"), "0.8"), chromedp.SendKeys(chromedp.ID("r-sys_descr"), "(?i)acme packet"),
		chromedp.Click(chromedp.CSS("#add button[type=submit]")), chromedp.WaitVisible(chromedp.ID("rule-name")), read("#rule-name"))
	contains("rule added", s, "acme-packet-sbc")
	must("try rules", chromedp.Navigate(base+"/admin/fingerprints"), chromedp.WaitVisible(chromedp.ID("try")),
		chromedp.SendKeys(chromedp.ID("t-sys_descr"), "Acme Packet Net-Net 4600 SBC"),
		chromedp.SendKeys(chromedp.ID("t-sys_object_id"), "1.3.6.1.4.1.9148.1.1"),
		chromedp.Click(chromedp.CSS("#try button[type=submit]")), chromedp.WaitVisible(chromedp.ID("try-result")), read("#try-hits"))
	contains("hits", s, "acme-packet-sbc")
	contains("hits", s, "sbc-descr")
	must("try functions", read("#try-functions"), chromedp.ScrollIntoView(chromedp.ID("try-result")), snap("admin-fingerprints"))
	contains("functions", s, "4.12")
}
