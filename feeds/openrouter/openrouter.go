// Package openrouter reads the OpenRouter API: the model catalogue, the daily
// token rankings and app rankings (with an API key), the weekly popularity
// order (without one) and the endpoints serving watched listings.
//
// Every source makes its requests through feeds.Env.HTTP, so the poller's
// timeout, body cap, ETag and backoff apply. Decoders are pure functions of
// the response body and sanitise every remote string where they read it.
//
// The API key is sent only on requests to the configured base URL, and only
// by the sources that need it (usage, apps, endpoints); it never appears in an
// error, an update or a String() of any value in this package.
package openrouter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tokentape/tokentape/feeds"
)

// DefaultBaseURL is the OpenRouter API root used when Config.BaseURL is empty.
const DefaultBaseURL = "https://openrouter.ai/api/v1"

// Defaults for Config fields left at zero.
const (
	DefaultWatchTop     = 15
	DefaultBackfillDays = 60
	maxBackfillDays     = 400 // the dataset starts on 2025-01-01; more is wasted rows
	refreshDays         = 3   // later usage fetches re-read the last few days
)

// Polling intervals of the sources.
const (
	CatalogueInterval = 10 * time.Minute
	RankingInterval   = 10 * time.Minute
	UsageInterval     = time.Hour
	AppsInterval      = time.Hour
	EndpointsInterval = 2 * time.Minute
)

// Rate limit of the keyed dataset endpoints (rankings-daily, app-rankings):
// 30 requests per minute per key.
const (
	DatasetRequests = 30
	DatasetPer      = time.Minute
)

// Config configures the OpenRouter sources.
type Config struct {
	// BaseURL is the API root, DefaultBaseURL when empty. The lead fills it
	// from --openrouter-url or TOKENTAPE_OPENROUTER_URL.
	BaseURL string
	// APIKey is OPENROUTER_API_KEY; empty means no usage volumes.
	APIKey string
	// Watch lists listing ids whose endpoints are always polled.
	Watch []string
	// WatchTop is how many top-ranked listings get their endpoints polled;
	// 0 means DefaultWatchTop, negative means none.
	WatchTop int
	// BackfillDays is how many days of usage the first fetch reads; 0 means
	// DefaultBackfillDays.
	BackfillDays int
}

// String describes the configuration without the API key, so that printing a
// Config (by mistake, in a log or an error) never leaks it.
func (c Config) String() string {
	key := "none"
	if c.APIKey != "" {
		key = "set"
	}
	return fmt.Sprintf("openrouter.Config{BaseURL: %q, APIKey: %s, Watch: %d ids, WatchTop: %d, BackfillDays: %d}",
		c.BaseURL, key, len(c.Watch), c.WatchTop, c.BackfillDays)
}

// GoString is String, so %#v does not print the key either.
func (c Config) GoString() string { return c.String() }

func (c Config) normalised() Config {
	c.BaseURL = strings.TrimRight(strings.TrimSpace(c.BaseURL), "/")
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.WatchTop == 0 {
		c.WatchTop = DefaultWatchTop
	}
	if c.BackfillDays <= 0 {
		c.BackfillDays = DefaultBackfillDays
	}
	if c.BackfillDays > maxBackfillDays {
		c.BackfillDays = maxBackfillDays
	}
	c.Watch = append([]string(nil), c.Watch...)
	return c
}

// Sources returns the OpenRouter sources for cfg: the catalogue, endpoints
// and providers always; usage, apps, benchmarks and tasks (sharing one rate
// limiter) when an API key is set; the weekly popularity order when it is
// not.
func Sources(cfg Config) []feeds.Source {
	out := []feeds.Source{NewCatalogue(cfg)}
	if cfg.APIKey != "" {
		lim := NewLimiter(DatasetRequests, DatasetPer)
		out = append(out, NewUsage(cfg, lim), NewApps(cfg, lim), NewBenchmarks(cfg, lim), NewTasks(cfg, lim))
	} else {
		out = append(out, NewTopWeekly(cfg))
	}
	return append(out, NewEndpoints(cfg), NewProviders(cfg))
}

