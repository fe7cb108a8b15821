package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// fakeSource records when it was fetched (in the poller's clock) and answers
// through fn.
type fakeSource struct {
	name     string
	interval time.Duration
	fn       func(ctx context.Context, env Env, n int) ([]model.Update, error)

	mu        sync.Mutex
	calls     []time.Time
	active    atomic.Int32
	maxActive atomic.Int32
}

func (s *fakeSource) Name() string            { return s.name }
func (s *fakeSource) Interval() time.Duration { return s.interval }

func (s *fakeSource) Fetch(ctx context.Context, env Env) ([]model.Update, error) {
	n := s.active.Add(1)
	defer s.active.Add(-1)
	for {
		m := s.maxActive.Load()
		if n <= m || s.maxActive.CompareAndSwap(m, n) {
			break
		}
	}
	s.mu.Lock()
	s.calls = append(s.calls, env.Now())
	k := len(s.calls)
	s.mu.Unlock()
	if s.fn == nil {
		return []model.Update{model.RankingUpdate{At: env.Now(), Source: s.name, IDs: []string{"a/b"}}}, nil
	}
	return s.fn(ctx, env, k)
}

// offsets returns the fetch times as offsets from epoch.
func (s *fakeSource) offsets() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]time.Duration, len(s.calls))
	for i, c := range s.calls {
		out[i] = c.Sub(epoch)
	}
	return out
}

func (s *fakeSource) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// sinkLog collects what a poller delivers.
type sinkLog struct {
	mu      sync.Mutex
	batches [][]model.Update
}

func (l *sinkLog) sink(us []model.Update) {
	l.mu.Lock()
	l.batches = append(l.batches, us)
	l.mu.Unlock()
}

// health returns every SourceUpdate delivered for name, in order.
func (l *sinkLog) health(name string) []model.SourceHealth {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []model.SourceHealth
	for _, b := range l.batches {
		for _, u := range b {
			if su, ok := u.(model.SourceUpdate); ok && su.Health.Name == name {
				out = append(out, su.Health)
			}
		}
	}
	return out
}

func (l *sinkLog) last(name string) model.SourceHealth {
	hs := l.health(name)
	if len(hs) == 0 {
		return model.SourceHealth{}
	}
	return hs[len(hs)-1]
}

// startPoller runs p in the background; the returned stop cancels it and
// waits for Run to return.
func startPoller(t *testing.T, p *Poller) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run returned %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func secs(ss ...float64) []time.Duration {
	out := make([]time.Duration, len(ss))
	for i, s := range ss {
		out[i] = time.Duration(s * float64(time.Second))
	}
	return out
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPollerSchedulesEachSourceOnItsInterval(t *testing.T) {
	fc := newFakeClock()
	a := &fakeSource{name: "a", interval: 10 * time.Second}
	b := &fakeSource{name: "b", interval: 25 * time.Second}
	var log sinkLog
	p := NewPoller([]Source{a, b}, log.sink, PollerOptions{Clock: fc, Jitter: -1})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.advance(100 * time.Second)

	if got, want := a.offsets(), secs(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100); !equalDurations(got, want) {
		t.Errorf("a fetched at %v, want %v", got, want)
	}
	if got, want := b.offsets(), secs(0, 25, 50, 75, 100); !equalDurations(got, want) {
		t.Errorf("b fetched at %v, want %v", got, want)
	}
	hb := log.last("b")
	if !hb.OK || hb.Interval != 25*time.Second || !hb.LastSuccess.Equal(epoch.Add(100*time.Second)) ||
		!hb.NextAttempt.Equal(epoch.Add(125*time.Second)) || hb.LastError != "" {
		t.Errorf("b health = %+v", hb)
	}
	// Every batch ends with the source's health, after its data.
	log.mu.Lock()
	for _, batch := range log.batches {
		if len(batch) != 2 || batch[0].Kind() != "ranking" || batch[1].Kind() != "source" {
			t.Errorf("batch kinds %v, want [ranking source]", kinds(batch))
		}
	}
	log.mu.Unlock()
}

func kinds(us []model.Update) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Kind())
	}
	return out
}

