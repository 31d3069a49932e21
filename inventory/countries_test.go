package inventory

import (
	"slices"
	"strings"
	"testing"
)

// iso3166Alpha2 is every officially assigned ISO 3166-1 alpha-2 code.
const iso3166Alpha2 = `
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
YE YT
ZA ZM ZW
`

func TestCountriesComplete(t *testing.T) {
	want := strings.Fields(iso3166Alpha2)
	if len(want) != 249 {
		t.Fatalf("reference list has %d codes, want 249", len(want))
	}
	got := Countries()
	if len(got) != 249 {
		t.Errorf("len(Countries()) = %d, want 249", len(got))
	}
	seen := make(map[string]bool, len(got))
	for i, c := range got {
		if seen[c.Code] {
			t.Errorf("code %q listed twice", c.Code)
		}
		seen[c.Code] = true
		if i > 0 && got[i-1].Code >= c.Code {
			t.Errorf("Countries() not sorted by code: %q before %q", got[i-1].Code, c.Code)
		}
		if len(c.Code) != 2 || strings.ToUpper(c.Code) != c.Code {
			t.Errorf("code %q is not upper-case alpha-2", c.Code)
		}
		if strings.TrimSpace(c.NameEN) == "" || strings.TrimSpace(c.NameLV) == "" {
			t.Errorf("%s: empty name: %+v", c.Code, c)
		}
	}
	for _, code := range want {
		if !seen[code] {
			t.Errorf("code %s missing", code)
		}
		if c, ok := CountryByCode(code); !ok || c.Code != code {
			t.Errorf("CountryByCode(%q) = %v, %v, want %s", code, c, ok, code)
		}
	}
	for code := range seen {
		if !slices.Contains(want, code) {
			t.Errorf("code %s is not an assigned ISO 3166-1 alpha-2 code", code)
		}
	}
}

func TestCountriesReturnsCopy(t *testing.T) {
	a := Countries()
	a[0].NameEN = "changed"
	if b := Countries(); b[0].NameEN == "changed" {
		t.Errorf("Countries() shares its backing array with callers")
	}
}

