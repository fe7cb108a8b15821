package feeds

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// Defaults of PollerOptions.
const (
	DefaultInterval     = time.Minute            // for a source whose Interval() is not positive
	DefaultJitter       = 0.1                    // ±10% on every delay, so sources do not beat in step
	DefaultFetchTimeout = 5 * time.Minute        // bounds one Fetch, however many requests it makes
	maxErrorWidth       = 120                    // cells of an error message in SourceHealth
	minSkipDelay        = 500 * time.Millisecond // a source asking to come back "now" must not spin
)

// PollerOptions configures NewPoller. The zero value polls each source at its
// own interval over a fresh HTTP fetcher on the wall clock.
type PollerOptions struct {
	// Interval, when positive, replaces every source's own interval
	// (--interval, for demos and tests).
	Interval time.Duration
	// Jitter is the fraction by which each delay is randomly stretched or
	// shrunk; 0 means DefaultJitter, negative means none.
	Jitter float64
	// MaxBackoff caps the delay after repeated failures; 0 means the
	// source's interval.
	MaxBackoff time.Duration
	// FetchTimeout bounds one Fetch of a source; 0 means DefaultFetchTimeout.
	FetchTimeout time.Duration
	// HTTP is the fetcher sources use; nil means NewHTTP(HTTPOptions{}).
	HTTP Fetcher
	// Latest returns the newest market Snapshot for Env.Latest; nil (or a nil
	// result) means an empty Snapshot.
	Latest func() *model.Snapshot
	// Clock is the time source; nil means RealClock().
	Clock Clock
	// Rand returns a number in [0, 1) for jitter; nil means math/rand/v2.
	Rand func() float64
	// Redact lists secrets (the API key) cut out of every error message
	// before it is reported, as a last line of defence: errors are built not
	// to carry them in the first place.
	Redact []string
}

// Poller schedules polled sources. Each source runs on its own interval with
// jitter; a failure backs off exponentially and honours Retry-After (no
// request to that source before it has passed); one source never has two
// fetches in flight. After every attempt the sink receives the source's
// updates followed by a model.SourceUpdate with its health.
//
// A Poller is driven by Run (or RunOnce, not both at once). Its controls are
// safe to call from any goroutine.
type Poller struct {
	srcs         []*polled
	sink         Sink
	clock        Clock
	http         Fetcher
	latest       func() *model.Snapshot
	rand         func() float64
	jitter       float64
	maxBackoff   time.Duration
	fetchTimeout time.Duration
	redact       []string

	busy atomic.Bool // Run or RunOnce is in progress

	mu      sync.Mutex
	paused  bool
	refresh bool
	wakeTx  uint64        // successful sends on wake (for tests' settling)
	wake    chan struct{} // nudges the loop after a control call

	dbg *loopDebug // set by tests only
}

// polled is the poller's record of one source. Only the goroutine running
// Run or RunOnce touches it.
type polled struct {
	src      Source
	interval time.Duration
	health   model.SourceHealth
	failures int       // consecutive
	banUntil time.Time // Retry-After: no request before this
	next     time.Time // the next scheduled attempt
	running  bool
	// prevAttempt is LastAttempt before the fetch in flight, restored when
	// the source skips (a skip is no attempt).
	prevAttempt time.Time
}

type fetchResult struct {
	st      *polled
	updates []model.Update
	err     error
}

var _ Controls = (*Poller)(nil)

