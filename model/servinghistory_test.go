package model

import (
	"testing"
	"time"
)

func TestHealthHistoryKeepsDailyWorstAndADayOfSamples(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	now := start.Add(40 * 24 * time.Hour)
	m := NewMarket(Config{Clock: func() time.Time { return now }})
	m.Apply(CatalogueUpdate{At: start, Listings: []Listing{{ID: "a/b", Price: Price{Kind: PriceFree}}}})
	ok := []Endpoint{{Provider: "P", Uptime5m: 99}}
	down := []Endpoint{{Provider: "P", Status: -10, Uptime5m: 0}}
	for h := 0; h < 40*24; h++ {
		eps := ok
		if h == 39*24+5 { // one bad hour on the last day
			eps = down
		}
		m.Apply(EndpointsUpdate{At: start.Add(time.Duration(h) * time.Hour), ListingID: "a/b", Endpoints: eps})
	}
	v, _ := m.Snapshot().Listing("a/b")
	if len(v.HealthDays()) != HealthDaysKept {
		t.Fatalf("%d days kept, want %d", len(v.HealthDays()), HealthDaysKept)
	}
	if last := v.HealthDays()[len(v.HealthDays())-1]; last.Worst != DeriveHealth(down) || !last.Day.Equal(start.AddDate(0, 0, 39)) {
		t.Errorf("last day %+v, want the bad hour's state on %s", last, start.AddDate(0, 0, 39))
	}
	if v.HealthDays()[0].Worst != HealthOK {
		t.Errorf("first day %+v, want OK", v.HealthDays()[0])
	}
	if n := len(v.HealthTimeline()); n != 25 {
		t.Errorf("timeline has %d samples, want the 24 of the last 24 hours and the one in effect when they began", n)
	}
}

func TestHealthHistoryUpdateMergesWithLiveSamples(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	m := NewMarket(Config{Clock: func() time.Time { return day.Add(30 * time.Hour) }})
	m.Apply(CatalogueUpdate{At: day, Listings: []Listing{{ID: "a/b", Price: Price{Kind: PriceFree}}}})
	m.Apply(EndpointsUpdate{At: day.Add(26 * time.Hour), ListingID: "a/b", Endpoints: []Endpoint{{Provider: "P", Uptime5m: 99}}})
	m.Apply(HealthHistoryUpdate{ListingID: "a/b",
		Days:     []HealthDay{{Day: day, Worst: HealthDegraded}, {Day: day.AddDate(0, 0, 1), Worst: HealthDown}},
		Timeline: []HealthSample{{At: day.Add(25 * time.Hour), Health: HealthDown}, {At: day.Add(20 * time.Hour), Health: HealthDegraded}}})
	m.Apply(HealthHistoryUpdate{ListingID: "no/such", Days: []HealthDay{{Day: day, Worst: HealthDown}}}) // ignored
	v, _ := m.Snapshot().Listing("a/b")
	if len(v.HealthDays()) != 2 || v.HealthDays()[0].Worst != HealthDegraded || v.HealthDays()[1].Worst != HealthDown {
		t.Errorf("days %+v", v.HealthDays())
	}
	want := []Health{HealthDegraded, HealthDown, HealthOK}
	if len(v.HealthTimeline()) != len(want) {
		t.Fatalf("timeline %+v", v.HealthTimeline())
	}
	for i, s := range v.HealthTimeline() {
		if s.Health != want[i] {
			t.Errorf("timeline[%d] = %v, want %v (in time order)", i, s.Health, want[i])
		}
	}
}

func TestAlertsUpdateRestoresAndMerges(t *testing.T) {
	at := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	m := NewMarket(Config{Clock: func() time.Time { return at }})
	m.Apply(CatalogueUpdate{At: at.Add(-time.Hour), Listings: []Listing{{ID: "a/b", Price: Price{Kind: PricePaid, In: 1, Out: 2}}}})
	m.Apply(CatalogueUpdate{At: at, Listings: []Listing{{ID: "a/b", Price: Price{Kind: PricePaid, In: 2, Out: 4}}}})
	live := m.Snapshot().Alerts
	if len(live) != 1 {
		t.Fatalf("want one price alert, got %+v", live)
	}
	old := Alert{Key: "outage:claude", Kind: AlertOutage, Severity: SeverityCrit, Subject: "claude", Message: "major outage",
		Since: at.Add(-48 * time.Hour), LastSeen: at.Add(-47 * time.Hour), Resolved: at.Add(-47 * time.Hour), State: AlertResolved, Acked: true}
	kept := live[0]
	kept.Acked = true
	m.Apply(AlertsUpdate{Alerts: []KeptAlert{{Alert: old}, {Alert: kept, Event: true}}})
	got := m.Snapshot().Alerts
	if len(got) != 2 {
		t.Fatalf("alerts %+v", got)
	}
	if got[0].Key != live[0].Key || !got[0].Acked || got[0].State != AlertFiring {
		t.Errorf("the live alert should take the kept acknowledgement: %+v", got[0])
	}
	if got[1].Key != old.Key || got[1].State != AlertResolved || !got[1].Resolved.Equal(old.Resolved) || !got[1].Acked {
		t.Errorf("the resolved alert should come back as it was: %+v", got[1])
	}
}
