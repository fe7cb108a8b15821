package demo

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

var _ feeds.Stream = (*Sim)(nil)

// harness plays a Sim into a real Market whose clock is the simulated time.
type harness struct {
	t   testing.TB
	s   *Sim
	m   *model.Market
	now time.Time
}

func newHarness(t testing.TB, seed int64) *harness {
	h := &harness{t: t, s: New(seed)}
	h.m = model.NewMarket(model.Config{Source: SourceName, Clock: func() time.Time { return h.now }})
	return h
}

// step applies the next batch and returns it.
func (h *harness) step() []model.Update {
	b, _, ok := h.s.Next()
	if !ok {
		h.t.Fatal("the demo stream ended")
	}
	h.now = endOfDay(h.s.day)
	for _, u := range b {
		h.m.Apply(u)
	}
	return b
}

// runTo plays until the simulated day is day, calling visit (if not nil)
// after every day once the history is in.
func (h *harness) runTo(day time.Time, visit func(d time.Time, s *model.Snapshot)) {
	if !h.s.started {
		h.step()
	}
	for h.s.Day().Before(day) {
		h.step()
		if visit != nil {
			visit(h.s.Day(), h.m.Snapshot())
		}
	}
}

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// encode renders a batch as NDJSON records, the project's own lossless form
// (NaN prices included), to compare batches byte for byte.
func encode(t testing.TB, b []model.Update) []byte {
	var buf bytes.Buffer
	for _, u := range b {
		line, err := model.MarshalRecord(model.Record{Update: u})
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func TestScenarioParses(t *testing.T) {
	sc, err := loadScenario()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, x := range sc.list {
		if ids[x.l.ID] {
			t.Errorf("duplicate listing %s", x.l.ID)
		}
		ids[x.l.ID] = true
		if !strings.Contains(x.l.ID, "/") || x.l.Name == "" || x.l.ContextLength <= 0 || x.l.Description == "" {
			t.Errorf("%s: incomplete listing %+v", x.l.ID, x.l)
		}
	}
	for _, f := range families {
		if _, err := parsePrice(f.price); err != nil {
			t.Errorf("family %s: %v", f.id, err)
		}
	}
}

// Every week's sum of the base curve (weighted by the weekday shape, before
// noise) equals its figure: the interpolation keeps the record.
func TestBaseCurveKeepsWeeklyFigures(t *testing.T) {
	sc, _ := loadScenario()
	for i, sp := range listings {
		x := sc.list[i]
		pts, _ := parseWeeks(sp.weeks)
		for _, p := range pts {
			var sum float64
			for d := max(p.file-7, x.released, sc.hist0); d <= min(p.file-1, x.lastDay, sc.published); d++ {
				sum += x.base[d-sc.hist0] * weekdayFactor(d)
			}
			if math.Abs(sum/p.tokens-1) > 0.01 {
				t.Errorf("%s week of file %s: curve sums to %.0fB, want %.0fB", sp.id, dateOf(p.file).Format("2006-01-02"), sum/1e9, p.tokens/1e9)
			}
		}
	}
}

func TestBaseCurveTable(t *testing.T) {
	// Two weeks, 70 then 140 tokens: the curve rises between the weeks'
	// middles and each week still sums to its figure.
	from := 0
	pts := []weekPoint{{file: 7, tokens: 70}, {file: 14, tokens: 140}}
	for _, tc := range []struct {
		name         string
		live0, live1 int
		wantFirst    float64 // sum of days 0..6
		wantSecond   float64 // sum of days 7..13
	}{
		{"whole weeks", 0, 100, 70, 140},
		{"launch mid-week", 3, 100, 70, 140},
		{"expires mid-week", 0, 10, 70, 140},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := baseCurve(pts, from, 20, tc.live0, tc.live1)
			var a, b float64
			for d := 0; d <= 6; d++ {
				a += c[d] * weekdayFactor(d)
			}
			for d := 7; d <= 13; d++ {
				b += c[d] * weekdayFactor(d)
			}
			if math.Abs(a-tc.wantFirst) > 0.5 || math.Abs(b-tc.wantSecond) > 1 {
				t.Errorf("weeks sum to %.2f and %.2f, want %.0f and %.0f", a, b, tc.wantFirst, tc.wantSecond)
			}
			for d := range c {
				if (d < tc.live0 || d > tc.live1) && c[d] != 0 {
					t.Errorf("day %d outside the live days has %.2f", d, c[d])
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"no colon", "02-16"},
		{"bad date", "13-40:5"},
		{"negative", "02-16:-5"},
		{"not increasing", "02-16:5 02-08:4"},
	} {
		if _, err := parseWeeks(tc.in); err == nil {
			t.Errorf("parseWeeks(%q) (%s): no error", tc.in, tc.name)
		}
	}
	for _, in := range []string{"1/2", "a/b/c", "1/-2/3", "1/2/3 @2026-01-01", "1/2/3 @bad 1/2/3", "1/2/3 @2000-01-01 1/2/3"} {
		if _, err := parsePrices(in, dayNum(date("2026-01-01"))); err == nil {
			t.Errorf("parsePrices(%q): no error", in)
		}
	}
	ps, err := parsePrices("0.30/2.55/- @2026-02-20 0.95/2.55/-", dayNum(date("2026-02-11")))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		day    string
		wantIn float64
	}{{"2026-02-11", 0.30}, {"2026-02-19", 0.30}, {"2026-02-20", 0.95}, {"2027-01-01", 0.95}} {
		if p := priceAt(ps, dayNum(date(tc.day))); p.In != tc.wantIn || !math.IsNaN(p.CacheRead) {
			t.Errorf("price on %s = %+v, want in %.2f and no cache price", tc.day, p, tc.wantIn)
		}
	}
}

func TestStreamShape(t *testing.T) {
	s := New(DefaultSeed)
	if s.Name() != "demo" || !s.Day().Equal(Start) {
		t.Fatalf("Name %q Day %s", s.Name(), s.Day())
	}
	hist, wait, ok := s.Next()
	if !ok || wait != 0 {
		t.Fatalf("history: wait %s ok %v", wait, ok)
	}
	if _, first := hist[0].(model.CatalogueUpdate); !first {
		t.Errorf("history starts with %s, want the catalogue", hist[0].Kind())
	}
	var usageDays []time.Time
	kinds := map[string]int{}
	for _, u := range hist {
		kinds[u.Kind()]++
		if uu, ok := u.(model.UsageUpdate); ok {
			usageDays = append(usageDays, uu.Rows[0].Date)
			if uu.Source != "demo" {
				t.Errorf("usage source %q", uu.Source)
			}
		}
	}
	if !usageDays[0].Equal(HistoryStart) || !usageDays[len(usageDays)-1].Equal(Start) {
		t.Errorf("history usage runs %s .. %s, want %s .. %s", usageDays[0], usageDays[len(usageDays)-1], HistoryStart, Start)
	}
	for _, k := range []string{"catalogue", "usage", "endpoints", "status", "apps", "source"} {
		if kinds[k] == 0 {
			t.Errorf("history has no %s update", k)
		}
	}
	if !s.Day().Equal(Start) {
		t.Errorf("after the history Day is %s", s.Day())
	}
	for i := 1; i <= 3; i++ {
		b, wait, ok := s.Next()
		if !ok || wait != DayEvery {
			t.Fatalf("day %d: wait %s ok %v", i, wait, ok)
		}
		day := Start.AddDate(0, 0, i)
		if !s.Day().Equal(day) {
			t.Fatalf("day %d: Day() = %s, want %s", i, s.Day(), day)
		}
		end := day.Add(24*time.Hour - time.Second)
		for _, u := range b {
			var at time.Time
			switch v := u.(type) {
			case model.CatalogueUpdate:
				at = v.At
			case model.UsageUpdate:
				at = v.At
				for _, r := range v.Rows {
					if !r.Date.Equal(day) {
						t.Errorf("day %d: usage row for %s", i, r.Date)
					}
				}
			case model.EndpointsUpdate:
				at = v.At
			case model.StatusUpdate:
				at = v.At
			case model.AppsUpdate:
				at = v.At
			case model.SourceUpdate:
				at = v.Health.LastSuccess
				if v.Health.Name != "demo" || !v.Health.OK {
					t.Errorf("source health %+v", v.Health)
				}
			}
			if !at.Equal(end) {
				t.Errorf("day %d: %s update at %s, want %s", i, u.Kind(), at, end)
			}
		}
	}
}

func TestDeterminism(t *testing.T) {
	a, b, c := New(DefaultSeed), New(DefaultSeed), New(DefaultSeed+1)
	var differs bool
	for i := 0; i < 40; i++ {
		ba, _, _ := a.Next()
		bb, _, _ := b.Next()
		bc, _, _ := c.Next()
		ea, eb := encode(t, ba), encode(t, bb)
		if !bytes.Equal(ea, eb) {
			t.Fatalf("call %d: the same seed gave different updates", i)
		}
		if !bytes.Equal(ea, encode(t, bc)) {
			differs = true
		}
	}
	if !differs {
		t.Error("a different seed gave the same updates")
	}
	// The same seed through two markets gives the same snapshot.
	h1, h2 := newHarness(t, 7), newHarness(t, 7)
	h1.runTo(date("2026-02-20"), nil)
	h2.runTo(date("2026-02-20"), nil)
	s1, s2 := h1.m.Snapshot(), h2.m.Snapshot()
	if len(s1.Listings) != len(s2.Listings) || s1.Total != s2.Total {
		t.Fatalf("snapshots differ: %d/%d listings, %d/%d tokens", len(s1.Listings), len(s2.Listings), s1.Total, s2.Total)
	}
	for i := range s1.Listings {
		if s1.Listings[i].ID != s2.Listings[i].ID || s1.Listings[i].Tokens != s2.Listings[i].Tokens {
			t.Fatalf("listing %d differs: %s %d vs %s %d", i, s1.Listings[i].ID, s1.Listings[i].Tokens, s2.Listings[i].ID, s2.Listings[i].Tokens)
		}
	}
}

func TestListingsAndOrigins(t *testing.T) {
	h := newHarness(t, DefaultSeed)
	h.runTo(LastPublished, nil)
	s := h.m.Snapshot()
	byOrigin := map[model.Origin]int{}
	var free, variable, longCtx, window, withCache int
	for _, v := range s.Listings {
		if v.Listing().Created.After(LastPublished) {
			continue
		}
		byOrigin[v.Origin]++
		switch v.Price.Kind {
		case model.PriceFree:
			if strings.HasSuffix(v.ID, ":free") {
				free++
			}
		case model.PriceVariable:
			variable++
		}
		if v.Price.HasCacheRead() {
			withCache++
		}
		for _, o := range v.Listing().Overrides {
			if o.IsTimeWindow() {
				window++
			} else if o.MinPromptTokens > 0 {
				longCtx++
			}
		}
	}
	if n := len(s.Listings); n < 30 {
		t.Errorf("%d listings, want at least 30", n)
	}
	for _, o := range []model.Origin{model.OriginCN, model.OriginUS, model.OriginEU, model.OriginOther} {
		if byOrigin[o] == 0 {
			t.Errorf("no %s listing", o)
		}
	}
	if free == 0 || variable == 0 || longCtx == 0 || window == 0 || withCache < 20 {
		t.Errorf("free %d, variable %d, long-context overrides %d, time windows %d, cache prices %d", free, variable, longCtx, window, withCache)
	}
	for _, tc := range []struct {
		id, slug string
		in, out  float64
	}{
		{"anthropic/claude-sonnet-4.5", "anthropic/claude-4.5-sonnet-20250929", 3, 15},
		{"minimax/minimax-m2.5", "minimax/minimax-m2.5-20260211", 0.30, 1.20}, // issue 5's cost check: $10.50/day
		{"moonshotai/kimi-k2.5", "moonshotai/kimi-k2.5-0127", 0.45, 2.20},
	} {
		v, ok := s.Listing(tc.id)
		if !ok {
			t.Errorf("%s missing", tc.id)
			continue
		}
		if v.Listing().Slug != tc.slug || v.Price.In != tc.in || v.Price.Out != tc.out {
			t.Errorf("%s: slug %s price %.2f/%.2f, want %s %.2f/%.2f", tc.id, v.Listing().Slug, v.Price.In, v.Price.Out, tc.slug, tc.in, tc.out)
		}
	}
	if v, ok := s.Listing("openrouter/auto"); !ok || v.Origin != model.OriginUnknown || v.Price.Rankable() {
		t.Errorf("openrouter/auto: %+v", v)
	}
}

func TestAppsUpdates(t *testing.T) {
	h := newHarness(t, DefaultSeed)
	var updates int
	h.step()
	for h.s.Day().Before(date("2026-04-15")) {
		for _, u := range h.step() {
			if a, ok := u.(model.AppsUpdate); ok {
				updates++
				for i, app := range a.Apps {
					if app.Rank != i+1 || (i > 0 && app.Tokens > a.Apps[i-1].Tokens) || app.Requests == 0 {
						t.Fatalf("%s: apps not ranked by tokens: %+v", h.s.Day().Format("2006-01-02"), a.Apps)
					}
				}
			}
		}
	}
	if updates < 9 || updates > 12 {
		t.Errorf("%d apps updates in 80 days, want weekly", updates)
	}
	apps := h.m.Snapshot().Apps
	names := map[string]bool{}
	for _, a := range apps {
		names[a.Name] = true
	}
	for _, n := range []string{"OpenClaw", "Kilo Code", "Claude Code", "Cline", "Hermes Agent"} {
		if !names[n] {
			t.Errorf("app %s missing from %v", n, apps)
		}
	}
	if apps[0].Name != "OpenClaw" {
		t.Errorf("#1 app in April is %s, want OpenClaw", apps[0].Name)
	}
}

func TestWatchedEndpoints(t *testing.T) {
	h := newHarness(t, DefaultSeed)
	h.step()
	for i := 0; i < 120; i++ {
		n := 0
		for _, u := range h.step() {
			if e, ok := u.(model.EndpointsUpdate); ok {
				n++
				if len(e.Endpoints) == 0 {
					t.Errorf("%s: %s has no endpoints", h.s.Day().Format("2006-01-02"), e.ListingID)
				}
			}
		}
		if n < 12 || n > 17 {
			t.Errorf("%s: %d listings watched, want about 15", h.s.Day().Format("2006-01-02"), n)
		}
	}
}

// The demo never ends, its days always move forward, and neither it nor
// the market it feeds grows with the days played.
func TestRunsForever(t *testing.T) {
	days := 2000
	if testing.Short() || raceEnabled {
		days = 700
	}
	h := newHarness(t, DefaultSeed)
	h.step()
	sc, _ := loadScenario()
	prev := h.s.Day()
	var lastNew time.Time
	for i := 0; i < days; i++ {
		for _, u := range h.step() {
			if c, ok := u.(model.CatalogueUpdate); ok {
				for _, l := range c.Listings {
					if l.Created.Equal(h.s.Day()) {
						lastNew = h.s.Day()
					}
				}
			}
		}
		d := h.s.Day()
		if !d.After(prev) {
			t.Fatalf("day %s after %s", d, prev)
		}
		prev = d
		if len(h.s.list) > len(sc.list)+maxActive {
			t.Fatalf("%s: the sim holds %d listings", d.Format("2006-01-02"), len(h.s.list))
		}
		if i%250 == 249 {
			s := h.m.Snapshot()
			if len(s.Days) > model.DefaultRetention {
				t.Fatalf("%s: %d days retained", d.Format("2006-01-02"), len(s.Days))
			}
			if s.Total == 0 || !s.AsOf.Equal(endOfDay(dayNum(d))) {
				t.Fatalf("%s: total %d as-of %s", d.Format("2006-01-02"), s.Total, s.AsOf)
			}
			ranked := 0
			for _, v := range s.Listings {
				if v.Rank > 0 {
					ranked++
				}
			}
			if ranked < 25 {
				t.Errorf("%s: only %d listings in use", d.Format("2006-01-02"), ranked)
			}
		}
	}
	if prev.Sub(lastNew) > 60*24*time.Hour {
		t.Errorf("no new listing since %s (now %s)", lastNew.Format("2006-01-02"), prev.Format("2006-01-02"))
	}
}

func BenchmarkNext(b *testing.B) {
	s := New(DefaultSeed)
	s.Next()
	b.ReportAllocs()
	for b.Loop() {
		s.Next()
	}
}
