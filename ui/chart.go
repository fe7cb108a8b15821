package ui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/guptarohit/asciigraph"
)

// chartSeries is one line of a chart.
type chartSeries struct {
	label  string
	data   []float64 // NaN: no data that day
	chars  asciigraph.CharSet
	glyph  string // the legend's sample of chars
	colour asciigraph.AnsiColor
}

// Line styles that tell series apart without colour.
var (
	lightLine = asciigraph.DefaultCharSet
	heavyLine = asciigraph.CharSet{Horizontal: "━", VerticalLine: "┃", ArcDownRight: "┏", ArcDownLeft: "┓",
		ArcUpRight: "┗", ArcUpLeft: "┛", EndCap: "╸", StartCap: "╺", UpRight: "┗", DownHorizontal: "┳"}
	doubleLine = asciigraph.CharSet{Horizontal: "═", VerticalLine: "║", ArcDownRight: "╔", ArcDownLeft: "╗",
		ArcUpRight: "╚", ArcUpLeft: "╝", EndCap: "═", StartCap: "═", UpRight: "╚", DownHorizontal: "╦"}
	dotLine  = asciigraph.CreateCharSet("·")
	starLine = asciigraph.CreateCharSet("*")
)

// percentAxis formats the y axis of share charts in a fixed four cells:
// fmt.Sprintf("%3.0f%%", v) without fmt, called once a chart row on every
// redraw (TestPercentAxisIsSprintf).
func percentAxis(v float64) string {
	var buf [32]byte
	b := append(buf[:0], "   "...)
	b = strconv.AppendFloat(b, v, 'f', 0, 64)
	num := b[3:]
	b = append(b[:max(3-len(num), 0)], num...)
	return string(append(b, '%'))
}

// lineChart plots series as percentages into exactly w×h cells (plot, date
// axis and legend included), or explains why it cannot. asciigraph panics on
// empty series and ±Inf and collapses flat series, so the data is cleaned
// (±Inf becomes NaN), the leading days where no series has data are cut, the
// y range is pinned to 0..a round top, and colours are passed only when the
// profile has them (asciigraph writes colour even under NO_COLOR).
func lineChart(series []chartSeries, days []time.Time, w, h int, colour bool) string {
	if w < 20 || h < 5 {
		return block("chart needs more room", w, h, true)
	}
	n := 0
	for _, s := range series {
		n = max(n, len(s.data))
	}
	first := n
	top := 0.0
	for _, s := range series {
		for i, v := range s.data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			first = min(first, i)
			top = max(top, v)
		}
	}
	if n == 0 || first == n {
		return block("\n  no share data yet", w, h, true)
	}
	upper := math.Max(10, math.Ceil(top/10)*10)
	data := make([][]float64, len(series))
	for i, s := range series {
		d := make([]float64, n-first)
		for j := range d {
			v := math.NaN()
			if k := first + j; k < len(s.data) {
				v = s.data[k]
			}
			if math.IsInf(v, 0) {
				v = math.NaN()
			}
			d[j] = v
		}
		if len(d) == 1 { // one day: draw it as a short flat line
			d = append(d, d[0])
		}
		data[i] = d
	}
	// Axis labels take labelW cells on the left: "100%" plus the axis.
	const labelW = 4 + 1 + 3 - 1 // label, its pad, asciigraph's offset, minus the cell it writes into
	plotW := max(w-labelW-1, 2)
	plotH := h - 2 // the date axis and the legend
	opts := plotOptions(plotW, plotH, upper, percentAxis)
	chars := make([]asciigraph.CharSet, len(series))
	colours := make([]asciigraph.AnsiColor, len(series))
	for i, s := range series {
		chars[i], colours[i] = s.chars, s.colour
	}
	opts = append(opts, asciigraph.SeriesChars(chars...))
	if colour {
		opts = append(opts, asciigraph.SeriesColors(colours...))
	}
	plot := asciigraph.PlotMany(data, opts...)
	lines := strings.Split(plot, "\n")

	// Date axis: first, middle and last day under the plot area.
	axis := spaces(labelW) + "(no dates)"
	if len(days) > 0 {
		axis = spaces(labelW) + dateAxis(days[min(first, len(days)-1):], plotW)
	}
	lines = append(lines, axis)

	// The legend reads in display order; series are drawn in reverse so that
	// the first ones end up on top.
	var legend []string
	for i := len(series) - 1; i >= 0; i-- {
		s := series[i]
		g := s.glyph
		if colour {
			g = s.colour.String() + g + asciigraph.Default.String()
		}
		legend = append(legend, g+" "+s.label)
	}
	lines = append(lines, spaces(labelW)+strings.Join(legend, "  "))
	return block(strings.Join(lines, "\n"), w, h, true)
}