// NewPoller returns a poller of srcs delivering to sink. Sources with an
// empty name or nil are skipped.
func NewPoller(srcs []Source, sink Sink, opts PollerOptions) *Poller {
	p := &Poller{
		sink:         sink,
		clock:        opts.Clock,
		http:         opts.HTTP,
		latest:       opts.Latest,
		rand:         opts.Rand,
		jitter:       opts.Jitter,
		maxBackoff:   opts.MaxBackoff,
		fetchTimeout: opts.FetchTimeout,
		wake:         make(chan struct{}, 1),
	}
	if p.sink == nil {
		p.sink = func([]model.Update) {}
	}
	if p.clock == nil {
		p.clock = RealClock()
	}
	if p.http == nil {
		p.http = NewHTTP(HTTPOptions{})
	}
	if p.rand == nil {
		p.rand = rand.Float64
	}
	switch {
	case p.jitter == 0:
		p.jitter = DefaultJitter
	case p.jitter < 0:
		p.jitter = 0
	case p.jitter > 0.5:
		p.jitter = 0.5
	}
	if p.fetchTimeout <= 0 {
		p.fetchTimeout = DefaultFetchTimeout
	}
	for _, s := range opts.Redact {
		if len(s) >= 4 { // a shorter "secret" would redact ordinary words
			p.redact = append(p.redact, s)
		}
	}
	for _, s := range srcs {
		if s == nil || s.Name() == "" {
			continue
		}
		iv := opts.Interval
		if iv <= 0 {
			iv = s.Interval()
		}
		if f, ok := s.(MinIntervaler); ok {
			// A source with a floor (a dataset with a daily quota) is never
			// polled faster, whatever the override: its polls would only be
			// skipped, and its data is judged stale against the floor.
			iv = max(iv, f.MinInterval())
		}
		if iv <= 0 {
			iv = DefaultInterval
		}
		p.srcs = append(p.srcs, &polled{src: s, interval: iv,
			health: model.SourceHealth{Name: s.Name(), Interval: iv}})
	}
	return p
}

// SetPaused stops (true) or resumes (false) scheduled fetches. A fetch in
// flight completes and is delivered. On resume, overdue sources are fetched
// at once.
func (p *Poller) SetPaused(paused bool) {
	p.mu.Lock()
	p.paused = paused
	p.pokeLocked()
	p.mu.Unlock()
}

// Paused reports whether scheduled fetches are paused.
func (p *Poller) Paused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paused
}

// Refresh fetches every source now, even while paused, except a source
// already fetching (no overlap) or one still banned by a Retry-After.
func (p *Poller) Refresh() {
	p.mu.Lock()
	p.refresh = true
	p.pokeLocked()
	p.mu.Unlock()
}

// SetSpeed does nothing: live feeds have no speed.
func (p *Poller) SetSpeed(float64) {}

// Speed returns 0: live feeds have no speed.
func (p *Poller) Speed() float64 { return 0 }

func (p *Poller) pokeLocked() {
	select {
	case p.wake <- struct{}{}:
		p.wakeTx++
	default:
	}
}

// takeControls reads the pause state and consumes a pending refresh.
func (p *Poller) takeControls() (paused, refresh bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	paused, refresh = p.paused, p.refresh
	p.refresh = false
	return paused, refresh
}

// Run polls until ctx is done, then cancels fetches in flight, waits for
// them, and returns nil. Every source is first fetched at once. Results of
// fetches cut short by the cancellation are not delivered.
func (p *Poller) Run(ctx context.Context) error {
	if !p.busy.CompareAndSwap(false, true) {
		return errors.New("feeds: poller is already running")
	}
	defer p.busy.Store(false)

	fctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	// Buffered for every source, so a fetch finishing after Run returned
	// never blocks.
	done := make(chan fetchResult, len(p.srcs))
	timer := p.clock.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()

	start := p.clock.Now()
	for _, st := range p.srcs {
		if st.next.IsZero() {
			st.next = start
		}
	}
	inflight := 0
	for {
		now := p.clock.Now()
		paused, refresh := p.takeControls()
		var earliest time.Time
		for _, st := range p.srcs {
			if st.running {
				continue
			}
			due := !paused && !now.Before(st.next)
			if refresh && !now.Before(st.banUntil) {
				due = true
			}
			if due {
				p.launch(fctx, st, now, done, &wg)
				inflight++
				continue
			}
			if earliest.IsZero() || st.next.Before(earliest) {
				earliest = st.next
			}
		}
		if paused || earliest.IsZero() {
			timer.Stop()
		} else {
			timer.Reset(max(earliest.Sub(now), 0))
		}

		p.dbg.block(inflight)
		select {
		case <-ctx.Done():
			p.dbg.woke(wokeOther)
			return nil
		case <-timer.C():
			p.dbg.woke(wokeTimer)
		case <-p.wake:
			p.dbg.woke(wokeControl)
		case r := <-done:
			p.dbg.woke(wokeOther)
			inflight--
			r.st.running = false
			if ctx.Err() != nil {
				return nil
			}
			p.deliver(p.complete(r))
		}
	}
}

