package history

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds/openrouter"
	"github.com/tokentape/tokentape/model"
)

var (
	catalogueOnce sync.Once
	catalogue     []model.Listing
	catalogueErr  error
)

// realCatalogue is the real 414-listing catalogue of testdata.
func realCatalogue(t testing.TB) []model.Listing {
	t.Helper()
	catalogueOnce.Do(func() {
		f, err := os.Open(filepath.Join("testdata", "openrouter_models_2026-08-19.json.gz"))
		if err != nil {
			catalogueErr = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			catalogueErr = err
			return
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			catalogueErr = err
			return
		}
		catalogue, _, catalogueErr = openrouter.DecodeCatalogue(body)
	})
	if catalogueErr != nil {
		t.Fatal(catalogueErr)
	}
	if len(catalogue) != 414 {
		t.Fatalf("catalogue has %d listings, want 414", len(catalogue))
	}
	return append([]model.Listing(nil), catalogue...)
}

// t0 is the start of the simulated sessions.
var t0 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

func openTemp(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// scaledPrice returns the price moved by a factor (paid prices only).
func scaledPrice(p model.Price, f float64) model.Price {
	if p.Kind != model.PricePaid {
		return p
	}
	p.In, p.Out = math.Round(p.In*f*1e6)/1e6, math.Round(p.Out*f*1e6)/1e6
	return p
}

// watched are the listings whose endpoints the sessions poll.
var watched = []string{"anthropic/claude-sonnet-4", "deepseek/deepseek-chat-v3-0324", "openai/gpt-4o"}

// session is a recorded live session: two days of 10-minute polls of the
// real catalogue (a -20% price cut on one listing, 10% of prices raised on
// the second day, a new listing), a 60-day usage backfill and hourly
// volumes, endpoints of three watched listings (one degrades for an hour and
// goes down), a status page with an incident that opens and resolves, source
// health, and an acknowledgement. Each element is one batch as a sink gets it.
func session(t testing.TB) [][]model.Update {
	cat := realCatalogue(t)
	if raceEnabled { // the first 100 listings and the watched ones
		small := cat[:100:100]
		for _, l := range cat[100:] {
			for _, w := range watched {
				if l.ID == w {
					small = append(small, l)
				}
			}
		}
		cat = small
	}
	var out [][]model.Update
	slugs := make([]string, 0, 50)
	for _, l := range cat[:50] {
		slugs = append(slugs, l.Slug)
	}
	var backfill []model.UsageRow
	for d := 60; d >= 1; d-- {
		for i, s := range slugs {
			backfill = append(backfill, model.UsageRow{Date: t0.AddDate(0, 0, -d), Slug: s, Tokens: uint64((50-i)*1_000_000_000 + d*1000)})
		}
		backfill = append(backfill, model.UsageRow{Date: t0.AddDate(0, 0, -d), Slug: model.OtherSlug, Tokens: 9e11})
	}
	out = append(out, []model.Update{model.UsageUpdate{At: t0, Source: "usage", Rows: backfill},
		model.SourceUpdate{Health: model.SourceHealth{Name: "usage", OK: true, LastSuccess: t0, LastAttempt: t0, Interval: time.Hour}}})
	incident := model.Incident{ID: "inc1", Title: "Elevated errors on Claude", Impact: model.StatusPartialOutage, Status: "investigating", Started: t0.Add(3 * time.Hour)}
	for step := 0; step < 2*24*6; step++ {
		at := t0.Add(time.Duration(step) * 10 * time.Minute)
		ls := append([]model.Listing(nil), cat...)
		if step >= 30 { // a -20% cut
			ls[5].Price = scaledPrice(ls[5].Price, 0.8)
		}
		if step >= 150 { // a tenth of the market raises its prices
			for i := 0; i < len(ls); i += 10 {
				ls[i].Price = scaledPrice(ls[i].Price, 1.25)
			}
		}
		if step >= 200 {
			ls = append(ls, model.Listing{ID: "newco/fresh-1", Slug: "newco/fresh-1-20261121", Name: "NewCo: Fresh 1", Author: "newco",
				ContextLength: 128000, Price: model.Price{Kind: model.PricePaid, In: 1, Out: 2, CacheRead: math.NaN()}})
		}
		batch := []model.Update{
			model.CatalogueUpdate{At: at, Source: "catalogue", Listings: ls},
			model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: at, LastAttempt: at, Interval: 10 * time.Minute}},
		}
		for i, id := range watched {
			up := 99.5
			status := model.EndpointStatus(0)
			if i == 0 && step >= 60 && step < 66 {
				up, status = 40, -5
			}
			if i == 0 && step >= 66 && step < 68 {
				up, status = 0, -10
			}
			eps := []model.Endpoint{
				{Provider: "ProviderA", Quantization: "fp8", Status: status, Uptime5m: up, Uptime30m: up, Uptime1d: 99.9, LatencyP50: 800, ThroughputP50: 55.5},
				{Provider: "ProviderB", Status: status, Uptime5m: up, Uptime30m: up, Uptime1d: 99, LatencyP50: math.NaN(), ThroughputP50: math.NaN()},
			}
			batch = append(batch, model.EndpointsUpdate{At: at, Source: "endpoints", ListingID: id, Endpoints: eps})
		}
		page := model.StatusPage{Name: "claude", URL: "https://status.claude.com", Authors: []string{"anthropic"}, Status: model.StatusOperational, Updated: at}
		if step >= 18 && step < 40 {
			page.Status = model.StatusPartialOutage
			page.Incidents = []model.Incident{incident}
		}
		batch = append(batch, model.StatusUpdate{At: at, Page: page})
		if step%6 == 0 {
			var rows []model.UsageRow
			for i, s := range slugs {
				rows = append(rows, model.UsageRow{Date: at, Slug: s, Tokens: uint64((50-i)*1_000_000_000/24*(at.Hour()+1) + step)})
			}
			batch = append(batch, model.UsageUpdate{At: at, Source: "usage", Rows: rows},
				model.SourceUpdate{Health: model.SourceHealth{Name: "usage", OK: true, LastSuccess: at, LastAttempt: at, Interval: time.Hour}})
		}
		if step == 250 {
			batch = append(batch, model.SourceUpdate{Health: model.SourceHealth{Name: "status.claude", OK: false, LastSuccess: at.Add(-time.Hour),
				LastAttempt: at, LastError: "HTTP 503", Interval: 2 * time.Minute}})
		}
		out = append(out, batch)
		if step == 100 {
			out = append(out, []model.Update{model.AckUpdate{All: true}})
		}
	}
	return out
}

