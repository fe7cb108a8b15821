package model

import (
	"fmt"
	"math"
	"sync"
	"testing"
	"time"
)

// shareSteps are updates that reach every way the market changes what a
// snapshot shares: a day rewritten, a day added, an older day backfilled,
// the oldest days dropped by the retention, a serving-health day and
// timeline edited in place (out of order too), a new price and new
// indexes, a new listing, and a stub from usage.
func shareSteps() []Update {
	a, b, c := "minimax/minimax-m2.5", "anthropic/claude-sonnet-4.5", "mistralai/mistral-large"
	idx := func(v float64) Indexes {
		return Indexes{Source: "catalogue", Intelligence: v, Coding: math.NaN(), Agentic: math.NaN()}
	}
	cat := func(at time.Time, priceA float64, intelA float64, extra ...Listing) CatalogueUpdate {
		return CatalogueUpdate{At: at, Listings: append([]Listing{
			{ID: a, Slug: a + "-20260211", Name: "MiniMax M2.5", Price: paid(priceA, 1.2), Indexes: idx(intelA)},
			{ID: b, Slug: "anthropic/claude-4.5-sonnet-20250929", Name: "Claude Sonnet 4.5", Price: paid(3, 15)},
			{ID: c, Name: "Mistral Large", Price: paid(2, 6)},
		}, extra...)}
	}
	eps := func(at time.Time, id string, status EndpointStatus, up float64) EndpointsUpdate {
		return EndpointsUpdate{At: at, ListingID: id, Endpoints: []Endpoint{
			{Provider: "p1", Status: status, Uptime5m: up, Uptime30m: up, Uptime1d: 99, LatencyP50: 300, ThroughputP50: 50},
			{Provider: "p2", Status: 0, Uptime5m: 99, Uptime30m: 99, Uptime1d: 99, LatencyP50: 250, ThroughputP50: 60},
		}}
	}
	vols := map[string]uint64{a + "-20260211": 5e9, "anthropic/claude-4.5-sonnet-20250929": 3e9, c: 1e9, OtherSlug: 2e10}
	more := map[string]uint64{a + "-20260211": 9e9, "anthropic/claude-4.5-sonnet-20250929": 1e9, c: 4e9, OtherSlug: 1e10}
	return []Update{
		cat(day(0), 0.3, 40),
		usageDays(3, 12, vols),
		eps(day(11).Add(time.Hour), a, 0, 99),
		eps(day(11).Add(3*time.Hour), a, -1, 97),
		usageDays(10, 12, more),                   // rewrites held days
		usageDays(2, 3, vols),                     // an older day, shifted in place when the array has room
		eps(day(11).Add(5*time.Hour), a, -10, 20), // the day's worst, edited in place
		eps(day(11).Add(4*time.Hour), a, 0, 99),   // an older sample, inserted
		// The history store's serving history, merged in place.
		HealthHistoryUpdate{ListingID: a, Days: []HealthDay{{Day: day(11), Worst: HealthDown}, {Day: day(10), Worst: HealthOK}},
			Timeline: []HealthSample{{At: day(11).Add(2 * time.Hour), Health: HealthDown}}},
		cat(day(12), 0.2, 45),   // a price cut and new indexes
		usageDays(12, 13, vols), // a new day
		usageDays(0, 2, vols),   // older days: the series shift
		eps(day(13).Add(time.Hour), b, 0, 98),
		usageDays(13, 40, more), // past the retention: the oldest days go
		cat(day(40), 0.2, 45, Listing{ID: "qwen/qwen3", Name: "Qwen3", Price: paid(0.1, 0.4)}),
		usageDays(40, 41, map[string]uint64{"qwen/qwen3": 7e9, "deepseek/deepseek-v9-20270101": 3e9}),
		// A listing changes origin: the day totals per origin move with it.
		CatalogueUpdate{At: day(41), Listings: []Listing{{ID: c, Author: "qwen", Name: "Mistral Large", Price: paid(2, 6)}}},
		usageDays(38, 41, more),
		// Updates that leave the board: the next snapshot shares it.
		SourceUpdate{Health: SourceHealth{Name: "usage", OK: true, LastSuccess: day(41)}},
		StatusUpdate{At: day(41), Page: StatusPage{Name: "Anthropic", Status: StatusMajorOutage}},
		eps(day(41).Add(time.Hour), c, -10, 10), // and one that changes it
	}
}

