package errkind_test

import (
	"strings"
	"testing"

	"critreg/errkind"
)

func TestText(t *testing.T) {
	for _, c := range []struct {
		name, in, want, problem string
		required                bool
	}{
		{"trimmed", "  Cisco\u00a0", "Cisco", "", true},
		{"newline and tab kept", "a\n\tb", "a\n\tb", "", false},
		{"empty, optional", "   ", "", "", false},
		{"empty, required", "   ", "", "is required", true},
		{"too long", strings.Repeat("ā", 11), strings.Repeat("ā", 11), "is longer than 10 characters", false},
		{"ten letters fit", strings.Repeat("ā", 10), strings.Repeat("ā", 10), "", false},
		{"escape sequence", "ok\x1b[2J", "ok\x1b[2J", "contains control characters", false},
		{"delete", "a\x7fb", "a\x7fb", "contains control characters", false},
		{"carriage return", "a\rb", "a\rb", "contains control characters", false},
		{"not UTF-8", "a\xffb", "a\xffb", "is not valid UTF-8 text", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v errkind.ValidationError
			got := v.Text("name", c.in, 10, c.required)
			if got != c.want {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
			}
			switch {
			case c.problem == "" && len(v.Fields) != 0:
				t.Errorf("Text(%q) problems = %v, want none", c.in, v.Fields)
			case c.problem != "" && (len(v.Fields) != 1 || v.Fields[0].Field != "name" || v.Fields[0].Message != c.problem):
				t.Errorf("Text(%q) problems = %v, want name: %s", c.in, v.Fields, c.problem)
			}
		})
	}
}
