package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/frontend"
	"critreg/inventory"
	"critreg/vetting"
)

type dashboardData struct {
	Compliance      *vetting.Compliance
	ComplianceChart any
	Removals        []vetting.ComplianceItem
	Parts           []inventory.PartSummary
	Queue           []queueRow
	Operators       []frontend.Bar
	OperatorsChart  any
}

type queueRow struct {
	ID         int64
	Operator   string
	State      string
	FirstStart string
}

func (s *Server) dashboard(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	lang := s.lang(c)
	var d dashboardData
	// The counts and the compliance pass each read the whole list; they run side by side on
	// two read connections, which halves the page's time on a machine with two cores.
	type summary struct {
		parts []inventory.PartSummary
		err   error
	}
	sc := make(chan summary, 1)
	go func() {
		parts, err := s.inv.Summary(ctx, a)
		sc <- summary{parts, err}
	}()
	v := vetting.New(s.db)
	if a.Role.OperatorScoped() {
		// One pass over the list gives the counts and the items to remove.
		comp, err := v.Compliance(ctx, a, vetting.ComplianceQuery{Status: vetting.Prohibited, Page: inventory.Page{Limit: 200}})
		if err != nil {
			return err
		}
		d.Compliance, d.Removals = &comp, comp.Items
		d.ComplianceChart = frontend.StackedBar(tr(lang, "dash.compliance"), []frontend.Segment{
			{Label: tr(lang, "status.prohibited"), Value: comp.Counts.Prohibited, Class: "s-prohibited"},
			{Label: tr(lang, "status.restricted_in_scope"), Value: comp.Counts.RestrictedInScope, Class: "s-restricted"},
			{Label: tr(lang, "status.no_objection"), Value: comp.Counts.NoObjection + comp.Counts.RestrictedOutOfScope, Class: "s-cleared"},
			{Label: tr(lang, "status.not_assessed"), Value: comp.Counts.NotAssessed, Class: "s-unknown"},
		})
	}
	sum := <-sc
	if sum.err != nil {
		return sum.err
	}
	parts := sum.parts
	d.Parts = parts
	if !a.Role.OperatorScoped() {
		byOp := map[string]int{}
		for _, p := range parts {
			byOp[p.Operator] += p.Items
		}
		for op, n := range byOp {
			d.Operators = append(d.Operators, frontend.Bar{Label: op, Value: n, Class: "v0"})
		}
		sort.Slice(d.Operators, func(i, j int) bool { return d.Operators[i].Value > d.Operators[j].Value })
		d.OperatorsChart = frontend.BarChart(tr(lang, "dash.operators"), d.Operators)
		if q, err := s.notices().Queue(ctx, a); err == nil {
			for _, n := range q {
				d.Queue = append(d.Queue, queueRow{ID: n.ID, Operator: n.Operator, State: string(n.State), FirstStart: n.PlannedStart})
			}
		}
	}
	return s.page(c, "dashboard", "dash.title", "dashboard", d)
}

type itemsData struct {
	Filter     inventory.ItemFilter
	Networks   []inventory.Network
	Parts      []inventory.CriticalPart
	Kinds      []inventory.Kind
	Items      []inventory.Item
	Cursor     string
	NextQuery  string
	FirstQuery string
	Error      string
}

