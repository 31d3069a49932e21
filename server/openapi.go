package server

import (
	"encoding"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// openAPI serves the OpenAPI 3 document, built once from the route table so that the
// document and the routes cannot drift apart.
func (s *Server) openAPI(c echo.Context) error {
	return c.JSONBlob(http.StatusOK, s.openAPIDoc())
}

var pathParamRE = regexp.MustCompile(`:([A-Za-z_]+)`)

func (s *Server) openAPIDoc() []byte {
	s.docOnce.Do(func() {
		s.doc, _ = json.MarshalIndent(buildOpenAPI(s.routes()), "", " ")
	})
	return s.doc
}

type docState struct {
	docOnce sync.Once
	doc     []byte
}

func buildOpenAPI(routes []route) map[string]any {
	schemas := map[string]any{}
	g := &schemaGen{schemas: schemas}
	paths := map[string]map[string]any{}
	for _, r := range routes {
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" {
			continue
		}
		p := pathParamRE.ReplaceAllString(r.Path, "{$1}")
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{"summary": r.Summary, "tags": []string{r.Tag}, "operationId": operationID(r)}
		var params []any
		for _, m := range pathParamRE.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		q := r.Query
		if r.List {
			q = append(append([]string(nil), q...), "limit", "cursor")
		}
		for _, name := range q {
			params = append(params, map[string]any{"name": name, "in": "query", "required": false, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.Request != nil {
			// An upload is a multipart form whose file part is binary; every other body is JSON.
			mediaType := "application/json"
			if r.Upload {
				mediaType = "multipart/form-data"
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				mediaType: map[string]any{"schema": g.schema(reflect.TypeOf(r.Request))}}}
		}
		status := r.Status
		if status == 0 {
			status = http.StatusOK
		}
		resp := map[string]any{"description": http.StatusText(status)}
		switch {
		case r.Produces != "":
			resp["content"] = map[string]any{r.Produces: map[string]any{}}
		case r.Response != nil:
			sch := g.schema(reflect.TypeOf(r.Response))
			if r.List {
				sch = map[string]any{"type": "object", "required": []string{"items"}, "properties": map[string]any{
					"items": map[string]any{"type": "array", "items": sch}, "next_cursor": map[string]any{"type": "string"}}}
			}
			resp["content"] = map[string]any{"application/json": map[string]any{"schema": sch}}
		}
		responses := map[string]any{strconv.Itoa(status): resp, "default": map[string]any{"$ref": "#/components/responses/Problem"}}
		op["responses"] = responses
		if !r.Public {
			op["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		paths[p][strings.ToLower(r.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "critreg API", "version": "1",
			"description": "The registry of critical parts of public electronic communications networks, their equipment, software and outsourcing, and the vetting of their suppliers."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
			"responses": map[string]any{"Problem": map[string]any{"description": "RFC 9457 problem details",
				"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"type": "object",
					"properties": map[string]any{"type": str(), "title": str(), "status": map[string]any{"type": "integer"}, "detail": str(),
						"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object",
							"properties": map[string]any{"field": str(), "message": str()}}}}}}}}},
		},
	}
}

func str() map[string]any { return map[string]any{"type": "string"} }

func operationID(r route) string {
	p := strings.NewReplacer("/api/v1/", "", "/", "_", ":", "by_", "-", "_", ".", "_").Replace(r.Path)
	return strings.ToLower(r.Method) + "_" + p
}

// schemaGen describes Go types as OpenAPI schemas, named structs as components.
type schemaGen struct {
	schemas map[string]any
}

var timeType = reflect.TypeOf(time.Time{})
var rawType = reflect.TypeOf(json.RawMessage{})

// textType is implemented by values JSON writes as strings (a redacted secret).
var textType = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{}
	case t.Kind() == reflect.Struct && t.Implements(textType):
		return str()
	}
	switch t.Kind() {
	case reflect.String:
		return str()
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := t.Name()
		if name == "" {
			return g.object(t)
		}
		if _, ok := g.schemas[name]; !ok {
			g.schemas[name] = map[string]any{} // reserve against recursion
			g.schemas[name] = g.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if inner, ok := g.object(f.Type)["properties"].(map[string]any); ok {
				for k, v := range inner {
					props[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
		// A field tagged format:"binary" is a file part of a multipart form.
		if format := f.Tag.Get("format"); format != "" {
			props[name] = map[string]any{"type": "string", "format": format}
		}
	}
	return map[string]any{"type": "object", "properties": props}
}
