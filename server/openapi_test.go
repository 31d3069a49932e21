package server_test

import (
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/sirupsen/logrus"

	"critreg/server"
	"critreg/store/storetest"
)

// TestOpenAPICoversEveryRoute fails when a route the server answers is missing from the
// OpenAPI document, or the document names a route the server does not answer.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	e.do("", "GET", "/api/v1/openapi.json", "", 200, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	db := storetest.Open(t, server.Schemas()...)
	log := logrus.New()
	log.SetOutput(io.Discard)
	ec := server.New(db, server.Config{Log: log}).Handler().(*echo.Echo)
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	served := map[string]bool{}
	for _, r := range ec.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		m := strings.ToLower(r.Method)
		served[m+" "+p] = true
		if _, ok := doc.Paths[p][m]; !ok {
			t.Errorf("route %s %s is missing from the OpenAPI document", r.Method, p)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !served[m+" "+p] {
				t.Errorf("the OpenAPI document names %s %s, which the server does not answer", m, p)
			}
		}
	}
	if !served["get /api/v1/items"] || !served["post /api/v1/items"] {
		t.Fatal("the route table lost the item routes")
	}
}

// TestOpenAPIDescribesUploadsAsMultipart checks that the import is documented as the
// multipart form it is, with its file part binary, and an ordinary write as JSON.
func TestOpenAPIDescribesUploadsAsMultipart(t *testing.T) {
	e := newEnv(t)
	type schema struct {
		Ref        string                                   `json:"$ref"`
		Properties map[string]struct{ Type, Format string } `json:"properties"`
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema schema `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]schema `json:"schemas"`
		} `json:"components"`
	}
	e.do("", "GET", "/api/v1/openapi.json", "", 200, &doc)
	upload, ok := doc.Paths["/api/v1/imports"]["post"].RequestBody.Content["multipart/form-data"]
	if !ok {
		t.Fatalf("POST /api/v1/imports body = %v, want multipart/form-data", doc.Paths["/api/v1/imports"]["post"].RequestBody.Content)
	}
	form := upload.Schema
	if name, ok := strings.CutPrefix(form.Ref, "#/components/schemas/"); ok {
		form = doc.Components.Schemas[name]
	}
	if f := form.Properties["file"]; f.Type != "string" || f.Format != "binary" {
		t.Errorf("import file part = %+v, want a binary string", f)
	}
	if _, ok := doc.Paths["/api/v1/items"]["post"].RequestBody.Content["application/json"]; !ok {
		t.Error("POST /api/v1/items body is not described as JSON")
	}
}