func TestPollerIntervalOverride(t *testing.T) {
	fc := newFakeClock()
	a := &fakeSource{name: "a", interval: 10 * time.Minute}
	b := &fakeSource{name: "b", interval: 0} // falls back to DefaultInterval, then overridden
	p := NewPoller([]Source{a, b}, nil, PollerOptions{Clock: fc, Jitter: -1, Interval: time.Second})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.advance(5 * time.Second)
	for _, s := range []*fakeSource{a, b} {
		if got, want := s.offsets(), secs(0, 1, 2, 3, 4, 5); !equalDurations(got, want) {
			t.Errorf("%s fetched at %v, want %v", s.name, got, want)
		}
	}
	p2 := NewPoller([]Source{b}, nil, PollerOptions{})
	if p2.srcs[0].interval != DefaultInterval {
		t.Errorf("zero interval became %v, want %v", p2.srcs[0].interval, DefaultInterval)
	}
}

func TestPollerJitterBounds(t *testing.T) {
	const iv = 10 * time.Second
	tests := []struct {
		name string
		r    float64
		want time.Duration
	}{
		{"lowest", 0, 9 * time.Second},
		{"middle", 0.5, iv},
		{"highest", 0.999999, 11*time.Second - 20*time.Microsecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPoller(nil, nil, PollerOptions{Rand: func() float64 { return tc.r }})
			got := p.jittered(iv)
			if d := got - tc.want; d < -time.Microsecond*20 || d > time.Microsecond*20 {
				t.Errorf("jittered(10s) with rand %v = %v, want ≈ %v", tc.r, got, tc.want)
			}
		})
	}

	// With the real random source, every gap stays within ±10%, and they vary.
	fc := newFakeClock()
	a := &fakeSource{name: "a", interval: iv}
	p := NewPoller([]Source{a}, nil, PollerOptions{Clock: fc})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.advance(300 * iv)
	offs := a.offsets()
	if len(offs) < 250 {
		t.Fatalf("only %d fetches in 300 intervals", len(offs))
	}
	seen := map[time.Duration]bool{}
	for i := 1; i < len(offs); i++ {
		gap := offs[i] - offs[i-1]
		if gap < 9*time.Second || gap > 11*time.Second {
			t.Fatalf("gap %d = %v, outside [9s, 11s]", i, gap)
		}
		seen[gap] = true
	}
	if len(seen) < 10 {
		t.Errorf("only %d distinct gaps: jitter is not random", len(seen))
	}
}

func TestPollerBackoffGrowsAndResets(t *testing.T) {
	fc := newFakeClock()
	const failures = 9
	a := &fakeSource{name: "a", interval: time.Minute, fn: func(_ context.Context, env Env, n int) ([]model.Update, error) {
		if n <= failures {
			return nil, &HTTPError{Status: 500}
		}
		return nil, nil
	}}
	var log sinkLog
	p := NewPoller([]Source{a}, log.sink, PollerOptions{Clock: fc, Jitter: -1})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.advance(2 * time.Hour)

	offs := a.offsets()
	var gaps []time.Duration
	for i := 1; i < len(offs) && i <= failures+2; i++ {
		gaps = append(gaps, offs[i]-offs[i-1])
	}
	// 15s doubling to the cap of one interval (a failed burst never waits
	// longer than a success would), then after the success the interval.
	want := secs(15, 30, 60, 60, 60, 60, 60, 60, 60, 60, 60)
	if !equalDurations(gaps, want) {
		t.Fatalf("gaps %v, want %v", gaps, want)
	}
	hs := log.health("a")
	if hs[0].OK || hs[0].LastError != "HTTP 500" || !hs[0].NextAttempt.Equal(epoch.Add(15*time.Second)) {
		t.Errorf("first health %+v", hs[0])
	}
	if !hs[0].LastSuccess.IsZero() {
		t.Errorf("LastSuccess set before any success: %v", hs[0].LastSuccess)
	}
	ok := hs[failures]
	if !ok.OK || ok.LastError != "" || !ok.LastSuccess.Equal(ok.LastAttempt) {
		t.Errorf("health after recovery %+v", ok)
	}
}

