package notice

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// CheckInput is one planned change to ask about: is it exempt from notice, and is what it
// brings in allowed at all?
type CheckInput struct {
	// Operator is the operator's code; an operator's own users may leave it out.
	Operator string           `json:"operator"`
	Change   inventory.Change `json:"change"`
	// CurrentItemID is the item replaced, updated or removed (0: none).
	CurrentItemID int64 `json:"current_item_id"`
	// New is the equipment, software or provider that goes in. With a current item, the
	// fields left empty keep the current item's value (for a replacement: not its serial,
	// address or service date), so a software update may send only its new version.
	New inventory.ItemInput `json:"new"`
	// SimilarFunctions is the engineer's confirmation that the new device's functions are
	// similar to those of the one it replaces or joins (63.3.1, 63.3.3).
	SimilarFunctions bool `json:"similar_functions"`
}

// CheckResult is the answer to a CheckInput. Exemption and Point64 are separate answers:
// an exemption from notice never makes a prohibited item allowed.
type CheckResult struct {
	Operator     string              `json:"operator"`
	Change       inventory.Change    `json:"change"`
	NetworkID    int64               `json:"network_id"`
	CriticalPart string              `json:"critical_part"`
	Current      *inventory.Item     `json:"current,omitempty"`
	New          inventory.ItemInput `json:"new"`
	Exemption    inventory.Exemption `json:"exemption"`
	// Point64 is the status of what goes in; absent for a removal.
	Point64 *Point64Status `json:"point64,omitempty"`
	// Summary puts both answers in one sentence per language.
	Summary inventory.Text `json:"summary"`
}

// Check runs the exemption rules and the point-64 status on one planned change, and
// records the question and answer in the audit trail, with the engineer's confirmation of
// similar functions where it was given. The current item must be the operator's own.
func (s *Service) Check(ctx context.Context, a access.Actor, in CheckInput) (CheckResult, error) {
	op, err := s.operatorFor(ctx, a, in.Operator)
	if err != nil {
		return CheckResult{}, err
	}
	ln, err := s.evaluate(ctx, a, op, LineInput{Change: in.Change, CurrentItemID: in.CurrentItemID, New: in.New, SimilarFunctions: in.SimilarFunctions}, "", s.now())
	if err != nil {
		return CheckResult{}, err
	}
	res := CheckResult{Operator: op.Code, Change: ln.Change, NetworkID: ln.NetworkID, CriticalPart: ln.CriticalPart, Current: ln.Current,
		New: ln.New, Exemption: ln.Exemption, Point64: ln.Point64}
	res.Summary = summary(ln.Exemption, ln.Point64)
	err = audit.Write(ctx, s.db, a, audit.Entry{Action: "exemption.check", ObjectType: "operator", ObjectID: op.Code, OperatorID: op.ID,
		After: map[string]any{"input": in, "verdict": res.Exemption.Verdict, "clause": res.Exemption.Clause, "basis": res.Exemption.Basis,
			"similar_functions_confirmed": res.Exemption.SimilarFunctionsConfirmed, "point64": res.Point64}})
	return res, err
}

// summary states both answers together, so that "exempt" is never read as "allowed".
func summary(e inventory.Exemption, p *Point64Status) inventory.Text {
	var t inventory.Text
	switch e.Verdict {
	case inventory.VerdictExempt:
		t = inventory.Text{LV: "Paziņojums nav vajadzīgs (" + e.Clause + ")", EN: "Exempt from notice (" + e.Clause + ")"}
	case inventory.VerdictNoNotice:
		t = inventory.Text{LV: "Iepriekšējs paziņojums nav vajadzīgs", EN: "No advance notice needed"}
	default:
		t = inventory.Text{LV: "Vajadzīgs paziņojums vismaz mēnesi iepriekš (63.3)", EN: "Notice required at least one month ahead (63.3)"}
	}
	if p == nil {
		return inventory.Text{LV: t.LV + ".", EN: t.EN + "."}
	}
	switch p.Status {
	case StatusProhibited:
		when := ""
		if p.BindsFrom != "" {
			when = " no " + p.BindsFrom
		}
		whenEN := ""
		if p.BindsFrom != "" {
			whenEN = " from " + p.BindsFrom
		}
		t.LV += ", bet 64. punkts aizliedz to izmantot kritiskajās daļās" + when + "."
		t.EN += ", but point 64 prohibits its use in critical parts" + whenEN + "."
	case StatusRestricted:
		t.LV += "; biroja atzinums ierobežo tā izmantošanu (66.3)."
		t.EN += "; a bureau opinion restricts its use (66.3)."
	case StatusNoObjection:
		t.LV += "; birojam nav iebildumu."
		t.EN += "; the bureau has no objection."
	default:
		t.LV += "; 64. punkta statuss nav novērtēts."
		t.EN += "; its point-64 status is not assessed."
	}
	return t
}

