package server

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
)

// route is one entry of the route table: the whole HTTP surface, with what the OpenAPI
// document says of it.
type route struct {
	Method  string
	Path    string
	Handler echo.HandlerFunc
	Summary string
	Tag     string
	// Public routes need no credentials.
	Public bool
	// Request and Response are values of the body types, described in the OpenAPI document
	// (nil: none). A list response is described by its item type with List set.
	Request  any
	Response any
	List     bool
	// Query names the query parameters a route reads.
	Query []string
	// Status is the success status (200 when zero).
	Status int
	// Produces overrides the JSON content type of the answer (workbooks, pages).
	Produces string
	// Upload routes take a file: their body may be as large as Config.MaxUpload; every
	// other request body is bounded by Config.MaxBody.
	Upload bool
}

// routes is the route table: every area of critreg adds its own part.
func (s *Server) routes() []route {
	return slices.Concat(
		s.coreRoutes(),
		s.importRoutes(),
		s.vettingRoutes(),
		s.noticeRoutes(),
		s.discoveryRoutes(),
		s.pageRoutes(),
		s.submissionPageRoutes(),
		s.discoveryPageRoutes(),
		s.referencePageRoutes(),
		s.securityRoutes(),
	)
}

func (s *Server) coreRoutes() []route {
	return []route{
		{Method: http.MethodGet, Path: "/healthz", Handler: s.healthz, Summary: "Liveness", Tag: "system", Public: true, Response: health{}},
		{Method: http.MethodGet, Path: "/api/v1/openapi.json", Handler: s.openAPI, Summary: "This API's OpenAPI 3 document", Tag: "system", Public: true},
		{Method: http.MethodGet, Path: "/api/v1/me", Handler: s.me, Summary: "Who the caller is", Tag: "system", Response: me{}},

		{Method: http.MethodGet, Path: "/api/v1/critical-parts", Handler: s.listCriticalParts, Summary: "Annex-6 critical parts, and a network's declared ones", Tag: "inventory", Response: critPart{}, List: true, Query: []string{"network_id"}},
		{Method: http.MethodPost, Path: "/api/v1/networks/:id/critical-parts", Handler: s.declarePart, Summary: "Declare a part of a network critical (63.1)", Tag: "inventory", Request: partIn{}, Response: critPart{}, Status: http.StatusCreated},
		{Method: http.MethodDelete, Path: "/api/v1/networks/:id/critical-parts/:code", Handler: s.withdrawPart, Summary: "Withdraw a declared critical part", Tag: "inventory", Status: http.StatusNoContent},

		{Method: http.MethodGet, Path: "/api/v1/operators", Handler: s.listOperators, Summary: "List operators", Tag: "inventory", Response: operator{}, List: true},
		{Method: http.MethodPost, Path: "/api/v1/operators", Handler: s.createOperator, Summary: "Register an operator", Tag: "inventory", Request: operatorIn{}, Response: operator{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/operators/:code", Handler: s.getOperator, Summary: "One operator", Tag: "inventory", Response: operator{}},
		{Method: http.MethodPatch, Path: "/api/v1/operators/:code", Handler: s.updateOperator, Summary: "Change an operator", Tag: "inventory", Request: operatorIn{}, Response: operator{}},
		{Method: http.MethodDelete, Path: "/api/v1/operators/:code", Handler: s.deleteOperator, Summary: "Remove an operator without networks or users", Tag: "inventory", Status: http.StatusNoContent},

		{Method: http.MethodGet, Path: "/api/v1/networks", Handler: s.listNetworks, Summary: "List networks", Tag: "inventory", Response: network{}, List: true, Query: []string{"operator"}},
		{Method: http.MethodPost, Path: "/api/v1/networks", Handler: s.createNetwork, Summary: "Add a network", Tag: "inventory", Request: networkIn{}, Response: network{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/networks/:id", Handler: s.getNetwork, Summary: "One network", Tag: "inventory", Response: network{}},
		{Method: http.MethodPatch, Path: "/api/v1/networks/:id", Handler: s.updateNetwork, Summary: "Change a network", Tag: "inventory", Request: networkIn{}, Response: network{}},
		{Method: http.MethodDelete, Path: "/api/v1/networks/:id", Handler: s.deleteNetwork, Summary: "Remove a network without items", Tag: "inventory", Status: http.StatusNoContent},

		{Method: http.MethodGet, Path: "/api/v1/items", Handler: s.listItems, Summary: "List annex-7 items, filtered and searched", Tag: "inventory", Response: item{}, List: true,
			Query: []string{"operator", "network_id", "critical_part", "kind", "supplier_id", "q"}},
		{Method: http.MethodPost, Path: "/api/v1/items", Handler: s.createItem, Summary: "Add an item to a network's list", Tag: "inventory", Request: itemIn{}, Response: item{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/items/:id", Handler: s.getItem, Summary: "One item", Tag: "inventory", Response: item{}},
		{Method: http.MethodPatch, Path: "/api/v1/items/:id", Handler: s.updateItem, Summary: "Change an item (fields not sent keep their value)", Tag: "inventory", Request: itemIn{}, Response: item{}},
		{Method: http.MethodDelete, Path: "/api/v1/items/:id", Handler: s.deleteItem, Summary: "Remove an item from the list", Tag: "inventory", Status: http.StatusNoContent},

		{Method: http.MethodGet, Path: "/api/v1/suppliers", Handler: s.listSuppliers, Summary: "The shared supplier register", Tag: "inventory", Response: supplier{}, List: true, Query: []string{"q", "country", "role"}},
		{Method: http.MethodPost, Path: "/api/v1/suppliers", Handler: s.createSupplier, Summary: "Add a supplier to the register", Tag: "inventory", Request: supplierIn{}, Response: supplier{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/suppliers/:id", Handler: s.getSupplier, Summary: "One supplier", Tag: "inventory", Response: supplier{}},
		{Method: http.MethodPatch, Path: "/api/v1/suppliers/:id", Handler: s.updateSupplier, Summary: "Change a supplier (bureau, admin)", Tag: "inventory", Request: supplierIn{}, Response: supplier{}},
		{Method: http.MethodDelete, Path: "/api/v1/suppliers/:id", Handler: s.deleteSupplier, Summary: "Remove a supplier no item names (bureau, admin)", Tag: "inventory", Status: http.StatusNoContent},

		{Method: http.MethodGet, Path: "/api/v1/audit", Handler: s.listAudit, Summary: "Audit records, newest first", Tag: "audit", Response: auditRecord{}, List: true, Query: []string{"object_type", "object_id", "action"}},

		{Method: http.MethodGet, Path: "/api/v1/users", Handler: s.listUsers, Summary: "Users (admin; an operator's own)", Tag: "accounts", Response: user{}, List: true},
		{Method: http.MethodPost, Path: "/api/v1/users", Handler: s.createUser, Summary: "Add a user (admin)", Tag: "accounts", Request: userIn{}, Response: user{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/users/:login/tokens", Handler: s.listTokens, Summary: "A user's API tokens, without secrets", Tag: "accounts", Response: token{}, List: true},
		{Method: http.MethodPost, Path: "/api/v1/users/:login/tokens", Handler: s.createToken, Summary: "Make an API token; its secret is shown once", Tag: "accounts", Request: tokenIn{}, Response: newToken{}, Status: http.StatusCreated},
		{Method: http.MethodDelete, Path: "/api/v1/tokens/:id", Handler: s.revokeToken, Summary: "Revoke an API token", Tag: "accounts", Status: http.StatusNoContent},
	}
}
