package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tokentape/tokentape/model"
)

// Source names as Snapshot.Source carries them.
const (
	sourceDemo   = "demo"
	sourceReplay = "replay"
	// sourceHistory is the market as the history store knew it (--at, or
	// the last-known market while offline).
	sourceHistory = "history"
)

// badgeWord is the header's source badge: DEMO, REPLAY, REMOTE host for a
// server's stream ("remote host:port"), or LIVE for any live feed
// ("openrouter").
func badgeWord(source string) string {
	if host, ok := strings.CutPrefix(source, "remote"); ok {
		return "REMOTE" + host
	}
	switch source {
	case sourceDemo:
		return "DEMO"
	case sourceReplay:
		return "REPLAY"
	case sourceHistory:
		return "HISTORY"
	case "":
		return "NO SOURCE"
	}
	return "LIVE"
}

// isLive reports whether a snapshot comes from live feeds, whose clock is the
// wall clock: only then do source ages keep growing between snapshots.
func isLive(source string) bool {
	return source != sourceDemo && source != sourceReplay && source != ""
}

// fmtAge writes a duration the way the source strip shows it: 12s, 1m40s,
// 25m, 3h05m, 2d04h (seconds matter only in the first minutes).
func fmtAge(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return strconv.FormatInt(s, 10) + "s"
	case s < 600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 3600:
		return strconv.FormatInt(s/60, 10) + "m"
	case s < 86400:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	}
	return fmt.Sprintf("%dd%02dh", s/86400, s%86400/3600)
}

// fmtSpeed describes the playback speed: "×2 · 1 day/1s" for the demo (whose
// base pace is one simulated day per dayEvery), "×2" for a replay.
func fmtSpeed(speed float64, source string, dayEvery time.Duration) string {
	x := "×" + strconv.FormatFloat(speed, 'g', 4, 64)
	if source != sourceDemo || dayEvery <= 0 || speed <= 0 {
		return x
	}
	per := dayEvery.Seconds() / speed // seconds per simulated day
	if per >= 1 {
		return x + " · 1 day/" + strconv.FormatFloat(per, 'g', 3, 64) + "s"
	}
	return x + " · " + strconv.FormatFloat(1/per, 'g', 3, 64) + " days/s"
}

// dataSource reports whether a source feeds market data (catalogue, usage,
// rankings, endpoints) rather than a status page: when one of those is stale
// the figures on screen are old, and the UI dims and marks them. A stale
// status page is named in the header and the strip.
func dataSource(name string) bool { return !strings.HasPrefix(name, "status.") }

// staleData names the market-data sources that are stale at now.
func staleData(s *model.Snapshot, now time.Time) []string {
	return staleSources(s, now, true)
}

// staleSources names the sources that are stale at now: every one, or only
// those feeding market data.
func staleSources(s *model.Snapshot, now time.Time, dataOnly bool) []string {
	if s == nil || now.IsZero() {
		return nil
	}
	var out []string
	for _, h := range s.Sources {
		if (!dataOnly || dataSource(h.Name)) && h.Stale(now) {
			out = append(out, safe(h.Name))
		}
	}
	return out
}

// staleGlyph ends every figure that comes from a stale source (besides
// dimming it), so NO_COLOR loses nothing.
const staleGlyph = "†"

// staleText marks a figure from a stale source: cut to leave a cell for
// the glyph within w, then the glyph. Table cells (column.stale) and the
// figures of prose lines (env.figure) are marked through it alone.
func staleText(s string, w int) string { return truncate(s, max(w-1, 1)) + staleGlyph }

// figure is a figure of kind g as prose shows it (Share, the listing
// detail): marked with staleGlyph when its source is stale. The root dims
// the whole body then, so the glyph is what a figure adds.
func (e *env) figure(g staleGroups, s string) string {
	if e.stale.has(g) {
		return s + staleGlyph
	}
	return s
}

// stalePageNames are the status pages stale at now, NUL-joined (the frame
// key of the Health tab holds it).
func stalePageNames(s *model.Snapshot, now time.Time) string {
	if s == nil || now.IsZero() {
		return ""
	}
	var out []string
	for _, h := range s.Sources {
		if name, ok := strings.CutPrefix(h.Name, "status."); ok && h.Stale(now) {
			out = append(out, name)
		}
	}
	return strings.Join(out, "\x00")
}

// pageStale reports whether the status page named name is stale in the
// frame being drawn.
func (e *env) pageStale(name string) bool {
	for _, n := range strings.Split(e.stalePages, "\x00") {
		if n == name && n != "" {
			return true
		}
	}
	return false
}

// staleGroups is a set of the kinds of figures a market-data source feeds.
type staleGroups uint8

