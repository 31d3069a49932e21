package discovery

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// AcceptInput is a person's decision to take a finding into the list.
type AcceptInput struct {
	// NetworkID is the network a new device enters (new findings; required).
	NetworkID int64 `json:"network_id"`
	// CriticalPart is the part it enters; empty: the function it was recognised as.
	CriticalPart string `json:"critical_part"`
	// Name overrides the item's name (default: the device's system name or model).
	Name string `json:"name"`
	// ConfirmRemoval must be set to remove a missing item from the list.
	ConfirmRemoval bool `json:"confirm_removal"`
}

// ItemChange is one field of an item before and after an accepted finding.
type ItemChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Decision is what accepting a finding did.
type Decision struct {
	Finding Finding `json:"finding"`
	// Item is the item created or updated (nil when one was removed).
	Item *inventory.Item `json:"item,omitempty"`
	// Changes lists field by field what changed in the list.
	Changes []ItemChange `json:"changes"`
}

// provenance is the source reference an accepted finding leaves on its item.
func provenance(f Finding) string {
	at := ""
	if f.Device != nil && !f.Device.ReadAt.IsZero() {
		at = " at " + f.Device.ReadAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	return fmt.Sprintf("discovery run %d host %s%s", f.RunID, f.Target, at)
}

// AcceptFinding takes an open finding into the list: a new device becomes an item with
// its provenance, a changed one updates its item field by field, a missing one is removed
// when the person confirms it. The finding, the change and the audit records are one
// transaction; an item that changed since the run read it is not overwritten.
func (s *Service) AcceptFinding(ctx context.Context, a access.Actor, id int64, in AcceptInput) (Decision, error) {
	var dec Decision
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		f, opID, err := s.findingTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !mayDiscover(a, opID) {
			return errkind.Forbidden("only the operator's own operator and engineer users decide on findings")
		}
		if f.Status != FindingOpen {
			return errkind.Conflict("finding %d is already %s", id, f.Status)
		}
		var after inventory.Item
		switch f.Kind {
		case FindingNew:
			after, err = s.acceptNew(ctx, tx, a, f, in)
			dec.Item = &after
			dec.Changes = itemChanges(inventory.Item{}, after)
		case FindingChanged:
			var before inventory.Item
			before, after, err = s.acceptChanged(ctx, tx, a, f)
			dec.Item = &after
			dec.Changes = itemChanges(before, after)
		case FindingMissing:
			if !in.ConfirmRemoval {
				return errkind.Invalid("confirm_removal", "accepting a missing item removes it from the list; set confirm_removal to true, or dismiss the finding")
			}
			err = s.inv.DeleteItemTx(ctx, tx, a, f.Item.ID, provenance(f)+": not seen")
			dec.Changes = []ItemChange{{Field: "item", Before: fmt.Sprint(f.Item.ID), After: ""}}
		}
		if err != nil {
			return err
		}
		f.Status, f.DecidedBy, f.DecidedAt, f.ResultItemID = FindingAccepted, a.Login, s.stamp(), after.ID
		if _, err := tx.ExecContext(ctx, `UPDATE discovery_findings SET status = ?, decided_by = ?, decided_at = ?, result_item_id = ? WHERE id = ?`,
			f.Status, f.DecidedBy, f.DecidedAt, f.ResultItemID, id); err != nil {
			return fmt.Errorf("accept finding %d: %w", id, err)
		}
		dec.Finding = f
		return audit.Append(ctx, tx, a, audit.Entry{Action: "discovery.finding.accept", ObjectType: "discovery_finding", ObjectID: fmt.Sprint(id),
			OperatorID: opID, Before: map[string]any{"status": FindingOpen, "kind": f.Kind, "target": f.Target},
			After: map[string]any{"status": f.Status, "item_id": after.ID, "changes": dec.Changes}})
	})
	return dec, err
}

func (s *Service) acceptNew(ctx context.Context, tx *sql.Tx, a access.Actor, f Finding, in AcceptInput) (inventory.Item, error) {
	if f.Device == nil {
		return inventory.Item{}, fmt.Errorf("finding %d has no device", f.ID)
	}
	if in.NetworkID == 0 {
		return inventory.Item{}, errkind.Invalid("network_id", "is required: the network the device enters")
	}
	part := strings.TrimSpace(in.CriticalPart)
	if part == "" {
		if fn := primaryFunction(f.Device); fn != nil {
			part = fn.Code
		}
	}
	items, err := s.inv.OperatorItemsTx(ctx, tx, a, a.OperatorID)
	if err != nil {
		return inventory.Item{}, err
	}
	item := deviceInput(f.Device, part, items)
	item.NetworkID = in.NetworkID
	if n := strings.TrimSpace(in.Name); n != "" {
		item.Name = n
	}
	if part == "" {
		// The item validation names the field; say why it is empty.
		return inventory.Item{}, errkind.Invalid("critical_part", "no annex-6 function was recognised for this device: name the critical part it serves")
	}
	return s.inv.CreateItemTx(ctx, tx, a, item, inventory.SourceDiscovered, provenance(f))
}

