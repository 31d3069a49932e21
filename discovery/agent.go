package discovery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Uploader sends runs an agent sweeps to a remote critreg, over its API: it opens an
// upload, sends the results in numbered batches and commits. A dropped connection or a
// server error is retried with growing pauses; before resending a batch it asks the
// server which batch it holds, so a batch whose answer was lost is not sent twice.
type Uploader struct {
	// Server is the base URL of the remote critreg ("https://critreg.example.lv").
	Server string
	// Token is an API token of one of the operator's users, usually of scope discovery.
	Token string
	// Client sends the requests (default: a client with a 60 s timeout).
	Client *http.Client
	// MaxBatchBytes and MaxBatch bound a batch (defaults 256 KiB and 200 results); keep
	// MaxBatchBytes under the server's request body limit.
	MaxBatchBytes int
	MaxBatch      int
	// RetryFor is how long one request is retried before the upload gives up (default
	// 10 minutes): long enough to ride out a restart of the server or a flapping link.
	RetryFor time.Duration
	// MinBackoff and MaxBackoff bound the pause between attempts (defaults 500 ms, 30 s).
	MinBackoff, MaxBackoff time.Duration
	// OnRetry, if set, hears of each failed attempt.
	OnRetry func(err error, wait time.Duration)
}

// Upload is one run being uploaded. Add results as the sweep yields them, then Commit.
// An Upload is not safe for concurrent use; Sweep's callbacks are serialised already.
type Upload struct {
	u        *Uploader
	ID       int64
	seq      int
	pending  []BatchResult
	bytes    int
	progress Progress
}

// checkServer refuses to send a token in clear text anywhere but the machine itself.
func checkServer(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("server %q: not a URL", raw)
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
			return u, nil
		}
		return nil, fmt.Errorf("server %q: use https; the token would cross the network in clear text", raw)
	}
	return nil, fmt.Errorf("server %q: want an https URL", raw)
}

func (u *Uploader) defaults() {
	if u.Client == nil {
		u.Client = &http.Client{Timeout: 60 * time.Second}
	}
	if u.MaxBatchBytes <= 0 {
		u.MaxBatchBytes = 256 << 10
	}
	if u.MaxBatch <= 0 {
		u.MaxBatch = 200
	}
	if u.RetryFor <= 0 {
		u.RetryFor = 10 * time.Minute
	}
	if u.MinBackoff <= 0 {
		u.MinBackoff = 500 * time.Millisecond
	}
	if u.MaxBackoff <= 0 {
		u.MaxBackoff = 30 * time.Second
	}
}

// Start opens an upload on the server.
func (u *Uploader) Start(ctx context.Context, in UploadInput) (*Upload, error) {
	u.defaults()
	if _, err := checkServer(u.Server); err != nil {
		return nil, err
	}
	if u.Token == "" {
		return nil, errors.New("no API token: the server takes uploads from the operator's users only")
	}
	var st UploadState
	// Opening is not idempotent, but a retry after a lost answer only leaves an empty
	// upload behind, which the server shows as never committed.
	if err := u.call(ctx, http.MethodPost, "/api/v1/discovery/uploads", in, &st, nil); err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	return &Upload{u: u, ID: st.ID}, nil
}

// Add buffers one result and sends a batch when the buffer is full. Results the server
// would not keep (silence) are only counted.
func (up *Upload) Add(ctx context.Context, r Result) error {
	if !keepResult(r) {
		return nil
	}
	br := BatchResult{Target: r.Target, Cause: r.Cause, Device: r.Device, ReadAt: time.Now().UTC()}
	if r.Device != nil && !r.Device.ReadAt.IsZero() {
		br.ReadAt = r.Device.ReadAt
	}
	b, err := json.Marshal(br)
	if err != nil {
		return fmt.Errorf("encode result for %s: %w", r.Target, err)
	}
	if len(up.pending) > 0 && (up.bytes+len(b) > up.u.MaxBatchBytes || len(up.pending) >= up.u.MaxBatch) {
		if err := up.flush(ctx); err != nil {
			return err
		}
	}
	up.pending = append(up.pending, br)
	up.bytes += len(b)
	return nil
}

