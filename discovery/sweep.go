package discovery

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gosnmp/gosnmp"
)

// Options tunes a sweep. Zero values take the defaults noted.
type Options struct {
	// Workers is how many hosts are read at once (default 64). Each worker owns one SNMP
	// client, as a gosnmp client is not safe for concurrent use.
	Workers int
	// Timeout is the wait for one response (default 2s); Retries is how many times a
	// request is sent again after a timeout (default 1; negative means none).
	Timeout time.Duration
	Retries int
	// Deadline bounds the whole sweep (0: none beyond ctx).
	Deadline time.Duration
	// MaxRepetitions is the GETBULK max-repetitions (default 25).
	MaxRepetitions int
	// Rules map devices onto annex-6 functions; nil leaves Device.Functions empty.
	Rules *Rules
	// OnResult receives each host's result as soon as it is known. Calls are serialised, so
	// the callback needs no locking; a slow callback slows the sweep rather than piling up
	// results in memory.
	OnResult func(Result)
	// Progress receives the running counts after every host. Calls are serialised.
	Progress func(Progress)
}

// Result is the outcome for one target: a Device, or an error with its Cause.
type Result struct {
	Target  Target        `json:"target"`
	Device  *Device       `json:"device,omitempty"`
	Err     error         `json:"-"`
	Cause   Cause         `json:"cause,omitempty"`
	Elapsed time.Duration `json:"elapsed"`
}

// Progress counts hosts as a sweep goes.
type Progress struct {
	Total     int           `json:"total"`
	Done      int           `json:"done"`
	Answering int           `json:"answering"`
	Failed    int           `json:"failed"`
	Timeout   int           `json:"timeout"`
	Auth      int           `json:"auth"`
	Refused   int           `json:"refused"`
	Malformed int           `json:"malformed"`
	Cancelled int           `json:"cancelled"`
	Other     int           `json:"other"`
	Elapsed   time.Duration `json:"elapsed"`
}

func (p *Progress) add(r Result) {
	p.Done++
	if r.Err == nil {
		p.Answering++
		return
	}
	p.Failed++
	switch r.Cause {
	case CauseTimeout:
		p.Timeout++
	case CauseAuth:
		p.Auth++
	case CauseRefused:
		p.Refused++
	case CauseMalformed:
		p.Malformed++
	case CauseCancelled:
		p.Cancelled++
	default:
		p.Other++
	}
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = 64
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Retries == 0 {
		o.Retries = 1
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.MaxRepetitions <= 0 {
		o.MaxRepetitions = 25
	}
}

// Sweep reads every target with bounded concurrency and streams a Result per host to
// opts.OnResult. Memory stays flat in the number of targets: targets are generated lazily and
// results are handed on, not kept. It returns the final counts; the error is non-nil only for
// bad input or when ctx or the deadline ended the sweep early (hosts not reached by then get
// no Result and are missing from Done).
func Sweep(ctx context.Context, targets *Targets, creds Credentials, opts Options) (Progress, error) {
	if err := creds.Validate(); err != nil {
		return Progress{}, fmt.Errorf("credentials: %w", err)
	}
	if targets == nil || targets.Len() == 0 {
		return Progress{}, errors.New("no targets")
	}
	opts.defaults()
	if opts.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Deadline)
		defer cancel()
	}
	start := time.Now()
	jobs := make(chan Target)
	results := make(chan Result, opts.Workers)
	var wg sync.WaitGroup
	for range min(opts.Workers, targets.Len()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(creds, opts)
			for t := range jobs {
				results <- w.read(ctx, t)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for t := range targets.All() {
			if stopped(ctx) != nil {
				return
			}
			select {
			case jobs <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	p := Progress{Total: targets.Len()}
	for r := range results {
		p.add(r)
		p.Elapsed = time.Since(start)
		if opts.OnResult != nil {
			opts.OnResult(r)
		}
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	p.Elapsed = time.Since(start)
	if err := stopped(ctx); err != nil && p.Done < p.Total {
		return p, fmt.Errorf("sweep stopped after %d of %d hosts: %w", p.Done, p.Total, err)
	}
	return p, nil
}

// worker reads hosts one at a time with its own client.
type worker struct {
	creds Credentials
	opts  Options
	g     gosnmp.GoSNMP
}

func newWorker(creds Credentials, opts Options) *worker {
	return &worker{creds: creds, opts: opts}
}

// read points the worker's client at t and reads the device.
func (w *worker) read(ctx context.Context, t Target) Result {
	start := time.Now()
	d, err := w.readOne(ctx, t)
	r := Result{Target: t, Device: d, Err: err, Elapsed: time.Since(start)}
	if err != nil {
		r.Device = nil
		r.Cause = classify(err)
		// Per-request timeouts are not context deadlines, so a done context means the
		// sweep itself was stopped while this host was in flight.
		if stopped(ctx) != nil {
			r.Cause = CauseCancelled
		}
	}
	return r
}

func (w *worker) readOne(ctx context.Context, t Target) (*Device, error) {
	if err := stopped(ctx); err != nil {
		return nil, err
	}
	// Reset the client for this host: nothing learnt from the previous agent (v3 engine,
	// request IDs in flight) may carry over.
	w.g = gosnmp.GoSNMP{
		Target:             t.Host,
		Port:               t.Port,
		Transport:          "udp",
		Timeout:            w.opts.Timeout,
		Retries:            w.opts.Retries,
		MaxOids:            gosnmp.MaxOids,
		MaxRepetitions:     uint32(w.opts.MaxRepetitions),
		Context:            ctx,
		ExponentialTimeout: false,
	}
	w.creds.apply(&w.g)
	if err := w.g.Connect(); err != nil {
		return nil, fmt.Errorf("connect %s: %w", t, err)
	}
	defer w.g.Conn.Close()
	// A blocked read only notices cancellation at its deadline; closing the socket wakes it.
	stop := context.AfterFunc(ctx, func() { w.g.Conn.Close() })
	defer stop()
	d, err := readDevice(&w.g, t, w.opts.Rules, w.opts.MaxRepetitions)
	if err != nil {
		if err := stopped(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		return nil, fmt.Errorf("%s: %w", t, err)
	}
	return d, nil
}

// stopped is ctx.Err, but also reports a deadline that has passed before the context's own
// timer fired: gosnmp gives up at the deadline itself, and without this the hosts it fails in
// that instant would count as timeouts and more hosts would be started.
func stopped(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}
