package model

import (
	"math"
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return t0.Add(48 * time.Hour) }

func day(i int) time.Time { return t0.AddDate(0, 0, i) }

func paid(in, out float64) Price {
	return Price{Kind: PricePaid, In: in, Out: out, CacheRead: math.NaN()}
}

// usageDays builds rows giving each slug a constant volume per day for days
// [from, to).
func usageDays(from, to int, vols map[string]uint64) UsageUpdate {
	u := UsageUpdate{At: day(to - 1), Source: "test"}
	for d := from; d < to; d++ {
		for slug, v := range vols {
			u.Rows = append(u.Rows, UsageRow{Date: day(d), Slug: slug, Tokens: v})
		}
	}
	return u
}

func newTestMarket() *Market {
	m := NewMarket(Config{Source: "test", Clock: fixedClock, Retention: 30, Window: 7})
	m.Apply(CatalogueUpdate{At: t0, Listings: []Listing{
		{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Name: "MiniMax M2.5", Price: paid(0.3, 1.2)},
		{ID: "anthropic/claude-sonnet-4.5", Slug: "anthropic/claude-4.5-sonnet-20250929", Name: "Claude Sonnet 4.5", Price: paid(3, 15)},
		{ID: "mistralai/mistral-large", Name: "Mistral Large", Price: paid(2, 6)},
	}})
	return m
}

func TestSharesSumTo100AndOriginsResolve(t *testing.T) {
	m := newTestMarket()
	m.Apply(usageDays(0, 14, map[string]uint64{
		"minimax/minimax-m2.5-20260211":        300,
		"anthropic/claude-4.5-sonnet-20250929": 500,
		"mistralai/mistral-large":              200,
		OtherSlug:                              1000,
	}))
	s := m.Snapshot()
	var sum float64
	for _, o := range s.Origins {
		sum += o.Share
	}
	if math.Abs(sum-100) > 1e-9 {
		t.Fatalf("origin shares sum to %v, want 100", sum)
	}
	if got := s.OriginShareOf(OriginUS); math.Abs(got-50) > 1e-9 {
		t.Errorf("US share = %v, want 50", got)
	}
	// Listing shares are of all tokens, the long tail included.
	v, ok := s.Listing("anthropic/claude-sonnet-4.5")
	if !ok {
		t.Fatal("sonnet missing")
	}
	if math.Abs(v.Share-25) > 1e-9 {
		t.Errorf("sonnet share = %v, want 25", v.Share)
	}
	if v.Origin != OriginUS || v.Tokens != 3500 {
		t.Errorf("sonnet origin %s tokens %d, want US 3500", v.Origin, v.Tokens)
	}
	if s.Total != 14000 || s.Attributed != 7000 {
		t.Errorf("total %d attributed %d, want 14000 7000", s.Total, s.Attributed)
	}
}

func TestRanksMovesAndGrowth(t *testing.T) {
	m := newTestMarket()
	m.Apply(usageDays(0, 7, map[string]uint64{"minimax/minimax-m2.5": 100, "anthropic/claude-sonnet-4.5": 500, "mistralai/mistral-large": 50}))
	m.Apply(usageDays(7, 14, map[string]uint64{"minimax/minimax-m2.5": 900, "anthropic/claude-sonnet-4.5": 400}))
	s := m.Snapshot()
	tests := []struct {
		id             string
		rank, prevRank int
		move           int
		growth         float64
	}{
		{"minimax/minimax-m2.5", 1, 2, 1, 800},
		{"anthropic/claude-sonnet-4.5", 2, 1, -1, -20},
		{"mistralai/mistral-large", 0, 3, 0, -100},
	}
	for _, tt := range tests {
		v, _ := s.Listing(tt.id)
		if v.Rank != tt.rank || v.PrevRank != tt.prevRank || v.RankMove() != tt.move {
			t.Errorf("%s: rank %d prev %d move %d, want %d %d %d", tt.id, v.Rank, v.PrevRank, v.RankMove(), tt.rank, tt.prevRank, tt.move)
		}
		if math.Abs(v.Growth-tt.growth) > 1e-9 {
			t.Errorf("%s: growth %v, want %v", tt.id, v.Growth, tt.growth)
		}
	}
	if s.Listings[0].ID != "minimax/minimax-m2.5" || s.Listings[2].Rank != 0 {
		t.Errorf("listings not in rank order: %s first, third rank %d", s.Listings[0].ID, s.Listings[2].Rank)
	}
}

