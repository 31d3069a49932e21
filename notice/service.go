package notice

import (
	"context"
	"time"

	"critreg/access"
	"critreg/inventory"
	"critreg/store"
)

// Service keeps submissions and notices.
type Service struct {
	db  *store.DB
	inv *inventory.Store
	p64 Point64
	now func() time.Time
}

// New returns a Service over db, migrated with Schema after inventory's. p64 tells the
// point-64 status of what a change brings in; nil means no vetting is available and every
// item is "not assessed".
func New(db *store.DB, inv *inventory.Store, p64 Point64) *Service {
	if p64 == nil {
		p64 = NoOpinions{}
	}
	return &Service{db: db, inv: inv, p64: p64, now: time.Now}
}

// Point64Status values.
const (
	StatusProhibited  = "prohibited"
	StatusRestricted  = "restricted"
	StatusNoObjection = "no_objection"
	StatusNotAssessed = "not_assessed"
)

// Point64Status is what the bureau's opinions say of an item in a critical part.
type Point64Status struct {
	// Status is prohibited, restricted, no_objection or not_assessed.
	Status string `json:"status"`
	// BindsFrom is the date point 64 binds from: the opinion's effective date, or
	// 2030-01-01 for a network covered by point 123. Empty when nothing binds.
	BindsFrom string `json:"binds_from,omitempty"`
	// Opinions are the reference numbers of the opinions in force the status rests on.
	Opinions []string `json:"opinions,omitempty"`
	// Reasons say in words what the status rests on.
	Reasons []inventory.Text `json:"reasons,omitempty"`
	// Detail is the finer status vetting gave, where it differs.
	Detail string `json:"detail,omitempty"`
}

// Point64 tells the point-64 status of an item in operation or proposed for network n, as
// the bureau's opinions in force on the date given stand. Vetting implements it.
type Point64 interface {
	Point64(ctx context.Context, a access.Actor, n inventory.Network, it inventory.ItemInput, on time.Time) (Point64Status, error)
}

// NoOpinions is the Point64 of a critreg without opinions: nothing is assessed.
type NoOpinions struct{}

// Point64 answers "not assessed" for every item.
func (NoOpinions) Point64(context.Context, access.Actor, inventory.Network, inventory.ItemInput, time.Time) (Point64Status, error) {
	return Point64Status{Status: StatusNotAssessed, Reasons: []inventory.Text{{
		LV: "Biroja atzinumi šajā sistēmā nav pieejami; statuss nav novērtēts.",
		EN: "The bureau's opinions are not available here; the status is not assessed.",
	}}}, nil
}
