package inventory

import (
	"strings"
	"testing"
)

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
		ok   bool
	}{
		{"1.2.3", "1.2.3", 0, true},
		{"1.2", "1.2.0", 0, true},
		{"10.2", "9.12", 1, true},
		{"1.2.10", "1.2.9", 1, true},
		{"1.2.3", "1.2.3.1", -1, true},
		{"2.0-rc1", "2.0", -1, true},
		{"2.0-beta2", "2.0-rc1", -1, true},
		{"2.0-alpha", "2.0-beta", -1, true},
		{"16.9.4a", "16.9.4", 1, true},
		{"16.9.4b", "16.9.4a", 1, true},
		{"20.3R1", "20.3R2", -1, true},
		{"20.4R1", "20.3R3-S2", 1, true},
		{"15.2(4)M3", "15.2(4)M10", -1, true},
		{"V300R019C10SPC200", "V300R019C10SPC100", 1, true},
		{"V300R019C10", "V300R020C00", -1, true},
		{"v2.1", "2.1", 0, true},
		{"007.1", "7.1", 0, true},
		{"1.0.0", "1.0.0-dev", 1, true},
		{"", "1.0", 0, false},
		{"1.0", " ", 0, false},
		{"---", "1.0", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_vs_"+tt.b, func(t *testing.T) {
			got, ok := CompareVersions(tt.a, tt.b)
			if got != tt.want || ok != tt.ok {
				t.Errorf("CompareVersions(%q, %q) = %d, %v, want %d, %v", tt.a, tt.b, got, ok, tt.want, tt.ok)
			}
			if tt.ok {
				back, _ := CompareVersions(tt.b, tt.a)
				if back != -tt.want {
					t.Errorf("CompareVersions(%q, %q) = %d, want %d (antisymmetry)", tt.b, tt.a, back, -tt.want)
				}
			}
		})
	}
}

func router(id int64, maker, model, part string) Item {
	return Item{ID: id, Kind: KindEquipment, CriticalPart: part, Manufacturer: maker, Model: model, Name: "router"}
}

func TestCheckExemptionReplaceDevice(t *testing.T) {
	cur := router(7, "Nokia Solutions and Networks Oy", "7750 SR-7", "1.1")
	soft := Item{ID: 8, Kind: KindSoftware, CriticalPart: "1.1", Manufacturer: "Nokia", Name: "SR OS"}
	tests := []struct {
		name    string
		current *Item
		part    string
		maker   string
		model   string
		similar bool
		verdict Verdict
		basis   Basis
		reason  string // part of the English reason
	}{
		{"same model", &cur, "1.1", "Nokia Solutions and Networks Oy", "7750 SR-7", false, VerdictExempt, BasisSameModel, "same model"},
		{"same model spelled otherwise", &cur, "1.1", "NOKIA SOLUTIONS AND NETWORKS", "7750sr7", false, VerdictExempt, BasisSameModel, "same model"},
		{"same model, similar functions confirmed anyway", &cur, "1.1", "Nokia Solutions and Networks", "7750 SR-7", true, VerdictExempt, BasisSameModel, "same model"},
		{"same manufacturer, similar functions confirmed", &cur, "1.1", "Nokia Solutions and Networks", "7750 SR-12", true, VerdictExempt, BasisSameManufacturer, "engineer confirmed"},
		{"same manufacturer, similar functions not confirmed", &cur, "1.1", "Nokia Solutions and Networks", "7750 SR-12", false, VerdictNoticeRequired, "", "not confirmed"},
		{"other manufacturer", &cur, "1.1", "Juniper Networks", "MX480", true, VerdictNoticeRequired, "", "differs"},
		{"other manufacturer, same model name", &cur, "1.1", "Acme", "7750 SR-7", false, VerdictNoticeRequired, "", "differs"},
		{"new manufacturer unknown", &cur, "1.1", "", "7750 SR-7", false, VerdictNoticeRequired, "", "not known"},
		{"into another critical part", &cur, "4.2", "Nokia Solutions and Networks", "7750 SR-7", false, VerdictNoticeRequired, "", "critical part 4.2"},
		{"nothing to replace", nil, "1.1", "Nokia", "7750 SR-7", false, VerdictNoticeRequired, "", "No device to be replaced"},
		{"replaced item is software", &soft, "1.1", "Nokia", "SR OS", false, VerdictNoticeRequired, "", "not equipment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckExemption(ExemptionQuery{Change: ChangeReplaceDevice, Current: tt.current, CriticalPart: tt.part,
				New: ItemInput{Kind: KindEquipment, Manufacturer: tt.maker, Model: tt.model}, SimilarFunctions: tt.similar})
			checkVerdict(t, got, tt.verdict, tt.basis, tt.reason)
			if tt.verdict == VerdictExempt && got.Clause != "63.3.1" {
				t.Errorf("clause = %q, want 63.3.1", got.Clause)
			}
			if got.SimilarFunctionsConfirmed != (tt.basis == BasisSameManufacturer) {
				t.Errorf("similar functions confirmed = %v, want %v", got.SimilarFunctionsConfirmed, tt.basis == BasisSameManufacturer)
			}
		})
	}
}

