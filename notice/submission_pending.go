package notice

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
)

// PendingList is what submitting an operator's annex-7 list now would send: the next
// version number, the number of items, and the differences from the latest submission
// (every item added when there is none). The compliance officer confirms it before the
// binding submit.
type PendingList struct {
	Operator    string `json:"operator"`
	NextVersion int    `json:"next_version"`
	Items       int    `json:"items"`
	// Last is the latest submission, without its content; nil before the first.
	Last *ListSubmission `json:"last,omitempty"`
	// Diff compares Last with the list as it stands; its To receipt is empty.
	Diff ListDiff `json:"diff"`
}

// maxPendingChanges bounds the items logged as changed that PendingSubmission reads one by
// one; past it, reading the whole list at once is the cheaper way.
const maxPendingChanges = 5000

// pendingAttempts is how often PendingSubmission reads the changes again when the list
// changed while it read them, before it reads the whole list in one snapshot instead.
const pendingAttempts = 3

// PendingSubmission compares the operator's list as it stands with its latest submission.
// It changes nothing.
//
// When the latest submission is indexed, only the items changed since its snapshot are
// read (list_item_changes), and their submitted versions from the index: the other items
// are as it froze them. The items are read one by one, outside the snapshot in which the
// changes were; the reading is repeated when the change log moved meanwhile, so that the
// answer is one state of the list. Otherwise both lists are read whole in one snapshot.
func (s *Service) PendingSubmission(ctx context.Context, a access.Actor, operator string) (PendingList, error) {
	op, err := s.operatorFor(ctx, a, operator)
	if err != nil {
		return PendingList{}, err
	}
	for range pendingAttempts {
		out, got, err := s.pendingFromChanges(ctx, a, op)
		if err != nil || got == answered {
			return out, err
		}
		if got == notFromChanges {
			break
		}
	}
	return s.pendingWhole(ctx, a, op)
}

// changeState is where an operator's list stands: its latest submission and the last
// change logged for it.
type changeState struct {
	lastID, lastSeq int64
}

func (s *Service) changeState(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, operatorID int64) (changeState, error) {
	var st changeState
	err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT id FROM list_submissions WHERE operator_id = ? ORDER BY version DESC LIMIT 1), 0),
		coalesce((SELECT max(seq) FROM list_item_changes WHERE operator_id = ?), 0)`, operatorID, operatorID).Scan(&st.lastID, &st.lastSeq)
	if err != nil {
		return changeState{}, fmt.Errorf("read change state of operator %d: %w", operatorID, err)
	}
	return st, nil
}

// answer says whether pendingFromChanges answered.
type answer int

const (
	answered answer = iota
	// notFromChanges: no indexed submission to start from, or too many changes.
	notFromChanges
	// moved: the list changed, or was submitted, while the items were read.
	moved
)

// pendingFromChanges answers from the change log, when it can.
func (s *Service) pendingFromChanges(ctx context.Context, a access.Actor, op inventory.Operator) (PendingList, answer, error) {
	tx, err := s.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return PendingList{}, notFromChanges, fmt.Errorf("pending submission of %s: %w", op.Code, err)
	}
	defer tx.Rollback()
	last, err := scanSubmission(tx.QueryRowContext(ctx, `SELECT `+submissionColumns+submissionFrom+
		` WHERE s.operator_id = ? ORDER BY s.version DESC LIMIT 1`, op.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return PendingList{}, notFromChanges, nil
	}
	if err != nil {
		return PendingList{}, notFromChanges, fmt.Errorf("latest submission of %s: %w", op.Code, err)
	}
	index, mark, ok, err := submissionIndex(ctx, tx, last.ID)
	if err != nil || !ok {
		return PendingList{}, notFromChanges, err
	}
	state, err := s.changeState(ctx, tx, op.ID)
	if err != nil {
		return PendingList{}, notFromChanges, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT item_id FROM list_item_changes WHERE operator_id = ? AND seq > ? ORDER BY item_id`, op.ID, mark)
	if err != nil {
		return PendingList{}, notFromChanges, fmt.Errorf("items changed since list submission %d: %w", last.ID, err)
	}
	var changed []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return PendingList{}, notFromChanges, fmt.Errorf("items changed since list submission %d: %w", last.ID, err)
		}
		changed = append(changed, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return PendingList{}, notFromChanges, fmt.Errorf("items changed since list submission %d: %w", last.ID, err)
	}
	if len(changed) > maxPendingChanges {
		return PendingList{}, notFromChanges, nil
	}
	// The submitted versions of the changed items, and the items as they stand.
	var shas [][sha256.Size]byte
	for _, id := range changed {
		if e, ok := find(index, id); ok {
			shas = append(shas, e.sha)
		}
	}
	versions, err := itemVersions(ctx, tx, shas)
	if err != nil {
		return PendingList{}, notFromChanges, err
	}
	tx.Rollback()
	var before, now []ListItem
	for _, id := range changed {
		if e, ok := find(index, id); ok {
			before = append(before, versions[e.sha])
		}
		it, err := s.inv.Item(ctx, a, id)
		switch {
		case errors.Is(err, errkind.ErrNotFound):
		case err != nil:
			return PendingList{}, notFromChanges, err
		case it.OperatorID == op.ID:
			now = append(now, listItem(it))
		}
	}
	// Nothing was written to the list, and nothing submitted, while the items were read.
	again, err := s.changeState(ctx, s.db.Read, op.ID)
	if err != nil || again != state {
		return PendingList{}, moved, err
	}
	out := PendingList{Operator: op.Code, NextVersion: last.Version + 1, Last: &last,
		Diff: ListDiff{Operator: op.Code, From: last.Receipt}}
	out.Diff.Added, out.Diff.Removed, out.Diff.Changed = diffItems(before, now)
	out.Items = last.ItemCount + len(out.Diff.Added) - len(out.Diff.Removed)
	return out, answered, nil
}