func TestPollerBackoffCeilings(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		max      time.Duration
		failures int
		err      error
		want     time.Duration
	}{
		{"first failure is a quarter", 10 * time.Minute, 0, 1, errors.New("x"), 150 * time.Second},
		{"capped at the interval", 10 * time.Minute, 0, 10, errors.New("x"), 10 * time.Minute},
		{"an hourly source waits an hour at most", time.Hour, 0, 10, errors.New("x"), time.Hour},
		{"explicit cap", time.Minute, 3 * time.Minute, 10, errors.New("x"), 3 * time.Minute},
		{"429 waits at least one interval", time.Minute, 0, 1, &HTTPError{Status: 429}, time.Minute},
		{"wrapped 503 too", time.Minute, 0, 1, fmt.Errorf("status: %w", &HTTPError{Status: 503}), time.Minute},
		{"huge failure count does not overflow", time.Minute, 0, 500, errors.New("x"), time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPoller(nil, nil, PollerOptions{MaxBackoff: tc.max})
			st := &polled{interval: tc.interval, failures: tc.failures}
			if got := p.backoff(st, tc.err); got != tc.want {
				t.Errorf("backoff = %v, want %v", got, tc.want)
			}
		})
	}
}

// httpSource is a source reading one URL through the poller's fetcher, the
// way the real sources do.
func httpSource(name, url string, header http.Header) *fakeSource {
	return &fakeSource{name: name, interval: time.Minute, fn: func(ctx context.Context, env Env, n int) ([]model.Update, error) {
		resp, err := env.HTTP.Get(ctx, Request{URL: url, Header: header})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if resp.NotModified {
			return nil, ErrNotModified
		}
		if !strings.HasPrefix(string(resp.Body), "{") {
			return nil, errors.New("not JSON")
		}
		return []model.Update{model.RankingUpdate{At: env.Now(), Source: name, IDs: []string{"x/y"}}}, nil
	}}
}

func TestPollerHonoursRetryAfter(t *testing.T) {
	var hits atomic.Int32
	var healthy atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if healthy.Load() {
			fmt.Fprint(w, "{}")
			return
		}
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	fc := newFakeClock()
	src := httpSource("catalogue", srv.URL+"/models", nil)
	var log sinkLog
	// --interval 1s
	p := NewPoller([]Source{src}, log.sink, PollerOptions{Clock: fc, Interval: time.Second})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.settle()
	if hits.Load() != 1 {
		t.Fatalf("%d requests at start, want 1", hits.Load())
	}
	hl := log.last("catalogue")
	if hl.OK || hl.LastError != "HTTP 429, retry after 2m0s" || hl.NextAttempt.Before(epoch.Add(120*time.Second)) {
		t.Fatalf("health after 429 = %+v", hl)
	}
	// Refresh does not break the ban.
	p.Refresh()
	h.settle()
	for range 25 {
		h.advance(time.Second)
		p.Refresh()
		h.settle()
	}
	if n := hits.Load(); n > 2 {
		t.Fatalf("%d requests within 25 s of a 429 with Retry-After: 120, want at most 2 (1 further)", n)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests within the ban, want exactly 1", n)
	}
	healthy.Store(true)
	h.advance(95 * time.Second) // t = 120 s: the ban is over
	if n := hits.Load(); n != 2 {
		t.Fatalf("%d requests at the end of the ban, want 2", n)
	}
	if hl := log.last("catalogue"); !hl.OK || hl.LastError != "" {
		t.Errorf("no recovery after the ban: %+v", hl)
	}
	// Back to the 1 s interval.
	h.advance(5 * time.Second)
	if n := hits.Load(); n < 6 {
		t.Errorf("%d requests 5 s after recovery at --interval 1s, want ≥ 6", n)
	}
}

