package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// AlertConfig holds the alert rules' thresholds. Zero fields take the
// defaults of DefaultAlertConfig.
type AlertConfig struct {
	// Capacity: a listing's endpoints against their own baseline.
	UptimeDrop       float64 // points the median 5-minute uptime sits below the 1-day median (5)
	DerankedFraction float64 // share of endpoints with status < 0 (1/3)
	LatencyFactor    float64 // latency p50 against its trailing baseline (2×)
	ThroughputFactor float64 // throughput p50 against its trailing baseline (0.5×)
	CapacitySurgePct float64 // usage growth that makes a degradation look capacity-driven (+50%)

	SurgePct       float64 // w/w token growth that is a surge (+100%)
	SurgeTop       int     // only listings ranked this high can surge (50)
	SurgeMinShare  float64 // nor those below this share of all tokens, percent (0.5; negative: no floor): a tiny model doubling is noise
	PriceChangePct float64 // list price move that alerts (10%)
	ExpiryDays     int     // an expiration date this close alerts (14)

	// Lifecycle: a condition fires after FireAfter consecutive samples hold
	// and resolves after ResolveAfter consecutive healthy ones; once resolved,
	// the same alert cannot fire again for Cooldown. One-off events (a price
	// change, a new #1, a crossover, a new listing) stay firing for EventTTL.
	FireAfter    int
	ResolveAfter int
	Cooldown     time.Duration
	EventTTL     time.Duration

	MaxLog int // alerts kept; the oldest resolved ones go first (500)
}

// DefaultAlertConfig returns the thresholds issue #4 and DESIGN.md set.
func DefaultAlertConfig() AlertConfig {
	return AlertConfig{
		UptimeDrop: 5, DerankedFraction: 1.0 / 3, LatencyFactor: 2, ThroughputFactor: 0.5,
		CapacitySurgePct: 50, SurgePct: 100, SurgeTop: 50, SurgeMinShare: 0.5, PriceChangePct: 10, ExpiryDays: 14,
		FireAfter: 2, ResolveAfter: 2, Cooldown: 30 * time.Minute, EventTTL: 72 * time.Hour,
		MaxLog: 500,
	}
}

