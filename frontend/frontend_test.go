package frontend

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestNewParsesEveryPage(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatalf("New() = %v, want every template to parse", err)
	}
	names, _ := fs.Glob(templateFiles, "templates/*.html")
	for _, n := range names {
		name := strings.TrimSuffix(filepath.Base(n), ".html")
		if name == "base" || strings.HasPrefix(name, "_") {
			continue
		}
		if !p.Has(name) {
			t.Errorf("Has(%q) = false, want true", name)
		}
	}
}

// Every message a template or a page handler asks for exists in both languages, so that no
// page shows a bare key.
func TestMessagesComplete(t *testing.T) {
	keyRE := regexp.MustCompile(`\bt \$?[A-Za-z.]* ?"([a-z0-9_.]+)"|\btr\(lang, "([a-z0-9_.]+)"\)|frontend\.T\([A-Za-z.]+, "([a-z0-9_.]+)"\)`)
	var sources []string
	names, _ := fs.Glob(templateFiles, "templates/*.html")
	for _, n := range names {
		b, _ := templateFiles.ReadFile(n)
		sources = append(sources, string(b))
	}
	handlers, _ := filepath.Glob("../server/page_*.go")
	for _, n := range handlers {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	seen := 0
	for _, src := range sources {
		for _, m := range keyRE.FindAllStringSubmatch(src, -1) {
			key := m[1] + m[2] + m[3]
			seen++
			msg, ok := message(key)
			if !ok {
				t.Errorf("messages[%q] missing", key)
				continue
			}
			if msg[0] == "" || msg[1] == "" {
				t.Errorf("messages[%q] = %q, want both Latvian and English", key, msg)
			}
		}
	}
	if seen < 50 {
		t.Errorf("found %d message keys in templates and handlers, want many more: the pattern is stale", seen)
	}
}

func TestTFallsBack(t *testing.T) {
	for _, tc := range []struct{ lang, key, want string }{
		{"lv", "no.such.key", "no.such.key"},
		{"en", "no.such.key", "no.such.key"},
	} {
		if got := T(tc.lang, tc.key); got != tc.want {
			t.Errorf("T(%q, %q) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
}

// Charts are built as text, not through html/template, so they escape labels themselves.
func TestChartsEscapeLabels(t *testing.T) {
	hostile := `<script>alert(1)</script>"&`
	for name, svg := range map[string]string{
		"BarChart":       string(BarChart(hostile, []Bar{{Label: hostile, Value: 3, Class: hostile}})),
		"StackedBar":     string(StackedBar(hostile, []Segment{{Label: hostile, Value: 2}})),
		"OwnershipGraph": string(OwnershipGraph(hostile, []Node{{ID: 1, Label: hostile}, {ID: 2, Label: hostile, Level: 1}}, []Edge{{From: 1, To: 2, Label: hostile}})),
	} {
		if strings.Contains(svg, "<script>") || strings.Contains(svg, `)</script>"`) || !strings.Contains(svg, "&lt;script&gt;") {
			t.Errorf("%s(hostile) = %s, want the label escaped", name, svg)
		}
		if !strings.HasPrefix(svg, "<svg") || !strings.HasSuffix(svg, "</svg>") {
			t.Errorf("%s(hostile) is not one SVG element: %.80s…", name, svg)
		}
	}
}

func TestQuery(t *testing.T) {
	for _, tc := range []struct {
		kv   []any
		want string
	}{
		{nil, ""},
		{[]any{"q", "", "network_id", 0}, ""},
		{[]any{"q", "a b&c", "network_id", int64(3)}, "?network_id=3&q=a+b%26c"},
	} {
		if got := query(tc.kv...); got != tc.want {
			t.Errorf("query(%v) = %q, want %q", tc.kv, got, tc.want)
		}
	}
}

// TestCatalogsDisjoint keeps every message key in one catalog only, so that which text a
// page shows never depends on the order of the catalogs.
func TestCatalogsDisjoint(t *testing.T) {
	seen := map[string]int{}
	for i, c := range catalogs {
		for key := range c {
			if j, ok := seen[key]; ok {
				t.Errorf("message %q is in catalogs %d and %d", key, j, i)
			}
			seen[key] = i
		}
	}
}
