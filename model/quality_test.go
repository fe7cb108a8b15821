package model

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func aa(intel, coding, agentic float64) Indexes {
	return Indexes{Source: "catalogue", AsOf: time.Date(2026, 8, 19, 0, 0, 0, 0, time.UTC),
		Intelligence: intel, Coding: coding, Agentic: agentic}
}

// The three listings of the done-when figures, at their 2026-08-19 catalogue
// prices and indexes.
var (
	sonnet5 = Listing{ID: "anthropic/claude-sonnet-5", Name: "Claude Sonnet 5", Price: paid(2, 10), Indexes: aa(55.3, 67.2, 60.1)}
	kimi26  = Listing{ID: "moonshotai/kimi-k2.6", Name: "Kimi K2.6", Price: paid(0.5605, 2.36), Indexes: aa(45.1, 61.8, 40)}
	dsFlash = Listing{ID: "deepseek/deepseek-v4-flash", Name: "DeepSeek V4 Flash", Price: paid(0.0798, 0.1596), Indexes: aa(42.1, 56.2, 33.7)}
)

func TestValueAtTheDefaultWorkload(t *testing.T) {
	w := DefaultWorkload() // 15M input, 5M output a day
	tests := []struct {
		l      Listing
		index  float64
		perDay float64
	}{
		{sonnet5, 55.3, 80.00},
		{kimi26, 45.1, 20.21},
		{dsFlash, 42.1, 2.00},
	}
	for _, tt := range tests {
		v := w.Value(tt.l, IndexIntelligence)
		if v.Kind != ValuePaid || v.Index != tt.index || math.Round(v.PerDay*100)/100 != tt.perDay {
			t.Errorf("%s: %+v, want index %v at $%.2f/day", tt.l.Name, v, tt.index, tt.perDay)
		}
		if v.Points != v.Index/v.PerDay {
			t.Errorf("%s: points %v, want index ÷ $/day = %v", tt.l.Name, v.Points, v.Index/v.PerDay)
		}
	}
	if got := w.ComparePhrase(sonnet5, dsFlash, IndexIntelligence); got != "76% of the reference's index for 2.5% of its cost" {
		t.Errorf("DeepSeek V4 Flash against Sonnet 5: %q", got)
	}
	if got := w.ComparePhrase(sonnet5, kimi26, IndexIntelligence); got != "82% of the reference's index for 25% of its cost" {
		t.Errorf("Kimi K2.6 against Sonnet 5: %q", got)
	}
}

func TestValueKinds(t *testing.T) {
	w := DefaultWorkload()
	free := Listing{ID: "f", Price: Price{Kind: PriceFree, CacheRead: math.NaN()}, Indexes: aa(30, NoIndex, NoIndex)}
	variable := Listing{ID: "v", Price: Price{Kind: PriceVariable, In: math.NaN(), Out: math.NaN(), CacheRead: math.NaN()}, Indexes: aa(50, 50, 50)}
	unknown := Listing{ID: "u", Price: Price{Kind: PriceUnknown, In: math.NaN(), Out: math.NaN(), CacheRead: math.NaN()}, Indexes: aa(50, 50, 50)}
	noIndex := Listing{ID: "n", Price: paid(1, 1)}
	// Input-only workload on a listing that charges nothing for input: paid,
	// yet zero dollars a day. Never divided by zero.
	zeroCost := Listing{ID: "z", Price: paid(0, 5), Indexes: aa(20, NoIndex, NoIndex)}
	outOfRange := Listing{ID: "o", Price: paid(1, 1), Indexes: aa(140, -3, math.Inf(1))}
	tests := []struct {
		name string
		w    Workload
		l    Listing
		k    IndexKind
		want ValueKind
	}{
		{"free", w, free, IndexIntelligence, ValueFree},
		{"free without the index", w, free, IndexCoding, ValueNoIndex},
		{"variable", w, variable, IndexIntelligence, ValueVariable},
		{"unknown price", w, unknown, IndexAgentic, ValueNoPrice},
		{"no indexes at all", w, noIndex, IndexIntelligence, ValueNoIndex},
		{"zero dollars a day", Workload{TokensPerDay: 1e6, InputShare: 1}, zeroCost, IndexIntelligence, ValueFree},
		{"index above 100", w, outOfRange, IndexIntelligence, ValueNoIndex},
		{"negative index", w, outOfRange, IndexCoding, ValueNoIndex},
		{"infinite index", w, outOfRange, IndexAgentic, ValueNoIndex},
		{"paid", w, dsFlash, IndexAgentic, ValuePaid},
	}
	for _, tt := range tests {
		v := tt.w.Value(tt.l, tt.k)
		if v.Kind != tt.want {
			t.Errorf("%s: kind %v, want %v (%+v)", tt.name, v.Kind, tt.want, v)
		}
		if tt.want != ValuePaid && !math.IsNaN(v.Points) {
			t.Errorf("%s: points %v, want none", tt.name, v.Points)
		}
		if math.IsInf(v.Points, 0) {
			t.Errorf("%s: infinite points", tt.name)
		}
	}
	if p := w.ComparePhrase(sonnet5, free, IndexIntelligence); p != "" {
		t.Errorf("free against the reference: %q, want no phrase", p)
	}
}

