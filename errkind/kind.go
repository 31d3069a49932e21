package errkind

import (
	"errors"
	"fmt"
)

// KindError is a NotFound, Forbidden or Conflict error that keeps the English format and
// arguments its reason was made of, so that the web pages can give the reason in Latvian;
// its Error text is exactly what the API answers with.
type KindError struct {
	// Kind is ErrNotFound, ErrForbidden or ErrConflict.
	Kind   error
	Format string
	Args   []any
}

func (e *KindError) Error() string { return e.Reason() + ": " + e.Kind.Error() }

// Unwrap makes errors.Is(err, ErrConflict) and the like hold.
func (e *KindError) Unwrap() error { return e.Kind }

// Reason is the English reason without the kind appended.
func (e *KindError) Reason() string { return fmt.Sprintf(e.Format, e.Args...) }

// Bilingual is an argument of an error's format that carries its own Latvian, such as a
// reason a rule gives in both languages: its String is the English the API says, and the
// pages in Latvian put its Latvian in the Latvian format.
type Bilingual interface {
	fmt.Stringer
	Latvian() string
}

// Formatted is an error whose English message keeps its format and arguments, for the
// helpers that return an error a caller then records against a field (AddErr).
type Formatted struct {
	Format string
	Args   []any
}

func (e *Formatted) Error() string { return fmt.Sprintf(e.Format, e.Args...) }

// Errorf returns an error that keeps its format and arguments, so that a page can say it
// in Latvian once it becomes a field error through AddErr.
func Errorf(format string, a ...any) error { return &Formatted{Format: format, Args: a} }

// AddErr records err as a problem with field. Where err is a Formatted error (not wrapped
// in more words) its format carries over, so that the message stays translatable; any
// other error is recorded by its text.
func (e *ValidationError) AddErr(field string, err error) {
	var f *Formatted
	if errors.As(err, &f) && f.Error() == err.Error() {
		e.Add(field, f.Format, f.Args...)
		return
	}
	e.Fields = append(e.Fields, FieldError{Field: field, Message: err.Error(), Format: "%s", Args: []any{err.Error()}})
}

// AddField records fe again under another field name, keeping its format, as when the
// problems of one part of an input are reported under that part's path.
func (e *ValidationError) AddField(field string, fe FieldError) {
	fe.Field = field
	e.Fields = append(e.Fields, fe)
}
