package ui

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// What the screens show of the past comes from the Snapshot (the market's
// price history and serving history, which the history store restores at
// start): never from the store itself.

// priceStepLines draws a listing's blended price over its history as a step
// chart, one row per price level (highest first), each level drawn where it
// was in effect; then each change, dated, with its size: "▼ -20% on
// 2026-11-24 · in $0.45→$0.36 · out $3.20→$2.56".
func (d *detail) priceStepLines(v *model.ListingView, w int) []string {
	st := d.e.st
	hist := v.PriceHistory()
	if len(hist) == 0 {
		return []string{truncate("  no price seen yet", w)}
	}
	share := d.inShare()
	now := d.snap.Now
	if now.Before(hist[len(hist)-1].At) {
		now = hist[len(hist)-1].At
	}
	start := hist[0].At
	label := func(p model.Price) string {
		if !p.Rankable() {
			return p.Kind.String()
		}
		return units.USD(p.Blended(share))
	}
	// Distinct levels, highest blended price first (free and variable last).
	type level struct {
		label string
		value float64
	}
	var levels []level
	seen := map[string]bool{}
	for _, pp := range hist {
		l := label(pp.Price)
		if seen[l] {
			continue
		}
		seen[l] = true
		val := math.Inf(-1)
		if pp.Price.Rankable() {
			val = pp.Price.Blended(share)
		}
		levels = append(levels, level{l, val})
	}
	sort.SliceStable(levels, func(i, j int) bool { return levels[i].value > levels[j].value })
	const maxLevels = 6
	if len(levels) > maxLevels {
		levels = levels[:maxLevels] // the highest; the list below has them all
	}
	labelW := 0
	for _, l := range levels {
		labelW = max(labelW, textWidth(l.label))
	}
	cols := w - labelW - 5
	var lines []string
	if cols >= 10 && len(hist) > 1 {
		span := now.Sub(start)
		at := func(c int) string { // the level in effect at column c
			t := start.Add(time.Duration(float64(span) * (float64(c) + 0.5) / float64(cols)))
			i := sort.Search(len(hist), func(i int) bool { return hist[i].At.After(t) }) - 1
			return label(hist[max(i, 0)].Price)
		}
		for _, l := range levels {
			var b strings.Builder
			for c := 0; c < cols; c++ {
				if at(c) == l.label {
					b.WriteString("━")
				} else {
					b.WriteString(" ")
				}
			}
			lines = append(lines, "  "+strings.Repeat(" ", labelW-textWidth(l.label))+l.label+" "+st.bold.s(b.String()))
		}
		layout := "2006-01-02"
		if span < 48*time.Hour { // a short history: the hours say more
			layout = "01-02 15:04"
		}
		axis := start.UTC().Format(layout)
		end := now.UTC().Format(layout)
		gap := cols - textWidth(axis) - textWidth(end)
		if gap > 0 {
			lines = append(lines, st.dim.s("  "+strings.Repeat(" ", labelW+1)+axis+strings.Repeat(" ", gap)+end))
		}
	}
	lines = append(lines, truncate(fmt.Sprintf("  first seen at %s on %s (blended %s)", legs(hist[0].Price),
		hist[0].At.UTC().Format("2006-01-02"), label(hist[0].Price)), w))
	for _, c := range d.changeSizes(v, share) {
		lines = append(lines, truncate("  "+c, w))
	}
	return lines
}

// changeSizes writes each price change with its size and date, oldest
// first: "▼ -20% on 2026-11-24 · in $0.45→$0.36 · out $3.20→$2.56".
func (d *detail) changeSizes(v *model.ListingView, share float64) []string {
	var out []string
	for _, c := range priceChanges(v, share) {
		var mc model.PriceChange
		for _, x := range v.PriceChanges(share) {
			if x.At.Equal(c.at) {
				mc = x
			}
		}
		size := mc.From.Kind.String() + "→" + mc.To.Kind.String()
		if mc.From.Rankable() && mc.To.Rankable() {
			if a, b := mc.From.Blended(share), mc.To.Blended(share); a > 0 {
				size = fmt.Sprintf("%+.0f%%", (b/a-1)*100)
			}
		}
		detail := strings.TrimPrefix(c.text, c.at.UTC().Format("2006-01-02")+" ")
		out = append(out, c.glyph+" "+size+" on "+c.at.UTC().Format("2006-01-02")+" · "+detail)
	}
	return out
}

