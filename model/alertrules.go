package model

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// baselineSamples is how many healthy samples a listing's latency and
// throughput baselines remember.
const baselineSamples = 12

// capacityBaseline is a listing's trailing healthy latency and throughput.
type capacityBaseline struct {
	latency, throughput []float64
}

func pushBounded(s []float64, v float64) []float64 {
	if math.IsNaN(v) {
		return s
	}
	s = append(s, v)
	if len(s) > baselineSamples {
		s = append(s[:0], s[len(s)-baselineSamples:]...)
	}
	return s
}

// windowGrowth is the listing's token growth over the last window against
// the one before, in percent; NaN without a previous window.
func (m *Market) windowGrowth(e *entry) (cur uint64, growth float64) {
	n, w := len(e.tokens), m.cfg.Window
	cur, prev := sumRange(e.tokens, n-w, n), sumRange(e.tokens, n-2*w, n-w)
	if prev == 0 || n < 2*w {
		return cur, math.NaN()
	}
	return cur, (float64(cur)/float64(prev) - 1) * 100
}

// usageSurge says how a listing's usage moved, for a capacity alert's
// message, and whether that is a surge: week over week when there is a whole
// previous week of it, else — for a listing launched in the last two weeks —
// its launch, which is the usual story of a capacity crunch (a new model
// tops the charts before its provider has the compute for it).
func (m *Market) usageSurge(e *entry) (phrase string, surged bool) {
	n, w := len(e.tokens), m.cfg.Window
	first := -1
	for i, t := range e.tokens {
		if t > 0 {
			first = i
			break
		}
	}
	switch {
	case first < 0:
		return "", false
	case first <= n-2*w:
		_, g := m.windowGrowth(e)
		if math.IsNaN(g) {
			return "", false
		}
		return fmt.Sprintf("tokens %+.0f%% w/w", g), g >= m.alerts.cfg.CapacitySurgePct
	}
	days := n - first
	unit := "days"
	if days == 1 {
		unit = "day"
	}
	return fmt.Sprintf("launched %d %s ago, %s tokens since", days, unit, FormatTokens(sumRange(e.tokens, first, n))), true
}

// checkCapacity samples the capacity rule for one listing after its
// endpoints changed: median 5-minute uptime well below the 1-day median, a
// third of the endpoints deranked, latency doubled or throughput halved
// against the listing's own healthy baseline.
func (m *Market) checkCapacity(e *entry, at time.Time) {
	cfg := m.alerts.cfg
	eps := e.endpoints
	if len(eps) == 0 {
		return
	}
	var u5, u1d, lat, thr []float64
	deranked := 0
	for _, ep := range eps {
		if ep.Degraded() {
			deranked++
		}
		for _, p := range []struct {
			dst *[]float64
			v   float64
		}{{&u5, ep.Uptime5m}, {&u1d, ep.Uptime1d}, {&lat, ep.LatencyP50}, {&thr, ep.ThroughputP50}} {
			if !math.IsNaN(p.v) && !math.IsInf(p.v, 0) {
				*p.dst = append(*p.dst, p.v)
			}
		}
	}
	m5, m1d, mLat, mThr := Median(u5), Median(u1d), Median(lat), Median(thr)
	base := m.baselines[e.l.ID]
	if base == nil {
		base = &capacityBaseline{}
		m.baselines[e.l.ID] = base
	}
	bLat, bThr := math.NaN(), math.NaN()
	if len(base.latency) >= 3 {
		bLat = Median(base.latency)
	}
	if len(base.throughput) >= 3 {
		bThr = Median(base.throughput)
	}

	uptimeDrop := !math.IsNaN(m5) && !math.IsNaN(m1d) && m1d-m5 >= cfg.UptimeDrop
	derankedHit := float64(deranked) >= cfg.DerankedFraction*float64(len(eps))
	latHit := !math.IsNaN(mLat) && bLat > 0 && mLat >= cfg.LatencyFactor*bLat
	thrHit := !math.IsNaN(mThr) && bThr > 0 && mThr <= cfg.ThroughputFactor*bThr
	holds := uptimeDrop || derankedHit || latHit || thrHit
	if !holds {
		// Only healthy samples teach the baseline, so a long degradation
		// does not become the new normal.
		base.latency = pushBounded(base.latency, mLat)
		base.throughput = pushBounded(base.throughput, mThr)
	}
	m.alerts.sample("capacity:"+e.l.ID, holds, at, func() Alert {
		var parts []string
		if !math.IsNaN(m5) && !math.IsNaN(m1d) {
			parts = append(parts, fmt.Sprintf("uptime 5m %.1f%% vs %.1f%% 1d", m5, m1d))
		}
		if deranked > 0 {
			parts = append(parts, fmt.Sprintf("%d/%d endpoints deranked", deranked, len(eps)))
		}
		if latHit {
			parts = append(parts, fmt.Sprintf("latency p50 %.0fms (%.1f× baseline)", mLat, mLat/bLat))
		}
		if thrHit {
			parts = append(parts, fmt.Sprintf("throughput p50 %.0f tok/s (%.1f× baseline)", mThr, mThr/bThr))
		}
		if phrase, surged := m.usageSurge(e); surged {
			parts = append(parts, phrase+" (capacity-driven?)")
		}
		sev := SeverityWarn
		if DeriveHealth(eps) == HealthDown {
			sev = SeverityCrit
		}
		return Alert{Kind: AlertCapacity, Severity: sev, Subject: e.l.ID,
			Message: e.l.Name + " degraded: " + strings.Join(parts, ", ")}
	})
}