func TestPollerNotModifiedIsSuccessWithoutUpdates(t *testing.T) {
	srv := newETagServer(t, always(`"abc"`), always("{}"))
	conditional := &srv.conditional
	fc := newFakeClock()
	var log sinkLog
	p := NewPoller([]Source{httpSource("s", srv.URL, nil)}, log.sink, PollerOptions{Clock: fc, Jitter: -1})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.advance(time.Minute)
	if conditional.Load() != 1 {
		t.Fatalf("conditional requests %d, want 1", conditional.Load())
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.batches) != 2 {
		t.Fatalf("%d batches, want 2", len(log.batches))
	}
	if k := kinds(log.batches[1]); len(k) != 1 || k[0] != "source" {
		t.Errorf("304 delivered %v, want only the health", k)
	}
	if hs := log.batches[1][0].(model.SourceUpdate).Health; !hs.OK || !hs.LastSuccess.Equal(epoch.Add(time.Minute)) {
		t.Errorf("304 health %+v", hs)
	}
}

func TestPollerForgetsETagAfterFailedDecode(t *testing.T) {
	srv := newETagServer(t, func(n int32) string { return fmt.Sprintf(`"%d"`, n) }, func(n int32) string {
		if n == 1 {
			return "<html>garbage" // the source cannot decode this
		}
		return "{}"
	})
	conditional, hits := &srv.conditional, &srv.hits
	fc := newFakeClock()
	var log sinkLog
	p := NewPoller([]Source{httpSource("s", srv.URL, nil)}, log.sink, PollerOptions{Clock: fc, Jitter: -1})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.settle()
	if hl := log.last("s"); hl.OK || hl.LastError != "not JSON" {
		t.Fatalf("health after garbage %+v", hl)
	}
	h.advance(15 * time.Second) // the backoff
	if hits.Load() != 2 || conditional.Load() != 0 {
		t.Fatalf("hits %d conditional %d: the garbage's ETag was reused", hits.Load(), conditional.Load())
	}
	if hl := log.last("s"); !hl.OK {
		t.Fatalf("not recovered: %+v", hl)
	}
	h.advance(time.Minute)
	if conditional.Load() != 1 {
		t.Errorf("a good body's ETag was not used: conditional = %d", conditional.Load())
	}
}

func TestPollerNoOverlap(t *testing.T) {
	fc := newFakeClock()
	release := make(chan struct{})
	started := make(chan struct{}) // closed once the first fetch has read the clock
	a := &fakeSource{name: "slow", interval: time.Second, fn: func(ctx context.Context, env Env, n int) ([]model.Update, error) {
		if n == 1 {
			close(started)
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return nil, nil
	}}
	var log sinkLog
	p := NewPoller([]Source{a}, log.sink, PollerOptions{Clock: fc, Jitter: -1})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.settleWith(1)
	// The loop counts a fetch in flight when it starts the goroutine, which
	// may not have called Fetch yet: wait for it, or the clock moves first
	// and the fetch is recorded at 10 s.
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the first fetch never started")
	}
	// The first fetch outlasts ten intervals, and a refresh is asked for.
	h.advanceWith(10*time.Second, 1)
	p.Refresh()
	h.settleWith(1)
	if n := a.count(); n != 1 {
		t.Fatalf("%d fetches while the first was in flight, want 1", n)
	}
	close(release)
	h.settle()
	if hl := log.last("slow"); !hl.OK || !hl.NextAttempt.Equal(epoch.Add(11*time.Second)) {
		t.Errorf("after the slow fetch: %+v (next attempt one interval after it ended)", hl)
	}
	h.advance(3 * time.Second)
	if a.maxActive.Load() != 1 {
		t.Errorf("max concurrent fetches of one source = %d, want 1", a.maxActive.Load())
	}
	if got, want := a.offsets(), secs(0, 11, 12, 13); !equalDurations(got, want) {
		t.Errorf("fetches at %v, want %v", got, want)
	}
}

