package statuspage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// MaxConcurrentPages bounds the provider-page requests in flight at once,
// however many providers serve the watched listings.
const MaxConcurrentPages = 4

// maxProviderPages caps the provider pages one fetch reads.
const maxProviderPages = 100

// feedOf is where a known status page publishes its machine-readable state.
type feedOf struct {
	url     string
	product string // Google Cloud: only incidents of this product count
}

// knownFeeds maps a status page's host to its feed, for the page types this
// package reads. Compiled from three public lists of LLM providers' status
// pages (reyamira/models src/status/registry.rs @ 1d4d84b, AlgoraLabs-AI/
// AI-Cloud-Status internal/providers @ 6743193, khalidsaidi/aistatusdashboard
// lib/data/providers.json @ 8f31832) and the default pages above. A page
// whose host is not here is listed as having no machine-readable status:
// its type is never guessed.
var knownFeeds = map[string]feedOf{
	"status.openai.com":        {url: "https://status.openai.com/api/v2/summary.json"},
	"status.claude.com":        {url: "https://status.claude.com/api/v2/summary.json"},
	"status.anthropic.com":     {url: "https://status.claude.com/api/v2/summary.json"},
	"status.moonshot.cn":       {url: "https://status.moonshot.cn/api/v2/summary.json"},
	"status.minimax.io":        {url: "https://status.minimax.io/api/v2/summary.json"},
	"status.deepseek.com":      {url: "https://status.deepseek.com/api/widget/v1/summary.json"},
	"status.perplexity.com":    {url: "https://status.perplexity.com/summary.json"},
	"status.huggingface.co":    {url: "https://status.huggingface.co/index.json"},
	"status.together.ai":       {url: "https://status.together.ai/index.json"},
	"status.nano-gpt.com":      {url: "https://status.nano-gpt.com/index.json"},
	"status.mistral.ai":        {url: "https://status.mistral.ai/api/status-page/mistral-ai/unresolved-incidents"},
	"groqstatus.com":           {url: "https://groqstatus.com/api/v2/summary.json"},
	"status.cohere.com":        {url: "https://status.cohere.com/api/v2/summary.json"},
	"status.cerebras.ai":       {url: "https://status.cerebras.ai/api/v2/summary.json"},
	"www.cloudflarestatus.com": {url: "https://www.cloudflarestatus.com/api/v2/summary.json"},
	"status.ngc.nvidia.com":    {url: "https://status.ngc.nvidia.com/api/v2/summary.json"},
	"status.ai21.com":          {url: "https://status.ai21.com/api/v2/summary.json"},
	"status.replicate.com":     {url: "https://status.replicate.com/api/v2/summary.json"},
	"status.x.ai":              {url: "https://status.x.ai/feed.xml"},
	"status.cloud.google.com":  {url: "https://status.cloud.google.com/incidents.json", product: "Vertex"},
}

// knownHosts maps OpenRouter provider slugs to their page's host, for
// providers the providers list gives no page for (or an unknown one).
var knownHosts = map[string]string{
	"openai": "status.openai.com", "anthropic": "status.claude.com",
	"moonshotai": "status.moonshot.cn", "minimax": "status.minimax.io", "deepseek": "status.deepseek.com",
	"perplexity": "status.perplexity.com", "huggingface": "status.huggingface.co", "together": "status.together.ai",
	"mistral": "status.mistral.ai", "groq": "groqstatus.com", "cohere": "status.cohere.com",
	"cerebras": "status.cerebras.ai", "cloudflare": "www.cloudflarestatus.com", "nvidia": "status.ngc.nvidia.com",
	"ai21": "status.ai21.com", "xai": "status.x.ai", "x-ai": "status.x.ai", "google-vertex": "status.cloud.google.com",
}

// ProviderPageFor finds the machine-readable feed of a provider's page:
// from the host of its status page URL, else from its slug. ok is false when
// the page is of no type this package reads.
func ProviderPageFor(p model.Provider) (feedURL, product string, ok bool) {
	host := ""
	if u, err := url.Parse(p.StatusPageURL); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	if f, found := knownFeeds[host]; found {
		return f.url, f.product, true
	}
	if f, found := knownFeeds[knownHosts[p.Slug]]; found {
		return f.url, f.product, true
	}
	return "", "", false
}

// NoMachineReadableStatus is what a provider page of unknown type says.
const NoMachineReadableStatus = "no machine-readable status"

// unknownRetry is how long a page whose answer is of no known type is left
// alone before it is read again.
const unknownRetry = time.Hour

// providerPages polls the status pages of the providers serving watched
// listings. It reads the providers list and the endpoints from the market
// it is given (env.Latest), so the set follows the watch list.
type providerPages struct {
	skip map[string]bool // feed URLs the configured pages already poll
	sem  chan struct{}

	mu      sync.Mutex
	unknown map[string]time.Time // page URL → when its answer was of no known type
}

