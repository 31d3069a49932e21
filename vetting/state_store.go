package vetting

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/fixtures"
	"critreg/inventory"
)

// seedFile is the states seed inside fixtures/.
const seedFile = "states.json"

// Seed is the form of fixtures/states.json: the facts of each state, with where they come
// from.
type Seed struct {
	Meta   map[string]any `json:"meta"`
	States []struct {
		Code  string `json:"code"`
		Facts []Fact `json:"facts"`
	} `json:"states"`
}

// SeedStates loads the states seed into an empty reference table, once: after the first
// load the table belongs to the bureau, and a restart never overwrites its edits. It
// reports how many facts it loaded (0 when the seed had been loaded before).
func (v *Vetting) SeedStates(ctx context.Context, a access.Actor, data []byte) (int, error) {
	var seed Seed
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&seed); err != nil {
		return 0, fmt.Errorf("read states seed: %w", err)
	}
	type row struct {
		code string
		f    Fact
	}
	var rows []row
	verr := &errkind.ValidationError{}
	for _, st := range seed.States {
		if _, ok := inventory.CountryByCode(st.Code); !ok {
			verr.Add("states", "unknown state code %q", st.Code)
			continue
		}
		facts, err := validateFacts(st.Facts)
		if err != nil {
			return 0, fmt.Errorf("states seed, %s: %w", st.Code, err)
		}
		for _, f := range facts {
			rows = append(rows, row{st.Code, f})
		}
	}
	if err := verr.Err(); err != nil {
		return 0, fmt.Errorf("states seed: %w", err)
	}
	n := 0
	err := v.db.Tx(ctx, func(tx *sql.Tx) error {
		var at string
		err := tx.QueryRowContext(ctx, `SELECT at FROM vet_seeds WHERE name = 'states'`).Scan(&at)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read seed record: %w", err)
		}
		for _, r := range rows {
			if err := insertFact(ctx, tx, r.code, r.f); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO vet_seeds (name, at) VALUES ('states', ?)`, v.stamp()); err != nil {
			return fmt.Errorf("record seed: %w", err)
		}
		n = len(rows)
		return audit.Append(ctx, tx, a, audit.Entry{Action: "states.seed", ObjectType: "states", ObjectID: seedFile,
			After: map[string]any{"facts": n, "states": len(seed.States)}})
	})
	return n, err
}

func insertFact(ctx context.Context, tx *sql.Tx, code string, f Fact) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO vet_state_facts (state, kind, since, until, title, reference, source, verified, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, code, f.Kind, f.Since, f.Until, f.Title, f.Reference, f.Source, f.Verified, f.Note)
	if err != nil {
		return fmt.Errorf("insert fact of %s: %w", code, err)
	}
	return nil
}

// ensureStates loads the embedded seed on first use, so that a new database has its
// reference data without a separate step.
func (v *Vetting) ensureStates(ctx context.Context) error {
	var at string
	err := v.db.Read.QueryRowContext(ctx, `SELECT at FROM vet_seeds WHERE name = 'states'`).Scan(&at)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read seed record: %w", err)
	}
	data, err := fixtures.ReadFile(seedFile)
	if err != nil {
		return fmt.Errorf("states seed: %w", err)
	}
	_, err = v.SeedStates(ctx, access.System(), data)
	return err
}

// facts reads every state's facts, keyed by state code.
func (v *Vetting) facts(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, code string) (map[string][]Fact, error) {
	if err := v.ensureStates(ctx); err != nil {
		return nil, err
	}
	query := `SELECT id, state, kind, since, until, title, reference, source, verified, note FROM vet_state_facts`
	args := []any{}
	if code != "" {
		query += ` WHERE state = ?`
		args = append(args, code)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY state, kind, since, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read state facts: %w", err)
	}
	defer rows.Close()
	out := map[string][]Fact{}
	for rows.Next() {
		var f Fact
		var st string
		if err := rows.Scan(&f.ID, &st, &f.Kind, &f.Since, &f.Until, &f.Title, &f.Reference, &f.Source, &f.Verified, &f.Note); err != nil {
			return nil, fmt.Errorf("read state facts: %w", err)
		}
		out[st] = append(out[st], f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read state facts: %w", err)
	}
	return out, nil
}

// states is the reference data as of one day: every state, evaluated.
type states map[string]*State

func newStates(facts map[string][]Fact, day string) states {
	out := states{}
	for _, c := range inventory.Countries() {
		s := &State{Code: c.Code, NameEN: c.NameEN, NameLV: c.NameLV, Facts: facts[c.Code]}
		if s.Facts == nil {
			s.Facts = []Fact{}
		}
		s.Version = factsVersion(s.Facts)
		s.evaluate(day)
		out[c.Code] = s
	}
	return out
}

// loadStates reads the reference data and evaluates it as of day.
func (v *Vetting) loadStates(ctx context.Context, day string) (states, error) {
	facts, err := v.facts(ctx, v.db.Read, "")
	if err != nil {
		return nil, err
	}
	return newStates(facts, day), nil
}

// StateFilter selects states.
type StateFilter struct {
	// AsOf is the day to evaluate on (YYYY-MM-DD); empty: today.
	AsOf string
	// Member filters on NATO/EU/EEA membership: "yes", "no" or "" for all.
	Member string
	// Designated keeps only states that meet a 65.1.2–65.1.5 criterion.
	Designated bool
}

// States lists the states, evaluated as of f.AsOf, in code order. Anyone signed in reads
// them: they are public reference data.
func (v *Vetting) States(ctx context.Context, a access.Actor, f StateFilter) ([]State, error) {
	day, err := asOf(f.AsOf)
	if err != nil {
		return nil, err
	}
	all, err := v.loadStates(ctx, day)
	if err != nil {
		return nil, err
	}
	out := []State{}
	for _, c := range inventory.Countries() {
		s := all[c.Code]
		if f.Member == "yes" && !s.Member || f.Member == "no" && s.Member {
			continue
		}
		if f.Designated && !designated(s) {
			continue
		}
		out = append(out, *s)
	}
	return out, nil
}

func designated(s *State) bool {
	for _, c := range s.Criteria {
		if c != "65.1.1" {
			return true
		}
	}
	return false
}

// State returns one state evaluated as of day (empty: today).
func (v *Vetting) State(ctx context.Context, a access.Actor, code, day string) (State, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	c, ok := inventory.CountryByCode(code)
	if !ok {
		return State{}, errkind.NotFound("state", code)
	}
	day, err := asOf(day)
	if err != nil {
		return State{}, err
	}
	facts, err := v.facts(ctx, v.db.Read, c.Code)
	if err != nil {
		return State{}, err
	}
	return *newStates(facts, day)[c.Code], nil
}

// UpdateState replaces the facts of one state. The bureau and admins keep the reference
// data; the change is audited with the facts before and after.
func (v *Vetting) UpdateState(ctx context.Context, a access.Actor, code string, in StateInput) (State, error) {
	if err := needBureauWrite(a); err != nil {
		return State{}, err
	}
	before, err := v.State(ctx, a, code, "")
	if err != nil {
		return State{}, err
	}
	facts, err := validateFacts(in.Facts)
	if err != nil {
		return State{}, err
	}
	err = v.db.Tx(ctx, func(tx *sql.Tx) error {
		// The facts as they stand inside the transaction: what the version is checked
		// against and what the audit record says was replaced.
		current, err := v.facts(ctx, tx, before.Code)
		if err != nil {
			return err
		}
		if in.Version != "" && in.Version != factsVersion(current[before.Code]) {
			return errkind.Conflict("the facts of %s were changed by another save after they were read: look at the history, then save again to replace them", before.Code)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM vet_state_facts WHERE state = ?`, before.Code); err != nil {
			return fmt.Errorf("replace facts of %s: %w", before.Code, err)
		}
		for _, f := range facts {
			if err := insertFact(ctx, tx, before.Code, f); err != nil {
				return err
			}
		}
		was := current[before.Code]
		if was == nil {
			was = []Fact{}
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "state.update", ObjectType: "state", ObjectID: before.Code,
			Before: was, After: facts})
	})
	if err != nil {
		return State{}, err
	}
	return v.State(ctx, a, before.Code, "")
}

// asOf checks an "as of" day; empty is today.
func asOf(day string) (string, error) {
	if day == "" {
		return Day(time.Time{}), nil
	}
	v := &errkind.ValidationError{}
	day = date(v, "as_of", day, true)
	return day, v.Err()
}
