package server

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"critreg/errkind"
	"critreg/inventory"
)

// bind decodes a JSON body into v strictly: the right content type, one JSON object, no
// unknown fields, the right types, and no more bytes than the server accepts.
func (s *Server) bind(c echo.Context, v any) error {
	ct, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if ct != echo.MIMEApplicationJSON {
		return &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "send the body as application/json"}
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, s.cfg.MaxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return newBadRequest("the body must hold exactly one JSON object")
	}
	return nil
}

// decodeError explains a JSON decoding failure in terms of the request's fields.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &echo.HTTPError{Code: http.StatusRequestEntityTooLarge}
	case errors.As(err, &syntax):
		return newBadRequest(fmt.Sprintf("malformed JSON at byte %d", syntax.Offset))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return newBadRequest("the body must be a JSON object")
		}
		return newBadRequest("a field has the wrong type", errkind.FieldError{Field: field, Message: "must be " + jsonTypeName(typ.Type.Kind().String())})
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return newBadRequest("the body is empty or cut short")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return newBadRequest("the body has a field this endpoint does not know", errkind.FieldError{Field: name, Message: "unknown field"})
	}
	return newBadRequest("the body is not valid JSON")
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number"
	case "float32", "float64":
		return "a number"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "of another type"
}

// writeJSON encodes v. HTML characters stay escaped (\u003c) so that a hostile string
// in a JSON answer cannot become markup if a browser is tricked into rendering it.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// list is the answer of every list endpoint.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func newList[T any](items []T, next int64) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, NextCursor: encodeCursor(next)}
}

// Cursors are opaque to clients; inside they hold the last id of the page.
func encodeCursor(id int64) string {
	if id == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && strings.HasPrefix(string(b), "id:") {
		id, err := strconv.ParseInt(string(b[3:]), 10, 64)
		if err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, newBadRequest("the cursor is not one this server gave", errkind.FieldError{Field: "cursor", Message: "invalid cursor"})
}

// page reads ?limit= and ?cursor=.
func page(c echo.Context) (inventory.Page, error) {
	p := inventory.Page{Limit: inventory.DefaultLimit}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > inventory.MaxLimit {
			return p, newBadRequest("limit out of range", errkind.FieldError{Field: "limit", Message: fmt.Sprintf("must be a whole number from 1 to %d", inventory.MaxLimit)})
		}
		p.Limit = n
	}
	after, err := decodeCursor(c.QueryParam("cursor"))
	p.After = after
	return p, err
}

// pathID reads a numeric path parameter; anything else is not found.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errkind.NotFound(name, c.Param(name))
	}
	return id, nil
}

// queryID reads an optional numeric query parameter.
func queryID(c echo.Context, name string) (int64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, newBadRequest("bad query parameter", errkind.FieldError{Field: name, Message: "must be a positive whole number"})
	}
	return id, nil
}
