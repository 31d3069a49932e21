package inventory

import (
	"fmt"
	"strings"

	"critreg/errkind"
)

// Change is the kind of a planned change to an annex-7 list, as point 63.3 names them.
type Change string

// The changes point 63.3 distinguishes.
const (
	ChangeReplaceDevice  Change = "replace_device"
	ChangeUpdateSoftware Change = "update_software"
	ChangeExpandCapacity Change = "expand_capacity"
	ChangeOutsourcer     Change = "change_outsourcing_provider"
	ChangeConstruct      Change = "construct"
	ChangeRebuild        Change = "rebuild"
	ChangeRemove         Change = "remove"
)

const changeKindsForMessage = "replace_device, update_software, expand_capacity, change_outsourcing_provider, construct, rebuild or remove"

// Changes lists every kind of change, in the order they are offered.
var Changes = []Change{ChangeReplaceDevice, ChangeUpdateSoftware, ChangeExpandCapacity, ChangeOutsourcer, ChangeConstruct, ChangeRebuild, ChangeRemove}

// ParseChange checks a change kind.
func ParseChange(s string) (Change, error) {
	for _, c := range Changes {
		if string(c) == s {
			return c, nil
		}
	}
	return "", errkind.Errorf("unknown change %q (want %s)", s, changeKindsForMessage)
}

// BringsIn reports whether the change puts new equipment, software or a provider into a
// critical part, so that point 64 has something to judge.
func (c Change) BringsIn() bool { return c != ChangeRemove }

// Verdict is whether a change must be notified in advance.
type Verdict string

// The verdicts of an exemption check.
const (
	// VerdictExempt: one of 63.3.1–63.3.3 applies; no notice is needed.
	VerdictExempt Verdict = "exempt"
	// VerdictNoticeRequired: the bureau must be told at least one month ahead (63.3).
	VerdictNoticeRequired Verdict = "notice_required"
	// VerdictNoNotice: the change is not one 63.3 asks to notify (a removal); the list is
	// updated.
	VerdictNoNotice Verdict = "no_notice"
)

// Basis names the rule an exemption rests on, finer than the clause.
type Basis string

// The grounds of an exemption.
const (
	BasisSameModel                Basis = "same_model"
	BasisSameManufacturer         Basis = "same_manufacturer_similar_functions"
	BasisSoftwareUpdate           Basis = "software_update"
	BasisSoftwareDowngrade        Basis = "software_downgrade"
	BasisCapacitySameModel        Basis = "capacity_same_model"
	BasisCapacitySameManufacturer Basis = "capacity_same_manufacturer_similar_functions"
)

// Text is a sentence in Latvian and in English.
type Text struct {
	LV string `json:"lv"`
	EN string `json:"en"`
}

// String is the English, so that a Text given to an error's format reads in English in the
// API; Latvian gives the pages the rest (errkind.Bilingual).
func (t Text) String() string { return t.EN }

// Latvian is the Latvian sentence.
func (t Text) Latvian() string { return t.LV }

func say(lv, en string, a ...any) Text {
	return Text{LV: fmt.Sprintf(lv, a...), EN: fmt.Sprintf(en, a...)}
}

// ExemptionQuery is one planned change, as the exemption rules see it.
type ExemptionQuery struct {
	Change Change
	// Current is the item changed or replaced; nil for construction, rebuilds and
	// capacity expansions that replace nothing.
	Current *Item
	// InOperation are the items already in operation in the critical part (63.3.3).
	InOperation []Item
	// CriticalPart is the code of the part the change is in.
	CriticalPart string
	// New is the equipment, software or provider that goes in.
	New ItemInput
	// SimilarFunctions is the engineer's confirmation that the new device has functions
	// similar to the one it replaces or joins (63.3.1, 63.3.3). No rule can see that from
	// the data, so a person says it and the answer records who relied on it.
	SimilarFunctions bool
}

// Exemption is the answer of the exemption rules for one change.
type Exemption struct {
	Verdict Verdict `json:"verdict"`
	// Clause is the point of 63.3 that exempts the change ("63.3.1"), empty otherwise.
	Clause string `json:"clause,omitempty"`
	Basis  Basis  `json:"basis,omitempty"`
	// Reasons say in words why the verdict is what it is.
	Reasons []Text `json:"reasons"`
	// Warnings do not change the verdict (a downgrade is exempt but worth a second look).
	Warnings []Text `json:"warnings,omitempty"`
	// SimilarFunctionsConfirmed records that the verdict relies on the engineer's word.
	SimilarFunctionsConfirmed bool `json:"similar_functions_confirmed"`
	// MatchedItemID is the item in operation a capacity expansion was matched with.
	MatchedItemID int64 `json:"matched_item_id,omitempty"`
}

