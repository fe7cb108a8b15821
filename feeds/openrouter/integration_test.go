package openrouter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

// TestIntegrationRealPayloads runs the sources through the real HTTP fetcher
// and poller against a local server serving the real payloads, into a real
// market: the "done when" checks, without and with a key.
func TestIntegrationRealPayloads(t *testing.T) {
	catalogue := feedtest.ReadTestdata(t, catalogueFile)
	endpoints := feedtest.ReadTestdata(t, endpointsFile)
	yesterday := utcDay(time.Now()).AddDate(0, 0, -1)
	rankings := fmt.Sprintf(`{"data":[
	 {"date":%[1]q,"model_permaslug":"minimax/minimax-m3-20260531","total_tokens":"600000000000"},
	 {"date":%[1]q,"model_permaslug":"anthropic/claude-sonnet-5-20260630","total_tokens":"300000000000"},
	 {"date":%[1]q,"model_permaslug":"z-ai/glm-5.2-20260616:free","total_tokens":"50000000000"},
	 {"date":%[1]q,"model_permaslug":"other","total_tokens":"50000000000"}],"meta":{"version":"v1"}}`,
		yesterday.Format(time.DateOnly))

	for _, key := range []string{"", testKey} {
		t.Run(fmt.Sprintf("key=%v", key != ""), func(t *testing.T) {
			var rec seen
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.add(r)
				switch {
				case r.URL.Path == "/api/v1/models":
					w.Write(catalogue)
				case strings.HasPrefix(r.URL.Path, "/api/v1/models/") && strings.HasSuffix(r.URL.Path, "/endpoints"):
					w.Write(endpoints)
				case r.URL.Path == "/api/v1/datasets/rankings-daily" && r.Header.Get("Authorization") == "Bearer "+testKey:
					fmt.Fprint(w, rankings)
				case r.URL.Path == "/api/v1/datasets/app-rankings" && r.Header.Get("Authorization") == "Bearer "+testKey:
					fmt.Fprint(w, `{"data":[{"app_id":1,"app_name":"Kilo Code","rank":1,"total_requests":10,"total_tokens":"99"}]}`)
				case r.URL.Path == "/api/v1/benchmarks" && r.Header.Get("Authorization") == "Bearer "+testKey:
					fmt.Fprint(w, `{"data":[],"meta":{"as_of":"2026-08-19T00:00:00Z"}}`)
				case r.URL.Path == "/api/v1/classifications/task" && r.Header.Get("Authorization") == "Bearer "+testKey:
					fmt.Fprint(w, `{"data":{"as_of":"2026-08-18","window_days":7,"classifications":[],"macro_categories":[{"key":"code","label":"Code","token_share":0.52,"usage_share":0.45}]}}`)
				case r.URL.Path == "/api/v1/providers":
					fmt.Fprint(w, `{"data":[{"slug":"openai","name":"OpenAI","headquarters":"US","status_page_url":"https://status.openai.com","privacy_policy_url":null}]}`)
				default:
					http.Error(w, "unauthorised", http.StatusUnauthorized)
				}
			}))
			defer srv.Close()

			market := model.NewMarket(model.Config{Source: "openrouter"})
			var mu sync.Mutex
			sink := func(ups []model.Update) {
				mu.Lock()
				defer mu.Unlock()
				for _, u := range ups {
					market.Apply(u)
				}
			}
			latest := func() *model.Snapshot {
				mu.Lock()
				defer mu.Unlock()
				return market.Snapshot()
			}
			srcs := Sources(Config{BaseURL: srv.URL + "/api/v1", APIKey: key})
			p := feeds.NewPoller(srcs, sink, feeds.PollerOptions{HTTP: feeds.NewHTTP(feeds.HTTPOptions{}), Latest: latest, Redact: []string{testKey}})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			// The first cycle brings the catalogue and the ranking; the
			// endpoints source needs them to know what to watch.
			for i := 0; i < 2; i++ {
				if err := p.RunOnce(ctx); err != nil {
					t.Fatalf("cycle %d: %v", i, err)
				}
			}
			snap := latest()
			if len(snap.Listings) < 400 {
				t.Fatalf("%d listings, want ≥ 400", len(snap.Listings))
			}
			var raw struct {
				Data []struct {
					ID      string         `json:"id"`
					Pricing map[string]any `json:"pricing"`
				} `json:"data"`
			}
			if err := json.Unmarshal(catalogue, &raw); err != nil {
				t.Fatal(err)
			}
			for _, r := range raw.Data {
				v, ok := snap.Listing(r.ID)
				if !ok {
					t.Errorf("%s missing from the snapshot", r.ID)
					continue
				}
				in, _ := strconv.ParseFloat(r.Pricing["prompt"].(string), 64)
				out, _ := strconv.ParseFloat(r.Pricing["completion"].(string), 64)
				if in > 0 && (!near(v.Price.In, in*1e6) || !near(v.Price.Out, out*1e6)) {
					t.Errorf("%s: $%v/$%v, payload ×1e6 $%v/$%v", r.ID, v.Price.In, v.Price.Out, in*1e6, out*1e6)
				}
			}
			// Quality rides along with the catalogue, keyless.
			if v, _ := snap.Listing("anthropic/claude-sonnet-5"); v == nil || v.Indexes().Intelligence != 55.3 {
				t.Errorf("sonnet 5 indexes = %+v", v)
			}
			for id, origin := range map[string]model.Origin{"anthropic/claude-sonnet-5": model.OriginUS,
				"minimax/minimax-m3": model.OriginCN, "mistralai/mistral-large-2512": model.OriginEU} {
				if v, ok := snap.Listing(id); !ok || v.Origin != origin {
					t.Errorf("%s (found %v) origin %v, want %v", id, ok, v.Origin, origin)
				}
			}
			withEndpoints := 0
			for _, v := range snap.Listings {
				if len(v.Endpoints()) > 0 {
					withEndpoints++
				}
			}
			if withEndpoints == 0 {
				t.Error("no listing got endpoints after two cycles")
			}
			for _, h := range snap.Sources {
				if !h.OK {
					t.Errorf("source %s not OK: %s", h.Name, h.LastError)
				}
			}
			for _, r := range rec.all() {
				auth := r.Header.Get("Authorization")
				if key == "" && auth != "" {
					t.Errorf("%s sent Authorization without a key", r.URL)
				}
			}
			if key == "" {
				if snap.HasVolumes {
					t.Error("volumes without a key")
				}
				return
			}
			if !snap.HasVolumes || len(snap.Apps) != 1 {
				t.Fatalf("with a key: volumes %v, apps %d", snap.HasVolumes, len(snap.Apps))
			}
			sum := 0.0
			for _, o := range snap.Origins {
				sum += o.Share
			}
			if math.Abs(sum-100) > 0.01 {
				t.Errorf("origin shares sum to %v, want 100", sum)
			}
			if s := fmt.Sprintf("%+v", snap); strings.Contains(s, testKey) {
				t.Error("key in the snapshot")
			}
		})
	}
}

// TestIntegrationRealFetcherFaults checks the sources' errors through the
// real fetcher: the 16 MiB cap on a 50 MB answer and a 429's Retry-After.
func TestIntegrationRealFetcherFaults(t *testing.T) {
	big := bigCatalogue(50 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("sort") == "top-weekly" {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(429)
			return
		}
		w.Write(big)
	}))
	defer srv.Close()
	env := feeds.Env{HTTP: feeds.NewHTTP(feeds.HTTPOptions{}), Latest: func() *model.Snapshot { return &model.Snapshot{} }, Now: time.Now}
	if ups, err := NewCatalogue(Config{BaseURL: srv.URL}).Fetch(context.Background(), env); err == nil || ups != nil {
		t.Errorf("50 MB body: %v, %v; want the cap's error", ups, err)
	} else {
		t.Logf("50 MB body: %v", err)
	}
	_, err := NewTopWeekly(Config{BaseURL: srv.URL}).Fetch(context.Background(), env)
	var he *feeds.HTTPError
	if !errors.As(err, &he) || he.Status != 429 || he.RetryAfter != 120*time.Second {
		t.Errorf("429: %v, want HTTPError retry 120s", err)
	}
}
