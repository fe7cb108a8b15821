package history

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// benchStore opens a store whose writer the benchmark drives directly (the
// goroutine is idle: nothing is queued).
func benchStore(b *testing.B) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "h.db"), Options{Clock: fixedClock(t0)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkPersistCatalogue persists one poll of the real 414-listing
// catalogue (goal: ≤ 2 ms unchanged, ≤ 5 ms with 10% of prices changed).
func BenchmarkPersistCatalogue(b *testing.B) {
	for _, tc := range []struct {
		name  string
		every int // reprice every n-th listing; 0: none
	}{{"unchanged", 0}, {"10pct_changed", 10}} {
		b.Run(tc.name, func(b *testing.B) {
			s := benchStore(b)
			cat := realCatalogue(b)
			if err := s.w.writeBatch([]model.Update{model.CatalogueUpdate{At: t0, Listings: cat}}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				at := t0.Add(time.Duration(i+1) * 10 * time.Minute)
				ls := cat
				if tc.every > 0 {
					ls = append([]model.Listing(nil), cat...)
					for j := i % tc.every; j < len(ls); j += tc.every {
						ls[j].Price = scaledPrice(ls[j].Price, 1+float64(i+1)/100)
					}
				}
				batch := []model.Update{model.CatalogueUpdate{At: at, Source: "catalogue", Listings: ls},
					model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: at, LastAttempt: at, Interval: 10 * time.Minute}}}
				if err := s.w.writeBatch(batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// fill90Days writes 90 days of history for 500 listings: hourly volumes,
// a price change every 10 days for a tenth of them, 10-minute endpoints
// for 15 watched listings with three providers.
func fill90Days(b *testing.B, s *Store) time.Time {
	b.Helper()
	ls := make([]model.Listing, 500)
	for i := range ls {
		ls[i] = model.Listing{ID: fmt.Sprintf("author%d/model-%d", i%40, i), Slug: fmt.Sprintf("author%d/model-%d-2026", i%40, i),
			Name: fmt.Sprintf("Model %d", i), Author: fmt.Sprintf("author%d", i%40), ContextLength: 128000,
			Price: model.Price{Kind: model.PricePaid, In: float64(i%20) + 0.5, Out: float64(i%20)*4 + 2, CacheRead: math.NaN()}}
	}
	start := t0.AddDate(0, 0, -90)
	for d := 0; d < 90; d++ {
		day := start.AddDate(0, 0, d)
		var batch []model.Update
		if d%10 == 0 {
			for i := d / 10; i < len(ls); i += 10 {
				ls[i].Price = scaledPrice(ls[i].Price, 1.1)
			}
		}
		batch = append(batch, model.CatalogueUpdate{At: day, Listings: append([]model.Listing(nil), ls...)})
		rows := make([]model.UsageRow, 0, len(ls))
		for i, l := range ls {
			rows = append(rows, model.UsageRow{Date: day, Slug: l.Slug, Tokens: uint64((500-i)*1_000_000 + d)})
		}
		batch = append(batch, model.UsageUpdate{At: day.Add(23 * time.Hour), Rows: rows})
		for step := 0; step < 144; step++ {
			at := day.Add(time.Duration(step) * 10 * time.Minute)
			for w := 0; w < 15; w++ {
				eps := []model.Endpoint{{Provider: "A", Uptime5m: 99, Uptime30m: 99, Uptime1d: 99, LatencyP50: 700, ThroughputP50: 60},
					{Provider: "B", Uptime5m: 98, Uptime30m: 98, Uptime1d: 99}, {Provider: "C", Status: model.EndpointStatus(-(step % 7 / 6)), Uptime5m: 97}}
				batch = append(batch, model.EndpointsUpdate{At: at, ListingID: ls[w].ID, Endpoints: eps})
			}
		}
		if err := s.w.writeBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
	return start.AddDate(0, 0, 90)
}

// BenchmarkLoad90Days replays 90 days of history for 500 listings into an
// empty market, as at start (goal: ≤ 150 ms).
func BenchmarkLoad90Days(b *testing.B) {
	s := benchStore(b)
	now := fill90Days(b, s)
	b.ResetTimer()
	for b.Loop() {
		us, err := s.Load(context.Background(), LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		m := model.NewMarket(model.Config{Source: "openrouter", Clock: fixedClock(now)})
		for _, u := range us {
			m.Apply(u)
		}
		if snap := m.Snapshot(); len(snap.Listings) != 500 {
			b.Fatalf("%d listings", len(snap.Listings))
		}
	}
}

// BenchmarkSimulatedYear writes a year at the default intervals (catalogue
// of 414 listings every 10 min with a few price changes a week, endpoints
// every 2 min for 15 listings with 5 providers each, hourly usage for 50
// listings, 6 status pages) with the default retention, and reports the
// file's size (goal: ≤ 200 MB). One iteration takes minutes: run it with
// -benchtime 1x.
func BenchmarkSimulatedYear(b *testing.B) {
	for b.Loop() {
		start := t0.AddDate(-1, 0, 0)
		clock := start
		s, err := Open(filepath.Join(b.TempDir(), "h.db"), Options{Clock: func() time.Time { return clock }})
		if err != nil {
			b.Fatal(err)
		}
		cat := realCatalogue(b)
		var batch []model.Update
		for tick := 0; tick < 365*24*30; tick++ { // 2-minute ticks
			at := start.Add(time.Duration(tick) * 2 * time.Minute)
			clock = at
			if tick%5 == 0 {
				if tick%(5*6*24*2) == 0 { // a price change every other day
					i := (tick / 1440) % len(cat)
					cat[i].Price = scaledPrice(cat[i].Price, 0.9)
				}
				batch = append(batch, model.CatalogueUpdate{At: at, Listings: cat},
					model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: at, LastAttempt: at, Interval: 10 * time.Minute}})
			}
			for w := 0; w < 15; w++ {
				eps := make([]model.Endpoint, 5)
				for p := range eps {
					eps[p] = model.Endpoint{Provider: fmt.Sprintf("Provider%d", p), Quantization: "fp8", Uptime5m: 90 + float64((tick+p)%10),
						Uptime30m: 95 + float64(tick%5), Uptime1d: 99.5, LatencyP50: 500 + float64(tick%300), ThroughputP50: 40 + float64(tick%50)/3}
				}
				batch = append(batch, model.EndpointsUpdate{At: at, ListingID: cat[w].ID, Endpoints: eps})
			}
			if tick%30 == 0 {
				rows := make([]model.UsageRow, 50)
				for i := range rows {
					rows[i] = model.UsageRow{Date: at, Slug: cat[i].Slug, Tokens: uint64((50-i)*1_000_000*(at.Hour()+1) + tick)}
				}
				batch = append(batch, model.UsageUpdate{At: at, Rows: rows})
			}
			for p := 0; p < 6; p++ {
				page := model.StatusPage{Name: fmt.Sprintf("page%d", p), Status: model.StatusOperational}
				if (tick/720+p)%20 == 0 { // an incident a day every 20 days on each page
					page.Status = model.StatusDegraded
					page.Incidents = []model.Incident{{ID: fmt.Sprintf("inc%d", tick/720), Title: "Elevated errors", Impact: model.StatusDegraded, Started: at}}
				}
				batch = append(batch, model.StatusUpdate{At: at, Page: page})
			}
			if tick%30 == 29 { // one transaction per simulated hour keeps the run short; the rows are the same
				if err := s.w.writeBatch(batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
				if tick%720 == 719 {
					if err := s.w.compact(at); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		path := s.Path()
		s.Close()
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		mb := float64(fi.Size()) / 1e6
		b.ReportMetric(mb, "MB")
		if mb > 200 {
			b.Errorf("a simulated year takes %.1f MB, over the 200 MB goal", mb)
		}
	}
}
