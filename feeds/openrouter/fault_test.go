package openrouter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

const testKey = "sk-or-v1-0123456789abcdef-test-key"

var t0 = time.Date(2026, 9, 15, 10, 30, 0, 0, time.UTC)

func names(srcs []feeds.Source) string {
	var out []string
	for _, s := range srcs {
		out = append(out, fmt.Sprintf("%s/%s", s.Name(), s.Interval()))
	}
	return strings.Join(out, ",")
}

func TestSourcesComposition(t *testing.T) {
	if got := names(Sources(Config{})); got != "catalogue/10m0s,ranking/10m0s,endpoints/2m0s,providers/24h0m0s" {
		t.Errorf("keyless sources = %s", got)
	}
	if got := names(Sources(Config{APIKey: "k"})); got != "catalogue/10m0s,usage/1h0m0s,apps/1h0m0s,benchmarks/24h0m0s,tasks/6h0m0s,endpoints/2m0s,providers/24h0m0s" {
		t.Errorf("keyed sources = %s", got)
	}
}

const goodCatalogue = `{"data":[
 {"id":"anthropic/claude-sonnet-5","canonical_slug":"anthropic/claude-sonnet-5-20260630","name":"Claude Sonnet 5",
  "pricing":{"prompt":"0.000002","completion":"0.00001"}},
 {"id":"minimax/minimax-m2.5","canonical_slug":"minimax/minimax-m2.5-20260211","name":"MiniMax M2.5",
  "pricing":{"prompt":"0.0000003","completion":"0.0000012"}}]}`

// TestCatalogueFaultsAndRecovery drives one catalogue source through an
// upstream that fails in every way listed in the issue, then heals.
func TestCatalogueFaultsAndRecovery(t *testing.T) {
	var step atomic.Int32
	steps := []struct {
		name    string
		handler func(w http.ResponseWriter)
		check   func(t *testing.T, ups []model.Update, err error)
	}{
		{"500", func(w http.ResponseWriter) { http.Error(w, `{"error":{"code":500}}`, 500) },
			wantHTTPError(500, 0)},
		{"429 Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(429)
		}, wantHTTPError(429, 120*time.Second)},
		{"truncated JSON", func(w http.ResponseWriter) { fmt.Fprint(w, goodCatalogue[:len(goodCatalogue)/2]) }, wantErr},
		{"not JSON", func(w http.ResponseWriter) { fmt.Fprint(w, "<html><body>502 Bad Gateway</body></html>") }, wantErr},
		{"data missing", func(w http.ResponseWriter) { fmt.Fprint(w, `{"models":[]}`) }, wantErr},
		{"data wrong type", func(w http.ResponseWriter) { fmt.Fprint(w, `{"data":{"id":"x/y"}}`) }, wantErr},
		{"empty list", func(w http.ResponseWriter) { fmt.Fprint(w, `{"data":[]}`) }, wantErr},
		{"only broken listings", func(w http.ResponseWriter) {
			fmt.Fprint(w, `{"data":[{"id":1},{"id":"a/b","name":{}},{"id":"c/d","pricing":{"prompt":1,"completion":1}}]}`)
		}, wantErr},
		{"hostile names, negative and NaN prices, duplicates", func(w http.ResponseWriter) {
			fmt.Fprint(w, `{"data":[
			 {"id":"evil/one","name":`+quote(hostile)+`,"description":`+quote("line1\rline2\bX\u202e")+`,
			  "pricing":{"prompt":"-0.000001","completion":"0.000001"}},
			 {"id":"evil/two","name":"Two","pricing":{"prompt":"NaN","completion":"0.000001"}},
			 {"id":"evil/one","name":`+quote("\u200bAgain\x1b[0m")+`,"pricing":{"prompt":"0.000001","completion":"0.000002"}},
			 {"id":"ok/three","name":"Three","pricing":{"prompt":"0.000001","completion":"0.000002"}},
			 {"id":"bad/types","name":5}]}`)
		}, func(t *testing.T, ups []model.Update, err error) {
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			ls := ups[0].(model.CatalogueUpdate).Listings
			if len(ls) != 3 {
				t.Fatalf("listings = %+v, want 3 (duplicate merged, wrong types dropped)", ls)
			}
			for _, l := range ls {
				for _, s := range listingStrings(l) {
					if !feedtest.Clean(s) {
						t.Errorf("unclean %q", s)
					}
				}
				if l.Price.Kind == model.PricePaid && (l.Price.In < 0 || l.Price.Out < 0) {
					t.Errorf("negative paid price %+v", l.Price)
				}
			}
			if ls[0].Name != "Again" || ls[0].Price.In != 1 {
				t.Errorf("duplicate: %+v, want the last evil/one", ls[0])
			}
			if ls[1].Price.Kind != model.PriceUnknown {
				t.Errorf("NaN price kind = %v, want unknown", ls[1].Price.Kind)
			}
		}},
		{"healthy", func(w http.ResponseWriter) { fmt.Fprint(w, goodCatalogue) }, func(t *testing.T, ups []model.Update, err error) {
			if err != nil || len(ups) != 1 {
				t.Fatalf("ups %v err %v", ups, err)
			}
			u := ups[0].(model.CatalogueUpdate)
			if u.Source != "catalogue" || !u.At.Equal(t0) || len(u.Listings) != 2 || u.Listings[0].Price.In != 2 {
				t.Errorf("update = %+v", u)
			}
		}},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/models" {
			t.Errorf("unexpected path %s", r.URL.Path)
		}
		steps[step.Load()].handler(w)
	}))
	defer srv.Close()
	src := NewCatalogue(Config{BaseURL: srv.URL + "/api/v1/"})
	env := newEnv(newHTTPFetcher(), &fixedClock{t: t0}, nil)
	for i, s := range steps {
		step.Store(int32(i))
		t.Run(s.name, func(t *testing.T) {
			ups, err := src.Fetch(context.Background(), env)
			if err != nil && len(ups) != 0 {
				t.Errorf("error %v together with %d updates", err, len(ups))
			}
			if err != nil && !feedtest.Clean(err.Error()) {
				t.Errorf("unclean error %q", err)
			}
			s.check(t, ups, err)
		})
	}
}