// ProviderPages returns the source ("status.providers", every 60 s) of the
// status pages of every provider with an endpoint on a watched listing.
// Pages whose feed is among already (the configured pages) are not fetched
// twice. At most MaxConcurrentPages requests are in flight at once.
func ProviderPages(already []Page) feeds.Source {
	s := &providerPages{skip: map[string]bool{}, sem: make(chan struct{}, MaxConcurrentPages), unknown: map[string]time.Time{}}
	for _, p := range already {
		s.skip[p.URL] = true
	}
	return s
}

func (s *providerPages) Name() string            { return "status.providers" }
func (s *providerPages) Interval() time.Duration { return Interval }

// watchedProviders returns the providers with an endpoint on a listing the
// market watches (one whose endpoints it holds), by slug.
func watchedProviders(snap *model.Snapshot) []model.Provider {
	seen := map[string]bool{}
	var out []model.Provider
	for i := range snap.Listings {
		for _, ep := range snap.Listings[i].Endpoints() {
			p, ok := snap.ProviderOf(ep.Provider)
			if !ok || seen[p.Slug] {
				continue
			}
			seen[p.Slug] = true
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Slug < out[j].Slug })
	return out
}

// Fetch reads every provider page once, MaxConcurrentPages at a time. A page
// on a known host is read at its feed; any other page URL is read as given
// and kept when its answer is of a type this package reads (told by the
// answer, as Detect does, never by its address); otherwise it is reported as
// having no machine-readable status (its status stays unknown) and not read
// again for an hour. A page that fails keeps its last good state and is named
// in the error, which is returned beside the pages that succeeded.
func (s *providerPages) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	snap := env.Latest()
	provs := watchedProviders(snap)
	if len(provs) == 0 {
		// Not a success: the poller retries after a quarter of the
		// interval instead of a whole one, so the pages follow the first
		// endpoints within seconds.
		if len(snap.Providers) == 0 {
			return nil, errWaitingProviders
		}
		return nil, errWaitingEndpoints
	}
	if len(provs) > maxProviderPages {
		provs = provs[:maxProviderPages]
	}
	now := env.Now()
	type result struct {
		up  model.Update
		err error
	}
	results := make([]result, len(provs))
	var wg sync.WaitGroup
	for i, p := range provs {
		feed, product, known := ProviderPageFor(p)
		page := model.StatusPage{Name: "provider." + p.Slug, URL: p.StatusPageURL, Provider: p.Slug}
		if !known {
			feed = p.StatusPageURL
		}
		switch {
		case feed == "" || s.recentlyUnknown(feed, now):
			results[i].up = model.StatusUpdate{At: now, Page: page}
			continue
		case s.skip[feed]:
			continue // a configured page already reads it
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case s.sem <- struct{}{}:
			case <-ctx.Done():
				results[i].err = fmt.Errorf("%s: %w", p.Slug, ctx.Err())
				return
			}
			defer func() { <-s.sem }()
			resp, err := env.HTTP.Get(ctx, feeds.Request{URL: feed})
			if err != nil {
				results[i].err = fmt.Errorf("%s: %w", p.Slug, err)
				return
			}
			if resp.NotModified {
				return
			}
			kind, err := Detect(resp.Body)
			if err != nil && !known {
				s.markUnknown(feed, now)
				results[i].up = model.StatusUpdate{At: now, Page: page}
				return
			}
			decoded, err := DecodeProduct(resp.Body, product)
			if err == nil && decoded.Status == model.StatusUnknown && len(decoded.Components) == 0 && len(decoded.Incidents) == 0 {
				err = errNoSignal
			}
			if err != nil {
				results[i].err = fmt.Errorf("%s: %w", p.Slug, err)
				return
			}
			decoded.Name, decoded.URL, decoded.Provider, decoded.Kind = page.Name, feed, p.Slug, kind.String()
			decoded.Authors = nil
			results[i].up = model.StatusUpdate{At: now, Page: decoded}
		}()
	}
	wg.Wait()
	var ups []model.Update
	var errs []error
	for _, r := range results {
		if r.up != nil {
			ups = append(ups, r.up)
		}
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return ups, fmt.Errorf("%d of %d provider pages failed: %s", len(errs), len(provs), strings.Join(msgs, "; "))
	}
	return ups, nil
}

// The provider pages wait for the providers list and the endpoints of the
// watched listings, which tell which providers to read.
var (
	errWaitingProviders = errors.New("waiting for the providers list")
	errWaitingEndpoints = errors.New("waiting for the endpoints of the watched listings")
)

func (s *providerPages) recentlyUnknown(url string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.unknown[url]
	return ok && now.Sub(at) < unknownRetry
}

func (s *providerPages) markUnknown(url string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unknown[url] = now
}