func TestGrowthUnknownWithoutPreviousWindow(t *testing.T) {
	m := newTestMarket()
	m.Apply(usageDays(0, 7, map[string]uint64{"minimax/minimax-m2.5": 100}))
	v, _ := m.Snapshot().Listing("minimax/minimax-m2.5")
	if !math.IsNaN(v.Growth) || !v.IsNew() {
		t.Errorf("growth %v new %v, want NaN and new", v.Growth, v.IsNew())
	}
}

func TestSeriesAreBoundedByRetention(t *testing.T) {
	m := newTestMarket()
	for d := 0; d < 400; d++ {
		m.Apply(usageDays(d, d+1, map[string]uint64{"minimax/minimax-m2.5": uint64(d), OtherSlug: 1}))
	}
	s := m.Snapshot()
	if len(s.Days) != 30 {
		t.Fatalf("retained %d days, want 30", len(s.Days))
	}
	v, _ := s.Listing("minimax/minimax-m2.5")
	if len(v.Series) != 30 || v.Series[29] != 399 || v.Series[0] != 370 {
		t.Errorf("series len %d ends %d starts %d, want 30 ending 399 starting 370", len(v.Series), v.Series[len(v.Series)-1], v.Series[0])
	}
	if !s.Days[29].Equal(day(399)) {
		t.Errorf("last day %v, want %v", s.Days[29], day(399))
	}
	if cap(m.other) > 2*30 {
		t.Errorf("long-tail series capacity %d grew with uptime", cap(m.other))
	}
}

func TestBackfillOlderDaysAndIdempotentRefetch(t *testing.T) {
	m := newTestMarket()
	m.Apply(usageDays(10, 14, map[string]uint64{"minimax/minimax-m2.5": 10}))
	m.Apply(usageDays(5, 10, map[string]uint64{"minimax/minimax-m2.5": 20}))
	m.Apply(usageDays(12, 14, map[string]uint64{"minimax/minimax-m2.5": 10})) // refetch
	s := m.Snapshot()
	v, _ := s.Listing("minimax/minimax-m2.5")
	if len(s.Days) != 9 || !s.Days[0].Equal(day(5)) {
		t.Fatalf("days %d from %v, want 9 from %v", len(s.Days), s.Days[0], day(5))
	}
	if v.Tokens != 4*10+3*20 {
		t.Errorf("window tokens %d, want %d", v.Tokens, 4*10+3*20)
	}
	// Older than the retention allows: dropped, not crashing.
	m.Apply(usageDays(-100, -99, map[string]uint64{"minimax/minimax-m2.5": 5}))
	if got := len(m.Snapshot().Days); got != 9 {
		t.Errorf("too-old day changed the window to %d days", got)
	}
}

func TestUnknownPermaslugAppearsAndIsAdoptedByCatalogue(t *testing.T) {
	m := newTestMarket()
	m.Apply(usageDays(0, 7, map[string]uint64{"z-ai/glm-5-20260211:free": 70}))
	s := m.Snapshot()
	v, ok := s.Listing("z-ai/glm-5-20260211:free")
	if !ok || v.Origin != OriginCN || v.Author != "z-ai" || v.Rank != 1 {
		t.Fatalf("stub: ok %v origin %s author %s rank %d", ok, v.Origin, v.Author, v.Rank)
	}
	m.Apply(CatalogueUpdate{At: day(7), Listings: []Listing{{ID: "z-ai/glm-5:free", Slug: "z-ai/glm-5-20260211", Name: "GLM 5 (free)", Price: Price{Kind: PriceFree}}}})
	s = m.Snapshot()
	if _, ok := s.Listing("z-ai/glm-5-20260211:free"); ok {
		t.Error("stub still present after the catalogue named it")
	}
	v, ok = s.Listing("z-ai/glm-5:free")
	if !ok || v.Tokens != 490 {
		t.Fatalf("catalogue listing did not adopt the stub's usage: ok %v tokens %d", ok, v.Tokens)
	}
}

func TestPriceChangesAndBadPrices(t *testing.T) {
	m := newTestMarket()
	m.Apply(CatalogueUpdate{At: day(3), Listings: []Listing{{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Price: paid(0.3, 1.1)}}})
	m.Apply(CatalogueUpdate{At: day(4), Listings: []Listing{{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Price: paid(math.NaN(), -1)}}})
	v, _ := m.Snapshot().Listing("minimax/minimax-m2.5")
	prev, at, ok := v.PrevPrice()
	if !ok || prev.Out != 1.2 || !at.Equal(day(3)) {
		t.Errorf("prev price %v at %v ok %v, want out 1.2 at %v", prev, at, ok, day(3))
	}
	if v.Price.Kind != PricePaid || v.Price.Out != 1.1 {
		t.Errorf("a NaN price replaced the last good one: %+v", v.Price)
	}
}

