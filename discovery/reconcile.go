package discovery

import (
	"fmt"
	"strings"

	"critreg/inventory"
)

// FindingKind says how what a sweep saw differs from what the operator declared.
type FindingKind string

// The kinds of finding.
const (
	// FindingNew is a device that answered and matches no declared item.
	FindingNew FindingKind = "new"
	// FindingMissing is a declared item whose management address was swept and did not
	// answer.
	FindingMissing FindingKind = "missing"
	// FindingChanged is a declared item whose device reports another model, manufacturer,
	// serial or software version.
	FindingChanged FindingKind = "changed"
)

// Difference is one field on which a device and its declared item disagree.
type Difference struct {
	Field    string `json:"field"`
	Declared string `json:"declared"`
	Seen     string `json:"seen"`
}

// Finding is one result of a reconciliation, for a person to review: nothing in the list
// changes until someone accepts it.
type Finding struct {
	Kind   FindingKind     `json:"kind"`
	Target string          `json:"target,omitempty"`
	Device *Device         `json:"device,omitempty"`
	Item   *inventory.Item `json:"item,omitempty"`
	// Differences are the fields that changed (changed findings only).
	Differences []Difference `json:"differences,omitempty"`
	// Meaning says what the finding means under point 63.3.
	Meaning string `json:"meaning"`
}

// Reconcile compares the devices a sweep read with the operator's declared items. A device
// matches an item by management address, by a serial number it reports, or by its system
// name; swept is the set of addresses the sweep tried, so that only items inside it can be
// missing. A failed poll is not a finding: a device that did not answer says nothing about
// an item whose address was not swept.
func Reconcile(devices []Device, items []inventory.Item, swept map[string]bool) []Finding {
	matched := map[int64]bool{}
	var out []Finding
	for i := range devices {
		d := &devices[i]
		it := matchItem(d, items)
		if it == nil {
			out = append(out, Finding{Kind: FindingNew, Target: d.Target.Host, Device: d,
				Meaning: "a device in the management network that the list does not declare: if it performs a critical function it belongs in the list, and installing it needed a notice unless an exemption of 63.3 applied"})
			continue
		}
		matched[it.ID] = true
		if f, ok := changed(d, it); ok {
			out = append(out, f)
		}
	}
	for i := range items {
		it := &items[i]
		if matched[it.ID] || it.ManagementAddress == "" || !swept[it.ManagementAddress] {
			continue
		}
		out = append(out, Finding{Kind: FindingMissing, Target: it.ManagementAddress, Item: it,
			Meaning: "declared but not seen: removed devices need no advance notice, but the list must be updated; a device that merely did not answer is not proof of removal"})
	}
	return out
}

func matchItem(d *Device, items []inventory.Item) *inventory.Item {
	for i := range items {
		if items[i].ManagementAddress != "" && items[i].ManagementAddress == d.Target.Host {
			return &items[i]
		}
	}
	for i := range items {
		for _, s := range d.Serials {
			if s != "" && strings.EqualFold(strings.TrimSpace(items[i].Serial), s) {
				return &items[i]
			}
		}
	}
	if d.SysName != "" {
		for i := range items {
			if strings.EqualFold(items[i].ManagementAddress, d.SysName) || strings.EqualFold(items[i].Name, d.SysName) {
				return &items[i]
			}
		}
	}
	return nil
}

// changed compares a device with its declared item and says what the change means under
// 63.3: a new software version is an exempt update (63.3.2), the same model with another
// serial an exempt replacement (63.3.1), another manufacturer a change that needed a notice.
func changed(d *Device, it *inventory.Item) (Finding, bool) {
	f := Finding{Kind: FindingChanged, Target: d.Target.Host, Device: d, Item: it}
	sameMaker := d.Manufacturer == "" || it.Manufacturer == "" || inventory.SupplierKey(d.Manufacturer) == inventory.SupplierKey(it.Manufacturer) ||
		strings.Contains(inventory.SupplierKey(it.Manufacturer), inventory.SupplierKey(d.Manufacturer))
	if !sameMaker {
		f.Differences = append(f.Differences, Difference{"manufacturer", it.Manufacturer, d.Manufacturer})
	}
	sameModel := d.Model == "" || it.Model == "" || strings.EqualFold(productKey(d.Model), productKey(it.Model)) ||
		strings.Contains(productKey(it.Model), productKey(d.Model))
	if !sameModel {
		f.Differences = append(f.Differences, Difference{"model", it.Model, d.Model})
	}
	if it.Serial != "" && d.Serial != "" && !strings.EqualFold(strings.TrimSpace(it.Serial), d.Serial) {
		f.Differences = append(f.Differences, Difference{"serial", it.Serial, d.Serial})
	}
	if v := d.SoftwareVersion; v != "" && it.Version != "" && !strings.Contains(v, it.Version) {
		f.Differences = append(f.Differences, Difference{"version", it.Version, v})
	}
	switch {
	case len(f.Differences) == 0:
		return f, false
	case !sameMaker:
		f.Meaning = fmt.Sprintf("another manufacturer (%s) now runs in critical part %s: a replacement by another manufacturer needs a notice a month ahead (63.3); unless one is on record, the change was made without notice", d.Manufacturer, it.CriticalPart)
	case !sameModel:
		f.Meaning = "another model of the same manufacturer: exempt from notice only if its functions are similar (63.3.1), which the engineer must confirm"
	case onlyField(f.Differences, "version"):
		f.Meaning = "a software update of the product in operation: exempt from notice (63.3.2); update the version in the list"
	default:
		f.Meaning = "the same model with another serial number: a replacement by the same model, exempt from notice (63.3.1); update the serial in the list"
	}
	return f, true
}

func onlyField(ds []Difference, field string) bool {
	for _, d := range ds {
		if d.Field != field {
			return false
		}
	}
	return true
}

func productKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), "")
}
