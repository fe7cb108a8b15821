package model

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func eps(n, deranked int, u5, u1d, lat, thr float64) []Endpoint {
	out := make([]Endpoint, n)
	for i := range out {
		out[i] = Endpoint{Provider: "p", Uptime5m: u5, Uptime30m: u5, Uptime1d: u1d, LatencyP50: lat, ThroughputP50: thr}
		if i < deranked {
			out[i].Status = -2
		}
	}
	return out
}

func alertsOf(s *Snapshot, kind AlertKind) []Alert {
	var out []Alert
	for _, a := range s.Alerts {
		if a.Kind == kind {
			out = append(out, a)
		}
	}
	return out
}

func capacityMarket(cfg AlertConfig) *Market {
	m := NewMarket(Config{Clock: fixedClock, Alerts: cfg})
	m.Apply(CatalogueUpdate{At: t0, Listings: []Listing{{ID: "z-ai/glm-5", Name: "GLM-5", Price: paid(0.3, 2.55)}}})
	return m
}

func TestCapacityRule(t *testing.T) {
	healthy := eps(9, 0, 96.58, 99.37, 800, 40) // the captured payload's wander is healthy
	tests := []struct {
		name    string
		samples [][]Endpoint
		fires   bool
		want    []string // substrings of the message
	}{
		{"healthy wander", [][]Endpoint{healthy, healthy, healthy, healthy}, false, nil},
		{"one bad sample is not enough", [][]Endpoint{healthy, eps(9, 0, 91.2, 99.1, 800, 40), healthy}, false, nil},
		{"uptime drop held", [][]Endpoint{healthy, eps(9, 0, 91.2, 99.1, 800, 40), eps(9, 0, 91.2, 99.1, 800, 40)}, true,
			[]string{"GLM-5 degraded", "uptime 5m 91.2% vs 99.1% 1d"}},
		{"a third deranked", [][]Endpoint{eps(9, 3, 99, 99, 800, 40), eps(9, 4, 99, 99, 800, 40)}, true, []string{"4/9 endpoints deranked"}},
		{"latency doubled", [][]Endpoint{healthy, healthy, healthy, eps(9, 0, 97, 99, 1700, 40), eps(9, 0, 97, 99, 1800, 40)}, true,
			[]string{"latency p50 1800ms (2.2× baseline)"}},
		{"throughput halved", [][]Endpoint{healthy, healthy, healthy, eps(9, 0, 97, 99, 800, 19), eps(9, 0, 97, 99, 800, 18)}, true,
			[]string{"throughput p50 18 tok/s"}},
		{"latency unknown without a key", [][]Endpoint{eps(2, 0, 99, 99, math.NaN(), math.NaN()), eps(2, 0, 99, 99, math.NaN(), math.NaN())}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := capacityMarket(AlertConfig{})
			for i, s := range tt.samples {
				m.Apply(EndpointsUpdate{At: t0.Add(time.Duration(i) * time.Minute), ListingID: "z-ai/glm-5", Endpoints: s})
			}
			got := alertsOf(m.Snapshot(), AlertCapacity)
			if (len(got) > 0) != tt.fires {
				t.Fatalf("fired %d alerts, want fired=%v: %+v", len(got), tt.fires, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got[0].Message, w) {
					t.Errorf("message %q lacks %q", got[0].Message, w)
				}
			}
			if tt.fires && (got[0].Subject != "z-ai/glm-5" || got[0].State != AlertFiring || got[0].Severity != SeverityWarn) {
				t.Errorf("alert %+v", got[0])
			}
		})
	}
}