func wantErr(t *testing.T, ups []model.Update, err error) {
	t.Helper()
	if err == nil || len(ups) != 0 {
		t.Errorf("got %d updates, err %v; want an error and no update (last good data stays)", len(ups), err)
	}
}

func wantHTTPError(status int, retry time.Duration) func(*testing.T, []model.Update, error) {
	return func(t *testing.T, ups []model.Update, err error) {
		t.Helper()
		var he *feeds.HTTPError
		if !errors.As(err, &he) || he.Status != status || he.RetryAfter != retry || len(ups) != 0 {
			t.Errorf("err = %v (%T), %d updates; want *feeds.HTTPError %d retry %v", err, err, len(ups), status, retry)
		}
	}
}

func TestNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	cfg := Config{BaseURL: srv.URL, APIKey: testKey}
	env := newEnv(newHTTPFetcher(), &fixedClock{t: t0}, nil)
	for _, src := range []feeds.Source{NewCatalogue(cfg), NewTopWeekly(cfg), NewUsage(cfg, nil), NewApps(cfg, nil)} {
		if ups, err := src.Fetch(context.Background(), env); !errors.Is(err, feeds.ErrNotModified) || ups != nil {
			t.Errorf("%s: %v, %v; want ErrNotModified", src.Name(), ups, err)
		}
	}
}