// Progress records the latest counts; they travel with the next batch.
func (up *Upload) Progress(p Progress) { up.progress = p }

// Sent is how many batches the server acknowledged.
func (up *Upload) Sent() int { return up.seq }

func (up *Upload) flush(ctx context.Context) error {
	if len(up.pending) == 0 {
		return nil
	}
	seq := up.seq + 1
	p := up.progress
	batch := Batch{Results: up.pending, Progress: &p}
	path := fmt.Sprintf("/api/v1/discovery/uploads/%d/batches/%d", up.ID, seq)
	var st UploadState
	// After a failure the server is asked what it holds: if the batch arrived and only
	// the answer was lost, it is not sent again.
	held := func(ctx context.Context) bool {
		var now UploadState
		err := up.u.call(ctx, http.MethodGet, fmt.Sprintf("/api/v1/discovery/uploads/%d", up.ID), nil, &now, nil)
		return err == nil && now.HeldSeq >= seq
	}
	if err := up.u.call(ctx, http.MethodPut, path, batch, &st, held); err != nil {
		return fmt.Errorf("upload %d batch %d: %w", up.ID, seq, err)
	}
	up.seq = seq
	up.pending, up.bytes = up.pending[:0], 0
	return nil
}

// Commit sends what is left and closes the upload; the server reconciles the run and
// answers with it. sweepErr is the sweep's error, if it stopped short.
func (up *Upload) Commit(ctx context.Context, p Progress, sweepErr error) (Run, error) {
	up.progress = p
	if err := up.flush(ctx); err != nil {
		return Run{}, err
	}
	in := CommitInput{Batches: up.seq, Progress: p}
	if sweepErr != nil {
		in.Error = sweepErr.Error()
	}
	var run Run
	if err := up.u.call(ctx, http.MethodPost, fmt.Sprintf("/api/v1/discovery/uploads/%d/commit", up.ID), in, &run, nil); err != nil {
		return Run{}, fmt.Errorf("commit upload %d: %w", up.ID, err)
	}
	return run, nil
}

// apiError is an answer of the server that retrying will not change.
type apiError struct {
	Status int
	Detail string
}

func (e *apiError) Error() string { return fmt.Sprintf("server answered %d: %s", e.Status, e.Detail) }

// retryable reports whether a status may pass: the server or a proxy in front of it is
// down or busy, or asks the client to slow down.
func retryable(status int) bool {
	return status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout
}

// call sends one request, retrying failures that may pass. done, if set, is asked after
// a failure whether the request took effect anyway.
func (u *Uploader) call(ctx context.Context, method, path string, in, out any, done func(context.Context) bool) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	start := time.Now()
	wait := u.MinBackoff
	for attempt := 1; ; attempt++ {
		err := u.once(ctx, method, path, body, out)
		var ae *apiError
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &ae) && !retryable(ae.Status):
			// A conflict on a resent batch is the server holding it already.
			if ae.Status == http.StatusConflict && done != nil && done(ctx) {
				return nil
			}
			return err
		}
		if done != nil && done(ctx) {
			return nil
		}
		if time.Since(start)+wait > u.RetryFor {
			return fmt.Errorf("gave up after %d attempts in %s: %w", attempt, time.Since(start).Round(time.Second), err)
		}
		// Jitter keeps many agents cut off together from coming back together.
		pause := wait/2 + rand.N(wait/2+1)
		if u.OnRetry != nil {
			u.OnRetry(err, pause)
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return ctx.Err()
		}
		wait = min(2*wait, u.MaxBackoff)
	}
}

func (u *Uploader) once(ctx context.Context, method, path string, body []byte, out any) error {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(u.Server, "/")+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+u.Token)
	resp, err := u.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var p struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
			Errors []struct {
				Field, Message string
			} `json:"errors"`
		}
		_ = json.Unmarshal(b, &p)
		detail := strings.TrimSpace(p.Title + ": " + p.Detail)
		for _, fe := range p.Errors {
			detail += fmt.Sprintf("; %s: %s", fe.Field, fe.Message)
		}
		return &apiError{Status: resp.StatusCode, Detail: detail}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("read answer of %s %s: %w", method, path, err)
		}
	}
	return nil
}
