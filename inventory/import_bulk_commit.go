package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"

	"critreg/access"
)

// commitPlan writes the plan in one transaction, with the audit records, or nothing. The
// adds the pipeline wrote while the file was read are kept when they are where the plan
// puts them; otherwise the pipeline's transaction is undone and the whole plan written
// anew. A change the item rules refuse becomes a problem at its row and undoes all.
func (s *Store) commitPlan(ctx context.Context, a access.Actor, reg *register, p *importPlan, opt ImportOptions, estimate int, ps *problems, pipe *pipeline) error {
	if opt.rowByRow {
		return s.commitRowByRow(ctx, a, reg, p, opt, estimate, ps)
	}
	total := 2 * max(p.rows, estimate)
	if pipe != nil && pipe.started {
		if pipe.fits(p) {
			err := pipe.finish(p, total)
			if err == nil && opt.Progress != nil {
				opt.Progress(total, total)
			}
			return rowProblem(err, ps)
		}
		// What the writer met is met again, in plan order, below.
		_ = pipe.abandon()
	}
	step := progressStep(opt, max(p.rows, estimate), total)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		w, err := s.newBulkWriter(ctx, tx, a, reg)
		if err != nil {
			return err
		}
		defer w.close()
		return w.writePlan(p, 0, opt, planSheets(p), step)
	})
	if err == nil && opt.Progress != nil {
		opt.Progress(total, total)
	}
	return rowProblem(err, ps)
}

// progressStep counts the rows written on from done, reporting every thousandth.
func progressStep(opt ImportOptions, done, total int) func() {
	return func() {
		done++
		if opt.Progress != nil && done%1000 == 0 {
			opt.Progress(done, total)
		}
	}
}

// writePlan writes the plan's changes, its adds from the from-th on, and the record of the
// import, in the order the row-by-row commit writes them.
func (w *bulkWriter) writePlan(p *importPlan, from int, opt ImportOptions, sheets int, step func()) error {
	for _, r := range p.adds[from:] {
		if err := w.add(r.fr, *r.in, importRef(opt.FileName, r.fr, sheets)); err != nil {
			return err
		}
		step()
	}
	for _, r := range p.updates {
		if err := w.update(r.fr, r.before.ID, *r.in, importRef(opt.FileName, r.fr, sheets)); err != nil {
			return err
		}
		step()
	}
	for _, it := range p.removes {
		if err := w.remove(it.ID, syncRef(opt)); err != nil {
			return fmt.Errorf("import: remove item %d: %w", it.ID, err)
		}
	}
	if err := w.log.Add(commitAudit(w.reg, p, opt)); err != nil {
		return err
	}
	return w.flush()
}

// errAbandoned undoes the pipeline's transaction.
var errAbandoned = errors.New("import: the rows written while reading are undone")

// pipeline writes the new items of a commit while the rest of the file is still read: the
// reader offers every parsed row, and while each row so far is certainly a new item of the
// first items sheet, the rows go, a batch at a time, to a writer goroutine that holds the
// import's transaction. With two cores the commit then takes about as long as the slower of
// reading and writing rather than both. A row that could match an existing item (it
// carries an item ID, or the register holds its business key), that has a problem, or that
// comes from another sheet ends the streaming: it and every row after it wait for the plan,
// which the writer then completes in the same transaction. Were the rows written not the
// plan's first adds, or their provenance not as written, the transaction is undone and the
// plan written anew.
type pipeline struct {
	s   *Store
	ctx context.Context
	a   access.Actor
	reg *register
	opt ImportOptions
	ps  *problems
	// keys are the business keys of the register's items, made when first needed.
	keys      map[itemKey]bool
	batchRows int

	open     bool
	sheet    *sheetReader
	batch    []*fileRow
	streamed []*fileRow
	started  bool
	ended    bool
	planSent bool
	waited   bool
	err      error

	batches chan []*fileRow
	plan    chan *importPlan
	stopped chan struct{}
	done    chan error
	written atomic.Int64
	total   int
}

func (s *Store) newPipeline(ctx context.Context, a access.Actor, reg *register, opt ImportOptions, ps *problems) *pipeline {
	p := &pipeline{s: s, ctx: ctx, a: a, reg: reg, opt: opt, ps: ps, open: true, batchRows: opt.streamRows}
	if p.batchRows <= 0 {
		p.batchRows = bulkRows
	}
	return p
}

