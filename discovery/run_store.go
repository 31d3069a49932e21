package discovery

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// createRun records a run as it begins.
func (s *Service) createRun(ctx context.Context, a access.Actor, run Run) (Run, error) {
	opts, err := json.Marshal(run.Options)
	if err != nil {
		return Run{}, fmt.Errorf("create run: %w", err)
	}
	prog, err := json.Marshal(run.Progress)
	if err != nil {
		return Run{}, fmt.Errorf("create run: %w", err)
	}
	now := s.stamp()
	run.StartedBy, run.StartedAt = a.Login, parseTime(now)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO discovery_runs (operator_id, origin, status, targets, profile, credentials, options, progress,
			user_id, login, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			run.OperatorID, run.Origin, run.Status, run.Targets, run.Profile, run.Credentials, string(opts), string(prog), a.UserID, a.Login, now, now)
		if err != nil {
			return fmt.Errorf("insert run: %w", err)
		}
		run.ID, _ = res.LastInsertId()
		return audit.Append(ctx, tx, a, audit.Entry{Action: "discovery.run.start", ObjectType: "discovery_run",
			ObjectID: fmt.Sprint(run.ID), OperatorID: run.OperatorID, After: run})
	})
	return run, err
}

// saveProgress keeps a running run's counts, so that its progress survives in the database.
func (s *Service) saveProgress(ctx context.Context, id int64, p Progress) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE discovery_runs SET progress = ?, updated_at = ? WHERE id = ?`, string(b), s.stamp(), id)
		if err != nil {
			return fmt.Errorf("save progress of run %d: %w", id, err)
		}
		return nil
	})
}

// keepResult says which results a run stores: every device that answered, and every
// failure that shows something is there (a refusal, an auth failure, a malformed answer).
// Silence is only counted: a /16 of it would fill the database with nothing.
func keepResult(r Result) bool {
	if r.Device != nil {
		return true
	}
	return r.Cause != "" && r.Cause != CauseTimeout && r.Cause != CauseCancelled
}

// storedResult is one row of discovery_results before it is written.
type storedResult struct {
	Target Target
	ReadAt time.Time
	Cause  Cause
	Device *Device
}

// writeResults stores a batch of results of run in tx.
func writeResults(ctx context.Context, tx *sql.Tx, run Run, rs []storedResult) error {
	for _, r := range rs {
		var dev any
		if r.Device != nil {
			b, err := json.Marshal(r.Device)
			if err != nil {
				return fmt.Errorf("store result for %s: %w", r.Target, err)
			}
			dev = string(b)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO discovery_results (run_id, operator_id, host, port, read_at, cause, device) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			run.ID, run.OperatorID, r.Target.Host, r.Target.Port, r.ReadAt.UTC().Format(timeLayout), r.Cause, dev); err != nil {
			return fmt.Errorf("store result for %s: %w", r.Target, err)
		}
	}
	return nil
}

// finishRun records how a run ended, with its findings, in one transaction.
func (s *Service) finishRun(ctx context.Context, a access.Actor, run Run, status Status, p Progress, errText string, reconcile func(tx *sql.Tx) ([]Finding, error)) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var findings []Finding
		if reconcile != nil {
			if findings, err = reconcile(tx); err != nil {
				return err
			}
		}
		counts := FindingCounts{}
		for i := range findings {
			if err := insertFinding(ctx, tx, run, &findings[i]); err != nil {
				return err
			}
			counts.add(findings[i].Kind)
		}
		now := s.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE discovery_runs SET status = ?, progress = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?`,
			status, string(b), errText, now, now, run.ID); err != nil {
			return fmt.Errorf("finish run %d: %w", run.ID, err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "discovery.run.finish", ObjectType: "discovery_run", ObjectID: fmt.Sprint(run.ID),
			OperatorID: run.OperatorID, After: map[string]any{"status": status, "progress": p, "error": errText, "findings": counts}})
	})
}

