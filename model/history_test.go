package model

import (
	"cmp"
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
	s := &Snapshot{Window: 3, index: map[string]int{}}
	for d := 0; d < days; d++ {
		s.Days = append(s.Days, day0.AddDate(0, 0, d))
	}
	series := map[string][]uint64{
		"a/steady": {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5},
		"b/tie":    {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, // ties a/steady every day
		"c/late":   {0, 0, 0, 0, 0, 0, 20, 20, 0, 0, 0, 40},
		"d/short":  {30, 1, 9},                                      // the rest of the days missing
		"e/none":   nil,                                             // no series at all
		"f/gone":   {9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0},            // unranked once its window empties
		"g/longer": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 99, 99}, // more than the days
	}
	for id, ser := range series {
		s.index[id] = len(s.Listings)
		s.Listings = append(s.Listings, ListingView{Listing: Listing{ID: id}, Series: ser})
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
	if r := s.RankHistory("z/unknown"); r != nil {
		t.Errorf("an unknown listing has a rank history: %v", r)
	}
}