// A degradation after a usage surge, or soon after a launch, reads as
// capacity-driven, with the surge or the launch in the message.
func TestCapacityDrivenMessages(t *testing.T) {
	tests := []struct {
		name          string
		days          [3]int // GLM-5's daily tokens are before from days[0] to days[1], then after to days[2]
		before, after uint64
		bad           []Endpoint
		want          string
	}{
		{"usage surged", [3]int{0, 7, 14}, 100, 280, eps(9, 4, 91.2, 99.1, 800, 40),
			"GLM-5 degraded: uptime 5m 91.2% vs 99.1% 1d, 4/9 endpoints deranked, tokens +180% w/w (capacity-driven?)"},
		{"newly launched", [3]int{0, 10, 15}, 0, 126e9, eps(9, 3, 90, 97.7, 800, 40),
			"GLM-5 degraded: uptime 5m 90.0% vs 97.7% 1d, 3/9 endpoints deranked, launched 5 days ago, 630B tokens since (capacity-driven?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := capacityMarket(AlertConfig{})
			m.Apply(usageDays(tt.days[0], tt.days[1], map[string]uint64{"z-ai/glm-5": tt.before}))
			m.Apply(usageDays(tt.days[1], tt.days[2], map[string]uint64{"z-ai/glm-5": tt.after}))
			m.Apply(EndpointsUpdate{At: day(14), ListingID: "z-ai/glm-5", Endpoints: tt.bad})
			m.Apply(EndpointsUpdate{At: day(14).Add(time.Minute), ListingID: "z-ai/glm-5", Endpoints: tt.bad})
			got := alertsOf(m.Snapshot(), AlertCapacity)
			if len(got) != 1 || got[0].Message != tt.want {
				t.Fatalf("got %+v\nwant message %q", got, tt.want)
			}
		})
	}
}

func TestHysteresisResolveAndRefire(t *testing.T) {
	m := capacityMarket(AlertConfig{FireAfter: 2, ResolveAfter: 3, Cooldown: 10 * time.Minute})
	bad, good := eps(3, 0, 80, 99, 1, 1), eps(3, 0, 99, 99, 1, 1)
	at := t0
	step := func(e []Endpoint) []Alert {
		at = at.Add(time.Minute)
		m.Apply(EndpointsUpdate{At: at, ListingID: "z-ai/glm-5", Endpoints: e})
		return alertsOf(m.Snapshot(), AlertCapacity)
	}
	step(bad)
	if got := step(bad); len(got) != 1 || got[0].State != AlertFiring {
		t.Fatalf("rising edge: %+v", got)
	}
	step(good)
	step(good)
	if got := step(bad); got[0].State != AlertFiring {
		t.Fatal("resolved before ResolveAfter healthy samples")
	}
	step(good)
	step(good)
	got := step(good)
	if len(got) != 1 || got[0].State != AlertResolved || !got[0].Resolved.Equal(at) {
		t.Fatalf("falling edge: %+v", got)
	}
	// Within the cooldown it cannot fire again; after it, it can.
	step(bad)
	step(bad)
	if got := step(bad); len(got) != 1 {
		t.Fatalf("fired again inside the cooldown: %+v", got)
	}
	at = at.Add(10 * time.Minute)
	if got := step(bad); len(got) != 2 || got[0].State != AlertFiring {
		t.Fatalf("did not fire again after the cooldown: %+v", got)
	}
}

func TestFlappingSignalRaisesAtMostOneAlertPerCooldown(t *testing.T) {
	m := capacityMarket(AlertConfig{FireAfter: 1, ResolveAfter: 1, Cooldown: 30 * time.Minute})
	bad, good := eps(3, 0, 80, 99, 1, 1), eps(3, 0, 99, 99, 1, 1)
	for i := 0; i < 120; i++ { // two hours, one sample a minute, flapping every sample
		e := good
		if i%2 == 0 {
			e = bad
		}
		m.Apply(EndpointsUpdate{At: t0.Add(time.Duration(i) * time.Minute), ListingID: "z-ai/glm-5", Endpoints: e})
	}
	got := alertsOf(m.Snapshot(), AlertCapacity)
	if len(got) > 4 || len(got) < 2 {
		t.Fatalf("%d alerts in two hours of flapping with a 30 min cooldown, want 2..4", len(got))
	}
	for i := 1; i < len(got); i++ {
		if gap := got[i-1].Since.Sub(got[i].Since); gap < 30*time.Minute {
			t.Errorf("alerts %v apart, inside the cooldown", gap)
		}
	}
}

