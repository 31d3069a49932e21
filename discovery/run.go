package discovery

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"critreg/access"
	"critreg/errkind"
)

// Origin says where a run swept from.
type Origin string

// The origins of a run.
const (
	// OriginServer: the registry's own server swept, started over the API.
	OriginServer Origin = "server"
	// OriginCLI: `critreg discover` swept and wrote to its local database.
	OriginCLI Origin = "cli"
	// OriginAgent: an agent in the operator's management network swept and uploaded.
	OriginAgent Origin = "agent"
)

// Status is where a run stands.
type Status string

// The states of a run.
const (
	StatusRunning   Status = "running"
	StatusUploading Status = "uploading"
	StatusDone      Status = "done"
	StatusFailed    Status = "failed"
	StatusCancelled Status = "cancelled"
)

// RunOptions are a run's sweep settings as stored and shown.
type RunOptions struct {
	Workers   int `json:"workers"`
	TimeoutMS int `json:"timeout_ms"`
	Retries   int `json:"retries"`
	DeadlineS int `json:"deadline_s"`
}

// Run is one sweep of an operator's targets and what came of it.
type Run struct {
	ID         int64  `json:"id"`
	OperatorID int64  `json:"operator_id"`
	Operator   string `json:"operator"`
	Origin     Origin `json:"origin"`
	Status     Status `json:"status"`
	Targets    string `json:"targets"`
	Profile    string `json:"profile,omitempty"`
	// Credentials describes what the sweep authenticated with, never the secrets.
	Credentials string     `json:"credentials"`
	Options     RunOptions `json:"options"`
	// Progress counts hosts done, answering and failed by cause; it moves while the run is
	// running.
	Progress Progress `json:"progress"`
	// Error says why a run failed or stopped short.
	Error      string        `json:"error,omitempty"`
	StartedBy  string        `json:"started_by"`
	StartedAt  time.Time     `json:"started_at"`
	FinishedAt string        `json:"finished_at,omitempty"`
	Findings   FindingCounts `json:"findings"`
	// HeldSeq is the last batch an agent's upload holds (agent runs only).
	HeldSeq int `json:"held_seq,omitempty"`
}

// FindingCounts sums a run's findings.
type FindingCounts struct {
	New     int `json:"new"`
	Missing int `json:"missing"`
	Changed int `json:"changed"`
	Open    int `json:"open"`
}

// RunInput starts a run on the server.
type RunInput struct {
	// Operator is the operator's code; its own users may leave it out.
	Operator string `json:"operator"`
	// Targets are CIDR ranges, hosts and host:port, separated by commas or spaces.
	Targets string `json:"targets"`
	// Profile names the operator's credential profile to sweep with.
	Profile   string `json:"profile"`
	Workers   int    `json:"workers"`
	TimeoutMS int    `json:"timeout_ms"`
	// Retries after a timeout (default 1; 0 for none).
	Retries   *int `json:"retries"`
	DeadlineS int  `json:"deadline_s"`
}

// Bounds of the sweep settings a run accepts.
const (
	maxWorkers   = 256
	maxTimeoutMS = 60_000
	maxRetries   = 5
	maxDeadlineS = 24 * 3600
)

// options checks the sweep settings, filling in defaults, and reports every problem.
func (in RunInput) options(v *errkind.ValidationError) RunOptions {
	o := RunOptions{Workers: in.Workers, TimeoutMS: in.TimeoutMS, Retries: 1, DeadlineS: in.DeadlineS}
	if o.Workers == 0 {
		o.Workers = 64
	}
	if o.TimeoutMS == 0 {
		o.TimeoutMS = 2000
	}
	if in.Retries != nil {
		o.Retries = *in.Retries
	}
	if o.Workers < 1 || o.Workers > maxWorkers {
		v.Add("workers", "must be 1 to %d", maxWorkers)
	}
	if o.TimeoutMS < 10 || o.TimeoutMS > maxTimeoutMS {
		v.Add("timeout_ms", "must be 10 to %d", maxTimeoutMS)
	}
	if o.Retries < 0 || o.Retries > maxRetries {
		v.Add("retries", "must be 0 to %d", maxRetries)
	}
	if o.DeadlineS < 0 || o.DeadlineS > maxDeadlineS {
		v.Add("deadline_s", "must be 0 (none) to %d seconds", maxDeadlineS)
	}
	return o
}

// sweepOptions turns stored settings into sweep options.
func (o RunOptions) sweepOptions(rules *Rules) Options {
	retries := o.Retries
	if retries == 0 {
		retries = -1 // Options reads 0 as "default"
	}
	return Options{Workers: o.Workers, Timeout: time.Duration(o.TimeoutMS) * time.Millisecond, Retries: retries,
		Deadline: time.Duration(o.DeadlineS) * time.Second, Rules: rules}
}

// parseRunTargets checks a target list for a run.
func parseRunTargets(v *errkind.ValidationError, spec string) *Targets {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		v.Add("targets", "is required: CIDR ranges, hosts or host:port")
		return nil
	}
	if len(spec) > 64<<10 {
		v.Add("targets", "is longer than 64 KiB; split the sweep")
		return nil
	}
	ts, err := ParseTargets(spec, TargetOptions{})
	if err != nil {
		v.AddErr("targets", err)
	}
	return ts
}

// liveRun is a run in progress in this process: how to stop it and its latest counts.
type liveRun struct {
	cancel    context.CancelFunc
	cancelled bool
	mu        sync.Mutex
	progress  Progress
	done      chan struct{}
}

