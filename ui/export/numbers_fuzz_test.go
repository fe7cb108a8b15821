package export

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// FuzzNumberGuards feeds the market any prices and token counts and checks
// what the number guards promise: every export still encodes and parses,
// paid prices are finite and within [0, MaxPrice], and shares sum to 100.
func FuzzNumberGuards(f *testing.F) {
	f.Add(3.0, 15.0, 0.3, uint64(1000), uint64(2000), uint64(500))
	f.Add(1e306, math.Inf(1), math.NaN(), uint64(math.MaxUint64), uint64(1e18), uint64(0))
	f.Add(-0.5, 2e6, -1.0, uint64(1e18), uint64(1e18), uint64(1e18))
	f.Add(math.NaN(), 0.0, 0.0, uint64(0), uint64(0), uint64(0))
	f.Fuzz(func(t *testing.T, in, out, cache float64, tokA, tokB, other uint64) {
		at := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
		m := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return at }})
		m.Apply(model.CatalogueUpdate{At: at, Source: "catalogue", Listings: []model.Listing{
			{ID: "openai/a", Name: "A", Price: model.Price{Kind: model.PricePaid, In: in, Out: out, CacheRead: cache},
				Overrides: []model.PriceOverride{{MinPromptTokens: 1000, UTCStart: -1, UTCEnd: -1, In: out, Out: in, CacheRead: math.NaN()}}},
			{ID: "deepseek/b", Name: "B", Price: model.Price{Kind: model.PricePaid, In: out, Out: in, CacheRead: math.NaN()}},
		}})
		var rows []model.UsageRow
		for d := 0; d < 10; d++ {
			day := at.AddDate(0, 0, -d)
			rows = append(rows, model.UsageRow{Date: day, Slug: "openai/a", Tokens: tokA},
				model.UsageRow{Date: day, Slug: "deepseek/b", Tokens: tokB},
				model.UsageRow{Date: day, Slug: model.OtherSlug, Tokens: other})
		}
		m.Apply(model.UsageUpdate{At: at, Source: "usage", Rows: rows})
		m.Apply(model.EndpointsUpdate{At: at, ListingID: "openai/a", Endpoints: []model.Endpoint{
			{Provider: "p", Uptime5m: in, Uptime30m: out, Uptime1d: cache, LatencyP50: in, ThroughputP50: out}}})
		s := m.Snapshot()

		for _, v := range s.Listings {
			if v.Price.Kind == model.PricePaid && (!model.SanePrice(v.Price.In) || !model.SanePrice(v.Price.Out)) {
				t.Fatalf("%s: paid price %+v passed the guard", v.ID, v.Price)
			}
			if math.IsNaN(v.Share) || v.Share < 0 || v.Share > 100+1e-9 {
				t.Fatalf("%s: share %v", v.ID, v.Share)
			}
		}
		if s.Attributed > 0 { // origins share the tokens attributed to listings
			var sum float64
			for _, o := range s.Origins {
				sum += o.Share
			}
			if math.Abs(sum-100) > 1e-6 {
				t.Fatalf("origin shares sum to %v", sum)
			}
		}

		r := Build(s)
		r.Extra = map[string]any{"cost": Costs(s, model.DefaultWorkload(), "openai/a"), "apps": Apps(s)}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, r); err != nil {
			t.Fatalf("snapshot JSON failed: %v", err)
		}
		if !json.Valid(buf.Bytes()) {
			t.Fatalf("snapshot JSON does not parse:\n%s", buf.Bytes())
		}
		buf.Reset()
		if err := WriteCSV(&buf, r); err != nil {
			t.Fatalf("CSV failed: %v", err)
		}
		buf.Reset()
		if err := WriteText(&buf, s, 40); err != nil {
			t.Fatalf("text failed: %v", err)
		}
		if bytes.Contains(buf.Bytes(), []byte("Inf")) || bytes.Contains(buf.Bytes(), []byte("NaN")) {
			t.Fatalf("text board shows a raw non-number:\n%s", buf.Bytes())
		}
	})
}
