package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/tokentape/tokentape/model"
)

// fixtureIndexes are AA intelligence/coding indexes for part of the fixture
// (published figures of 2026-02-15, the fixture's time).
var fixtureIndexes = map[string][2]float64{
	"minimax/minimax-m2.5":          {42, 37.4},
	"moonshotai/kimi-k2.5":          {46.7, 39.5},
	"deepseek/deepseek-v3.2":        {41.6, 36.7},
	"z-ai/glm-5":                    {49.6, 44.2},
	"xiaomi/mimo-v2-flash":          {39.2, 31.8},
	"anthropic/claude-sonnet-4.5":   {42.9, 38.6},
	"anthropic/claude-opus-4.6":     {53, 48.1},
	"anthropic/claude-haiku-4.5":    {37, 32.6},
	"google/gemini-3-flash-preview": {46.4, 42.6},
	"google/gemini-3-pro-preview":   {48.4, 46.5},
	"openai/gpt-5.2":                {51.2, 48.7},
	"openai/gpt-oss-120b":           {33.3, 28.6},
	"x-ai/grok-4.1-fast":            {38.5, 30.9},
	"qwen/qwen3-coder:free":         {28.1, 22.9},
	"openrouter/auto":               {50, 50},
}

// qualityMarket is the fixture market with indexes, task shares, the
// providers list and a provider's status page with an open incident.
func qualityMarket() *model.Market {
	m := buildMarket(fixtureOptions{})
	s := m.Snapshot()
	asOf := time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)
	var ls []model.Listing
	for id, ix := range fixtureIndexes {
		v, ok := s.Listing(id)
		if !ok {
			panic("fixture lacks " + id)
		}
		l := *v.Listing()
		l.Indexes = model.Indexes{Source: "catalogue", AsOf: asOf, Intelligence: ix[0], Coding: ix[1], Agentic: nan}
		ls = append(ls, l)
	}
	m.Apply(model.CatalogueUpdate{At: fixNow.Add(-time.Hour), Source: "catalogue", Listings: ls})
	m.Apply(model.TasksUpdate{At: fixNow.Add(-2 * time.Hour), Source: "tasks", Tasks: model.TaskShares{
		AsOf: time.Date(2026, 2, 19, 0, 0, 0, 0, time.UTC), WindowDays: 7,
		Macros: []model.MacroShare{{Key: "code", Label: "Code", TokenShare: 0.52, UsageShare: 0.45}, {Key: "agent", Label: "Agent", TokenShare: 0.27, UsageShare: 0.2},
			{Key: "general", Label: "General", TokenShare: 0.14, UsageShare: 0.25}, {Key: "data", Label: "Data", TokenShare: 0.07, UsageShare: 0.1}},
		Tasks: []model.TaskShare{
			{Tag: "code:general_impl", Name: "Code Generation", Macro: "code", TokenShare: 0.31, UsageShare: 0.23, Models: []model.TaskModel{
				{Slug: "minimax/minimax-m2.5", TokenShare: 0.22}, {Slug: "anthropic/claude-sonnet-4.5", TokenShare: 0.18}, {Slug: "retired/model-x", TokenShare: 0.05}}},
			{Tag: "agent:web_search", Name: "Web Search", Macro: "agent", TokenShare: 0.12, UsageShare: 0.09, Models: []model.TaskModel{
				{Slug: "x-ai/grok-4.1-fast", TokenShare: 0.3}}},
			{Tag: "code:debug", Name: "Debugging", Macro: "code", TokenShare: 0.11, UsageShare: 0.08, Models: []model.TaskModel{
				{Slug: "moonshotai/kimi-k2.5", TokenShare: 0.25}, {Slug: "deepseek/deepseek-v3.2", TokenShare: 0.2}}},
			{Tag: "general:chat", Name: "Chat", Macro: "general", TokenShare: 0.08, UsageShare: 0.2},
		}}})
	// Named providers on three watched listings, and the providers list:
	// a page with an open incident (Novita), a page read as operational
	// (Moonshot AI), a page of no known type (Z.AI), a provider without a
	// page (DeepInfra), and Anthropic's own page (configured as "claude").
	ep := func(provider string, u5 float64, status int) model.Endpoint {
		return model.Endpoint{Provider: provider, Status: model.EndpointStatus(status), Uptime5m: u5, Uptime30m: u5, Uptime1d: 99.5,
			LatencyP50: nan, ThroughputP50: nan}
	}
	at := fixNow.Add(-2 * time.Minute)
	m.Apply(model.EndpointsUpdate{At: at, ListingID: "z-ai/glm-5", Endpoints: []model.Endpoint{
		ep("Z.AI", 97, 0), ep("DeepInfra", 99, 0), ep("Novita", 61, -2)}})
	m.Apply(model.EndpointsUpdate{At: at, ListingID: "moonshotai/kimi-k2.5", Endpoints: []model.Endpoint{
		ep("Moonshot AI", 99.8, 0), ep("Novita", 58, -3)}})
	m.Apply(model.EndpointsUpdate{At: at, ListingID: "anthropic/claude-sonnet-4.5", Endpoints: []model.Endpoint{
		ep("Anthropic", 99.9, 0), ep("Google Vertex", 100, 0)}})
	m.Apply(model.ProvidersUpdate{At: fixNow.Add(-time.Hour), Source: "providers", Providers: []model.Provider{
		{Slug: "novita", Name: "Novita", Headquarters: "US", StatusPageURL: "https://status.novita.example"},
		{Slug: "moonshotai", Name: "Moonshot AI", Headquarters: "CN", StatusPageURL: "https://status.moonshot.cn"},
		{Slug: "z-ai", Name: "Z.AI", Headquarters: "CN", StatusPageURL: "https://status.z.example"},
		{Slug: "deepinfra", Name: "DeepInfra", Headquarters: "US"},
		{Slug: "anthropic", Name: "Anthropic", Headquarters: "US", StatusPageURL: "https://status.claude.com"},
		{Slug: "google-vertex", Name: "Google Vertex", Headquarters: "US", StatusPageURL: "https://status.cloud.google.com"},
	}})
	m.Apply(model.StatusUpdate{At: at, Page: model.StatusPage{Name: "provider.novita", Provider: "novita", Kind: "instatus",
		URL: "https://status.novita.example", Status: model.StatusMajorOutage,
		Incidents: []model.Incident{{ID: "n1", Title: "Inference API down", Impact: model.StatusMajorOutage, Status: "investigating",
			Started: fixNow.Add(-20 * time.Minute)}}}})
	m.Apply(model.StatusUpdate{At: at, Page: model.StatusPage{Name: "provider.moonshotai", Provider: "moonshotai", Kind: "statuspage",
		URL: "https://status.moonshot.cn/api/v2/summary.json", Status: model.StatusOperational}})
	m.Apply(model.StatusUpdate{At: at, Page: model.StatusPage{Name: "provider.z-ai", Provider: "z-ai", URL: "https://status.z.example"}})
	return m
}