// TestSnapshotsShareNothingTheMarketWrites takes a snapshot after every
// step, then checks each still prints as it did when it was taken (the
// market shares series, prices, endpoints and health with its snapshots
// and must copy before it writes them), and that a market which took no
// snapshot on the way ends in the same state.
func TestSnapshotsShareNothingTheMarketWrites(t *testing.T) {
	steps := shareSteps()
	m := NewMarket(Config{Source: "test", Clock: fixedClock, Retention: 30, Window: 7})
	var taken []*Snapshot
	var printed []string
	for i, u := range steps {
		m.Apply(u)
		s := m.Snapshot()
		taken = append(taken, s)
		printed = append(printed, fmt.Sprintf("%+v", *s))
		checkDailyTotals(t, i, m)
	}
	for i, s := range taken {
		if got := fmt.Sprintf("%+v", *s); got != printed[i] {
			t.Errorf("the snapshot after step %d changed after it was taken:\nthen %.400s\nnow  %.400s", i, printed[i], got)
		}
	}

	fresh := NewMarket(Config{Source: "test", Clock: fixedClock, Retention: 30, Window: 7})
	for _, u := range steps {
		fresh.Apply(u)
	}
	if got, want := fmt.Sprintf("%+v", *fresh.Snapshot()), printed[len(printed)-1]; got != want {
		t.Errorf("taking snapshots on the way changed the market:\nwith    %.400s\nwithout %.400s", want, got)
	}
	last := taken[len(taken)-1]
	if v, ok := last.Listing("minimax/minimax-m2.5"); !ok || len(v.Series) != 30 || v.Series[1] != 5e9 || v.Series[28] != 9e9 || len(v.PriceHistory()) != 2 {
		t.Errorf("the last snapshot's MiniMax: %+v", v)
	}
	if v, ok := last.Listing("deepseek/deepseek-v9-20270101"); !ok || !v.Unlisted || v.Tokens != 3e9 {
		t.Errorf("the last snapshot's stub: %+v", v)
	}
	first := taken[2]
	if v, _ := first.Listing("minimax/minimax-m2.5"); len(v.HealthTimeline()) != 1 || v.HealthTimeline()[0].Health != HealthOK {
		t.Errorf("the health timeline of step 2: %+v", v.HealthTimeline())
	}
}

// TestSnapshotsReadWhileTheMarketMoves reads every shared slice of old
// snapshots on other goroutines while the market applies the steps: under
// -race, a write to anything a snapshot holds is reported.
func TestSnapshotsReadWhileTheMarketMoves(t *testing.T) {
	m := NewMarket(Config{Source: "test", Clock: fixedClock, Retention: 30, Window: 7})
	var wg sync.WaitGroup
	read := func(s *Snapshot) {
		defer wg.Done()
		var sum float64
		for range 3 {
			for i := range s.Listings {
				v := &s.Listings[i]
				for _, x := range v.Series {
					sum += float64(x)
				}
				for _, p := range v.PriceHistory() {
					sum += p.Price.In
				}
				for _, e := range v.Endpoints() {
					sum += e.Uptime5m
				}
				for _, h := range v.HealthDays() {
					sum += float64(h.Worst)
				}
				for _, h := range v.HealthTimeline() {
					sum += float64(h.Health)
				}
				sum += float64(len(v.IndexHistory()))
			}
			for _, d := range s.Days {
				sum += float64(d.Unix())
			}
		}
		_ = sum
	}
	for _, u := range shareSteps() {
		m.Apply(u)
		wg.Add(1)
		go read(m.Snapshot())
	}
	wg.Wait()
}

// checkDailyTotals compares the market's kept day totals per origin, and
// their trailing-window sums, with the same sums made afresh from every
// series.
func checkDailyTotals(t *testing.T, step int, m *Market) {
	t.Helper()
	if !m.hasVolumes {
		return // kept for the shares, which need volumes
	}
	want := make([][]float64, len(Origins))
	for o := range want {
		want[o] = make([]float64, m.days)
	}
	for _, e := range m.ents {
		if o := originIndex(e.l.Origin); o >= 0 {
			for k, v := range e.tokens {
				want[o][k] += float64(v)
			}
		}
	}
	if got := fmt.Sprint(m.daily); got != fmt.Sprint(want) {
		t.Errorf("step %d: day totals per origin\n got %v\nwant %v", step, got, want)
	}
	// The kept trailing-window sums, against the same sums made afresh.
	w := m.cfg.Window
	win := make([][]float64, len(want))
	for o, d := range want {
		win[o] = make([]float64, len(d))
		for k := range d {
			for _, x := range d[max(k-w+1, 0) : k+1] {
				win[o][k] += x
			}
		}
	}
	if got := fmt.Sprint(m.win); m.winOK != m.days || got != fmt.Sprint(win) {
		t.Errorf("step %d: window sums per origin (%d of %d days current)\n got %v\nwant %v", step, m.winOK, m.days, got, win)
	}
}

