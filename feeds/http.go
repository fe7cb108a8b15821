package feeds

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tokentape/tokentape/feeds/sanitize"
)

// Defaults of HTTPOptions.
const (
	DefaultTimeout       = 10 * time.Second
	DefaultMaxBody       = 16 << 20 // 16 MiB: the 414-listing catalogue is well under 1 MiB
	DefaultMaxRetryAfter = time.Hour
	DefaultVersion       = "dev"
	maxETags             = 4096 // URLs whose ETag is remembered; the map is reset past this
	drainOnError         = 64 << 10
)

// HTTPOptions configures NewHTTP. The zero value is ready to use.
type HTTPOptions struct {
	// Client performs the requests; nil means a dedicated client on a clone
	// of http.DefaultTransport. Its Timeout should be 0: the per-request
	// timeout below covers the whole exchange, body included.
	Client *http.Client
	// Timeout bounds one request from dialling to the last body byte;
	// 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBody caps a response body in bytes; 0 means DefaultMaxBody.
	MaxBody int64
	// Version goes into the User-Agent "tokentape/<Version>"; "" means
	// DefaultVersion.
	Version string
	// MaxRetryAfter caps a server's Retry-After, so that an absurd value
	// cannot silence a source for days; 0 means DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
	// Now reads the clock for Retry-After dates; nil means time.Now.
	Now func() time.Time
}

// HTTP is the Fetcher the poller gives sources: GET with a timeout, a capped
// body, conditional requests by ETag, and short errors that are safe to show
// on screen (they never contain request headers, so never the API key). It is
// safe for concurrent use.
type HTTP struct {
	client        *http.Client
	timeout       time.Duration
	maxBody       int64
	userAgent     string
	maxRetryAfter time.Duration
	now           func() time.Time

	mu    sync.Mutex
	etags map[string]string // URL → last ETag seen on a 2xx answer
}

var _ Fetcher = (*HTTP)(nil)

// NewHTTP returns a Fetcher with the given policies.
func NewHTTP(opts HTTPOptions) *HTTP {
	h := &HTTP{
		client:        opts.Client,
		timeout:       opts.Timeout,
		maxBody:       opts.MaxBody,
		userAgent:     "tokentape/" + opts.Version,
		maxRetryAfter: opts.MaxRetryAfter,
		now:           opts.Now,
		etags:         make(map[string]string),
	}
	if h.client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 4
		h.client = &http.Client{Transport: tr}
	}
	if h.client.CheckRedirect == nil {
		// A copy, so the caller's client is left as it was: the API key must
		// never follow a redirect to another origin.
		c := *h.client
		c.CheckRedirect = SecretRedirectPolicy()
		h.client = &c
	}
	if h.timeout <= 0 {
		h.timeout = DefaultTimeout
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBody
	}
	if opts.Version == "" {
		h.userAgent = "tokentape/" + DefaultVersion
	}
	if h.maxRetryAfter <= 0 {
		h.maxRetryAfter = DefaultMaxRetryAfter
	}
	if h.now == nil {
		h.now = time.Now
	}
	return h
}

// FetchError is a request that got no usable answer: a timeout, a refused
// connection, a body that is too large or cut short. Its message is short and
// human because the health strip shows it; it never contains a URL's
// credentials or a request header. Err is the underlying cause, for
// errors.Is (context.DeadlineExceeded, syscall.ECONNREFUSED, ErrBodyTooLarge,
// io.ErrUnexpectedEOF...).
type FetchError struct {
	Msg string
	Err error
}

func (e *FetchError) Error() string { return e.Msg }

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }

// ErrBodyTooLarge is the cause of a FetchError for a body over the cap.
var ErrBodyTooLarge = errors.New("body too large")

// UserAgent is the User-Agent header the fetcher sends.
func (h *HTTP) UserAgent() string { return h.userAgent }

// ForgetETag drops the ETag held for a URL, so the next request to it is
// unconditional. The poller calls it when a source failed after a fetch: the
// body it failed to decode must be fetched again, not answered with 304.
func (h *HTTP) ForgetETag(url string) {
	h.mu.Lock()
	delete(h.etags, url)
	h.mu.Unlock()
}

// CloseIdleConnections closes kept-alive connections (on quit, in tests).
func (h *HTTP) CloseIdleConnections() { h.client.CloseIdleConnections() }

func (h *HTTP) etag(url string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.etags[url]
}

func (h *HTTP) setETag(url, tag string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if tag == "" {
		delete(h.etags, url)
		return
	}
	if _, ok := h.etags[url]; !ok && len(h.etags) >= maxETags {
		clear(h.etags) // URLs with dates in them accumulate; a full reset costs one full fetch each
	}
	h.etags[url] = tag
}