// checkOutage raises one alert per open incident of a status page, or one
// for the page itself when it is not operational without an incident, and
// resolves the ones the page no longer reports.
func (m *Market) checkOutage(p StatusPage, at time.Time) {
	seen := map[string]bool{}
	serves := ""
	if len(p.Authors) > 0 {
		serves = " (serves " + strings.Join(p.Authors, ", ") + ")"
	}
	if names := m.servedBy(p.Provider); len(names) > 0 {
		const shown = 3
		list := strings.Join(names[:min(shown, len(names))], ", ")
		if len(names) > shown {
			list += fmt.Sprintf(" +%d more", len(names)-shown)
		}
		serves += " (affects " + list + ")"
	}
	sev := func(s PageStatus) Severity {
		switch s {
		case StatusMajorOutage:
			return SeverityCrit
		case StatusMaintenance, StatusUnknown, StatusOperational:
			return SeverityInfo
		}
		return SeverityWarn
	}
	prefix := "outage:" + p.Name + ":"
	for _, inc := range p.Incidents {
		id := inc.ID
		if id == "" {
			id = inc.Title
		}
		key := prefix + "incident:" + id
		seen[key] = true
		inc := inc
		m.alerts.sampleWith(key, true, at, 1, 1, func() Alert {
			impact := inc.Impact.String()
			if inc.Status != "" {
				impact += ", " + inc.Status
			}
			return Alert{Kind: AlertOutage, Severity: sev(inc.Impact), Subject: p.Name,
				Message: fmt.Sprintf("%s: %s — %s%s", p.Name, inc.Title, impact, serves)}
		})
	}
	if len(p.Incidents) == 0 && p.Status > StatusOperational {
		key := prefix + "status"
		seen[key] = true
		var bad []string
		for _, c := range p.Components {
			if c.Status > StatusOperational {
				bad = append(bad, c.Name+" "+c.Status.String())
			}
		}
		m.alerts.sampleWith(key, true, at, 1, 1, func() Alert {
			msg := fmt.Sprintf("%s: %s", p.Name, p.Status)
			if len(bad) > 0 {
				msg += " — " + strings.Join(bad, "; ")
			}
			return Alert{Kind: AlertOutage, Severity: sev(p.Status), Subject: p.Name, Message: msg + serves}
		})
	}
	for key := range m.pageKeys[p.Name] {
		if !seen[key] {
			m.alerts.sampleWith(key, false, at, 1, 1, nil)
		}
	}
	m.pageKeys[p.Name] = seen
}

