package openrouter

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"

	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

const (
	catalogueFile = "openrouter_api_v1_models_2026-08-19.json"
	endpointsFile = "openrouter_api_v1_endpoints_nex-agi_nex-n2.5-pro-free_2026-09_embedded.json"
	openAPIFile   = "openrouter_openapi_subset_2026-08-22.json"
)

func decodeRealCatalogue(t *testing.T) map[string]model.Listing {
	t.Helper()
	listings, dropped, err := DecodeCatalogue(feedtest.ReadTestdata(t, catalogueFile))
	if err != nil {
		t.Fatalf("DecodeCatalogue: %v", err)
	}
	if dropped != 0 {
		t.Errorf("dropped %d listings of the real catalogue, want 0", dropped)
	}
	byID := make(map[string]model.Listing, len(listings))
	for _, l := range listings {
		byID[l.ID] = l
	}
	return byID
}

func TestContractCatalogueFigures(t *testing.T) {
	byID := decodeRealCatalogue(t)
	if len(byID) < 400 {
		t.Fatalf("decoded %d listings, want ≥ 400 (the payload has 414)", len(byID))
	}

	paid := func(id string, in, out float64) model.Listing {
		t.Helper()
		l, ok := byID[id]
		if !ok {
			t.Fatalf("%s missing", id)
		}
		if l.Price.Kind != model.PricePaid || l.Price.In != in || l.Price.Out != out {
			t.Errorf("%s price = %+v, want paid $%g/$%g per million", id, l.Price, in, out)
		}
		return l
	}

	sonnet5 := paid("anthropic/claude-sonnet-5", 2, 10)
	if sonnet5.Slug != "anthropic/claude-sonnet-5-20260630" || sonnet5.Author != "anthropic" {
		t.Errorf("sonnet 5 slug/author = %q/%q", sonnet5.Slug, sonnet5.Author)
	}
	if sonnet5.Name != "Anthropic: Claude Sonnet 5" || sonnet5.ContextLength != 1000000 {
		t.Errorf("sonnet 5 name/context = %q/%d", sonnet5.Name, sonnet5.ContextLength)
	}
	if sonnet5.Created.Unix() != 1782843083 {
		t.Errorf("sonnet 5 created = %v", sonnet5.Created)
	}

	s45 := paid("anthropic/claude-sonnet-4.5", 3, 15)
	if s45.Price.CacheRead != 0.3 {
		t.Errorf("sonnet 4.5 cache read = %v, want 0.30", s45.Price.CacheRead)
	}
	if s45.Slug != "anthropic/claude-4.5-sonnet-20250929" {
		t.Errorf("sonnet 4.5 slug = %q", s45.Slug)
	}
	if len(s45.Overrides) != 1 {
		t.Fatalf("sonnet 4.5 overrides = %+v, want one long-context override", s45.Overrides)
	}
	o := s45.Overrides[0]
	if o.MinPromptTokens != 200000 || o.IsTimeWindow() || o.In != 6 || o.Out != 22.5 || o.CacheRead != 0.6 {
		t.Errorf("sonnet 4.5 override = %+v, want >200k: $6/$22.50, cache $0.60", o)
	}

	// Time-of-day windows, one wrapping midnight, with cache read overridden.
	v4 := paid("deepseek/deepseek-v4-pro", 0.66, 1.98)
	wantWindows := []model.PriceOverride{
		{UTCStart: 1000, UTCEnd: 100, In: 0.66, Out: 1.98, CacheRead: 0.022},
		{UTCStart: 100, UTCEnd: 400, In: 1.32, Out: 3.96, CacheRead: 0.044},
		{UTCStart: 400, UTCEnd: 600, In: 0.66, Out: 1.98, CacheRead: 0.022},
		{UTCStart: 600, UTCEnd: 1000, In: 1.32, Out: 3.96, CacheRead: 0.044},
	}
	if len(v4.Overrides) != len(wantWindows) {
		t.Fatalf("deepseek v4 pro overrides = %+v, want 4 windows", v4.Overrides)
	}
	for i, w := range wantWindows {
		if got := v4.Overrides[i]; got != w || !got.IsTimeWindow() {
			t.Errorf("deepseek v4 pro override %d = %+v, want %+v", i, got, w)
		}
	}

	if auto := byID["openrouter/auto"]; auto.Price.Kind != model.PriceVariable || auto.Price.Rankable() {
		t.Errorf("openrouter/auto price = %+v, want variable and not rankable", auto.Price)
	}

	alias := byID["~anthropic/claude-sonnet-latest"]
	if alias.AliasOf != "anthropic/claude-sonnet-5" || alias.Author != "anthropic" {
		t.Errorf("alias = AliasOf %q author %q, want anthropic/claude-sonnet-5, anthropic", alias.AliasOf, alias.Author)
	}
	if _, ok := byID[alias.AliasOf]; !ok {
		t.Errorf("alias target %q is not a listing", alias.AliasOf)
	}

	free := byID["z-ai/glm-5.2:free"]
	if free.Price.Kind != model.PriceFree || free.Slug != "z-ai/glm-5.2-20260616" {
		t.Errorf("z-ai/glm-5.2:free = %+v slug %q, want free under the base permaslug", free.Price, free.Slug)
	}
}