func TestAcknowledge(t *testing.T) {
	m := NewMarket(Config{Clock: fixedClock, Alerts: AlertConfig{FireAfter: 1}})
	m.Apply(CatalogueUpdate{At: t0, Listings: []Listing{{ID: "z-ai/glm-5", Name: "GLM-5"}, {ID: "a/x", Name: "X"}}})
	m.Apply(EndpointsUpdate{At: t0, ListingID: "z-ai/glm-5", Endpoints: eps(3, 0, 80, 99, 1, 1)})
	m.Apply(EndpointsUpdate{At: t0, ListingID: "a/x", Endpoints: eps(3, 3, 99, 99, 1, 1)})
	s := m.Snapshot()
	if len(s.Alerts) != 2 || !s.Alerts[0].Unacked() {
		t.Fatalf("%+v", s.Alerts)
	}
	m.Apply(AckUpdate{Keys: []string{"capacity:z-ai/glm-5"}})
	s = m.Snapshot()
	acked := 0
	for _, a := range s.Alerts {
		if a.Acked {
			acked++
			if a.Subject != "z-ai/glm-5" {
				t.Errorf("acked the wrong alert: %+v", a)
			}
		}
	}
	if acked != 1 {
		t.Fatalf("acked %d, want 1", acked)
	}
	m.Apply(AckUpdate{All: true})
	for _, a := range m.Snapshot().Alerts {
		if !a.Acked {
			t.Errorf("AckAll left %+v", a)
		}
	}
}

func TestOutageRule(t *testing.T) {
	m := NewMarket(Config{Clock: fixedClock})
	page := StatusPage{Name: "claude", Authors: []string{"anthropic"}, Status: StatusDegraded, Incidents: []Incident{
		{ID: "a", Title: "Degraded performance for Claude Opus 5", Impact: StatusDegraded, Status: "identified", Started: t0},
		{ID: "b", Title: "Elevated errors", Impact: StatusMajorOutage, Status: "investigating", Started: t0.Add(time.Hour)},
	}}
	m.Apply(StatusUpdate{At: t0, Page: page})
	got := alertsOf(m.Snapshot(), AlertOutage)
	if len(got) != 2 {
		t.Fatalf("%d outage alerts, want 2: %+v", len(got), got)
	}
	var crit int
	for _, a := range got {
		if a.Severity == SeverityCrit {
			crit++
		}
		if !strings.Contains(a.Message, "serves anthropic") || a.Subject != "claude" {
			t.Errorf("message %q subject %q", a.Message, a.Subject)
		}
	}
	if crit != 1 {
		t.Errorf("%d crit, want 1 (the major outage)", crit)
	}
	// One incident ends; then the page is operational.
	page.Incidents = page.Incidents[1:]
	m.Apply(StatusUpdate{At: t0.Add(2 * time.Hour), Page: page})
	page.Incidents, page.Status = nil, StatusOperational
	m.Apply(StatusUpdate{At: t0.Add(3 * time.Hour), Page: page})
	for _, a := range alertsOf(m.Snapshot(), AlertOutage) {
		if a.State != AlertResolved {
			t.Errorf("still firing after the page healed: %+v", a)
		}
	}
	// A degraded page without incidents still alerts, naming the components.
	page.Status = StatusPartialOutage
	page.Components = []Component{{Name: "Claude API", Status: StatusPartialOutage}, {Name: "claude.ai", Status: StatusOperational}}
	m.Apply(StatusUpdate{At: t0.Add(4 * time.Hour), Page: page})
	got = alertsOf(m.Snapshot(), AlertOutage)
	if got[0].State != AlertFiring || !strings.Contains(got[0].Message, "Claude API partial outage") {
		t.Errorf("component outage: %+v", got[0])
	}
}

func TestPriceRule(t *testing.T) {
	tests := []struct {
		name      string
		from, to  Price
		fires     bool
		severity  Severity
		substring string
	}{
		{"glm-5 hike", paid(0.3, 2.55), paid(0.95, 2.55), true, SeverityWarn, "GLM-5 price hike: in $0.30 → $0.95 (+217%), out $2.55 per M"},
		{"cut", paid(0.3, 1.2), paid(0.25, 1.0), true, SeverityInfo, "price cut"},
		{"small move", paid(3, 15), paid(3, 14), false, 0, ""},
		{"free to paid is not a price move", Price{Kind: PriceFree}, paid(1, 1), false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMarket(Config{Clock: fixedClock})
			m.Apply(CatalogueUpdate{At: t0, Listings: []Listing{{ID: "z-ai/glm-5", Name: "GLM-5", Price: tt.from}}})
			m.Apply(CatalogueUpdate{At: day(1), Listings: []Listing{{ID: "z-ai/glm-5", Name: "GLM-5", Price: tt.to}}})
			m.Apply(CatalogueUpdate{At: day(2), Listings: []Listing{{ID: "z-ai/glm-5", Name: "GLM-5", Price: tt.to}}}) // no change: no second alert
			got := alertsOf(m.Snapshot(), AlertPrice)
			if (len(got) == 1) != tt.fires || len(got) > 1 {
				t.Fatalf("got %+v, want fires=%v", got, tt.fires)
			}
			if tt.fires && (got[0].Severity != tt.severity || !strings.Contains(got[0].Message, tt.substring)) {
				t.Errorf("got %+v, want severity %s and %q", got[0], tt.severity, tt.substring)
			}
		})
	}
}

