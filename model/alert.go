package model

import "time"

// AlertKind names what an alert is about; the names are those of the
// snapshot JSON.
type AlertKind string

// The kinds of alert.
const (
	AlertCapacity  AlertKind = "capacity"  // a listing degrades against its own baseline
	AlertOutage    AlertKind = "outage"    // a status page reports a problem
	AlertPrice     AlertKind = "price"     // a list price moved 10% or more
	AlertSurge     AlertKind = "surge"     // token volume doubled period over period
	AlertRank      AlertKind = "rank"      // a new #1, or a listing entering or leaving the top 10
	AlertCrossover AlertKind = "crossover" // one origin's share passed another's
	AlertListing   AlertKind = "listing"   // a new listing, or one about to expire
)

// AlertKinds lists every kind in display order.
var AlertKinds = []AlertKind{AlertCapacity, AlertOutage, AlertPrice, AlertSurge, AlertRank, AlertCrossover, AlertListing}

// Severity grades an alert.
type Severity uint8

// The severities, least severe first.
const (
	SeverityInfo Severity = iota
	SeverityWarn
	SeverityCrit
)

// String names the severity as the snapshot JSON does.
func (s Severity) String() string {
	switch s {
	case SeverityWarn:
		return "warn"
	case SeverityCrit:
		return "crit"
	}
	return "info"
}

// AlertState is where an alert is in its life.
type AlertState uint8

// The alert lifecycle: FIRING, then RESOLVED.
const (
	AlertFiring AlertState = iota
	AlertResolved
)

// String names the state as the UI and the snapshot JSON show it.
func (s AlertState) String() string {
	if s == AlertResolved {
		return "RESOLVED"
	}
	return "FIRING"
}

// Alert is one alert in the log. Key deduplicates: one condition, one alert.
type Alert struct {
	Key      string
	Kind     AlertKind
	Severity Severity
	Subject  string // the listing, provider or origin it is about
	Message  string // what changed, in numbers
	Since    time.Time
	LastSeen time.Time
	Resolved time.Time // zero while firing
	State    AlertState
	Acked    bool

	event bool   // a one-off event (resolves after the TTL), not a condition
	seq   uint64 // order of creation, to break ties in Since
}

// ID identifies one alert across snapshots and runs: the key names the
// condition and the time it fired tells one firing from a later one
// ("capacity:z-ai/glm-5@2026-02-17T12:00:00Z"). Webhooks, the HTTP API and
// the Alerts tab's selection all use it.
func (a *Alert) ID() string { return a.Key + "@" + a.Since.UTC().Format(time.RFC3339Nano) }

// Unacked reports whether the alert is firing and not acknowledged: what the
// tab title and the header count.
func (a Alert) Unacked() bool { return a.State == AlertFiring && !a.Acked }