// TestContractCatalogueEveryPrice checks every listing's price against an
// independent reading of the same payload: per-token strings × 1e6.
func TestContractCatalogueEveryPrice(t *testing.T) {
	byID := decodeRealCatalogue(t)
	var raw struct {
		Data []struct {
			ID          string `json:"id"`
			AliasTarget *struct {
				Slug string `json:"slug"`
			} `json:"alias_target"`
			Expiration *string           `json:"expiration_date"`
			Pricing    map[string]any    `json:"pricing"`
			Links      map[string]string `json:"links"`
		} `json:"data"`
	}
	if err := json.Unmarshal(feedtest.ReadTestdata(t, catalogueFile), &raw); err != nil {
		t.Fatal(err)
	}
	var paid, free, variable, aliases, expiring, cache int
	for _, r := range raw.Data {
		l, ok := byID[r.ID]
		if !ok {
			t.Errorf("%s not decoded", r.ID)
			continue
		}
		in, err1 := strconv.ParseFloat(r.Pricing["prompt"].(string), 64)
		out, err2 := strconv.ParseFloat(r.Pricing["completion"].(string), 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: payload price unreadable", r.ID)
		}
		switch {
		case in == -1 || out == -1:
			variable++
			if l.Price.Kind != model.PriceVariable {
				t.Errorf("%s: kind %v, want variable", r.ID, l.Price.Kind)
			}
		case in == 0 && out == 0:
			free++
			if l.Price.Kind != model.PriceFree {
				t.Errorf("%s: kind %v, want free", r.ID, l.Price.Kind)
			}
		default:
			paid++
			if l.Price.Kind != model.PricePaid || !near(l.Price.In, in*1e6) || !near(l.Price.Out, out*1e6) {
				t.Errorf("%s: $%v/$%v per million, payload ×1e6 = $%v/$%v", r.ID, l.Price.In, l.Price.Out, in*1e6, out*1e6)
			}
			if s, ok := r.Pricing["input_cache_read"].(string); ok {
				cache++
				c, _ := strconv.ParseFloat(s, 64)
				if !near(l.Price.CacheRead, c*1e6) {
					t.Errorf("%s: cache read $%v, payload ×1e6 = $%v", r.ID, l.Price.CacheRead, c*1e6)
				}
			} else if !math.IsNaN(l.Price.CacheRead) {
				t.Errorf("%s: cache read %v without one in the payload", r.ID, l.Price.CacheRead)
			}
		}
		if r.AliasTarget != nil {
			aliases++
			if l.AliasOf != r.AliasTarget.Slug {
				t.Errorf("%s: AliasOf %q, want %q", r.ID, l.AliasOf, r.AliasTarget.Slug)
			}
		}
		if r.Expiration != nil {
			expiring++
			if l.Expires.Format("2006-01-02") != *r.Expiration {
				t.Errorf("%s: expires %v, want %s", r.ID, l.Expires, *r.Expiration)
			}
		} else if !l.Expires.IsZero() {
			t.Errorf("%s: expires %v without a date in the payload", r.ID, l.Expires)
		}
		// The endpoints path this package builds is the one the catalogue links.
		if p, ok := endpointPath(l.Slug); !ok || "/api/v1"+p != r.Links["details"] {
			t.Errorf("%s: endpoints path %q, catalogue links %q", r.ID, "/api/v1"+p, r.Links["details"])
		}
	}
	// Figures of the 2026-08-19 payload.
	if variable != 5 || free != 20 || aliases != 11 || paid != 414-5-20 || cache == 0 || expiring == 0 {
		t.Errorf("paid %d free %d variable %d aliases %d cache %d expiring %d; want 389/20/5/11/>0/>0",
			paid, free, variable, aliases, cache, expiring)
	}
}

// near compares a decoded $/M price with the float product per-token × 1e6,
// which can be one unit in the last place off the exactly shifted decimal.
func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

