package discovery

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"critreg/discovery/snmpsim"
)

// expectedFile is the subset of a LibreNMS parse kept in ../shared/snmprec/expected.
type expectedFile struct {
	OSDevice struct {
		SysObjectID string  `json:"sysObjectID"`
		Hardware    *string `json:"hardware"`
		Serial      *string `json:"serial"`
	} `json:"os_device"`
	EntPhysical []expectedRow `json:"entPhysical"`
}

type expectedRow struct {
	Index  int64   `json:"entPhysicalIndex"`
	Serial *string `json:"entPhysicalSerialNum"`
	Mfg    *string `json:"entPhysicalMfgName"`
	Model  *string `json:"entPhysicalModelName"`
}

// sharedExpectation says, per recording, which expected row stands for the whole device and
// which manufacturer to expect where no row names one. The choices, from reading the files:
//   - model is the chassis row's entPhysicalModelName (for Ericsson that is the product
//     number "BFL 510 110/1", for Huawei CE the model LibreNMS read out of the description);
//     where LibreNMS has no chassis model (vrp_ne, timos_7750, sonus-sbc) nothing is asserted
//     about the model;
//   - manufacturer comes from the chassis row's entPhysicalMfgName when set, else from the
//     sysObjectID enterprise (Huawei 2011, Nokia 6527, Sonus/Ribbon 177);
//   - serials are every entPhysicalSerialNum that is not a placeholder, plus os_device.serial.
//     LibreNMS's rows for timos_7750 come from another table and carry no serials, so there
//     only the device serial is required.
var sharedExpectation = map[string]struct {
	chassisIndex int64
	manufacturer string
	serialsExact bool
}{
	"ericsson-6600_6600":     {chassisIndex: 1, serialsExact: true},
	"iosxr_asr9001":          {chassisIndex: 24555730, serialsExact: true},
	"junos_qfx5130-32cd-evo": {chassisIndex: 1, serialsExact: true},
	"nxos_n9k-c93180yc-fx3":  {chassisIndex: 149, serialsExact: true},
	"sonus-sbc":              {manufacturer: "Ribbon Communications", serialsExact: true},
	"timos_7750":             {manufacturer: "Nokia"},
	"vrp_ce12804-entity":     {chassisIndex: 16777216, serialsExact: true},
	"vrp_ne":                 {manufacturer: "Huawei", serialsExact: true},
}

// expectedPlaceholders are the serial values in the expected files that are not serials.
var expectedPlaceholders = []string{"", "N/A", "Default", "BUILTIN", "<private>"}

func loadExpected(t *testing.T, name string) expectedFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedRecordings, "expected", name+".expected.json"))
	if err != nil {
		t.Fatalf("expected file: %v", err)
	}
	var e expectedFile
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("expected file %s: %v", name, err)
	}
	return e
}

// sameMaker compares manufacturer names on their first word, case-insensitively:
// "Cisco" matches "Cisco Systems, Inc.", "Juniper Networks" matches "Juniper Networks".
func sameMaker(got, want string) bool {
	first := func(s string) string {
		f := strings.Fields(strings.ToLower(strings.NewReplacer(",", " ", ".", " ").Replace(s)))
		if len(f) == 0 {
			return ""
		}
		return f[0]
	}
	return got != "" && first(got) == first(want)
}

// checkShared compares a device read from a shared recording with its expected file.
func checkShared(t *testing.T, name string, d *Device) {
	t.Helper()
	e := loadExpected(t, name)
	x, ok := sharedExpectation[name]
	if !ok {
		t.Fatalf("no expectation written for recording %s: study its expected file and add one", name)
	}
	if got, want := d.SysObjectID, strings.TrimPrefix(e.OSDevice.SysObjectID, "."); got != want {
		t.Errorf("SysObjectID = %q, want %q", got, want)
	}
	wantMaker := x.manufacturer
	if x.chassisIndex != 0 {
		i := slices.IndexFunc(e.EntPhysical, func(r expectedRow) bool { return r.Index == x.chassisIndex })
		if i < 0 {
			t.Fatalf("expected file has no row %d", x.chassisIndex)
		}
		row := e.EntPhysical[i]
		if row.Model != nil && *row.Model != "" && d.Model != *row.Model {
			t.Errorf("Model = %q, want %q (chassis row %d)", d.Model, *row.Model, x.chassisIndex)
		}
		if row.Mfg != nil && *row.Mfg != "" {
			wantMaker = *row.Mfg
		}
	}
	if !sameMaker(d.Manufacturer, wantMaker) {
		t.Errorf("Manufacturer = %q, want %q", d.Manufacturer, wantMaker)
	}
	want := map[string]bool{}
	for _, r := range e.EntPhysical {
		if r.Serial != nil && !slices.Contains(expectedPlaceholders, strings.TrimSpace(*r.Serial)) {
			want[strings.TrimSpace(*r.Serial)] = true
		}
	}
	if s := e.OSDevice.Serial; s != nil && *s != "" {
		want[*s] = true
		if d.Serial != *s {
			t.Errorf("Serial = %q, want %q", d.Serial, *s)
		}
	}
	for s := range want {
		if !slices.Contains(d.Serials, s) {
			t.Errorf("Serials lack %q", s)
		}
	}
	if x.serialsExact {
		for _, s := range d.Serials {
			if !want[s] {
				t.Errorf("Serials has %q, not in the expected file", s)
			}
		}
	}
}

// TestSharedRecordings is the acceptance test: every real recording in ../shared/snmprec,
// served by critreg's simulator with the file name as community, yields the manufacturer,
// model and serials of its expected file.
func TestSharedRecordings(t *testing.T) {
	if _, err := os.Stat(sharedRecordings); err != nil {
		t.Skipf("shared recordings not found at %s: %v", sharedRecordings, err)
	}
	recs := recordings(t, sharedRecordings)
	names := slices.Sorted(maps.Keys(recs))
	var agents []snmpsim.Agent
	for _, n := range names {
		agents = append(agents, snmpsim.Agent{Name: n, Recording: recs[n], Community: n})
	}
	srv := startSim(t, agents...)
	for i, n := range names {
		t.Run(n, func(t *testing.T) {
			d, err := Read(t.Context(), targetOf(srv.Addrs()[i]), v2c(n), ReadOptions{Timeout: 2 * time.Second})
			if err != nil {
				t.Fatalf("Read = %v", err)
			}
			checkShared(t, n, d)
		})
	}
}