// TestBoardKeptAcrossUpdatesThatLeaveIt checks that a snapshot after an
// update that changes no listing (a source's health, a status page) shares
// the last one's listings and shares, and that one after an update of a
// listing does not.
func TestBoardKeptAcrossUpdatesThatLeaveIt(t *testing.T) {
	m := newTestMarket()
	m.Apply(usageDays(0, 14, map[string]uint64{"minimax/minimax-m2.5": 100, "mistralai/mistral-large": 50}))
	s1 := m.Snapshot()
	m.Apply(SourceUpdate{Health: SourceHealth{Name: "usage", OK: true, LastSuccess: day(14)}})
	s2 := m.Snapshot()
	if s2 == s1 || len(s2.Sources) != 1 || s2.Sources[0].Name != "usage" {
		t.Fatalf("no new snapshot with the source: %+v", s2.Sources)
	}
	if &s2.Listings[0] != &s1.Listings[0] || &s2.OriginSeries[OriginCN][0] != &s1.OriginSeries[OriginCN][0] {
		t.Error("a source's health rebuilt the board")
	}
	if v, ok := s2.Listing("minimax/minimax-m2.5"); !ok || v.Tokens != 700 || v.Rank != 1 {
		t.Errorf("the kept board's MiniMax: %+v", v)
	}
	m.Apply(EndpointsUpdate{At: day(14), ListingID: "minimax/minimax-m2.5", Endpoints: []Endpoint{{Provider: "p", Status: -10, Uptime5m: 10, Uptime1d: 99}}})
	s3 := m.Snapshot()
	if &s3.Listings[0] == &s2.Listings[0] {
		t.Fatal("an endpoints update kept the board")
	}
	if v, _ := s3.Listing("minimax/minimax-m2.5"); v.Health != HealthDown {
		t.Errorf("after its endpoints went down, MiniMax is %v", v.Health)
	}
	if v, _ := s2.Listing("minimax/minimax-m2.5"); v.Health != HealthUnknown {
		t.Errorf("the snapshot before the endpoints says MiniMax is %v", v.Health)
	}
}

// TestSnapshotDetailsFollowTheMarket checks that the Details a snapshot
// shares with the last one are only ever those nothing has changed: after
// every step (the share steps, then indexes from the benchmarks dataset, a
// serving history and endpoints), the snapshot prints as one built with
// every Detail and every origin's window sums made anew; and a day of
// usage keeps the details.
func TestSnapshotDetailsFollowTheMarket(t *testing.T) {
	steps := append(shareSteps(),
		BenchmarkUpdate{At: day(41), Source: "benchmarks", Rows: []BenchmarkRow{{Slug: "mistralai/mistral-large",
			Indexes: Indexes{Intelligence: 30, Coding: math.NaN(), Agentic: math.NaN()}}}},
		HealthHistoryUpdate{ListingID: "mistralai/mistral-large", Days: []HealthDay{{Day: day(40), Worst: HealthDegraded}}},
		EndpointsUpdate{At: day(41).Add(2 * time.Hour), ListingID: "mistralai/mistral-large", Endpoints: []Endpoint{{Provider: "p", Uptime5m: 99, Uptime1d: 99}}},
		// Endpoints without a time record no serving history, and still show.
		EndpointsUpdate{ListingID: "mistralai/mistral-large", Endpoints: []Endpoint{{Provider: "q", Uptime5m: 98, Uptime1d: 99}}},
	)
	m := NewMarket(Config{Source: "test", Clock: fixedClock, Retention: 30, Window: 7})
	var rebuilt *Snapshot
	for i, u := range steps {
		m.Apply(u)
		got := fmt.Sprintf("%+v", *m.Snapshot())
		for _, e := range m.entries {
			e.detail = nil
		}
		m.board, m.winOK = nil, 0
		rebuilt = m.withAlerts(m.build(fixedClock()))
		if want := fmt.Sprintf("%+v", *rebuilt); got != want {
			at := 0 // where the prints part, to show the stale field
			for at < min(len(got), len(want)) && got[at] == want[at] {
				at++
			}
			at = max(at-200, 0)
			t.Errorf("step %d (%T) showed a stale detail:\ngot  …%.400s\nwant …%.400s", i, u, got[at:], want[at:])
		}
	}
	before, _ := rebuilt.Listing("mistralai/mistral-large")
	if before.Indexes().Intelligence != 30 || len(before.HealthDays()) != 2 {
		t.Fatalf("the dataset's indexes or the serving history are missing: %+v", *before.Detail)
	}
	m.Apply(usageDays(41, 42, map[string]uint64{"mistralai/mistral-large": 5e9}))
	after, _ := m.Snapshot().Listing("mistralai/mistral-large")
	if after.Detail != before.Detail || after.Tokens == before.Tokens {
		t.Errorf("a day of usage made the detail anew (%p, %p) or kept the tokens (%d)", before.Detail, after.Detail, after.Tokens)
	}
}

