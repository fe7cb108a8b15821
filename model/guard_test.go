package model

import (
	"math"
	"testing"
	"time"
)

// Tokens at the guard's ceiling on every listing and day overflow a uint64
// total many times over. Before, sums wrapped or saturated: listings showed
// 100% each and origins summed to 300%. Shares come from float64 sums now
// and always sum to 100.
func TestSharesSumTo100WhenTotalsOverflow(t *testing.T) {
	t0 := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	m := NewMarket(Config{Source: "openrouter", Clock: func() time.Time { return t0 }})
	ids := []string{"openai/a", "anthropic/b", "deepseek/c", "qwen/d", "mistralai/e", "google/f",
		"x-ai/g", "moonshotai/h", "z-ai/i", "meta-llama/j", "minimax/k", "cohere/l"}
	var ls []Listing
	var rows []UsageRow
	for _, id := range ids {
		ls = append(ls, Listing{ID: id, Name: id, Price: Price{Kind: PricePaid, In: 1, Out: 2, CacheRead: math.NaN()}})
		for d := 0; d < 14; d++ {
			rows = append(rows, UsageRow{Date: t0.AddDate(0, 0, -d), Slug: id, Tokens: MaxTokens})
		}
	}
	rows = append(rows, UsageRow{Date: t0, Slug: "openai/a", Tokens: math.MaxUint64}) // dropped with a warning
	m.Apply(CatalogueUpdate{At: t0, Source: "catalogue", Listings: ls})
	m.Apply(UsageUpdate{At: t0, Source: "usage", Rows: rows})
	s := m.Snapshot()

	var sum float64
	for _, v := range s.Listings {
		if v.Share <= 0 || v.Share > 100/float64(len(ids))+1e-9 {
			t.Errorf("%s: share %v%%, want %v%%", v.ID, v.Share, 100/float64(len(ids)))
		}
		sum += v.Share
	}
	if math.Abs(sum-100) > 1e-6 {
		t.Errorf("listing shares sum to %v%%", sum)
	}
	sum = 0
	for _, o := range s.Origins {
		sum += o.Share
		if o.Share < 0 || o.Share > 100 {
			t.Errorf("origin %s: %v%%", o.Origin, o.Share)
		}
	}
	if math.Abs(sum-100) > 1e-6 {
		t.Errorf("origin shares sum to %v%%", sum)
	}
	sum = 0
	for _, a := range s.Authors {
		sum += a.Share
	}
	if math.Abs(sum-100) > 1e-6 {
		t.Errorf("author shares sum to %v%%", sum)
	}
	if s.Total != math.MaxUint64 {
		t.Errorf("total %d: an overflowing sum must saturate, not wrap", s.Total)
	}
	if s.WarningCount != 1 || len(s.Warnings) != 1 {
		t.Errorf("warnings %v, want one for the 2^64-1 row", s.Warnings)
	}
}

// Prices that are not finite, negative or above the ceiling are dropped (the
// listing's price becomes unknown) with a warning; the variable marker and
// sane prices pass.
func TestGuardPrice(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		in       Price
		kind     PriceKind
		warnings bool
	}{
		{Price{Kind: PricePaid, In: 3, Out: 15, CacheRead: 0.3}, PricePaid, false},
		{Price{Kind: PricePaid, In: MaxPrice, Out: 0.1, CacheRead: nan}, PricePaid, false},
		{Price{Kind: PricePaid, In: 1e306, Out: 1, CacheRead: nan}, PriceUnknown, true},
		{Price{Kind: PricePaid, In: 1, Out: inf, CacheRead: nan}, PriceUnknown, true},
		{Price{Kind: PricePaid, In: nan, Out: 1, CacheRead: nan}, PriceUnknown, true},
		{Price{Kind: PricePaid, In: -0.5, Out: 1, CacheRead: nan}, PriceUnknown, true},
		{Price{Kind: PricePaid, In: 1, Out: 1, CacheRead: -1}, PricePaid, true},
		{Price{Kind: PriceVariable, In: nan, Out: nan, CacheRead: nan}, PriceVariable, false},
		{Price{Kind: PriceFree, CacheRead: nan}, PriceFree, false},
		{Price{Kind: 99}, PriceUnknown, true},
	}
	for _, c := range cases {
		got, what := GuardPrice(c.in)
		if got.Kind != c.kind || (what != "") != c.warnings {
			t.Errorf("GuardPrice(%+v) = %+v, %q; want kind %v, warning %v", c.in, got, what, c.kind, c.warnings)
		}
		if got.Kind == PricePaid && (!SanePrice(got.In) || !SanePrice(got.Out) || !(math.IsNaN(got.CacheRead) || SanePrice(got.CacheRead))) {
			t.Errorf("GuardPrice(%+v) let through %+v", c.in, got)
		}
	}
}

// VolumesNote asks for the key only when none is set; with one, it names
// the usage source's failure or says it has not answered yet.
func TestVolumesNote(t *testing.T) {
	usage := func(err string) SourceHealth { return SourceHealth{Name: "usage", OK: err == "", LastError: err} }
	cases := []struct {
		snap Snapshot
		want string
	}{
		{Snapshot{HasVolumes: true}, ""},
		{Snapshot{}, "token volumes need OPENROUTER_API_KEY"},
		{Snapshot{Sources: []SourceHealth{{Name: "ranking", OK: true}}}, "token volumes need OPENROUTER_API_KEY"},
		{Snapshot{KeySet: true}, "token volumes: waiting for the usage dataset"},
		{Snapshot{KeySet: true, Sources: []SourceHealth{usage("HTTP 401")}}, "token volumes unavailable: usage HTTP 401"},
		{Snapshot{Sources: []SourceHealth{usage("timed out")}}, "token volumes unavailable: usage timed out"}, // a replay of a keyed run
	}
	for _, c := range cases {
		if got := c.snap.VolumesNote(); got != c.want {
			t.Errorf("VolumesNote(%+v) = %q, want %q", c.snap.Sources, got, c.want)
		}
	}
}