// TestGoldenQualityScreens pins the value column, the frontier, the tasks
// panel and the Health tab's providers at 80x24 and 160x48.
func TestGoldenQualityScreens(t *testing.T) {
	snap := qualityMarket().Snapshot()
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, sc := range []struct {
			name string
			keys []string
		}{
			{"prices_value", []string{"3", "s", "s", "s", "s", "g"}},
			{"frontier", []string{"3", "v"}},
			{"tasks", []string{"2", "t"}},
			{"health_providers", []string{"4", "b"}},
		} {
			w, h := size[0], size[1]
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, w, h), func(t *testing.T) {
				m := press(sized(Options{}, snap, w, h), sc.keys...)
				out := m.View()
				checkFrame(t, out, w, h)
				if !strings.Contains(out, "DEMO") {
					t.Errorf("not labelled DEMO:\n%s", out)
				}
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}

func TestValueSortAndFrontierContent(t *testing.T) {
	snap := qualityMarket().Snapshot()
	out := press(sized(Options{}, snap, 160, 48), "3", "s", "s", "s", "s", "g").View()
	if !strings.Contains(out, "sort value (most index per $ first)") {
		t.Fatalf("not sorted by value:\n%s", out)
	}
	// Best index per dollar first: gpt-oss-120b (33.3 at $1.54/day).
	var first string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "›  1 ") {
			first = l
		}
	}
	if !strings.Contains(first, "gpt-oss-120b") || !strings.Contains(first, "33.3") {
		t.Errorf("first row by value = %q", first)
	}
	fr := press(sized(Options{}, snap, 80, 24), "3", "v").View()
	for _, want := range []string{"frontier", "◆", "R", "free, not on the $ axis: Qwen3 Coder (free)", "1 variable-priced"} {
		if !strings.Contains(fr, want) {
			t.Errorf("frontier lacks %q:\n%s", want, fr)
		}
	}
	// v again (or esc) goes back to the list.
	if back := press(sized(Options{}, snap, 80, 24), "3", "v", "v").View(); strings.Contains(back, "frontier ·") {
		t.Error("v did not close the frontier")
	}
	// Without any index the columns are not shown at all.
	if plain := press(sized(Options{}, fixture(), 160, 48), "3").View(); strings.Contains(plain, "AA idx") {
		t.Error("index column without indexes")
	}
}

