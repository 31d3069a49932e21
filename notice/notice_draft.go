package notice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// maxLines bounds a notice: a rebuild of a whole network is a few hundred lines, and a
// bigger notice is better split.
const maxLines = 1000

// CreateNotice drafts a notice. The operator's own users draft; the exemption check and
// the point-64 status run on every line and are kept with it, exempt lines included.
func (s *Service) CreateNotice(ctx context.Context, a access.Actor, in NoticeInput) (Notice, error) {
	op, err := s.operatorFor(ctx, a, in.Operator)
	if err != nil {
		return Notice{}, err
	}
	if !a.KeepsInventory(op.ID) {
		return Notice{}, errkind.Forbidden("only the operator's own users draft its notices")
	}
	lines, title, err := s.evaluateAll(ctx, a, op, in, nil)
	if err != nil {
		return Notice{}, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now().UTC().Format(timeFormat)
		res, err := tx.ExecContext(ctx, `INSERT INTO notices (operator_id, title, state, planned_start, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, op.ID, title, StateDraft, plannedStart(lines), a.Login, now, now)
		if err != nil {
			return fmt.Errorf("insert notice: %w", err)
		}
		id, _ = res.LastInsertId()
		if err := writeLines(ctx, tx, id, lines); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, id, "create", "", StateDraft, "", ""); err != nil {
			return err
		}
		n, err := s.noticeTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "notice.create", ObjectType: "notice", ObjectID: fmt.Sprint(id), OperatorID: op.ID, After: n})
	})
	if err != nil {
		return Notice{}, err
	}
	return s.Notice(ctx, a, id)
}

// UpdateNotice replaces a notice's title and lines while it is a draft, or while the
// bureau waits for more information.
func (s *Service) UpdateNotice(ctx context.Context, a access.Actor, id int64, in NoticeInput) (Notice, error) {
	before, err := s.Notice(ctx, a, id)
	if err != nil {
		return Notice{}, err
	}
	if !a.KeepsInventory(before.OperatorID) {
		return Notice{}, errkind.Forbidden("only the operator's own users change its notices")
	}
	if before.State != StateDraft && before.State != StateInformationRequested {
		return Notice{}, errkind.Conflict("notice %d is %s: only a draft, or a notice the bureau asked more information about, can be changed", id, before.State)
	}
	op, err := s.inv.OperatorByID(ctx, a, before.OperatorID)
	if err != nil {
		return Notice{}, err
	}
	if in.Operator != "" && !strings.EqualFold(in.Operator, op.Code) {
		return Notice{}, errkind.Invalid("operator", "a notice stays with its operator (%s)", op.Code)
	}
	for _, ln := range before.Lines {
		if ln.DoneAt != "" {
			return Notice{}, errkind.Conflict("line %d of notice %d was carried out: its lines can no longer be changed; file a new notice", ln.No, id)
		}
	}
	lines, title, err := s.evaluateAll(ctx, a, op, in, nil)
	if err != nil {
		return Notice{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notices SET title = ?, planned_start = ?, updated_at = ? WHERE id = ? AND state = ?`,
			title, plannedStart(lines), s.now().UTC().Format(timeFormat), id, before.State)
		if err != nil {
			return fmt.Errorf("update notice %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return errkind.Conflict("notice %d changed state meanwhile", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM notice_lines WHERE notice_id = ?`, id); err != nil {
			return fmt.Errorf("update notice %d: %w", id, err)
		}
		if err := writeLines(ctx, tx, id, lines); err != nil {
			return err
		}
		after, err := s.noticeTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "notice.update", ObjectType: "notice", ObjectID: fmt.Sprint(id), OperatorID: op.ID, Before: before, After: after})
	})
	if err != nil {
		return Notice{}, err
	}
	return s.Notice(ctx, a, id)
}

// evaluateAll checks a notice's title and every line, reporting the problems of all lines
// at once. Lines of prev already carried out are kept as they are: what was done is not
// judged again.
func (s *Service) evaluateAll(ctx context.Context, a access.Actor, op inventory.Operator, in NoticeInput, prev []Line) ([]Line, string, error) {
	v := &errkind.ValidationError{}
	title := strings.TrimSpace(in.Title)
	if !utf8.ValidString(title) || utf8.RuneCountInString(title) > 200 || strings.ContainsFunc(title, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		v.Add("title", "must be one line of at most 200 characters")
	}
	switch {
	case len(in.Lines) == 0:
		v.Add("lines", "a notice needs at least one line")
	case len(in.Lines) > maxLines:
		v.Add("lines", "a notice holds at most %d lines", maxLines)
		return nil, "", v
	}
	lines := make([]Line, 0, len(in.Lines))
	for i, li := range in.Lines {
		if i < len(prev) && prev[i].DoneAt != "" {
			lines = append(lines, prev[i])
			continue
		}
		field := fmt.Sprintf("lines[%d].", i)
		if _, ok := parseDate(li.PlannedStart); !ok {
			v.Add(field+"planned_start", "%q is not a date in the form YYYY-MM-DD", li.PlannedStart)
		}
		ev, err := s.evaluate(ctx, a, op, li, field, s.now())
		var ve *errkind.ValidationError
		if errors.As(err, &ve) {
			v.Fields = append(v.Fields, ve.Fields...)
			continue
		}
		if err != nil {
			return nil, "", err
		}
		lines = append(lines, lineOf(i+1, ev))
	}
	return lines, title, v.Err()
}

