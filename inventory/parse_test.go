package inventory

import "testing"

func TestParseAnnex6(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"4.1", "4.1"}, {"4.1.", "4.1"}, {" 4.1 ", "4.1"}, {"AMF", "4.1"}, {"amf", "4.1"},
		{"Piekļuves un mobilo sakaru pārvaldības funkcija", "4.1"}, {"piekluves un mobilo sakaru parvaldibas funkcija", "4.1"},
		{"Access and Mobility Management Function", "4.1"}, {"ACCESS\u00a0AND  MOBILITY MANAGEMENT FUNCTION", "4.1"},
		{"HSS", "2.1"}, {"Mājas abonentu serveris", "2.1"}, {"EIF", "2.2"}, {"PDN GW", "2.6"}, {"5G-EIR", "4.17"}, {"NSSAAF", "4.10"},
		{"NSAAF", "4.10"}, {"1.12", "1.12"}, {"Virtualizācija", "1.10"}, {"2.10", "2.10"}, {"PCRF", "2.10"},
		{"", ""}, {"4.20", ""}, {"1.1.1", ""}, {"AMFX", ""}, {"3.1", ""},
	} {
		p, ok := ParseAnnex6(c.in)
		if got := map[bool]string{true: p.Code, false: ""}[ok]; got != c.want {
			t.Errorf("ParseAnnex6(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if n := len(Annex6()); n != 41 {
		t.Errorf("annex 6 has %d functions, want 41", n)
	}
	seen := map[string]bool{}
	for _, p := range Annex6() {
		if seen[p.Code] || p.NameEN == "" || p.NameLV == "" || p.DescriptionEN == "" || p.DescriptionLV == "" || p.Technology == "" {
			t.Errorf("annex-6 entry %+v is duplicated or incomplete", p)
		}
		seen[p.Code] = true
	}
}

func TestSupplierKey(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES"},
		{"SIA \"Tieto Latvia\"", "Tieto Latvia SIA"},
		{"Nokia Solutions and Networks Oy", "nokia solutions and networks"},
		{"Ericsson AB", "ERICSSON"},
		{"Ārpakalpojumi SIA", "arpakalpojumi"},
	} {
		if SupplierKey(c.a) != SupplierKey(c.b) {
			t.Errorf("SupplierKey(%q) = %q, SupplierKey(%q) = %q; want equal", c.a, SupplierKey(c.a), c.b, SupplierKey(c.b))
		}
	}
	for _, c := range []struct{ a, b string }{{"Nokia", "Nokia Shanghai Bell"}, {"ZTE", "ZTE Kangxun"}} {
		if SupplierKey(c.a) == SupplierKey(c.b) {
			t.Errorf("SupplierKey(%q) = SupplierKey(%q); want different suppliers", c.a, c.b)
		}
	}
	if SupplierKey("Ltd") != "ltd" {
		t.Errorf("SupplierKey(Ltd) = %q: a name made only of a company form must not vanish", SupplierKey("Ltd"))
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{"iekārta": KindEquipment, "IEKARTA": KindEquipment, "Equipment": KindEquipment,
		"programmatūra": KindSoftware, "software": KindSoftware, "Ārpakalpojums": KindOutsourcing, "outsourcing": KindOutsourcing, "car": ""} {
		if got, _ := ParseKind(in); got != want {
			t.Errorf("ParseKind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFTSQuery(t *testing.T) {
	for in, want := range map[string]string{
		"huawei":           `"huawei"*`,
		"Model-1 riga":     `"Model 1"* "riga"*`,
		`") OR 1=1 --`:     `"OR"* "1 1"*`,
		"NEAR(a b) col:x*": `"NEAR a"* "b"* "col x"*`,
		"  ":               ``,
		"---":              ``,
	} {
		if got := ftsQuery(in); got != want {
			t.Errorf("ftsQuery(%q) = %s, want %s", in, got, want)
		}
	}
}
