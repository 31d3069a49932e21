package server

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/errkind"
	"critreg/inventory"
)

// Names of the body types as the OpenAPI document shows them.
type (
	operator   = inventory.Operator
	operatorIn = inventory.OperatorInput
	network    = inventory.Network
	networkIn  = inventory.NetworkInput
	item       = inventory.Item
	itemIn     = inventory.ItemInput
	supplier   = inventory.Supplier
	supplierIn = inventory.SupplierInput
	critPart   = inventory.CriticalPart
	partIn     = inventory.PartInput
)

type health struct {
	Status string `json:"status"`
	Uptime string `json:"uptime"`
}

func (s *Server) healthz(c echo.Context) error {
	if err := s.db.Read.PingContext(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, health{Status: "database unavailable"})
	}
	return c.JSON(http.StatusOK, health{Status: "ok", Uptime: time.Since(s.started).Round(time.Second).String()})
}

func (s *Server) listCriticalParts(c echo.Context) error {
	nid, err := queryID(c, "network_id")
	if err != nil {
		return err
	}
	parts, err := s.inv.CriticalParts(c.Request().Context(), actor(c), nid)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(parts, 0))
}

func (s *Server) declarePart(c echo.Context) error {
	nid, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in partIn
	if err := s.bind(c, &in); err != nil {
		return err
	}
	p, err := s.inv.DeclarePart(c.Request().Context(), actor(c), nid, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

func (s *Server) withdrawPart(c echo.Context) error {
	nid, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.inv.WithdrawPart(c.Request().Context(), actor(c), nid, c.Param("code")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listOperators(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	ops, next, err := s.inv.Operators(c.Request().Context(), actor(c), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(ops, next))
}

func (s *Server) createOperator(c echo.Context) error {
	var in operatorIn
	if err := s.bind(c, &in); err != nil {
		return err
	}
	o, err := s.inv.CreateOperator(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, o)
}

func (s *Server) getOperator(c echo.Context) error {
	o, err := s.inv.Operator(c.Request().Context(), actor(c), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

func (s *Server) updateOperator(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	o, err := s.inv.Operator(ctx, a, c.Param("code"))
	if err != nil {
		return err
	}
	in := operatorIn{Code: o.Code, Name: o.Name, RegistrationNo: o.RegistrationNo, Contact: o.Contact}
	if err := s.bind(c, &in); err != nil {
		return err
	}
	if in.Code != o.Code {
		return errkind.Invalid("code", "an operator's code never changes")
	}
	o, err = s.inv.UpdateOperator(ctx, a, o.Code, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

func (s *Server) deleteOperator(c echo.Context) error {
	if err := s.inv.DeleteOperator(c.Request().Context(), actor(c), c.Param("code")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listNetworks(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	ns, next, err := s.inv.Networks(c.Request().Context(), actor(c), inventory.NetworkFilter{Operator: c.QueryParam("operator")}, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(ns, next))
}

func (s *Server) createNetwork(c echo.Context) error {
	var in networkIn
	if err := s.bind(c, &in); err != nil {
		return err
	}
	n, err := s.inv.CreateNetwork(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, n)
}

func (s *Server) getNetwork(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.inv.Network(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (s *Server) updateNetwork(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.inv.Network(ctx, a, id)
	if err != nil {
		return err
	}
	in := networkIn{Operator: n.Operator, Name: n.Name, Technology: n.Technology, Legacy: n.Legacy, Description: n.Description}
	if err := s.bind(c, &in); err != nil {
		return err
	}
	n, err = s.inv.UpdateNetwork(ctx, a, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (s *Server) deleteNetwork(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.inv.DeleteNetwork(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listItems(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	f := inventory.ItemFilter{Operator: c.QueryParam("operator"), CriticalPart: c.QueryParam("critical_part"), Kind: inventory.Kind(c.QueryParam("kind")), Q: c.QueryParam("q")}
	if f.NetworkID, err = queryID(c, "network_id"); err != nil {
		return err
	}
	if f.SupplierID, err = queryID(c, "supplier_id"); err != nil {
		return err
	}
	if len(f.Q) > 200 {
		return newBadRequest("search too long", errkind.FieldError{Field: "q", Message: "must be at most 200 characters"})
	}
	lp := itemLists.Get().(*itemList)
	defer lp.release()
	items, next, err := s.inv.AppendItems(c.Request().Context(), actor(c), f, p, lp.items[:0])
	lp.items = items
	if err != nil {
		return err
	}
	return lp.write(c, next)
}

// itemList is what answering a list of items needs besides the items' own text: the slice
// they are read into and the buffer they are written into. Both are recycled, so that the
// busiest answer allocates little more than the rows' text.
type itemList struct {
	items []inventory.Item
	buf   []byte
}

// itemLists recycles itemList values.
var itemLists = sync.Pool{New: func() any { return &itemList{items: make([]inventory.Item, 0, 128), buf: make([]byte, 0, 64<<10)} }}

// release returns l to itemLists, without the items' text, unless a page of a thousand
// items made it too big to keep.
func (l *itemList) release() {
	if cap(l.items) > 256 || cap(l.buf) > 256<<10 {
		return
	}
	clear(l.items)
	l.items = l.items[:0]
	itemLists.Put(l)
}

// write answers the list, encoding each item with Item.AppendJSON: the same bytes newList
// and c.JSON would write, at a fraction of the cost on the busiest endpoint.
func (l *itemList) write(c echo.Context, next int64) error {
	b := append(l.buf[:0], `{"items":[`...)
	for i := range l.items {
		if i > 0 {
			b = append(b, ',')
		}
		b = l.items[i].AppendJSON(b)
	}
	b = append(b, ']')
	if next != 0 {
		b = append(b, `,"next_cursor":"`...)
		b = append(b, encodeCursor(next)...)
		b = append(b, '"')
	}
	b = append(b, "}\n"...)
	l.buf = b
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, b)
}

func (s *Server) createItem(c echo.Context) error {
	var in itemIn
	if err := s.bind(c, &in); err != nil {
		return err
	}
	it, err := s.inv.CreateItem(c.Request().Context(), actor(c), in, sourceOf(c), "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, it)
}

// sourceOf is the provenance of an item typed through this request.
func sourceOf(c echo.Context) inventory.Source {
	if tokenScope(c) != "" {
		return inventory.SourceAPI
	}
	return inventory.SourceTyped
}

func (s *Server) getItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.inv.Item(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, it)
}

// updateItem applies the fields sent over the item's current state.
func (s *Server) updateItem(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.inv.Item(ctx, a, id)
	if err != nil {
		return err
	}
	in := it.Input()
	if err := s.bind(c, &in); err != nil {
		return err
	}
	it, err = s.inv.UpdateItem(ctx, a, id, in, sourceOf(c), "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, it)
}

func (s *Server) deleteItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.inv.DeleteItem(c.Request().Context(), actor(c), id, ""); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listSuppliers(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	f := inventory.SupplierFilter{Q: c.QueryParam("q"), Country: c.QueryParam("country"), Role: inventory.SupplierRole(c.QueryParam("role"))}
	sps, next, err := s.inv.Suppliers(c.Request().Context(), actor(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(sps, next))
}

func (s *Server) createSupplier(c echo.Context) error {
	var in supplierIn
	if err := s.bind(c, &in); err != nil {
		return err
	}
	sp, err := s.inv.CreateSupplier(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, sp)
}

func (s *Server) getSupplier(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sp, err := s.inv.Supplier(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sp)
}

func (s *Server) updateSupplier(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sp, err := s.inv.Supplier(ctx, a, id)
	if err != nil {
		return err
	}
	in := supplierIn{Name: sp.Name, Person: sp.Person, Country: sp.Country, RegistrationNo: sp.RegistrationNo, Roles: sp.Roles}
	if err := s.bind(c, &in); err != nil {
		return err
	}
	sp, err = s.inv.UpdateSupplier(ctx, a, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sp)
}

func (s *Server) deleteSupplier(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.inv.DeleteSupplier(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// rawJSON keeps json.RawMessage in the OpenAPI document as "any JSON".
type rawJSON = json.RawMessage
