package statuspage

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

// providerMarket is a market whose watched listings are served by the given
// providers, one endpoint each, with the providers list applied.
func providerMarket(t0 time.Time, provs []model.Provider) *model.Market {
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return t0 }})
	m.Apply(model.CatalogueUpdate{At: t0, Source: "catalogue", Listings: []model.Listing{
		{ID: "a/one", Name: "One"}, {ID: "b/two", Name: "Two"}}})
	var eps []model.Endpoint
	for _, p := range provs {
		eps = append(eps, model.Endpoint{Provider: p.Name})
	}
	m.Apply(model.EndpointsUpdate{At: t0, ListingID: "a/one", Endpoints: eps})
	m.Apply(model.EndpointsUpdate{At: t0, ListingID: "b/two", Endpoints: eps[:1]})
	m.Apply(model.ProvidersUpdate{At: t0, Source: "providers", Providers: provs})
	return m
}

// TestProviderPages: 50 provider pages are read with never more than 4
// requests in flight; a page whose answer is of no known type is listed as
// such and not read again within the hour; a provider without a page is
// listed too; a page the configured pages already read is not fetched twice;
// an open incident on a provider's page raises an outage naming the
// listings it serves.
func TestProviderPages(t *testing.T) {
	claude := feedtest.ReadTestdata(t, "claude_summary_2026-09-04_operational_trimmed.json")
	incident := feedtest.ReadTestdata(t, "instatus_perplexity_summary_2026-07-23_major_outage.json")
	var inFlight, peak, requests atomic.Int32
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		requests.Add(1)
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		time.Sleep(15 * time.Millisecond)
		switch {
		case r.URL.Path == "/p/0":
			w.Write(incident)
		case r.URL.Path == "/html":
			w.Write([]byte("<html><body>Our status</body></html>"))
		case r.URL.Path == "/fail":
			http.Error(w, "no", 500)
		default:
			w.Write(claude)
		}
	}))
	defer srv.Close()

	var provs []model.Provider
	for i := 0; i < 50; i++ {
		provs = append(provs, model.Provider{Slug: fmt.Sprintf("p%02d", i), Name: fmt.Sprintf("P%02d", i),
			StatusPageURL: fmt.Sprintf("%s/p/%d", srv.URL, i)})
	}
	provs[0].Name = "Zero"
	provs = append(provs,
		model.Provider{Slug: "htmlonly", Name: "HTML Only", StatusPageURL: srv.URL + "/html"},
		model.Provider{Slug: "nopage", Name: "No Page"},
		model.Provider{Slug: "failing", Name: "Failing", StatusPageURL: srv.URL + "/fail"},
		// A real host the configured pages already read: never fetched here.
		model.Provider{Slug: "anthropic", Name: "Anthropic", StatusPageURL: "https://status.claude.com"},
	)
	t0 := time.Date(2026, 7, 23, 18, 0, 0, 0, time.UTC)
	m := providerMarket(t0, provs)
	clock := t0
	env := feeds.Env{HTTP: feeds.NewHTTP(feeds.HTTPOptions{}), Latest: m.Snapshot, Now: func() time.Time { return clock }}
	src := ProviderPages([]Page{{Name: "claude", URL: "https://status.claude.com/api/v2/summary.json"}})
	if src.Name() != "status.providers" || src.Interval() != Interval {
		t.Errorf("source %s every %v", src.Name(), src.Interval())
	}
	ups, err := src.Fetch(context.Background(), env)
	if err == nil || !strings.Contains(err.Error(), "1 of 54 provider pages failed: failing:") {
		t.Errorf("error = %v", err)
	}
	if p := peak.Load(); p > MaxConcurrentPages || p < 2 {
		t.Errorf("peak concurrency %d, want 2..%d", p, MaxConcurrentPages)
	}
	if got := requests.Load(); got != 52 {
		t.Errorf("%d requests, want 52 (50 pages, the HTML one, the failing one)", got)
	}
	pages := map[string]model.StatusPage{}
	for _, u := range ups {
		m.Apply(u)
		p := u.(model.StatusUpdate).Page
		pages[p.Provider] = p
	}
	if len(pages) != 52 {
		t.Errorf("%d pages, want 52 (all but the failing and the already-read one)", len(pages))
	}
	if p := pages["p01"]; p.Kind != "statuspage" || p.Status != model.StatusOperational || p.Name != "provider.p01" {
		t.Errorf("p01 = %+v", p)
	}
	for _, slug := range []string{"htmlonly", "nopage"} {
		if p := pages[slug]; p.Kind != "" || p.Status != model.StatusUnknown || p.Provider != slug {
			t.Errorf("%s = %+v, want no machine-readable status", slug, p)
		}
	}
	out := 0
	for _, a := range m.Snapshot().Alerts {
		if a.Kind == model.AlertOutage {
			out++
			if !strings.Contains(a.Message, "affects One, Two") || a.Subject != "provider.p00" {
				t.Errorf("outage = %+v", a)
			}
		}
	}
	if out != 1 {
		t.Errorf("%d outage alerts, want 1", out)
	}

	// A minute later the HTML page is not read again; the others are.
	clock = clock.Add(time.Minute)
	if _, err := src.Fetch(context.Background(), env); err == nil {
		t.Error("the failing page stopped failing")
	}
	mu.Lock()
	defer mu.Unlock()
	if hits["/html"] != 1 || hits["/p/3"] != 2 {
		t.Errorf("hits: html %d, p/3 %d", hits["/html"], hits["/p/3"])
	}
}