// RunOnce makes one attempt of every source concurrently, delivering each
// source's updates and health as it finishes, and returns when all have
// (sources honour ctx, so a deadline on ctx bounds it). The error joins the
// failures, one "name: message" each; the sources that succeeded have
// delivered their data regardless. An optional dataset the upstream says does
// not exist (ErrUnavailable) is not a failure: its health says unavailable,
// and a one-shot caller has nothing to warn about. It ignores pause,
// schedules and bans.
func (p *Poller) RunOnce(ctx context.Context) error {
	if !p.busy.CompareAndSwap(false, true) {
		return errors.New("feeds: poller is already running")
	}
	defer p.busy.Store(false)

	done := make(chan fetchResult, len(p.srcs))
	var wg sync.WaitGroup
	now := p.clock.Now()
	for _, st := range p.srcs {
		p.launch(ctx, st, now, done, &wg)
	}
	var errs []error
	for range p.srcs {
		r := <-done
		r.st.running = false
		p.deliver(p.complete(r))
		var skip *SkipError
		if !r.st.health.OK && !errors.As(r.err, &skip) && !errors.Is(r.err, ErrUnavailable) {
			errs = append(errs, fmt.Errorf("%s: %s", r.st.health.Name, r.st.health.LastError))
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// launch starts one fetch of st in its own goroutine.
func (p *Poller) launch(ctx context.Context, st *polled, now time.Time, done chan<- fetchResult, wg *sync.WaitGroup) {
	st.running = true
	st.prevAttempt = st.health.LastAttempt
	st.health.LastAttempt = now
	wg.Add(1)
	go func() {
		defer wg.Done()
		ups, err := p.fetch(ctx, st.src)
		done <- fetchResult{st: st, updates: ups, err: err}
	}()
}

// fetch runs one Fetch with the fetch timeout, recovering a panicking source
// (one broken decoder must not take the program down) and forgetting the
// ETags of a failed fetch's URLs so the next attempt re-reads their bodies.
func (p *Poller) fetch(ctx context.Context, src Source) (ups []model.Update, err error) {
	ctx, cancel := context.WithTimeout(ctx, p.fetchTimeout)
	defer cancel()
	tf := &trackingFetcher{f: p.http}
	defer func() {
		if r := recover(); r != nil {
			ups, err = nil, fmt.Errorf("source failed: %v", r)
		}
		if err != nil && !errors.Is(err, ErrNotModified) {
			tf.forget()
		}
	}()
	env := Env{HTTP: tf, Latest: p.latestSnapshot, Now: p.clock.Now}
	return src.Fetch(ctx, env)
}

func (p *Poller) latestSnapshot() *model.Snapshot {
	if p.latest != nil {
		if s := p.latest(); s != nil {
			return s
		}
	}
	return &model.Snapshot{}
}

// complete records the outcome of an attempt in st's health, schedules the
// next attempt and returns what to deliver: the source's updates (even a
// failed fetch may return partial results), then its health.
func (p *Poller) complete(r fetchResult) []model.Update {
	st := r.st
	now := p.clock.Now()
	h := &st.health
	var delay time.Duration
	var skip *SkipError
	switch {
	case r.err == nil || errors.Is(r.err, ErrNotModified):
		st.failures = 0
		h.OK, h.LastSuccess, h.LastError, h.Unavailable = true, now, "", false
		delay = p.jittered(st.interval)
	case errors.As(r.err, &skip):
		// Nothing was read: the health stays as it was (in particular the
		// age of the data held keeps growing), only the schedule moves.
		h.LastAttempt = st.prevAttempt
		delay = p.jittered(st.interval)
		if !skip.Until.IsZero() {
			delay = max(skip.Until.Sub(now), minSkipDelay)
		}
	case errors.Is(r.err, ErrUnavailable):
		// Not an outage: the upstream says there is nothing to read. Ask
		// again at the source's own interval (datasets are slow), with
		// neither backoff nor a failure count.
		st.failures = 0
		h.OK, h.Unavailable, h.LastError = false, true, p.describe(h.Name, r.err)
		delay = p.jittered(max(st.interval, st.src.Interval()))
	default:
		st.failures++
		h.OK, h.Unavailable, h.LastError = false, false, p.describe(h.Name, r.err)
		delay = min(p.jittered(p.backoff(st, r.err)), max(p.backoffCeiling(st), st.interval))
		if ra := retryAfter(r.err); ra > 0 {
			st.banUntil = now.Add(ra)
			delay = max(delay, ra) // a Retry-After is never shortened by jitter
		}
	}
	st.next = now.Add(delay)
	h.NextAttempt = st.next
	h.Interval = st.interval
	out := make([]model.Update, 0, len(r.updates)+1)
	for _, u := range r.updates {
		if u != nil {
			out = append(out, u)
		}
	}
	return append(out, model.SourceUpdate{Health: *h})
}

func (p *Poller) deliver(ups []model.Update) { p.sink(ups) }

// backoff is the delay after st.failures consecutive failures: a quarter of
// the interval, doubling each time, capped at the source's interval (or
// MaxBackoff when set): a failed burst never silences a source for longer
// than it would wait after a success. Rate limiting and overload (429, 503)
// never retry sooner than one interval.
func (p *Poller) backoff(st *polled, err error) time.Duration {
	ceiling := p.backoffCeiling(st)
	d := max(st.interval/4, time.Millisecond)
	for i := 1; i < st.failures && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	var he *HTTPError
	if errors.As(err, &he) && (he.Status == http.StatusTooManyRequests || he.Status == http.StatusServiceUnavailable) {
		d = max(d, st.interval)
	}
	return d
}

// backoffCeiling is the longest wait after failures: MaxBackoff when set,
// else the source's interval. Jitter never stretches a wait past it.
func (p *Poller) backoffCeiling(st *polled) time.Duration {
	if p.maxBackoff > 0 {
		return p.maxBackoff
	}
	return max(st.interval, time.Millisecond)
}

// jittered stretches or shrinks d by up to the jitter fraction.
func (p *Poller) jittered(d time.Duration) time.Duration {
	if p.jitter <= 0 {
		return d
	}
	f := (p.rand()*2 - 1) * p.jitter
	return d + time.Duration(float64(d)*f)
}

// describe makes an error fit for the health strip: secrets cut out,
// control characters removed, short.
func (p *Poller) describe(name string, err error) string {
	// The strip already names the source; "catalogue: catalogue: HTTP 500"
	// says it twice.
	msg := strings.TrimPrefix(err.Error(), name+": ")
	if errors.Is(err, context.DeadlineExceeded) && !strings.Contains(msg, "time") {
		msg = "timed out"
	}
	for _, s := range p.redact {
		msg = strings.ReplaceAll(msg, s, "[redacted]")
	}
	msg = sanitize.String(msg, maxErrorWidth)
	if msg == "" {
		msg = "failed"
	}
	return msg
}

// retryAfter extracts a server's Retry-After from a (possibly wrapped)
// *HTTPError.
func retryAfter(err error) time.Duration {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.RetryAfter
	}
	return 0
}

// trackingFetcher remembers the URLs a fetch requested, so that their ETags
// can be forgotten when the source fails after reading them.
type trackingFetcher struct {
	f    Fetcher
	mu   sync.Mutex
	urls []string
}

func (t *trackingFetcher) Get(ctx context.Context, req Request) (Response, error) {
	t.mu.Lock()
	if len(t.urls) < 1024 {
		t.urls = append(t.urls, req.URL)
	}
	t.mu.Unlock()
	return t.f.Get(ctx, req)
}

func (t *trackingFetcher) forget() {
	fg, ok := t.f.(interface{ ForgetETag(string) })
	if !ok {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, u := range t.urls {
		fg.ForgetETag(u)
	}
}

// loopDebug lets tests observe when a Run or Player loop is blocked and
// idle, so they can advance a fake clock deterministically. It is nil in
// production; its methods are no-ops on nil.
type loopDebug struct {
	mu       sync.Mutex
	blocked  bool
	inflight int
	timerRx  uint64
	wakeRx   uint64
}

type wokeBy int

const (
	wokeOther wokeBy = iota
	wokeTimer
	wokeControl
)

func (d *loopDebug) block(inflight int) {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.blocked, d.inflight = true, inflight
	d.mu.Unlock()
}

func (d *loopDebug) woke(by wokeBy) {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.blocked = false
	switch by {
	case wokeTimer:
		d.timerRx++
	case wokeControl:
		d.wakeRx++
	}
	d.mu.Unlock()
}
