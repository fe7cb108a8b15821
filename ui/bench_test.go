package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
)

// benchSnapshot is the fixture market grown to 400 listings.
func benchSnapshot(b *testing.B) *model.Snapshot { return benchSnapshotOf(b, 400) }

// bigSnapshots caches the 10,000-listing market, which takes a while to
// build, across the benchmarks that use it.
var bigSnapshots = map[int]*model.Snapshot{}

// benchSnapshotOf is the fixture market grown to n listings.
func benchSnapshotOf(b *testing.B, n int) *model.Snapshot {
	b.Helper()
	if s := bigSnapshots[n]; s != nil {
		return s
	}
	s := buildMarket(fixtureOptions{extra: n - len(fixListings())}).Snapshot()
	if len(s.Listings) != n {
		b.Fatalf("%d listings, want %d", len(s.Listings), n)
	}
	bigSnapshots[n] = s
	return s
}

// benchView measures a frame at 200x60 with 400 listings: what the program
// pays on every render while the market is unchanged (cached blocks joined).
func benchView(b *testing.B, tab string) {
	benchFrames(b, press(sized(Options{}, benchSnapshot(b), 200, 60), tab))
}

// benchFrames times m's frame, drawn once before the clock starts (the
// first draw fills the caches a steady frame reuses).
func benchFrames(b *testing.B, m Model) {
	_ = m.View()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}

// BenchmarkViewBoard is a Board frame at 200x60 with 400 listings.
func BenchmarkViewBoard(b *testing.B) { benchView(b, "1") }

// BenchmarkViewShare is a Share frame at 200x60 with 400 listings.
func BenchmarkViewShare(b *testing.B) { benchView(b, "2") }

// BenchmarkViewPrices is a Prices frame at 200x60 with 400 listings.
func BenchmarkViewPrices(b *testing.B) { benchView(b, "3") }

// A rebuild benchmark alternates two snapshots the model really produced:
// A, then a typical poll applied to the same market, then B. B has a new
// Listings slice and shares with A only what the model shares (each
// unchanged listing's prices, series and endpoints), so a tab that keeps
// work per listing redoes only the listings the poll changed, and a tab
// that wrongly skipped work would draw A's figures in B's frame (the
// benchmarks refuse to run when the two frames are the same).

// benchPoll applies what one poll brought to a market taken from the
// snapshot s.
type benchPoll func(mk *model.Market, s *model.Snapshot)

// pricePoll is the catalogue poll that moves a few listings' prices (10 %
// up): the largest listing, one of the fixture's middle ones and the first
// and last synthetic ones. Every other listing comes unchanged, so the
// model keeps its price history.
func pricePoll(mk *model.Market, s *model.Snapshot) {
	u := model.CatalogueUpdate{At: fixNow.Add(5 * time.Minute), Source: "catalogue"}
	for _, id := range []string{"anthropic/claude-sonnet-4.5", "deepseek/deepseek-v3.2", "deepseek/bench-model-000", benchLastID(s)} {
		v, ok := s.Listing(id)
		if !ok {
			continue
		}
		l := *v.Listing()
		l.Price.In *= 1.1
		l.Price.Out *= 1.1
		u.Listings = append(u.Listings, l)
	}
	mk.Apply(u)
}

// benchLastID is the id of the last synthetic listing of s.
func benchLastID(s *model.Snapshot) string {
	best := ""
	for i := range s.Listings {
		if id := s.Listings[i].ID; strings.Contains(id, "/bench-model-") && id > best {
			best = id
		}
	}
	return best
}

// usagePoll is the usage poll that brings a new day: every listing with
// volume gets tokens for today, 3 % above its last day.
func usagePoll(mk *model.Market, s *model.Snapshot) {
	day := s.Days[len(s.Days)-1].AddDate(0, 0, 1)
	u := model.UsageUpdate{At: day.Add(time.Hour), Source: "usage"}
	var sum uint64
	for i := range s.Listings {
		v := &s.Listings[i]
		if len(v.Series) == 0 || v.Series[len(v.Series)-1] == 0 {
			continue
		}
		t := v.Series[len(v.Series)-1] * 103 / 100
		sum += t
		u.Rows = append(u.Rows, model.UsageRow{Date: day, Slug: v.Listing().Slug, Tokens: t})
	}
	u.Rows = append(u.Rows, model.UsageRow{Date: day, Slug: model.OtherSlug, Tokens: sum / 4})
	mk.Apply(u)
}