// plotOptions are asciigraph's options for a plot of w columns and h
// rows (asciigraph draws height+1) from 0 to top, its axis labelled by axis.
func plotOptions(w, h int, top float64, axis func(float64) string) []asciigraph.Option {
	return []asciigraph.Option{
		asciigraph.Height(h - 1),
		asciigraph.Width(w),
		asciigraph.LowerBound(0),
		asciigraph.UpperBound(top),
		asciigraph.YAxisValueFormatter(axis),
	}
}

// dateAxis labels the first, middle and last day across plotW cells (the
// first and last when narrower, the first alone when narrower still). The
// middle label sits at the centre of the plot, so it names the day halfway
// in time: the plot spreads the days evenly over its width.
func dateAxis(days []time.Time, plotW int) string {
	if len(days) == 0 {
		return ""
	}
	d0, d1 := days[0], days[len(days)-1]
	const f = "2006-01-02"
	switch {
	case plotW >= 34 && len(days) > 2:
		mid := d0.Add(d1.Sub(d0) / 2).Format(f)
		left := (plotW - 30) / 2
		return d0.Format(f) + spaces(left) + mid + spaces(plotW-30-left) + d1.Format(f)
	case plotW >= 21 && len(days) > 1:
		return d0.Format(f) + spaces(plotW-20) + d1.Format(f)
	}
	return d0.Format(f)
}

// chartInput is everything a line chart is drawn from: lineChart's
// arguments, as one value that can be compared, kept and handed to a
// command that draws it away from the UI goroutine.
type chartInput struct {
	series []chartSeries
	days   []time.Time
	w, h   int
	colour bool
}

// draw is lineChart of the input.
func (in chartInput) draw() string { return lineChart(in.series, in.days, in.w, in.h, in.colour) }

// sameBox reports whether two inputs are drawn into the same cells and
// palette, whatever their data.
func (in chartInput) sameBox(o chartInput) bool {
	return in.w == o.w && in.h == o.h && in.colour == o.colour
}

// same reports whether two inputs draw the same chart.
func (in chartInput) same(o chartInput) bool {
	if !in.sameBox(o) || len(in.series) != len(o.series) || !slices.EqualFunc(in.days, o.days, time.Time.Equal) {
		return false
	}
	for i, s := range o.series {
		old := in.series[i]
		if old.label != s.label || old.glyph != s.glyph || old.chars != s.chars || old.colour != s.colour ||
			!slices.EqualFunc(old.data, s.data, sameFloat) {
			return false
		}
	}
	return true
}

// clone copies the input's slices, so that a caller changing its own
// slices in place cannot change what the copy says was drawn.
func (in chartInput) clone() chartInput {
	c := in
	c.days = slices.Clone(in.days)
	c.series = make([]chartSeries, len(in.series))
	for i, s := range in.series {
		s.data = slices.Clone(s.data)
		c.series[i] = s
	}
	return c
}

// chartMemo keeps the last line chart drawn with copies of what it was drawn
// from. A new snapshot comes with every source's answer, but the share
// series move only with usage: asciigraph's plot is most of a Share rebuild
// (about 400 KB of allocations a frame at 200x60), and comparing a few
// hundred numbers is not.
type chartMemo struct {
	in       chartInput
	out      string
	drawnYet bool
	// stored counts the charts kept so far; a frame drawn with the memo's
	// chart keys on it, so that a chart arriving later redraws the frame.
	stored uint64
	// drawnBy is the number of the background draw that made the kept
	// chart (share.draws), so that an older draw arriving late is dropped.
	drawnBy uint64
}

// lineChart is lineChart, redrawn only when its input changed.
func (m *chartMemo) lineChart(series []chartSeries, days []time.Time, w, h int, colour bool) string {
	return m.chart(chartInput{series, days, w, h, colour})
}

// chart is the chart of in, drawn now unless it is the one kept.
func (m *chartMemo) chart(in chartInput) string {
	if !m.has(in) {
		m.store(in, in.draw())
	}
	return m.out
}

// has reports whether the kept chart is in's.
func (m *chartMemo) has(in chartInput) bool { return m.drawnYet && m.in.same(in) }

// fits reports whether the kept chart fills in's cells, though maybe with
// older data.
func (m *chartMemo) fits(in chartInput) bool { return m.drawnYet && m.in.sameBox(in) }

// store keeps out as the chart of in.
func (m *chartMemo) store(in chartInput, out string) {
	m.in, m.out, m.drawnYet = in.clone(), out, true
	m.stored++
}

// sameFloat is equality that holds for NaN (no data that day) too.
func sameFloat(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