func TestPollerPauseAndRefresh(t *testing.T) {
	fc := newFakeClock()
	a := &fakeSource{name: "a", interval: 10 * time.Second}
	p := NewPoller([]Source{a}, nil, PollerOptions{Clock: fc, Jitter: -1})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.settle()
	p.SetPaused(true)
	if !p.Paused() {
		t.Fatal("Paused() false after SetPaused(true)")
	}
	h.advance(time.Minute)
	if n := a.count(); n != 1 {
		t.Fatalf("%d fetches while paused, want 1 (the initial one)", n)
	}
	if n := fc.armed(); n != 0 {
		t.Errorf("%d timers armed while paused, want 0", n)
	}
	// Refresh fetches now even while paused, once.
	p.Refresh()
	h.advance(time.Minute)
	if got, want := a.offsets(), secs(0, 60); !equalDurations(got, want) {
		t.Fatalf("fetches %v, want %v", got, want)
	}
	// Resuming fetches the overdue source at once, then on schedule.
	p.SetPaused(false)
	h.advance(10 * time.Second)
	if got, want := a.offsets(), secs(0, 60, 120, 130); !equalDurations(got, want) {
		t.Fatalf("fetches %v, want %v", got, want)
	}
	// Refresh between two scheduled fetches fetches now and restarts the
	// interval from there.
	h.advance(3 * time.Second)
	p.Refresh()
	h.advance(10 * time.Second)
	if got, want := a.offsets(), secs(0, 60, 120, 130, 133, 143); !equalDurations(got, want) {
		t.Fatalf("fetches %v, want %v", got, want)
	}
	if p.Speed() != 0 {
		t.Errorf("Speed() = %v, want 0", p.Speed())
	}
	p.SetSpeed(4) // a no-op
	if p.Speed() != 0 {
		t.Errorf("SetSpeed changed a poller's speed")
	}
}

func TestPollerSurvivesPanickingSourceAndRedacts(t *testing.T) {
	fc := newFakeClock()
	a := &fakeSource{name: "bad", interval: time.Second, fn: func(ctx context.Context, env Env, n int) ([]model.Update, error) {
		if n == 1 {
			panic("index out of range")
		}
		return nil, fmt.Errorf("upstream said \x1b[31m%s\r\x07", testKey)
	}}
	var log sinkLog
	p := NewPoller([]Source{a}, log.sink, PollerOptions{Clock: fc, Jitter: -1, Redact: []string{testKey, ""}})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.settle()
	if hl := log.last("bad"); hl.OK || hl.LastError != "source failed: index out of range" {
		t.Fatalf("after panic: %+v", hl)
	}
	h.advance(time.Second)
	hl := log.last("bad")
	if hl.LastError != "upstream said [redacted]" {
		t.Fatalf("LastError = %q", hl.LastError)
	}
}

func TestPollerRunOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			w.WriteHeader(502)
			return
		}
		fmt.Fprint(w, "{}")
	}))
	defer srv.Close()
	good := httpSource("good", srv.URL+"/ok", nil)
	bad := httpSource("bad", srv.URL+"/fail", nil)
	// An optional dataset the server does not have (providers on a server
	// without it) is unavailable, not an error worth a one-shot warning.
	optional := &fakeSource{name: "providers", interval: time.Hour, fn: func(context.Context, Env, int) ([]model.Update, error) {
		return nil, fmt.Errorf("providers: %w (HTTP 404)", ErrUnavailable)
	}}
	var log sinkLog
	p := NewPoller([]Source{good, bad, optional}, log.sink, PollerOptions{})
	err := p.RunOnce(context.Background())
	if err == nil || err.Error() != "bad: HTTP 502" {
		t.Fatalf("RunOnce err = %v, want only the real failure", err)
	}
	if !log.last("good").OK || log.last("bad").OK {
		t.Errorf("health good=%+v bad=%+v", log.last("good"), log.last("bad"))
	}
	if h := log.last("providers"); h.OK || !h.Unavailable {
		t.Errorf("optional dataset's health = %+v, want unavailable", h)
	}
	var rankings int
	log.mu.Lock()
	for _, b := range log.batches {
		for _, u := range b {
			if u.Kind() == "ranking" {
				rankings++
			}
		}
	}
	log.mu.Unlock()
	if rankings != 1 {
		t.Errorf("%d ranking updates, want 1 from the good source", rankings)
	}

	// Bounded by ctx: a hanging upstream is cut off by the caller's deadline.
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	p2 := NewPoller([]Source{httpSource("hang", hang.URL, nil)}, log.sink, PollerOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = p2.RunOnce(ctx)
	if err == nil || !strings.Contains(err.Error(), "timed out") || time.Since(start) > 5*time.Second {
		t.Fatalf("RunOnce on a hanging upstream: %v after %v", err, time.Since(start))
	}
}

