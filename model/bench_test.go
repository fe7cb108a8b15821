package model

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// benchMarket is a market with n listings and 90 days of history.
func benchMarket(b *testing.B, n int) (*Market, []string) {
	b.Helper()
	m := NewMarket(Config{Source: "bench", Clock: fixedClock})
	authors := []string{"deepseek", "qwen", "openai", "anthropic", "google", "mistralai", "cohere", "minimax", "x-ai", "thedrummer"}
	ls := make([]Listing, n)
	ids := make([]string, n)
	for i := range ls {
		a := authors[i%len(authors)]
		ids[i] = fmt.Sprintf("%s/model-%d", a, i)
		ls[i] = Listing{ID: ids[i], Slug: ids[i] + "-20260101", Name: fmt.Sprintf("Model %d", i), Price: Price{Kind: PricePaid, In: 1, Out: 2, CacheRead: math.NaN()}}
	}
	m.Apply(CatalogueUpdate{At: t0, Listings: ls})
	for d := 0; d < 90; d++ {
		m.Apply(dayUpdate(ids, d))
	}
	return m, ids
}

func dayUpdate(ids []string, d int) UsageUpdate {
	u := UsageUpdate{At: day(d), Rows: make([]UsageRow, 0, len(ids)+1)}
	for i, id := range ids {
		u.Rows = append(u.Rows, UsageRow{Date: day(d), Slug: id, Tokens: uint64(1e9 + (i*7919+d*104729)%1e9)})
	}
	u.Rows = append(u.Rows, UsageRow{Date: day(d), Slug: OtherSlug, Tokens: 5e11})
	return u
}

// BenchmarkApply applies one full day of usage for 400 listings, alert
// rules included.
func BenchmarkApply(b *testing.B) { benchApplyDays(b, false) }

// benchApplyDays applies one of 64 days of usage after benchMarket's 90 on
// every iteration, and takes the Snapshot after it when snapshot is set.
func benchApplyDays(b *testing.B, snapshot bool) {
	m, ids := benchMarket(b, 400)
	ups := make([]UsageUpdate, 64)
	for i := range ups {
		ups[i] = dayUpdate(ids, 90+i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Apply(ups[i%len(ups)])
		if snapshot {
			_ = m.Snapshot()
		}
	}
}

// BenchmarkApplyCatalogue applies a 400-listing catalogue with no changes,
// as a 10-minute catalogue poll usually is.
func BenchmarkApplyCatalogue(b *testing.B) {
	m, ids := benchMarket(b, 400)
	ls := make([]Listing, len(ids))
	for i, id := range ids {
		ls[i] = Listing{ID: id, Slug: id + "-20260101", Name: fmt.Sprintf("Model %d", i), Price: Price{Kind: PricePaid, In: 1, Out: 2, CacheRead: math.NaN()}}
	}
	u := CatalogueUpdate{At: day(90), Listings: ls}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Apply(u)
	}
}

// BenchmarkSnapshot builds a snapshot of 400 listings with 90 days each.
func BenchmarkSnapshot(b *testing.B) {
	m, _ := benchMarket(b, 400)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.version++   // force a rebuild
		m.board = nil // of the board too, as an update of the listings does
		m.Snapshot()
	}
}

// BenchmarkApplyDayAndSnapshot applies one day of usage for 400 listings
// and takes the Snapshot the engine then sends: the whole cost of a new
// day on the market's goroutine.
func BenchmarkApplyDayAndSnapshot(b *testing.B) { benchApplyDays(b, true) }

// BenchmarkApplyNewDayAndSnapshot is BenchmarkApplyDayAndSnapshot with a
// day the market has not seen in every iteration, as the usage source
// brings one once a day: every series grows by a day and, from the 180th
// on, the oldest day is dropped (the retention). Giving the rows their day
// and volumes (401 stores) is inside the timing.
func BenchmarkApplyNewDayAndSnapshot(b *testing.B) { benchDayAndSnapshot(b, 90, false, newDay) }

// BenchmarkApplyNewDayAndSnapshotFullLog is BenchmarkApplyNewDayAndSnapshot
// in a market whose alert log is full.
func BenchmarkApplyNewDayAndSnapshotFullLog(b *testing.B) { benchDayAndSnapshot(b, 90, true, newDay) }

// newDay makes u the day after benchMarket's 90 plus i, with new volumes.
func newDay(u *UsageUpdate, i int) {
	d := 90 + i
	u.At = day(d)
	for k := range u.Rows {
		u.Rows[k].Date = u.At
		if u.Rows[k].Slug != OtherSlug {
			u.Rows[k].Tokens = uint64(1e9 + (k*7919+d*104729)%1e9)
		}
	}
}

// benchDayAndSnapshot applies the day d of benchMarket's 400 listings, as
// next changes it for each iteration, and takes the Snapshot after it; in
// a market whose alert log is full when fullLog is set.
func benchDayAndSnapshot(b *testing.B, d int, fullLog bool, next func(u *UsageUpdate, i int)) {
	m, ids := benchMarket(b, 400)
	if fullLog {
		fullAlertLog(m, d)
	}
	u := dayUpdate(ids, d)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		next(&u, i)
		m.Apply(u)
		_ = m.Snapshot()
	}
}

// BenchmarkSourceUpdateAndSnapshot applies one source's health, as every
// poll of every source reports it, and takes the Snapshot the engine then
// sends, at 400 listings with 90 days.
func BenchmarkSourceUpdateAndSnapshot(b *testing.B) { benchSourceUpdate(b, false) }

// BenchmarkSourceUpdateAndSnapshotFullLog is BenchmarkSourceUpdateAndSnapshot
// in a market whose alert log is full.
func BenchmarkSourceUpdateAndSnapshotFullLog(b *testing.B) { benchSourceUpdate(b, true) }

// benchSourceUpdate applies a source's health and takes the Snapshot, in a
// market whose alert log is full when fullLog is set.
func benchSourceUpdate(b *testing.B, fullLog bool) {
	m, _ := benchMarket(b, 400)
	if fullLog {
		fullAlertLog(m, 90)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		at := day(90).Add(time.Duration(i) * time.Second)
		m.Apply(SourceUpdate{Health: SourceHealth{Name: "status.anthropic", OK: true, LastSuccess: at, LastAttempt: at, Interval: time.Minute}})
		_ = m.Snapshot()
	}
}

// BenchmarkApplyRevisedDayAndSnapshot rewrites a day the market holds with
// new volumes for every listing in every iteration (an upstream revision)
// and takes the Snapshot: the worst case for the series a snapshot shares,
// each copied once before its first write.
func BenchmarkApplyRevisedDayAndSnapshot(b *testing.B) {
	benchDayAndSnapshot(b, 89, false, func(u *UsageUpdate, i int) {
		for k := range u.Rows {
			if u.Rows[k].Slug != OtherSlug {
				u.Rows[k].Tokens = uint64(1e9 + (k*7919+i*104729)%1e9)
			}
		}
	})
}

// fullAlertLog fills the market's alert log to its limit (500) with price
// events of the day before d, as months of running leave it: a snapshot
// holds a copy of the log.
func fullAlertLog(m *Market, d int) {
	for i := range m.alerts.cfg.MaxLog {
		at := day(d - 1).Add(time.Duration(i) * time.Minute)
		id := fmt.Sprintf("bench/model-%d", i)
		m.alerts.event(fmt.Sprintf("price:%s:%d", id, at.Unix()), at, Alert{Kind: AlertPrice, Severity: SeverityWarn,
			Subject: id, Message: fmt.Sprintf("Model %d price hike: in $1.00 → $1.20 (+20%%) per M", i)})
	}
}
