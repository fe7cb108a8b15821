package serve

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/charmbracelet/log"
)

// SignatureHeader carries the HMAC-SHA256 of a webhook's body, keyed with
// --webhook-secret, as "sha256=<hex>" (the scheme GitHub uses).
const SignatureHeader = "X-Tokentape-Signature-256"

// WebhookOptions configure webhook delivery; zero fields take defaults.
type WebhookOptions struct {
	URLs   []string
	Secret string // signs each body when set; never sent, never logged
	// CheckSecret vets each URL when Secret is set (the wiring passes the
	// API key's rule: https, or http only to loopback); nil accepts all.
	CheckSecret func(url string) error
	// RetryFor is how long a delivery is retried (default 10 minutes).
	RetryFor time.Duration
	// Backoff is the first wait between attempts, doubled each time up to
	// MaxBackoff (defaults 1s and 1 minute); a Retry-After answer is
	// honoured up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Timeout bounds one attempt (default 10s).
	Timeout time.Duration
	// Queue is how many deliveries may wait per URL (default 256); beyond
	// it new ones are dropped and logged, never blocking the engine.
	Queue  int
	Client *http.Client // nil: a client that follows no redirects
	Log    *log.Logger
}

// Webhooks POSTs JSON bodies to every configured URL, each URL with its own
// queue and worker, so a slow or dead receiver delays only itself.
type Webhooks struct {
	o       WebhookOptions
	targets []*target
}

type target struct {
	url   string
	label string // scheme://host: webhook URLs often carry a secret in the path
	q     chan []byte
}

// CheckWebhookURL accepts http and https URLs with a host.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("--webhook %s: want an http or https URL", redactURL(raw))
	}
	return nil
}

// redactURL keeps the scheme and host of a URL: Slack and Discord put the
// webhook's secret in its path.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	return u.Scheme + "://" + u.Host
}

// NewWebhooks checks the URLs and prepares delivery; Run delivers.
func NewWebhooks(o WebhookOptions) (*Webhooks, error) {
	if o.RetryFor <= 0 {
		o.RetryFor = 10 * time.Minute
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Queue <= 0 {
		o.Queue = 256
	}
	if o.Log == nil {
		o.Log = log.New(discard{})
	}
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	w := &Webhooks{o: o}
	for _, raw := range o.URLs {
		if err := CheckWebhookURL(raw); err != nil {
			return nil, err
		}
		if o.Secret != "" && o.CheckSecret != nil {
			if o.CheckSecret(raw) != nil {
				// Not the checker's message: it may quote the URL, whose
				// path is often the webhook's own secret.
				return nil, fmt.Errorf("--webhook %s with --webhook-secret: use https, or plain http only to localhost", redactURL(raw))
			}
		}
		w.targets = append(w.targets, &target{url: raw, label: redactURL(raw), q: make(chan []byte, o.Queue)})
	}
	return w, nil
}

// Enqueue queues one body for every URL without blocking.
func (w *Webhooks) Enqueue(body []byte) {
	if w == nil {
		return
	}
	for _, t := range w.targets {
		select {
		case t.q <- body:
		default:
			w.o.Log.Warn("webhook queue full: alert dropped", "webhook", t.label)
		}
	}
}

// Run delivers queued bodies until ctx ends.
func (w *Webhooks) Run(ctx context.Context) {
	if w == nil {
		return
	}
	var wg sync.WaitGroup
	for _, t := range w.targets {
		wg.Add(1)
		go func() { defer wg.Done(); w.worker(ctx, t) }()
	}
	wg.Wait()
}

func (w *Webhooks) worker(ctx context.Context, t *target) {
	for {
		select {
		case <-ctx.Done():
			return
		case body := <-t.q:
			w.deliver(ctx, t, body)
		}
	}
}

// errPermanent marks an answer that retrying will not change.
var errPermanent = errors.New("not retried")

// deliver posts body until the receiver takes it or RetryFor has passed.
func (w *Webhooks) deliver(ctx context.Context, t *target, body []byte) {
	start := time.Now()
	wait := w.o.Backoff
	for attempt := 1; ; attempt++ {
		retryAfter, err := w.post(ctx, t, body)
		if err == nil {
			w.o.Log.Info("webhook delivered", "webhook", t.label, "attempt", attempt)
			return
		}
		if errors.Is(err, errPermanent) {
			w.o.Log.Warn("webhook refused", "webhook", t.label, "err", err)
			return
		}
		if retryAfter > 0 {
			wait = min(retryAfter, w.o.MaxBackoff)
		}
		if time.Since(start)+wait > w.o.RetryFor {
			w.o.Log.Error("webhook given up", "webhook", t.label, "attempts", attempt, "err", err)
			return
		}
		w.o.Log.Warn("webhook failed, retrying", "webhook", t.label, "attempt", attempt, "in", wait.String(), "err", err)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		wait = min(2*wait, w.o.MaxBackoff)
	}
}

// post makes one attempt. It returns the receiver's Retry-After, if any.
func (w *Webhooks) post(ctx context.Context, t *target, body []byte) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, w.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("%w: %v", errPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "tokentape")
	if w.o.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(w.o.Secret, body))
	}
	resp, err := w.o.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL may hold a secret
		}
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return 0, nil
	case c == http.StatusTooManyRequests || c == http.StatusRequestTimeout || c >= 500:
		var ra time.Duration
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			ra = time.Duration(s) * time.Second
		}
		return ra, fmt.Errorf("HTTP %d", c)
	case c >= 300 && c < 400:
		return 0, fmt.Errorf("%w: HTTP %d (redirects are not followed)", errPermanent, c)
	default:
		return 0, fmt.Errorf("%w: HTTP %d", errPermanent, c)
	}
}

// Sign returns the signature header's value for body: "sha256=" and the
// hex HMAC-SHA256 of body keyed with secret. A receiver recomputes it over
// the raw body and compares in constant time.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
