package notice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"critreg/access"
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

// PendingSubmission compares the operator's list as it stands with its latest submission,
// reading both in one snapshot. It changes nothing.
func (s *Service) PendingSubmission(ctx context.Context, a access.Actor, operator string) (PendingList, error) {
	op, err := s.operatorFor(ctx, a, operator)
	if err != nil {
		return PendingList{}, err
	}
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