// servedBy names the listings with an endpoint of the provider (matched by
// slug or by the name endpoints carry), sorted, for an outage's message.
func (m *Market) servedBy(provider string) []string {
	if provider == "" {
		return nil
	}
	name := provider
	for _, p := range m.providers {
		if p.Slug == provider {
			name = p.Name
		}
	}
	var out []string
	for _, e := range m.entries {
		for _, ep := range e.endpoints {
			if strings.EqualFold(ep.Provider, name) || strings.EqualFold(ep.Provider, provider) {
				out = append(out, e.l.Name)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// checkPrice raises an event when a paid list price moves by PriceChangePct
// or more on input or output.
func (m *Market) checkPrice(l Listing, old Price, at time.Time) {
	cur := l.Price
	if old.Kind != PricePaid || cur.Kind != PricePaid {
		return
	}
	pct := func(a, b float64) float64 {
		if a == 0 {
			if b == 0 {
				return 0
			}
			return math.Inf(1)
		}
		return (b/a - 1) * 100
	}
	dIn, dOut := pct(old.In, cur.In), pct(old.Out, cur.Out)
	th := m.alerts.cfg.PriceChangePct
	if math.Abs(dIn) < th && math.Abs(dOut) < th {
		return
	}
	word, sev := "change", SeverityWarn // input and output moved opposite ways
	switch {
	case dIn >= 0 && dOut >= 0:
		word = "hike"
	case dIn <= 0 && dOut <= 0:
		word, sev = "cut", SeverityInfo
	}
	leg := func(name string, a, b, d float64) string {
		if math.Abs(d) < 0.5 {
			return name + " " + FormatUSD(b)
		}
		return fmt.Sprintf("%s %s → %s (%+.0f%%)", name, FormatUSD(a), FormatUSD(b), d)
	}
	m.alerts.event(fmt.Sprintf("price:%s:%d", l.ID, at.Unix()), at, Alert{
		Kind: AlertPrice, Severity: sev, Subject: l.ID,
		Message: fmt.Sprintf("%s price %s: %s, %s per M", l.Name, word, leg("in", old.In, cur.In, dIn), leg("out", old.Out, cur.Out, dOut)),
	})
}

// checkNewListing raises an event for a listing that appears after the
// first catalogue (the first one is the market as found, not news).
func (m *Market) checkNewListing(l Listing, at time.Time) {
	price := l.Price.Kind.String()
	if l.Price.Kind == PricePaid {
		price = FormatUSD(l.Price.In) + "/" + FormatUSD(l.Price.Out) + " per M"
	}
	m.alerts.event("listing:new:"+l.ID, at, Alert{
		Kind: AlertListing, Severity: SeverityInfo, Subject: l.ID,
		Message: fmt.Sprintf("New listing: %s (%s, %s) at %s", l.Name, l.Author, l.Origin, price),
	})
}

// checkExpiry samples, for every listing with an expiration date, whether
// that date is within ExpiryDays of now.
func (m *Market) checkExpiry(at time.Time) {
	horizon := time.Duration(m.alerts.cfg.ExpiryDays) * 24 * time.Hour
	m.sortIDs()
	for _, e := range m.ents { // a slice walks faster than the map, in a fixed order
		if e.l.Expires.IsZero() {
			continue
		}
		left := e.l.Expires.Sub(at)
		holds := left >= 0 && left <= horizon
		l := e.l
		m.alerts.sampleWith("listing:expiry:"+l.ID, holds, at, 1, 1, func() Alert {
			when := "today"
			switch days := int(math.Ceil(left.Hours() / 24)); {
			case days == 1:
				when = "in 1 day"
			case days > 1:
				when = fmt.Sprintf("in %d days", days)
			}
			return Alert{Kind: AlertListing, Severity: SeverityWarn, Subject: l.ID,
				Message: fmt.Sprintf("%s expires on %s (%s)", l.Name, l.Expires.UTC().Format("2006-01-02"), when)}
		})
	}
}

// checkUsage runs the rules that need the whole board: surges, rank
// changes and origin crossovers.
func (m *Market) checkUsage(at time.Time) {
	s := m.build(at)
	cfg := m.alerts.cfg

	// Surges: listings in the top SurgeTop whose tokens doubled w/w.
	var keyBuf []byte
	for i := range s.Listings {
		v := &s.Listings[i]
		inTop := v.Rank > 0 && v.Rank <= cfg.SurgeTop
		holds := inTop && v.Share >= cfg.SurgeMinShare && !math.IsNaN(v.Growth) && v.Growth >= cfg.SurgePct
		if !holds {
			// Looked up through a reused buffer: most listings never
			// surged, and their key need not be made.
			keyBuf = append(append(keyBuf[:0], "surge:"...), v.ID...)
			if m.alerts.conds[string(keyBuf)] == nil {
				continue // never surged: no state to keep
			}
		}
		key := "surge:" + v.ID
		prev := sumRange(v.Series, len(v.Series)-2*s.Window, len(v.Series)-s.Window)
		name, tok, g := v.Name, v.Tokens, v.Growth
		m.alerts.sample(key, holds, at, func() Alert {
			return Alert{Kind: AlertSurge, Severity: SeverityInfo, Subject: v.ID,
				Message: fmt.Sprintf("%s tokens %+.0f%% w/w: %s vs %s", name, g, FormatTokens(tok), FormatTokens(prev))}
		})
	}

	// Ranks: a new #1, and listings entering or leaving the top 10. Each
	// change must hold for FireAfter samples, so a listing wobbling at #10
	// does not raise a storm.
	first := ""
	for i := range s.Listings {
		if s.Listings[i].Rank == 1 {
			first = s.Listings[i].ID
		}
	}
	if first != "" {
		m.rankFirst.observe(first, cfg.FireAfter, func(prev string) {
			v, _ := s.Listing(first)
			msg := fmt.Sprintf("%s is the new #1 with %s tokens/%dd (%s share)", v.Name, FormatTokens(v.Tokens), s.Window, fmtPct(v.Share))
			if p, ok := s.Listing(prev); ok {
				msg += ", passing " + p.Name
			}
			m.alerts.event(fmt.Sprintf("rank:first:%s:%d", first, at.Unix()), at, Alert{Kind: AlertRank, Severity: SeverityInfo, Subject: first, Message: msg})
		})
	}
	// Only a listing in the top 10 or with a state can sample: those with
	// a state (few) are found by id, so the others cost no look-up.
	held := make([]bool, len(s.Listings))
	for id := range m.inTop {
		if i, ok := s.pos[id]; ok {
			held[s.at[i]] = true
		}
	}
	ranked := false
	for i := range s.Listings {
		v := &s.Listings[i]
		ranked = ranked || v.Rank > 0
		// A band, not a line: a listing enters at #10 or better and leaves
		// only below #12, so one wobbling around #10 is not news every day.
		in := v.Rank > 0 && v.Rank <= 10
		if !in && !held[i] {
			continue // no state and not in: nothing to sample
		}
		st := m.inTop[v.ID]
		if st != nil && st.confirmed == "in" && v.Rank > 0 && v.Rank <= 10+rankBand {
			in = true
		}
		if st == nil {
			if !in {
				continue
			}
			st = &rankState{}
			if m.ranksSeen {
				st.confirmed = "out" // it was below the top 10 or not in the market
			}
			m.inTop[v.ID] = st
		}
		state := "out"
		if in {
			state = "in"
		}
		st.observe(state, cfg.FireAfter, func(string) {
			msg := fmt.Sprintf("%s left the top 10 (now #%d)", v.Name, v.Rank)
			if in {
				msg = fmt.Sprintf("%s entered the top 10 at #%d with %s tokens/%dd", v.Name, v.Rank, FormatTokens(v.Tokens), s.Window)
			} else if v.Rank == 0 {
				msg = fmt.Sprintf("%s left the top 10 (unranked)", v.Name)
			}
			m.alerts.event(fmt.Sprintf("rank:top10:%s:%s:%d", state, v.ID, at.Unix()), at, Alert{Kind: AlertRank, Severity: SeverityInfo, Subject: v.ID, Message: msg})
		})
	}
	m.ranksSeen = m.ranksSeen || ranked

	// Crossovers: one alert per change of lead, firing for as long as the
	// new leader leads and resolved on the day the lead reverses (which is
	// a crossover of its own). A crossover's first day can shift by a day
	// or two as the trailing window moves, so a pair that already has an
	// alert fires again only after a reversal.
	for _, c := range s.Crossovers {
		pair := fmt.Sprintf("crossover:%s>%s:", c.Leader, c.Passed)
		key := pair + c.Day.Format("2006-01-02")
		if m.alerts.conds[key] != nil {
			continue
		}
		if firing, resolved := m.alerts.pairState(pair); firing || (!resolved.IsZero() && c.Day.Before(resolved)) {
			continue
		}
		sev := SeverityInfo
		if (c.Leader == OriginCN && c.Passed == OriginUS) || (c.Leader == OriginUS && c.Passed == OriginCN) {
			sev = SeverityWarn
		}
		passed := s.OriginSeries[c.Passed]
		idx := 0
		for i, d := range s.Days {
			if d.Equal(c.Day) {
				idx = i
			}
		}
		m.alerts.lasting(key, c.Day, at, Alert{Kind: AlertCrossover, Severity: sev, Subject: string(c.Leader),
			Message: fmt.Sprintf("%s passed %s in token share: %.1f%% vs %.1f%% (week of %s)", c.Leader, c.Passed,
				c.LeaderShare, passed[idx], WeekOf(c.Day).Format("2006-01-02"))})
	}
	for _, a := range m.alerts.log {
		if a.Kind != AlertCrossover || a.State != AlertFiring {
			continue
		}
		leader, passed, ok := crossoverPair(a.Key)
		if !ok {
			continue
		}
		if day := leadReversed(s, leader, passed, a.Since); !day.IsZero() {
			m.alerts.end(a.Key, day)
		} else {
			m.alerts.lasting(a.Key, a.Since, at, Alert{})
		}
	}
	m.checkExpiry(at)
	m.alerts.expire(at)
	m.alerts.prune(at.Add(-time.Duration(m.cfg.Retention) * 24 * time.Hour))
	// The rules changed only the alerts (and perhaps the warnings): with
	// those refreshed, s is the snapshot of the new state, and the engine's
	// Snapshot after this Apply need not build another.
	m.fresh = m.withAlerts(s)
}

// rankBand is how far below #10 a listing of the top 10 may slip before it
// counts as having left.
const rankBand = 2

// rankState confirms a changed value (the #1, or in/out of the top 10) only
// after it has been seen for n consecutive samples.
type rankState struct {
	confirmed string // "" until the first value is confirmed
	candidate string
	run       int
}

// observe feeds one sample; changed runs when a new value is confirmed over
// a previously confirmed one, with the value it replaced.
func (r *rankState) observe(v string, n int, changed func(prev string)) {
	if v == r.confirmed {
		r.candidate, r.run = "", 0
		return
	}
	if v != r.candidate {
		r.candidate, r.run = v, 0
	}
	r.run++
	if r.confirmed == "" {
		// The first value seen is the market as found, not a change.
		r.confirmed, r.candidate, r.run = v, "", 0
		return
	}
	if r.run >= n {
		prev := r.confirmed
		r.confirmed, r.candidate, r.run = v, "", 0
		changed(prev)
	}
}

// WeekOf returns the Monday (UTC midnight) of the ISO week that contains t.
func WeekOf(t time.Time) time.Time {
	d := dayOf(t)
	wd := (int(d.Weekday()) + 6) % 7 // Monday = 0
	return d.AddDate(0, 0, -wd)
}

func fmtPct(p float64) string { return fmt.Sprintf("%.1f%%", p) }

// crossoverPair reads the leader and the passed origin out of a crossover
// alert's key ("crossover:CN>US:2026-02-16").
func crossoverPair(key string) (leader, passed Origin, ok bool) {
	rest, ok := strings.CutPrefix(key, "crossover:")
	if !ok {
		return "", "", false
	}
	pair, _, _ := strings.Cut(rest, ":")
	l, p, ok := strings.Cut(pair, ">")
	return Origin(l), Origin(p), ok
}

// leadReversed returns the day after since on which passed took the lead
// back from leader and held it: the reverse crossover when the snapshot
// still has it, else the first day of a run of at least crossoverHold days,
// reaching today, with passed ahead. Zero while leader still leads.
func leadReversed(s *Snapshot, leader, passed Origin, since time.Time) time.Time {
	for _, c := range s.Crossovers {
		if c.Leader == passed && c.Passed == leader && c.Day.After(since) {
			return c.Day
		}
	}
	sl, sp := s.OriginSeries[leader], s.OriginSeries[passed]
	n := min(len(sl), len(sp), len(s.Days))
	run := 0
	for k := n - 1; k >= 0 && s.Days[k].After(since); k-- {
		if math.IsNaN(sl[k]) || math.IsNaN(sp[k]) || sp[k] <= sl[k] {
			break
		}
		run++
	}
	if run >= crossoverHold {
		return s.Days[n-run]
	}
	return time.Time{}
}