// uptimeDays is how many days the detail's uptime strip shows.
const uptimeDays = model.HealthDaysKept

// uptimeStripLines draws the last 30 days of a listing's serving history,
// one cell a day, coloured and glyphed by the worst state seen that day
// (● ok, ◐ degraded, ○ down, · no data), so it reads without colour too.
func (d *detail) uptimeStripLines(v *model.ListingView, w int) []string {
	st := d.e.st
	if len(v.HealthDays()) == 0 {
		return wrapIndent("No serving history: tokentape keeps one for the listings whose endpoints it watches.", w, "  ")
	}
	today := dayOf(d.snap.Now)
	if last := v.HealthDays()[len(v.HealthDays())-1].Day; last.After(today) {
		today = last
	}
	worst := make(map[time.Time]model.Health, len(v.HealthDays()))
	for _, h := range v.HealthDays() {
		worst[dayOf(h.Day)] = h.Worst
	}
	n := min(uptimeDays, max(w-4, 1))
	var b strings.Builder
	counts := map[model.Health]int{}
	for i := n - 1; i >= 0; i-- {
		day := today.AddDate(0, 0, -i)
		h, ok := worst[day]
		if !ok {
			b.WriteString(st.dim.s("·"))
			continue
		}
		counts[h]++
		b.WriteString(st.health(h).s(h.Glyph()))
	}
	lines := []string{"  " + b.String()}
	axis := today.AddDate(0, 0, -(n - 1)).Format("01-02")
	end := today.Format("01-02")
	if gap := n - len(axis) - len(end); gap > 0 {
		lines = append(lines, st.dim.s("  "+axis+strings.Repeat(" ", gap)+end))
	}
	summary := fmt.Sprintf("  days: %d ● ok · %d ◐ degraded · %d ○ down · · no data", counts[model.HealthOK],
		counts[model.HealthDegraded], counts[model.HealthDown])
	lines = append(lines, truncate(summary, w))
	return lines
}

// timelineCells draws a listing's last 24 hours as plain cells, each the
// worst state of its slice of time (a state lasts until the next sample):
// ● ok, ◐ degraded, ○ down, · no data. Plain, so a table can truncate it;
// the glyphs say the state without colour.
func timelineCells(v *model.ListingView, now time.Time, cells int) (string, model.Health) {
	tl := v.HealthTimeline()
	if cells <= 0 || len(tl) == 0 {
		return "", model.HealthUnknown
	}
	from := now.Add(-model.HealthTimelineOf)
	slot := model.HealthTimelineOf / time.Duration(cells)
	// The glyphs (at most three bytes each) go into a buffer on the stack
	// for a day's 24 cells, and the string is made once.
	var room [3 * 24]byte
	out := room[:0]
	overall := model.HealthUnknown
	// The slots move forward through the samples, so one index walks them
	// all: i is the first sample after the slot's start, next its time
	// after from. Times are compared as offsets from from, so the slots'
	// bounds are plain numbers rather than a time.Add each.
	i := sort.Search(len(tl), func(i int) bool { return tl[i].At.After(from) })
	after := func(k int) time.Duration { return tl[k].At.Sub(from) }
	next := time.Duration(math.MaxInt64)
	if i < len(tl) {
		next = after(i)
	}
	for c := 0; c < cells; c++ {
		lo, hi := time.Duration(c)*slot, time.Duration(c+1)*slot
		for i < len(tl) && next <= lo {
			i++
			if i < len(tl) {
				next = after(i)
			}
		}
		// The state in effect at lo, then any sample inside the slot.
		worst := model.HealthUnknown
		if i > 0 {
			worst = tl[i-1].Health
		}
		if i < len(tl) && next < hi {
			worst = max(worst, tl[i].Health)
			for j := i + 1; j < len(tl) && after(j) < hi; j++ {
				worst = max(worst, tl[j].Health)
			}
		}
		overall = max(overall, worst)
		out = append(out, worst.Glyph()...)
	}
	return string(out), overall
}

func dayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
