package notice

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// executable are the states in which a notice's lines may be carried out: the bureau has
// it, or has accepted it. An objection or an open request for information stops it.
var executable = []State{StateSubmitted, StateUnderReview, StateResubmitted, StateAccepted}

// MarkDone records that line no of a notice was carried out and changes the annex-7 list
// to match in the same transaction, the item's provenance naming the notice and line. A
// line that needed notice may not be carried out before the notice's earliest start.
func (s *Service) MarkDone(ctx context.Context, a access.Actor, id int64, no int) (Notice, error) {
	n, err := s.Notice(ctx, a, id)
	if err != nil {
		return Notice{}, err
	}
	if !a.KeepsInventory(n.OperatorID) {
		return Notice{}, errkind.Forbidden("only the operator's own users carry out its notices")
	}
	i := slices.IndexFunc(n.Lines, func(ln Line) bool { return ln.No == no })
	if i < 0 {
		return Notice{}, errkind.NotFound("line of notice", fmt.Sprintf("%d/%d", id, no))
	}
	ln := n.Lines[i]
	today := RigaDate(s.now())
	switch {
	case ln.DoneAt != "":
		return Notice{}, errkind.Conflict("line %d of notice %d was carried out on %s", no, id, ln.DoneAt)
	case !slices.Contains(executable, n.State):
		return Notice{}, errkind.Conflict("notice %d is %s; its lines can be carried out only when it is %s", id, n.State, statesText(executable))
	case ln.Exemption.Verdict == inventory.VerdictNoticeRequired && today < n.EarliestStart:
		return Notice{}, errkind.Conflict("line %d of notice %d needs notice: it may be carried out from %s, the notice's earliest start, not on %s", no, id, n.EarliestStart, today)
	}
	// An opinion issued since the notice was submitted binds all the same: point 64 is
	// checked again on the day the line is carried out.
	if ln.Change.BringsIn() {
		net, err := s.inv.Network(ctx, a, ln.NetworkID)
		if err != nil {
			return Notice{}, err
		}
		st, err := s.p64.Point64(ctx, a, net, ln.New, s.now())
		if err != nil {
			return Notice{}, fmt.Errorf("point-64 status: %w", err)
		}
		probe := ln
		probe.Point64, probe.PlannedStart = &st, today
		if r := refusals(probe); len(r) > 0 {
			return Notice{}, errkind.Conflict("line %d of notice %d cannot be carried out: %s", no, id, r[0])
		}
	}
	ref := fmt.Sprintf("notice %d line %d", id, no)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		result, err := s.apply(ctx, tx, a, ln, ref)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE notice_lines SET done_at = ?, done_by = ?, result_item_id = ? WHERE notice_id = ? AND line_no = ? AND done_at = ''`,
			s.now().UTC().Format(timeFormat), a.Login, result, id, no)
		if err != nil {
			return fmt.Errorf("mark %s done: %w", ref, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return errkind.Conflict("line %d of notice %d was carried out meanwhile", no, id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET updated_at = ? WHERE id = ?`, s.now().UTC().Format(timeFormat), id); err != nil {
			return fmt.Errorf("mark %s done: %w", ref, err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "notice.line_done", ObjectType: "notice", ObjectID: fmt.Sprint(id), OperatorID: n.OperatorID,
			After: map[string]any{"line": no, "change": ln.Change, "item_id": result}})
	})
	if err != nil {
		return Notice{}, err
	}
	return s.Notice(ctx, a, id)
}

// apply changes the list as the line says and returns the item that now stands for it.
func (s *Service) apply(ctx context.Context, tx *sql.Tx, a access.Actor, ln Line, ref string) (int64, error) {
	if ln.CurrentItemID == 0 || ln.Current == nil || ln.Change == inventory.ChangeExpandCapacity || ln.Change == inventory.ChangeConstruct {
		it, err := s.inv.CreateItemTx(ctx, tx, a, ln.New, inventory.SourceNotice, ref)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", ref, err)
		}
		return it.ID, nil
	}
	now, err := s.inv.Item(ctx, a, ln.CurrentItemID)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", ref, err)
	}
	// SQLite may hand a deleted item's number to a new item: make sure the number still
	// names the item the line was submitted about.
	if !now.CreatedAt.Equal(ln.Current.CreatedAt) {
		return 0, errkind.Conflict("%s: item %d is no longer the item the line names (it was removed and its number reused)", ref, ln.CurrentItemID)
	}
	if ln.Change == inventory.ChangeRemove {
		return 0, s.inv.DeleteItemTx(ctx, tx, a, ln.CurrentItemID, ref)
	}
	it, err := s.inv.UpdateItemTx(ctx, tx, a, ln.CurrentItemID, patch(now.Input(), ln.Current.Input(), ln.New), inventory.SourceNotice, ref)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", ref, err)
	}
	return it.ID, nil
}

// patch applies to an item as it is now the fields the line changes (those in which the
// new item differs from the snapshot the line was submitted with), so that edits made to
// other fields since the submission are kept.
func patch(now, then, want inventory.ItemInput) inventory.ItemInput {
	vn := reflect.ValueOf(&now).Elem()
	vt, vw := reflect.ValueOf(then), reflect.ValueOf(want)
	for i := range vn.NumField() {
		if !vt.Field(i).Equal(vw.Field(i)) {
			vn.Field(i).Set(vw.Field(i))
		}
	}
	return now
}
