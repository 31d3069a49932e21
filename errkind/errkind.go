// Package errkind holds the kinds of error every domain package returns, so that the server
// can map them to HTTP statuses in one place without the domain knowing about HTTP.
package errkind

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound: the object does not exist or the caller may not see it. The two are one
	// answer on purpose, so that another operator's objects cannot be inferred.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller sees the object but its role may not do this to it.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the change collides with the current state (a duplicate key, an object
	// still in use, a state transition that is not allowed now).
	ErrConflict = errors.New("conflict")
	// ErrUnauthenticated: no valid credentials.
	ErrUnauthenticated = errors.New("authentication required")
)

// NotFound wraps ErrNotFound with what was looked for.
func NotFound(what string, key any) error {
	return &KindError{Kind: ErrNotFound, Format: "%s %v", Args: []any{what, key}}
}

// Conflict wraps ErrConflict with a reason a person can act on.
func Conflict(format string, a ...any) error {
	return &KindError{Kind: ErrConflict, Format: format, Args: a}
}

// Forbidden wraps ErrForbidden with the reason.
func Forbidden(format string, a ...any) error {
	return &KindError{Kind: ErrForbidden, Format: format, Args: a}
}

// FieldError is one problem with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Format and Args are what Message was made of, so that the web pages can say the same
	// in Latvian from a catalog of formats; the API keeps answering with Message.
	Format string `json:"-"`
	Args   []any  `json:"-"`
}

// ValidationError lists every problem found in an input, not only the first.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a problem with field.
func (e *ValidationError) Add(field, format string, a ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, a...), Format: format, Args: a})
}

// Err returns e when it holds a problem and nil otherwise, so that callers can collect
// problems and finish with `return v.Err()`.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Invalid returns a ValidationError with a single field problem.
func Invalid(field, format string, a ...any) error {
	v := &ValidationError{}
	v.Add(field, format, a...)
	return v
}