// The kinds of figures, by the source that feeds them.
const (
	staleCatalogue staleGroups = 1 << iota // names, prices (catalogue)
	staleVolumes                           // ranks, tokens, shares, growth (usage, or ranking without a key)
	staleEndpoints                         // health of the watched listings (endpoints)
	staleApps                              // the apps burning the tokens (apps)
)

// has reports whether g includes every group of x.
func (g staleGroups) has(x staleGroups) bool { return x != 0 && g&x == x }

// staleFigures says which kinds of figures come from a source that is stale
// at now.
func staleFigures(s *model.Snapshot, now time.Time) staleGroups {
	if s == nil || now.IsZero() {
		return 0
	}
	var g staleGroups
	for _, h := range s.Sources {
		if !h.Stale(now) {
			continue
		}
		switch h.Name {
		case "catalogue":
			g |= staleCatalogue
		case "usage", "ranking":
			g |= staleVolumes
		case "endpoints":
			g |= staleEndpoints
		case "apps":
			g |= staleApps
		}
	}
	return g
}

// ageStep is how many seconds a figure written by fmtAge keeps its text
// once it shows sec seconds: one below ten minutes (1m40s), sixty below a
// day (25m, 3h05m), an hour beyond (2d04h).
func ageStep(sec int64) int64 {
	switch {
	case sec < 600:
		return 1
	case sec < 86400:
		return 60
	}
	return 3600
}

// sinceForm is the age at which fmtSince adds the date to the time.
const sinceForm = 20 * time.Hour

// nextChange is how many whole seconds after now the header or the stale
// marks can next look different, with the market clock moving on from now
// in whole seconds as the tick moves it: an age shown as 12s changes each
// second, one shown as 25m only each minute; a retry countdown likewise; a
// fresh source turns stale at its own moment. ok is false when nothing
// shown changes with time alone (only a new snapshot changes it).
//
// It may answer early (a tick that changes nothing costs a header), never
// late: an age must not lie, nor stale data look fresh.
func nextChange(s *model.Snapshot, now time.Time) (secs int64, ok bool) {
	if s == nil || now.IsZero() {
		return 0, false
	}
	secs = math.MaxInt64
	for _, h := range s.Sources {
		state := h.State(now)
		if !h.LastSuccess.IsZero() && (state == model.SourceFresh || state == model.SourceStale) {
			age := now.Sub(h.LastSuccess)
			if age < 0 {
				return 1, true // an age from a clock ahead of ours: shown as 0s until it is not
			}
			sec := int64(age / time.Second)
			secs = min(secs, ageStep(sec)-sec%ageStep(sec))
			if state == model.SourceStale && age < sinceForm {
				secs = min(secs, int64((sinceForm-age+time.Second-1)/time.Second))
			}
		}
		if (state == model.SourceNoData || state == model.SourceStale) && !h.NextAttempt.IsZero() {
			if left := h.NextAttempt.Sub(now); left > 0 {
				sec := int64(left / time.Second)
				secs = min(secs, sec%ageStep(sec)+1) // "retry in 6s", then "retrying"
			}
		}
	}
	// A source changes state (fresh turns stale) at a moment of its own:
	// the first whole second at which any state differs, if that is sooner.
	changed := func(k int64) bool {
		later := now.Add(time.Duration(k) * time.Second)
		for _, h := range s.Sources {
			if h.State(later) != h.State(now) {
				return true
			}
		}
		return false
	}
	limit := secs
	if secs == math.MaxInt64 {
		limit = maxQuiet
	}
	if changed(limit) {
		lo, hi := int64(0), limit // changed(hi), not changed(lo)
		for hi-lo > 1 {
			if mid := lo + (hi-lo)/2; changed(mid) {
				hi = mid
			} else {
				lo = mid
			}
		}
		return hi, true
	}
	return secs, secs != math.MaxInt64
}

// maxQuiet bounds how far ahead nextChange looks for a change of state
// when no figure on screen moves with time.
const maxQuiet = 366 * 24 * 3600

// fmtSince is the wall time of a last success as the strip says it: 05:37
// within a day, 11-27 05:37 before (UTC, like the header's as-of).
func fmtSince(t, now time.Time) string {
	t = t.UTC()
	if now.Sub(t) < sinceForm {
		return t.Format("15:04")
	}
	return t.Format("01-02 15:04")
}