func TestCheckExemptionUpdateSoftware(t *testing.T) {
	cur := Item{ID: 3, Kind: KindSoftware, CriticalPart: "4.1", Manufacturer: "Ericsson AB", Name: "Cloud Core AMF", Version: "1.12.3"}
	tests := []struct {
		name     string
		current  *Item
		maker    string
		product  string
		version  string
		verdict  Verdict
		basis    Basis
		reason   string
		warnings int
		warning  string
	}{
		{"newer version", &cur, "Ericsson", "Cloud Core AMF", "1.13.0", VerdictExempt, BasisSoftwareUpdate, "update of existing software", 0, ""},
		{"patch suffix", &cur, "ERICSSON AB", "cloud core amf", "1.12.3a", VerdictExempt, BasisSoftwareUpdate, "1.12.3 → 1.12.3a", 0, ""},
		{"downgrade", &cur, "Ericsson", "Cloud Core AMF", "1.9.7", VerdictExempt, BasisSoftwareDowngrade, "update of existing software", 1, "downgrade"},
		{"release candidate of the same version is a downgrade", &cur, "Ericsson", "Cloud Core AMF", "1.12.3-rc2", VerdictExempt, BasisSoftwareDowngrade, "update", 1, "older than"},
		{"same version", &cur, "Ericsson", "Cloud Core AMF", "1.12.3", VerdictExempt, BasisSoftwareUpdate, "update", 1, "reinstallation"},
		{"version unknown", &cur, "Ericsson", "Cloud Core AMF", "", VerdictExempt, BasisSoftwareUpdate, "update", 1, "cannot be compared"},
		{"other product of the same developer", &cur, "Ericsson", "Cloud Core SMF", "1.13.0", VerdictNoticeRequired, "", "not an update", 0, ""},
		{"other developer", &cur, "Nokia", "Cloud Core AMF", "1.13.0", VerdictNoticeRequired, "", "not an update", 0, ""},
		{"new software", nil, "Ericsson", "Cloud Core AMF", "1.13.0", VerdictNoticeRequired, "", "does not cover bringing in new software", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckExemption(ExemptionQuery{Change: ChangeUpdateSoftware, Current: tt.current, CriticalPart: "4.1",
				New: ItemInput{Kind: KindSoftware, Manufacturer: tt.maker, Name: tt.product, Version: tt.version}})
			checkVerdict(t, got, tt.verdict, tt.basis, tt.reason)
			if tt.verdict == VerdictExempt && got.Clause != "63.3.2" {
				t.Errorf("clause = %q, want 63.3.2", got.Clause)
			}
			if len(got.Warnings) != tt.warnings {
				t.Fatalf("warnings = %v, want %d", got.Warnings, tt.warnings)
			}
			if tt.warning != "" && !strings.Contains(got.Warnings[0].EN, tt.warning) {
				t.Errorf("warning = %q, want it to mention %q", got.Warnings[0].EN, tt.warning)
			}
			for _, w := range got.Warnings {
				if w.LV == "" || w.LV == w.EN {
					t.Errorf("warning %q has no Latvian text", w.EN)
				}
			}
		})
	}
}