// orDefault replaces a zero or negative threshold with its default: no rule
// means anything by a count, duration or factor that is not positive. (A NaN
// compares false and is kept.)
func orDefault[T int | float64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

func (c AlertConfig) withDefaults() AlertConfig {
	d := DefaultAlertConfig()
	orDefault(&c.UptimeDrop, d.UptimeDrop)
	orDefault(&c.DerankedFraction, d.DerankedFraction)
	orDefault(&c.LatencyFactor, d.LatencyFactor)
	orDefault(&c.ThroughputFactor, d.ThroughputFactor)
	orDefault(&c.CapacitySurgePct, d.CapacitySurgePct)
	orDefault(&c.SurgePct, d.SurgePct)
	orDefault(&c.PriceChangePct, d.PriceChangePct)
	// SurgeMinShare alone keeps a negative value's meaning (no floor).
	switch {
	case c.SurgeMinShare == 0:
		c.SurgeMinShare = d.SurgeMinShare
	case c.SurgeMinShare < 0:
		c.SurgeMinShare = 0
	}
	orDefault(&c.SurgeTop, d.SurgeTop)
	orDefault(&c.ExpiryDays, d.ExpiryDays)
	orDefault(&c.FireAfter, d.FireAfter)
	orDefault(&c.ResolveAfter, d.ResolveAfter)
	orDefault(&c.Cooldown, d.Cooldown)
	orDefault(&c.EventTTL, d.EventTTL)
	orDefault(&c.MaxLog, d.MaxLog)
	return c
}

// condition is the hysteresis state of one alert key.
type condition struct {
	holds, clears int       // consecutive samples for which the condition held / did not
	open          int       // index+1 in the log of the firing alert; 0 when none
	resolvedAt    time.Time // when it last resolved, for the cooldown
	last          time.Time // the last sample or event, for pruning
}

// alertLog is the engine's state: the log and the per-key hysteresis.
type alertLog struct {
	cfg   AlertConfig
	seq   uint64
	log   []*Alert // oldest first
	conds map[string]*condition
	order []*Alert // snapshot's scratch, reused
	// out is the log as snapshot last copied it, shared by the snapshots
	// while the log shows the same (edits counts every change a snapshot
	// would show, outEdits its value at the copy): every source reports
	// its health after each poll, and a full log is 500 alerts of 160
	// bytes.
	out             []Alert
	edits, outEdits uint64
}

func newAlertLog(cfg AlertConfig) *alertLog {
	return &alertLog{cfg: cfg.withDefaults(), conds: make(map[string]*condition)}
}

func (l *alertLog) cond(key string) *condition {
	c := l.conds[key]
	if c == nil {
		c = &condition{}
		l.conds[key] = c
	}
	return c
}

// sample feeds one observation of a condition. While it holds, mk builds the
// alert (its message carries the latest numbers). It fires after FireAfter
// holding samples, outside the cooldown, and resolves after ResolveAfter
// clear ones.
func (l *alertLog) sample(key string, holds bool, at time.Time, mk func() Alert) {
	l.sampleWith(key, holds, at, l.cfg.FireAfter, l.cfg.ResolveAfter, mk)
}

// sampleWith is sample with its own hysteresis: status pages are
// authoritative, so their alerts fire and resolve on the first sample.
func (l *alertLog) sampleWith(key string, holds bool, at time.Time, fireAfter, resolveAfter int, mk func() Alert) {
	c := l.cond(key)
	c.last = at
	if holds {
		c.holds++
		c.clears = 0
	} else {
		c.clears++
		c.holds = 0
	}
	firing := c.open > 0 && l.log[c.open-1].State == AlertFiring
	switch {
	case firing && holds:
		a := l.log[c.open-1]
		fresh := mk()
		a.Message, a.Severity, a.LastSeen = fresh.Message, max(a.Severity, fresh.Severity), at
		l.edits++
	case firing && c.clears >= resolveAfter:
		a := l.log[c.open-1]
		a.State, a.Resolved = AlertResolved, at
		c.resolvedAt = at
		l.edits++
	case !firing && holds && c.holds >= fireAfter:
		if !c.resolvedAt.IsZero() && at.Sub(c.resolvedAt) < l.cfg.Cooldown {
			return // a flapping signal: at most one alert per cooldown
		}
		a := mk()
		a.Key, a.Since, a.LastSeen, a.State = key, at, at, AlertFiring
		c.open = l.add(a)
	}
}

// event records a one-off alert. The same key raises nothing new while its
// alert is firing or within the cooldown after it resolved.
func (l *alertLog) event(key string, at time.Time, a Alert) {
	c := l.cond(key)
	c.last = at
	if c.open > 0 && l.log[c.open-1].State == AlertFiring {
		return
	}
	if !c.resolvedAt.IsZero() && at.Sub(c.resolvedAt) < l.cfg.Cooldown {
		return
	}
	a.Key, a.Since, a.LastSeen, a.State = key, at, at, AlertFiring
	a.event = true
	c.open = l.add(a)
}

// expire resolves events older than EventTTL as of now.
func (l *alertLog) expire(now time.Time) {
	for _, a := range l.log {
		if a.event && a.State == AlertFiring && now.Sub(a.Since) >= l.cfg.EventTTL {
			a.State, a.Resolved = AlertResolved, a.Since.Add(l.cfg.EventTTL)
			l.cond(a.Key).resolvedAt = a.Resolved
			l.edits++
		}
	}
}

// prune forgets the hysteresis state of keys that have been quiet since
// before cutoff and have nothing firing, so the state stays bounded by the
// retention rather than growing with uptime.
func (l *alertLog) prune(cutoff time.Time) {
	for key, c := range l.conds {
		if c.last.Before(cutoff) && c.holds == 0 && (c.open == 0 || l.log[c.open-1].State != AlertFiring) {
			delete(l.conds, key)
		}
	}
}

// lasting opens an alert for a state of the market that began at at (one
// origin leading another) rather than a moment: it stays firing, with no
// time limit, until end resolves it. A key opens once; later calls while it
// fires only mark it seen.
func (l *alertLog) lasting(key string, at, now time.Time, a Alert) {
	c := l.cond(key)
	c.last = now
	if c.open > 0 {
		if f := l.log[c.open-1]; f.State == AlertFiring {
			f.LastSeen = now
			l.edits++
		}
		return
	}
	if !c.resolvedAt.IsZero() {
		return
	}
	a.Key, a.Since, a.LastSeen, a.State = key, at, now, AlertFiring
	c.open = l.add(a)
}

// pairState reports, over the alerts whose keys start with prefix, whether
// one is firing and when the last one resolved.
func (l *alertLog) pairState(prefix string) (firing bool, resolved time.Time) {
	for _, a := range l.log {
		if !strings.HasPrefix(a.Key, prefix) {
			continue
		}
		if a.State == AlertFiring {
			firing = true
		} else if a.Resolved.After(resolved) {
			resolved = a.Resolved
		}
	}
	return firing, resolved
}

// end resolves the firing alert of key as of at.
func (l *alertLog) end(key string, at time.Time) {
	c := l.conds[key]
	if c == nil || c.open == 0 {
		return
	}
	if a := l.log[c.open-1]; a.State == AlertFiring {
		a.State, a.Resolved = AlertResolved, at
		c.resolvedAt = at
		l.edits++
	}
}

// add appends an alert and returns its index+1, trimming the log to MaxLog
// by dropping the oldest resolved alerts first.
func (l *alertLog) add(a Alert) int {
	l.seq++
	a.seq = l.seq
	l.log = append(l.log, &a)
	l.edits++
	if len(l.log) > l.cfg.MaxLog {
		drop := -1
		for i, x := range l.log {
			if x.State == AlertResolved {
				drop = i
				break
			}
		}
		if drop < 0 {
			drop = 0
		}
		l.log = append(l.log[:drop], l.log[drop+1:]...)
		l.reindex()
	}
	return len(l.log)
}

func (l *alertLog) reindex() {
	for _, c := range l.conds {
		c.open = 0
	}
	for i, a := range l.log {
		if c := l.conds[a.Key]; c != nil && a.State == AlertFiring {
			c.open = i + 1
		}
	}
	// Keys whose firing alert was dropped keep their hysteresis counters but
	// no longer point into the log.
}

func (l *alertLog) ack(keys []string, all bool) {
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	for _, a := range l.log {
		if (all || want[a.Key]) && !a.Acked {
			a.Acked = true
			l.edits++
		}
	}
}

// snapshot copies the log, newest first (the latest Since first, the
// latest raised first among equals). The order is worked out on the log's
// pointers and each alert copied once, into its place: a stable sort of the
// values moved a full log's 500 alerts of 160 bytes around, through
// reflection, on every snapshot (0.6 ms). While the log shows the same,
// the last copy is shared (alertLog.out). The copy is never nil, as a
// report's empty list is [] rather than null.
func (l *alertLog) snapshot() []Alert {
	if l.out != nil && l.outEdits == l.edits {
		return l.out
	}
	order := l.order[:0]
	for i := len(l.log) - 1; i >= 0; i-- {
		order = append(order, l.log[i])
	}
	slices.SortStableFunc(order, func(a, b *Alert) int {
		if c := b.Since.Compare(a.Since); c != 0 {
			return c
		}
		return cmp.Compare(b.seq, a.seq)
	})
	out := make([]Alert, len(order))
	for i, a := range order {
		out[i] = *a
	}
	clear(order) // the scratch keeps no alert the log dropped
	l.order = order
	l.out, l.outEdits = out, l.edits
	return out
}

// AckUpdate acknowledges alerts by key, or all of them. It comes from the
// user, not a feed, but travels the same road so that the goroutine owning
// the Market stays the only writer.
type AckUpdate struct {
	Keys []string
	All  bool
}

// Kind implements Update.
func (AckUpdate) Kind() string { return "ack" }

func (u AckUpdate) apply(m *Market) { m.alerts.ack(u.Keys, u.All) }
