package errkind

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// A not-found, forbidden or conflict error reads exactly as before it kept its format, and
// is still of its kind.
func TestKindErrorKeepsFormat(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		kind   error
		text   string
		format string
		args   []any
	}{
		{"NotFound", NotFound("item", 7), ErrNotFound, "item 7: not found", "%s %v", []any{"item", 7}},
		{"Conflict", Conflict("network %d still holds items", 3), ErrConflict, "network 3 still holds items: conflict", "network %d still holds items", []any{3}},
		{"Forbidden", Forbidden("read-only access"), ErrForbidden, "read-only access: forbidden", "read-only access", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.text {
				t.Errorf("%s.Error() = %q, want %q", tc.name, got, tc.text)
			}
			if !errors.Is(fmt.Errorf("context: %w", tc.err), tc.kind) {
				t.Errorf("errors.Is(wrapped %s, %v) = false, want true", tc.name, tc.kind)
			}
			var k *KindError
			if !errors.As(tc.err, &k) || k.Format != tc.format || !slices.Equal(k.Args, tc.args) {
				t.Errorf("%s = %#v, want format %q args %v", tc.name, k, tc.format, tc.args)
			}
		})
	}
}

// AddErr keeps the format of an Errorf error and records any other error by its text;
// AddField moves a problem under another name with its format.
func TestAddErrAndAddField(t *testing.T) {
	var v ValidationError
	v.AddErr("password", Errorf("must be at least %d characters", 12))
	v.AddErr("targets", fmt.Errorf("target %q: %w", "x", Errorf("no host")))
	v.AddErr("other", errors.New("plain"))
	v.AddField("statements[0].name", FieldError{Field: "name", Message: "is required", Format: "is required"})
	want := []FieldError{
		{Field: "password", Message: "must be at least 12 characters", Format: "must be at least %d characters", Args: []any{12}},
		{Field: "targets", Message: `target "x": no host`, Format: "%s", Args: []any{`target "x": no host`}},
		{Field: "other", Message: "plain", Format: "%s", Args: []any{"plain"}},
		{Field: "statements[0].name", Message: "is required", Format: "is required"},
	}
	if len(v.Fields) != len(want) {
		t.Fatalf("Fields = %v, want %v", v.Fields, want)
	}
	for i, f := range v.Fields {
		if f.Field != want[i].Field || f.Message != want[i].Message || f.Format != want[i].Format || !slices.Equal(f.Args, want[i].Args) {
			t.Errorf("Fields[%d] = %#v, want %#v", i, f, want[i])
		}
	}
}