// pendingWhole compares the whole list as it stands with the whole latest submission,
// reading both in one snapshot.
func (s *Service) pendingWhole(ctx context.Context, a access.Actor, op inventory.Operator) (PendingList, error) {
	tx, err := s.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return PendingList{}, fmt.Errorf("pending submission of %s: %w", op.Code, err)
	}
	defer tx.Rollback()
	out := PendingList{Operator: op.Code, NextVersion: 1, Diff: ListDiff{Operator: op.Code, Added: []ListItem{}, Removed: []ListItem{}, Changed: []ItemDiff{}}}
	var before ListDocument
	var content string
	last, err := scanSubmission(tx.QueryRowContext(ctx, `SELECT `+submissionColumns+`, s.content`+submissionFrom+
		` WHERE s.operator_id = ? ORDER BY s.version DESC LIMIT 1`, op.ID), &content)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return PendingList{}, fmt.Errorf("latest submission of %s: %w", op.Code, err)
	default:
		if err := json.Unmarshal([]byte(content), &before); err != nil {
			return PendingList{}, fmt.Errorf("read list submission %d: %w", last.ID, err)
		}
		out.Last, out.NextVersion, out.Diff.From = &last, last.Version+1, last.Receipt
	}
	items, err := s.inv.OperatorItemsTx(ctx, tx, a, op.ID)
	if err != nil {
		return PendingList{}, err
	}
	now := make([]ListItem, len(items))
	for i, it := range items {
		now[i] = listItem(it)
	}
	out.Items = len(now)
	out.Diff.Added, out.Diff.Removed, out.Diff.Changed = diffItems(before.Items, now)
	return out, nil
}

// diffItems compares two lists of items, each in id order: the items only in b (added),
// only in a (removed), and in both with the fields that differ.
func diffItems(a, b []ListItem) (added, removed []ListItem, changed []ItemDiff) {
	added, removed, changed = []ListItem{}, []ListItem{}, []ItemDiff{}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i].ID < b[j].ID):
			removed = append(removed, a[i])
			i++
		case i >= len(a) || b[j].ID < a[i].ID:
			added = append(added, b[j])
			j++
		default:
			if f := fieldChanges(a[i], b[j]); len(f) > 0 {
				changed = append(changed, ItemDiff{ID: a[i].ID, Fields: f})
			}
			i, j = i+1, j+1
		}
	}
	return added, removed, changed
}
