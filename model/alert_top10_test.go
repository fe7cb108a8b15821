package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// fourteenListings is a market of 14 listings M00…M13 in the catalogue,
// with the daily tokens that rank them in that order (M00 1000 a day, each
// next one 50 fewer: M13 350 is #14).
func fourteenListings() (*Market, []Listing, map[string]uint64) {
	m := NewMarket(Config{Source: "test", Clock: fixedClock, Retention: 90, Window: 7})
	var ls []Listing
	vols := map[string]uint64{}
	for i := range 14 {
		id := fmt.Sprintf("p/m%02d", i)
		ls = append(ls, Listing{ID: id, Name: fmt.Sprintf("M%02d", i), Price: paid(1, 2)})
		vols[id] = uint64(1000 - 50*i)
	}
	m.Apply(CatalogueUpdate{At: t0, Listings: ls})
	return m, ls, vols
}

// TestTop10LeaveEnterAndBand follows a listing of the top 10 as found out
// below #12, back in, down to #11 (inside the band: no news) and out again,
// and checks each move is one rank event, in order. The top 10 as found is
// not news; a listing found outside it entering it later is
// (TestTop10EntryOfAListingFoundOutside).
func TestTop10LeaveEnterAndBand(t *testing.T) {
	m, _, vols := fourteenListings()
	var got []string // M09's rank events, in the order they first showed
	seen := map[string]bool{}
	d := 0
	run := func(days int, vol uint64) {
		vols["p/m09"] = vol
		for range days {
			m.Apply(usageDays(d, d+1, vols))
			d++
			for _, a := range alertsOf(m.Snapshot(), AlertRank) {
				if a.Subject == "p/m09" && !seen[a.Key] {
					seen[a.Key] = true
					got = append(got, a.Message)
				}
			}
		}
	}
	run(14, 550) // #10, as found
	run(14, 100) // #14: out
	run(14, 800) // up to #5: in (confirmed on the way, at #10)
	run(14, 480) // #11: inside the band
	run(14, 100) // #14: out
	if len(got) != 3 || got[0] != "M09 left the top 10 (now #14)" ||
		!strings.HasPrefix(got[1], "M09 entered the top 10 at #10 with ") || got[2] != "M09 left the top 10 (now #14)" {
		t.Errorf("M09's rank events: %q", got)
	}
}

// TestTop10EntryOfAListingFoundOutside: a listing the market first sees
// below the top 10, and one that joins the catalogue later, each raise one
// "entered the top 10" when they climb in, once the entry has held; the
// listings of the top 10 as found raise nothing.
func TestTop10EntryOfAListingFoundOutside(t *testing.T) {
	m, ls, vols := fourteenListings()
	d := 0
	days := func(n int) {
		for range n {
			m.Apply(usageDays(d, d+1, vols))
			d++
		}
	}
	days(14)
	vols["p/m13"] = 2000 // climbs to #1
	days(14)
	ls = append(ls, Listing{ID: "p/new", Name: "New", Price: paid(1, 2)})
	m.Apply(CatalogueUpdate{At: t0, Listings: ls})
	vols["p/new"] = 980 // joins straight in at #3
	days(14)
	var entered []string
	for _, a := range alertsOf(m.Snapshot(), AlertRank) {
		if strings.Contains(a.Message, "entered the top 10") {
			entered = append(entered, a.Subject)
		}
	}
	slices.Sort(entered)
	if want := []string{"p/m13", "p/new"}; !slices.Equal(entered, want) {
		t.Errorf("entered the top 10: %q, want %q", entered, want)
	}
}
