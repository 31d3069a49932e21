package notice

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"critreg/access"
	"critreg/errkind"
)

// ListDiff is what changed between two versions of an operator's list.
type ListDiff struct {
	Operator string     `json:"operator"`
	From     Receipt    `json:"from"`
	To       Receipt    `json:"to"`
	Added    []ListItem `json:"added"`
	Removed  []ListItem `json:"removed"`
	Changed  []ItemDiff `json:"changed"`
}

// ItemDiff is one item present in both versions with the fields that differ.
type ItemDiff struct {
	ID     int64         `json:"id"`
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one field of an item, before and after.
type FieldChange struct {
	Field string `json:"field"`
	From  any    `json:"from"`
	To    any    `json:"to"`
}

// Diff compares list submission from with submission to, of the same operator: items
// added, removed, and changed field by field, in id order. Either order works: a diff
// from a newer to an older version shows the change undone.
func (s *Service) Diff(ctx context.Context, a access.Actor, from, to int64) (ListDiff, error) {
	a1, err := s.Submission(ctx, a, from)
	if err != nil {
		return ListDiff{}, err
	}
	a2, err := s.Submission(ctx, a, to)
	if err != nil {
		return ListDiff{}, err
	}
	if a1.OperatorID != a2.OperatorID {
		return ListDiff{}, errkind.Invalid("other", "submissions %d and %d are of different operators", from, to)
	}
	var d1, d2 ListDocument
	if err := json.Unmarshal(a1.Content, &d1); err != nil {
		return ListDiff{}, fmt.Errorf("read list submission %d: %w", from, err)
	}
	if err := json.Unmarshal(a2.Content, &d2); err != nil {
		return ListDiff{}, fmt.Errorf("read list submission %d: %w", to, err)
	}
	out := ListDiff{Operator: a1.Operator, From: a1.Receipt, To: a2.Receipt, Added: []ListItem{}, Removed: []ListItem{}, Changed: []ItemDiff{}}
	// Both lists are in id order: walk them side by side.
	i, j := 0, 0
	for i < len(d1.Items) || j < len(d2.Items) {
		switch {
		case j >= len(d2.Items) || (i < len(d1.Items) && d1.Items[i].ID < d2.Items[j].ID):
			out.Removed = append(out.Removed, d1.Items[i])
			i++
		case i >= len(d1.Items) || d2.Items[j].ID < d1.Items[i].ID:
			out.Added = append(out.Added, d2.Items[j])
			j++
		default:
			if f := fieldChanges(d1.Items[i], d2.Items[j]); len(f) > 0 {
				out.Changed = append(out.Changed, ItemDiff{ID: d1.Items[i].ID, Fields: f})
			}
			i, j = i+1, j+1
		}
	}
	return out, nil
}

// fieldChanges lists the fields of two versions of an item that differ, in the order of
// ListItem, named as in JSON.
func fieldChanges(a, b ListItem) []FieldChange {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	t := va.Type()
	var out []FieldChange
	for k := range t.NumField() {
		x, y := va.Field(k).Interface(), vb.Field(k).Interface()
		if x != y {
			name := t.Field(k).Tag.Get("json")
			out = append(out, FieldChange{Field: name, From: x, To: y})
		}
	}
	return out
}
