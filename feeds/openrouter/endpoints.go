package openrouter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// endpointWorkers bounds concurrent endpoint requests: enough that one slow
// listing does not hold up the rest, few enough to be polite.
const endpointWorkers = 4

// rawEndpoint is one element of the endpoints answer's data.endpoints.
type rawEndpoint struct {
	Provider     *string          `json:"provider_name"`
	Quantization *string          `json:"quantization"`
	Status       *json.RawMessage `json:"status"`
	Uptime5m     *float64         `json:"uptime_last_5m"`
	Uptime30m    *float64         `json:"uptime_last_30m"`
	Uptime1d     *float64         `json:"uptime_last_1d"`
	Latency      *rawPercentiles  `json:"latency_last_30m"`
	Throughput   *rawPercentiles  `json:"throughput_last_30m"`
}

type rawPercentiles struct {
	P50 *float64 `json:"p50"`
}

// DecodeEndpoints decodes a GET /models/{author}/{slug}/endpoints answer
// ({"data": {"endpoints": [...]}}). Uptimes outside 0..100, and null or
// negative latency and throughput (null without an API key), become NaN. An
// endpoint with a member of the wrong type is dropped and counted. A body
// that is not JSON, or lacks data.endpoints, is an error.
func DecodeEndpoints(body []byte) (eps []model.Endpoint, dropped int, err error) {
	data, err := dataOf(body)
	if err != nil {
		return nil, 0, fmt.Errorf("endpoints: %w", err)
	}
	var d struct {
		Endpoints *[]json.RawMessage `json:"endpoints"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, 0, fmt.Errorf("endpoints: %w", err)
	}
	if d.Endpoints == nil {
		return nil, 0, errors.New(`endpoints: answer has no "data.endpoints"`)
	}
	eps = make([]model.Endpoint, 0, len(*d.Endpoints))
	for _, raw := range *d.Endpoints {
		e, ok := decodeEndpoint(raw)
		if !ok {
			dropped++
			continue
		}
		eps = append(eps, e)
	}
	return eps, dropped, nil
}

func decodeEndpoint(raw json.RawMessage) (model.Endpoint, bool) {
	var r rawEndpoint
	if json.Unmarshal(raw, &r) != nil {
		return model.Endpoint{}, false
	}
	e := model.Endpoint{
		Uptime5m:      percent(r.Uptime5m),
		Uptime30m:     percent(r.Uptime30m),
		Uptime1d:      percent(r.Uptime1d),
		LatencyP50:    math.NaN(),
		ThroughputP50: math.NaN(),
	}
	if r.Provider != nil {
		e.Provider = sanitize.Name(*r.Provider)
	}
	if e.Provider == "" {
		e.Provider = "unknown provider"
	}
	if r.Quantization != nil {
		e.Quantization = sanitize.Name(*r.Quantization)
	}
	if r.Status != nil && string(*r.Status) != "null" {
		st, ok := jsonInt(*r.Status)
		if !ok {
			return model.Endpoint{}, false
		}
		e.Status = model.EndpointStatus(st)
	}
	if r.Latency != nil {
		e.LatencyP50 = nonNegative(r.Latency.P50)
	}
	if r.Throughput != nil {
		e.ThroughputP50 = nonNegative(r.Throughput.P50)
	}
	return e, true
}

// percent keeps a finite value in 0..100, NaN otherwise.
func percent(v *float64) float64 {
	f := finite(v)
	if f < 0 || f > 100 {
		return math.NaN()
	}
	return f
}

// nonNegative keeps a finite value ≥ 0, NaN otherwise.
func nonNegative(v *float64) float64 {
	f := finite(v)
	if f < 0 {
		return math.NaN()
	}
	return f
}

// endpointPath returns the request path for a canonical slug. OpenRouter's
// own catalogue links every listing's endpoints as
// /models/{canonical_slug}/endpoints (links.details; a ":free" or ":batch"
// variant shares its base model's permaslug and so its path). The slug comes
// from the network, so it must be exactly author/name with no traversal and
// no characters outside those real slugs use.
func endpointPath(slug string) (string, bool) {
	author, name, ok := strings.Cut(slug, "/")
	if !ok || !slugPart(author) || !slugPart(name) {
		return "", false
	}
	return "/models/" + url.PathEscape(author) + "/" + url.PathEscape(name) + "/endpoints", true
}

func slugPart(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > maxIDWidth {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '_', c == '.', c == '~', c == ':':
		default:
			return false
		}
	}
	return true
}

// rankingWait is how soon the endpoints source looks again for a ranking
// to pick its watched listings from.
const rankingWait = 2 * time.Second

// watched is one listing whose endpoints are polled.
type watched struct {
	id   string // listing id, the EndpointsUpdate key
	slug string // canonical slug, the request path
}

// endpointsSource polls the endpoints of the watched listings.
type endpointsSource struct {
	source
	top   int
	watch []string
}

// NewEndpoints returns the endpoints source ("endpoints", every 2 minutes).
// It watches the top cfg.WatchTop listings by rank plus cfg.Watch, and sends
// the API key when there is one (latency and throughput need it).
func NewEndpoints(cfg Config) feeds.Source {
	n := cfg.normalised()
	return &endpointsSource{source: newSource(cfg, "endpoints", EndpointsInterval), top: n.WatchTop, watch: n.Watch}
}

// targets picks the watched listings from the newest snapshot: the top ranked
// ones (aliases skipped, they repeat their target), then the configured ids.
func (s *endpointsSource) targets(snap *model.Snapshot) []watched {
	var out []watched
	seen := map[string]bool{}
	add := func(id, slug string) {
		if id == "" || seen[id] {
			return
		}
		if slug == "" {
			slug = id
		}
		seen[id] = true
		out = append(out, watched{id: id, slug: slug})
	}
	if snap != nil && s.top > 0 {
		ranked := make([]*model.ListingView, 0, len(snap.Listings))
		for i := range snap.Listings {
			v := &snap.Listings[i]
			// An unlisted listing (ranked, not in the catalogue) has no
			// endpoints to ask for: its slug is a retired permaslug.
			if v.Rank > 0 && v.Listing().Slug != "" && v.ID != model.OtherSlug && !strings.HasPrefix(v.ID, "~") && !v.Unlisted {
				ranked = append(ranked, v)
			}
		}
		sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Rank < ranked[j].Rank })
		for i := 0; i < len(ranked) && i < s.top; i++ {
			add(ranked[i].ID, ranked[i].Listing().Slug)
		}
	}
	for _, id := range s.watch {
		slug := id
		if snap != nil {
			if v, ok := snap.Listing(id); ok && v.Listing().Slug != "" {
				slug = v.Listing().Slug
			}
		}
		add(id, slug)
	}
	return out
}

// Fetch reads the endpoints of every watched listing. Listings sharing a
// canonical slug are fetched once. A listing that fails does not cost the
// others their updates: Fetch returns every update that succeeded together
// with an error naming the failures.
func (s *endpointsSource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	var snap *model.Snapshot
	if env.Latest != nil {
		snap = env.Latest()
	}
	targets := s.targets(snap)
	if len(targets) == 0 {
		// Nothing ranked or configured yet: ask again shortly, so the
		// watched listings are fetched as soon as the ranking is known,
		// not one interval later. Not a success: nothing was read.
		return nil, &feeds.SkipError{Until: env.Now().Add(rankingWait), Reason: "waiting for the ranking"}
	}
	bySlug := map[string][]string{}
	var slugs []string
	for _, t := range targets {
		if _, ok := bySlug[t.slug]; !ok {
			slugs = append(slugs, t.slug)
		}
		bySlug[t.slug] = append(bySlug[t.slug], t.id)
	}

	type result struct {
		eps         []model.Endpoint
		notModified bool
		err         error
	}
	results := make([]result, len(slugs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < endpointWorkers && w < len(slugs); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				eps, nm, err := s.fetchOne(ctx, env, slugs[i])
				results[i] = result{eps, nm, err}
			}
		}()
	}
	for i := range slugs {
		if ctx.Err() != nil {
			results[i].err = ctx.Err()
			continue
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	now := env.Now()
	var ups []model.Update
	var failed []string
	var firstErr error
	notModified := 0
	for i, r := range results {
		switch {
		case r.err != nil:
			if firstErr == nil {
				firstErr = r.err
			}
			failed = append(failed, sanitize.Name(slugs[i])+": "+r.err.Error())
		case r.notModified:
			notModified++
		default:
			for _, id := range bySlug[slugs[i]] {
				ups = append(ups, model.EndpointsUpdate{
					At: now, Source: "endpoints", ListingID: id,
					Endpoints: append([]model.Endpoint(nil), r.eps...),
				})
			}
		}
	}
	if len(failed) == 0 {
		if len(ups) == 0 && notModified > 0 {
			return nil, feeds.ErrNotModified
		}
		return ups, nil
	}
	return ups, &EndpointsError{Failed: len(failed), Total: len(slugs), Details: failed, First: firstErr}
}

func (s *endpointsSource) fetchOne(ctx context.Context, env feeds.Env, slug string) ([]model.Endpoint, bool, error) {
	path, ok := endpointPath(slug)
	if !ok {
		return nil, false, errors.New("not a valid author/slug")
	}
	resp, err := s.c.get(ctx, env, path, true)
	if err != nil {
		return nil, false, err
	}
	if resp.NotModified {
		return nil, true, nil
	}
	eps, _, err := DecodeEndpoints(resp.Body)
	return eps, false, err
}

// EndpointsError summarises the listings whose endpoints could not be read
// in one fetch. Errors.As reaches the first failure (for example a
// *feeds.HTTPError carrying a Retry-After).
type EndpointsError struct {
	Failed, Total int
	Details       []string // "slug: reason", sanitised slugs
	First         error
}

// Error names how many listings failed and the first few reasons.
func (e *EndpointsError) Error() string {
	const show = 3
	d := e.Details
	more := ""
	if len(d) > show {
		more = fmt.Sprintf("; and %d more", len(d)-show)
		d = d[:show]
	}
	return fmt.Sprintf("endpoints: %d of %d listings failed: %s%s", e.Failed, e.Total, strings.Join(d, "; "), more)
}

// Unwrap returns the first failure.
func (e *EndpointsError) Unwrap() error { return e.First }
