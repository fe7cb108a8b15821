package ui

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/lipgloss"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// The frontier view (v on Prices): every paid listing with an AA
// intelligence index placed by its index against what the planner's workload
// costs a day on it (a log scale: costs span four orders of magnitude), the
// cheapest listing at each level of quality marked. Free and variable-priced
// listings have no place on a cost axis and are listed apart. Glyphs, not
// colours, tell the marks apart, so NO_COLOR loses nothing.
const (
	markListing  = '·'
	markFrontier = '◆'
	markRef      = 'R'
	markMix      = 'M'
	markOldScale = '○'
)

// frontierPoint is one listing on the chart.
type frontierPoint struct {
	v      *model.ListingView
	perDay float64
	index  float64
}

// frontierData gathers the chart's points and what is shown apart.
type frontierData struct {
	points   []frontierPoint
	onFront  map[string]bool
	frontier []frontierPoint // cheapest first
	free     []string        // free listings with an index
	variable int             // variable-priced listings with an index
	oldScale int             // points whose index predates the newest scale
	scale    string
}

func gatherFrontier(s *model.Snapshot, w model.Workload) frontierData {
	var d frontierData
	newest := time.Time{}
	for i := range s.Listings {
		if !s.Listings[i].Indexed {
			continue
		}
		if ix := s.Listings[i].Indexes(); ix.AsOf.After(newest) {
			newest = ix.AsOf
		}
	}
	d.scale = model.IndexScale(model.IndexIntelligence, newest)
	var fp []model.FrontierPoint
	for i := range s.Listings {
		v := &s.Listings[i]
		if v.Alias {
			continue
		}
		val := w.ValueOfView(v, model.IndexIntelligence)
		switch val.Kind {
		case model.ValueFree:
			d.free = append(d.free, displayName(safe(v.Name)))
		case model.ValueVariable:
			d.variable++
		case model.ValuePaid:
			d.points = append(d.points, frontierPoint{v: v, perDay: val.PerDay, index: val.Index})
			// Only indexes on the newest scale are compared: a frontier
			// across AA's re-scaling would mix two yardsticks.
			if model.IndexScale(model.IndexIntelligence, v.Indexes().AsOf) == d.scale {
				fp = append(fp, model.FrontierPoint{ID: v.ID, PerDay: val.PerDay, Index: val.Index})
			} else {
				d.oldScale++
			}
		}
	}
	d.onFront = map[string]bool{}
	for _, id := range model.Frontier(fp) {
		d.onFront[id] = true
	}
	for _, p := range d.points {
		if d.onFront[p.v.ID] {
			d.frontier = append(d.frontier, p)
		}
	}
	sort.Slice(d.frontier, func(i, j int) bool { return d.frontier[i].perDay < d.frontier[j].perDay })
	sort.Strings(d.free)
	return d
}