func TestOrderOnlyRanking(t *testing.T) {
	m := newTestMarket()
	m.Apply(RankingUpdate{At: day(1), IDs: []string{"mistralai/mistral-large", "minimax/minimax-m2.5"}})
	m.Apply(RankingUpdate{At: day(2), IDs: []string{"minimax/minimax-m2.5", "mistralai/mistral-large"}})
	s := m.Snapshot()
	if s.HasVolumes || len(s.Origins) != 0 {
		t.Errorf("order-only market invented volumes: %v %v", s.HasVolumes, s.Origins)
	}
	v, _ := s.Listing("minimax/minimax-m2.5")
	if v.Rank != 1 || v.RankMove() != 1 || s.Listings[0].ID != v.ID {
		t.Errorf("rank %d move %d first %s", v.Rank, v.RankMove(), s.Listings[0].ID)
	}
}

func TestCrossoverNeedsToHold(t *testing.T) {
	m := newTestMarket()
	m.Apply(usageDays(0, 10, map[string]uint64{"minimax/minimax-m2.5": 100, "anthropic/claude-sonnet-4.5": 300}))
	// One noisy day where CN leads, then back: no crossover.
	m.Apply(usageDays(10, 11, map[string]uint64{"minimax/minimax-m2.5": 2000, "anthropic/claude-sonnet-4.5": 300}))
	m.Apply(usageDays(11, 25, map[string]uint64{"minimax/minimax-m2.5": 0, "anthropic/claude-sonnet-4.5": 3000}))
	if got := m.Snapshot().Crossovers; len(got) != 0 {
		t.Fatalf("a lead that did not hold counted: %+v", got)
	}
	m.Apply(usageDays(25, 30, map[string]uint64{"minimax/minimax-m2.5": 100000, "anthropic/claude-sonnet-4.5": 300}))
	cs := m.Snapshot().Crossovers
	if len(cs) != 1 || cs[0].Leader != OriginCN || cs[0].Passed != OriginUS || !cs[0].Day.Equal(day(25)) {
		t.Fatalf("crossovers %+v, want CN passed US on %v", cs, day(25))
	}
}

func TestSnapshotIsImmutableAndCached(t *testing.T) {
	m := newTestMarket()
	m.Apply(usageDays(0, 7, map[string]uint64{"minimax/minimax-m2.5": 100}))
	s1 := m.Snapshot()
	if s2 := m.Snapshot(); s2 != s1 {
		t.Error("an unchanged market built a new snapshot")
	}
	v1, _ := s1.Listing("minimax/minimax-m2.5")
	m.Apply(usageDays(6, 7, map[string]uint64{"minimax/minimax-m2.5": 999}))
	if v1.Series[6] != 100 || v1.Tokens != 700 {
		t.Errorf("an old snapshot changed under its reader: %d %d", v1.Series[6], v1.Tokens)
	}
}

