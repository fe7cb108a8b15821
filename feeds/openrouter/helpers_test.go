package openrouter

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// newHTTPFetcher is the fetcher the poller gives sources, so the tests hold
// the sources to the real contract (errors, Retry-After, caps, ETags).
func newHTTPFetcher() *feeds.HTTP { return feeds.NewHTTP(feeds.HTTPOptions{}) }

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

// listingStrings returns every string field of a listing.
func listingStrings(l model.Listing) []string {
	return []string{l.ID, l.Slug, l.Name, l.Author, l.Description, l.AliasOf}
}

// hostile is a name carrying every trick a remote string may try.
const hostile = "Evil\x1b[31m Red\x1b]0;pwned\x07 \r\b\u202egnp\u200b\u200d\ufeff\u009b31m Model"

func sprint(v any) string      { return fmt.Sprint(v) }
func sprintPlus(v any) string  { return fmt.Sprintf("%+v", v) }
func sprintSharp(v any) string { return fmt.Sprintf("%#v", v) }
