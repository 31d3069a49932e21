package frontend

import (
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

// domainFormats walks the module's Go sources (tests left out) for the format strings of
// field errors: errkind.Invalid(field, "format", …) and v.Add(field, "format", …) where v is
// an errkind.ValidationError. It returns each literal with where it was found.
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
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
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
		if !ok || len(call.Args) < 2 {
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
		if !(x.Name == "errkind" && sel.Sel.Name == "Invalid") && !(sel.Sel.Name == "Add" && holders[x.Name]) {
			return true
		}
		lit, ok := call.Args[1].(*ast.BasicLit)
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

// TestErrorCatalogComplete keeps the Latvian catalog of field-error formats in step with
// the domain packages: every format literal they give errkind must be in it.
func TestErrorCatalogComplete(t *testing.T) {
	found := domainFormats(t, "..")
	if len(found) < 40 {
		t.Fatalf("found %d field-error formats in the module, want many more: the walk is stale", len(found))
	}
	var missing []string
	for f, where := range found {
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