// TestBigBodies: the Fetcher caps bodies (16 MiB here, as the real one), so a
// 50 MB answer arrives truncated and fails cleanly; a big valid catalogue
// decodes whole.
func TestBigBodies(t *testing.T) {
	big := bigCatalogue(50 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(big) }))
	defer srv.Close()
	env := newEnv(newHTTPFetcher(), &fixedClock{t: t0}, nil)
	ups, err := NewCatalogue(Config{BaseURL: srv.URL}).Fetch(context.Background(), env)
	if err == nil || ups != nil {
		t.Errorf("50 MB capped to 16 MiB: %d updates, err %v; want a decode error", len(ups), err)
	}

	size := 15 << 20
	if testing.Short() || raceEnabled {
		size = 2 << 20
	}
	valid := bigCatalogue(size)
	start := time.Now()
	ls, dropped, err := DecodeCatalogue(valid)
	if err != nil || dropped != 0 || len(ls) < size/600 {
		t.Fatalf("big valid catalogue (%d bytes): %d listings, %d dropped, %v", len(valid), len(ls), dropped, err)
	}
	t.Logf("decoded %d listings from %.1f MB in %v", len(ls), float64(len(valid))/(1<<20), time.Since(start))
}

// bigCatalogue builds a valid catalogue of at least n bytes.
func bigCatalogue(n int) []byte {
	var b bytes.Buffer
	b.Grow(n + 1024)
	b.WriteString(`{"data":[`)
	desc := strings.Repeat("a long description of a very capable model ", 6)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"author%d/model-%d","canonical_slug":"author%d/model-%d-20260101","name":"Model %d","description":%q,"context_length":131072,"pricing":{"prompt":"0.000001","completion":"0.000002","input_cache_read":"0.0000001"}}`,
			i%97, i, i%97, i, i, desc)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// authServer answers every OpenRouter path with a valid body and records
// the requests it saw.
func authServer(t *testing.T, rec *seen) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		switch {
		case r.URL.Path == "/api/v1/models":
			fmt.Fprint(w, goodCatalogue)
		case r.URL.Path == "/api/v1/datasets/rankings-daily":
			fmt.Fprint(w, `{"data":[{"date":"2026-09-14","model_permaslug":"minimax/minimax-m2.5-20260211","total_tokens":"99"}],"meta":{}}`)
		case r.URL.Path == "/api/v1/datasets/app-rankings":
			fmt.Fprint(w, `{"data":[{"app_id":1,"app_name":"Cline","rank":1,"total_requests":1,"total_tokens":"2"}]}`)
		case strings.HasSuffix(r.URL.Path, "/endpoints"):
			fmt.Fprint(w, `{"data":{"endpoints":[{"provider_name":"P","status":0,"uptime_last_5m":100}]}}`)
		case r.URL.Path == "/api/v1/benchmarks":
			fmt.Fprint(w, `{"data":[{"source":"artificial-analysis","model_permaslug":"minimax/minimax-m2.5-20260211","intelligence_index":42,"coding_index":null,"agentic_index":null}],"meta":{}}`)
		case r.URL.Path == "/api/v1/classifications/task":
			fmt.Fprint(w, `{"data":{"as_of":"2026-09-14","window_days":7,"classifications":[],"macro_categories":[]}}`)
		case r.URL.Path == "/api/v1/providers":
			fmt.Fprint(w, `{"data":[{"slug":"p","name":"P","status_page_url":"https://status.p.ai"}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
}

// marketWith returns a snapshot function over a market holding the listings
// of goodCatalogue, ranked.
func marketWith(clock *fixedClock) func() *model.Snapshot {
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: clock.Now})
	ls, _, _ := DecodeCatalogue([]byte(goodCatalogue))
	m.Apply(model.CatalogueUpdate{At: clock.Now(), Source: "catalogue", Listings: ls})
	m.Apply(model.RankingUpdate{At: clock.Now(), Source: "ranking", IDs: []string{"minimax/minimax-m2.5", "anthropic/claude-sonnet-5"}})
	return m.Snapshot
}