// TestWindowSumsFollowTheDays checks the origins' kept trailing-window sums
// against sums made afresh after the day changes that write no volume, so
// that only the move of the days can make a kept window stale: days older
// than those held with no tokens (the held ones shift), a new day with no
// tokens, and new days past the retention with none (the oldest go).
func TestWindowSumsFollowTheDays(t *testing.T) {
	a, b, c := "minimax/minimax-m2.5-20260211", "anthropic/claude-4.5-sonnet-20250929", "mistralai/mistral-large"
	m := newTestMarket()
	for i, u := range []Update{
		// Every listing has volume, so none is retired when days go: the
		// day totals are then kept, not summed anew.
		usageDays(5, 12, map[string]uint64{a: 5e9, b: 3e9, c: 1e9}),
		usageDays(2, 4, map[string]uint64{a: 0}), // older days, shifting the held ones
		usageDays(12, 13, map[string]uint64{c: 0}),
		usageDays(13, 30, map[string]uint64{a: 7e9, c: 2e9}),
		usageDays(30, 33, map[string]uint64{c: 0}), // past the retention of 30 days
	} {
		m.Apply(u)
		m.Snapshot()
		checkDailyTotals(t, i, m)
	}
	if m.days != 30 || len(m.entries) != 3 {
		t.Fatalf("%d days and %d listings held, want the retention's 30 and all 3", m.days, len(m.entries))
	}
}

// TestAlertsKeptAcrossUpdatesThatLeaveThem checks that a snapshot after an
// update that cannot touch the alert log (a source's health) shares the
// last one's copy of it, and that one after an update that changes alerts
// (an acknowledgement, a status page) shows the change while the snapshots
// taken before keep what they showed.
func TestAlertsKeptAcrossUpdatesThatLeaveThem(t *testing.T) {
	m := newTestMarket()
	outage := func(at time.Time, st PageStatus) StatusUpdate {
		return StatusUpdate{At: at, Page: StatusPage{Name: "claude", Authors: []string{"anthropic"}, Status: st}}
	}
	m.Apply(outage(day(1), StatusMajorOutage))
	s1 := m.Snapshot()
	if len(s1.Alerts) != 1 || s1.Alerts[0].State != AlertFiring {
		t.Fatalf("the outage raised %+v", s1.Alerts)
	}
	m.Apply(SourceUpdate{Health: SourceHealth{Name: "status.claude", OK: true, LastSuccess: day(1)}})
	s2 := m.Snapshot()
	if s2 == s1 || &s2.Alerts[0] != &s1.Alerts[0] {
		t.Error("a source's health copied the alert log anew")
	}
	m.Apply(AckUpdate{All: true})
	s3 := m.Snapshot()
	m.Apply(outage(day(1).Add(time.Hour), StatusOperational))
	s4 := m.Snapshot()
	if !s3.Alerts[0].Acked || s2.Alerts[0].Acked {
		t.Errorf("acked: %v after the ack, %v before it", s3.Alerts[0].Acked, s2.Alerts[0].Acked)
	}
	if s4.Alerts[0].State != AlertResolved || s3.Alerts[0].State != AlertFiring {
		t.Errorf("state: %v after the page recovered, %v before", s4.Alerts[0].State, s3.Alerts[0].State)
	}
}