// Get performs one GET. A 2xx answer returns the body (at most MaxBody
// bytes; a larger one is an error, and no more than MaxBody+1 bytes are
// read). A 304 returns Response{NotModified: true}. Any other status returns
// *HTTPError with the server's Retry-After. Transport failures return
// *FetchError, and a cancelled ctx returns ctx's error.
func (h *HTTP) Get(ctx context.Context, req Request) (Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Response{}, &FetchError{Msg: "invalid URL"}
	}
	rctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(rctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return Response{}, &FetchError{Msg: "invalid URL"}
	}
	hreq.Header.Set("Accept", "application/json")
	for k, vs := range req.Header {
		for i, v := range vs {
			if i == 0 {
				hreq.Header.Set(k, v)
			} else {
				hreq.Header.Add(k, v)
			}
		}
	}
	hreq.Header.Set("User-Agent", h.userAgent)
	if hreq.Header.Get("Authorization") != "" {
		// Last line of defence: a credential never leaves over plain http to
		// another machine, whatever the source asked for.
		if err := CheckSecretURL(req.URL); err != nil {
			return Response{}, &FetchError{Msg: "refused to send the API key over plain http to another machine", Err: err}
		}
	}
	if tag := h.etag(req.URL); tag != "" {
		hreq.Header.Set("If-None-Match", tag)
	}

	resp, err := h.client.Do(hreq)
	if err != nil {
		return Response{}, h.classify(ctx, err, false)
	}
	defer resp.Body.Close()

	switch {
	case resp.StatusCode == http.StatusNotModified:
		return Response{Status: resp.StatusCode, Header: resp.Header.Clone(), NotModified: true}, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		// Drain a little so the connection can be reused, then give up on it.
		_, _ = io.CopyN(io.Discard, resp.Body, drainOnError)
		return Response{}, &HTTPError{
			Status:     resp.StatusCode,
			RetryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), h.now(), h.maxRetryAfter),
		}
	}

	limit := max(h.maxBody, req.MaxBody)
	if resp.ContentLength > limit {
		return Response{}, tooLarge(limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return Response{}, h.classify(ctx, err, true)
	}
	if int64(len(body)) > limit {
		return Response{}, tooLarge(limit)
	}
	h.setETag(req.URL, resp.Header.Get("ETag"))
	return Response{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body}, nil
}

func tooLarge(limit int64) error {
	return &FetchError{Msg: "body over " + byteSize(limit), Err: ErrBodyTooLarge}
}

// byteSize writes a cap the way people say it: "16 MiB", "512 KiB", "100 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// classify turns a transport error into a short message. It works on the
// innermost cause: *url.Error's text repeats the URL, which may carry
// credentials, so it is never used.
func (h *HTTP) classify(ctx context.Context, err error, readingBody bool) error {
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(cerr, context.DeadlineExceeded) {
			// The caller's own deadline (snapshot's bound on one cycle).
			return &FetchError{Msg: "timed out", Err: cerr}
		}
		return cerr // the caller cancelled: not the upstream's fault
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var nerr net.Error
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &nerr) && nerr.Timeout():
		return &FetchError{Msg: "timeout after " + h.timeout.String(), Err: context.DeadlineExceeded}
	case errors.As(err, &dnsErr):
		msg := "DNS lookup failed"
		if dnsErr.IsNotFound {
			msg = "no such host"
		}
		return &FetchError{Msg: msg + " " + sanitize.String(dnsErr.Name, 60), Err: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &FetchError{Msg: "connection refused", Err: syscall.ECONNREFUSED}
	case errors.Is(err, syscall.ECONNRESET):
		return &FetchError{Msg: "connection reset", Err: syscall.ECONNRESET}
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		return &FetchError{Msg: "TLS certificate not trusted", Err: err}
	case errors.As(err, &recErr):
		return &FetchError{Msg: "TLS handshake failed (not an HTTPS server?)", Err: err}
	case readingBody && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)):
		return &FetchError{Msg: "truncated body", Err: io.ErrUnexpectedEOF}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &FetchError{Msg: "connection closed by server", Err: err}
	}
	// Something else: keep the cause's own words, made safe and short. Causes
	// below *url.Error come from the network stack and the TLS library; they
	// never quote request headers.
	msg := sanitize.String(err.Error(), 80)
	if readingBody {
		return &FetchError{Msg: "reading body: " + msg, Err: err}
	}
	return &FetchError{Msg: "request failed: " + msg, Err: err}
}

// ParseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date
// (relative to now). It returns 0 for an absent, malformed or past value, and
// caps the result at limit (when limit > 0).
func ParseRetryAfter(v string, now time.Time, limit time.Duration) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(365*24*time.Hour/time.Second) {
			secs = int64(365 * 24 * time.Hour / time.Second) // no overflow below
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now) // saturates for dates centuries away
		if d <= 0 {
			return 0
		}
		// A date is second-granular: round up so the wait ends after it
		// (without overflowing a saturated difference).
		if d < 365*24*time.Hour {
			d = (d + time.Second - 1).Truncate(time.Second)
		}
	} else {
		return 0
	}
	if limit > 0 && d > limit {
		d = limit
	}
	return d
}