// evaluated is a line resolved against the inventory: its current item, the new item
// completed from it, the exemption and the point-64 status.
type evaluated struct {
	LineInput
	Network      inventory.Network
	NetworkID    int64
	CriticalPart string
	Current      *inventory.Item
	Exemption    inventory.Exemption
	Point64      *Point64Status
}

// evaluate resolves and checks one line for operator op. field prefixes the names of
// problems ("lines[2]."), so that a notice's errors say which line they are about.
func (s *Service) evaluate(ctx context.Context, a access.Actor, op inventory.Operator, in LineInput, field string, on time.Time) (evaluated, error) {
	v := &errkind.ValidationError{}
	ev := evaluated{LineInput: in}
	if _, err := inventory.ParseChange(string(in.Change)); err != nil {
		v.AddErr(field+"change", err)
		return ev, v
	}
	if in.CurrentItemID != 0 {
		it, err := s.inv.Item(ctx, a, in.CurrentItemID)
		if err != nil && !errors.Is(err, errkind.ErrNotFound) {
			return ev, err
		}
		if err != nil || it.OperatorID != op.ID {
			v.Add(field+"current_item_id", "no item %d in the list of %s", in.CurrentItemID, op.Code)
			return ev, v
		}
		ev.Current = &it
		ev.New = completeNew(it, in.New, in.Change)
	} else if in.Change == inventory.ChangeRemove {
		v.Add(field+"current_item_id", "a removal needs the item it removes")
	}
	if in.Change == inventory.ChangeRemove {
		if ev.Current == nil {
			return ev, v.Err()
		}
		ev.New = inventory.ItemInput{}
		ev.NetworkID, ev.CriticalPart = ev.Current.NetworkID, ev.Current.CriticalPart
		ev.Exemption = inventory.CheckExemption(inventory.ExemptionQuery{Change: in.Change, Current: ev.Current, CriticalPart: ev.CriticalPart})
		return ev, v.Err()
	}
	if ev.New.NetworkID == 0 {
		v.Add(field+"new.network_id", "is required")
		return ev, v
	}
	n, err := s.inv.Network(ctx, a, ev.New.NetworkID)
	if err != nil && !errors.Is(err, errkind.ErrNotFound) {
		return ev, err
	}
	if err != nil || n.OperatorID != op.ID {
		v.Add(field+"new.network_id", "no network %d of %s", ev.New.NetworkID, op.Code)
		return ev, v
	}
	ev.Network, ev.NetworkID = n, n.ID
	parts, err := s.inv.CriticalParts(ctx, a, n.ID)
	if err != nil {
		return ev, err
	}
	ev.CriticalPart = resolvePart(parts, ev.New.CriticalPart)
	if ev.CriticalPart == "" {
		v.Add(field+"new.critical_part", "%q is neither an annex-6 function nor a part declared critical in network %d", ev.New.CriticalPart, n.ID)
	}
	ev.New.CriticalPart = ev.CriticalPart
	checkNew(v, field+"new.", ev.New)
	if err := v.Err(); err != nil {
		return ev, err
	}
	q := inventory.ExemptionQuery{Change: in.Change, Current: ev.Current, CriticalPart: ev.CriticalPart, New: ev.New, SimilarFunctions: in.SimilarFunctions}
	if in.Change == inventory.ChangeExpandCapacity {
		if q.InOperation, err = s.inPart(ctx, a, n.ID, ev.CriticalPart); err != nil {
			return ev, err
		}
	}
	ev.Exemption = inventory.CheckExemption(q)
	st, err := s.p64.Point64(ctx, a, n, ev.New, on)
	if err != nil {
		return ev, fmt.Errorf("point-64 status: %w", err)
	}
	ev.Point64 = &st
	return ev, nil
}

// inPart returns the equipment in operation in one critical part of a network.
func (s *Service) inPart(ctx context.Context, a access.Actor, networkID int64, part string) ([]inventory.Item, error) {
	var out []inventory.Item
	p := inventory.Page{Limit: inventory.MaxLimit}
	for {
		items, next, err := s.inv.Items(ctx, a, inventory.ItemFilter{NetworkID: networkID, CriticalPart: part, Kind: inventory.KindEquipment}, p)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if next == 0 {
			return out, nil
		}
		p.After = next
	}
}