// CheckExemption applies points 63.3.1–63.3.3 to one planned change. It is a pure
// function: the caller gathers the current item and the items in operation.
func CheckExemption(q ExemptionQuery) Exemption {
	switch q.Change {
	case ChangeRemove:
		return Exemption{Verdict: VerdictNoNotice, Reasons: []Text{say(
			"Iekārtas, programmatūras vai ārpakalpojuma izņemšanai iepriekšējs paziņojums nav vajadzīgs; saraksts tiek atjaunināts.",
			"Removing equipment, software or outsourcing needs no advance notice; the list is updated.")}}
	case ChangeConstruct:
		return noticeRequired(say(
			"Jauna sakaru tīkla vai tā daļas būvniecībai 63.3. punkta izņēmumi nav paredzēti.",
			"No exception of point 63.3 covers the construction of a new network or part of one."))
	case ChangeRebuild:
		return noticeRequired(say(
			"Sakaru tīkla vai tā daļas pārbūvei 63.3. punkta izņēmumi nav paredzēti.",
			"No exception of point 63.3 covers the rebuild of a network or part of one."))
	case ChangeReplaceDevice:
		return replaceDevice(q)
	case ChangeUpdateSoftware:
		return updateSoftware(q)
	case ChangeExpandCapacity:
		return expandCapacity(q)
	case ChangeOutsourcer:
		return changeOutsourcer(q)
	}
	return noticeRequired(say("Nezināms izmaiņu veids %q.", "Unknown kind of change %q.", q.Change))
}

func noticeRequired(reasons ...Text) Exemption {
	return Exemption{Verdict: VerdictNoticeRequired, Reasons: reasons}
}

func replaceDevice(q ExemptionQuery) Exemption {
	cur := q.Current
	if cur == nil {
		return noticeRequired(say(
			"Nav norādīta aizstājamā ierīce, tāpēc nevar pārbaudīt, vai jaunā ir tā paša modeļa vai ražotāja.",
			"No device to be replaced is given, so it cannot be seen whether the new one is of the same model or manufacturer."))
	}
	if cur.Kind != KindEquipment {
		return noticeRequired(say(
			"Aizstājamais ieraksts nav iekārta (%s); 63.3.1. apakšpunkts attiecas uz ierīču aizstāšanu.",
			"The item replaced is not equipment (%s); 63.3.1 concerns the replacement of devices.", cur.Kind))
	}
	if r, ok := otherPart(q); !ok {
		return noticeRequired(r)
	}
	newMaker, curMaker := SupplierKey(q.New.Manufacturer), SupplierKey(cur.Manufacturer)
	switch {
	case newMaker == "" || curMaker == "":
		return noticeRequired(say(
			"Pašreizējās vai jaunās ierīces ražotājs nav zināms, tāpēc 63.3.1. apakšpunktu nevar piemērot.",
			"The manufacturer of the current or the new device is not known, so 63.3.1 cannot be applied."))
	case newMaker != curMaker:
		return noticeRequired(say(
			"Jaunās ierīces ražotājs (%s) atšķiras no pašreizējās ierīces ražotāja (%s).",
			"The new device's manufacturer (%s) differs from the current device's (%s).", q.New.Manufacturer, cur.Manufacturer))
	case sameProduct(cur.Model, cur.Name, q.New.Model, q.New.Name):
		return Exemption{Verdict: VerdictExempt, Clause: "63.3.1", Basis: BasisSameModel, Reasons: []Text{say(
			"Ierīce tiek aizstāta ar tā paša modeļa ierīci (%s %s).",
			"The device is replaced by one of the same model (%s %s).", cur.Manufacturer, product(cur.Model, cur.Name))}}
	case q.SimilarFunctions:
		return Exemption{Verdict: VerdictExempt, Clause: "63.3.1", Basis: BasisSameManufacturer, SimilarFunctionsConfirmed: true, Reasons: []Text{say(
			"Ierīce (%s) tiek aizstāta ar tā paša ražotāja (%s) ierīci (%s) ar līdzīgām funkcijām tajā pašā kritiskajā daļā %s; līdzīgās funkcijas apstiprinājis inženieris.",
			"The device (%s) is replaced by one of the same manufacturer (%s), %s, with similar functions in the same critical part %s; the engineer confirmed the similar functions.",
			product(cur.Model, cur.Name), cur.Manufacturer, product(q.New.Model, q.New.Name), q.CriticalPart)}}
	}
	return noticeRequired(say(
		"Jaunā ierīce (%s) ir tā paša ražotāja (%s), bet cita modeļa, un līdzīgas funkcijas nav apstiprinātas; bez šāda apstiprinājuma jāiesniedz paziņojums.",
		"The new device (%s) is of the same manufacturer (%s) but another model, and similar functions were not confirmed; without that confirmation a notice is required.",
		product(q.New.Model, q.New.Name), cur.Manufacturer))
}

