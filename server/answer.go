package server

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/inventory"
)

// The shapes most API handlers share: read the path's id or the page, call the domain
// service as the caller, answer with JSON. Domain errors go back unchanged for the error
// handler to map onto problems.

// answerByID answers with the object fn finds for a under the path's id.
func answerByID[T any](c echo.Context, a access.Actor, fn func(context.Context, access.Actor, int64) (T, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := fn(c.Request().Context(), a, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// answerPage answers with the page of a list that fn reads.
func answerPage[T any](c echo.Context, fn func(context.Context, inventory.Page) ([]T, int64, error)) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	vs, next, err := fn(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(vs, next))
}

// answerPageByID answers with the page of the list that fn reads for a under the path's id.
func answerPageByID[T any](c echo.Context, a access.Actor, fn func(context.Context, access.Actor, int64, inventory.Page) ([]T, int64, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return answerPage(c, func(ctx context.Context, p inventory.Page) ([]T, int64, error) { return fn(ctx, a, id, p) })
}

// answerCreated binds the request body into an In, creates the object with fn as a, and
// answers 201 with it.
func answerCreated[In, T any](s *Server, c echo.Context, a access.Actor, fn func(context.Context, access.Actor, In) (T, error)) error {
	var in In
	if err := s.bind(c, &in); err != nil {
		return err
	}
	v, err := fn(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}
