package notice

import (
	"fmt"
	"testing"
	"time"

	"critreg/inventory"
)

// fillList gives operator A n items in its legacy network, spread over 12 critical parts.
func fillList(b *testing.B, e *env, n int) []inventory.Item {
	b.Helper()
	parts := []string{"1.1", "1.2", "1.4", "1.7", "1.8", "2.1", "2.4", "2.5", "2.6", "2.10", "1.9", "1.12"}
	items := make([]inventory.Item, 0, n)
	for i := range n {
		items = append(items, e.item(e.alice, inventory.ItemInput{NetworkID: e.lte.ID, CriticalPart: parts[i%len(parts)], Kind: inventory.KindEquipment,
			Name: fmt.Sprintf("node-%05d", i), Model: fmt.Sprintf("M%d", i%40), Manufacturer: []string{"Ericsson AB", "Nokia", "Cisco Systems"}[i%3],
			Version: "1.0", Serial: fmt.Sprintf("SN%08d", i), Site: "Riga", ManufacturerCountry: "SE", OriginCountry: "EE"}))
	}
	return items
}

// BenchmarkSubmitList freezes a list of 10,000 items: read, canonical JSON, SHA-256, store.
func BenchmarkSubmitList(b *testing.B) {
	e := newEnv(b)
	fillList(b, e, 10_000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.svc.SubmitList(e.ctx, e.alice, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiff compares two versions of a 10,000-item list that differ in 1 % of items.
func BenchmarkDiff(b *testing.B) {
	e := newEnv(b)
	items := fillList(b, e, 10_000)
	v1, err := e.svc.SubmitList(e.ctx, e.alice, "")
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(items); i += 100 {
		in := items[i].Input()
		in.Version = "1.1"
		if _, err := e.inv.UpdateItem(e.ctx, e.alice, items[i].ID, in, inventory.SourceTyped, ""); err != nil {
			b.Fatal(err)
		}
	}
	v2, err := e.svc.SubmitList(e.ctx, e.alice, "")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		d, err := e.svc.Diff(e.ctx, e.bea, v1.ID, v2.ID)
		if err != nil || len(d.Changed) != 100 {
			b.Fatalf("Diff = %d changed, %v, want 100", len(d.Changed), err)
		}
	}
}

// BenchmarkCheckCapacity checks a capacity expansion in a part holding 1,000 devices (of
// 12,000 in the list), with the point-64 status from vetting.
func BenchmarkCheckCapacity(b *testing.B) {
	e := newEnv(b)
	fillList(b, e, 12_000)
	in := CheckInput{Change: inventory.ChangeExpandCapacity, SimilarFunctions: true,
		New: inventory.ItemInput{NetworkID: e.lte.ID, CriticalPart: "2.4", Kind: inventory.KindEquipment, Manufacturer: "Ericsson AB", Model: "M999"}}
	b.ResetTimer()
	for b.Loop() {
		res, err := e.svc.Check(e.ctx, e.eric, in)
		if err != nil || res.Exemption.Clause != "63.3.3" {
			b.Fatalf("Check = %+v, %v, want 63.3.3", res.Exemption, err)
		}
	}
}

// BenchmarkEarliestStart is the date rule alone.
func BenchmarkEarliestStart(b *testing.B) {
	at := time.Date(2028, 1, 31, 22, 30, 0, 0, time.UTC)
	for b.Loop() {
		_ = EarliestStart(at)
	}
}
