package notice

import (
	"context"
	"fmt"
	"time"

	"critreg/access"
	"critreg/inventory"
	"critreg/vetting"
)

// Vetted gives notices and exemption checks the point-64 status from the bureau's
// opinions, as vetting decides it (the opinion that decides, and the 2030 rule of point
// 123 for legacy networks).
type Vetted struct {
	V *vetting.Vetting
}

// Point64 returns vetting's status of the item in network n on the day given, in the four
// statuses a notice distinguishes. A restriction that covers other critical parts than
// this one restricts nothing here, so it reads as no objection, with vetting's own status
// kept in Detail.
func (p Vetted) Point64(ctx context.Context, a access.Actor, n inventory.Network, it inventory.ItemInput, on time.Time) (Point64Status, error) {
	st, err := p.V.Status(ctx, a, vetting.ItemRef{Kind: it.Kind, CriticalPart: it.CriticalPart, Legacy: n.Legacy, Name: it.Name, Model: it.Model,
		Version: it.Version, Manufacturer: it.Manufacturer, Distributor: it.Distributor, OutsourcingProvider: it.OutsourcingProvider}, on)
	if err != nil {
		return Point64Status{}, err
	}
	out := Point64Status{Detail: st.Status, Reasons: []inventory.Text{{EN: st.Reason}}}
	ref := ""
	if st.Opinion != nil {
		ref = st.Opinion.Reference
		out.Opinions = []string{ref}
	}
	switch st.Status {
	case vetting.Prohibited:
		out.Status, out.BindsFrom = StatusProhibited, st.BindsFrom
		out.Reasons[0].LV = fmt.Sprintf("64. punkts: biroja atzinums %s konstatē, ka izmantošana var apdraudēt valsts drošību; aizliegums kritiskajās daļās saistošs no %s.", ref, st.BindsFrom)
	case vetting.RestrictedInScope:
		out.Status, out.BindsFrom = StatusRestricted, st.BindsFrom
		out.Reasons[0].LV = fmt.Sprintf("66.3. punkts: biroja atzinums %s ierobežo izmantošanu kritiskajā daļā %s.", ref, it.CriticalPart)
	case vetting.RestrictedOutOfScope:
		out.Status = StatusNoObjection
		out.Reasons[0].LV = fmt.Sprintf("Biroja atzinums %s ierobežo izmantošanu citās kritiskajās daļās, ne daļā %s.", ref, it.CriticalPart)
	case vetting.NoObjection:
		out.Status = StatusNoObjection
		out.Reasons[0].LV = fmt.Sprintf("Biroja atzinums %s: iebildumu nav.", ref)
	default:
		out.Status = StatusNotAssessed
		out.Reasons[0].LV = "Neviens biroja atzinums uz to neattiecas."
	}
	return out, nil
}
