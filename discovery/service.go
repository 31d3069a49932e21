package discovery

import (
	"context"
	"os"
	"sync"
	"time"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/secretkey"
	"critreg/store"
)

// NoticeLookup tells whether a change notice on record (submitted, under review or
// accepted) covers a change of the item itemID, so that reconciliation can tell a change
// the bureau was told of from one made without notice.
type NoticeLookup func(ctx context.Context, a access.Actor, operatorID, itemID int64) (bool, error)

// Config is what a Service needs besides the database.
type Config struct {
	// MaxRuns bounds the runs a server sweeps at once (default 4); a run asked for beyond
	// it is refused rather than queued, so that nobody waits on a run that never starts.
	MaxRuns int
	// Key returns the key that seals credential profiles (default: the installation's
	// secret key, see package secretkey).
	Key func() (secretkey.Key, error)
	// Rules map devices onto annex-6 functions (default: fixtures/fingerprints.json).
	Rules *Rules
	// Notices finds notices on record; nil treats every item as having none.
	Notices NoticeLookup
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Service keeps discovery's records: credential profiles, runs and their results, uploads
// from agents, and reconciliation findings with their review.
type Service struct {
	db    *store.DB
	inv   *inventory.Store
	cfg   Config
	slots chan struct{}

	mu   sync.Mutex
	live map[int64]*liveRun
}

// New makes a Service over a migrated database.
func New(db *store.DB, inv *inventory.Store, cfg Config) *Service {
	if cfg.MaxRuns <= 0 {
		cfg.MaxRuns = 4
	}
	if cfg.Key == nil {
		cfg.Key = func() (secretkey.Key, error) { return secretkey.Load(os.Getenv, db.Path) }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{db: db, inv: inv, cfg: cfg, slots: make(chan struct{}, cfg.MaxRuns), live: map[int64]*liveRun{}}
}

// fingerprints returns the configured rules, or else the enabled rules the admin keeps in
// the database (seeded from fixtures/fingerprints.json on first use). The stored rules are
// read afresh for each run rather than kept: every Service over the database (the API's,
// the pages', another process's) then applies a change from its next run on, and a few
// dozen rules compile in well under a millisecond.
func (s *Service) fingerprints(ctx context.Context) (*Rules, error) {
	if s.cfg.Rules != nil {
		return s.cfg.Rules, nil
	}
	return s.storedRules(ctx)
}

// operatorFor resolves the operator a request names; an operator's own users may leave
// the code out.
func (s *Service) operatorFor(ctx context.Context, a access.Actor, code string) (inventory.Operator, error) {
	if code == "" {
		if !a.Role.OperatorScoped() {
			return inventory.Operator{}, errkind.Invalid("operator", "is required")
		}
		return s.inv.OperatorByID(ctx, a, a.OperatorID)
	}
	o, err := s.inv.Operator(ctx, a, code)
	if err != nil {
		return o, errkind.Invalid("operator", "no operator %q", code)
	}
	return o, nil
}

// mayDiscover reports whether a may sweep operator id's networks and act on what was
// found: the operator's own operator and engineer users, with write access.
func mayDiscover(a access.Actor, operatorID int64) bool {
	return !a.ReadOnly && a.Role.OperatorScoped() && a.OperatorID == operatorID && operatorID != 0
}

// ownsProfiles reports whether a sees operator id's credential profiles: only that
// operator's own users; the bureau has no use for an operator's SNMP secrets.
func ownsProfiles(a access.Actor, operatorID int64) bool {
	return a.Role.OperatorScoped() && a.OperatorID == operatorID && operatorID != 0
}

const timeLayout = time.RFC3339Nano

func (s *Service) stamp() string { return s.cfg.Now().UTC().Format(timeLayout) }

func parseTime(v string) time.Time {
	t, _ := time.Parse(timeLayout, v)
	return t
}