func TestCheckExemptionExpandCapacity(t *testing.T) {
	inOperation := []Item{
		{ID: 1, Kind: KindSoftware, CriticalPart: "2.5", Manufacturer: "Cisco Systems", Name: "StarOS"},
		router(2, "Cisco Systems, Inc.", "ASR 5500", "2.5"),
		router(3, "Juniper Networks", "MX960", "2.6"),
	}
	tests := []struct {
		name    string
		part    string
		maker   string
		model   string
		similar bool
		verdict Verdict
		basis   Basis
		matched int64
		reason  string
	}{
		{"same model in the part", "2.5", "Cisco Systems", "ASR-5500", false, VerdictExempt, BasisCapacitySameModel, 2, "same model"},
		{"same manufacturer, similar functions confirmed", "2.5", "CISCO SYSTEMS INC", "ASR 5700", true, VerdictExempt, BasisCapacitySameManufacturer, 2, "engineer confirmed"},
		{"same manufacturer, not confirmed", "2.5", "Cisco Systems", "ASR 5700", false, VerdictNoticeRequired, "", 0, "not confirmed"},
		{"manufacturer only in another part", "2.5", "Juniper Networks", "MX960", true, VerdictNoticeRequired, "", 0, "No device of this manufacturer"},
		// StarOS is software, not a device: it does not count as a model in operation.
		{"software of the manufacturer is not a device", "2.5", "Cisco Systems", "StarOS", false, VerdictNoticeRequired, "", 0, "not of this model"},
		{"manufacturer unknown", "2.5", "", "ASR 5500", true, VerdictNoticeRequired, "", 0, "not known"},
		{"empty part", "4.1", "Cisco Systems", "ASR 5500", true, VerdictNoticeRequired, "", 0, "No device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckExemption(ExemptionQuery{Change: ChangeExpandCapacity, InOperation: inOperation, CriticalPart: tt.part,
				New: ItemInput{Kind: KindEquipment, Manufacturer: tt.maker, Model: tt.model}, SimilarFunctions: tt.similar})
			checkVerdict(t, got, tt.verdict, tt.basis, tt.reason)
			if tt.verdict == VerdictExempt && got.Clause != "63.3.3" {
				t.Errorf("clause = %q, want 63.3.3", got.Clause)
			}
			// Both languages name the part and the manufacturer, each in its place.
			for _, r := range got.Reasons {
				if tt.maker != "" && (!strings.Contains(r.EN, "critical part "+tt.part) || !strings.Contains(r.LV, "daļā "+tt.part)) {
					t.Errorf("reason %+v does not name critical part %s in both languages", r, tt.part)
				}
			}
			if got.MatchedItemID != tt.matched {
				t.Errorf("matched item = %d, want %d", got.MatchedItemID, tt.matched)
			}
		})
	}
}

func TestCheckExemptionOtherChanges(t *testing.T) {
	outsourced := Item{ID: 9, Kind: KindOutsourcing, CriticalPart: "1.8", OutsourcingProvider: "Tet SIA"}
	tests := []struct {
		name    string
		q       ExemptionQuery
		verdict Verdict
		reason  string
	}{
		{"construction", ExemptionQuery{Change: ChangeConstruct, New: ItemInput{Manufacturer: "Nokia", Model: "AirScale"}}, VerdictNoticeRequired, "construction"},
		{"rebuild", ExemptionQuery{Change: ChangeRebuild, Current: &outsourced}, VerdictNoticeRequired, "rebuild"},
		{"removal", ExemptionQuery{Change: ChangeRemove, Current: &outsourced}, VerdictNoNotice, "no advance notice"},
		{"another provider", ExemptionQuery{Change: ChangeOutsourcer, Current: &outsourced, New: ItemInput{OutsourcingProvider: "Bite Latvija"}}, VerdictNoticeRequired, "Tet SIA → Bite Latvija"},
		{"same provider", ExemptionQuery{Change: ChangeOutsourcer, Current: &outsourced, New: ItemInput{OutsourcingProvider: "TET"}}, VerdictNoNotice, "stays the same"},
		{"first provider", ExemptionQuery{Change: ChangeOutsourcer, New: ItemInput{OutsourcingProvider: "Bite Latvija"}}, VerdictNoticeRequired, "? → Bite Latvija"},
		{"unknown change", ExemptionQuery{Change: "paint"}, VerdictNoticeRequired, "Unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkVerdict(t, CheckExemption(tt.q), tt.verdict, "", tt.reason)
		})
	}
}

func TestParseChange(t *testing.T) {
	for _, c := range Changes {
		if got, err := ParseChange(string(c)); got != c || err != nil {
			t.Errorf("ParseChange(%q) = %q, %v, want %q, nil", c, got, err, c)
		}
	}
	if _, err := ParseChange("replace"); err == nil || !strings.Contains(err.Error(), "replace_device") {
		t.Errorf("ParseChange(replace) = %v, want an error listing the kinds", err)
	}
}

func checkVerdict(t *testing.T, got Exemption, verdict Verdict, basis Basis, reason string) {
	t.Helper()
	if got.Verdict != verdict || got.Basis != basis {
		t.Fatalf("CheckExemption = %s/%s (%v), want %s/%s", got.Verdict, got.Basis, got.Reasons, verdict, basis)
	}
	if verdict != VerdictExempt && got.Clause != "" {
		t.Errorf("clause = %q, want none for %s", got.Clause, verdict)
	}
	if len(got.Reasons) == 0 {
		t.Fatal("no reasons given")
	}
	for _, r := range got.Reasons {
		if r.LV == "" || r.EN == "" || r.LV == r.EN {
			t.Errorf("reason %+v lacks a Latvian or English text", r)
		}
	}
	if reason != "" && !strings.Contains(got.Reasons[0].EN, reason) {
		t.Errorf("reason = %q, want it to mention %q", got.Reasons[0].EN, reason)
	}
}
