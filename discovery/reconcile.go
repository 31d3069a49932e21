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

// FindingStatus is where a person's review of a finding stands.
type FindingStatus string

// The states of a finding.
const (
	FindingOpen      FindingStatus = "open"
	FindingAccepted  FindingStatus = "accepted"
	FindingDismissed FindingStatus = "dismissed"
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
	ID       int64       `json:"id,omitempty"`
	RunID    int64       `json:"run_id,omitempty"`
	Operator string      `json:"operator,omitempty"`
	Kind     FindingKind `json:"kind"`
	Target   string      `json:"target,omitempty"`
	// ResultID is the stored result the device came from (new and changed findings).
	ResultID int64   `json:"result_id,omitempty"`
	Device   *Device `json:"device,omitempty"`
	// Item is the declared item as it stood when the run was reconciled.
	Item *inventory.Item `json:"item,omitempty"`
	// Differences are the fields that changed (changed findings only).
	Differences []Difference `json:"differences,omitempty"`
	// Meaning says what the finding means under point 63.3; Exemption is the answer of the
	// exemption rules it rests on.
	Meaning   string               `json:"meaning"`
	Exemption *inventory.Exemption `json:"exemption,omitempty"`
	// NoticeOnRecord is set when a change notice on record covers the item.
	NoticeOnRecord bool `json:"notice_on_record,omitempty"`
	// Cause says why a missing item's address did not yield a device, where known.
	Cause Cause `json:"cause,omitempty"`

	Status       FindingStatus `json:"status,omitempty"`
	DecidedBy    string        `json:"decided_by,omitempty"`
	DecidedAt    string        `json:"decided_at,omitempty"`
	Reason       string        `json:"reason,omitempty"`
	ResultItemID int64         `json:"result_item_id,omitempty"`
}

// ReconcileInput is what a reconciliation compares.
type ReconcileInput struct {
	// Devices are the devices the sweep read.
	Devices []Device
	// Items are the operator's declared items.
	Items []inventory.Item
	// Swept reports whether a management address lies inside a sweep that tried every
	// target; only such items can be missing. Nil: none can.
	Swept func(address string) bool
	// Failed gives why a target failed, keyed by Target.String(), where a cause was stored.
	Failed map[string]Cause
	// NoticeOnRecord reports whether a change notice on record covers a change of the
	// item; nil: none does.
	NoticeOnRecord func(it *inventory.Item) bool
}

// Reconcile compares the devices a sweep read with the operator's declared items. A device
// matches an item by management address (host, and port where the address gives one), by
// a serial number it reports, or by its system name. A failed poll is not a finding of its
// own: it only makes an item missing when the sweep tried its address, and the finding
// says the device may merely not have answered.
func Reconcile(in ReconcileInput) []Finding {
	matched := map[int64]bool{}
	var out []Finding
	for i := range in.Devices {
		d := &in.Devices[i]
		it := matchItem(d, in.Items)
		if it == nil {
			out = append(out, newFinding(d, in.Items))
			continue
		}
		matched[it.ID] = true
		if f, ok := changed(d, it, in.NoticeOnRecord); ok {
			out = append(out, f)
		}
	}
	if in.Swept == nil {
		return out
	}
	for i := range in.Items {
		it := &in.Items[i]
		if matched[it.ID] || strings.TrimSpace(it.ManagementAddress) == "" || !in.Swept(it.ManagementAddress) {
			continue
		}
		out = append(out, missing(it, in.Failed))
	}
	return out
}

// targetText is a target as a management address is written: the host alone on the
// standard port.
func targetText(t Target) string {
	if t.Port == 0 || t.Port == 161 {
		return t.Host
	}
	return t.String()
}