func TestDeriveHealth(t *testing.T) {
	ep := func(status int, u5, u1d float64) Endpoint {
		return Endpoint{Status: EndpointStatus(status), Uptime5m: u5, Uptime30m: u5, Uptime1d: u1d, LatencyP50: math.NaN(), ThroughputP50: math.NaN()}
	}
	tests := []struct {
		name string
		eps  []Endpoint
		want Health
	}{
		{"none", nil, HealthUnknown},
		{"healthy wander (captured payload)", []Endpoint{ep(0, 96.58, 99.37)}, HealthOK},
		{"uptime drop", []Endpoint{ep(0, 91, 99.1), ep(0, 92, 99)}, HealthDegraded},
		{"third deranked", []Endpoint{ep(-2, 99, 99), ep(0, 99, 99), ep(0, 99, 99)}, HealthDegraded},
		{"all deranked is degraded, not down", []Endpoint{ep(-5, 99, 99), ep(-1, 99, 99)}, HealthDegraded},
		{"issue #4's local server: status -2, 61% over 5 min", []Endpoint{ep(-2, 61, 99.37)}, HealthDegraded},
		{"all offline", []Endpoint{ep(-10, 99, 99), ep(-10, 99, 99)}, HealthDown},
		{"one offline of three", []Endpoint{ep(-10, 99, 99), ep(0, 99, 99), ep(0, 99, 99)}, HealthDegraded},
		{"uptime collapse", []Endpoint{ep(0, 30, 99), ep(0, 40, 99)}, HealthDown},
		{"unknown uptimes", []Endpoint{ep(0, math.NaN(), math.NaN())}, HealthOK},
	}
	for _, tt := range tests {
		if got := DeriveHealth(tt.eps); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

// roundTrip writes u as a record line at t0 and reads the line back.
func roundTrip(t *testing.T, u Update) (line []byte, back Record) {
	t.Helper()
	line, err := MarshalRecord(Record{Time: t0, Update: u})
	if err != nil {
		t.Fatalf("%s: %v", u.Kind(), err)
	}
	back, err = UnmarshalRecord(line)
	if err != nil {
		t.Fatalf("%s: %v (%s)", u.Kind(), err, line)
	}
	return line, back
}

func TestRecordRoundTrip(t *testing.T) {
	ups := []Update{
		CatalogueUpdate{At: t0, Source: "x", Listings: []Listing{{ID: "a/b", Price: paid(1, 2), Overrides: []PriceOverride{{UTCStart: 100, UTCEnd: 400, In: 2, Out: math.NaN(), CacheRead: math.NaN()}}}}},
		UsageUpdate{At: t0, Rows: []UsageRow{{Date: t0, Slug: "a/b", Tokens: MaxTokens}}},
		RankingUpdate{At: t0, IDs: []string{"a/b"}},
		EndpointsUpdate{At: t0, ListingID: "a/b", Endpoints: []Endpoint{{Provider: "p", Uptime5m: 99, Uptime30m: math.NaN(), Uptime1d: 98, LatencyP50: math.NaN(), ThroughputP50: 40}}},
		StatusUpdate{At: t0, Page: StatusPage{Name: "claude", Status: StatusDegraded, Incidents: []Incident{{ID: "i", Title: "t", Impact: StatusMajorOutage}}}},
		SourceUpdate{Health: SourceHealth{Name: "catalogue", OK: true, LastSuccess: t0, Interval: time.Minute}},
		AppsUpdate{At: t0, Apps: []App{{Rank: 1, Name: "OpenClaw", Tokens: 416819926256, Requests: 8113206}}},
	}
	a, b := NewMarket(Config{Clock: fixedClock}), NewMarket(Config{Clock: fixedClock})
	for _, u := range ups {
		_, r := roundTrip(t, u)
		if r.Update.Kind() != u.Kind() || !r.Time.Equal(t0) {
			t.Fatalf("%s came back as %s at %v", u.Kind(), r.Update.Kind(), r.Time)
		}
		a.Apply(u)
		b.Apply(r.Update)
	}
	sa, sb := a.Snapshot(), b.Snapshot()
	va, _ := sa.Listing("a/b")
	vb, _ := sb.Listing("a/b")
	if !va.Price.Equal(vb.Price) || va.Tokens != vb.Tokens || va.Tokens != MaxTokens ||
		!math.IsNaN(vb.Endpoints()[0].Uptime30m) || vb.Endpoints()[0].ThroughputP50 != 40 ||
		vb.Listing().Overrides[0].In != 2 || !math.IsNaN(vb.Listing().Overrides[0].Out) || vb.Listing().Overrides[0].UTCEnd != 400 {
		t.Errorf("replayed listing differs:\n%+v\n%+v", va, vb)
	}
	if len(sb.StatusPages) != 1 || sb.StatusPages[0].Incidents[0].Impact != StatusMajorOutage || len(sb.Apps) != 1 || len(sb.Sources) != 1 {
		t.Errorf("replayed pages/apps/sources differ: %+v %+v %+v", sb.StatusPages, sb.Apps, sb.Sources)
	}
	if _, err := UnmarshalRecord([]byte(`{"kind":"nope","data":{}}`)); err == nil {
		t.Error("unknown kind accepted")
	}
	if _, err := UnmarshalRecord([]byte(`garbage`)); err == nil {
		t.Error("garbage accepted")
	}
}

func TestOriginTable(t *testing.T) {
	tab := DefaultOrigins()
	cases := map[string]Origin{"deepseek": OriginCN, "anthropic": OriginUS, "mistralai": OriginEU, "cohere": OriginOther, "openrouter": OriginUnknown, "Z-AI": OriginCN}
	for a, want := range cases {
		if got := tab.Lookup(a); got != want {
			t.Errorf("Lookup(%q) = %s, want %s", a, got, want)
		}
	}
	o := tab.With(map[string]Origin{"thedrummer": OriginUS, "cohere": OriginEU})
	if o.Lookup("thedrummer") != OriginUS || o.Lookup("cohere") != OriginEU || tab.Lookup("cohere") != OriginOther {
		t.Error("overrides wrong or leaked into the default table")
	}
	if AuthorOf("~anthropic/claude-sonnet-latest") != "anthropic" || AuthorOf("other") != "other" {
		t.Error("AuthorOf")
	}
}

func TestRetiredListingsAreForgotten(t *testing.T) {
	m := newTestMarket() // retention 30 days
	m.Apply(CatalogueUpdate{At: day(0), Listings: []Listing{{ID: "a/gone", Name: "Gone"}}})
	m.Apply(usageDays(0, 2, map[string]uint64{"a/gone": 5}))
	for d := 2; d < 100; d++ {
		m.Apply(usageDays(d, d+1, map[string]uint64{"minimax/minimax-m2.5": 10}))
	}
	s := m.Snapshot()
	if _, ok := s.Listing("a/gone"); ok {
		t.Error("a listing idle and unnamed for longer than the retention is still held")
	}
	if _, ok := s.Listing("minimax/minimax-m2.5"); !ok {
		t.Error("a listing with usage was forgotten")
	}
	// Idle but still in the catalogue: kept.
	m.Apply(CatalogueUpdate{At: day(100), Listings: []Listing{{ID: "anthropic/claude-sonnet-4.5", Name: "Claude Sonnet 4.5", Price: paid(3, 15)}}})
	for d := 100; d < 110; d++ {
		m.Apply(usageDays(d, d+1, map[string]uint64{"minimax/minimax-m2.5": 10}))
	}
	if _, ok := m.Snapshot().Listing("anthropic/claude-sonnet-4.5"); !ok {
		t.Error("a listed listing was forgotten for being idle")
	}
}

// TestUnlistedRankedSlug: a permaslug the usage rankings name but the
// catalogue does not list gets a readable name from its slug and is marked
// unlisted once the catalogue has been read (not before: it may yet come).
func TestUnlistedRankedSlug(t *testing.T) {
	for slug, want := range map[string]string{
		"tencent/hy3-preview-20260421:free": "Tencent: Hy3 Preview (free)",
		"openai/gpt-5.2-20251211":           "Openai: Gpt 5.2",
		"stealth-model":                     "Stealth Model",
		"x-ai/grok-4-0709":                  "X Ai: Grok 4",
	} {
		if got := NameFromSlug(slug); got != want {
			t.Errorf("NameFromSlug(%q) = %q, want %q", slug, got, want)
		}
	}
	m := NewMarket(Config{Source: "test", Clock: fixedClock, Retention: 30, Window: 7})
	m.Apply(usageDays(0, 3, map[string]uint64{"tencent/hy3-preview-20260421:free": 500, "minimax/minimax-m2.5-20260211": 100}))
	v, _ := m.Snapshot().Listing("tencent/hy3-preview-20260421:free")
	if v == nil || v.Unlisted || v.Name != "Tencent: Hy3 Preview (free)" {
		t.Fatalf("before the catalogue: %+v", v)
	}
	m.Apply(CatalogueUpdate{At: day(3), Listings: []Listing{{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Name: "MiniMax: MiniMax M2.5", Price: paid(0.3, 1.2)}}})
	s := m.Snapshot()
	v, _ = s.Listing("tencent/hy3-preview-20260421:free")
	if v == nil || !v.Unlisted || v.Rank != 1 || v.Price.Kind != PriceUnknown {
		t.Errorf("after the catalogue: %+v", v)
	}
	if mm, _ := s.Listing("minimax/minimax-m2.5"); mm == nil || mm.Unlisted {
		t.Errorf("a listed listing marked unlisted: %+v", mm)
	}
}

// TestDaysListKeepsRetainedDays checks that the days list, which a new day
// builds from the last one, is the list worked out afresh as the days come,
// go and are backfilled.
func TestDaysListKeepsRetainedDays(t *testing.T) {
	d0 := time.Date(2026, 2, 26, 0, 0, 0, 0, time.UTC)
	m := &Market{}
	for _, tc := range []struct {
		name       string
		first, len int // first day as an offset from d0, and how many days
	}{
		{"first", 0, 3},
		{"new days across a month end", 0, 5},
		{"oldest dropped", 2, 4},
		{"backfilled", -1, 6},
		{"all new", 40, 2},
		{"none", 40, 0},
	} {
		m.day0, m.days = d0.AddDate(0, 0, tc.first), tc.len
		got := m.daysList()
		want := make([]time.Time, tc.len)
		for i := range want {
			want[i] = m.day0.AddDate(0, 0, i)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: days %v, want %v", tc.name, got, want)
		}
	}
}
