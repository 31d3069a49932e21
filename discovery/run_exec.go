package discovery

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"critreg/access"
)

// resultBatch is how many results a run writes per transaction, and saveEvery how often
// its progress and pending results reach the database: often enough for a live view,
// rarely enough that a sweep of silent hosts does not queue behind its own writes.
const (
	resultBatch = 64
	saveEvery   = time.Second
)

// execute sweeps, storing results in batches as they stream in and the counts every
// second, then reconciles what was seen with the declared list and records the end. The
// writes use a context that outlives cancellation, so a cancelled run still records what
// it found and how it ended.
func (s *Service) execute(ctx context.Context, a access.Actor, run Run, ts *Targets, creds Credentials, opts Options, l *liveRun) (Run, error) {
	dbctx := context.WithoutCancel(ctx)
	sweepCtx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		pending  []storedResult
		writeErr error
		lastSave = time.Now()
		latest   = run.Progress
	)
	flush := func() {
		if len(pending) == 0 || writeErr != nil {
			return
		}
		writeErr = s.db.Tx(dbctx, func(tx *sql.Tx) error { return writeResults(dbctx, tx, run, pending) })
		pending = pending[:0]
		if writeErr != nil {
			stop()
		}
	}
	userProgress := opts.Progress
	opts.OnResult = func(r Result) {
		if !keepResult(r) {
			return
		}
		at := time.Now()
		if r.Device != nil && !r.Device.ReadAt.IsZero() {
			at = r.Device.ReadAt
		}
		pending = append(pending, storedResult{Target: r.Target, ReadAt: at, Cause: r.Cause, Device: r.Device})
		if len(pending) >= resultBatch {
			flush()
		}
	}
	opts.Progress = func(p Progress) {
		latest = p
		l.set(p)
		if userProgress != nil {
			userProgress(p)
		}
		if time.Since(lastSave) >= saveEvery {
			lastSave = time.Now()
			flush()
			if err := s.saveProgress(dbctx, run.ID, p); err != nil && writeErr == nil {
				writeErr = err
				stop()
			}
		}
	}
	prog, sweepErr := Sweep(sweepCtx, ts, creds, opts)
	flush()
	if prog.Total == 0 {
		prog = latest
	}
	_, cancelled := l.get()
	status, errText := StatusDone, ""
	switch {
	case writeErr != nil:
		status, errText = StatusFailed, "storing results failed: "+writeErr.Error()
	case cancelled || (sweepErr != nil && errors.Is(ctx.Err(), context.Canceled)):
		status, errText = StatusCancelled, fmt.Sprintf("cancelled after %d of %d hosts", prog.Done, prog.Total)
	case sweepErr != nil:
		errText = sweepErr.Error()
	}
	// Hosts a partial sweep never reached say nothing about the items behind them: only a
	// sweep that tried every target may report an item missing.
	complete := sweepErr == nil && writeErr == nil && prog.Done == prog.Total
	var reconcile func(*sql.Tx) ([]Finding, error)
	if writeErr == nil {
		reconcile = func(tx *sql.Tx) ([]Finding, error) { return s.reconcileRun(dbctx, tx, a, run, ts, complete) }
	}
	if err := s.finishRun(dbctx, a, run, status, prog, errText, reconcile); err != nil {
		// The run could not be closed with its findings; record at least how it ended.
		_ = s.finishRun(dbctx, a, run, StatusFailed, prog, "recording the end of the run failed: "+err.Error(), nil)
		return s.runTx(dbctx, s.db.Read, a, run.ID)
	}
	out, err := s.runTx(dbctx, s.db.Read, a, run.ID)
	if err != nil {
		return out, err
	}
	if writeErr != nil {
		return out, writeErr
	}
	if status == StatusCancelled {
		return out, sweepErr
	}
	return out, nil
}