func TestValueOrderAndTies(t *testing.T) {
	paidV := func(points, index float64) Value { return Value{Kind: ValuePaid, Points: points, Index: index} }
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{"more points first", paidV(20, 40), paidV(10, 60), true},
		{"fewer points after", paidV(10, 60), paidV(20, 40), false},
		{"tie in points: higher index first", paidV(10, 60), paidV(10, 40), true},
		{"full tie: neither before", paidV(10, 60), paidV(10, 60), false},
		{"paid before free", paidV(0.001, 10), Value{Kind: ValueFree, Index: 90}, true},
		{"free before variable", Value{Kind: ValueFree, Index: 10}, Value{Kind: ValueVariable, Index: 90}, true},
		{"variable before unpriced", Value{Kind: ValueVariable, Index: 10}, Value{Kind: ValueNoPrice, Index: 90}, true},
		{"unindexed last", Value{Kind: ValueNoPrice, Index: 1}, Value{Kind: ValueNoIndex, Index: math.NaN()}, true},
		{"free by index", Value{Kind: ValueFree, Index: 50}, Value{Kind: ValueFree, Index: 40}, true},
	}
	for _, tt := range tests {
		if got := tt.a.Better(tt.b); got != tt.want {
			t.Errorf("%s: Better = %v, want %v", tt.name, got, tt.want)
		}
	}
	w := DefaultWorkload()
	a, b, c := w.Value(sonnet5, IndexIntelligence), w.Value(kimi26, IndexIntelligence), w.Value(dsFlash, IndexIntelligence)
	if !c.Better(b) || !b.Better(a) {
		t.Errorf("best index per dollar first: want DeepSeek V4 Flash, Kimi K2.6, Sonnet 5: %v %v %v", c.Points, b.Points, a.Points)
	}
}

func TestFrontier(t *testing.T) {
	pts := []FrontierPoint{
		{"sonnet", 80, 55.3},
		{"kimi", 20.21, 45.1},
		{"flash", 2, 42.1},
		{"dear-and-worse", 30, 44},
		{"same-cost-lower", 2, 40},
		{"free", 0, 30},         // free: not on a cost axis
		{"nan", math.NaN(), 60}, // no cost
		{"bad-index", 1, 101},   // outside 0–100
		{"cheapest", 0.5, 20},
	}
	got := strings.Join(Frontier(pts), ",")
	if got != "cheapest,flash,kimi,sonnet" {
		t.Errorf("frontier = %s", got)
	}
	if Frontier(nil) != nil {
		t.Error("frontier of nothing is nothing")
	}
}

