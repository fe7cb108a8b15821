package model

import (
	"slices"
	"sort"
	"time"
)

// How much serving history a listing keeps in memory: enough for the
// detail's 30-day uptime strip and the Health tab's 24-hour timeline. Longer
// history lives in the history store, not in the Market.
const (
	HealthDaysKept   = 30             // daily worst states
	HealthTimelineOf = 24 * time.Hour // span of the sample-by-sample timeline
)

// HealthSample is a listing's derived serving state at one endpoints poll.
type HealthSample struct {
	At     time.Time
	Health Health
}

// HealthDay is the worst serving state a listing was seen in on one UTC day.
type HealthDay struct {
	Day   time.Time // UTC midnight
	Worst Health
}

// HealthHistoryUpdate brings a listing's serving history from the history
// store: daily worst states and the samples of the last 24 hours. It merges
// with what the market holds (a day keeps the worse of the two states), so
// it may arrive before or after live endpoints.
type HealthHistoryUpdate struct {
	ListingID string
	Days      []HealthDay
	Timeline  []HealthSample
}

// Kind implements Update.
func (HealthHistoryUpdate) Kind() string { return "health_history" }

func (u HealthHistoryUpdate) apply(m *Market) {
	e := m.lookup(u.ListingID)
	if e == nil {
		return
	}
	e.ownHealth()
	for _, d := range u.Days {
		if !d.Day.IsZero() {
			e.noteDay(dayOf(d.Day), d.Worst)
		}
	}
	for _, s := range u.Timeline {
		if !s.At.IsZero() {
			e.noteSample(s)
		}
	}
	e.trimHealth()
}

// lookup finds a listing's entry by id or join key.
func (m *Market) lookup(id string) *entry {
	if e := m.entries[id]; e != nil {
		return e
	}
	if j, ok := m.joins[id]; ok {
		return m.entries[j]
	}
	return nil
}

// recordHealth notes the state derived from a fresh endpoints poll.
func (e *entry) recordHealth(at time.Time, h Health) {
	if at.IsZero() {
		return
	}
	e.ownHealth()
	e.noteDay(dayOf(at), h)
	e.noteSample(HealthSample{At: at, Health: h})
	e.trimHealth()
}

// ownHealth makes healthDays and healthLog the entry's own before an edit
// in place (noteDay, noteSample, trimHealth): when a snapshot holds them,
// the edit goes to copies (see entry.pub).
func (e *entry) ownHealth() {
	e.detail = nil // the edit shows in the next snapshot's detail
	if e.healthShared {
		e.healthDays = slices.Clone(e.healthDays)
		e.healthLog = slices.Clone(e.healthLog)
		e.healthShared = false
	}
}

func (e *entry) noteDay(day time.Time, h Health) {
	i := sort.Search(len(e.healthDays), func(i int) bool { return !e.healthDays[i].Day.Before(day) })
	if i < len(e.healthDays) && e.healthDays[i].Day.Equal(day) {
		if h > e.healthDays[i].Worst {
			e.healthDays[i].Worst = h
		}
		return
	}
	e.healthDays = append(e.healthDays, HealthDay{})
	copy(e.healthDays[i+1:], e.healthDays[i:])
	e.healthDays[i] = HealthDay{Day: day, Worst: h}
}

func (e *entry) noteSample(s HealthSample) {
	n := len(e.healthLog)
	if n == 0 || e.healthLog[n-1].At.Before(s.At) { // the usual case: in order
		e.healthLog = append(e.healthLog, s)
		return
	}
	i := sort.Search(n, func(i int) bool { return !e.healthLog[i].At.Before(s.At) })
	if i < n && e.healthLog[i].At.Equal(s.At) {
		e.healthLog[i] = s
		return
	}
	e.healthLog = append(e.healthLog, HealthSample{})
	copy(e.healthLog[i+1:], e.healthLog[i:])
	e.healthLog[i] = s
}

// trimHealth keeps the last HealthDaysKept days and HealthTimelineOf of
// samples, measured from the newest held: memory stays bounded by the
// retention, not by uptime.
func (e *entry) trimHealth() {
	if n := len(e.healthDays); n > HealthDaysKept {
		e.healthDays = append(e.healthDays[:0], e.healthDays[n-HealthDaysKept:]...)
	}
	if n := len(e.healthLog); n > 0 {
		cut := e.healthLog[n-1].At.Add(-HealthTimelineOf)
		// Keep the last sample before the window too: the state in effect
		// when the window opens.
		i := sort.Search(n, func(i int) bool { return e.healthLog[i].At.After(cut) }) - 1
		if i > 0 {
			e.healthLog = append(e.healthLog[:0], e.healthLog[i:]...)
		}
	}
}

// KeptAlert is an alert as the history store keeps it: the alert and
// whether it is a one-off event (which resolves after the event TTL) rather
// than a condition.
type KeptAlert struct {
	Alert Alert
	Event bool
}

// IsEvent reports whether the alert is a one-off event, not a condition.
func (a Alert) IsEvent() bool { return a.event }

// AlertsUpdate restores alerts kept by the history store, so that alerts
// survive a restart with their state and acknowledgement. An alert already
// in the log (same key and start) takes the kept acknowledgement and, when
// the kept one resolved, its resolution; others join the log. A restored
// firing condition resolves as usual once it stops holding.
type AlertsUpdate struct {
	Alerts []KeptAlert
}

// Kind implements Update.
func (AlertsUpdate) Kind() string { return "alerts" }

func (u AlertsUpdate) apply(m *Market) {
	l := m.alerts
	kept := append([]KeptAlert(nil), u.Alerts...)
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Alert.Since.Before(kept[j].Alert.Since) })
	for _, k := range kept {
		a := k.Alert
		if a.Key == "" || a.Since.IsZero() {
			continue
		}
		if held := l.find(a.Key, a.Since); held != nil {
			held.Acked = held.Acked || a.Acked
			if a.State == AlertResolved && held.State == AlertFiring {
				held.State, held.Resolved = AlertResolved, a.Resolved
				l.cond(a.Key).resolvedAt = a.Resolved
			}
			continue
		}
		a.event = k.Event
		c := l.cond(a.Key)
		c.last = maxTime(c.last, a.LastSeen)
		idx := l.add(a)
		if a.State == AlertFiring {
			if c.open == 0 || l.log[c.open-1].Since.Before(a.Since) {
				c.open = idx
				c.holds = max(c.holds, l.cfg.FireAfter)
			}
		} else if a.Resolved.After(c.resolvedAt) {
			c.resolvedAt = a.Resolved
		}
	}
	// The log is kept oldest first; restored alerts may be older than live ones.
	sort.SliceStable(l.log, func(i, j int) bool { return l.log[i].Since.Before(l.log[j].Since) })
	l.reindex()
	l.edits++ // a merge into a held alert shows too
}

// find returns the logged alert with this key and start, or nil.
func (l *alertLog) find(key string, since time.Time) *Alert {
	for _, a := range l.log {
		if a.Key == key && a.Since.Equal(since) {
			return a
		}
	}
	return nil
}