func (c *FindingCounts) add(k FindingKind) {
	switch k {
	case FindingNew:
		c.New++
	case FindingMissing:
		c.Missing++
	case FindingChanged:
		c.Changed++
	}
	c.Open++
}

const runColumns = `r.id, r.operator_id, o.code, r.origin, r.status, r.targets, r.profile, r.credentials, r.options, r.progress, r.error,
	r.held_seq, r.login, r.started_at, r.finished_at,
	(SELECT count(*) FROM discovery_findings f WHERE f.run_id = r.id AND f.kind = 'new'),
	(SELECT count(*) FROM discovery_findings f WHERE f.run_id = r.id AND f.kind = 'missing'),
	(SELECT count(*) FROM discovery_findings f WHERE f.run_id = r.id AND f.kind = 'changed'),
	(SELECT count(*) FROM discovery_findings f WHERE f.run_id = r.id AND f.status = 'open')`
const runFrom = ` FROM discovery_runs r JOIN operators o ON o.id = r.operator_id`

func scanRun(r interface{ Scan(...any) error }) (Run, error) {
	var run Run
	var opts, prog, started string
	err := r.Scan(&run.ID, &run.OperatorID, &run.Operator, &run.Origin, &run.Status, &run.Targets, &run.Profile, &run.Credentials,
		&opts, &prog, &run.Error, &run.HeldSeq, &run.StartedBy, &started, &run.FinishedAt,
		&run.Findings.New, &run.Findings.Missing, &run.Findings.Changed, &run.Findings.Open)
	if err != nil {
		return run, err
	}
	run.StartedAt = parseTime(started)
	if err := json.Unmarshal([]byte(opts), &run.Options); err != nil {
		return run, fmt.Errorf("run %d options: %w", run.ID, err)
	}
	if err := json.Unmarshal([]byte(prog), &run.Progress); err != nil {
		return run, fmt.Errorf("run %d progress: %w", run.ID, err)
	}
	return run, nil
}

type querier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