// renderFrontier draws the frontier view into the tab's body.
func (p *prices) renderFrontier() string {
	st := p.e.st
	if p.snap == nil {
		return "\n  waiting for data…"
	}
	w := p.workload()
	d := gatherFrontier(p.snap, w)
	refID := p.e.opts.Reference
	if refID == "" {
		refID = model.DefaultReference
	}
	mix := map[string]bool{}
	for _, m := range p.plan.mix {
		mix[m.id] = true
	}
	head := "frontier · AA intelligence vs $/day of " + model.FormatTokenCount(w.TokensPerDay) + " tokens/day " +
		blendLabel(w.InputShare) + " · log $ · ◆ cheapest at its level · R reference · M mix · v back"
	if p.snap.Simulated() {
		head = "DEMO · " + head
	}
	lines := []string{st.dim.s(truncate(head, p.w))}
	if len(d.points) == 0 {
		lines = append(lines, "", "  no priced listing carries an AA intelligence index yet")
		return strings.Join(lines, "\n")
	}

	// The legend: the frontier, cheapest first, as many as fit beside the
	// notes under the chart.
	var notes []string
	if len(d.free) > 0 {
		notes = append(notes, "free, not on the $ axis: "+strings.Join(d.free, ", "))
	}
	if d.variable > 0 {
		notes = append(notes, strconv.Itoa(d.variable)+" variable-priced with an index, not on the $ axis")
	}
	if d.oldScale > 0 {
		notes = append(notes, "○ "+strconv.Itoa(d.oldScale)+" indexed on an older AA scale: not compared ("+d.scale+")")
	}
	legendRows := min(len(d.frontier), max(p.h/4, 2))
	chartH := p.h - 1 - len(notes) - legendRows - 1
	if chartH < 6 {
		legendRows = max(0, legendRows-(6-chartH))
		chartH = p.h - 1 - len(notes) - legendRows - 1
	}
	chartH = max(chartH, 3)

	minX, maxX := math.Inf(1), math.Inf(-1)
	minY, maxY := 100.0, 0.0
	for _, pt := range d.points {
		x := math.Log10(pt.perDay)
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, pt.index), math.Max(maxY, pt.index)
	}
	minX, maxX = math.Floor(minX), math.Ceil(maxX)
	if maxX <= minX {
		maxX = minX + 1
	}
	minY, maxY = math.Floor(minY/10)*10, math.Ceil(maxY/10)*10
	if maxY <= minY {
		maxY = minY + 10
	}
	// Every column and row is offered a label; the formatters name only the
	// decade ($1, $10, $100) and the tens of the index, and the chart drops
	// repeats, so labels fall where a decade or a ten begins.
	colW := (maxX - minX) / float64(p.w-6)
	xf := func(_ int, v float64) string { return decadeLabel(int(math.Floor(v + colW/2))) }
	yf := func(_ int, v float64) string { return strconv.Itoa(int(math.Floor(v/10+1e-9)) * 10) }
	chart := linechart.New(p.w-1, chartH, minX, maxX, minY, maxY,
		linechart.WithXYSteps(1, 1),
		linechart.WithXLabelFormatter(xf), linechart.WithYLabelFormatter(yf),
		linechart.WithStyles(lipgloss.NewStyle(), lipgloss.NewStyle(), lipgloss.NewStyle()))
	chart.DrawXYAxisAndLabel()
	plain := lipgloss.NewStyle()
	// Ordinary points first, then the marked ones on top of them.
	rank := func(pt frontierPoint) int {
		switch {
		case pt.v.ID == refID:
			return 4
		case mix[pt.v.ID]:
			return 3
		case d.onFront[pt.v.ID]:
			return 2
		case model.IndexScale(model.IndexIntelligence, pt.v.Indexes().AsOf) != d.scale:
			return 1
		}
		return 0
	}
	pts := append([]frontierPoint(nil), d.points...)
	sort.SliceStable(pts, func(i, j int) bool { return rank(pts[i]) < rank(pts[j]) })
	for _, pt := range pts {
		r := markListing
		switch rank(pt) {
		case 4:
			r = markRef
		case 3:
			r = markMix
		case 2:
			r = markFrontier
		case 1:
			r = markOldScale
		}
		chart.DrawRuneWithStyle(canvas.Float64Point{X: math.Log10(pt.perDay), Y: pt.index}, r, plain)
	}
	for _, l := range strings.Split(chart.View(), "\n") {
		lines = append(lines, truncate(strings.TrimRight(l, " "), p.w))
	}
	for i := 0; i < legendRows; i++ {
		f := d.frontier[len(d.frontier)-1-i] // best first
		line := " ◆ " + displayName(safe(f.v.Name)) + "  " + strconv.FormatFloat(f.index, 'f', 1, 64) +
			"  " + units.USD(f.perDay) + "/day"
		if ref, ok := p.snap.Listing(refID); ok && f.v.ID != refID {
			if phrase := w.ComparePhrase(*ref.Listing(), *f.v.Listing(), model.IndexIntelligence); phrase != "" {
				line += "  " + phrase
			}
		}
		lines = append(lines, truncate(line, p.w))
	}
	if n := len(d.frontier) - legendRows; n > 0 {
		lines = append(lines, st.dim.s(truncate("   +"+strconv.Itoa(n)+" more on the frontier", p.w)))
	}
	for _, n := range notes {
		lines = append(lines, st.dim.s(truncate(" "+n, p.w)))
	}
	if len(lines) > p.h {
		lines = lines[:p.h]
	}
	return strings.Join(lines, "\n")
}

// decadeLabel names 10^n dollars: $0.01, $0.1, $1, $10, $100, $1k, $10k.
func decadeLabel(n int) string {
	switch {
	case n < 0:
		return "$0." + strings.Repeat("0", -n-1) + "1"
	case n >= 3:
		return "$1" + strings.Repeat("0", n-3) + "k"
	}
	return "$1" + strings.Repeat("0", n)
}