// acceptChanged updates the finding's item with what the device showed. Each field is
// taken only if the item still holds what the run compared against: a change made since
// is someone's decision, and the finding must be looked at again rather than win.
func (s *Service) acceptChanged(ctx context.Context, tx *sql.Tx, a access.Actor, f Finding) (inventory.Item, inventory.Item, error) {
	cur, err := s.inv.Item(ctx, a, f.Item.ID)
	if err != nil {
		return inventory.Item{}, inventory.Item{}, errkind.Conflict("item %d of this finding is no longer in the list", f.Item.ID)
	}
	next := cur.Input()
	for _, d := range f.Differences {
		now := itemField(cur, d.Field)
		if now != d.Declared {
			return inventory.Item{}, inventory.Item{}, errkind.Conflict("item %d changed since run %d read it: %s was %q, is now %q; dismiss this finding and run discovery again",
				cur.ID, f.RunID, d.Field, d.Declared, now)
		}
		switch d.Field {
		case "manufacturer":
			next.Manufacturer = d.Seen
			// The countries belonged to the previous manufacturer.
			next.ManufacturerCountry, next.OriginCountry = "", ""
		case "model":
			next.Model = d.Seen
		case "serial":
			next.Serial = d.Seen
		case "version":
			next.Version = d.Seen
		}
	}
	after, err := s.inv.UpdateItemTx(ctx, tx, a, cur.ID, next, inventory.SourceDiscovered, provenance(f))
	return cur, after, err
}

func itemField(it inventory.Item, field string) string {
	switch field {
	case "manufacturer":
		return it.Manufacturer
	case "model":
		return it.Model
	case "serial":
		return it.Serial
	case "version":
		return it.Version
	}
	return ""
}

// itemChanges lists the fields that differ between two states of an item.
func itemChanges(before, after inventory.Item) []ItemChange {
	var out []ItemChange
	for _, f := range []struct {
		name string
		b, a string
	}{
		{"network_id", idText(before.NetworkID), idText(after.NetworkID)},
		{"critical_part", before.CriticalPart, after.CriticalPart},
		{"kind", string(before.Kind), string(after.Kind)},
		{"name", before.Name, after.Name},
		{"model", before.Model, after.Model},
		{"version", before.Version, after.Version},
		{"manufacturer", before.Manufacturer, after.Manufacturer},
		{"manufacturer_country", before.ManufacturerCountry, after.ManufacturerCountry},
		{"origin_country", before.OriginCountry, after.OriginCountry},
		{"serial", before.Serial, after.Serial},
		{"management_address", before.ManagementAddress, after.ManagementAddress},
		{"source", string(before.Source), string(after.Source)},
		{"source_ref", before.SourceRef, after.SourceRef},
	} {
		if f.b != f.a {
			out = append(out, ItemChange{Field: f.name, Before: f.b, After: f.a})
		}
	}
	return out
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprint(id)
}

// DismissFinding closes a finding without changing the list; the reason is kept.
func (s *Service) DismissFinding(ctx context.Context, a access.Actor, id int64, reason string) (Finding, error) {
	reason = strings.TrimSpace(reason)
	var f Finding
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var opID int64
		var err error
		f, opID, err = s.findingTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !mayDiscover(a, opID) {
			return errkind.Forbidden("only the operator's own operator and engineer users decide on findings")
		}
		switch {
		case reason == "":
			return errkind.Invalid("reason", "is required: say why the finding does not change the list")
		case utf8.RuneCountInString(reason) > 1000:
			return errkind.Invalid("reason", "is longer than 1000 characters")
		}
		if f.Status != FindingOpen {
			return errkind.Conflict("finding %d is already %s", id, f.Status)
		}
		f.Status, f.DecidedBy, f.DecidedAt, f.Reason = FindingDismissed, a.Login, s.stamp(), reason
		if _, err := tx.ExecContext(ctx, `UPDATE discovery_findings SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ?`,
			f.Status, f.DecidedBy, f.DecidedAt, f.Reason, id); err != nil {
			return fmt.Errorf("dismiss finding %d: %w", id, err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "discovery.finding.dismiss", ObjectType: "discovery_finding", ObjectID: fmt.Sprint(id),
			OperatorID: opID, Before: map[string]any{"status": FindingOpen}, After: map[string]any{"status": f.Status, "reason": reason}})
	})
	return f, err
}