// otherPart refuses an exemption when the new item would sit in another critical part
// than the one it replaces: "similar functions" is judged within one part.
func otherPart(q ExemptionQuery) (Text, bool) {
	if q.CriticalPart == "" || q.Current == nil || strings.EqualFold(q.Current.CriticalPart, q.CriticalPart) {
		return Text{}, true
	}
	return say(
		"Jaunais ieraksts būtu kritiskajā daļā %s, bet aizstājamais ir daļā %s.",
		"The new item would be in critical part %s, but the one it replaces is in %s.", q.CriticalPart, q.Current.CriticalPart), false
}

func updateSoftware(q ExemptionQuery) Exemption {
	cur := q.Current
	if cur == nil {
		return noticeRequired(say(
			"Nav norādīta esošā programmatūra; jaunas programmatūras ieviešanai 63.3.2. apakšpunkts nav piemērojams.",
			"No existing software is given; 63.3.2 does not cover bringing in new software."))
	}
	if cur.Kind != KindSoftware && cur.Kind != KindEquipment {
		return noticeRequired(say(
			"Ieraksts ir %s, nevis programmatūra vai iekārta ar programmatūru.",
			"The item is %s, not software or equipment running software.", cur.Kind))
	}
	if r, ok := otherPart(q); !ok {
		return noticeRequired(r)
	}
	newDev, curDev := SupplierKey(q.New.Manufacturer), SupplierKey(cur.Manufacturer)
	if newDev == "" || curDev == "" || newDev != curDev || !sameProduct(cur.Model, cur.Name, q.New.Model, q.New.Name) {
		return noticeRequired(say(
			"Jaunā programmatūra (%s, %s) nav esošās programmatūras (%s, %s) atjauninājums: izstrādātājs vai produkts atšķiras vai nav zināms.",
			"The new software (%s by %s) is not an update of the existing software (%s by %s): the developer or product differs or is unknown.",
			product(q.New.Model, q.New.Name), orUnknown(q.New.Manufacturer), product(cur.Model, cur.Name), orUnknown(cur.Manufacturer)))
	}
	e := Exemption{Verdict: VerdictExempt, Clause: "63.3.2", Basis: BasisSoftwareUpdate, Reasons: []Text{say(
		"Tiek uzstādīts esošās programmatūras (%s, %s) atjauninājums: versija %s → %s.",
		"An update of existing software (%s by %s) is installed: version %s → %s.",
		product(cur.Model, cur.Name), cur.Manufacturer, orUnknown(cur.Version), orUnknown(q.New.Version))}}
	cmp, ok := CompareVersions(q.New.Version, cur.Version)
	switch {
	case !ok:
		e.Warnings = append(e.Warnings, say(
			"Versijas %q un %q nevar salīdzināt; pārliecinieties, ka tas ir atjauninājums, nevis cits produkts.",
			"Versions %q and %q cannot be compared; make sure this is an update and not another product.", cur.Version, q.New.Version))
	case cmp < 0:
		e.Basis = BasisSoftwareDowngrade
		e.Warnings = append(e.Warnings, say(
			"Versija %s ir vecāka par pašreizējo %s: tā ir atgriešana uz vecāku versiju. Paziņojums nav vajadzīgs, taču pārliecinieties, ka vecākajā versijā nav zināmu ievainojamību.",
			"Version %s is older than the current %s: this is a downgrade. It needs no notice, but make sure the older version has no known vulnerabilities.",
			q.New.Version, cur.Version))
	case cmp == 0:
		e.Warnings = append(e.Warnings, say(
			"Versija nemainās (%s); tā ir atkārtota uzstādīšana.",
			"The version does not change (%s); this is a reinstallation.", cur.Version))
	}
	return e
}

