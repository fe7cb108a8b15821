package export

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// TestCosts pins the cost table: free listings first by id, then cheapest
// first with ties by id; routers and aliases left out; the multiple of the
// reference and the range across overrides where there is one.
func TestCosts(t *testing.T) {
	at := time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	m := model.NewMarket(model.Config{Source: "demo", Clock: func() time.Time { return at }})
	paid := func(in, out float64) model.Price {
		return model.Price{Kind: model.PricePaid, In: in, Out: out, CacheRead: math.NaN()}
	}
	m.Apply(model.CatalogueUpdate{At: at, Listings: []model.Listing{
		{ID: "b/tie", Name: "Tie B", Price: paid(1, 3)},
		{ID: "ref/big", Name: "Reference", Price: paid(3, 15)},
		{ID: "a/tie", Name: "Tie A", Price: paid(3, 1)},
		{ID: "z/gratis:free", Name: "Z free", Price: model.Price{Kind: model.PriceFree, CacheRead: math.NaN()}},
		{ID: "c/cheap", Name: "Cheap", Price: paid(0.2, 0.2)},
		{ID: "m/gratis:free", Name: "M free", Price: model.Price{Kind: model.PriceFree, CacheRead: math.NaN()}},
		{ID: "d/night", Name: "Night discount", Price: paid(4, 4),
			Overrides: []model.PriceOverride{ // the windows cover the day; the base rate applies in neither
				{UTCStart: 0, UTCEnd: 800, In: 2, Out: 2, CacheRead: math.NaN()},
				{UTCStart: 800, UTCEnd: 2400, In: 5, Out: 5, CacheRead: math.NaN()}}},
		{ID: "r/router", Name: "Router", Price: model.Price{Kind: model.PriceVariable}},
		{ID: "~c/cheap", Name: "Cheap alias", Price: paid(0.2, 0.2), AliasOf: "c/cheap"},
	}})
	w := model.Workload{TokensPerDay: 1e6, InputShare: 0.5} // a day costs the mean of the two prices
	rows := Costs(m.Snapshot(), w, "ref/big")
	type want struct {
		id             string
		perDay         float64
		free           bool
		multiple       float64 // 0: none
		minDay, maxDay float64 // 0: no range
	}
	wants := []want{
		{id: "m/gratis:free", free: true},
		{id: "z/gratis:free", free: true},
		{id: "c/cheap", perDay: 0.2, multiple: 45},
		{id: "a/tie", perDay: 2, multiple: 4.5},
		{id: "b/tie", perDay: 2, multiple: 4.5},
		{id: "d/night", perDay: 4, multiple: 2.25, minDay: 2, maxDay: 5},
		{id: "ref/big", perDay: 9, multiple: 1},
	}
	if len(rows) != len(wants) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(wants), rows)
	}
	opt := func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	}
	for i, wt := range wants {
		r := rows[i]
		if r.ID != wt.id || r.PerDay != wt.perDay || r.PerMonth != round6(wt.perDay*model.DaysPerMonth) || r.Free != wt.free ||
			opt(r.Multiple) != wt.multiple || opt(r.MinPerDay) != wt.minDay || opt(r.MaxPerDay) != wt.maxDay {
			t.Errorf("row %d: %s %v/day %v/month free %v ×%v range %v–%v, want %+v", i, r.ID, r.PerDay, r.PerMonth, r.Free,
				opt(r.Multiple), opt(r.MinPerDay), opt(r.MaxPerDay), wt)
		}
	}
}

// TestCostOrderMatchesCosts: a CostOrder fed snapshot after snapshot, each
// a poll that repriced a few listings (made some free, variable or paid
// again, or added one) or changed the workload, returns what Costs returns
// for that snapshot alone: the kept order merges the moved listings in as
// a full sort would place them, and every row carries its new figures.
func TestCostOrderMatchesCosts(t *testing.T) {
	at := time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	m := model.NewMarket(model.Config{Source: "demo", Clock: func() time.Time { return at }})
	rnd := rand.New(rand.NewPCG(1, 2))
	price := func() model.Price {
		switch rnd.IntN(12) {
		case 0:
			return model.Price{Kind: model.PriceFree, CacheRead: math.NaN()}
		case 1:
			return model.Price{Kind: model.PriceVariable, CacheRead: math.NaN()}
		}
		// Few distinct prices, so ties (broken by id) are common.
		return model.Price{Kind: model.PricePaid, In: float64(rnd.IntN(8)) / 4, Out: float64(rnd.IntN(8)) / 2, CacheRead: math.NaN()}
	}
	var all []model.Listing
	for i := range 200 {
		all = append(all, model.Listing{ID: fmt.Sprintf("a%d/m-%03d", i%7, i), Name: fmt.Sprint("M ", i), Price: price()})
	}
	m.Apply(model.CatalogueUpdate{At: at, Listings: all})
	w := model.Workload{TokensPerDay: 1e6, InputShare: 0.5}
	var o CostOrder
	for round := range 60 {
		at = at.Add(time.Minute)
		u := model.CatalogueUpdate{At: at}
		switch {
		case round%10 == 9:
			w.InputShare = float64(rnd.IntN(5)) / 4
		case round%15 == 14:
			u.Listings = append(u.Listings, model.Listing{ID: fmt.Sprintf("new/m-%d", round), Name: "New", Price: price()})
		}
		for range rnd.IntN(6) {
			l := all[rnd.IntN(len(all))]
			l.Price = price()
			u.Listings = append(u.Listings, l)
		}
		m.Apply(u)
		s := m.Snapshot()
		got, want := o.Costs(s, w, "a0/m-000"), Costs(s, w, "a0/m-000")
		if !reflect.DeepEqual(got, want) {
			for i := range min(len(got), len(want)) {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("round %d: row %d is %+v, want %+v", round, i, got[i], want[i])
				}
			}
			t.Fatalf("round %d: %d rows, want %d", round, len(got), len(want))
		}
	}
}

// TestCostOrderPlacesAreTheRows: each row's place is its listing's.
func TestCostOrderPlacesAreTheRows(t *testing.T) {
	at := time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	m := model.NewMarket(model.Config{Source: "demo", Clock: func() time.Time { return at }})
	m.Apply(model.CatalogueUpdate{At: at, Listings: []model.Listing{
		{ID: "b/dear", Price: model.Price{Kind: model.PricePaid, In: 9, Out: 9}},
		{ID: "a/free:free", Price: model.Price{Kind: model.PriceFree}},
		{ID: "r/router", Price: model.Price{Kind: model.PriceVariable}},
		{ID: "c/cheap", Price: model.Price{Kind: model.PricePaid, In: 1, Out: 1}},
	}})
	s := m.Snapshot()
	var o CostOrder
	rows := o.Costs(s, model.Workload{TokensPerDay: 1e6, InputShare: 0.5}, "")
	if len(o.Places()) != len(rows) || len(rows) != 3 {
		t.Fatalf("%d places for %d rows, want 3", len(o.Places()), len(rows))
	}
	for i, p := range o.Places() {
		if s.Listings[p].ID != rows[i].ID {
			t.Errorf("row %d (%s) has the place of %s", i, rows[i].ID, s.Listings[p].ID)
		}
	}
}