func resolvePart(parts []inventory.CriticalPart, in string) string {
	in = strings.TrimSpace(in)
	if p, ok := inventory.ParseAnnex6(in); ok {
		return p.Code
	}
	for _, p := range parts {
		if p.Custom && strings.EqualFold(p.Code, in) {
			return p.Code
		}
	}
	return ""
}

// checkNew checks what the exemption rules and point 64 rely on; the rest of the item is
// checked by the inventory when the line is carried out.
func checkNew(v *errkind.ValidationError, field string, in inventory.ItemInput) {
	switch in.Kind {
	case inventory.KindEquipment, inventory.KindSoftware, inventory.KindOutsourcing:
	case "":
		v.Add(field+"kind", "is required (equipment, software or outsourcing)")
	default:
		v.Add(field+"kind", "must be equipment, software or outsourcing")
	}
	for _, c := range []struct{ name, code string }{{"manufacturer_country", in.ManufacturerCountry}, {"origin_country", in.OriginCountry}} {
		if c.code != "" {
			if _, ok := inventory.CountryByCode(strings.ToUpper(c.code)); !ok {
				v.Add(field+c.name, "%q is not an ISO 3166-1 alpha-2 country code", c.code)
			}
		}
	}
	for _, f := range []struct{ name, val string }{{"name", in.Name}, {"model", in.Model}, {"version", in.Version}, {"manufacturer", in.Manufacturer},
		{"distributor", in.Distributor}, {"outsourcing_provider", in.OutsourcingProvider}, {"site", in.Site}, {"serial", in.Serial}, {"notes", in.Notes}} {
		if len(f.val) > 2000 {
			v.Add(field+f.name, "is longer than 2000 characters")
		}
	}
	if strings.TrimSpace(in.Name) == "" && strings.TrimSpace(in.Model) == "" {
		v.Add(field+"name", "an item needs a name or a model")
	}
	if in.Kind == inventory.KindOutsourcing && strings.TrimSpace(in.OutsourcingProvider) == "" {
		v.Add(field+"outsourcing_provider", "is required for outsourcing")
	}
}

// completeNew fills the new item's empty fields from the current item. A replaced device
// is another physical device: its serial, address and service date are not carried over.
func completeNew(cur inventory.Item, in inventory.ItemInput, c inventory.Change) inventory.ItemInput {
	base := cur.Input()
	if c == inventory.ChangeReplaceDevice || c == inventory.ChangeExpandCapacity || c == inventory.ChangeConstruct {
		base.Serial, base.ManagementAddress, base.InServiceSince = "", "", ""
	}
	if c == inventory.ChangeExpandCapacity || c == inventory.ChangeConstruct {
		base.Quantity = 0
	}
	// Another maker's product has its own countries and versions, another model its own
	// versions: nothing of the old one's may pass for them.
	if strings.TrimSpace(in.Manufacturer) != "" && inventory.SupplierKey(in.Manufacturer) != inventory.SupplierKey(cur.Manufacturer) {
		base.ManufacturerCountry, base.OriginCountry, base.Version, base.Distributor = "", "", "", ""
	}
	if strings.TrimSpace(in.Model) != "" && !strings.EqualFold(strings.TrimSpace(in.Model), strings.TrimSpace(cur.Model)) {
		base.Version = ""
	}
	keep := func(dst *string, v string) {
		if strings.TrimSpace(v) != "" {
			*dst = v
		}
	}
	if in.NetworkID != 0 {
		base.NetworkID = in.NetworkID
	}
	if in.Kind != "" {
		base.Kind = in.Kind
	}
	if in.Quantity != 0 {
		base.Quantity = in.Quantity
	}
	keep(&base.CriticalPart, in.CriticalPart)
	keep(&base.Name, in.Name)
	keep(&base.Model, in.Model)
	keep(&base.Version, in.Version)
	keep(&base.Manufacturer, in.Manufacturer)
	keep(&base.ManufacturerCountry, in.ManufacturerCountry)
	keep(&base.Distributor, in.Distributor)
	keep(&base.OutsourcingProvider, in.OutsourcingProvider)
	keep(&base.OriginCountry, in.OriginCountry)
	keep(&base.Serial, in.Serial)
	keep(&base.Site, in.Site)
	keep(&base.ManagementAddress, in.ManagementAddress)
	keep(&base.InServiceSince, in.InServiceSince)
	keep(&base.Notes, in.Notes)
	return base
}