func TestListingRule(t *testing.T) {
	m := NewMarket(Config{Clock: fixedClock})
	m.Apply(CatalogueUpdate{At: t0, Listings: []Listing{{ID: "a/old", Name: "Old", Expires: day(30)}}})
	if got := m.Snapshot().Alerts; len(got) != 0 {
		t.Fatalf("the first catalogue raised %+v", got)
	}
	m.Apply(CatalogueUpdate{At: day(1), Listings: []Listing{{ID: "minimax/minimax-m2.5", Name: "MiniMax M2.5", Price: paid(0.3, 1.2)}}})
	got := alertsOf(m.Snapshot(), AlertListing)
	if len(got) != 1 || got[0].Message != "New listing: MiniMax M2.5 (minimax, CN) at $0.30/$1.20 per M" {
		t.Fatalf("new listing: %+v", got)
	}
	m.Apply(CatalogueUpdate{At: day(20), Listings: []Listing{{ID: "a/old", Name: "Old", Expires: day(30)}}})
	got = alertsOf(m.Snapshot(), AlertListing)
	if len(got) != 2 || got[0].Message != "Old expires on 2026-03-03 (in 10 days)" || got[0].State != AlertFiring {
		t.Fatalf("expiry: %+v", got)
	}
	m.Apply(CatalogueUpdate{At: day(31), Listings: []Listing{{ID: "a/old", Name: "Old", Expires: day(30)}}})
	if got := alertsOf(m.Snapshot(), AlertListing); got[0].State != AlertResolved {
		t.Errorf("expiry alert still firing after the date: %+v", got[0])
	}
}

func TestSurgeRankAndCrossoverRules(t *testing.T) {
	m := newTestMarket()
	m.Apply(CatalogueUpdate{At: t0, Listings: []Listing{{ID: "moonshotai/kimi-k2.5", Name: "Kimi K2.5", Price: paid(0.45, 2.25)}}})
	base := map[string]uint64{"anthropic/claude-sonnet-4.5": 1000, "moonshotai/kimi-k2.5": 300, "minimax/minimax-m2.5": 10}
	for d := 0; d < 14; d++ {
		m.Apply(usageDays(d, d+1, base))
	}
	for _, a := range m.Snapshot().Alerts {
		if a.Kind != AlertListing { // Kimi K2.5 was a new listing; nothing else is news
			t.Fatalf("a steady market raised %+v", a)
		}
	}
	surge := map[string]uint64{"anthropic/claude-sonnet-4.5": 1000, "moonshotai/kimi-k2.5": 3000, "minimax/minimax-m2.5": 10}
	for d := 14; d < 24; d++ {
		m.Apply(usageDays(d, d+1, surge))
	}
	s := m.Snapshot()
	sg := alertsOf(s, AlertSurge)
	if len(sg) != 1 || sg[0].Subject != "moonshotai/kimi-k2.5" || !strings.Contains(sg[0].Message, "Kimi K2.5 tokens +") {
		t.Errorf("surge: %+v", sg)
	}
	rk := alertsOf(s, AlertRank)
	if len(rk) != 1 || !strings.Contains(rk[0].Message, "Kimi K2.5 is the new #1") || !strings.Contains(rk[0].Message, "passing Claude Sonnet 4.5") {
		t.Errorf("rank: %+v", rk)
	}
	cx := alertsOf(s, AlertCrossover)
	if len(cx) != 1 || cx[0].Subject != "CN" || !strings.Contains(cx[0].Message, "CN passed US in token share") || cx[0].Severity != SeverityWarn {
		t.Errorf("crossover: %+v", cx)
	}
	// A week on, the growth is gone: the surge resolves.
	for d := 24; d < 40; d++ {
		m.Apply(usageDays(d, d+1, surge))
	}
	if sg := alertsOf(m.Snapshot(), AlertSurge); len(sg) != 1 || sg[0].State != AlertResolved {
		t.Errorf("surge did not resolve: %+v", sg)
	}
	for _, a := range m.Snapshot().Alerts {
		if a.Kind == AlertRank && a.State != AlertResolved {
			t.Errorf("rank event still firing after its TTL: %+v", a)
		}
	}
}