func TestCountryByCode(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"CN", "CN", true},
		{"LV", "LV", true},
		{"US", "US", true},
		{"cn", "", false},
		{"Cn", "", false},
		{" CN", "", false},
		{"CN ", "", false},
		{"XX", "", false},
		{"CHN", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := CountryByCode(tt.in)
			if ok != tt.wantOK || got.Code != tt.want {
				t.Errorf("CountryByCode(%q) = %v, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestParseCountry(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" when no country should match
	}{
		// Codes in any case.
		{"code", "CN", "CN"},
		{"code lower", "cn", "CN"},
		{"code mixed", "Lv", "LV"},
		{"code padded", "  ru ", "RU"},
		{"code nbsp", "\u00a0DE\u00a0", "DE"},

		// English names.
		{"en", "China", "CN"},
		{"en russia", "Russia", "RU"},
		{"en us", "United States", "US"},
		{"en gb", "United Kingdom", "GB"},
		{"en upper", "GERMANY", "DE"},
		{"en lower", "latvia", "LV"},
		{"en multiword spaces", "  New   Zealand ", "NZ"},
		{"en diacritics", "Côte d'Ivoire", "CI"},
		{"en no diacritics", "Cote d'Ivoire", "CI"},
		{"en typographic apostrophe", "Côte d’Ivoire", "CI"},
		{"en curacao", "Curacao", "CW"},
		{"en reunion", "reunion", "RE"},
		{"en aland", "Aland Islands", "AX"},

		// Latvian names.
		{"lv", "Ķīna", "CN"},
		{"lv upper", "ĶĪNA", "CN"},
		{"lv padded", " ķīna ", "CN"},
		{"lv plain", "Kina", "CN"},
		{"lv krievija", "Krievija", "RU"},
		{"lv asv", "Amerikas Savienotās Valstis", "US"},
		{"lv asv plain", "amerikas savienotas valstis", "US"},
		{"lv vacija", "Vācija", "DE"},
		{"lv latvija", "Latvija", "LV"},
		{"lv somija", "Somija", "FI"},
		{"lv zviedrija", "Zviedrija", "SE"},
		{"lv dienvidkoreja", "Dienvidkoreja", "KR"},
		{"lv ziemelkoreja", "Ziemelkoreja", "KP"},
		{"lv apvienota karaliste", "Apvienotā Karaliste", "GB"},
		{"lv niderlande", "Nīderlande", "NL"},
		{"lv izraela", "Izraēla", "IL"},
		{"lv taivana", "Taivāna", "TW"},
		{"lv honkonga", "Honkonga", "HK"},
		{"lv baltkrievija", "Baltkrievija", "BY"},
		{"lv irana", "Irāna", "IR"},
		{"lv irana plain", "irana", "IR"},
		{"lv iraka", "Irāka", "IQ"},
		{"lv cehija", "Čehija", "CZ"},
		{"lv cehija plain", "CEHIJA", "CZ"},
		{"lv turcija", "Turcija", "TR"},
		{"lv spaces nbsp", "Apvienotā\u00a0\u00a0Karaliste", "GB"},

		// Aliases.
		{"alias usa", "USA", "US"},
		{"alias usa lower", "usa", "US"},
		{"alias united states of america", "United States of America", "US"},
		{"alias asv", "ASV", "US"},
		{"alias uk", "UK", "GB"},
		{"alias uk lower", "uk", "GB"},
		{"alias great britain", "Great Britain", "GB"},
		{"alias lielbritanija", "Lielbritānija", "GB"},
		{"alias lielbritanija plain", "Lielbritanija", "GB"},
		{"alias south korea", "South Korea", "KR"},
		{"alias korea republic of", "Korea, Republic of", "KR"},
		{"alias korejas republika", "Korejas Republika", "KR"},
		{"alias dprk", "Democratic People's Republic of Korea", "KP"},
		{"alias holland", "Holland", "NL"},
		{"alias prc", "PRC", "CN"},
		{"alias czech republic", "Czech Republic", "CZ"},
		{"alias czechia", "Czechia", "CZ"},
		{"alias turkiye", "Türkiye", "TR"},
		{"alias turkey", "Turkey", "TR"},
		{"alias russian federation", "Russian Federation", "RU"},
		{"alias viet nam", "Viet Nam", "VN"},
		{"alias taiwan province", "Taiwan, Province of China", "TW"},
		{"alias holy see", "Holy See", "VA"},
		{"alias swaziland", "Swaziland", "SZ"},
		{"alias burma", "Burma", "MM"},
		{"alias uae", "UAE", "AE"},

		// Unknown.
		{"unknown atlantis", "Atlantis", ""},
		{"unknown empty", "", ""},
		{"unknown blank", "   ", ""},
		{"unknown nbsp", "\u00a0", ""},
		{"unknown code", "XX", ""},
		{"unknown spaced code", "C N", ""},
		{"unknown alpha3", "CHN", ""},
		{"unknown partial", "Chin", ""},
		{"unknown korea", "Korea", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseCountry(tt.in)
			if ok != (tt.want != "") || got.Code != tt.want {
				t.Errorf("ParseCountry(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestCountryNamesRoundTrip checks that every code, name and alias finds its own country,
// and that no two countries share a normalised name, alias or code.
func TestCountryNamesRoundTrip(t *testing.T) {
	owner := make(map[string]string) // countryKey → code
	claim := func(key, code, name string) {
		if key == "" {
			t.Errorf("%s: name %q normalises to empty", code, name)
			return
		}
		if prev, ok := owner[key]; ok && prev != code {
			t.Errorf("name %q of %s collides with %s (key %q)", name, code, prev, key)
			return
		}
		owner[key] = code
	}
	for _, r := range countryTable {
		claim(countryKey(r.Code), r.Code, r.Code)
		for _, n := range r.names() {
			if n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
				t.Errorf("%s: name %q has stray spaces", r.Code, n)
			}
			claim(countryKey(n), r.Code, n)
		}
	}
	for _, r := range countryTable {
		t.Run(r.Code, func(t *testing.T) {
			for _, n := range append([]string{r.Code, strings.ToLower(r.Code)}, r.names()...) {
				for _, in := range []string{n, strings.ToUpper(n), strings.ToLower(n), " " + n + "\u00a0"} {
					if got, ok := ParseCountry(in); !ok || got != r.Country {
						t.Errorf("ParseCountry(%q) = %v, want %v", in, got, r.Country)
					}
				}
			}
		})
	}
}

func TestCountryKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ķīna", "kina"},
		{"ĶĪNA", "kina"},
		{"  Apvienotā \u00a0 Karaliste\t", "apvienota karaliste"},
		{"ŽĒĢŅĻŠČŪ", "zegnlscu"},
		{"São Tomé and Príncipe", "sao tome and principe"},
		{"", ""},
		{"\u00a0 \u00a0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := countryKey(tt.in); got != tt.want {
				t.Errorf("countryKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