func TestPollerRunTwiceIsRefused(t *testing.T) {
	fc := newFakeClock()
	p := NewPoller([]Source{&fakeSource{name: "a", interval: time.Second}}, nil, PollerOptions{Clock: fc})
	h := newPollerHarness(t, fc, p)
	stop := startPoller(t, p)
	h.settle()
	if err := p.Run(context.Background()); err == nil {
		t.Error("second Run accepted")
	}
	if err := p.RunOnce(context.Background()); err == nil {
		t.Error("RunOnce during Run accepted")
	}
	stop()
}

func TestPollerCancellationLeavesNoGoroutines(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang" {
			<-r.Context().Done()
			return
		}
		fmt.Fprint(w, "{}")
	}))
	defer srv.Close()
	runtime.GC()
	before := runtime.NumGoroutine()

	fetcher := NewHTTP(HTTPOptions{})
	blocked := &fakeSource{name: "blocked", interval: time.Second, fn: func(ctx context.Context, env Env, n int) ([]model.Update, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	srcs := []Source{
		httpSource("ok", srv.URL+"/ok", nil),
		httpSource("hang", srv.URL+"/hang", nil),
		blocked,
	}
	var log sinkLog
	p := NewPoller(srcs, log.sink, PollerOptions{HTTP: fetcher, Interval: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	time.Sleep(100 * time.Millisecond) // real clock: let fetches start and repeat
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	fetcher.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines after Run returned, %d before\n%s", runtime.NumGoroutine(), before, buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Nothing is delivered after Run returned.
	log.mu.Lock()
	n := len(log.batches)
	log.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.batches) != n {
		t.Errorf("deliveries after Run returned")
	}
	if n == 0 {
		t.Errorf("nothing delivered in 100 ms at a 10 ms interval")
	}
}

func TestPollerIdleHasNoTimerButTheNextDue(t *testing.T) {
	// Between fetches the loop waits on one timer for the earliest source:
	// no tickers, no busy loop.
	fc := newFakeClock()
	a := &fakeSource{name: "a", interval: 10 * time.Minute}
	b := &fakeSource{name: "b", interval: time.Hour}
	p := NewPoller([]Source{a, b}, nil, PollerOptions{Clock: fc, Jitter: -1})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.settle()
	next, ok := fc.nextDeadline()
	if !ok || !next.Equal(epoch.Add(10*time.Minute)) || fc.armed() != 1 {
		t.Errorf("armed %d timers, next %v; want one at +10m", fc.armed(), next.Sub(epoch))
	}
}

func TestPollerRealClockIdleCPU(t *testing.T) {
	if testing.Short() {
		t.Skip("measures CPU for a second")
	}
	a := &fakeSource{name: "a", interval: time.Hour}
	p := NewPoller([]Source{a}, nil, PollerOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	time.Sleep(50 * time.Millisecond)
	cpu0 := processCPU()
	if cpu0 < 0 {
		cancel()
		<-done
		t.Skip("no CPU accounting here")
	}
	time.Sleep(500 * time.Millisecond)
	used := processCPU() - cpu0
	cancel()
	<-done
	// Everything in the process counts, the test runtime included; an idle
	// poller must stay far below 5% of a core.
	if used > 25*time.Millisecond {
		t.Errorf("idle poller used %v CPU in 500 ms", used)
	}
}

func TestTrackingFetcherForgetsOnlyWithForgetter(t *testing.T) {
	var plain plainFetcher
	tf := &trackingFetcher{f: &plain}
	_, _ = tf.Get(context.Background(), Request{URL: "http://a/"})
	tf.forget() // must not panic without ForgetETag
	if len(tf.urls) != 1 {
		t.Errorf("tracked %v", tf.urls)
	}
}

type plainFetcher struct{}

func (*plainFetcher) Get(context.Context, Request) (Response, error) {
	return Response{Status: 200, Body: []byte("{}")}, nil
}

// TestPollerReportsUpstreamFaults runs one poll against each kind of broken
// upstream and checks what the health strip would say.
func TestPollerReportsUpstreamFaults(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/500":
			w.WriteHeader(500)
		case "/429":
			w.Header().Set("Retry-After", "40")
			w.WriteHeader(429)
		case "/huge":
			for range 50 { // 50 MB
				if _, err := fmt.Fprint(w, huge); err != nil {
					return
				}
			}
		case "/slow":
			<-r.Context().Done()
		case "/truncated":
			w.Header().Set("Content-Length", "4096")
			fmt.Fprint(w, `{"data":[`)
			w.(http.Flusher).Flush()
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		case "/garbage":
			fmt.Fprint(w, "<html>\x1b[31mnope")
		}
	}))
	defer srv.Close()
	want := map[string]string{
		// The strip names the source, so the message does not repeat it.
		"500":       "HTTP 500",
		"429":       "HTTP 429, retry after 40s",
		"huge":      "body over 1 MiB",
		"slow":      "timeout after 1.5s",
		"truncated": "truncated body",
		"garbage":   "not JSON",
	}
	var srcs []Source
	for name := range want {
		srcs = append(srcs, httpSource(name, srv.URL+"/"+name, http.Header{"Authorization": {"Bearer " + testKey}}))
	}
	var log sinkLog
	// A 1 MiB cap, not the default 16 MiB: the cap's wording is the same,
	// and moving 16 MiB through loopback under a loaded -race run could
	// outlast the 1.5 s timeout that the slow upstream needs.
	fetcher := NewHTTP(HTTPOptions{Timeout: 1500 * time.Millisecond, MaxBody: 1 << 20})
	defer fetcher.CloseIdleConnections()
	p := NewPoller(srcs, log.sink, PollerOptions{HTTP: fetcher})
	if err := p.RunOnce(context.Background()); err == nil {
		t.Fatal("RunOnce reported no failure")
	}
	for name, msg := range want {
		h := log.last(name)
		if h.OK || h.LastError != msg || h.LastAttempt.IsZero() || !h.NextAttempt.After(h.LastAttempt) {
			t.Errorf("%s: health %+v, want error %q", name, h, msg)
		}
		if strings.Contains(h.LastError, testKey) {
			t.Errorf("%s: key in %q", name, h.LastError)
		}
	}
}

// Backoff after a failed burst is capped at the source's interval, jitter
// included: the catalogue (10 min) waited 30 min, the apps dataset (1 h)
// 1h03m before.
func TestPollerBackoffNeverExceedsTheInterval(t *testing.T) {
	fc := newFakeClock()
	a := &fakeSource{name: "catalogue", interval: 10 * time.Minute, fn: func(context.Context, Env, int) ([]model.Update, error) {
		return nil, &HTTPError{Status: 502}
	}}
	p := NewPoller([]Source{a}, nil, PollerOptions{Clock: fc, Jitter: 0.1, Rand: func() float64 { return 0.999 }})
	h := newPollerHarness(t, fc, p)
	startPoller(t, p)
	h.advance(3 * time.Hour)
	offs := a.offsets()
	if len(offs) < 10 {
		t.Fatalf("%d attempts in 3 h", len(offs))
	}
	for i := 1; i < len(offs); i++ {
		if gap := offs[i] - offs[i-1]; gap > 10*time.Minute {
			t.Fatalf("gap %d after failures: %v, want at most the 10 min interval", i, gap)
		}
	}
}