func TestContractEndpoints(t *testing.T) {
	eps, dropped, err := DecodeEndpoints(feedtest.ReadTestdata(t, endpointsFile))
	if err != nil || dropped != 0 || len(eps) != 1 {
		t.Fatalf("DecodeEndpoints = %d endpoints, %d dropped, %v; want 1, 0, nil", len(eps), dropped, err)
	}
	e := eps[0]
	if e.Provider != "Nex AGI" || e.Quantization != "fp8" || e.Status != 0 || e.Degraded() {
		t.Errorf("endpoint = %+v", e)
	}
	if math.Round(e.Uptime5m*100)/100 != 96.58 || math.Round(e.Uptime1d*100)/100 != 99.37 || math.Round(e.Uptime30m*100)/100 != 98.22 {
		t.Errorf("uptimes 5m %.4f 30m %.4f 1d %.4f, want 96.58 / 98.22 / 99.37", e.Uptime5m, e.Uptime30m, e.Uptime1d)
	}
	if !math.IsNaN(e.LatencyP50) || !math.IsNaN(e.ThroughputP50) {
		t.Errorf("null latency/throughput = %v/%v, want NaN", e.LatencyP50, e.ThroughputP50)
	}
}

// TestContractOpenAPIExamples decodes the examples the official OpenAPI
// schema gives for the keyed datasets and the endpoints answer.
func TestContractOpenAPIExamples(t *testing.T) {
	rows, dropped, err := DecodeRankingsDaily(openAPIExample(t, "/datasets/rankings-daily", false))
	if err != nil || dropped != 0 || len(rows) != 3 {
		t.Fatalf("rankings-daily example: %d rows, %d dropped, %v", len(rows), dropped, err)
	}
	if rows[0].Slug != "openai/gpt-4o-2024-05-13" || rows[0].Tokens != 12345678 ||
		rows[0].Date.Format("2006-01-02") != "2026-05-11" || rows[2].Slug != model.OtherSlug || rows[2].Tokens != 4321098 {
		t.Errorf("rankings rows = %+v", rows)
	}

	apps, dropped, err := DecodeAppRankings(openAPIExample(t, "/datasets/app-rankings", false))
	if err != nil || dropped != 0 || len(apps) != 2 {
		t.Fatalf("app-rankings example: %d apps, %d dropped, %v", len(apps), dropped, err)
	}
	if apps[0] != (model.App{Rank: 1, Name: "Cline", Tokens: 12345678, Requests: 4321}) {
		t.Errorf("apps[0] = %+v", apps[0])
	}

	eps, _, err := DecodeEndpoints(openAPIExample(t, "/models/{author}/{slug}/endpoints", true))
	if err != nil || len(eps) != 1 {
		t.Fatalf("endpoints example: %v, %v", eps, err)
	}
	if eps[0].LatencyP50 != 0.25 || eps[0].ThroughputP50 != 45.2 || eps[0].Uptime5m != 100 || eps[0].Provider != "OpenAI" {
		t.Errorf("endpoints example = %+v", eps[0])
	}
}

// openAPIExample returns the example JSON answer to GET path in the OpenAPI
// subset kept in testdata: the response's own, or its schema's (inSchema)
// where the spec puts it there.
func openAPIExample(t *testing.T, path string, inSchema bool) []byte {
	t.Helper()
	var spec struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
					Schema  struct {
						Example json.RawMessage `json:"example"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(feedtest.ReadTestdata(t, openAPIFile), &spec); err != nil {
		t.Fatal(err)
	}
	c := spec.Paths[path]["get"].Responses["200"].Content["application/json"]
	example := c.Example
	if inSchema {
		example = c.Schema.Example
	}
	if len(example) == 0 {
		t.Fatalf("no example for %s", path)
	}
	return example
}

// BenchmarkUnmarshalCatalogue is the yardstick of BenchmarkDecodeCatalogue:
// one json.Unmarshal of the same body into the same structs, with no
// cleaning, no prices parsed and no listing dropped alone. The decoder
// should cost at most 1.5 times this.
func BenchmarkUnmarshalCatalogue(b *testing.B) {
	body := feedtest.ReadTestdata(b, catalogueFile)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var env struct {
			Data []rawListing `json:"data"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeCatalogue decodes the real 414-listing catalogue (1 MB).
func BenchmarkDecodeCatalogue(b *testing.B) {
	body := feedtest.ReadTestdata(b, catalogueFile)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeCatalogue(body); err != nil {
			b.Fatal(err)
		}
	}
}