// stripItem renders one source by its state (model.SourceState):
//
//	✓ catalogue 12s                                   fresh: the age of the data
//	⚠ catalogue STALE since 05:37 (3m) · HTTP 500 · retry in 6s
//	⚠ usage no data yet · HTTP 500 · retry in 6s       never succeeded
//	– apps unavailable                                 404 of an optional dataset
//	… endpoints waiting                                not polled yet
//
// A ✓ only ever stands beside a source whose last attempt succeeded and
// whose data is recent. problem is set for stale and never-succeeded
// sources, so they go first.
func stripItem(h model.SourceHealth, now time.Time, st *styles) (text string, problem bool) {
	return stripItemAt(h, now, st, 0)
}

// Detail levels of a strip item, for narrow terminals: everything, without
// the retry countdown, without the error either.
const (
	stripFull = iota
	stripNoRetry
	stripBare
	stripLevels
)

// stripProblem says whether a source in state is a problem of the strip,
// as stripItemAt reports it: everything but waiting, unavailable and fresh.
func stripProblem(state model.SourceState) bool {
	switch state {
	case model.SourceWaiting, model.SourceUnavailable, model.SourceFresh:
		return false
	}
	return true
}

// stripItemAt renders a source at a detail level (see stripItem).
func stripItemAt(h model.SourceHealth, now time.Time, st *styles, level int) (text string, problem bool) {
	name := truncate(safe(h.Name), 24)
	state := h.State(now)
	var b strings.Builder
	// One buffer for the item: its pieces are written one by one, never
	// joined first, as each join was an allocation of the header's.
	b.Grow(64)
	switch state {
	case model.SourceWaiting:
		return "… " + name + " waiting", false // not polled yet: nothing is wrong
	case model.SourceUnavailable:
		return st.dim.s("– " + name + " unavailable"), false
	case model.SourceFresh:
		b.WriteString("✓ ")
		b.WriteString(name)
		if age, ok := h.Age(now); ok && !now.IsZero() {
			b.WriteString(" ")
			b.WriteString(fmtAge(age))
		}
		// Rows the answer had that were left out (an unknown permaslug,
		// an index outside 0–100): said, never silently dropped.
		if n := len(h.Skipped); n > 0 {
			b.WriteString(" · " + strconv.Itoa(n) + " skipped")
			if level < stripBare {
				b.WriteString(": " + truncate(safe(h.Skipped[0]), 40))
			}
		}
		return b.String(), false
	case model.SourceNoData:
		b.WriteString("⚠ ")
		b.WriteString(name)
		b.WriteString(" no data yet")
	case model.SourceStale:
		b.WriteString("⚠ ")
		b.WriteString(name)
		b.WriteString(" STALE")
		if !now.IsZero() {
			age, _ := h.Age(now)
			b.WriteString(" since ")
			b.WriteString(fmtSince(h.LastSuccess, now))
			b.WriteString(" (")
			b.WriteString(fmtAge(age))
			b.WriteString(")")
		}
	}
	if !h.OK && level < stripBare {
		e := truncate(safe(h.LastError), 48)
		if e == "" {
			e = "failed"
		}
		b.WriteString(" · ")
		b.WriteString(e)
	}
	if !h.NextAttempt.IsZero() && !now.IsZero() && level < stripNoRetry {
		if d := h.NextAttempt.Sub(now); d > 0 {
			b.WriteString(" · retry in " + fmtAge(d))
		} else {
			b.WriteString(" · retrying")
		}
	}
	if state == model.SourceStale {
		return st.dim.s(b.String()), true
	}
	return st.warn.s(b.String()), true
}

// stripLine is the header's second line: every source's health, problems
// first, cut to width with a count of what did not fit.
func stripLine(s *model.Snapshot, now time.Time, width int, st *styles) string {
	if s == nil {
		return st.dim.s(truncate("no data yet", width))
	}
	if len(s.Sources) == 0 {
		msg := "no sources reported"
		if s.Simulated() {
			msg = "simulated market calibrated to published figures · not live data"
		}
		return st.dim.s(truncate(msg, width))
	}
	const sep = " · "
	var bad, good []model.SourceHealth
	for _, h := range s.Sources {
		if stripProblem(h.State(now)) {
			bad = append(bad, h)
		} else {
			good = append(good, h)
		}
	}
	// Problems go first, each at a detail level; healthy sources follow.
	levels := make([]int, len(bad))
	render := func(nBad, nGood int, tail string) string {
		parts := make([]string, 0, nBad+nGood+2)
		for i := 0; i < nBad; i++ {
			t, _ := stripItemAt(bad[i], now, st, levels[i])
			parts = append(parts, t)
		}
		for i := 0; i < nGood; i++ {
			t, _ := stripItemAt(good[i], now, st, stripFull)
			parts = append(parts, t)
		}
		if rest := len(bad) + len(good) - nBad - nGood; rest > 0 {
			parts = append(parts, "+"+strconv.Itoa(rest)+" more")
		}
		if tail != "" {
			parts = append(parts, tail)
		}
		return strings.Join(parts, sep)
	}
	if s.Simulated() {
		// The demo says what it is when there is room after its sources.
		if line := render(len(bad), len(good), st.dim.s("simulated market · not live data")); textWidth(line) <= width {
			return line
		}
	}
	// What gives way first: the healthy sources (counted), then the detail
	// of the problems, the last problem first, then the problems themselves.
	for n := len(good); n >= 0; n-- {
		if line := render(len(bad), n, ""); textWidth(line) <= width {
			return line
		}
	}
	for n := len(bad); n > 0; n-- {
		for i := range levels {
			levels[i] = stripFull
		}
		for i := n - 1; i >= 0; i-- {
			last := stripBare
			if i == 0 && n > 1 {
				// The first problem keeps its error rather than make room
				// for another bare one.
				last = stripNoRetry
			}
			for ; levels[i] <= last; levels[i]++ {
				if line := render(n, 0, ""); textWidth(line) <= width {
					return line
				}
			}
			levels[i] = last
		}
	}
	return truncate(render(min(len(bad), 1), 0, ""), width)
}