func TestProviderPageFor(t *testing.T) {
	tests := []struct {
		p       model.Provider
		feed    string
		product string
		ok      bool
	}{
		{model.Provider{Slug: "openai", StatusPageURL: "https://status.openai.com"}, "https://status.openai.com/api/v2/summary.json", "", true},
		{model.Provider{Slug: "together"}, "https://status.together.ai/index.json", "", true},
		{model.Provider{Slug: "x", StatusPageURL: "https://status.perplexity.com/"}, "https://status.perplexity.com/summary.json", "", true},
		{model.Provider{Slug: "google-vertex"}, "https://status.cloud.google.com/incidents.json", "Vertex", true},
		{model.Provider{Slug: "xai", StatusPageURL: "https://status.x.ai"}, "https://status.x.ai/feed.xml", "", true},
		{model.Provider{Slug: "somebody", StatusPageURL: "https://status.somebody.example"}, "", "", false},
		{model.Provider{Slug: "nobody"}, "", "", false},
	}
	for _, tt := range tests {
		feed, product, ok := ProviderPageFor(tt.p)
		if feed != tt.feed || product != tt.product || ok != tt.ok {
			t.Errorf("%+v: %q %q %v", tt.p, feed, product, ok)
		}
	}
}

// Before the providers list and the endpoints are known there is nothing to
// read: the source says what it waits for (a failure, so the poller retries
// soon) and sends no request.
func TestProviderPagesWait(t *testing.T) {
	t0 := time.Date(2026, 7, 23, 18, 0, 0, 0, time.UTC)
	empty := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return t0 }})
	env := feeds.Env{HTTP: feeds.NewHTTP(feeds.HTTPOptions{}), Latest: empty.Snapshot, Now: func() time.Time { return t0 }}
	if _, err := ProviderPages(nil).Fetch(context.Background(), env); err == nil || !strings.Contains(err.Error(), "providers list") {
		t.Errorf("without providers: %v", err)
	}
	empty.Apply(model.ProvidersUpdate{At: t0, Source: "providers", Providers: []model.Provider{{Slug: "a", Name: "A"}}})
	if _, err := ProviderPages(nil).Fetch(context.Background(), env); err == nil || !strings.Contains(err.Error(), "endpoints") {
		t.Errorf("without endpoints: %v", err)
	}
}
