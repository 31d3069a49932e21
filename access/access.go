// Package access says who is acting and what their role lets them see and do. Every store
// query of every domain package takes an Actor, so tenant scoping is decided below the
// handlers: a handler that forgets a check still cannot reach another operator's data.
package access

import "fmt"

// Role is what a user is for.
type Role string

// The roles of critreg's users.
const (
	// RoleOperator is an operator's compliance officer: keeps the networks and the annex-7
	// list, submits it and files change notices.
	RoleOperator Role = "operator"
	// RoleEngineer is an operator's engineer: edits items, checks exemptions, runs discovery.
	RoleEngineer Role = "engineer"
	// RoleBureau is a security bureau analyst: reads every operator's data, vets
	// suppliers and issues opinions.
	RoleBureau Role = "bureau"
	// RoleAdmin manages users, operators and reference data.
	RoleAdmin Role = "admin"
)

// Roles lists every role, in the order they are shown.
var Roles = []Role{RoleOperator, RoleEngineer, RoleBureau, RoleAdmin}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (want operator, engineer, bureau or admin)", s)
}

// OperatorScoped reports whether users of this role belong to one operator.
func (r Role) OperatorScoped() bool { return r == RoleOperator || r == RoleEngineer }

// Actor is the caller of a domain function: the user, the operator they belong to, and where
// the request came from, for the audit trail.
type Actor struct {
	UserID int64
	Login  string
	Role   Role
	// OperatorID is the operator an operator's user belongs to; 0 for bureau and admin.
	OperatorID int64
	// IP is the client address the action came from ("" for local commands).
	IP string
	// Via says how the action came in: "api", "web", "cli".
	Via string
	// ReadOnly is set for API tokens whose scope is read only.
	ReadOnly bool
}

// System is the actor of local administrative commands run on the server itself.
func System() Actor {
	return Actor{Login: "system", Role: RoleAdmin, Via: "cli"}
}

// SeesAll reports whether the actor reads every operator's data.
func (a Actor) SeesAll() bool { return a.Role == RoleBureau || a.Role == RoleAdmin }

// Sees reports whether the actor may read data of operator id.
func (a Actor) Sees(operatorID int64) bool {
	return a.SeesAll() || (a.Role.OperatorScoped() && a.OperatorID == operatorID && operatorID != 0)
}

// KeepsInventory reports whether the actor may change the networks and items of operator
// id: that operator's own operator and engineer users.
func (a Actor) KeepsInventory(operatorID int64) bool {
	return !a.ReadOnly && a.Role.OperatorScoped() && a.OperatorID == operatorID && operatorID != 0
}

// Is reports whether the actor has one of the roles given and may write.
func (a Actor) Is(roles ...Role) bool {
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

// Writes reports whether the actor has one of the roles given and is not read-only.
func (a Actor) Writes(roles ...Role) bool { return !a.ReadOnly && a.Is(roles...) }
