package model

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRankHistoryAgainstSorting: on every day, a listing's rank is its
// place when the listings are sorted by tokens over the trailing window
// (most first, ties by id), 0 without tokens; series shorter than the days
// (missing days count as none), ties and empty series included.
func TestRankHistoryAgainstSorting(t *testing.T) {
	day0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	const days = 12
	series := map[string][]uint64{
		"a/steady": {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5},
		"b/tie":    {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, // ties a/steady every day
		"c/late":   {0, 0, 0, 0, 0, 0, 20, 20, 0, 0, 0, 40},
		"d/short":  {30, 1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		"e/none":   {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		"f/gone":   {9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0}, // unranked once its window empties
		"g/longer": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
	}
	last := day0.AddDate(0, 0, days-1)
	m := NewMarket(Config{Source: "openrouter", Window: 3, Clock: func() time.Time { return last.Add(time.Hour) }})
	var ls []Listing
	var rows []UsageRow
	for id, ser := range series {
		ls = append(ls, Listing{ID: id, Name: id, Price: Price{Kind: PricePaid, In: 1, Out: 1, CacheRead: math.NaN()}})
		for d, x := range ser {
			if x > 0 {
				rows = append(rows, UsageRow{Date: day0.AddDate(0, 0, d), Slug: id, Tokens: x})
			}
		}
	}
	m.Apply(CatalogueUpdate{At: last, Source: "catalogue", Listings: ls})
	m.Apply(UsageUpdate{At: last, Source: "usage", Rows: rows})
	s := m.Snapshot()
	if len(s.Days) != days || s.Window != 3 {
		t.Fatalf("%d days, window %d; want %d and 3", len(s.Days), s.Window, days)
	}
	// Series of other lengths than the days: one cut short (the missing
	// days count as none), one longer (the extra days are ignored), one
	// empty.
	for i := range s.Listings {
		v := &s.Listings[i]
		switch v.ID {
		case "d/short":
			v.Series = v.Series[:3]
		case "g/longer":
			v.Series = append(slices.Clone(v.Series), 99, 99)
		case "e/none":
			v.Series = nil
		}
		series[v.ID] = v.Series
	}
	windowSum := func(ser []uint64, d int) uint64 {
		var sum uint64
		for k := max(d-s.Window+1, 0); k <= d; k++ {
			if k < len(ser) {
				sum += ser[k]
			}
		}
		return sum
	}
	for id := range series {
		got := s.RankHistory(id)
		if len(got) != days {
			t.Fatalf("%s: %d ranks for %d days", id, len(got), days)
		}
		for d := 0; d < days; d++ {
			type entry struct {
				id  string
				sum uint64
			}
			var es []entry
			for oid, ser := range series {
				es = append(es, entry{oid, windowSum(ser, d)})
			}
			slices.SortFunc(es, func(a, b entry) int {
				if c := cmp.Compare(b.sum, a.sum); c != 0 {
					return c
				}
				return strings.Compare(a.id, b.id)
			})
			want := 0
			for k, e := range es {
				if e.id == id && e.sum > 0 {
					want = k + 1
				}
			}
			if got[d] != want {
				t.Errorf("%s on day %d: rank %d, want %d", id, d, got[d], want)
			}
		}
	}
	// By hand, the last day: c/late 40, g/longer 33, a/steady and b/tie 15.
	for id, want := range map[string]int{"c/late": 1, "g/longer": 2, "a/steady": 3, "b/tie": 4, "f/gone": 0} {
		if got := s.RankHistory(id)[days-1]; got != want {
			t.Errorf("%s on the last day: rank %d, want %d", id, got, want)
		}
	}
	if r := s.RankHistory("z/unknown"); r != nil {
		t.Errorf("an unknown listing has a rank history: %v", r)
	}
}

// BenchmarkRankHistory is one listing's rank on each of 90 days against 399
// others: what a listing's detail page computes on every new snapshot.
func BenchmarkRankHistory(b *testing.B) {
	m, ids := benchMarket(b, 400)
	s := m.Snapshot()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := s.RankHistory(ids[i%len(ids)]); len(r) != len(s.Days) {
			b.Fatalf("%d ranks for %d days", len(r), len(s.Days))
		}
	}
}
