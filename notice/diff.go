package notice

import (
	"context"
	"crypto/sha256"
	"database/sql"
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
//
// Indexed submissions are compared by their indexes: an item whose frozen JSON has the
// same SHA-256 in both is the same, and only the others are read and compared field by
// field. Submissions made before indexing are decoded whole.
func (s *Service) Diff(ctx context.Context, a access.Actor, from, to int64) (ListDiff, error) {
	a1, err := s.submissionHead(ctx, a, from)
	if err != nil {
		return ListDiff{}, err
	}
	a2, err := s.submissionHead(ctx, a, to)
	if err != nil {
		return ListDiff{}, err
	}
	if a1.OperatorID != a2.OperatorID {
		return ListDiff{}, errkind.Invalid("other", "submissions %d and %d are of different operators", from, to)
	}
	out := ListDiff{Operator: a1.Operator, From: a1.Receipt, To: a2.Receipt}
	i1, _, ok1, err := submissionIndex(ctx, s.db.Read, from)
	if err != nil {
		return ListDiff{}, err
	}
	i2, _, ok2, err := submissionIndex(ctx, s.db.Read, to)
	if err != nil {
		return ListDiff{}, err
	}
	var d1, d2 []ListItem
	if ok1 && ok2 {
		d1, d2, err = differingItems(ctx, s.db.Read, i1, i2)
	} else {
		d1, d2, err = s.wholeItems(ctx, a, from, to)
	}
	if err != nil {
		return ListDiff{}, err
	}
	out.Added, out.Removed, out.Changed = diffItems(d1, d2)
	return out, nil
}

// differingItems reads, of two indexed submissions, the items whose frozen JSON is not
// the same in both, each list in id order.
func differingItems(ctx context.Context, db *sql.DB, i1, i2 []indexEntry) ([]ListItem, []ListItem, error) {
	var x1, x2 []indexEntry
	i, j := 0, 0
	for i < len(i1) || j < len(i2) {
		switch {
		case j >= len(i2) || (i < len(i1) && i1[i].id < i2[j].id):
			x1 = append(x1, i1[i])
			i++
		case i >= len(i1) || i2[j].id < i1[i].id:
			x2 = append(x2, i2[j])
			j++
		default:
			if i1[i].sha != i2[j].sha {
				x1, x2 = append(x1, i1[i]), append(x2, i2[j])
			}
			i, j = i+1, j+1
		}
	}
	shas := make([][sha256.Size]byte, 0, len(x1)+len(x2))
	for _, es := range [][]indexEntry{x1, x2} {
		for _, e := range es {
			shas = append(shas, e.sha)
		}
	}
	versions, err := itemVersions(ctx, db, shas)
	if err != nil {
		return nil, nil, err
	}
	items := func(es []indexEntry) []ListItem {
		out := make([]ListItem, len(es))
		for k, e := range es {
			out[k] = versions[e.sha]
		}
		return out
	}
	return items(x1), items(x2), nil
}

// wholeItems decodes the whole content of two submissions.
func (s *Service) wholeItems(ctx context.Context, a access.Actor, from, to int64) ([]ListItem, []ListItem, error) {
	var docs [2]ListDocument
	for k, id := range []int64{from, to} {
		sub, err := s.Submission(ctx, a, id)
		if err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal(sub.Content, &docs[k]); err != nil {
			return nil, nil, fmt.Errorf("read list submission %d: %w", id, err)
		}
	}
	return docs[0].Items, docs[1].Items, nil
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