// TestAuthorizationHeader: with a key, exactly the keyed requests carry it;
// without one no request carries any Authorization header; and the key is in
// no update and no error.
func TestAuthorizationHeader(t *testing.T) {
	for _, key := range []string{testKey, ""} {
		t.Run(fmt.Sprintf("key=%v", key != ""), func(t *testing.T) {
			var rec seen
			srv := authServer(t, &rec)
			defer srv.Close()
			clock := &fixedClock{t: t0}
			env := newEnv(newHTTPFetcher(), clock, marketWith(clock))
			var all []model.Update
			for _, src := range Sources(Config{BaseURL: srv.URL + "/api/v1", APIKey: key}) {
				ups, err := src.Fetch(context.Background(), env)
				if err != nil {
					t.Fatalf("%s: %v", src.Name(), err)
				}
				if len(ups) == 0 {
					t.Errorf("%s: no update", src.Name())
				}
				all = append(all, ups...)
			}
			reqs := rec.all()
			if len(reqs) < 4 {
				t.Fatalf("only %d requests", len(reqs))
			}
			for _, r := range reqs {
				got := r.Header.Get("Authorization")
				keyed := strings.Contains(r.URL.Path, "/datasets/") || strings.HasSuffix(r.URL.Path, "/endpoints") ||
					strings.HasSuffix(r.URL.Path, "/benchmarks") || strings.Contains(r.URL.Path, "/classifications/")
				switch {
				case key == "" && len(r.Header.Values("Authorization")) != 0:
					t.Errorf("%s carries Authorization %q without a key", r.URL, got)
				case key != "" && keyed && got != "Bearer "+key:
					t.Errorf("%s: Authorization %q, want the bearer key", r.URL, got)
				case key != "" && !keyed && got != "":
					t.Errorf("%s: public request carries Authorization", r.URL)
				}
			}
			if key != "" && strings.Contains(fmt.Sprintf("%#v %+v", all, all), key) {
				t.Error("key found in updates")
			}
		})
	}
}

// leakyFetcher is a Fetcher that (wrongly) echoes the request in its error.
type leakyFetcher struct{}

func (leakyFetcher) Get(ctx context.Context, req feeds.Request) (feeds.Response, error) {
	return feeds.Response{}, fmt.Errorf("GET %s with headers %v failed", req.URL, req.Header)
}

func TestKeyNeverInErrors(t *testing.T) {
	clock := &fixedClock{t: t0}
	env := newEnv(leakyFetcher{}, clock, marketWith(clock))
	for _, src := range Sources(Config{BaseURL: "http://127.0.0.1:1", APIKey: testKey}) {
		_, err := src.Fetch(context.Background(), env)
		if err == nil {
			t.Fatalf("%s: no error from a failing fetcher", src.Name())
		}
		if strings.Contains(err.Error(), testKey) {
			t.Errorf("%s: key in error %q", src.Name(), err)
		}
	}
	// A server that echoes the key back in its error body: the body never
	// reaches the error.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad key "+r.Header.Get("Authorization"), http.StatusUnauthorized)
	}))
	defer srv.Close()
	env = newEnv(newHTTPFetcher(), clock, marketWith(clock))
	for _, src := range Sources(Config{BaseURL: srv.URL, APIKey: testKey}) {
		if _, err := src.Fetch(context.Background(), env); err == nil || strings.Contains(err.Error(), testKey) {
			t.Errorf("%s: err %v", src.Name(), err)
		}
	}
}