func expandCapacity(q ExemptionQuery) Exemption {
	maker := SupplierKey(q.New.Manufacturer)
	if maker == "" {
		return noticeRequired(say(
			"Jauno ierīču ražotājs nav zināms, tāpēc 63.3.3. apakšpunktu nevar piemērot.",
			"The manufacturer of the new devices is not known, so 63.3.3 cannot be applied."))
	}
	var sameMaker *Item
	for i := range q.InOperation {
		it := &q.InOperation[i]
		if it.Kind != KindEquipment || SupplierKey(it.Manufacturer) != maker || (q.CriticalPart != "" && !strings.EqualFold(it.CriticalPart, q.CriticalPart)) {
			continue
		}
		if sameProduct(it.Model, it.Name, q.New.Model, q.New.Name) {
			return Exemption{Verdict: VerdictExempt, Clause: "63.3.3", Basis: BasisCapacitySameModel, MatchedItemID: it.ID, Reasons: []Text{say(
				"Jauda tiek paplašināta ar tā paša modeļa ierīcēm (%s %s), kādas jau darbojas kritiskajā daļā %s (ieraksts %d).",
				"Capacity is expanded with devices of the same model (%s %s) as already in operation in critical part %s (item %d).",
				it.Manufacturer, product(it.Model, it.Name), q.CriticalPart, it.ID)}}
		}
		if sameMaker == nil {
			sameMaker = it
		}
	}
	switch {
	case sameMaker != nil && q.SimilarFunctions:
		return Exemption{Verdict: VerdictExempt, Clause: "63.3.3", Basis: BasisCapacitySameManufacturer, SimilarFunctionsConfirmed: true, MatchedItemID: sameMaker.ID, Reasons: []Text{say(
			"Jauda tiek paplašināta ar tā paša ražotāja (%s) ierīcēm ar līdzīgām funkcijām kā kritiskajā daļā %s jau darbojošās (%s, ieraksts %d); līdzīgās funkcijas apstiprinājis inženieris.",
			"Capacity is expanded with devices of the same manufacturer (%s) with functions similar to those in operation in critical part %s (%s, item %d); the engineer confirmed the similar functions.",
			sameMaker.Manufacturer, q.CriticalPart, product(sameMaker.Model, sameMaker.Name), sameMaker.ID)}}
	case sameMaker != nil:
		return noticeRequired(say(
			"Kritiskajā daļā %s darbojas tā paša ražotāja (%s) ierīces, bet ne šī modeļa, un līdzīgas funkcijas nav apstiprinātas.",
			"Devices of the same manufacturer (%[2]s) are in operation in critical part %[1]s, but not of this model, and similar functions were not confirmed.",
			q.CriticalPart, q.New.Manufacturer))
	}
	return noticeRequired(say(
		"Kritiskajā daļā %[2]s nedarbojas neviena šī ražotāja (%[1]s) ierīce.",
		"No device of this manufacturer (%s) is in operation in critical part %s.", q.New.Manufacturer, q.CriticalPart))
}

func changeOutsourcer(q ExemptionQuery) Exemption {
	cur := ""
	if q.Current != nil {
		cur = q.Current.OutsourcingProvider
	}
	if cur != "" && SupplierKey(cur) == SupplierKey(q.New.OutsourcingProvider) {
		return Exemption{Verdict: VerdictNoNotice, Reasons: []Text{say(
			"Ārpakalpojuma sniedzējs nemainās (%s); tā nav sniedzēja nomaiņa.",
			"The outsourcing provider stays the same (%s); this is not a change of provider.", cur)}}
	}
	return noticeRequired(say(
		"Tiek mainīts ārpakalpojuma sniedzējs (%s → %s); 63.3. punkta izņēmumi uz to neattiecas.",
		"The outsourcing provider changes (%s → %s); no exception of point 63.3 covers this.", orUnknown(cur), orUnknown(q.New.OutsourcingProvider)))
}

// productKey folds a model or product name for comparison: case, diacritics, spaces and
// punctuation are ignored, so "ASR-9006", "asr 9006" and "ASR9006" are one model.
func productKey(s string) string { return nonAlnum.ReplaceAllString(foldKey(s), "") }

// sameProduct compares by model where both have one, else by name; an empty side is
// never the same as anything.
func sameProduct(model1, name1, model2, name2 string) bool {
	if m1, m2 := productKey(model1), productKey(model2); m1 != "" && m2 != "" {
		return m1 == m2
	}
	n1, n2 := productKey(name1), productKey(name2)
	return n1 != "" && n1 == n2
}

func product(model, name string) string {
	if strings.TrimSpace(model) != "" {
		return model
	}
	return orUnknown(name)
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "?"
	}
	return s
}