func matchItem(d *Device, items []inventory.Item) *inventory.Item {
	for i := range items {
		if items[i].ManagementAddress != "" && addressMatches(items[i].ManagementAddress, d.Target) {
			return &items[i]
		}
	}
	for i := range items {
		serial := strings.TrimSpace(items[i].Serial)
		for _, s := range d.Serials {
			if s != "" && strings.EqualFold(serial, s) {
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

// makersMatch compares manufacturers as the register keys them, allowing one name to be the
// other's leading words: a sysObjectID gives "Cisco", a list says "Cisco Systems, Inc.".
func makersMatch(a, b string) bool {
	ka, kb := inventory.SupplierKey(a), inventory.SupplierKey(b)
	return ka == kb || strings.HasPrefix(ka, kb+" ") || strings.HasPrefix(kb, ka+" ")
}

// sameModel compares models ignoring case, spaces and punctuation, allowing the declared
// name to carry more ("ASR 9006 chassis" holds "ASR-9006").
func sameModel(seen, declared string) bool {
	s, d := productKey(seen), productKey(declared)
	return s == d || (s != "" && strings.Contains(d, s))
}

// sameVersion reads a version a device reports as the declared one when they compare
// equal or the device's text holds the declared version as a word.
func sameVersion(seen, declared string) bool {
	if c, ok := inventory.CompareVersions(seen, declared); ok && c == 0 {
		return true
	}
	for _, w := range strings.FieldsFunc(seen, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '(' || r == ')' }) {
		if strings.EqualFold(strings.TrimPrefix(strings.ToLower(w), "v"), strings.TrimPrefix(strings.ToLower(declared), "v")) {
			return true
		}
	}
	return false
}

// changed compares a device with its declared item and says what the change means under
// 63.3, by the exemption rules: a new software version is an exempt update (63.3.2), the
// same model with another serial an exempt replacement (63.3.1), another model or
// manufacturer a change that needed a notice, made without one if none is on record.
func changed(d *Device, it *inventory.Item, noticeOnRecord func(*inventory.Item) bool) (Finding, bool) {
	f := Finding{Kind: FindingChanged, Target: targetText(d.Target), Device: d, Item: it}
	next := it.Input()
	makerChanged := d.Manufacturer != "" && it.Manufacturer != "" && !makersMatch(d.Manufacturer, it.Manufacturer)
	if makerChanged {
		f.Differences = append(f.Differences, Difference{"manufacturer", it.Manufacturer, d.Manufacturer})
		next.Manufacturer = d.Manufacturer
	}
	modelChanged := d.Model != "" && it.Model != "" && !sameModel(d.Model, it.Model)
	if modelChanged {
		f.Differences = append(f.Differences, Difference{"model", it.Model, d.Model})
		next.Model = d.Model
	}
	serialChanged := it.Serial != "" && d.Serial != "" && !strings.EqualFold(strings.TrimSpace(it.Serial), d.Serial) && !hasSerial(d, it.Serial)
	if serialChanged {
		f.Differences = append(f.Differences, Difference{"serial", it.Serial, d.Serial})
		next.Serial = d.Serial
	}
	if v := d.SoftwareVersion; v != "" && it.Version != "" && !sameVersion(v, it.Version) {
		f.Differences = append(f.Differences, Difference{"version", it.Version, v})
		next.Version = v
	}
	if len(f.Differences) == 0 {
		return f, false
	}
	change := inventory.ChangeUpdateSoftware
	if makerChanged || modelChanged || serialChanged {
		change = inventory.ChangeReplaceDevice
	}
	ex := inventory.CheckExemption(inventory.ExemptionQuery{Change: change, Current: it, CriticalPart: it.CriticalPart, New: next})
	f.Exemption = &ex
	if ex.Verdict == inventory.VerdictExempt {
		what := "an exempt replacement"
		if ex.Clause == "63.3.2" {
			what = "an exempt update"
		}
		f.Meaning = fmt.Sprintf("%s (%s): %s No notice was needed; accept to bring the list up to date.", what, ex.Clause, reasons(ex))
		return f, true
	}
	if noticeOnRecord != nil && noticeOnRecord(it) {
		f.NoticeOnRecord = true
	}
	switch {
	case makerChanged && f.NoticeOnRecord:
		f.Meaning = fmt.Sprintf("another manufacturer (%s) now runs in critical part %s: a replacement by another manufacturer needs a notice a month ahead (63.3), and a notice on record covers this item; accept to bring the list up to date.", d.Manufacturer, it.CriticalPart)
	case makerChanged:
		f.Meaning = fmt.Sprintf("another manufacturer (%s) now runs in critical part %s: a replacement by another manufacturer needs a notice a month ahead (63.3), and no notice on record covers this item, so the change was made without notice.", d.Manufacturer, it.CriticalPart)
	case f.NoticeOnRecord:
		f.Meaning = "another model of the same manufacturer: " + reasons(ex) + " A notice on record covers this item; accept to bring the list up to date."
	default:
		f.Meaning = "another model of the same manufacturer: exempt from notice only if its functions are similar (63.3.1), which an engineer must confirm; no notice on record covers this item, so unless they are similar the change was made without notice. " + reasons(ex)
	}
	return f, true
}

func hasSerial(d *Device, serial string) bool {
	for _, s := range d.Serials {
		if strings.EqualFold(s, strings.TrimSpace(serial)) {
			return true
		}
	}
	return false
}

func reasons(ex inventory.Exemption) string {
	var b strings.Builder
	for i, r := range ex.Reasons {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(r.EN)
	}
	return b.String()
}

// deviceInput is the annex-7 item a device would become in critical part code, its
// manufacturer spelt as the list already spells it where the list knows it.
func deviceInput(d *Device, code string, items []inventory.Item) inventory.ItemInput {
	in := inventory.ItemInput{CriticalPart: code, Kind: inventory.KindEquipment, Name: d.SysName, Model: d.Model,
		Version: d.SoftwareVersion, Manufacturer: d.Manufacturer, Serial: d.Serial, ManagementAddress: targetText(d.Target)}
	if in.Version == "" {
		in.Version = d.FirmwareVersion
	}
	if in.Name == "" {
		in.Name = d.Model
	}
	for i := range items {
		if d.Manufacturer != "" && items[i].Manufacturer != "" && makersMatch(d.Manufacturer, items[i].Manufacturer) {
			in.Manufacturer = items[i].Manufacturer
			break
		}
	}
	return in
}

// primaryFunction is the best annex-6 function the fingerprint rules matched, "" if none.
func primaryFunction(d *Device) *FunctionMatch {
	if len(d.Functions) == 0 {
		return nil
	}
	return &d.Functions[0]
}

// newFinding describes a device the list does not declare. If it is of the same model as
// a device already in operation in the critical part it was recognised as, adding it is
// a capacity expansion exempt from notice (63.3.3).
func newFinding(d *Device, items []inventory.Item) Finding {
	f := Finding{Kind: FindingNew, Target: targetText(d.Target), Device: d}
	fn := primaryFunction(d)
	if fn == nil {
		f.Meaning = "a device in the management network that the list does not declare, and no annex-6 function was recognised: a person decides whether it serves a critical part; if it does, it belongs in the list, and installing it needed a notice unless an exemption of 63.3 applied."
		return f
	}
	ex := inventory.CheckExemption(inventory.ExemptionQuery{Change: inventory.ChangeExpandCapacity, InOperation: items, CriticalPart: fn.Code, New: deviceInput(d, fn.Code, items)})
	f.Exemption = &ex
	confirm := ""
	if fn.NeedsConfirmation {
		confirm = ", which needs confirmation"
	}
	if ex.Verdict == inventory.VerdictExempt {
		f.Meaning = fmt.Sprintf("a device the list does not declare, recognised as %s (%s)%s: %s If it serves there, it was a capacity expansion exempt from notice (%s); accept to add it to the list.",
			fn.Code, fn.Short, confirm, reasons(ex), ex.Clause)
		return f
	}
	// Why the capacity exemption fails is in Exemption; the sentence stays short.
	f.Meaning = fmt.Sprintf("a device the list does not declare, recognised as %s (%s)%s: if it performs a critical function it belongs in the list, and installing it needed a notice unless an exemption of 63.3 applied.",
		fn.Code, fn.Short, confirm)
	return f
}

// missing describes a declared item whose address the sweep tried without seeing it.
func missing(it *inventory.Item, failed map[string]Cause) Finding {
	f := Finding{Kind: FindingMissing, Target: it.ManagementAddress, Item: it}
	host, port := splitAddress(it.ManagementAddress)
	if port == 0 {
		port = 161
	}
	f.Cause = failed[Target{Host: host, Port: port}.String()]
	why := "no answer"
	if f.Cause != "" {
		why = "the poll failed: " + string(f.Cause)
	}
	ex := inventory.CheckExemption(inventory.ExemptionQuery{Change: inventory.ChangeRemove, Current: it})
	f.Exemption = &ex
	f.Meaning = fmt.Sprintf("declared but not seen at %s (%s). If it was removed, %s A device that merely did not answer is not proof of removal: check before accepting.",
		it.ManagementAddress, why, reasons(ex))
	return f
}

func productKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), "")
}