func TestTasksPanel(t *testing.T) {
	out := press(sized(Options{}, qualityMarket().Snapshot(), 160, 48), "2", "t").View()
	for _, want := range []string{"What the tokens are for", "7 days to 2026-02-19", "Code", "52.0%",
		"Code Generation", "MiniMax M2.5 22%", "retired/model-x 5%", "Web Search"} {
		if !strings.Contains(out, want) {
			t.Errorf("tasks panel lacks %q:\n%s", want, out)
		}
	}
	// Without task shares (no key, or the demo) it says so and invents nothing.
	none := press(sized(Options{}, fixture(), 80, 24), "2", "t").View()
	if !strings.Contains(none, "needs OPENROUTER_API_KEY") || strings.Contains(none, "%  ") {
		t.Errorf("tasks without data:\n%s", none)
	}
	if back := press(sized(Options{}, fixture(), 80, 24), "2", "t", "t").View(); strings.Contains(back, "What the tokens are for") {
		t.Error("t did not go back")
	}
}

func TestHealthByProvider(t *testing.T) {
	snap := qualityMarket().Snapshot()
	out := press(sized(Options{}, snap, 160, 48), "4", "b").View()
	for _, want := range []string{"providers serve the watched listings", "Novita", "major outage · 1 inc", "Moonshot AI", "CN",
		"no machine-readable status", "no status page", "GLM-5, Kimi K2.5", "not read yet", "partial outage"} {
		if !strings.Contains(out, want) {
			t.Errorf("provider view lacks %q:\n%s", want, out)
		}
	}
	// The outage on Novita's page names the listings it serves.
	found := false
	for _, a := range snap.Alerts {
		if a.Kind == model.AlertOutage && a.Subject == "provider.novita" {
			found = strings.Contains(a.Message, "affects GLM-5, Kimi K2.5")
		}
	}
	if !found {
		t.Error("no outage alert naming Novita's listings")
	}
}