func lineOf(no int, ev evaluated) Line {
	ln := Line{No: no, Change: ev.Change, CurrentItemID: ev.CurrentItemID, Current: ev.Current, New: ev.New, NetworkID: ev.NetworkID,
		CriticalPart: ev.CriticalPart, PlannedStart: ev.PlannedStart, SimilarFunctions: ev.SimilarFunctions, Exemption: ev.Exemption, Point64: ev.Point64}
	ln.Warnings = point64Warnings(ln)
	ln.Refusals = refusals(ln)
	return ln
}

// point64Warnings are the point-64 findings that let a line through: an item prohibited
// only from a later date (a legacy network before 2030-01-01, point 123; an opinion not
// yet in effect), or one under a restriction.
func point64Warnings(ln Line) []inventory.Text {
	out := []inventory.Text{}
	p := ln.Point64
	switch {
	case p == nil:
	case p.Status == StatusProhibited && p.BindsFrom != "" && ln.PlannedStart < p.BindsFrom:
		out = append(out, inventory.Text{
			LV: fmt.Sprintf("64. punkts aizliedz šo ierakstu kritiskajās daļās no %s (tīklam piemēro 123. punktu vai atzinums vēl nav stājies spēkā): tagad to var ieviest, bet līdz %s tam jābūt izņemtam.", p.BindsFrom, p.BindsFrom),
			EN: fmt.Sprintf("Point 64 prohibits this item in critical parts from %s (the network falls under point 123, or the opinion is not yet in effect): it may go in now, but must be out by %s.", p.BindsFrom, p.BindsFrom),
		})
	case p.Status == StatusRestricted:
		out = append(out, inventory.Text{
			LV: "Biroja atzinums ierobežo šī ieraksta izmantošanu (66.3. punkts); pārbaudiet ierobežojuma nosacījumus.",
			EN: "A bureau opinion restricts the use of this item (point 66.3); check the terms of the restriction.",
		})
	}
	return out
}

// refusals are what stops a line from being submitted: an item point 64 prohibits on the
// day the change is to start.
func refusals(ln Line) []inventory.Text {
	out := []inventory.Text{}
	p := ln.Point64
	if p == nil || p.Status != StatusProhibited || (p.BindsFrom != "" && ln.PlannedStart < p.BindsFrom) {
		return out
	}
	refs := strings.Join(p.Opinions, ", ")
	if refs == "" {
		refs = "?"
	}
	return append(out, inventory.Text{
		LV: fmt.Sprintf("64. punkts aizliedz šo ierakstu izmantot kritiskajās daļās (atzinums %s); rindu nevar iesniegt.", refs),
		EN: fmt.Sprintf("Point 64 prohibits this item in critical parts (opinion %s); the line cannot be submitted.", refs),
	})
}

// plannedStart is the earliest planned start of the lines, by which the bureau's queue is
// ordered.
func plannedStart(lines []Line) string {
	first := ""
	for _, ln := range lines {
		if first == "" || ln.PlannedStart < first {
			first = ln.PlannedStart
		}
	}
	return first
}

func writeLines(ctx context.Context, tx *sql.Tx, id int64, lines []Line) error {
	for _, ln := range lines {
		var cur any
		if ln.Current != nil {
			b, err := json.Marshal(ln.Current)
			if err != nil {
				return fmt.Errorf("notice %d line %d: %w", id, ln.No, err)
			}
			cur = string(b)
		}
		newItem, err1 := json.Marshal(ln.New)
		exemption, err2 := json.Marshal(ln.Exemption)
		p64, err3 := json.Marshal(ln.Point64)
		warnings, err4 := json.Marshal(ln.Warnings)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return fmt.Errorf("notice %d line %d: %w", id, ln.No, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_lines (notice_id, line_no, change, current_item_id, current_item, new_item,
			network_id, critical_part, planned_start, similar_functions, exemption, point64, warnings, done_at, done_by, result_item_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, ln.No, ln.Change, ln.CurrentItemID, cur, string(newItem), ln.NetworkID, ln.CriticalPart, ln.PlannedStart,
			ln.SimilarFunctions, string(exemption), string(p64), string(warnings), ln.DoneAt, ln.DoneBy, ln.ResultItemID); err != nil {
			return fmt.Errorf("store notice %d line %d: %w", id, ln.No, err)
		}
	}
	return nil
}

// event records one step of a notice's history.
func (s *Service) event(ctx context.Context, tx *sql.Tx, a access.Actor, id int64, action string, from, to State, opinion, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notice_events (notice_id, at, action, from_state, to_state, user_id, login, role, opinion, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, s.now().UTC().Format(timeFormat), action, from, to, a.UserID, a.Login, a.Role, opinion, note)
	if err != nil {
		return fmt.Errorf("record %s of notice %d: %w", action, id, err)
	}
	return nil
}
