package discovery

import (
	"strings"
	"testing"

	"critreg/inventory"
)

func TestReconcile(t *testing.T) {
	items := []inventory.Item{
		{ID: 1, Name: "core-1", Manufacturer: "Cisco Systems, Inc.", Model: "ASR 9006", Serial: "FOX1", Version: "7.9.2", ManagementAddress: "127.0.0.11", CriticalPart: "1.1", Kind: inventory.KindEquipment},
		{ID: 2, Name: "core-2", Manufacturer: "Huawei Technologies Co., Ltd.", Model: "NE40E-X8A", Serial: "HW2", ManagementAddress: "127.0.0.12", CriticalPart: "1.1", Kind: inventory.KindEquipment},
		{ID: 3, Name: "edge-3", Manufacturer: "Juniper Networks, Inc.", Model: "MX480", Serial: "JN3", ManagementAddress: "127.0.0.13", CriticalPart: "1.6", Kind: inventory.KindEquipment},
		{ID: 4, Name: "edge-4", Manufacturer: "Juniper Networks, Inc.", Model: "MX480", Serial: "JN4", ManagementAddress: "127.0.0.14", CriticalPart: "1.6", Kind: inventory.KindEquipment},
		{ID: 5, Name: "far", Manufacturer: "Nokia", Model: "7750 SR-7", ManagementAddress: "10.9.9.9", CriticalPart: "1.1", Kind: inventory.KindEquipment},
		{ID: 6, Name: "hss", Manufacturer: "Ericsson AB", Model: "Router 6675", Serial: "ER6", ManagementAddress: "127.0.0.16", CriticalPart: "2.1", Kind: inventory.KindEquipment},
	}
	devices := []Device{
		{Target: Target{Host: "127.0.0.11"}, Manufacturer: "Cisco", Model: "ASR-9006", Serial: "FOX1", Serials: []string{"FOX1"}, SoftwareVersion: "7.10.1"},
		{Target: Target{Host: "127.0.0.12"}, Manufacturer: "Nokia", Model: "7750 SR-7", Serial: "NS9", Serials: []string{"NS9"}},
		{Target: Target{Host: "127.0.0.13"}, Manufacturer: "Juniper", Model: "MX480", Serial: "JN9", Serials: []string{"JN9"}},
		{Target: Target{Host: "127.0.0.15"}, Manufacturer: "Huawei", Model: "CE12804", Serial: "NEW1", Serials: []string{"NEW1"}},
		{Target: Target{Host: "127.0.0.16"}, Manufacturer: "Ericsson", Model: "Router 6675", Serial: "ER6", Serials: []string{"ER6"}},
	}
	swept := map[string]bool{"127.0.0.11": true, "127.0.0.12": true, "127.0.0.13": true, "127.0.0.14": true, "127.0.0.15": true, "127.0.0.16": true}
	got := map[string]Finding{}
	for _, f := range Reconcile(ReconcileInput{Devices: devices, Items: items, Swept: func(a string) bool { return swept[a] }}) {
		got[string(f.Kind)+" "+f.Target] = f
	}
	for key, want := range map[string]string{
		"changed 127.0.0.11": "63.3.2",
		"changed 127.0.0.12": "without notice",
		"changed 127.0.0.13": "63.3.1",
		"new 127.0.0.15":     "does not declare",
		"missing 127.0.0.14": "not seen",
	} {
		f, ok := got[key]
		if !ok {
			t.Errorf("no finding %q; got %v", key, keys(got))
			continue
		}
		if !strings.Contains(f.Meaning, want) {
			t.Errorf("finding %s means %q, want %q in it", key, f.Meaning, want)
		}
	}
	if len(got) != 5 {
		t.Errorf("findings = %v, want the five above (the unchanged device and the item outside the sweep give none)", keys(got))
	}
}

func keys(m map[string]Finding) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
