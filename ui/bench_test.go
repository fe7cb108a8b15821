package ui

import (
	"testing"

	"github.com/tokentape/tokentape/model"
)

// benchSnapshot is the fixture market grown to 400 listings.
func benchSnapshot(b *testing.B) *model.Snapshot {
	b.Helper()
	s := buildMarket(fixtureOptions{extra: 400 - len(fixListings())}).Snapshot()
	if len(s.Listings) != 400 {
		b.Fatalf("%d listings, want 400", len(s.Listings))
	}
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
func benchRebuildOf(b *testing.B, tab string, s1 *model.Snapshot) {
	s2 := *s1 // same content under a new version: the caches must rebuild
	s2.Version++
	snaps := []*model.Snapshot{s1, &s2}
	m := press(sized(Options{}, s1, 200, 60), tab)
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
