// Package frontend holds the web pages of critreg: html/template templates and static assets
// embedded in the binary, the Latvian and English messages, and the SVG charts drawn on the
// server. Every template is parsed when the server starts, so a broken template stops the
// start instead of failing a request.
package frontend

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Pages renders the web pages.
type Pages struct {
	pages map[string]*template.Template
	// Version is a digest of the static assets, appended to their URLs so that browsers
	// may cache them for good and still see a new release at once.
	Version string
}

// New parses every template. It fails on any template error.
func New() (*Pages, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &Pages{pages: map[string]*template.Template{}, Version: staticVersion()}
	funcs := template.FuncMap{
		"t":        T,
		"static":   func(name string) string { return "/static/" + name + "?v=" + p.Version },
		"date":     func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"when":     func(t time.Time) string { return t.In(riga).Format("2006-01-02 15:04") },
		"query":    query,
		"add":      func(a, b int) int { return a + b },
		"partname": partName,
		"join":     strings.Join,
		"dict":     dict,
		"upper":    strings.ToUpper,
		"percent": func(part, whole int) string {
			if whole == 0 {
				return "0"
			}
			return fmt.Sprintf("%.0f", 100*float64(part)/float64(whole))
		},
	}
	// The layout and the partials (files named _*.html) are shared by every page.
	base, err := template.New("base.html").Funcs(funcs).ParseFS(templateFiles, "templates/base.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("parse base template: %w", err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "base" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		p.pages[name] = t
	}
	return p, nil
}

// Render writes page name with data. It renders into a buffer first, so that a failing
// template never leaves half a page behind.
func (p *Pages) Render(w io.Writer, name string, data any) error {
	t, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Has reports whether a page exists.
func (p *Pages) Has(name string) bool { _, ok := p.pages[name]; return ok }

// Static returns the static assets (app.css, app.js), rooted at their folder.
func Static() fs.FS {
	sub, _ := fs.Sub(staticFiles, "static")
	return sub
}

func staticVersion() string {
	h := sha256.New()
	_ = fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := staticFiles.ReadFile(p)
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// query builds a query string from key, value pairs, leaving out empty values.
func query(kv ...any) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		s := fmt.Sprint(kv[i+1])
		if s != "" && s != "0" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// View is what every page gets: who is looking, in which language, and the page's own data.
type View struct {
	Lang   string
	Title  string
	Active string
	CSRF   string
	// Path is the current path and query, for the language switch.
	Path string
	User *Viewer
	Data any
}

// Viewer is the signed-in user as pages show them.
type Viewer struct {
	Login    string
	Role     string
	Operator string
}

// Is reports whether the viewer has one of the roles named.
func (v *Viewer) Is(roles ...string) bool {
	if v == nil {
		return false
	}
	for _, r := range roles {
		if v.Role == r {
			return true
		}
	}
	return false
}

// Other returns the other language, for the switch.
func (v View) Other() string {
	if v.Lang == "en" {
		return "lv"
	}
	return "en"
}

// SwitchURL is the current page in the other language.
func (v View) SwitchURL() string {
	sep := "?"
	if strings.Contains(v.Path, "?") {
		sep = "&"
	}
	return v.Path + sep + "lang=" + v.Other()
}

// dict builds a map from key, value pairs, to hand a partial template several values.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}
