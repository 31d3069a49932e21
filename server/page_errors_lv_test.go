package server_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"critreg/secretkey"
	"critreg/server"
)

// besideField reports whether msg, as html/template writes it, is shown between a form
// control named field and the end of that field's block, where a person looks for it. A
// page may hold several forms with a field of that name; one of them must say it.
func besideField(page, field, msg string) bool {
	for rest := page; ; {
		i := strings.Index(rest, `name="`+field+`"`)
		if i < 0 {
			return false
		}
		rest = rest[i:]
		j := strings.Index(rest, "</div>")
		if j < 0 {
			j = len(rest)
		}
		if strings.Contains(rest[:j], html.EscapeString(msg)) {
			return true
		}
		rest = rest[len(field):]
	}
}

// inLanguage is the client's language: lv is the default, so only English is asked for.
func (b *browserClient) inLanguage(lang string) *browserClient {
	if lang == "en" {
		u, _ := url.Parse(b.base)
		b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "critreg_lang", Value: "en", Path: "/"}})
	}
	return b
}

// The problems of a bad form are said beside their fields in the page's language, Latvian
// by default and English when switched, with what was typed kept; the API answers the
// same bad input in English as before.
func TestPageErrorsInLanguage(t *testing.T) {
	t.Setenv(secretkey.Env, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32)))
	e := newEnv(t).withConfig(server.Config{})

	type problem struct{ field, lv, en string }
	for _, tc := range []struct {
		name, login, from, path string
		form                    url.Values
		status                  int
		problems                []problem
		kept                    []string
		// api is the same bad input to the API, answered in English with apiText.
		apiMethod, apiPath, apiBody, apiText string
		apiStatus                            int
	}{
		{
			name: "item form", login: "alice", from: "/items/new", path: "/items/new",
			form:   url.Values{"network_id": {fmt.Sprint(e.netA)}, "critical_part": {"9.9"}, "kind": {"gadget"}, "name": {"Router X"}, "quantity": {"abc"}},
			status: http.StatusUnprocessableEntity,
			problems: []problem{
				{"quantity", "jābūt veselam skaitlim", "must be a whole number"},
				{"kind", "jābūt iekārtai (equipment), programmatūrai (software) vai ārpakalpojumam (outsourcing)", "must be equipment, software or outsourcing"},
			},
			kept:      []string{`value="Router X"`, `value="abc"`, `value="9.9"`},
			apiMethod: "POST", apiPath: "/api/v1/items", apiStatus: http.StatusUnprocessableEntity,
			apiBody: fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"gadget","name":"Router X"}`, e.netA),
			apiText: `"message":"must be equipment, software or outsourcing"`,
		},
		{
			name: "users admin", login: "root", from: "/admin/users", path: "/admin/users",
			form:   url.Values{"login": {"x"}, "role": {"engineer"}, "operator": {"OPA"}, "password": {"short"}},
			status: http.StatusUnprocessableEntity,
			problems: []problem{
				{"login", "jābūt 2–64 burtiem, cipariem, '.', '_', '@' vai '-'", "must be 2–64 letters, digits, '.', '_', '@' or '-'"},
				{"password", "jābūt vismaz 12 rakstzīmēm", "must be at least 12 characters"},
			},
			kept:      []string{`value="x"`},
			apiMethod: "POST", apiPath: "/api/v1/users", apiStatus: http.StatusUnprocessableEntity,
			apiBody: `{"login":"x","role":"engineer","operator":"OPA","password":"short"}`,
			apiText: `"message":"must be at least 12 characters"`,
		},
		{
			name: "tokens", login: "alice", from: "/tokens", path: "/tokens",
			form:   url.Values{"name": {"ci runner"}, "scope": {"admin"}},
			status: http.StatusUnprocessableEntity,
			problems: []problem{
				{"scope", "jābūt read, write vai discovery", "must be read, write or discovery"},
			},
			kept:      []string{`value="ci runner"`},
			apiMethod: "POST", apiPath: "/api/v1/users/alice/tokens", apiStatus: http.StatusUnprocessableEntity,
			apiBody: `{"name":"ci runner","scope":"admin"}`,
			apiText: `"message":"must be read, write or discovery"`,
		},
		{
			name: "opinion form", login: "bea", from: "/opinions", path: "/opinions",
			form:   url.Values{"reference": {"ND-1"}, "subject_kind": {"supplier"}, "supplier": {"Nobody Ltd"}, "verdict": {"maybe"}, "issued_on": {"2026-01-05"}},
			status: http.StatusUnprocessableEntity,
			problems: []problem{
				{"verdict", "jābūt threat, restricted vai no_objection", "must be threat, restricted or no_objection"},
			},
			kept:      []string{`value="Nobody Ltd"`, `value="ND-1"`},
			apiMethod: "POST", apiPath: "/api/v1/opinions", apiStatus: http.StatusUnprocessableEntity,
			apiBody: `{"reference":"ND-1","subject_kind":"supplier","supplier":"Nobody Ltd","verdict":"maybe","issued_on":"2026-01-05"}`,
			apiText: `"message":"must be threat, restricted or no_objection"`,
		},
		{
			name: "exemption check", login: "alice", from: "/check", path: "/check",
			form:   url.Values{"change": {"construct"}, "kind": {"equipment"}, "critical_part": {"2.1"}, "name": {"Box 7"}},
			status: http.StatusUnprocessableEntity,
			problems: []problem{
				{"network_id", "ir obligāts", "is required"},
			},
			kept:      []string{`value="Box 7"`},
			apiMethod: "POST", apiPath: "/api/v1/exemption-check", apiStatus: http.StatusUnprocessableEntity,
			apiBody: `{"change":"construct","new":{"kind":"equipment","critical_part":"2.1","name":"Box 7"}}`,
			apiText: `"message":"is required"`,
		},
		{
			name: "discovery profile", login: "alice", from: "/discovery", path: "/discovery/profiles",
			form: url.Values{"name": {"lab"}, "version": {"v3"}, "user": {"snmpuser"}, "auth_protocol": {"MD5"}, "priv_protocol": {"AES"},
				"auth_passphrase": {"long enough 1"}, "priv_passphrase": {"long enough 2"}},
			status: http.StatusUnprocessableEntity,
			problems: []problem{
				{"auth_protocol", `nezināms autentifikācijas protokols "MD5": jābūt SHA, SHA-224, SHA-256, SHA-384 vai SHA-512`,
					`unknown auth protocol "MD5": want SHA, SHA-224, SHA-256, SHA-384 or SHA-512`},
			},
			kept:      []string{`value="snmpuser"`},
			apiMethod: "POST", apiPath: "/api/v1/discovery/profiles", apiStatus: http.StatusUnprocessableEntity,
			apiBody: `{"name":"lab","version":"v3","user":"snmpuser","auth_protocol":"MD5","priv_protocol":"AES","auth_passphrase":"long enough 1","priv_passphrase":"long enough 2"}`,
			apiText: `"message":"unknown auth protocol \"MD5\": want SHA, SHA-224, SHA-256, SHA-384 or SHA-512"`,
		},
		{
			name: "discovery run", login: "alice", from: "/discovery", path: "/discovery/runs",
			form:   url.Values{"targets": {"192.0.2.0/30"}, "profile": {"lab"}, "workers": {"many"}},
			status: http.StatusUnprocessableEntity,
			problems: []problem{
				{"workers", "jābūt veselam skaitlim", "must be a whole number"},
			},
			kept: []string{`192.0.2.0/30`, `value="many"`},
		},
		{
			name: "fingerprint rule", login: "root", from: "/admin/fingerprints", path: "/admin/fingerprints",
			form:   url.Values{"id": {"acme-sbc"}, "function": {"SEPP"}, "confidence": {"0.8"}, "sys_object_id": {"1.3.x"}, "enabled": {"1"}},
			status: http.StatusUnprocessableEntity,
			problems: []problem{
				{"sys_object_id", "jābūt ar punktiem atdalītam skaitliskam OID prefiksam, piemēram, 1.3.6.1.4.1.2636",
					"must be a dotted numeric OID prefix such as 1.3.6.1.4.1.2636"},
			},
			kept: []string{`value="1.3.x"`, `value="acme-sbc"`},
		},
	} {
		for _, lang := range []string{"lv", "en"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				b := e.browse(tc.login).inLanguage(lang)
				code, page, _ := b.post(tc.from, tc.path, tc.form)
				if code != tc.status {
					t.Fatalf("POST %s = %d, want %d", tc.path, code, tc.status)
				}
				if !strings.Contains(page, `<html lang="`+lang+`"`) {
					t.Errorf("POST %s: page is not in %s", tc.path, lang)
				}
				for _, p := range tc.problems {
					want, other := p.lv, p.en
					if lang == "en" {
						want, other = p.en, p.lv
					}
					if !besideField(page, p.field, want) {
						t.Errorf("POST %s: beside %s, want %q; page near it: %s", tc.path, p.field, want, near(page, `name="`+p.field+`"`))
					}
					if strings.Contains(page, html.EscapeString(other)) {
						t.Errorf("POST %s: page in %s also says %q", tc.path, lang, other)
					}
				}
				for _, k := range tc.kept {
					if !strings.Contains(page, k) {
						t.Errorf("POST %s: typed %s not kept", tc.path, k)
					}
				}
			})
		}
		if tc.apiPath != "" {
			t.Run(tc.name+"/api", func(t *testing.T) {
				b := e.do(tc.login, tc.apiMethod, tc.apiPath, tc.apiBody, tc.apiStatus, nil)
				if !strings.Contains(string(b), tc.apiText) {
					t.Errorf("%s %s = %s, want it to hold %s", tc.apiMethod, tc.apiPath, b, tc.apiText)
				}
			})
		}
	}
}

// near is a little of page around anchor, for a failure message.
func near(page, anchor string) string {
	i := strings.Index(page, anchor)
	if i < 0 {
		return "(no " + anchor + ")"
	}
	return page[i:min(len(page), i+400)]
}

// A sign-in refused for too many failures says so in the page's language.
func TestSignInLockoutInLanguage(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ lang, want string }{
		{"lv", "pārāk daudz neveiksmīgu pierakstīšanās mēģinājumu"},
		{"en", "too many failed sign-ins"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := e.browse("").inLanguage(tc.lang)
			login := map[string]string{"lv": "alice", "en": "bob"}[tc.lang]
			var page string
			for range 7 {
				_, page, _ = b.post("/login", "/login", url.Values{"login": {login}, "password": {"wrong password!"}})
			}
			if !strings.Contains(page, html.EscapeString(tc.want)) {
				t.Errorf("7th failed sign-in in %s: page lacks %q", tc.lang, tc.want)
			}
			if !strings.Contains(page, `value="`+login+`"`) {
				t.Errorf("failed sign-in in %s: login %q not kept", tc.lang, login)
			}
		})
	}
}

// The shared error page says a domain package's refusal and a missing object in the
// page's language; the API says the same in English, exactly as its JSON always has.
func TestErrorPageInLanguage(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, login, path string
		form              url.Values
		status            int
		lv, en            string
		// api is the same request to the API and the detail it answers with.
		apiMethod, apiPath, apiBody, apiDetail string
	}{
		{
			name: "forbidden", login: "alice", path: "/opinions", form: url.Values{"reference": {"X-1"}},
			status: http.StatusForbidden, lv: "atzinumus izdod tikai birojs", en: "only the bureau issues opinions",
			apiMethod: "POST", apiPath: "/api/v1/users", apiBody: `{"login":"newbie","role":"engineer","operator":"OPA","password":"correct horse battery"}`,
			apiDetail: `"detail":"only an admin adds users: forbidden"`,
		},
		{
			name: "not found", login: "alice", path: "/items/999",
			status: http.StatusNotFound, lv: "nav atrasts: ieraksts 999", en: "item 999: not found",
			apiMethod: "GET", apiPath: "/api/v1/items/999", apiDetail: `"detail":"item 999: not found"`,
		},
		{
			name: "no such page", login: "alice", path: "/no-such-page",
			status: http.StatusNotFound, lv: "Nav atrasts", en: "Not found",
			apiMethod: "GET", apiPath: "/api/v1/no-such-thing", apiDetail: `"detail":"Not Found"`,
		},
	} {
		for _, lang := range []string{"lv", "en"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				b := e.browse(tc.login).inLanguage(lang)
				var code int
				var page string
				if tc.form != nil {
					code, page, _ = b.post("/", tc.path, tc.form)
				} else {
					code, page, _ = b.get(tc.path)
				}
				want, other := tc.lv, tc.en
				if lang == "en" {
					want, other = tc.en, tc.lv
				}
				if code != tc.status || !strings.Contains(page, html.EscapeString(want)) || strings.Contains(page, html.EscapeString(other)) {
					t.Errorf("%s in %s = %d, want %d saying %q only; page: %s", tc.path, lang, code, tc.status, want, near(page, `role="alert"`))
				}
			})
		}
		t.Run(tc.name+"/api", func(t *testing.T) {
			b := e.do(tc.login, tc.apiMethod, tc.apiPath, tc.apiBody, tc.status, nil)
			if !strings.Contains(string(b), tc.apiDetail) {
				t.Errorf("%s %s = %s, want it to hold %s", tc.apiMethod, tc.apiPath, b, tc.apiDetail)
			}
		})
	}
}