func TestWeekOf(t *testing.T) {
	for in, want := range map[string]string{"2026-02-16": "2026-02-16", "2026-02-22": "2026-02-16", "2026-02-19": "2026-02-16", "2026-02-15": "2026-02-09"} {
		d, _ := time.Parse("2006-01-02", in)
		if got := WeekOf(d.Add(13 * time.Hour)).Format("2006-01-02"); got != want {
			t.Errorf("WeekOf(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestAlertLogIsBounded(t *testing.T) {
	m := NewMarket(Config{Clock: fixedClock, Alerts: AlertConfig{MaxLog: 10, FireAfter: 1, ResolveAfter: 1}})
	m.Apply(CatalogueUpdate{At: t0, Listings: []Listing{{ID: "a/x", Name: "X", Price: paid(1, 1)}}})
	for i := 0; i < 100; i++ {
		p := paid(1, 1)
		if i%2 == 0 {
			p = paid(2, 2)
		}
		m.Apply(CatalogueUpdate{At: t0.Add(time.Duration(i) * time.Hour), Listings: []Listing{{ID: "a/x", Name: "X", Price: p}}})
	}
	if n := len(m.Snapshot().Alerts); n != 10 {
		t.Errorf("log holds %d alerts, want the cap of 10", n)
	}
}

func TestATinyListingDoublingIsNoSurge(t *testing.T) {
	m := newTestMarket()
	for d := 0; d < 14; d++ {
		m.Apply(usageDays(d, d+1, map[string]uint64{"anthropic/claude-sonnet-4.5": 100000, "mistralai/mistral-large": 100}))
	}
	for d := 14; d < 24; d++ { // mistral triples but stays at 0.3% of tokens
		m.Apply(usageDays(d, d+1, map[string]uint64{"anthropic/claude-sonnet-4.5": 100000, "mistralai/mistral-large": 300}))
	}
	if got := alertsOf(m.Snapshot(), AlertSurge); len(got) != 0 {
		t.Fatalf("a listing under the 0.5%% share floor raised %+v", got)
	}
	m = NewMarket(Config{Clock: fixedClock, Window: 7, Retention: 30, Alerts: AlertConfig{SurgeMinShare: -1}})
	m.Apply(CatalogueUpdate{At: t0, Listings: []Listing{{ID: "mistralai/mistral-large", Name: "Mistral Large"}, {ID: "anthropic/claude-sonnet-4.5", Name: "Sonnet"}}})
	for d := 0; d < 14; d++ {
		m.Apply(usageDays(d, d+1, map[string]uint64{"anthropic/claude-sonnet-4.5": 100000, "mistralai/mistral-large": 100}))
	}
	for d := 14; d < 24; d++ {
		m.Apply(usageDays(d, d+1, map[string]uint64{"anthropic/claude-sonnet-4.5": 100000, "mistralai/mistral-large": 300}))
	}
	if got := alertsOf(m.Snapshot(), AlertSurge); len(got) != 1 {
		t.Fatalf("with no share floor the same tripling raised %d surges, want 1", len(got))
	}
}

// TestAlertIDTellsFiringsApart: one condition that fires again later is a
// new alert, and the id reads the same in every time zone.
func TestAlertIDTellsFiringsApart(t *testing.T) {
	t0 := time.Date(2026, 2, 17, 12, 0, 0, 0, time.UTC)
	a := Alert{Key: "capacity:z-ai/glm-5", Since: t0}
	b := Alert{Key: "capacity:z-ai/glm-5", Since: t0.Add(time.Hour)}
	if a.ID() == b.ID() {
		t.Errorf("two firings share the id %q", a.ID())
	}
	if want := "capacity:z-ai/glm-5@2026-02-17T12:00:00Z"; a.ID() != want {
		t.Errorf("id %q, want %q", a.ID(), want)
	}
	local := Alert{Key: a.Key, Since: t0.In(time.FixedZone("X", 3600))}
	if local.ID() != a.ID() {
		t.Errorf("the id depends on the time zone: %q vs %q", local.ID(), a.ID())
	}
}

// TestCrossoverFiresWhileTheLeadHolds: a crossover alert stays FIRING for as
// long as the leader leads (weeks, past any event lifetime) and resolves on
// the day the lead reverses, which raises its own alert.
func TestCrossoverFiresWhileTheLeadHolds(t *testing.T) {
	m := newTestMarket()
	us := map[string]uint64{"anthropic/claude-sonnet-4.5": 3000, "minimax/minimax-m2.5": 100}
	cn := map[string]uint64{"anthropic/claude-sonnet-4.5": 100, "minimax/minimax-m2.5": 3000}
	for d := 0; d < 10; d++ {
		m.Apply(usageDays(d, d+1, us))
	}
	for d := 10; d < 35; d++ { // CN leads for 25 days
		m.Apply(usageDays(d, d+1, cn))
		cx := alertsOf(m.Snapshot(), AlertCrossover)
		if d >= 20 && (len(cx) != 1 || cx[0].State != AlertFiring) {
			t.Fatalf("day %d, CN still leading: %+v", d, cx)
		}
	}
	for d := 35; d < 50; d++ { // US back ahead
		m.Apply(usageDays(d, d+1, us))
	}
	var cnPassed, usPassed *Alert
	for _, a := range alertsOf(m.Snapshot(), AlertCrossover) {
		switch a.Subject {
		case "CN":
			cnPassed = &a
		case "US":
			usPassed = &a
		}
	}
	if cnPassed == nil || usPassed == nil {
		t.Fatalf("want CN passed US and US passed CN back: %+v", alertsOf(m.Snapshot(), AlertCrossover))
	}
	if cnPassed.State != AlertResolved || usPassed.State != AlertFiring {
		t.Errorf("CN passed US %s, US passed CN %s; want resolved and firing", cnPassed.State, usPassed.State)
	}
	if !cnPassed.Resolved.Equal(usPassed.Since) {
		t.Errorf("CN's lead resolved %v, US passed back %v: want the same day", cnPassed.Resolved, usPassed.Since)
	}
}

// TestAlertLogCopyFollowsEveryEdit edits the alert log in every way it
// changes and checks, after each edit, that the copy a snapshot gets (the
// last one while the log shows the same) equals a copy made afresh.
func TestAlertLogCopyFollowsEveryEdit(t *testing.T) {
	m := newTestMarket()
	l := m.alerts
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	surge := func(msg string) func() Alert { return func() Alert { return Alert{Kind: AlertSurge, Message: msg} } }
	for _, step := range []struct {
		name string
		edit func()
	}{
		{"a condition fires", func() { l.sampleWith("surge:a", true, at(0), 1, 1, surge("+120%")) }},
		{"it holds with a new message", func() { l.sampleWith("surge:a", true, at(1), 1, 1, surge("+150%")) }},
		{"an event", func() { l.event("price:b", at(2), Alert{Kind: AlertPrice, Message: "cut"}) }},
		{"a lasting state opens", func() { l.lasting("crossover:CN>US:x", at(0), at(3), Alert{Kind: AlertCrossover}) }},
		{"it is seen again", func() { l.lasting("crossover:CN>US:x", at(0), at(4), Alert{}) }},
		{"it ends", func() { l.end("crossover:CN>US:x", at(5)) }},
		{"the event expires", func() { l.expire(at(200)) }},
		{"the condition clears", func() { l.sampleWith("surge:a", false, at(201), 1, 1, surge("")) }},
		{"an acknowledgement", func() { l.ack([]string{"price:b"}, false) }},
		{"the history store's copy merges in", func() {
			m.Apply(AlertsUpdate{Alerts: []KeptAlert{{Alert: Alert{Key: "surge:a", Since: at(0), State: AlertResolved, Acked: true}}}})
		}},
	} {
		before := l.snapshot()
		step.edit()
		got := l.snapshot()
		l.out = nil
		if want := l.snapshot(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the snapshot's copy\n%+v\nwant\n%+v", step.name, got, want)
		}
		if reflect.DeepEqual(got, before) {
			t.Errorf("%s: changed nothing a snapshot shows", step.name)
		}
	}
}
