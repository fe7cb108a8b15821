package ui

import (
	"fmt"
	"math"
	"time"

	"github.com/tokentape/tokentape/model"
)

// The fixture market's clock: the snapshot is taken at fixNow, with 70 days
// of usage ending the day before.
var (
	fixNow  = time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	fixDays = 70
	fixDay0 = time.Date(2025, 12, 12, 0, 0, 0, 0, time.UTC)
)

func paidPrice(in, out, cache float64) model.Price {
	return model.Price{Kind: model.PricePaid, In: in, Out: out, CacheRead: cache}
}

// fixListing is one listing of the fixture with the shape of its usage: a
// daily base volume, a linear trend per day, and the day it starts.
type fixListing struct {
	l     model.Listing
	base  float64 // tokens per day at day 0
	trend float64 // fractional change per day
	start int     // first day with usage
}

var nan = math.NaN()

// fixListings is a hand-made market: every origin, a free listing, a
// variable-priced router, an alias, a CJK name and a very long name.
func fixListings() []fixListing {
	L := func(id, name string, p model.Price) model.Listing {
		return model.Listing{ID: id, Name: name, Price: p}
	}
	return []fixListing{
		{L("minimax/minimax-m2.5", "MiniMax M2.5", paidPrice(0.30, 1.20, 0.03)), 20e9, 0.25, 40},
		{L("moonshotai/kimi-k2.5", "Kimi K2.5", paidPrice(0.60, 3.00, 0.10)), 60e9, 0.04, 0},
		{L("deepseek/deepseek-v3.2", "DeepSeek V3.2", paidPrice(0.28, 0.42, 0.028)), 80e9, 0.01, 0},
		{L("z-ai/glm-5", "GLM-5", paidPrice(1.00, 3.20, 0.20)), 15e9, 0.08, 30},
		{L("qwen/qwen3-max", "通义千问 Qwen3-Max 长上下文", paidPrice(1.20, 6.00, 0.24)), 25e9, 0.01, 0},
		{L("qwen/qwen3-coder:free", "Qwen3 Coder (free)", model.Price{Kind: model.PriceFree}), 30e9, 0.0, 0},
		{L("qwen/qwen3-235b-a22b", "Qwen3 235B A22B", paidPrice(0.13, 0.60, nan)), 18e9, 0.002, 0},
		{L("xiaomi/mimo-v2-flash", "MiMo V2 Flash", paidPrice(0.10, 0.30, nan)), 12e9, 0.02, 10},
		{L("stepfun/step-3.5-flash", "Step 3.5 Flash", paidPrice(0.10, 0.40, nan)), 6e9, 0.01, 0},
		{L("tencent/hunyuan-a13b", "Hunyuan A13B", paidPrice(0.14, 0.57, nan)), 2e9, 0.0, 0},
		{L("baidu/ernie-4.5-300b", "ERNIE 4.5 300B", paidPrice(0.28, 1.10, nan)), 1.5e9, -0.005, 0},
		{L("bytedance-seed/seed-1.6", "Seed 1.6", paidPrice(0.25, 2.00, nan)), 3e9, 0.0, 0},
		{L("anthropic/claude-sonnet-4.5", "Claude Sonnet 4.5", paidPrice(3, 15, 0.30)), 150e9, -0.006, 0},
		{L("anthropic/claude-opus-4.6", "Claude Opus 4.6", paidPrice(5, 25, 0.50)), 70e9, 0.01, 20},
		{L("anthropic/claude-haiku-4.5", "Claude Haiku 4.5", paidPrice(1, 5, 0.10)), 30e9, 0.0, 0},
		{L("~anthropic/claude-sonnet-latest", "Claude Sonnet (latest)", paidPrice(3, 15, 0.30)), 0, 0, 0},
		{L("google/gemini-3-flash-preview", "Gemini 3 Flash Preview", paidPrice(0.50, 3.00, 0.05)), 90e9, 0.003, 0},
		{L("google/gemini-3-pro-preview", "Gemini 3 Pro Preview", paidPrice(2, 12, 0.20)), 40e9, -0.002, 0},
		{L("google/gemini-2.5-flash-lite", "Gemini 2.5 Flash Lite", paidPrice(0.10, 0.40, 0.01)), 20e9, -0.005, 0},
		{L("openai/gpt-5.2", "GPT-5.2", paidPrice(1.75, 14, 0.175)), 50e9, 0.002, 0},
		{L("openai/gpt-5-mini", "GPT-5 Mini", paidPrice(0.25, 2, 0.025)), 25e9, -0.003, 0},
		{L("openai/gpt-oss-120b", "gpt-oss-120b", paidPrice(0.04, 0.19, nan)), 35e9, 0.001, 0},
		{L("openai/gpt-oss-20b:free", "gpt-oss-20b (free)", model.Price{Kind: model.PriceFree}), 8e9, 0.0, 0},
		{L("x-ai/grok-4.1-fast", "Grok 4.1 Fast", paidPrice(0.20, 0.50, 0.05)), 110e9, -0.008, 0},
		{L("x-ai/grok-code-fast-1", "Grok Code Fast 1", paidPrice(0.20, 1.50, 0.02)), 45e9, -0.01, 0},
		{L("meta-llama/llama-4-maverick", "Llama 4 Maverick", paidPrice(0.15, 0.60, nan)), 7e9, -0.004, 0},
		{L("nvidia/nemotron-3-nano-30b", "Nemotron 3 Nano 30B", paidPrice(0.06, 0.24, nan)), 4e9, 0.01, 0},
		{L("amazon/nova-2-lite", "Nova 2 Lite", paidPrice(0.30, 2.50, nan)), 3e9, 0.0, 0},
		{L("microsoft/phi-4", "Phi 4", paidPrice(0.06, 0.14, nan)), 1e9, 0.0, 0},
		{L("nousresearch/hermes-4-405b", "Nous: Hermes 4 405B Extended Reasoning Preview Edition With An Extremely Long Display Name", paidPrice(1, 3, nan)), 2e9, 0.0, 0},
		{L("perplexity/sonar-pro", "Sonar Pro", paidPrice(3, 15, nan)), 1.2e9, 0.0, 0},
		{L("mistralai/mistral-large-2512", "Mistral Large 3", paidPrice(0.50, 1.50, nan)), 9e9, 0.004, 0},
		{L("mistralai/devstral-2512", "Devstral 2", paidPrice(0.40, 2.00, nan)), 8e9, 0.01, 0},
		{L("mistralai/mistral-small-3.2", "Mistral Small 3.2", paidPrice(0.06, 0.18, nan)), 5e9, 0.0, 0},
		{L("swiss-ai/apertus-70b", "Apertus 70B", paidPrice(0.82, 2.92, nan)), 0.3e9, 0.0, 0},
		{L("cohere/command-a", "Command A", paidPrice(2.50, 10, nan)), 0.8e9, 0.0, 0},
		{L("ai21/jamba-large-1.7", "Jamba Large 1.7", paidPrice(2, 8, nan)), 0.4e9, 0.0, 0},
		{L("upstage/solar-pro-3", "Solar Pro 3", paidPrice(0.15, 0.60, nan)), 0.6e9, 0.0, 0},
		{L("sakana/fugu", "Fugu", paidPrice(1, 4, nan)), 0, 0, 0},
		{L("openrouter/auto", "Auto Router", model.Price{Kind: model.PriceVariable}), 5e9, 0.0, 0},
		{L("inception/mercury-coder", "Mercury Coder", paidPrice(0.25, 1.00, nan)), 1.1e9, 0.02, 0},
		{L("liquid/lfm-2.2-6b", "LFM2 2.6B", paidPrice(0.05, 0.10, nan)), 0.2e9, 0.0, 0},
		{L("allenai/olmo-3-32b", "Olmo 3 32B", model.Price{}), 0.1e9, 0.0, 0},
	}
}