// headerState is everything the header shows besides the snapshot.
type headerState struct {
	paused     bool
	refreshing bool
	speed      float64 // 0: speed does not apply
	dayEvery   time.Duration
	now        time.Time // the effective market clock for ages
	shared     bool      // a viewer of a shared server: r does not look for live (Options.Shared)
}

// headerLine is the header's first line: product, source badge, as-of time,
// PAUSED, STALE, speed and listing count. Lower-priority parts are dropped
// when the width is short; PAUSED, STALE and the badge never are.
func headerLine(s *model.Snapshot, hs headerState, stale []string, width int, st *styles) string {
	type part struct {
		text string
		prio int // higher survives longer
	}
	var parts []part
	parts = append(parts, part{st.title.s("tokentape"), 2})
	src := ""
	if s != nil {
		src = s.Source
	}
	word := badgeWord(src)
	if s == nil {
		word = "STARTING"
	}
	bp, ok := st.badge[word]
	if !ok {
		bp = st.bold
	}
	parts = append(parts, part{bp.s(" " + word + " "), 9})
	if (word == "REPLAY" || strings.HasPrefix(word, "REMOTE")) && s.Simulated() {
		// A recording of the demo, or a server running it, is still the demo.
		parts = append(parts, part{st.badge["DEMO"].s(" DEMO "), 9})
	}
	if reason, ok := s.Offline(); ok {
		// The demo stands in for a live market that did not answer: say so,
		// and why, before anything else.
		parts[len(parts)-1] = part{st.bad.s(" OFFLINE ") + " · " + bp.s(" DEMO "), 9}
		parts = append(parts, part{truncate(safe(reason), max(width/3, 24)), 8})
		if !hs.shared {
			parts = append(parts, part{st.dim.s("r: try live"), 4})
		}
	}
	asOf := "as of —"
	if s != nil && !s.AsOf.IsZero() {
		asOf = "as of " + s.AsOf.UTC().Format("2006-01-02 15:04") + " UTC"
		if src == sourceHistory {
			asOf = "AS OF " + s.AsOf.UTC().Format("2006-01-02 15:04") + " UTC (history)"
		}
	}
	parts = append(parts, part{asOf, 8})
	if hs.paused {
		parts = append(parts, part{st.paused.s(" ‖ PAUSED "), 9})
	}
	if hs.refreshing {
		parts = append(parts, part{"⟳ refreshing…", 6})
	}
	if len(stale) > 0 {
		// Every stale source by name, status pages included.
		parts = append(parts, part{st.stale.s(" STALE ") + " " + st.dim.s(strings.Join(stale, ", ")), 7})
	}
	if hs.speed > 0 && s != nil {
		parts = append(parts, part{fmtSpeed(hs.speed, src, hs.dayEvery), 5})
	}
	if badge, crit := alertBadge(s); badge != "" {
		p := st.warn
		if crit {
			p = st.bad
		}
		parts = append(parts, part{p.s(badge), 6})
	}
	if s != nil {
		parts = append(parts, part{strconv.Itoa(len(s.Listings)) + " listings", 3})
	}
	const sep = "  "
	for {
		texts := make([]string, len(parts))
		for i, p := range parts {
			texts[i] = p.text
		}
		line := strings.Join(texts, sep)
		if textWidth(line) <= width || len(parts) == 1 {
			return block(line, width, 1, false)
		}
		low := 0
		for i, p := range parts {
			if p.prio < parts[low].prio {
				low = i
			}
		}
		parts = append(parts[:low], parts[low+1:]...)
	}
}