func (s *Service) runTx(ctx context.Context, q querier, a access.Actor, id int64) (Run, error) {
	run, err := scanRun(q.QueryRowContext(ctx, `SELECT `+runColumns+runFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Sees(run.OperatorID)) {
		return Run{}, errkind.NotFound("discovery run", id)
	}
	if err != nil {
		return Run{}, fmt.Errorf("read run %d: %w", id, err)
	}
	return run, nil
}

// Run returns one run with its latest progress, if the actor may see it.
func (s *Service) Run(ctx context.Context, a access.Actor, id int64) (Run, error) {
	run, err := s.runTx(ctx, s.db.Read, a, id)
	if err != nil {
		return Run{}, err
	}
	s.mu.Lock()
	l := s.live[id]
	s.mu.Unlock()
	if l != nil && run.Status == StatusRunning {
		run.Progress, _ = l.get()
	}
	return run, nil
}

// RunFilter selects runs.
type RunFilter struct {
	// Operator is an operator's code; empty: every operator the actor sees.
	Operator string
	// NewestFirst lists the latest runs first, as people look at them; the cursor then
	// walks back in time.
	NewestFirst bool
}

// Runs lists the runs the actor may see, oldest first unless the filter asks otherwise.
func (s *Service) Runs(ctx context.Context, a access.Actor, f RunFilter, p inventory.Page) ([]Run, int64, error) {
	q := `SELECT ` + runColumns + runFrom + ` WHERE r.id > ?`
	args := []any{p.After}
	order := `r.id`
	if f.NewestFirst {
		q, order = `SELECT `+runColumns+runFrom+` WHERE r.id < ?`, `r.id DESC`
		args = []any{int64(math.MaxInt64)}
		if p.After > 0 {
			args[0] = p.After
		}
	}
	if !a.SeesAll() {
		q += ` AND r.operator_id = ?`
		args = append(args, a.OperatorID)
	}
	if f.Operator != "" {
		q += ` AND o.code = upper(?)`
		args = append(args, f.Operator)
	}
	limit := pageLimit(p)
	q += ` ORDER BY ` + order + ` LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		run, err := scanRun(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list runs: %w", err)
		}
		out = append(out, run)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list runs: %w", err)
	}
	for i := range out {
		s.mu.Lock()
		l := s.live[out[i].ID]
		s.mu.Unlock()
		if l != nil && out[i].Status == StatusRunning {
			out[i].Progress, _ = l.get()
		}
	}
	return page(out, limit, func(r Run) int64 { return r.ID })
}

func pageLimit(p inventory.Page) int {
	if p.Limit <= 0 || p.Limit > inventory.MaxLimit {
		return inventory.DefaultLimit
	}
	return p.Limit
}

// page cuts a list read with one row too many and says where the next page starts.
func page[T any](out []T, limit int, id func(T) int64) ([]T, int64, error) {
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = id(out[limit-1])
	}
	return out, next, nil
}

// StoredResult is one result a run stored: the device a host showed, or why it failed.
type StoredResult struct {
	ID     int64     `json:"id"`
	RunID  int64     `json:"run_id"`
	Target string    `json:"target"`
	ReadAt time.Time `json:"read_at"`
	Cause  Cause     `json:"cause,omitempty"`
	Device *Device   `json:"device,omitempty"`
}

func scanResult(r interface{ Scan(...any) error }) (StoredResult, error) {
	var res StoredResult
	var host, read string
	var port int
	var dev sql.NullString
	if err := r.Scan(&res.ID, &res.RunID, &host, &port, &read, &res.Cause, &dev); err != nil {
		return res, err
	}
	res.Target, res.ReadAt = Target{Host: host, Port: uint16(port)}.String(), parseTime(read)
	if dev.Valid {
		res.Device = &Device{}
		if err := json.Unmarshal([]byte(dev.String), res.Device); err != nil {
			return res, fmt.Errorf("result %d: %w", res.ID, err)
		}
	}
	return res, nil
}

const resultColumns = `id, run_id, host, port, read_at, cause, device`

// Results lists what a run stored, in the order it came in.
func (s *Service) Results(ctx context.Context, a access.Actor, runID int64, p inventory.Page) ([]StoredResult, int64, error) {
	if _, err := s.Run(ctx, a, runID); err != nil {
		return nil, 0, err
	}
	limit := pageLimit(p)
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+resultColumns+` FROM discovery_results WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?`, runID, p.After, limit+1)
	if err != nil {
		return nil, 0, fmt.Errorf("list results of run %d: %w", runID, err)
	}
	defer rows.Close()
	var out []StoredResult
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list results of run %d: %w", runID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list results of run %d: %w", runID, err)
	}
	return page(out, limit, func(r StoredResult) int64 { return r.ID })
}

// KnownDevices lists, per host, the device the latest successful poll of an operator's
// runs showed. A later failed poll changes nothing here: known data is never wiped by
// silence.
func (s *Service) KnownDevices(ctx context.Context, a access.Actor, operator string, p inventory.Page) ([]StoredResult, int64, error) {
	o, err := s.operatorFor(ctx, a, operator)
	if err != nil {
		return nil, 0, err
	}
	limit := pageLimit(p)
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+resultColumns+` FROM discovery_results WHERE id IN (
		SELECT max(id) FROM discovery_results WHERE operator_id = ? AND device IS NOT NULL GROUP BY host, port)
		AND id > ? ORDER BY id LIMIT ?`, o.ID, p.After, limit+1)
	if err != nil {
		return nil, 0, fmt.Errorf("list known devices: %w", err)
	}
	defer rows.Close()
	var out []StoredResult
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list known devices: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list known devices: %w", err)
	}
	return page(out, limit, func(r StoredResult) int64 { return r.ID })
}
