package openrouter

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

func TestPerMillion(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0.000003", 3, true},
		{"0.000015", 15, true},
		{"0.0000003", 0.3, true},
		{"0.0000225", 22.5, true},
		{"0.000000022", 0.022, true},
		{"0", 0, true},
		{"-1", -1e6, true},
		{"3e-6", 3, true},
		{"3E-6", 3, true},
		{" 0.000002 ", 2, true},
		{"1", 1e6, true},
		{"", 0, false},
		{"-", 0, false},
		{"+0.1", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"-Infinity", 0, false},
		{"0x1p-20", 0, false},
		{"1e999", 0, false},
		{"1e", 0, false},
		{"1.2.3", 0, false},
		{"1_000", 0, false},
		{"0.1\x1b[31m", 0, false},
	}
	for _, tt := range tests {
		got, ok := perMillion(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("perMillion(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestJSONUint(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{`"12345678"`, 12345678, true},
		{`"18446744073709551615"`, math.MaxUint64, true}, // above 2^53: kept exact
		{`"9007199254740993"`, 9007199254740993, true},
		{`4321`, 4321, true},
		{`"0"`, 0, true},
		{`"18446744073709551616"`, 0, false}, // overflow
		{`"-5"`, 0, false},
		{`-5`, 0, false},
		{`"+5"`, 0, false},
		{`"1.5"`, 0, false},
		{`1e6`, 0, false},
		{`"12a"`, 0, false},
		{`""`, 0, false},
		{`null`, 0, false},
		{`{}`, 0, false},
		{`" 5"`, 0, false},
		{``, 0, false},
	}
	for _, tt := range tests {
		got, ok := jsonUint(json.RawMessage(tt.in))
		if ok != tt.ok || got != tt.want {
			t.Errorf("jsonUint(%s) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// catalogueOf wraps listing objects in a GET /models answer.
func catalogueOf(items ...string) []byte {
	return []byte(`{"data":[` + strings.Join(items, ",") + `]}`)
}

func TestDecodeCataloguePriceKinds(t *testing.T) {
	tests := []struct {
		name    string
		pricing string
		kind    model.PriceKind
		in, out float64
	}{
		{"paid", `{"prompt":"0.000001","completion":"0.000002"}`, model.PricePaid, 1, 2},
		{"free", `{"prompt":"0","completion":"0"}`, model.PriceFree, 0, 0},
		{"free prompt only is paid", `{"prompt":"0","completion":"0.000002"}`, model.PricePaid, 0, 2},
		{"variable", `{"prompt":"-1","completion":"-1"}`, model.PriceVariable, math.NaN(), math.NaN()},
		{"negative", `{"prompt":"-0.5","completion":"0.000002"}`, model.PriceUnknown, math.NaN(), math.NaN()},
		{"NaN", `{"prompt":"NaN","completion":"0.000002"}`, model.PriceUnknown, math.NaN(), math.NaN()},
		{"Inf", `{"prompt":"0.000001","completion":"+Inf"}`, model.PriceUnknown, math.NaN(), math.NaN()},
		{"unparsable", `{"prompt":"cheap","completion":"0.000002"}`, model.PriceUnknown, math.NaN(), math.NaN()},
		{"missing completion", `{"prompt":"0.000001"}`, model.PriceUnknown, math.NaN(), math.NaN()},
		{"null prompt", `{"prompt":null,"completion":"0.000002"}`, model.PriceUnknown, math.NaN(), math.NaN()},
		{"no pricing", `null`, model.PriceUnknown, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, dropped, err := DecodeCatalogue(catalogueOf(`{"id":"a/b","pricing":` + tt.pricing + `}`))
			if err != nil || dropped != 0 || len(ls) != 1 {
				t.Fatalf("got %d listings, %d dropped, %v", len(ls), dropped, err)
			}
			p := ls[0].Price
			same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
			if p.Kind != tt.kind || !same(p.In, tt.in) || !same(p.Out, tt.out) {
				t.Errorf("price = %+v, want %v %v/%v", p, tt.kind, tt.in, tt.out)
			}
			if p.Kind == model.PricePaid && (math.IsNaN(p.In) || p.In < 0 || math.IsNaN(p.Out) || p.Out < 0) {
				t.Errorf("paid price with NaN or negative: %+v", p)
			}
		})
	}
}

func TestDecodeCatalogueWrongTypesDropOnlyThatListing(t *testing.T) {
	good := `{"id":"good/one","name":"Good","pricing":{"prompt":"0.000001","completion":"0.000002"}}`
	bad := []string{
		`{"id":"bad/price-number","pricing":{"prompt":0.000001,"completion":"0.000002"}}`,
		`{"id":"bad/name-object","name":{"en":"x"},"pricing":{"prompt":"0","completion":"0"}}`,
		`{"id":42}`,
		`{"name":"no id"}`,
		`{"id":""}`,
		`{"id":"has space/x"}`,
		`"a string"`,
		`[1,2]`,
		`{"id":"bad/context","context_length":"big"}`,
		`{"id":"bad/pricing-array","pricing":[]}`,
		`{"id":"bad/overrides","pricing":{"prompt":"0","completion":"0","overrides":{"x":1}}}`,
		`{"id":"\u001b[2J"}`,
	}
	ls, dropped, err := DecodeCatalogue(catalogueOf(append([]string{good}, bad...)...))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].ID != "good/one" || dropped != len(bad) {
		t.Errorf("kept %d (%v), dropped %d; want only good/one kept and %d dropped", len(ls), ls, dropped, len(bad))
	}
}

func TestDecodeCatalogueBodyErrors(t *testing.T) {
	for _, body := range []string{``, `not json`, `<html>502 Bad Gateway</html>`, `{"data":[{"id":"a/b"}`, `{}`, `{"data":null}`,
		`{"data":{"id":"a/b"}}`, `{"data":"x"}`, `[]`, `null`, `{"error":{"code":500,"message":"Internal"}}`} {
		if _, _, err := DecodeCatalogue([]byte(body)); err == nil {
			t.Errorf("DecodeCatalogue(%q) succeeded, want an error", body)
		}
	}
	ls, _, err := DecodeCatalogue([]byte(`{"data":[]}`))
	if err != nil || len(ls) != 0 {
		t.Errorf("empty data = %v, %v; want no listings and no error", ls, err)
	}
}

func TestDecodeCatalogueDuplicatesLastWins(t *testing.T) {
	ls, dropped, err := DecodeCatalogue(catalogueOf(
		`{"id":"a/x","name":"First","pricing":{"prompt":"0.000001","completion":"0.000001"}}`,
		`{"id":"b/y","name":"Other"}`,
		`{"id":"a/x","name":"Second","pricing":{"prompt":"0.000002","completion":"0.000003"}}`,
	))
	if err != nil || dropped != 1 || len(ls) != 2 {
		t.Fatalf("got %v, dropped %d, %v", ls, dropped, err)
	}
	if ls[0].ID != "a/x" || ls[0].Name != "Second" || ls[0].Price.In != 2 || ls[1].ID != "b/y" {
		t.Errorf("listings = %+v, want the second a/x in first place", ls)
	}
}

func TestDecodeCatalogueSanitises(t *testing.T) {
	ls, _, err := DecodeCatalogue(catalogueOf(
		`{"id":"evil/model","canonical_slug":"evil/model-1","name":` + quote(hostile) + `,"description":` +
			quote(strings.Repeat("long \x1b[5mblink\x1b[0m ", 100)) + `}`))
	if err != nil || len(ls) != 1 {
		t.Fatal(ls, err)
	}
	l := ls[0]
	for _, s := range listingStrings(l) {
		if !feedtest.Clean(s) {
			t.Errorf("unclean string %q", s)
		}
	}
	if l.Name != "Evil Red gnp31m Model" {
		t.Errorf("name = %q", l.Name)
	}
	if n := len([]rune(l.Description)); n > 240 || !strings.HasSuffix(l.Description, "…") {
		t.Errorf("description not cut short (%d runes): %q", n, l.Description)
	}
}

func TestDecodeCatalogueFields(t *testing.T) {
	ls, _, err := DecodeCatalogue(catalogueOf(
		`{"id":"~acme/latest","canonical_slug":"~acme/latest","alias_target":{"slug":"acme/m-2","name":"M2"},
		  "created":1700000000,"context_length":131072,"expiration_date":"2026-12-31",
		  "pricing":{"prompt":"0.000001","completion":"0.000004","input_cache_read":"0.0000001",
		    "overrides":[{"min_prompt_tokens":128000,"prompt":"0.000002"},
		                 {"utc_start":2300,"utc_end":600,"completion":"0.000002"},
		                 {"utc_start":2500,"utc_end":100,"prompt":"0.000001"},
		                 {"utc_start":1070,"utc_end":100,"prompt":"0.000001"},
		                 {"min_prompt_tokens":-1,"prompt":"0.000001"},
		                 {"min_prompt_tokens":1000,"prompt":"-1"},
		                 {"prompt":"0.000001"}]}}`,
		`{"id":"acme/m-1","expiration_date":"soon","created":-5,"context_length":-1}`))
	if err != nil || len(ls) != 2 {
		t.Fatal(ls, err)
	}
	a := ls[0]
	if a.AliasOf != "acme/m-2" || a.Author != "acme" || a.ContextLength != 131072 ||
		!a.Created.Equal(time.Unix(1700000000, 0)) || a.Expires != time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC) {
		t.Errorf("alias listing = %+v", a)
	}
	if a.Price.CacheRead != 0.1 {
		t.Errorf("cache read = %v, want 0.1", a.Price.CacheRead)
	}
	if len(a.Overrides) != 2 {
		t.Fatalf("overrides = %+v, want the long-context one and the 23:00→06:00 window", a.Overrides)
	}
	long, window := a.Overrides[0], a.Overrides[1]
	if long.MinPromptTokens != 128000 || long.IsTimeWindow() || long.In != 2 || !math.IsNaN(long.Out) || !math.IsNaN(long.CacheRead) {
		t.Errorf("long-context override = %+v (absent prices must inherit: NaN)", long)
	}
	if !window.IsTimeWindow() || window.UTCStart != 2300 || window.UTCEnd != 600 || !math.IsNaN(window.In) || window.Out != 2 {
		t.Errorf("window override = %+v", window)
	}
	b := ls[1]
	if !b.Expires.IsZero() || !b.Created.IsZero() || b.ContextLength != 0 || b.Price.Kind != model.PriceUnknown {
		t.Errorf("bad optional fields not ignored: %+v", b)
	}
}

func TestDecodeRanking(t *testing.T) {
	ids, err := DecodeRanking(catalogueOf(`{"id":"b/top"}`, `{"id":"~b/latest"}`, `{"id":"a/second"}`, `{"id":5}`, `{"id":"b/top"}`, `{"id":"c/third:free"}`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "b/top,a/second,c/third:free" {
		t.Errorf("ids = %v", ids)
	}
	if _, err := DecodeRanking([]byte(`{"models":[]}`)); !errors.Is(err, ErrNoData) {
		t.Errorf("missing data: err = %v, want ErrNoData", err)
	}
}

func TestDecodeRankingsDaily(t *testing.T) {
	body := `{"data":[
	  {"date":"2026-05-10","model_permaslug":"minimax/minimax-m2.5-20260211","total_tokens":"1440000000000"},
	  {"date":"2026-05-10","model_permaslug":"z-ai/glm-5.2-20260616:free","total_tokens":"18446744073709551615"},
	  {"date":"2026-05-10","model_permaslug":"other","total_tokens":"42"},
	  {"date":"2026-05-10","model_permaslug":"x/overflow","total_tokens":"18446744073709551616"},
	  {"date":"2026-05-10","model_permaslug":"x/negative","total_tokens":"-1"},
	  {"date":"2026-05-10","model_permaslug":"x/fraction","total_tokens":"1.5"},
	  {"date":"2026-05-10","model_permaslug":"x/letters","total_tokens":"12k"},
	  {"date":"May 10","model_permaslug":"x/date","total_tokens":"1"},
	  {"date":"2026-05-10","model_permaslug":"","total_tokens":"1"},
	  {"date":"2026-05-10","model_permaslug":{"a":1},"total_tokens":"1"},
	  7
	],"meta":{"as_of":"2026-05-11T02:00:00Z","version":"v1"}}`
	rows, dropped, err := DecodeRankingsDaily([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
	want := []model.UsageRow{
		{Date: day, Slug: "minimax/minimax-m2.5-20260211", Tokens: 1440000000000},
		{Date: day, Slug: "z-ai/glm-5.2-20260616:free", Tokens: math.MaxUint64},
		{Date: day, Slug: model.OtherSlug, Tokens: 42},
	}
	if dropped != 8 || len(rows) != len(want) {
		t.Fatalf("rows %+v dropped %d; want %d rows, 8 dropped", rows, dropped, len(want))
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
	if _, _, err := DecodeRankingsDaily([]byte(`{"meta":{}}`)); !errors.Is(err, ErrNoData) {
		t.Errorf("missing data: %v", err)
	}
}

func TestDecodeAppRankings(t *testing.T) {
	body := `{"data":[
	  {"app_id":1,"app_name":"Cline","rank":1,"total_requests":4321,"total_tokens":"12345678"},
	  {"app_id":2,"app_name":` + quote(hostile) + `,"rank":2,"total_requests":"7","total_tokens":"9"},
	  {"app_id":3,"app_name":"\u001b[31m\u200b","rank":3,"total_requests":1,"total_tokens":"1"},
	  {"app_id":4,"app_name":"Zero rank","rank":0,"total_requests":1,"total_tokens":"1"},
	  {"app_id":5,"app_name":"Bad tokens","rank":5,"total_requests":1,"total_tokens":"-1"},
	  {"app_id":6,"app_name":"Float requests","rank":6,"total_requests":1.5,"total_tokens":"1"},
	  {"app_id":7,"app_name":null,"rank":7,"total_requests":1,"total_tokens":"1"}
	]}`
	apps, dropped, err := DecodeAppRankings([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 || dropped != 5 {
		t.Fatalf("apps %+v dropped %d, want 2 and 5", apps, dropped)
	}
	if apps[0] != (model.App{Rank: 1, Name: "Cline", Tokens: 12345678, Requests: 4321}) {
		t.Errorf("apps[0] = %+v", apps[0])
	}
	if apps[1].Name != "Evil Red gnp31m Model" || apps[1].Requests != 7 {
		t.Errorf("apps[1] = %+v", apps[1])
	}
}

func TestDecodeEndpoints(t *testing.T) {
	body := `{"data":{"id":"a/b","endpoints":[
	  {"provider_name":"Good","quantization":"fp8","status":0,"uptime_last_5m":99.5,"uptime_last_30m":100,"uptime_last_1d":98,
	   "latency_last_30m":{"p50":420,"p75":1,"p90":1,"p99":1},"throughput_last_30m":{"p50":55.5}},
	  {"provider_name":` + quote(hostile) + `,"quantization":null,"status":-3,"uptime_last_5m":null,"uptime_last_30m":150,"uptime_last_1d":-2,
	   "latency_last_30m":{"p50":-1},"throughput_last_30m":null},
	  {"provider_name":"Bad status","status":"down"},
	  {"provider_name":"Bad uptime","uptime_last_5m":"high"},
	  {"provider_name":"Fractional status","status":-1.5},
	  {"status":0}
	]}}`
	eps, dropped, err := DecodeEndpoints([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != 3 || dropped != 3 {
		t.Fatalf("endpoints %+v dropped %d, want 3 and 3", eps, dropped)
	}
	g := eps[0]
	if g.Provider != "Good" || g.Quantization != "fp8" || g.Uptime5m != 99.5 || g.Uptime30m != 100 || g.Uptime1d != 98 ||
		g.LatencyP50 != 420 || g.ThroughputP50 != 55.5 || g.Degraded() {
		t.Errorf("good endpoint = %+v", g)
	}
	h := eps[1]
	if h.Provider != "Evil Red gnp31m Model" || h.Quantization != "" || h.Status != -3 || !h.Degraded() ||
		!math.IsNaN(h.Uptime5m) || !math.IsNaN(h.Uptime30m) || !math.IsNaN(h.Uptime1d) ||
		!math.IsNaN(h.LatencyP50) || !math.IsNaN(h.ThroughputP50) {
		t.Errorf("hostile endpoint = %+v", h)
	}
	if eps[2].Provider != "unknown provider" {
		t.Errorf("nameless provider = %q", eps[2].Provider)
	}
	for _, body := range []string{`{"data":{"id":"a/b"}}`, `{"data":{"endpoints":{}}}`, `{"data":[]}`, `nope`, `{}`} {
		if _, _, err := DecodeEndpoints([]byte(body)); err == nil {
			t.Errorf("DecodeEndpoints(%s) succeeded, want an error", body)
		}
	}
}

func TestEndpointPath(t *testing.T) {
	tests := []struct {
		slug, want string
		ok         bool
	}{
		{"anthropic/claude-4.5-sonnet-20250929", "/models/anthropic/claude-4.5-sonnet-20250929/endpoints", true},
		{"~anthropic/claude-sonnet-latest", "/models/~anthropic/claude-sonnet-latest/endpoints", true},
		{"a/b:free", "/models/a/b:free/endpoints", true},
		{"../../admin/x", "", false},
		{"a/../b", "", false},
		{"a/b/c", "", false},
		{"a/..", "", false},
		{"a", "", false},
		{"a/b?key=1", "", false},
		{"a/b#x", "", false},
		{"a/b c", "", false},
		{"/b", "", false},
		{"a/%2e%2e", "", false},
	}
	for _, tt := range tests {
		got, ok := endpointPath(tt.slug)
		if ok != tt.ok || got != tt.want {
			t.Errorf("endpointPath(%q) = %q, %v; want %q, %v", tt.slug, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	t0 := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if w := l.Reserve(t0.Add(time.Duration(i) * time.Second)); w != 0 {
			t.Fatalf("request %d refused (%v) inside the budget", i, w)
		}
	}
	if w := l.Reserve(t0.Add(10 * time.Second)); w != 50*time.Second {
		t.Errorf("4th request wait = %v, want 50s (until the first leaves the window)", w)
	}
	if w := l.Reserve(t0.Add(time.Minute)); w != 0 {
		t.Errorf("request after the window = %v, want allowed", w)
	}
	if w := l.Reserve(t0.Add(time.Minute)); w != time.Second {
		t.Errorf("next request = %v, want 1s", w)
	}
}

func TestConfigStringHidesKey(t *testing.T) {
	cfg := Config{APIKey: "sk-or-v1-secret", BaseURL: "http://x"}
	for _, s := range []string{cfg.String(), cfg.GoString(), sprint(cfg), sprintPlus(cfg), sprintSharp(cfg)} {
		if strings.Contains(s, "secret") {
			t.Errorf("key leaked: %s", s)
		}
	}
	for _, src := range Sources(cfg) {
		if s := sprint(src) + sprintPlus(src) + sprintSharp(src); strings.Contains(s, "secret") {
			t.Errorf("%s leaks the key when printed: %s", src.Name(), s)
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