// mayMatch reports whether the register holds an item with the row's business key, which
// the row then matches unless a row with an item ID claims that item.
func (p *pipeline) mayMatch(fr *fileRow) bool {
	if len(p.reg.items) == 0 {
		return false
	}
	if p.keys == nil {
		p.keys = make(map[itemKey]bool, len(p.reg.items))
		for i := range p.reg.items {
			it := &p.reg.items[i]
			p.keys[keyOf(it.NetworkID, it.CriticalPart, it.Kind, it.Manufacturer, it.Model, it.Serial)] = true
		}
	}
	return p.keys[keyOf(fr.in.NetworkID, fr.in.CriticalPart, fr.in.Kind, fr.in.Manufacturer, fr.in.Model, fr.in.Serial)]
}

// offer takes a parsed row, in file order.
func (p *pipeline) offer(fr *fileRow) {
	if !p.open {
		return
	}
	if fr.bad || fr.id != 0 || p.ps.any() || p.sheet != nil && fr.sh != p.sheet || rowLacks(fr, fr.in) != nil || p.mayMatch(fr) {
		p.open = false
		p.send()
		return
	}
	p.sheet = fr.sh
	p.batch = append(p.batch, fr)
	if len(p.batch) == p.batchRows {
		p.send()
	}
}

// send hands the batch to the writer, starting it with the first.
func (p *pipeline) send() {
	if len(p.batch) == 0 {
		return
	}
	if !p.started {
		p.start()
	}
	select {
	case p.batches <- p.batch:
		p.streamed = append(p.streamed, p.batch...)
	case <-p.stopped:
		p.open = false
	}
	p.batch = nil
}

// writtenRows is how many rows the writer has written so far.
func (p *pipeline) writtenRows() int {
	if p == nil {
		return 0
	}
	return int(p.written.Load())
}

func (p *pipeline) start() {
	p.started = true
	p.batches = make(chan []*fileRow, 4)
	p.plan = make(chan *importPlan, 1)
	p.stopped = make(chan struct{})
	p.done = make(chan error, 1)
	go func() {
		p.done <- p.s.db.Tx(p.ctx, p.write)
		close(p.stopped)
	}()
}

// write is the writer goroutine's transaction: the streamed rows, then the rest of the plan.
func (p *pipeline) write(tx *sql.Tx) error {
	w, err := p.s.newBulkWriter(p.ctx, tx, p.a, p.reg)
	if err != nil {
		return err
	}
	defer w.close()
	for b := range p.batches {
		for _, fr := range b {
			if err := w.add(fr, fr.in, importRef(p.opt.FileName, fr, 1)); err != nil {
				return err
			}
			p.written.Add(1)
		}
	}
	plan := <-p.plan
	if plan == nil {
		return errAbandoned
	}
	// The reader is done: progress is the writer's to report now.
	step := progressStep(p.opt, p.total/2+len(p.streamed), p.total)
	return w.writePlan(plan, len(p.streamed), p.opt, 1, step)
}

// fits reports whether the rows written are the plan's first adds, with the provenance the
// plan gives them.
func (p *pipeline) fits(plan *importPlan) bool {
	p.close()
	if len(p.streamed) > len(plan.adds) || planSheets(plan) != 1 {
		return false
	}
	for i, fr := range p.streamed {
		if plan.adds[i].fr != fr {
			return false
		}
	}
	return true
}

// close ends the streaming: no more rows go to the writer.
func (p *pipeline) close() {
	p.open = false
	if p.started && !p.ended {
		p.ended = true
		close(p.batches)
	}
}

// finish has the writer write the rest of the plan and commit.
func (p *pipeline) finish(plan *importPlan, total int) error {
	p.close()
	p.total = total
	p.planSent = true
	p.plan <- plan
	return p.wait()
}

// abandon undoes whatever the writer wrote and waits for it; it may be called more than
// once, and after finish.
func (p *pipeline) abandon() error {
	if p == nil || !p.started {
		return nil
	}
	p.close()
	if !p.planSent {
		p.planSent = true
		p.plan <- nil
	}
	return p.wait()
}

// wait returns the writer's outcome once it has ended.
func (p *pipeline) wait() error {
	if !p.waited {
		p.err, p.waited = <-p.done, true
	}
	return p.err
}