func (l *liveRun) set(p Progress) {
	l.mu.Lock()
	l.progress = p
	l.mu.Unlock()
}

func (l *liveRun) get() (Progress, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.progress, l.cancelled
}

// StartRun starts a sweep of the operator's targets with one of its profiles, in the
// background, and returns the run as it begins. Only the operator's own users with write
// access start runs; the server sweeps at most Config.MaxRuns at once.
func (s *Service) StartRun(ctx context.Context, a access.Actor, in RunInput) (Run, error) {
	o, err := s.operatorFor(ctx, a, in.Operator)
	if err != nil {
		return Run{}, err
	}
	if !mayDiscover(a, o.ID) {
		return Run{}, errkind.Forbidden("only the operator's own operator and engineer users start discovery runs")
	}
	v := &errkind.ValidationError{}
	ts := parseRunTargets(v, in.Targets)
	opts := in.options(v)
	if strings.TrimSpace(in.Profile) == "" {
		v.Add("profile", "is required: the name of one of the operator's credential profiles")
	}
	if err := v.Err(); err != nil {
		return Run{}, err
	}
	creds, err := s.ProfileCredentials(ctx, a, o.ID, in.Profile)
	if errors.Is(err, errkind.ErrNotFound) {
		return Run{}, errkind.Invalid("profile", "the operator has no profile %q", in.Profile)
	}
	if err != nil {
		return Run{}, err
	}
	rules, err := s.fingerprints(ctx)
	if err != nil {
		return Run{}, err
	}
	select {
	case s.slots <- struct{}{}:
	default:
		return Run{}, errkind.Conflict("%d discovery runs are already sweeping on this server; start this one when one of them ends", cap(s.slots))
	}
	run := Run{OperatorID: o.ID, Operator: o.Code, Origin: OriginServer, Status: StatusRunning, Targets: strings.TrimSpace(in.Targets),
		Profile: in.Profile, Credentials: creds.String(), Options: opts, Progress: Progress{Total: ts.Len()}}
	if run, err = s.createRun(ctx, a, run); err != nil {
		<-s.slots
		return Run{}, err
	}
	// The sweep outlives the request that started it: it stops on cancellation, on its
	// deadline or when it ends, not when the client hangs up.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l := &liveRun{cancel: cancel, progress: run.Progress, done: make(chan struct{})}
	s.mu.Lock()
	s.live[run.ID] = l
	s.mu.Unlock()
	go func() {
		defer func() {
			cancel()
			s.mu.Lock()
			delete(s.live, run.ID)
			s.mu.Unlock()
			<-s.slots
			close(l.done)
		}()
		_, _ = s.execute(runCtx, a, run, ts, creds, opts.sweepOptions(rules), l)
	}()
	return run, nil
}

// RunLocal sweeps in the caller's goroutine and stores the run, its results and its
// findings in the local database: `critreg discover` without --server. progress, if not
// nil, receives the counts as the sweep goes.
func (s *Service) RunLocal(ctx context.Context, a access.Actor, operator string, targets *Targets, creds Credentials, opts Options, progress func(Progress)) (Run, error) {
	o, err := s.operatorFor(ctx, a, operator)
	if err != nil {
		return Run{}, err
	}
	if !mayDiscover(a, o.ID) {
		return Run{}, errkind.Forbidden("only the operator's own operator and engineer users start discovery runs")
	}
	if err := creds.Validate(); err != nil {
		return Run{}, fmt.Errorf("credentials: %w", err)
	}
	if opts.Rules == nil {
		if opts.Rules, err = s.fingerprints(ctx); err != nil {
			return Run{}, err
		}
	}
	ro := RunOptions{Workers: opts.Workers, TimeoutMS: int(opts.Timeout / time.Millisecond), Retries: max(opts.Retries, 0), DeadlineS: int(opts.Deadline / time.Second)}
	run := Run{OperatorID: o.ID, Operator: o.Code, Origin: OriginCLI, Status: StatusRunning, Targets: targets.String(),
		Credentials: creds.String(), Options: ro, Progress: Progress{Total: targets.Len()}}
	if run, err = s.createRun(ctx, a, run); err != nil {
		return Run{}, err
	}
	l := &liveRun{cancel: func() {}, progress: run.Progress}
	if progress != nil {
		opts.Progress = progress
	}
	return s.execute(ctx, a, run, targets, creds, opts, l)
}

// CancelRun stops a running sweep. What it stored so far stays; hosts it did not reach
// are not reported missing.
func (s *Service) CancelRun(ctx context.Context, a access.Actor, id int64) (Run, error) {
	run, err := s.Run(ctx, a, id)
	if err != nil {
		return Run{}, err
	}
	if !mayDiscover(a, run.OperatorID) {
		return Run{}, errkind.Forbidden("only the operator's own operator and engineer users cancel discovery runs")
	}
	s.mu.Lock()
	l := s.live[id]
	if l != nil {
		l.mu.Lock()
		l.cancelled = true
		l.mu.Unlock()
	}
	s.mu.Unlock()
	if l == nil {
		if run.Status == StatusRunning || run.Status == StatusUploading {
			return Run{}, errkind.Conflict("run %d is not sweeping on this server", id)
		}
		return Run{}, errkind.Conflict("run %d has already ended (%s)", id, run.Status)
	}
	l.cancel()
	select {
	case <-l.done:
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	return s.Run(ctx, a, id)
}