func (s *Server) itemsPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	d := itemsData{Kinds: inventory.Kinds, Parts: inventory.Annex6()}
	d.Filter = inventory.ItemFilter{CriticalPart: c.QueryParam("critical_part"), Kind: inventory.Kind(c.QueryParam("kind")), Q: strings.TrimSpace(c.QueryParam("q"))}
	d.Filter.NetworkID, _ = strconv.ParseInt(c.QueryParam("network_id"), 10, 64)
	d.Filter.SupplierID, _ = strconv.ParseInt(c.QueryParam("supplier_id"), 10, 64)
	nets, _, err := s.inv.Networks(ctx, a, inventory.NetworkFilter{}, inventory.Page{Limit: inventory.MaxLimit})
	if err != nil {
		return err
	}
	d.Networks = nets
	p, err := page(c)
	if err != nil {
		d.Error = err.Error()
	}
	items, next, err := s.inv.Items(ctx, a, d.Filter, p)
	var v *errkind.ValidationError
	switch {
	case errors.As(err, &v):
		d.Error = s.errorText(c, v)
	case err != nil:
		return err
	}
	d.Items, d.Cursor = items, c.QueryParam("cursor")
	q := url.Values{}
	for _, k := range []string{"network_id", "critical_part", "kind", "q", "supplier_id"} {
		if val := c.QueryParam(k); val != "" {
			q.Set(k, val)
		}
	}
	if enc := q.Encode(); enc != "" {
		d.FirstQuery = "?" + enc
	}
	if next != 0 {
		q.Set("cursor", encodeCursor(next))
		d.NextQuery = "?" + q.Encode()
	}
	return s.page(c, "items", "items.title", "items", d)
}

type historyRow struct {
	At      time.Time
	Login   string
	Action  string
	Changes []fieldChange
}

type fieldChange struct{ Field, Before, After string }

type itemData struct {
	Item    inventory.Item
	Network inventory.Network
	Status  *vetting.Point64Status
	History []historyRow
	CanEdit bool
}

func (s *Server) itemPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.inv.Item(ctx, a, id)
	if err != nil {
		return err
	}
	n, err := s.inv.Network(ctx, a, it.NetworkID)
	if err != nil {
		return err
	}
	d := itemData{Item: it, Network: n, CanEdit: a.KeepsInventory(it.OperatorID)}
	if st, err := vetting.New(s.db).ItemStatus(ctx, a, id, time.Now()); err == nil {
		d.Status = &st
	}
	recs, err := audit.List(ctx, s.db.Read, a, audit.Filter{ObjectType: "item", ObjectID: fmt.Sprint(id), Limit: 100})
	if err != nil {
		return err
	}
	for _, r := range recs {
		d.History = append(d.History, historyRow{At: r.At, Login: r.Login, Action: r.Action, Changes: diffJSON(r.Before, r.After)})
	}
	return s.page(c, "item", "items.title", "items", d)
}