// endpointsPoll is the endpoints poll of two watched listings: GLM-5
// recovers on every endpoint and DeepSeek's latency doubles.
func endpointsPoll(mk *model.Market, s *model.Snapshot) {
	at := fixNow.Add(5 * time.Minute)
	for _, id := range []string{"z-ai/glm-5", "deepseek/deepseek-v3.2"} {
		v, ok := s.Listing(id)
		if !ok {
			continue
		}
		eps := slices.Clone(v.Endpoints())
		for j := range eps {
			if id == "z-ai/glm-5" {
				eps[j].Status, eps[j].Uptime5m = 0, 99.9
			} else {
				eps[j].LatencyP50 *= 2
			}
		}
		mk.Apply(model.EndpointsUpdate{At: at, ListingID: id, Endpoints: eps})
	}
}

// benchPairs caches the snapshot pairs, which take a while to build,
// across the benchmarks that use them.
var benchPairs = map[string][2]*model.Snapshot{}

// benchPair builds a market with build, takes A, applies poll and takes B.
func benchPair(b *testing.B, key string, build func() *model.Market, poll benchPoll) [2]*model.Snapshot {
	b.Helper()
	if p, ok := benchPairs[key]; ok {
		return p
	}
	mk := build()
	a := mk.Snapshot()
	poll(mk, a)
	p := [2]*model.Snapshot{a, mk.Snapshot()}
	if p[1].Version == a.Version {
		b.Fatalf("%s: the poll changed nothing", key)
	}
	benchPairs[key] = p
	return p
}

// benchMarketOf is the fixture market grown to n listings.
func benchMarketOf(n int) func() *model.Market {
	return func() *model.Market { return buildMarket(fixtureOptions{extra: n - len(fixListings())}) }
}

// benchRebuild measures a new snapshot after a poll arriving and the next
// frame, at 200x60 with 400 listings: the header and the active tab rebuilt
// (filter, sort, layout and every visible row, or the chart), keeping only
// what the tab may keep for what the poll left unchanged.
func benchRebuild(b *testing.B, tab string, poll benchPoll, keys ...string) {
	benchRebuildOn(b, benchPairOf(b, 400, poll), append([]string{tab}, keys...)...)
}

// benchPairOf is the pair of the n-listing fixture market around poll.
func benchPairOf(b *testing.B, n int, poll benchPoll) [2]*model.Snapshot {
	return benchPair(b, fmt.Sprintf("%d %p", n, poll), benchMarketOf(n), poll)
}

// benchRebuildOn alternates the pair's snapshots, the model opened by keys
// at 200x60, after checking that the two frames differ.
func benchRebuildOn(b *testing.B, p [2]*model.Snapshot, keys ...string) {
	b.Helper()
	m := press(sized(Options{}, p[0], 200, 60), keys...)
	a := m.View()
	m = send(m, SnapshotMsg{Snapshot: p[1]})
	if m.View() == a {
		b.Fatal("the frames of A and B are the same: the poll changes nothing this tab shows")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m = send(m, SnapshotMsg{Snapshot: p[i%2]})
		_ = m.View()
	}
}

// benchRebuildSame measures a snapshot with the same content as the last
// under a new version (it shares even the Listings slice): what a tab pays
// when an update changed nothing it shows (a source's health, an ack).
func benchRebuildSame(b *testing.B, s1 *model.Snapshot, keys ...string) {
	s2 := *s1
	s2.Version++
	snaps := []*model.Snapshot{s1, &s2}
	m := press(sized(Options{}, s1, 200, 60), keys...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m = send(m, SnapshotMsg{Snapshot: snaps[i%2]})
		_ = m.View()
	}
}

// BenchmarkRebuildBoard is a price poll's snapshot plus a Board frame.
func BenchmarkRebuildBoard(b *testing.B) { benchRebuild(b, "1", pricePoll) }

// BenchmarkRebuildBoardNewDay is a new day's snapshot plus a Board frame:
// every listing's series moved, so every trend is drawn again.
func BenchmarkRebuildBoardNewDay(b *testing.B) { benchRebuild(b, "1", usagePoll) }

// BenchmarkRebuildShare is a new day's snapshot plus a Share frame: what
// the UI goroutine does. The new day's chart is drawn by the command that
// Update returns (share.background), which the program runs on another
// goroutine and this benchmark drops: BenchmarkRebuildShareWithChart counts
// it too.
func BenchmarkRebuildShare(b *testing.B) { benchRebuild(b, "2", usagePoll) }

// BenchmarkRebuildShareWithChart is BenchmarkRebuildShare with the chart's
// command run and its answer handled, each new day: all the CPU a new day
// costs the Share tab, wherever it runs.
func BenchmarkRebuildShareWithChart(b *testing.B) { benchRebuildWithBackground[chartDrawn](b, "2") }