// fixtureOptions vary the fixture market.
type fixtureOptions struct {
	source   string // Snapshot.Source; default "demo"
	extra    int    // synthetic listings added (benchmarks use 400 in all)
	noVolume bool   // rank by order only, as live without a key
}

// buildMarket builds the fixture market from scratch. It is deterministic.
func buildMarket(o fixtureOptions) *model.Market {
	if o.source == "" {
		o.source = "demo"
	}
	m := model.NewMarket(model.Config{Source: o.source, Clock: func() time.Time { return fixNow }, Retention: 90})
	fl := fixListings()
	for i := 0; i < o.extra; i++ {
		authors := []string{"deepseek", "openai", "mistralai", "cohere", "qwen", "google", "meta-llama", "z-ai"}
		a := authors[i%len(authors)]
		fl = append(fl, fixListing{
			l:    model.Listing{ID: fmt.Sprintf("%s/bench-model-%03d", a, i), Name: fmt.Sprintf("Bench Model %03d", i), Price: paidPrice(0.1+float64(i%17)*0.11, 0.4+float64(i%23)*0.37, nan)},
			base: float64(1+i%37) * 1e8, trend: float64(i%7-3) * 0.003,
		})
	}
	ls := make([]model.Listing, len(fl))
	for i, f := range fl {
		ls[i] = f.l
		if f.l.ID == "~anthropic/claude-sonnet-latest" {
			ls[i].AliasOf = "anthropic/claude-sonnet-4.5"
			ls[i].Author = "anthropic"
		}
	}
	m.Apply(model.CatalogueUpdate{At: fixDay0, Source: "catalogue", Listings: ls})
	m.Apply(model.CatalogueUpdate{At: fixDay0, Source: "catalogue", Listings: detailListings()})

	if o.noVolume {
		ids := make([]string, 0, len(fl))
		for _, f := range fl {
			if f.base > 0 {
				ids = append(ids, f.l.ID)
			}
		}
		m.Apply(model.RankingUpdate{At: fixNow.Add(-time.Hour), Source: "catalogue", IDs: ids})
		ids[0], ids[1] = ids[1], ids[0]
		m.Apply(model.RankingUpdate{At: fixNow.Add(-time.Minute), Source: "catalogue", IDs: ids})
	} else {
		for d := 0; d < fixDays; d++ {
			day := fixDay0.AddDate(0, 0, d)
			u := model.UsageUpdate{At: day.Add(23 * time.Hour), Source: "usage"}
			var sum float64
			for i, f := range fl {
				if f.base == 0 || d < f.start {
					continue
				}
				v := f.base * math.Max(0.05, 1+f.trend*float64(d-f.start)) * (1 + 0.08*math.Sin(float64(d)*0.9+float64(i)))
				sum += v
				u.Rows = append(u.Rows, model.UsageRow{Date: day, Slug: f.l.ID, Tokens: uint64(v)})
			}
			u.Rows = append(u.Rows, model.UsageRow{Date: day, Slug: model.OtherSlug, Tokens: uint64(sum * 0.25)})
			m.Apply(u)
		}
	}

	// A price hike on GLM-5 (the capacity story) and a cut on Gemini Flash.
	m.Apply(model.CatalogueUpdate{At: fixNow.Add(-72 * time.Hour), Source: "catalogue", Listings: []model.Listing{
		{ID: "z-ai/glm-5", Name: "GLM-5", Price: paidPrice(1.20, 3.80, 0.24)},
		{ID: "google/gemini-3-flash-preview", Name: "Gemini 3 Flash Preview", Price: paidPrice(0.40, 2.50, 0.04)},
		// The same price with an expiration date: a listing alert.
		{ID: "google/gemini-2.5-flash-lite", Name: "Gemini 2.5 Flash Lite", Price: paidPrice(0.10, 0.40, 0.01), Expires: fixNow.AddDate(0, 0, 9)},
	}})

	// Endpoints: GLM-5 degraded, Kimi down, the rest that have any OK.
	ep := func(status int, u5, u1d float64) model.Endpoint {
		return model.Endpoint{Provider: "p", Status: model.EndpointStatus(status), Uptime5m: u5, Uptime30m: u5, Uptime1d: u1d, LatencyP50: nan, ThroughputP50: nan}
	}
	m.Apply(model.EndpointsUpdate{At: fixNow.Add(-2 * time.Minute), ListingID: "z-ai/glm-5", Endpoints: []model.Endpoint{ep(-2, 88, 99), ep(0, 90, 99), ep(-1, 91, 99)}})
	m.Apply(model.EndpointsUpdate{At: fixNow.Add(-2 * time.Minute), ListingID: "moonshotai/kimi-k2.5", Endpoints: []model.Endpoint{ep(-3, 20, 98), ep(-3, 30, 99)}})
	for _, id := range []string{"minimax/minimax-m2.5", "anthropic/claude-sonnet-4.5", "deepseek/deepseek-v3.2", "x-ai/grok-4.1-fast"} {
		m.Apply(model.EndpointsUpdate{At: fixNow.Add(-2 * time.Minute), ListingID: id, Endpoints: []model.Endpoint{ep(0, 99.5, 99.6), ep(0, 99, 99.4)}})
	}

	// Serving history, as the history store restores it: GLM-5 degraded on
	// some days of the month and down on one, then troubled this morning;
	// Kimi down since the small hours.
	var glmDays []model.HealthDay
	for i := 29; i >= 0; i-- {
		h := model.HealthOK
		switch i {
		case 20, 9, 3, 0:
			h = model.HealthDegraded
		case 12:
			h = model.HealthDown
		}
		if i != 16 && i != 17 { // two days without data
			glmDays = append(glmDays, model.HealthDay{Day: fixNow.AddDate(0, 0, -i), Worst: h})
		}
	}
	m.Apply(model.HealthHistoryUpdate{ListingID: "z-ai/glm-5", Days: glmDays, Timeline: []model.HealthSample{
		{At: fixNow.Add(-26 * time.Hour), Health: model.HealthOK},
		{At: fixNow.Add(-5 * time.Hour), Health: model.HealthDegraded},
		{At: fixNow.Add(-4 * time.Hour), Health: model.HealthOK},
		{At: fixNow.Add(-90 * time.Minute), Health: model.HealthDegraded}}})
	m.Apply(model.HealthHistoryUpdate{ListingID: "moonshotai/kimi-k2.5", Timeline: []model.HealthSample{
		{At: fixNow.Add(-20 * time.Hour), Health: model.HealthOK},
		{At: fixNow.Add(-9 * time.Hour), Health: model.HealthDown}}})

	// A second sample of the troubled listings, as the Health tab shows them
	// and the capacity rule needs (it fires on the second holding sample):
	// GLM-5 on nine endpoints, four deranked and slow; Kimi down. Latency
	// and throughput on three healthy listings; Grok's stay unknown, as
	// without a key.
	epl := func(status int, u5, u30, u1d, lat, thr float64) model.Endpoint {
		return model.Endpoint{Provider: "p", Status: model.EndpointStatus(status), Uptime5m: u5, Uptime30m: u30, Uptime1d: u1d, LatencyP50: lat, ThroughputP50: thr}
	}
	m.Apply(model.EndpointsUpdate{At: fixNow.Add(-2 * time.Minute), ListingID: "z-ai/glm-5", Endpoints: []model.Endpoint{
		epl(-2, 82, 90, 99.1, 5200, 12), epl(-1, 86, 92, 99.3, 4100, 15), epl(-1, 88, 93, 99.0, 3900, 16),
		epl(-3, 79, 88, 98.7, 6100, 9), epl(0, 91, 95, 99.4, 2600, 24), epl(0, 92, 96, 99.5, 2400, 26),
		epl(0, 93, 96, 99.2, 2800, 22), epl(0, 90, 95, 99.6, 3000, 21), epl(0, 94, 97, 99.8, 2500, 25),
	}})
	m.Apply(model.EndpointsUpdate{At: fixNow.Add(-2 * time.Minute), ListingID: "moonshotai/kimi-k2.5", Endpoints: []model.Endpoint{
		epl(-3, 20, 41, 98, 9800, 4), epl(-3, 30, 45, 99, nan, nan),
	}})
	for id, lt := range map[string][2]float64{
		"minimax/minimax-m2.5":        {640, 88},
		"anthropic/claude-sonnet-4.5": {1450, 61},
		"deepseek/deepseek-v3.2":      {980, 34},
	} {
		m.Apply(model.EndpointsUpdate{At: fixNow.Add(-2 * time.Minute), ListingID: id, Endpoints: []model.Endpoint{
			epl(0, 99.5, 99.6, 99.6, lt[0], lt[1]), epl(0, 99, 99.3, 99.4, lt[0]*1.3, lt[1]*0.8), epl(0, 100, 100, 99.9, lt[0]*0.9, lt[1]*1.1)}})
	}

	// Two status pages: Claude's with two open incidents (outage alerts),
	// DeepSeek's operational.
	m.Apply(model.StatusUpdate{At: fixNow.Add(-3 * time.Minute), Page: model.StatusPage{
		Name: "claude", URL: "https://status.claude.com/api/v2/summary.json", Authors: []string{"anthropic"},
		Status:     model.StatusPartialOutage,
		Components: []model.Component{{Name: "Claude API", Status: model.StatusPartialOutage}, {Name: "claude.ai", Status: model.StatusOperational}},
		Incidents: []model.Incident{
			{ID: "inc-slow", Title: "Slow responses from the Claude API in some regions", Impact: model.StatusDegraded, Status: "monitoring",
				Started: fixNow.Add(-26 * time.Hour), Updated: fixNow.Add(-3 * time.Hour)},
			{ID: "inc-opus", Title: "Elevated errors on Claude Opus 4.6", Impact: model.StatusPartialOutage, Status: "investigating",
				Started: fixNow.Add(-80 * time.Minute), Updated: fixNow.Add(-10 * time.Minute)},
		},
	}})
	m.Apply(model.StatusUpdate{At: fixNow.Add(-3 * time.Minute), Page: model.StatusPage{
		Name: "deepseek", URL: "https://status.deepseek.com", Authors: []string{"deepseek"}, Status: model.StatusOperational,
		Components: []model.Component{{Name: "API", Status: model.StatusOperational}},
	}})

	// The user acknowledged the Gemini price cut.
	for _, a := range m.Snapshot().Alerts {
		if a.Kind == model.AlertPrice && a.Subject == "google/gemini-3-flash-preview" {
			m.Apply(model.AckUpdate{Keys: []string{a.Key}})
		}
	}

	// The apps that burn the tokens (the Share tab's panel).
	m.Apply(model.AppsUpdate{At: fixNow.Add(-30 * time.Minute), Source: "apps", Apps: fixtureApps()})

	// Source health: two fresh sources, one failing and stale status page.
	m.Apply(model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: fixNow.Add(-12 * time.Second), LastAttempt: fixNow.Add(-12 * time.Second), Interval: 10 * time.Minute}})
	// The usage source runs only with a key; without one, the weekly order.
	volumes := "usage"
	if o.noVolume {
		volumes = "ranking"
	}
	m.Apply(model.SourceUpdate{Health: model.SourceHealth{Name: volumes, OK: true, LastSuccess: fixNow.Add(-25 * time.Minute), LastAttempt: fixNow.Add(-25 * time.Minute), Interval: time.Hour}})
	m.Apply(model.SourceUpdate{Health: model.SourceHealth{Name: "status.claude", OK: false, LastSuccess: fixNow.Add(-7 * time.Minute), LastAttempt: fixNow.Add(-10 * time.Second),
		LastError: "HTTP 429", NextAttempt: fixNow.Add(100 * time.Second), Interval: time.Minute}})
	return m
}

