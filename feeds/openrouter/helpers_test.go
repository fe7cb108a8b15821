package openrouter

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// readTestdata returns a real payload kept in testdata/ (see
// testdata/README.md for where each came from). The files are part of the
// repository, so a missing one fails the test rather than skipping it.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("real payload %s: %v", name, err)
	}
	return b
}

// httpFetcher is a minimal feeds.Fetcher over net/http, mimicking the real
// one's contract: non-2xx answers become *feeds.HTTPError with Retry-After,
// 304 is NotModified, bodies are capped.
type httpFetcher struct {
	client *http.Client
	cap    int64
}

func newHTTPFetcher() *httpFetcher {
	return &httpFetcher{client: &http.Client{Timeout: 10 * time.Second}, cap: 16 << 20}
}

func (f *httpFetcher) Get(ctx context.Context, req feeds.Request) (feeds.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return feeds.Response{}, err
	}
	for k, v := range req.Header {
		hr.Header[k] = append([]string(nil), v...)
	}
	resp, err := f.client.Do(hr)
	if err != nil {
		return feeds.Response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.cap))
	if err != nil {
		return feeds.Response{}, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return feeds.Response{Status: resp.StatusCode, Header: resp.Header, NotModified: true}, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		e := &feeds.HTTPError{Status: resp.StatusCode}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			e.RetryAfter = time.Duration(s) * time.Second
		}
		return feeds.Response{}, e
	}
	return feeds.Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// seen records what reached a test server.
type seen struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (s *seen) add(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r.Clone(context.Background()))
}

func (s *seen) all() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.reqs...)
}

// fixedClock is an injected clock.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fixedClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newEnv(f feeds.Fetcher, clock *fixedClock, latest func() *model.Snapshot) feeds.Env {
	if latest == nil {
		m := model.NewMarket(model.Config{Source: "openrouter", Clock: clock.Now})
		latest = m.Snapshot
	}
	return feeds.Env{HTTP: f, Latest: latest, Now: clock.Now}
}

// clean reports whether s carries no escape, C0/C1 control or format rune.
func clean(s string) bool {
	for _, r := range s {
		if r == '\x1b' || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// listingStrings returns every string field of a listing.
func listingStrings(l model.Listing) []string {
	return []string{l.ID, l.Slug, l.Name, l.Author, l.Description, l.AliasOf}
}

// hostile is a name carrying every trick a remote string may try.
const hostile = "Evil\x1b[31m Red\x1b]0;pwned\x07 \r\b\u202egnp\u200b\u200d\ufeff\u009b31m Model"

func sprint(v any) string      { return fmt.Sprint(v) }
func sprintPlus(v any) string  { return fmt.Sprintf("%+v", v) }
func sprintSharp(v any) string { return fmt.Sprintf("%#v", v) }