func TestIndexSegmentsNeverCrossTheScaleChange(t *testing.T) {
	at := func(d string, v float64) IndexPoint {
		tm, _ := time.Parse(time.DateOnly, d)
		return IndexPoint{At: tm, Indexes: Indexes{Source: "demo", AsOf: tm, Intelligence: v, Coding: NoIndex, Agentic: NoIndex}}
	}
	pts := []IndexPoint{at("2026-02-15", 49.8), at("2026-06-15", 49.8), at("2026-06-16", 39.5), at("2026-08-14", 40.6)}
	segs := IndexSegments(pts, IndexIntelligence)
	if len(segs) != 2 || len(segs[0]) != 2 || len(segs[1]) != 2 || segs[1][0].Indexes.Intelligence != 39.5 {
		t.Fatalf("segments = %+v", segs)
	}
	if IndexScale(IndexIntelligence, segs[0][1].At) == IndexScale(IndexIntelligence, segs[1][0].At) {
		t.Error("both sides named the same scale")
	}
	// The coding index changed scale on 2026-06-19: 06-16 is still the old one.
	if segs := IndexSegments(pts, IndexCoding); len(segs) != 2 || len(segs[0]) != 3 {
		t.Errorf("coding segments = %+v", segs)
	}
	if IndexSegments(nil, IndexIntelligence) != nil {
		t.Error("no points, no segments")
	}
}

func TestMarketIndexesFromCatalogueAndBenchmarks(t *testing.T) {
	m := newTestMarket()
	at := t0.Add(time.Hour)
	mm := Listing{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Name: "MiniMax M2.5", Price: paid(0.3, 1.2),
		Indexes: Indexes{Source: "catalogue", Intelligence: 42, Coding: NoIndex, Agentic: NoIndex, Rejected: "coding_index 140 is outside 0–100"}}
	m.Apply(CatalogueUpdate{At: at, Source: "catalogue", Listings: []Listing{mm}})
	m.Apply(BenchmarkUpdate{At: at, Source: "benchmarks", Skipped: []string{"row 3: agentic_index missing"}, Rows: []BenchmarkRow{
		{Slug: "anthropic/claude-4.5-sonnet-20250929", Indexes: Indexes{Intelligence: 50, Coding: NoIndex, Agentic: NoIndex}},
		{Slug: "nobody/unknown-20260101", Indexes: Indexes{Intelligence: 10, Coding: NoIndex, Agentic: NoIndex}},
		// The catalogue's figure wins over the dataset's for the same listing.
		{Slug: "minimax/minimax-m2.5-20260211", Indexes: Indexes{Intelligence: 1, Coding: NoIndex, Agentic: NoIndex}},
	}})
	s := m.Snapshot()
	v, _ := s.Listing("minimax/minimax-m2.5")
	if got, ok := v.Indexes().Get(IndexIntelligence); !ok || got != 42 || v.Indexes().Source != "catalogue" || !v.Indexes().AsOf.Equal(at) {
		t.Errorf("minimax indexes = %+v", v.Indexes())
	}
	if _, ok := v.Indexes().Get(IndexCoding); ok {
		t.Error("a rejected coding index was kept")
	}
	c, _ := s.Listing("anthropic/claude-sonnet-4.5")
	if got, ok := c.Indexes().Get(IndexIntelligence); !ok || got != 50 || c.Indexes().Source != "benchmarks" {
		t.Errorf("sonnet 4.5 indexes from the dataset = %+v", c.Indexes())
	}
	l, _ := s.Listing("mistralai/mistral-large")
	if l.Indexes().Has() {
		t.Errorf("mistral large has no indexes, got %+v", l.Indexes())
	}
	skipped := map[string]string{}
	m.Apply(SourceUpdate{Health: SourceHealth{Name: "catalogue", OK: true}})
	m.Apply(SourceUpdate{Health: SourceHealth{Name: "benchmarks", OK: true}})
	s = m.Snapshot()
	for _, h := range s.Sources {
		skipped[h.Name] = strings.Join(h.Skipped, "; ")
	}
	if skipped["catalogue"] != "minimax/minimax-m2.5: coding_index 140 is outside 0–100" {
		t.Errorf("catalogue skipped = %q", skipped["catalogue"])
	}
	if skipped["benchmarks"] != "row 3: agentic_index missing; unknown permaslug nobody/unknown-20260101" {
		t.Errorf("benchmarks skipped = %q", skipped["benchmarks"])
	}
	// A later clean answer clears the reasons.
	m.Apply(BenchmarkUpdate{At: at, Source: "benchmarks"})
	for _, h := range m.Snapshot().Sources {
		if h.Name == "benchmarks" && len(h.Skipped) != 0 {
			t.Errorf("skipped after a clean answer = %v", h.Skipped)
		}
	}
}