// fixture returns the standard fixture snapshot.
func fixture() *model.Snapshot { return buildMarket(fixtureOptions{}).Snapshot() }

// detailListings give three fixture listings what the planner and the detail
// view show: context lengths, descriptions, release dates, price overrides
// (Sonnet's long-context rate, MiniMax's off-peak window) at the prices they
// already have, so nothing else on the screens changes.
//
// Planner figures at the default workload (15M input, 5M output a day):
// Sonnet $120.00/day, $202.50 for long prompts (15×6 + 5×22.50); MiniMax
// $10.50/day, $5.25 off-peak (15×0.15 + 5×0.60).
func detailListings() []model.Listing {
	return []model.Listing{
		{ID: "anthropic/claude-sonnet-4.5", Name: "Claude Sonnet 4.5", Price: paidPrice(3, 15, 0.30),
			ContextLength: 1000000, Created: time.Date(2025, 9, 29, 0, 0, 0, 0, time.UTC),
			Description: "Anthropic's Sonnet for agents and coding.",
			Overrides:   []model.PriceOverride{{MinPromptTokens: 200000, UTCStart: -1, UTCEnd: -1, In: 6, Out: 22.5, CacheRead: 0.60}}},
		{ID: "minimax/minimax-m2.5", Name: "MiniMax M2.5", Price: paidPrice(0.30, 1.20, 0.03),
			ContextLength: 204800, Created: time.Date(2026, 1, 21, 0, 0, 0, 0, time.UTC),
			Description: "MiniMax's agentic coding model: a 230B mixture of experts with 10B active, " +
				"tuned for long tool-calling loops. Off-peak hours are half price.",
			Overrides: []model.PriceOverride{
				{UTCStart: 0, UTCEnd: 800, In: 0.15, Out: 0.60, CacheRead: 0.015},
				{UTCStart: 800, UTCEnd: 0, In: nan, Out: nan, CacheRead: nan},
			}},
		{ID: "moonshotai/kimi-k2.5", Name: "Kimi K2.5", Price: paidPrice(0.60, 3.00, 0.10), ContextLength: 262144},
	}
}

// fixtureApps are the apps burning the fixture's tokens, one with a hostile
// name that must reach the screen clean.
func fixtureApps() []model.App {
	names := []string{"Kilo Code", "Cline", "Roo Code", "BLACKBOXAI", "OpenClaw", "liteLLM", "SillyTavern",
		"Janitor AI", "Zed", "Aider", "OpenHands", "Evil\x1b[31m App\u202e"}
	apps := make([]model.App, len(names))
	for i, n := range names {
		apps[i] = model.App{Rank: i + 1, Name: n, Tokens: uint64(60e9 / float64(i+1)), Requests: uint64(3e6 / float64(i+1))}
	}
	return apps
}
