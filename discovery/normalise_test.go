package discovery

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FOC1939NDNZ", "FOC1939NDNZ"},
		{"  FOC1939NDNZ \r\n", "FOC1939NDNZ"},
		{"N/A", ""}, {"n/a", ""}, {"Default", ""}, {"<private>", ""}, {"BUILTIN", ""},
		{"\x00\x00\x00\x00", ""}, {"   ", ""}, {"", ""}, {"0000000000", ""}, {"FFFFFFFF", ""},
		{"AB\x00\x00", "AB"},
	}
	for _, tc := range tests {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := cleanSerial("two words"); got != "" {
		t.Errorf("cleanSerial(%q) = %q, want empty", "two words", got)
	}
}

func TestTextExtraction(t *testing.T) {
	tests := []struct {
		name, in, want string
		fn             func(string) string
	}{
		{"serial S/N", "Line card 10GE, S/N: JAE12345ABC, rev 2", "JAE12345ABC", serialFromText},
		{"serial number", "Chassis Serial Number FOX1234X0AB", "FOX1234X0AB", serialFromText},
		{"no serial", "Line card 10GE", "", serialFromText},
		{"version timos", "TiMOS-C-23.10.R3 cpm/hops64 Nokia 7750 SR", "23.10.R3", versionFromDescr},
		{"version junos", "Juniper Networks, Inc. mx480 internet router, kernel JUNOS 21.4R3-S5.4, Build", "21.4R3-S5.4", versionFromDescr},
		{"version cisco", "Cisco IOS XR Software (Cisco ASR9K Series),  Version 6.6.3[Default]", "6.6.3", versionFromDescr},
		{"comma model", "CE12804,CE12804-AC,CE12804 AC Assembly Chassis(with CMUs and Fans)", "CE12804-AC", modelFromCommaDescr},
		{"comma board", "Manufactured Board,CloudEngine 12800,CE-L24LQ-EC1,24-Port-40G Interface Card(EC1,QSFP+)", "CE-L24LQ-EC1", modelFromCommaDescr},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(tc.in); got != tc.want {
				t.Errorf("f(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestEnterprise(t *testing.T) {
	tests := map[string]uint32{".1.3.6.1.4.1.9.1.1639": 9, "1.3.6.1.4.1.2636": 2636, "1.3.6.1.2.1.1": 0, "": 0, "1.3.6.1.4.1.x": 0}
	for in, want := range tests {
		if got := enterprise(in); got != want {
			t.Errorf("enterprise(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestLoadRulesErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not json", "{", "fingerprint rules"},
		{"unknown field", `{"functions":{"4.1":"AMF"},"rules":[{"id":"a","function":"4.1","confidence":0.5,"hostnme":"x"}]}`, "unknown field"},
		{"unknown function", `{"functions":{"4.1":"AMF"},"rules":[{"id":"a","function":"9.9","confidence":0.5,"hostname":"x"}]}`, "not listed"},
		{"bad regexp", `{"functions":{"4.1":"AMF"},"rules":[{"id":"a","function":"4.1","confidence":0.5,"hostname":"("}]}`, "hostname"},
		{"bad confidence", `{"functions":{"4.1":"AMF"},"rules":[{"id":"a","function":"4.1","confidence":1.5,"hostname":"x"}]}`, "confidence"},
		{"no pattern", `{"functions":{"4.1":"AMF"},"rules":[{"id":"a","function":"4.1","confidence":0.5}]}`, "no pattern"},
		{"duplicate", `{"functions":{"4.1":"AMF"},"rules":[{"id":"a","function":"4.1","confidence":0.5,"hostname":"x"},{"id":"a","function":"4.1","confidence":0.5,"hostname":"y"}]}`, "duplicate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRules([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseRules = %v, want error containing %q", err, tc.want)
			}
		})
	}
}

func TestMatchCombines(t *testing.T) {
	rs := loadRules(t)
	tests := []struct {
		name    string
		d       Device
		code    string
		confirm bool
	}{
		{"hostname only", Device{SysName: "hss-02"}, "2.1", true},
		{"hostname inside a word does not count", Device{SysName: "chassis-1"}, "", false},
		{"process", Device{RunningSoftware: []string{"open5gs-amfd"}}, "4.1", false},
		{"installed package", Device{InstalledSoftware: []string{"open5gs-upf_2.7.0~jammy_amd64"}}, "4.2", false},
		{"process and hostname", Device{SysName: "amf1", RunningSoftware: []string{"amf"}}, "4.1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := rs.Match(&tc.d)
			if tc.code == "" {
				if len(got) != 0 {
					t.Errorf("Match = %+v, want none", got)
				}
				return
			}
			if len(got) == 0 || got[0].Code != tc.code || got[0].NeedsConfirmation != tc.confirm {
				t.Errorf("Match = %+v, want %s with NeedsConfirmation %v", got, tc.code, tc.confirm)
			}
		})
	}
}