func TestIndexHistoryKeepsChangesOnly(t *testing.T) {
	m := newTestMarket()
	l := Listing{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Name: "MiniMax M2.5", Price: paid(0.3, 1.2)}
	for i, v := range []float64{49.8, 49.8, 39.5} {
		l.Indexes = Indexes{Source: "demo", AsOf: day(i), Intelligence: v, Coding: NoIndex, Agentic: NoIndex}
		m.Apply(CatalogueUpdate{At: day(i), Source: "demo", Listings: []Listing{l}})
	}
	v, _ := m.Snapshot().Listing("minimax/minimax-m2.5")
	if len(v.IndexHistory()) != 2 || v.IndexHistory()[1].Indexes.Intelligence != 39.5 {
		t.Errorf("history = %+v", v.IndexHistory())
	}
}

func TestTasksProvidersAndProviderOutage(t *testing.T) {
	m := newTestMarket()
	m.Apply(TasksUpdate{At: t0, Source: "tasks", Tasks: TaskShares{AsOf: t0, WindowDays: 7,
		Macros: []MacroShare{{Key: "agent", Label: "Agent", TokenShare: 0.2}, {Key: "code", Label: "Code", TokenShare: 0.52}},
		Tasks: []TaskShare{{Tag: "code:general_impl", Name: "Code Generation", Macro: "code", TokenShare: 0.31,
			Models: []TaskModel{{Slug: "minimax/minimax-m2.5-20260211", TokenShare: 0.4}, {Slug: "gone/model", TokenShare: 0.1}}}}}})
	m.Apply(ProvidersUpdate{At: t0, Source: "providers", Providers: []Provider{
		{Slug: "deepinfra", Name: "DeepInfra", Headquarters: "US", StatusPageURL: "https://status.deepinfra.com"},
		{Slug: "atlas-cloud", Name: "AtlasCloud", Headquarters: "US"}}})
	m.Apply(EndpointsUpdate{At: t0, ListingID: "minimax/minimax-m2.5", Endpoints: []Endpoint{{Provider: "DeepInfra"}, {Provider: "Minimax"}}})
	m.Apply(EndpointsUpdate{At: t0, ListingID: "mistralai/mistral-large", Endpoints: []Endpoint{{Provider: "deepinfra"}}})
	m.Apply(StatusUpdate{At: t0, Page: StatusPage{Name: "deepinfra", Provider: "deepinfra", Kind: "statuspage", Status: StatusMajorOutage,
		Incidents: []Incident{{ID: "i1", Title: "API down", Impact: StatusMajorOutage}}}})
	s := m.Snapshot()
	if s.Tasks.Macros[0].Key != "code" || s.Tasks.Tasks[0].Models[0].ListingID != "minimax/minimax-m2.5" || s.Tasks.Tasks[0].Models[1].ListingID != "" {
		t.Errorf("tasks = %+v", s.Tasks)
	}
	if p, ok := s.ProviderOf("deepinfra"); !ok || p.Headquarters != "US" {
		t.Errorf("ProviderOf = %+v %v", p, ok)
	}
	out := alertsOf(s, AlertOutage)
	if len(out) != 1 || !strings.Contains(out[0].Message, "affects MiniMax M2.5, Mistral Large") || out[0].Severity != SeverityCrit {
		t.Fatalf("outage alerts = %+v", out)
	}
}

