package model

import "time"

// RankHistory ranks listing id on every retained day the way the market
// ranks listings now: by tokens over the trailing Window days ending that
// day (fewer at the start of the history), ties broken by id. ranks[d] is
// the rank on s.Days[d]; 0 means unranked (no tokens in the window). It is
// nil for a listing the snapshot does not hold or a snapshot without days.
func (s *Snapshot) RankHistory(id string) []int {
	n := len(s.Days)
	w := max(s.Window, 1)
	v, ok := s.Listing(id)
	if !ok || n == 0 {
		return nil
	}
	at := func(series []uint64, d int) uint64 {
		if d < len(series) {
			return series[d]
		}
		return 0
	}
	mine := make([]uint64, n)
	var run uint64
	for d := 0; d < n; d++ {
		run += at(v.Series, d)
		if d >= w {
			run -= at(v.Series, d-w)
		}
		mine[d] = run
	}
	ahead := make([]int, n)
	// ahead[d]++ when o is ahead of v on day d. The ids are compared only
	// on an exact tie (ties go to the smaller id), which is rare.
	for j := range s.Listings {
		o := &s.Listings[j]
		if o == v || len(o.Series) == 0 {
			continue
		}
		if len(o.Series) >= n {
			// Every day present (the usual case): a plain loop over the
			// series, the window filling up, then sliding.
			ser, mine, ahead := o.Series[:n], mine[:n], ahead[:n]
			run = 0
			fill := min(w, n)
			for d := 0; d < fill; d++ {
				run += ser[d]
				if m := mine[d]; run > m || (run == m && run > 0 && o.ID < id) {
					ahead[d]++
				}
			}
			for d := fill; d < n; d++ {
				run += ser[d] - ser[d-w] // the window holds ser[d-w], so no wrap-around
				if m := mine[d]; run > m || (run == m && run > 0 && o.ID < id) {
					ahead[d]++
				}
			}
			continue
		}
		run = 0
		for d := 0; d < n; d++ {
			run += at(o.Series, d)
			if d >= w {
				run -= at(o.Series, d-w)
			}
			if run > mine[d] || (run == mine[d] && run > 0 && o.ID < id) {
				ahead[d]++
			}
		}
	}
	ranks := make([]int, n)
	for d := range ranks {
		if mine[d] > 0 {
			ranks[d] = ahead[d] + 1
		}
	}
	return ranks
}

// PriceChange is one change of a listing's list price.
type PriceChange struct {
	At       time.Time
	From, To Price
	// Dir is +1 when the listing got dearer (its blended price rose, or it
	// stopped being free), -1 when it got cheaper, 0 otherwise (a change
	// of kind that cannot be compared, or of a leg the blend does not
	// weigh).
	Dir int
}

// PriceChanges lists a listing's price changes, oldest first; the first
// point of its history is the price it was first seen at, not a change.
// inShare weighs input against output to say which way a change went.
func (v *ListingView) PriceChanges(inShare float64) []PriceChange {
	var out []PriceChange
	ph := v.PriceHistory()
	for i := 1; i < len(ph); i++ {
		a, b := ph[i-1].Price, ph[i].Price
		c := PriceChange{At: ph[i].At, From: a, To: b}
		switch {
		case a.Rankable() && b.Rankable():
			if x, y := a.Blended(inShare), b.Blended(inShare); y > x {
				c.Dir = 1
			} else if y < x {
				c.Dir = -1
			}
		case b.Kind == PricePaid && a.Kind == PriceFree:
			c.Dir = 1
		case b.Kind == PriceFree && a.Kind == PricePaid:
			c.Dir = -1
		}
		out = append(out, c)
	}
	return out
}
