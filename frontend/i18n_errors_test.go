package frontend

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"critreg/errkind"
)

// notFoundPrefix marks, among domainFormats' answers, what errkind.NotFound was told was
// looked for.
const notFoundPrefix = "not found: "

// domainFormats walks the module's Go sources (tests and errkind itself left out) for the
// format strings of errors a page translates: errkind.Invalid(field, "format", …) and
// v.Add(field, "format", …) where v is an errkind.ValidationError, errkind.Conflict,
// errkind.Forbidden, errkind.Errorf and the server's pageProblem, and the nouns of errkind.NotFound. It returns each
// literal with where it was found.
func domainFormats(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || (strings.HasPrefix(n, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasPrefix(path, filepath.Join(root, "errkind")+string(filepath.Separator)) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		collectFormats(fset, f, out)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func isValidationType(e ast.Expr) bool {
	if st, ok := e.(*ast.StarExpr); ok {
		e = st.X
	}
	if cl, ok := e.(*ast.CompositeLit); ok {
		e = cl.Type
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "errkind" && sel.Sel.Name == "ValidationError"
}

func collectFormats(fset *token.FileSet, f *ast.File, out map[string]string) {
	// The names that hold a ValidationError in this file: v := &errkind.ValidationError{},
	// var v errkind.ValidationError, and parameters of that type.
	holders := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, r := range n.Rhs {
				if u, ok := r.(*ast.UnaryExpr); ok && u.Op == token.AND && isValidationType(u.X) && i < len(n.Lhs) {
					if id, ok := n.Lhs[i].(*ast.Ident); ok {
						holders[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			if n.Type != nil && isValidationType(n.Type) {
				for _, id := range n.Names {
					holders[id.Name] = true
				}
			}
		case *ast.Field:
			if isValidationType(n.Type) {
				for _, id := range n.Names {
					holders[id.Name] = true
				}
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		arg := 1
		switch {
		case x.Name == "errkind" && sel.Sel.Name == "Invalid", sel.Sel.Name == "Add" && holders[x.Name]:
		case x.Name == "errkind" && (sel.Sel.Name == "Conflict" || sel.Sel.Name == "Forbidden" || sel.Sel.Name == "Errorf"):
			arg = 0
		case sel.Sel.Name == "pageProblem":
			// The server's own problems: s.pageProblem(c, "format", …).
		case x.Name == "errkind" && sel.Sel.Name == "NotFound":
			// What was looked for is a noun of its own catalog, kept apart by a prefix.
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out[notFoundPrefix+s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		default:
			return true
		}
		if len(call.Args) <= arg {
			return true
		}
		lit, ok := call.Args[arg].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err == nil {
			out[s] = fset.Position(lit.Pos()).String()
		}
		return true
	})
}

// TestErrorCatalogComplete keeps the Latvian catalogs in step with the domain packages:
// every format literal they give errkind (field errors, conflicts, refusals, Errorf) must
// be in errorFormats and every noun they give errkind.NotFound in notFoundNouns.
func TestErrorCatalogComplete(t *testing.T) {
	found := domainFormats(t, "..")
	if len(found) < 40 {
		t.Fatalf("found %d field-error formats in the module, want many more: the walk is stale", len(found))
	}
	var missing []string
	for f, where := range found {
		if noun, ok := strings.CutPrefix(f, notFoundPrefix); ok {
			if _, ok := notFoundNouns[noun]; !ok {
				missing = append(missing, where+": not found "+strconv.Quote(noun))
			}
			continue
		}
		if _, ok := errorFormats[f]; !ok {
			missing = append(missing, where+": "+strconv.Quote(f))
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("errorFormats has no Latvian for %s", m)
	}
}

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// TestErrorCatalogVerbs: a Latvian format takes the same arguments as its English one.
func TestErrorCatalogVerbs(t *testing.T) {
	strip := func(s string) []string {
		var out []string
		for _, v := range verbRE.FindAllString(s, -1) {
			out = append(out, regexp.MustCompile(`\[\d+\]`).ReplaceAllString(v, ""))
		}
		slices.Sort(out)
		return out
	}
	for en, lv := range errorFormats {
		if lv == "" {
			t.Errorf("errorFormats[%q] is empty", en)
			continue
		}
		if got, want := strip(lv), strip(en); !slices.Equal(got, want) {
			t.Errorf("errorFormats[%q] = %q takes %v, want %v", en, lv, got, want)
		}
	}
}

func TestFieldErrorText(t *testing.T) {
	known := errkind.FieldError{Field: "title", Message: "is required", Format: "is required"}
	withArgs := errkind.FieldError{Field: "operator", Message: `no operator "X"`, Format: "no operator %q", Args: []any{"X"}}
	unknown := errkind.FieldError{Field: "x", Message: "something new", Format: "something new"}
	bare := errkind.FieldError{Field: "x", Message: "made by hand"}
	for _, tc := range []struct {
		lang string
		fe   errkind.FieldError
		want string
	}{
		{"lv", known, "ir obligāts"},
		{"en", known, "is required"},
		{"lv", withArgs, `nav operatora "X"`},
		{"en", withArgs, `no operator "X"`},
		{"lv", unknown, "something new"},
		{"lv", bare, "made by hand"},
	} {
		if got := FieldErrorText(tc.lang, tc.fe); got != tc.want {
			t.Errorf("FieldErrorText(%q, %q) = %q, want %q", tc.lang, tc.fe.Format, got, tc.want)
		}
	}
}

// bilingual is a reason given in both languages, as inventory.Text is.
type bilingual struct{ en, lv string }

func (b bilingual) String() string  { return b.en }
func (b bilingual) Latvian() string { return b.lv }

func TestErrorText(t *testing.T) {
	conflict := errkind.Conflict("network %d still holds items", 7)
	reason := bilingual{en: "a bureau opinion prohibits it", lv: "biroja atzinums to aizliedz"}
	refused := errkind.Conflict("line %d of notice %d cannot be carried out: %s", 2, 9, reason)
	wrapped := fmt.Errorf("remove network: %w", conflict)
	for _, tc := range []struct {
		name, lang string
		err        error
		want       string
	}{
		{"conflict lv", "lv", conflict, "tīklā 7 vēl ir ieraksti"},
		{"conflict en", "en", conflict, "network 7 still holds items: conflict"},
		{"wrapped lv", "lv", wrapped, "tīklā 7 vēl ir ieraksti"},
		{"wrapped en", "en", wrapped, "remove network: network 7 still holds items: conflict"},
		{"forbidden lv", "lv", errkind.Forbidden("read-only access"), "tikai lasīšanas piekļuve"},
		{"not found lv", "lv", errkind.NotFound("item", 5), "nav atrasts: ieraksts 5"},
		{"not found en", "en", errkind.NotFound("item", 5), "item 5: not found"},
		{"not found unknown noun", "lv", errkind.NotFound("gizmo", 5), "gizmo 5: not found"},
		{"validation lv", "lv", errkind.Invalid("title", "is required"), "title: ir obligāts"},
		{"validation en", "en", errkind.Invalid("title", "is required"), "title: is required"},
		{"plain", "lv", errors.New("disk full"), "disk full"},
		{"bilingual reason lv", "lv", errkind.Invalid("lines[0].new", "%s", reason), "lines[0].new: biroja atzinums to aizliedz"},
		{"bilingual reason en", "en", errkind.Invalid("lines[0].new", "%s", reason), "lines[0].new: a bureau opinion prohibits it"},
		{"bilingual conflict lv", "lv", refused, "paziņojuma 9 rindu 2 nevar izpildīt: biroja atzinums to aizliedz"},
		{"nested lv", "lv", errkind.Invalid("targets", "target %q: %s", "10.0.0.1/8", errkind.Errorf("host bits set; did you mean %s?", "10.0.0.0/8")),
			`targets: mērķis "10.0.0.1/8": iestatīti resursdatora biti; vai domājāt 10.0.0.0/8?`},
		{"bilingual conflict en", "en", refused, "line 2 of notice 9 cannot be carried out: a bureau opinion prohibits it: conflict"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErrorText(tc.lang, tc.err); got != tc.want {
				t.Errorf("ErrorText(%q, %v) = %q, want %q", tc.lang, tc.err, got, tc.want)
			}
		})
	}
}