func TestQualityUpdatesRoundTripThroughRecords(t *testing.T) {
	ups := []Update{
		CatalogueUpdate{At: t0, Source: "catalogue", Listings: []Listing{sonnet5, {ID: "x/plain", Price: paid(1, 2)}}},
		BenchmarkUpdate{At: t0, Source: "benchmarks", Rows: []BenchmarkRow{{Slug: "a/b", Indexes: aa(1, NoIndex, 3)}}, Skipped: []string{"r"}},
		TasksUpdate{At: t0, Source: "tasks", Tasks: TaskShares{Source: "tasks", WindowDays: 7, Tasks: []TaskShare{{Tag: "t", Models: []TaskModel{{Slug: "s"}}}}}},
		ProvidersUpdate{At: t0, Source: "providers", Providers: []Provider{{Slug: "p", Name: "P"}}},
	}
	for _, u := range ups {
		line, r := roundTrip(t, u)
		again, _ := MarshalRecord(r)
		if string(again) != string(line) {
			t.Errorf("%s: round trip\n%s\n%s", u.Kind(), line, again)
		}
	}
	// A listing without indexes writes none.
	b, _ := json.Marshal(Listing{ID: "x"})
	if strings.Contains(string(b), "Indexes") {
		t.Errorf("empty indexes written: %s", b)
	}
}

// TestViewFlagsAndValueMatchTheDetail: the flags a view carries so that the
// lists need not visit its Detail (Alias, Indexed) say what the Detail
// says, and ValueOfView is ValueOf of the whole listing, for listings
// indexed by the catalogue, by the benchmarks dataset and not at all, an
// alias, and a variable-priced one.
func TestViewFlagsAndValueMatchTheDetail(t *testing.T) {
	m := newTestMarket()
	at := t0.Add(time.Hour)
	m.Apply(CatalogueUpdate{At: at, Source: "catalogue", Listings: []Listing{
		{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Name: "MiniMax M2.5", Price: paid(0.3, 1.2),
			Indexes: Indexes{Source: "catalogue", Intelligence: 42, Coding: NoIndex, Agentic: NoIndex}},
		{ID: "minimax/m2.5-alias", Name: "M2.5 alias", Price: paid(0.3, 1.2), AliasOf: "minimax/minimax-m2.5"},
		{ID: "openrouter/auto", Name: "Auto", Price: Price{Kind: PriceVariable}},
	}})
	m.Apply(BenchmarkUpdate{At: at, Source: "benchmarks", Rows: []BenchmarkRow{
		{Slug: "anthropic/claude-4.5-sonnet-20250929", Indexes: Indexes{Intelligence: 50, Coding: NoIndex, Agentic: NoIndex}},
	}})
	s := m.Snapshot()
	w := Workload{TokensPerDay: 20e6, InputShare: 0.75}
	kinds := map[string]bool{}
	for i := range s.Listings {
		v := &s.Listings[i]
		if v.Indexed != v.Indexes().Has() || v.Alias != (v.Listing().AliasOf != "") {
			t.Errorf("%s: Indexed %v Alias %v, but the detail has indexes %v, alias of %q", v.ID, v.Indexed, v.Alias, v.Indexes().Has(), v.Listing().AliasOf)
		}
		if got, want := fmt.Sprintf("%+v", w.ValueOfView(v, IndexIntelligence)), fmt.Sprintf("%+v", w.ValueOf(v.Listing(), IndexIntelligence)); got != want {
			t.Errorf("%s: ValueOfView %s, ValueOf %s", v.ID, got, want)
		}
		kinds[fmt.Sprintf("indexed=%v alias=%v", v.Indexed, v.Alias)] = true
	}
	if len(kinds) < 3 {
		t.Errorf("the market lacks a kind of listing: %v", kinds)
	}
}