func TestUsageBackfillThenRefresh(t *testing.T) {
	var rec seen
	fail := atomic.Bool{}
	fail.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if fail.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, `{"data":[
		 {"date":"2026-09-13","model_permaslug":"a/b-1","total_tokens":"10"},
		 {"date":"2026-09-14","model_permaslug":"a/b-1","total_tokens":"184467440737095516150"},
		 {"date":"2026-09-14","model_permaslug":"other","total_tokens":"5"}],"meta":{"version":"v1"}}`)
	}))
	defer srv.Close()
	clock := &fixedClock{t: t0}
	env := newEnv(newHTTPFetcher(), clock, nil)
	src := NewUsage(Config{BaseURL: srv.URL, APIKey: testKey}, nil)

	window := func(i int) (string, string, string) {
		q := rec.all()[i].URL.Query()
		return q.Get("start_date"), q.Get("end_date"), q.Get("period")
	}
	if _, err := src.Fetch(context.Background(), env); err == nil {
		t.Fatal("503 did not fail")
	}
	fail.Store(false)
	ups, err := src.Fetch(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	// A failed first fetch does not count as the backfill: both asked 60 days,
	// ending with the last completed UTC day.
	for i := 0; i < 2; i++ {
		if s, e, p := window(i); s != "2026-07-17" || e != "2026-09-14" || p != "day" {
			t.Errorf("request %d window %s..%s period %s, want 60 days 2026-07-17..2026-09-14", i, s, e, p)
		}
	}
	u := ups[0].(model.UsageUpdate)
	if len(u.Rows) != 2 || u.Rows[0].Tokens != 10 || u.Rows[1].Slug != "other" || u.Source != "usage" {
		t.Errorf("rows = %+v (the overflowing row must be dropped)", u.Rows)
	}
	clock.Add(time.Hour)
	if _, err := src.Fetch(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if s, e, _ := window(2); s != "2026-09-12" || e != "2026-09-14" {
		t.Errorf("refresh window %s..%s, want the last 3 days 2026-09-12..2026-09-14", s, e)
	}
}

func TestKeyedSourcesShareTheRateLimit(t *testing.T) {
	var rec seen
	srv := authServer(t, &rec)
	defer srv.Close()
	clock := &fixedClock{t: t0}
	env := newEnv(newHTTPFetcher(), clock, nil)
	lim := NewLimiter(DatasetRequests, DatasetPer)
	cfg := Config{BaseURL: srv.URL + "/api/v1", APIKey: testKey}
	usage, apps := NewUsage(cfg, lim), NewApps(cfg, lim)
	for i := 0; i < DatasetRequests; i++ {
		src := usage
		if i%2 == 1 {
			src = apps
		}
		if _, err := src.Fetch(context.Background(), env); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		clock.Add(time.Second)
	}
	_, err := apps.Fetch(context.Background(), env)
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 30*time.Second {
		t.Fatalf("31st request in a minute: %v, want RateLimitError retry 30s", err)
	}
	var he *feeds.HTTPError
	if !errors.As(err, &he) || he.Status != 429 || he.RetryAfter != 30*time.Second || !strings.Contains(err.Error(), "local limit") {
		t.Errorf("the poller would not wait for the slot: %v", err)
	}
	if n := len(rec.all()); n != DatasetRequests {
		t.Errorf("%d requests reached the server, want %d", n, DatasetRequests)
	}
	clock.Add(rl.RetryAfter)
	if _, err := usage.Fetch(context.Background(), env); err != nil {
		t.Errorf("after the wait: %v", err)
	}
}

func TestKeyedSourcesWithoutKey(t *testing.T) {
	env := newEnv(leakyFetcher{}, &fixedClock{t: t0}, nil)
	for _, src := range []feeds.Source{NewUsage(Config{}, nil), NewApps(Config{}, nil)} {
		if _, err := src.Fetch(context.Background(), env); err == nil || !strings.Contains(err.Error(), "OPENROUTER_API_KEY") {
			t.Errorf("%s without a key: %v", src.Name(), err)
		}
	}
}

func TestTopWeekly(t *testing.T) {
	var rec seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		fmt.Fprint(w, `{"data":[{"id":"minimax/minimax-m2.5"},{"id":"~x/latest"},{"id":"anthropic/claude-sonnet-5"}]}`)
	}))
	defer srv.Close()
	ups, err := NewTopWeekly(Config{BaseURL: srv.URL}).Fetch(context.Background(), newEnv(newHTTPFetcher(), &fixedClock{t: t0}, nil))
	if err != nil {
		t.Fatal(err)
	}
	u := ups[0].(model.RankingUpdate)
	if strings.Join(u.IDs, ",") != "minimax/minimax-m2.5,anthropic/claude-sonnet-5" || u.Source != "ranking" {
		t.Errorf("ranking = %+v", u)
	}
	if r := rec.all()[0]; r.URL.Path != "/models" || r.URL.Query().Get("sort") != "top-weekly" {
		t.Errorf("request = %s", r.URL)
	}
}

