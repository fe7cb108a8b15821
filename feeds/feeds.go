// Package feeds fetches and decodes the market's sources and turns what they
// read into model Updates. It holds the contracts every source meets (Source
// for polled HTTP feeds, Stream for self-paced ones such as the demo market
// and replays), the Poller that schedules polled sources, and the Player
// that paces streams.
//
// Untrusted text is sanitised here, once, where it is decoded (see package
// sanitize); nothing downstream trusts a remote string.
package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/tokentape/tokentape/model"
)

// Sink receives the updates a source produced. The Poller and Player call it
// from their own goroutines; the receiver (the goroutine that owns the
// Market) must not block them for long.
type Sink func([]model.Update)

// Source is one polled feed: the OpenRouter catalogue, its usage rankings,
// endpoints of watched listings, a status page.
type Source interface {
	// Name labels the source in the health strip: "catalogue", "status.claude".
	Name() string
	// Interval is how often the source is polled by default.
	Interval() time.Duration
	// Fetch reads the source once and returns what it learned. It must honour
	// ctx, must not touch the Market, and returns ErrNotModified when a
	// conditional request found nothing new.
	Fetch(ctx context.Context, env Env) ([]model.Update, error)
}

// MinIntervaler is implemented by a source that must not be polled more
// often than MinInterval, whatever PollerOptions.Interval says (a dataset
// with a daily request quota).
type MinIntervaler interface {
	MinInterval() time.Duration
}

// Env is what a source may use during a fetch.
type Env struct {
	// HTTP performs requests with the poller's policies (timeout, body cap,
	// ETag, error classification).
	HTTP Fetcher
	// Latest returns the newest market Snapshot (never nil; it may be empty),
	// for sources that need to know the market, such as which listings are
	// watched.
	Latest func() *model.Snapshot
	// Now is the clock (injected in tests).
	Now func() time.Time
}

// Request is one GET a source asks for.
type Request struct {
	URL    string
	Header http.Header // extra headers, e.g. Authorization for OpenRouter only
	// MaxBody raises the fetcher's body cap for this answer (the full
	// catalogue, which grows with the market); 0, or a value below the
	// fetcher's own cap, keeps that cap.
	MaxBody int64
}

// Response is a successful (2xx or 304) answer.
type Response struct {
	Status      int
	Header      http.Header
	Body        []byte // at most the body cap; empty on 304
	NotModified bool   // 304: the body held from the last fetch is still current
}

// Fetcher performs GET requests. The poller's implementation sets the
// timeout, caps the body, sends If-None-Match with the last ETag of the URL
// and turns non-2xx answers into *HTTPError.
type Fetcher interface {
	Get(ctx context.Context, req Request) (Response, error)
}

// ErrNotModified tells the poller a fetch succeeded without news.
var ErrNotModified = fmt.Errorf("not modified")

// ErrUnavailable, wrapped in a source's error, tells the poller the
// upstream says the data does not exist (a 404 from an optional dataset):
// the source shows as unavailable rather than failing, and is retried at
// its own (slow) interval, not with backoff.
var ErrUnavailable = errors.New("unavailable")

// SkipError tells the poller a source chose not to fetch (a quota guard):
// nothing was read, so the attempt is neither a success (the data held is
// no fresher) nor a failure. Until, when set, is when to ask the source
// again (sooner or later than its interval), shown as its next attempt.
type SkipError struct {
	Until  time.Time
	Reason string
}

func (e *SkipError) Error() string { return "skipped: " + e.Reason }

// HTTPError is a non-2xx answer. RetryAfter is the server's Retry-After, 0
// when it sent none.
type HTTPError struct {
	Status     int
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("HTTP %d, retry after %s", e.Status, e.RetryAfter.Round(time.Second))
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// Stream is a source that paces itself: the demo market and replays.
type Stream interface {
	// Name labels the stream in the health strip: "demo", "replay".
	Name() string
	// Next returns the next batch of updates and how long after the previous
	// batch it is due at speed 1. ok is false when the stream has ended.
	Next() (batch []model.Update, wait time.Duration, ok bool)
}