// client builds requests against the base URL and keeps the key out of
// everything it returns.
type client struct {
	base string
	key  string
}

func newClient(cfg Config) client {
	cfg = cfg.normalised()
	return client{base: cfg.BaseURL, key: cfg.APIKey}
}

// CatalogueMaxBody caps the full catalogue's body, above the fetcher's
// usual 16 MiB: 414 listings are 1 MB, a market of 10,000 listings is about
// 18 MB, and the decoder streams it, so 48 MiB leaves room to grow without
// letting a runaway answer fill the memory.
const CatalogueMaxBody = 48 << 20

// get performs GET base+path. withKey adds the Authorization header when a
// key is configured; the URL is always under the base, so the key never
// travels anywhere else.
func (c client) get(ctx context.Context, env feeds.Env, path string, withKey bool) (feeds.Response, error) {
	req := feeds.Request{URL: c.base + path}
	if path == "/models" {
		req.MaxBody = CatalogueMaxBody
	}
	if withKey && c.key != "" {
		req.Header = http.Header{"Authorization": {"Bearer " + c.key}}
	}
	resp, err := env.HTTP.Get(ctx, req)
	if err != nil {
		return resp, c.scrub(err)
	}
	return resp, nil
}

// scrub makes sure the key is not in an error message. A Fetcher should never
// echo headers, but this package does not trust that: an error that mentions
// the key is replaced by one that does not (losing its type, which is the
// lesser harm).
func (c client) scrub(err error) error {
	if err == nil || c.key == "" || !strings.Contains(err.Error(), c.key) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), c.key, "[redacted]"))
}

// Limiter is a sliding-window request limiter on the injected clock: at most
// n requests in any window of length per. The keyed dataset sources share one
// so that together they respect OpenRouter's 30 requests per minute.
type Limiter struct {
	mu    sync.Mutex
	n     int
	per   time.Duration
	times []time.Time // request times inside the window, oldest first
}

// NewLimiter returns a limiter allowing n requests per period.
func NewLimiter(n int, per time.Duration) *Limiter {
	if n < 1 {
		n = 1
	}
	return &Limiter{n: n, per: per}
}

// Reserve records a request at now and returns 0 when the window has room;
// otherwise it records nothing and returns how long until a slot frees.
func (l *Limiter) Reserve(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	cut := 0
	for cut < len(l.times) && !now.Before(l.times[cut].Add(l.per)) {
		cut++
	}
	l.times = append(l.times[:0], l.times[cut:]...)
	if len(l.times) < l.n {
		l.times = append(l.times, now)
		return 0
	}
	wait := l.times[0].Add(l.per).Sub(now)
	if wait <= 0 {
		wait = time.Millisecond
	}
	return wait
}

// RateLimitError says a request was not sent because the local limiter's
// window is full. It happens only when something polls the keyed sources
// faster than 30 times a minute (--interval 1s, repeated refreshes).
type RateLimitError struct {
	Source     string
	RetryAfter time.Duration
}

// Error says which source was held back and for how long.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s: local limit of %d requests/min reached, next slot in %s",
		e.Source, DatasetRequests, e.RetryAfter.Round(time.Second))
}

// Unwrap presents the refusal as the 429 the upstream would have answered,
// with the wait as its Retry-After, so that the poller (which honours
// Retry-After on a wrapped *feeds.HTTPError) does not try again before a
// slot frees. The message stays this error's own.
func (e *RateLimitError) Unwrap() error {
	return &feeds.HTTPError{Status: http.StatusTooManyRequests, RetryAfter: e.RetryAfter}
}

// dateParam formats a UTC day as the datasets' YYYY-MM-DD.
func dateParam(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// utcDay truncates t to its UTC midnight.
func utcDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
