package discovery

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
)

// reconcileRun compares what run stored with the operator's declared items, read in tx.
// complete says the sweep tried every target, so that items inside it may be missing.
func (s *Service) reconcileRun(ctx context.Context, tx *sql.Tx, a access.Actor, run Run, ts *Targets, complete bool) ([]Finding, error) {
	items, err := s.inv.OperatorItemsTx(ctx, tx, a, run.OperatorID)
	if err != nil {
		return nil, fmt.Errorf("reconcile run %d: %w", run.ID, err)
	}
	declared := map[string]bool{}
	for _, it := range items {
		if host, port := splitAddress(it.ManagementAddress); host != "" {
			declared[Target{Host: host, Port: cmp.Or(port, 161)}.String()] = true
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+resultColumns+` FROM discovery_results WHERE run_id = ? ORDER BY id`, run.ID)
	if err != nil {
		return nil, fmt.Errorf("reconcile run %d: %w", run.ID, err)
	}
	var devices []Device
	var resultIDs []int64
	failed := map[string]Cause{}
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("reconcile run %d: %w", run.ID, err)
		}
		if r.Device == nil {
			// Only causes at declared addresses explain anything; keeping the rest would
			// make memory grow with the size of the sweep.
			if declared[r.Target] {
				failed[r.Target] = r.Cause
			}
			continue
		}
		// Components and software lists are not compared; dropping them keeps a run of
		// many large chassis from holding every module in memory at once.
		r.Device.Components = nil
		devices = append(devices, *r.Device)
		resultIDs = append(resultIDs, r.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reconcile run %d: %w", run.ID, err)
	}
	in := ReconcileInput{Devices: devices, Items: items, Failed: failed}
	if complete && ts != nil {
		in.Swept = func(addr string) bool {
			host, port := splitAddress(addr)
			return ts.Contains(host, port)
		}
	}
	var lookupErr error
	if s.cfg.Notices != nil {
		in.NoticeOnRecord = func(it *inventory.Item) bool {
			ok, err := s.cfg.Notices(ctx, a, run.OperatorID, it.ID)
			if err != nil && lookupErr == nil {
				lookupErr = err
			}
			return ok
		}
	}
	findings := Reconcile(in)
	if lookupErr != nil {
		return nil, fmt.Errorf("reconcile run %d: notices on record: %w", run.ID, lookupErr)
	}
	for i := range findings {
		f := &findings[i]
		if f.Device != nil {
			// Devices and findings share the slice order, so the index finds the result.
			for j := range devices {
				if &devices[j] == f.Device {
					f.ResultID = resultIDs[j]
					break
				}
			}
		}
	}
	return findings, nil
}

// insertFinding stores a finding of run, open for review.
func insertFinding(ctx context.Context, tx *sql.Tx, run Run, f *Finding) error {
	f.RunID, f.Operator, f.Status = run.ID, run.Operator, FindingOpen
	body, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("store finding: %w", err)
	}
	var itemID int64
	if f.Item != nil {
		itemID = f.Item.ID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO discovery_findings (run_id, operator_id, kind, target, result_id, item_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		run.ID, run.OperatorID, f.Kind, f.Target, f.ResultID, itemID, string(body))
	if err != nil {
		return fmt.Errorf("store finding: %w", err)
	}
	f.ID, _ = res.LastInsertId()
	return nil
}

const findingColumns = `f.id, f.operator_id, f.body, f.status, f.decided_by, f.decided_at, f.reason, f.result_item_id`

func scanFinding(r interface{ Scan(...any) error }) (Finding, int64, error) {
	var f Finding
	var id, opID, resultItem int64
	var body, status, by, at, reason string
	if err := r.Scan(&id, &opID, &body, &status, &by, &at, &reason, &resultItem); err != nil {
		return f, 0, err
	}
	if err := json.Unmarshal([]byte(body), &f); err != nil {
		return f, 0, fmt.Errorf("finding %d: %w", id, err)
	}
	f.ID, f.Status, f.DecidedBy, f.DecidedAt, f.Reason, f.ResultItemID = id, FindingStatus(status), by, at, reason, resultItem
	return f, opID, nil
}

func (s *Service) findingTx(ctx context.Context, q querier, a access.Actor, id int64) (Finding, int64, error) {
	f, opID, err := scanFinding(q.QueryRowContext(ctx, `SELECT `+findingColumns+` FROM discovery_findings f WHERE f.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Sees(opID)) {
		return Finding{}, 0, errkind.NotFound("finding", id)
	}
	if err != nil {
		return Finding{}, 0, fmt.Errorf("read finding %d: %w", id, err)
	}
	return f, opID, nil
}

// Finding returns one finding, if the actor may see it.
func (s *Service) Finding(ctx context.Context, a access.Actor, id int64) (Finding, error) {
	f, _, err := s.findingTx(ctx, s.db.Read, a, id)
	return f, err
}

// FindingFilter selects a run's findings.
type FindingFilter struct {
	Kind   FindingKind
	Status FindingStatus
}

// Findings lists a run's findings in the order reconciliation made them.
func (s *Service) Findings(ctx context.Context, a access.Actor, runID int64, f FindingFilter, p inventory.Page) ([]Finding, int64, error) {
	if _, err := s.Run(ctx, a, runID); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + findingColumns + ` FROM discovery_findings f WHERE f.run_id = ? AND f.id > ?`
	args := []any{runID, p.After}
	if f.Kind != "" {
		q += ` AND f.kind = ?`
		args = append(args, f.Kind)
	}
	if f.Status != "" {
		q += ` AND f.status = ?`
		args = append(args, f.Status)
	}
	limit := pageLimit(p)
	q += ` ORDER BY f.id LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list findings of run %d: %w", runID, err)
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		fd, _, err := scanFinding(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list findings of run %d: %w", runID, err)
		}
		out = append(out, fd)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list findings of run %d: %w", runID, err)
	}
	return page(out, limit, func(f Finding) int64 { return f.ID })
}