// live applies a session to a market as the engine does and records it as
// the program does (each batch, then the alerts of the new snapshot).
func live(t testing.TB, s *Store, batches [][]model.Update, clock func() time.Time) *model.Market {
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: clock})
	for i, b := range batches {
		if s != nil && i%100 == 99 {
			s.Flush() // as a real session's pace would: polls minutes apart
		}
		for _, u := range b {
			m.Apply(u)
		}
		if s != nil {
			s.Record(b)
			s.RecordAlerts(m.Snapshot().Alerts)
		}
	}
	if s != nil {
		s.Flush()
	}
	return m
}

// restore opens a market from what a store kept.
func restore(t testing.TB, s *Store, opts LoadOptions, clock func() time.Time) *model.Market {
	t.Helper()
	us, err := s.Load(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: clock})
	for _, u := range us {
		m.Apply(u)
	}
	return m
}

// describe prints what a snapshot shows, for comparing two of them.
func describe(s *model.Snapshot) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "as of %s, %d listings, total %d, volumes %v\n", s.AsOf.Format(time.RFC3339Nano), len(s.Listings), s.Total, s.HasVolumes)
	for _, v := range s.Listings {
		fmt.Fprintf(&b, "%s #%d/%d %q %s ctx=%d tok=%d first=%s price=%v health=%s\n", v.ID, v.Rank, v.PrevRank, v.Name, v.Origin, v.Listing().ContextLength,
			v.Tokens, v.FirstSeen().Format(time.RFC3339), fmtPrice(v.Price), v.Health)
		for _, p := range v.PriceHistory() {
			fmt.Fprintf(&b, "  price %s %s\n", p.At.Format(time.RFC3339), fmtPrice(p.Price))
		}
		fmt.Fprintf(&b, "  series %v\n", v.Series)
		for _, e := range v.Endpoints() {
			fmt.Fprintf(&b, "  ep %s %s %d %.2f %.2f %.2f %.0f %.1f\n", e.Provider, e.Quantization, e.Status, e.Uptime5m, e.Uptime30m, e.Uptime1d, e.LatencyP50, e.ThroughputP50)
		}
		if len(v.Endpoints()) > 0 {
			fmt.Fprintf(&b, "  endpoints at %s\n", v.EndpointsAt().Format(time.RFC3339))
		}
		for _, d := range v.HealthDays() {
			fmt.Fprintf(&b, "  day %s %s\n", d.Day.Format("2006-01-02"), d.Worst)
		}
	}
	for _, p := range s.StatusPages {
		fmt.Fprintf(&b, "page %s %s %d incidents\n", p.Name, p.Status, len(p.Incidents))
	}
	for _, h := range s.Sources {
		fmt.Fprintf(&b, "source %s ok=%v last=%s err=%q every %s\n", h.Name, h.OK, h.LastSuccess.Format(time.RFC3339), h.LastError, h.Interval)
	}
	for _, a := range s.Alerts {
		fmt.Fprintf(&b, "alert %s %s %s since %s %s acked=%v resolved=%s\n", a.Kind, a.Key, a.Severity, a.Since.Format(time.RFC3339), a.State, a.Acked, a.Resolved.Format(time.RFC3339))
	}
	return b.String()
}

func fmtPrice(p model.Price) string {
	return fmt.Sprintf("%s/%g/%g/%g", p.Kind, p.In, p.Out, p.CacheRead)
}
