package ui

import (
	"testing"
	"time"

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
	m := press(sized(Options{}, benchSnapshot(b), 200, 60), tab)
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

// benchRebuild measures a new snapshot arriving and the next frame: the
// header and the active tab rebuilt from scratch (filter, sort, layout and
// every visible row, or the chart), at 200x60 with 400 listings.
func benchRebuild(b *testing.B, tab string) { benchRebuildOf(b, tab, benchSnapshot(b)) }

// benchRebuildOf is benchRebuild on a given snapshot (the Health and Alerts
// tabs use one with endpoints and alerts).
func benchRebuildOf(b *testing.B, tab string, s1 *model.Snapshot, keys ...string) {
	s2 := *s1 // same content under a new version: the caches must rebuild
	s2.Version++
	snaps := []*model.Snapshot{s1, &s2}
	m := press(press(sized(Options{}, s1, 200, 60), tab), keys...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m = send(m, SnapshotMsg{Snapshot: snaps[i%2]})
		_ = m.View()
	}
}

// BenchmarkRebuildBoard is a new snapshot plus a Board frame.
func BenchmarkRebuildBoard(b *testing.B) { benchRebuild(b, "1") }

// BenchmarkRebuildShare is a new snapshot plus a Share frame.
func BenchmarkRebuildShare(b *testing.B) { benchRebuild(b, "2") }

// BenchmarkRebuildPrices is a new snapshot plus a Prices frame.
func BenchmarkRebuildPrices(b *testing.B) { benchRebuild(b, "3") }

// The same rebuilds at 10,000 listings: 25 times the listings should cost
// at most about 25 times as much (no tab grows faster than linearly).

// BenchmarkRebuild10kBoard is a new snapshot plus a Board frame.
func BenchmarkRebuild10kBoard(b *testing.B) { benchRebuildOf(b, "1", benchSnapshotOf(b, 10000)) }

// BenchmarkRebuild10kShare is a new snapshot plus a Share frame.
func BenchmarkRebuild10kShare(b *testing.B) { benchRebuildOf(b, "2", benchSnapshotOf(b, 10000)) }

// BenchmarkRebuild10kPrices is a new snapshot plus a Prices frame.
func BenchmarkRebuild10kPrices(b *testing.B) { benchRebuildOf(b, "3", benchSnapshotOf(b, 10000)) }

// BenchmarkRebuild10kPricesByValue is a new snapshot plus a Prices frame
// sorted by value (index points per dollar a day), a sort on a key that
// is not a price.
func BenchmarkRebuild10kPricesByValue(b *testing.B) {
	benchRebuildOf(b, "3", benchSnapshotOf(b, 10000), "s", "s", "s", "s")
}

// BenchmarkRebuild10kHealth is a new snapshot plus a Health frame.
func BenchmarkRebuild10kHealth(b *testing.B) { benchRebuildOf(b, "4", benchSnapshotOf(b, 10000)) }

// BenchmarkRebuild10kAlerts is a new snapshot plus an Alerts frame.
func BenchmarkRebuild10kAlerts(b *testing.B) { benchRebuildOf(b, "5", benchSnapshotOf(b, 10000)) }

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