// benchRebuildWithBackground is a new day's snapshot plus a frame of the
// screen keys opens, with the background work the snapshot starts (one
// answer of type M) run and applied each time, as the program would.
func benchRebuildWithBackground[M tea.Msg](b *testing.B, keys ...string) {
	p := benchPairOf(b, 400, usagePoll)
	m := press(sized(Options{}, p[0], 200, 60), keys...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		next, cmd := m.Update(SnapshotMsg{Snapshot: p[(i+1)%2]})
		m = next.(Model)
		work := answers[M](cmd)
		if len(work) != 1 {
			b.Fatalf("%d answers of background work for a new day, want 1", len(work))
		}
		m = send(m, work[0])
		_ = m.View()
	}
}

// BenchmarkShareChartDraw is the new day's chart alone, as the command
// draws it: asciigraph's PlotMany and the axis and legend around it.
func BenchmarkShareChartDraw(b *testing.B) {
	p := benchPairOf(b, 400, usagePoll)
	m := press(sized(Options{}, p[1], 200, 60), "2")
	in, ok := m.tabs[1].(*share).chartInput()
	if !ok {
		b.Fatal("no chart to draw")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = in.draw()
	}
}

// BenchmarkRebuildPrices is a price poll's snapshot plus a Prices frame.
func BenchmarkRebuildPrices(b *testing.B) { benchRebuild(b, "3", pricePoll) }

// BenchmarkRebuildBoardSameContent is the same-content snapshot plus a
// Board frame.
func BenchmarkRebuildBoardSameContent(b *testing.B) { benchRebuildSame(b, benchSnapshot(b), "1") }

// BenchmarkRebuildShareSameContent is the same-content snapshot plus a
// Share frame.
func BenchmarkRebuildShareSameContent(b *testing.B) { benchRebuildSame(b, benchSnapshot(b), "2") }

// BenchmarkRebuildPricesSameContent is the same-content snapshot plus a
// Prices frame.
func BenchmarkRebuildPricesSameContent(b *testing.B) { benchRebuildSame(b, benchSnapshot(b), "3") }

// The same rebuilds at 10,000 listings: 25 times the listings should cost
// at most about 25 times as much (no tab grows faster than linearly).

// BenchmarkRebuild10kBoard is a price poll's snapshot plus a Board frame.
func BenchmarkRebuild10kBoard(b *testing.B) {
	benchRebuildOn(b, benchPairOf(b, 10000, pricePoll), "1")
}

// BenchmarkRebuild10kShare is a new day's snapshot plus a Share frame.
func BenchmarkRebuild10kShare(b *testing.B) {
	benchRebuildOn(b, benchPairOf(b, 10000, usagePoll), "2")
}

// BenchmarkRebuild10kPrices is a price poll's snapshot plus a Prices frame.
func BenchmarkRebuild10kPrices(b *testing.B) {
	benchRebuildOn(b, benchPairOf(b, 10000, pricePoll), "3")
}

// BenchmarkRebuild10kPricesByValue is a price poll's snapshot plus a
// Prices frame sorted by value (index points per dollar a day), a sort on
// a key that is not a price.
func BenchmarkRebuild10kPricesByValue(b *testing.B) {
	benchRebuildOn(b, benchPairOf(b, 10000, pricePoll), "3", "s", "s", "s", "s")
}

// BenchmarkRebuild10kHealth is an endpoints poll's snapshot plus a Health
// frame.
func BenchmarkRebuild10kHealth(b *testing.B) {
	benchRebuildOn(b, benchPairOf(b, 10000, endpointsPoll), "4")
}

// BenchmarkRebuild10kAlerts is a price poll's snapshot (it raises alerts)
// plus an Alerts frame.
func BenchmarkRebuild10kAlerts(b *testing.B) {
	benchRebuildOn(b, benchPairOf(b, 10000, pricePoll), "5")
}

// BenchmarkTick is the once-a-second age tick of a live, idle market at
// 200x60 with 400 listings on the Board: the tick's Update and the frame it
// asks for, what every idle viewer of serve pays each second.
func BenchmarkTick(b *testing.B) {
	wall := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	live := buildMarket(fixtureOptions{source: "openrouter", extra: 400 - len(fixListings())}).Snapshot()
	m := sized(Options{Now: func() time.Time { return wall }}, live, 200, 60)
	_ = m.View()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m = send(m, tickMsg(wall.Add(time.Duration(i%600+1)*time.Second)))
		_ = m.View()
	}
}
