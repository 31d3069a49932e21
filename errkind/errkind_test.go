package errkind

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

// A field error keeps the format and arguments its message was made of, for the pages'
// translations, and the JSON the API answers with stays field and message only.
func TestFieldErrorKeepsFormat(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		format string
		args   []any
		msg    string
	}{
		{"Invalid", Invalid("operator", "no operator %q", "X"), "no operator %q", []any{"X"}, `no operator "X"`},
		{"no args", Invalid("title", "is required"), "is required", nil, "is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *ValidationError
			if !errors.As(tc.err, &v) || len(v.Fields) != 1 {
				t.Fatalf("%s = %v, want one field error", tc.name, tc.err)
			}
			f := v.Fields[0]
			if f.Format != tc.format || !slices.Equal(f.Args, tc.args) || f.Message != tc.msg {
				t.Errorf("%s = format %q args %v message %q, want %q %v %q", tc.name, f.Format, f.Args, f.Message, tc.format, tc.args, tc.msg)
			}
			b, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			if want := `{"field":"` + f.Field + `","message":` + string(mustJSON(t, tc.msg)) + `}`; string(b) != want {
				t.Errorf("json.Marshal(%s) = %s, want %s", tc.name, b, want)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