// TestEndpointsPartialFailure: one listing's endpoints fail; the others'
// updates still arrive, with an error naming the failure.
func TestEndpointsPartialFailure(t *testing.T) {
	var rec seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		switch r.URL.Path {
		case "/models/minimax/minimax-m2.5-20260211/endpoints":
			w.Header().Set("Retry-After", "30")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		case "/models/anthropic/claude-sonnet-5-20260630/endpoints":
			fmt.Fprint(w, `{"data":{"endpoints":[{"provider_name":"Anthropic","status":-2,"uptime_last_5m":80}]}}`)
		case "/models/z-ai/glm-5.2-20260616/endpoints":
			fmt.Fprint(w, `{"data":{"endpoints":[{"provider_name":`+quote(hostile)+`,"status":0}]}}`)
		case "/models/broken/json/endpoints":
			fmt.Fprint(w, `{"data":{"endpoints":[`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	clock := &fixedClock{t: t0}
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: clock.Now})
	ls, _, _ := DecodeCatalogue([]byte(`{"data":[
	 {"id":"anthropic/claude-sonnet-5","canonical_slug":"anthropic/claude-sonnet-5-20260630"},
	 {"id":"minimax/minimax-m2.5","canonical_slug":"minimax/minimax-m2.5-20260211"},
	 {"id":"z-ai/glm-5.2","canonical_slug":"z-ai/glm-5.2-20260616"},
	 {"id":"z-ai/glm-5.2:free","canonical_slug":"z-ai/glm-5.2-20260616"},
	 {"id":"tail/unwatched","canonical_slug":"tail/unwatched-1"},
	 {"id":"broken/json","canonical_slug":"broken/json"}]}`))
	m.Apply(model.CatalogueUpdate{At: t0, Source: "catalogue", Listings: ls})
	m.Apply(model.RankingUpdate{At: t0, Source: "ranking", IDs: []string{
		"anthropic/claude-sonnet-5", "z-ai/glm-5.2", "z-ai/glm-5.2:free", "minimax/minimax-m2.5", "tail/unwatched"}})
	src := NewEndpoints(Config{BaseURL: srv.URL, WatchTop: 4, Watch: []string{"broken/json", "anthropic/claude-sonnet-5"}})
	ups, err := src.Fetch(context.Background(), newEnv(newHTTPFetcher(), clock, m.Snapshot))

	got := map[string]model.EndpointsUpdate{}
	for _, u := range ups {
		e := u.(model.EndpointsUpdate)
		got[e.ListingID] = e
	}
	if len(got) != 3 || got["anthropic/claude-sonnet-5"].Endpoints[0].Status != -2 ||
		len(got["z-ai/glm-5.2"].Endpoints) != 1 || len(got["z-ai/glm-5.2:free"].Endpoints) != 1 {
		t.Errorf("updates = %+v, want sonnet-5 and both glm-5.2 listings", got)
	}
	if p := got["z-ai/glm-5.2"].Endpoints[0].Provider; !feedtest.Clean(p) {
		t.Errorf("unclean provider %q", p)
	}
	var ee *EndpointsError
	var he *feeds.HTTPError
	if !errors.As(err, &ee) || ee.Failed != 2 || ee.Total != 4 || !errors.As(err, &he) || he.Status != 429 {
		t.Fatalf("err = %v, want 2 of 4 failed with the 429 reachable", err)
	}
	if !strings.Contains(err.Error(), "minimax/minimax-m2.5-20260211") || !strings.Contains(err.Error(), "broken/json") {
		t.Errorf("error does not name the failures: %v", err)
	}
	paths := map[string]int{}
	for _, r := range rec.all() {
		paths[r.URL.Path]++
	}
	if len(paths) != 4 || paths["/models/z-ai/glm-5.2-20260616/endpoints"] != 1 || paths["/models/tail/unwatched-1/endpoints"] != 0 {
		t.Errorf("requests = %v; want one per canonical slug of the top 4 + watched, none for the 5th", paths)
	}
}

