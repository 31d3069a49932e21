package discovery

import (
	"slices"
	"testing"
	"time"

	"critreg/discovery/snmpsim"
)

// TestFixtureDevices reads each of the project's own recordings through the simulator and
// checks what discovery makes of it.
func TestFixtureDevices(t *testing.T) {
	rules := loadRules(t)
	recs := recordings(t, fixturesDir)
	type fn struct {
		code    string
		confirm bool
	}
	tests := []struct {
		file         string
		manufacturer string
		model        string
		serial       string
		serials      []string // must be among Device.Serials
		notSerials   []string // placeholders that must not appear
		software     string
		source       string
		functions    []fn // must be among Device.Functions
	}{
		{file: "nokia-7750-sr", manufacturer: "Nokia", model: "7750 SR", serial: "NS2031F0123",
			serials: []string{"NS2031F0123", "NS20256C204", "NK20334E008"}, software: "22.10.R2", source: SourceTimetra,
			functions: []fn{{"1.1", true}}},
		{file: "huawei-ne40e", manufacturer: "Huawei", model: "NE40E-X8A", serial: "2102351931P0K7000123",
			serials: []string{"030QFK10K8001234", "2102311PBL10L3001111"}, notSerials: []string{"N/A"},
			software: "VRP (R) software, Version 8.180 (V800R011C10SPC100)", source: SourceEntityMIB, functions: []fn{{"1.1", true}}},
		{file: "ericsson-router6675", manufacturer: "Ericsson", model: "Router 6675", serial: "D821E56789",
			serials: []string{"A401234567"}, notSerials: []string{"", "   "}, software: "IPOS-21.1.1.2", source: SourceEntityMIB,
			functions: []fn{{"1.1", true}}},
		{file: "cisco-asr9006", manufacturer: "Cisco", model: "ASR-9006-AC-V2", serial: "FOX2140P1AB",
			serials: []string{"FOC2151NQ01", "FNS21290ABC", "ART2131X0AA"}, notSerials: []string{"N/A"}, software: "7.3.2",
			source: SourceEntityMIB, functions: []fn{{"1.1", true}}},
		{file: "juniper-mx480", manufacturer: "Juniper Networks", model: "MX480", serial: "JN11F2C3DAFA",
			serials: []string{"QCS1815U0A1", "9009155342"}, notSerials: []string{"Default", "BUILTIN"}, software: "21.4R3-S5.4",
			source: SourceJuniper, functions: []fn{{"1.1", true}}},
		{file: "linux-open5gs", functions: []fn{{"4.1", false}, {"4.2", false}, {"4.11", false}, {"2.1", false}, {"2.4", false}}},
		{file: "linux-free5gc", functions: []fn{{"4.1", false}, {"4.2", false}, {"4.11", false}}},
		{file: "linux-hss", functions: []fn{{"2.1", true}}},
	}
	var agents []snmpsim.Agent
	for _, tc := range tests {
		agents = append(agents, snmpsim.Agent{Name: tc.file, Recording: recs[tc.file], Community: tc.file})
	}
	srv := startSim(t, agents...)
	for i, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			d, err := Read(t.Context(), targetOf(srv.Addrs()[i]), v2c(tc.file), ReadOptions{Timeout: 500 * time.Millisecond, Rules: rules})
			if err != nil {
				t.Fatalf("Read = %v", err)
			}
			if d.Manufacturer != tc.manufacturer {
				t.Errorf("Manufacturer = %q, want %q", d.Manufacturer, tc.manufacturer)
			}
			if d.Model != tc.model {
				t.Errorf("Model = %q, want %q", d.Model, tc.model)
			}
			if d.Serial != tc.serial {
				t.Errorf("Serial = %q, want %q", d.Serial, tc.serial)
			}
			for _, s := range tc.serials {
				if !slices.Contains(d.Serials, s) {
					t.Errorf("Serials = %q, want it to contain %q", d.Serials, s)
				}
			}
			for _, s := range tc.notSerials {
				if slices.Contains(d.Serials, s) {
					t.Errorf("Serials = %q, must not contain placeholder %q", d.Serials, s)
				}
			}
			for _, s := range d.Serials {
				if s == "" || isPlaceholder(s) {
					t.Errorf("Serials = %q: contains placeholder %q", d.Serials, s)
				}
			}
			if tc.software != "" && d.SoftwareVersion != tc.software {
				t.Errorf("SoftwareVersion = %q, want %q", d.SoftwareVersion, tc.software)
			}
			if d.InventorySource != tc.source {
				t.Errorf("InventorySource = %q, want %q", d.InventorySource, tc.source)
			}
			for _, want := range tc.functions {
				i := slices.IndexFunc(d.Functions, func(m FunctionMatch) bool { return m.Code == want.code })
				if i < 0 {
					t.Errorf("Functions = %+v, want %s", d.Functions, want.code)
					continue
				}
				if got := d.Functions[i]; got.NeedsConfirmation != want.confirm || got.Confidence <= 0 || got.Confidence > 1 {
					t.Errorf("function %s = %+v, want NeedsConfirmation %v", want.code, got, want.confirm)
				}
			}
			if len(tc.functions) == 0 && len(d.Functions) > 0 {
				t.Errorf("Functions = %+v, want none", d.Functions)
			}
		})
	}
}