// TestPlannerTellsTheStory: the 2026-08-19 catalogue's figures at the
// default workload (15M input, 5M output a day) against Claude Sonnet 5.
func TestPlannerTellsTheStory(t *testing.T) {
	at := time.Date(2026, 8, 19, 0, 0, 0, 0, time.UTC)
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return at }})
	ix := func(v float64) model.Indexes {
		return model.Indexes{Source: "catalogue", AsOf: at, Intelligence: v, Coding: nan, Agentic: nan}
	}
	m.Apply(model.CatalogueUpdate{At: at, Source: "catalogue", Listings: []model.Listing{
		{ID: "anthropic/claude-sonnet-5", Name: "Anthropic: Claude Sonnet 5", Price: paidPrice(2, 10, 0.2), Indexes: ix(55.3)},
		{ID: "moonshotai/kimi-k2.6", Name: "MoonshotAI: Kimi K2.6", Price: paidPrice(0.5605, 2.36, nan), Indexes: ix(45.1)},
		{ID: "deepseek/deepseek-v4-flash", Name: "DeepSeek: DeepSeek V4 Flash", Price: paidPrice(0.0798, 0.1596, nan), Indexes: ix(42.1)},
	}})
	opts := Options{Reference: "anthropic/claude-sonnet-5", Workload: model.DefaultWorkload()}
	out := press(sized(opts, m.Snapshot(), 160, 48), "3", "c", "g").View()
	for _, want := range []string{"DeepSeek V4 Flash: 76% of the reference's index for 2.5% of its cost (AA intelligence 42.1 vs 55.3)",
		"$80.00", "$20.21", "$2.00"} {
		if !strings.Contains(out, want) {
			t.Errorf("planner lacks %q:\n%s", want, out)
		}
	}
	out = press(sized(opts, m.Snapshot(), 80, 24), "3", "c", "g", "j").View()
	if !strings.Contains(out, "Kimi K2.6: 82% of the reference's index for 25% of its cost") {
		t.Errorf("planner on Kimi:\n%s", out)
	}
	checkFrame(t, out, 80, 24)
}

func TestStripSaysWhatWasSkipped(t *testing.T) {
	now := fixNow
	h := model.SourceHealth{Name: "benchmarks", OK: true, LastSuccess: now.Add(-time.Minute), LastAttempt: now.Add(-time.Minute),
		Interval: 24 * time.Hour, Skipped: []string{"unknown permaslug nobody/x-20260101", "a/b: agentic_index 140 is outside 0–100"}}
	text, problem := stripItem(h, now, newStyles())
	if problem || !strings.Contains(text, "✓ benchmarks 1m") || !strings.Contains(text, "2 skipped: unknown permaslug nobody/x-20260101") {
		t.Errorf("strip item = %q (problem %v)", text, problem)
	}
}

// The detail shows the indexes with their source, date and derivation, the
// value, and the history one AA scale at a time (never joined across the
// 2026-06-16 re-scaling).
func TestDetailQuality(t *testing.T) {
	m := model.NewMarket(model.Config{Source: "demo", Clock: func() time.Time { return time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC) }})
	l := model.Listing{ID: "z-ai/glm-5", Name: "Z.ai: GLM 5", Price: paidPrice(1, 3.2, 0.2)}
	for _, p := range []struct {
		day  string
		v    float64
		note string
	}{{"2026-02-11", 49.6, "earliest published AA value (2026-02-15) used for earlier days"}, {"2026-02-15", 49.6, ""},
		{"2026-03-01", 49.8, ""}, {"2026-06-16", 39.5, ""}} {
		at, _ := time.Parse(time.DateOnly, p.day)
		asOf := at
		if p.note != "" {
			asOf = time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)
		}
		l.Indexes = model.Indexes{Source: "demo", AsOf: asOf, Intelligence: p.v, Coding: nan, Agentic: nan, Note: p.note}
		m.Apply(model.CatalogueUpdate{At: at, Source: "demo", Listings: []model.Listing{l}})
	}
	out := press(sized(Options{}, m.Snapshot(), 120, 60), "3", "enter").View()
	for _, want := range []string{"Quality · Artificial Analysis indexes", "intelligence 39.5 · coding — · agentic —",
		"from demo, as of 2026-06-16 (scale from 2026-06-16)", "value 1.27 index points per $ a day",
		"scale before 2026-06-16: 49.6 (02-15) → 49.8 (03-01)"} {
		if !strings.Contains(out, want) {
			t.Errorf("detail lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "49.8 (03-01) → 39.5") {
		t.Error("the history joins the two scales")
	}
}