// TestEndpointsNothingToWatch: before the ranking is known there is nothing
// to watch; the source reads nothing, claims no success (a skip, not a ✓
// over no data) and asks to be asked again within seconds, so the watched
// listings are fetched as soon as the ranking arrives.
func TestEndpointsNothingToWatch(t *testing.T) {
	ups, err := NewEndpoints(Config{}).Fetch(context.Background(), newEnv(leakyFetcher{}, &fixedClock{t: t0}, nil))
	var skip *feeds.SkipError
	if ups != nil || !errors.As(err, &skip) {
		t.Fatalf("empty market: %v, %v; want nothing and a skip", ups, err)
	}
	if d := skip.Until.Sub(t0); d <= 0 || d > 5*time.Second {
		t.Errorf("asks again in %v; want within seconds", d)
	}
}

func TestEndpointsHostileSlugNotRequested(t *testing.T) {
	var rec seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rec.add(r) }))
	defer srv.Close()
	clock := &fixedClock{t: t0}
	_, err := NewEndpoints(Config{BaseURL: srv.URL, Watch: []string{"../../admin", "a/b?x=1"}}).
		Fetch(context.Background(), newEnv(newHTTPFetcher(), clock, nil))
	if err == nil || len(rec.all()) != 0 {
		t.Errorf("hostile slugs: err %v, %d requests; want an error and no request", err, len(rec.all()))
	}
}

func TestEndpointsCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	clock := &fixedClock{t: t0}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := NewEndpoints(Config{BaseURL: srv.URL}).Fetch(ctx, newEnv(newHTTPFetcher(), clock, marketWith(clock)))
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("cancelled fetch: %v after %v", err, time.Since(start))
	}
}

// TestOptionalDatasets404IsUnavailable: a 404 of an optional dataset (apps,
// benchmarks, task shares, providers) is "unavailable", not a failure; a
// 500 stays a failure.
func TestOptionalDatasets404IsUnavailable(t *testing.T) {
	status := http.StatusNotFound
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	cfg := Config{BaseURL: srv.URL, APIKey: "sk-or-test-key-0123456789"}
	srcs := []feeds.Source{NewApps(cfg, NewLimiter(100, time.Minute)), NewBenchmarks(cfg, NewLimiter(100, time.Minute)),
		NewTasks(cfg, NewLimiter(100, time.Minute)), NewProviders(cfg)}
	for _, code := range []int{http.StatusNotFound, http.StatusInternalServerError} {
		status = code
		for _, s := range srcs {
			_, err := s.Fetch(context.Background(), newEnv(newHTTPFetcher(), &fixedClock{t: t0}, nil))
			if got := errors.Is(err, feeds.ErrUnavailable); got != (code == http.StatusNotFound) {
				t.Errorf("%s, HTTP %d: unavailable %v (%v)", s.Name(), code, got, err)
			}
		}
	}
}

// TestEndpointsSkipUnlisted: a ranked listing the catalogue does not list
// (a retired permaslug) has no endpoints to ask for; the listed ones are
// watched.
func TestEndpointsSkipUnlisted(t *testing.T) {
	var rec seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.Write([]byte(`{"data":{"id":"x","endpoints":[]}}`))
	}))
	defer srv.Close()
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return t0 }})
	m.Apply(model.CatalogueUpdate{At: t0, Listings: []model.Listing{{ID: "qwen/qwen3.8-27b", Slug: "qwen/qwen3.8-27b-20260801", Name: "Qwen3.8 27B"}}})
	m.Apply(model.UsageUpdate{At: t0, Rows: []model.UsageRow{
		{Date: t0.Truncate(24 * time.Hour), Slug: "tencent/hy3-preview-20260421:free", Tokens: 900},
		{Date: t0.Truncate(24 * time.Hour), Slug: "qwen/qwen3.8-27b-20260801", Tokens: 100}}})
	_, _ = NewEndpoints(Config{BaseURL: srv.URL}).Fetch(context.Background(), newEnv(newHTTPFetcher(), &fixedClock{t: t0}, m.Snapshot))
	var paths []string
	for _, r := range rec.all() {
		paths = append(paths, r.URL.Path)
	}
	if len(paths) != 1 || paths[0] != "/models/qwen/qwen3.8-27b-20260801/endpoints" {
		t.Errorf("requests %v; want only the listed qwen/qwen3.8-27b", paths)
	}
}