// diffJSON lists the top-level fields that differ between two JSON objects, leaving out
// bookkeeping fields every change touches.
func diffJSON(before, after json.RawMessage) []fieldChange {
	var b, a map[string]any
	_ = json.Unmarshal(before, &b)
	_ = json.Unmarshal(after, &a)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []fieldChange
	for k := range keys {
		if k == "updated_at" || k == "created_at" || strings.HasSuffix(k, "_id") && k != "network_id" {
			continue
		}
		bv, av := fmt.Sprint(valueOr(b, k)), fmt.Sprint(valueOr(a, k))
		if bv != av {
			out = append(out, fieldChange{Field: k, Before: bv, After: av})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func valueOr(m map[string]any, k string) any {
	if v, ok := m[k]; ok && v != nil {
		return v
	}
	return ""
}

type formField struct {
	Name, Value, Type, Error string
}

type itemFormData struct {
	Action     string
	Input      inventory.ItemInput
	Networks   []inventory.Network
	Parts      []inventory.CriticalPart
	Kinds      []inventory.Kind
	TextFields []formField
	Errors     map[string]string
}

var itemTextFields = []string{"name", "model", "version", "manufacturer", "manufacturer_country", "distributor", "outsourcing_provider",
	"origin_country", "serial", "quantity", "site", "management_address", "in_service_since", "notes"}

func (s *Server) itemForm(c echo.Context, status int, action string, in inventory.ItemInput, errs map[string]string) error {
	ctx, a := c.Request().Context(), actor(c)
	nets, _, err := s.inv.Networks(ctx, a, inventory.NetworkFilter{}, inventory.Page{Limit: inventory.MaxLimit})
	if err != nil {
		return err
	}
	d := itemFormData{Action: action, Input: in, Networks: nets, Parts: inventory.Annex6(), Kinds: inventory.Kinds, Errors: errs}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	values := map[string]string{"name": in.Name, "model": in.Model, "version": in.Version, "manufacturer": in.Manufacturer,
		"manufacturer_country": in.ManufacturerCountry, "distributor": in.Distributor, "outsourcing_provider": in.OutsourcingProvider,
		"origin_country": in.OriginCountry, "serial": in.Serial, "quantity": strconv.Itoa(max(in.Quantity, 1)), "site": in.Site,
		"management_address": in.ManagementAddress, "in_service_since": in.InServiceSince, "notes": in.Notes}
	for _, f := range itemTextFields {
		ff := formField{Name: f, Value: values[f], Error: d.Errors[f]}
		switch f {
		case "in_service_since":
			ff.Type = "date"
		}
		if raw, ok := c.Get("raw." + f).(string); ok {
			ff.Value = raw
		}
		d.TextFields = append(d.TextFields, ff)
	}
	return s.render(c, status, "item_form", "items.title", "items", d)
}

func (s *Server) newItemForm(c echo.Context) error {
	return s.itemForm(c, http.StatusOK, "/items/new", inventory.ItemInput{Quantity: 1}, nil)
}

func (s *Server) editItemForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.inv.Item(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	if !actor(c).KeepsInventory(it.OperatorID) {
		return errkind.Forbidden("only the operator's own users change its list")
	}
	return s.itemForm(c, http.StatusOK, fmt.Sprintf("/items/%d/edit", id), it.Input(), nil)
}

// itemFromForm reads the item form; a quantity that is not a number is reported with the
// other problems, keeping what was typed.
func (s *Server) itemFromForm(c echo.Context) (inventory.ItemInput, map[string]string) {
	errs := map[string]string{}
	in := inventory.ItemInput{CriticalPart: c.FormValue("critical_part"), Kind: inventory.Kind(c.FormValue("kind")),
		Name: c.FormValue("name"), Model: c.FormValue("model"), Version: c.FormValue("version"), Manufacturer: c.FormValue("manufacturer"),
		ManufacturerCountry: c.FormValue("manufacturer_country"), Distributor: c.FormValue("distributor"),
		OutsourcingProvider: c.FormValue("outsourcing_provider"), OriginCountry: c.FormValue("origin_country"), Serial: c.FormValue("serial"),
		Site: c.FormValue("site"), ManagementAddress: c.FormValue("management_address"), InServiceSince: c.FormValue("in_service_since"),
		Notes: c.FormValue("notes")}
	in.NetworkID, _ = strconv.ParseInt(c.FormValue("network_id"), 10, 64)
	if q := strings.TrimSpace(c.FormValue("quantity")); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil {
			// An impossible quantity makes the domain refuse the item too, so that the
			// form shows every other problem alongside this one.
			errs["quantity"] = s.pageProblem(c, "must be a whole number")
			c.Set("raw.quantity", q)
			n = -1
		}
		in.Quantity = n
	}
	return in, errs
}

func (s *Server) saveItem(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	in, errs := s.itemFromForm(c)
	var id int64
	action := "/items/new"
	if c.Param("id") != "" {
		var err error
		if id, err = pathID(c, "id"); err != nil {
			return err
		}
		action = fmt.Sprintf("/items/%d/edit", id)
	}
	var it inventory.Item
	var err error
	if id == 0 {
		it, err = s.inv.CreateItem(ctx, a, in, inventory.SourceTyped, "")
	} else {
		it, err = s.inv.UpdateItem(ctx, a, id, in, inventory.SourceTyped, "")
	}
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			if _, ok := errs[f.Field]; !ok {
				errs[f.Field] = s.fieldText(c, f)
			}
		}
		return s.itemForm(c, http.StatusUnprocessableEntity, action, in, errs)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/items/%d", it.ID))
}

// mustOperatorScoped refuses pages that belong to an operator's users.
func mustOperatorScoped(a access.Actor) error {
	if !a.Role.OperatorScoped() {
		return errkind.Forbidden("this page is for an operator's users")
	}
	return nil
}
