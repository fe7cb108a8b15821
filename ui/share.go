package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// share is tab 2: token share by origin over time, each origin's current
// share, the crossovers so far and the top authors.
type share struct {
	tabBase[shareState]
	tasks   key.Binding // t shows what the tokens are for
	tasksOn bool
	chart   chartMemo
	// drawing is the chart being drawn in a command (drawChart), its
	// number in draws; drawing is 0 when none is.
	drawing   uint64
	drawingIn chartInput
	draws     uint64
	// asked is what background last looked at: when none of it changed,
	// there is nothing new to draw, and the series are not compared again
	// on every key and tick.
	asked chartAsk
}

// chartAsk is what the chart to draw follows from besides the palette
// (which never changes in a tab's life).
type chartAsk struct {
	snap  *model.Snapshot
	w, h  int
	tasks bool
}

// shareState is what a Share frame depends on besides the snapshot and the
// size: the tasks panel, and which chart the memo keeps (a new day's chart
// arrives after its snapshot, see background).
type shareState struct {
	tasks bool
	chart uint64
}

// chartDrawn is the answer of drawChart: the chart of in, the draw'th one
// asked for. Every tab gets it (broadcast), since the user may have left
// the Share tab while it was drawn.
type chartDrawn struct {
	draw uint64
	in   chartInput
	out  string
}

func (chartDrawn) broadcast() {}

func newShare(e *env) *share {
	return &share{tabBase: tabBase[shareState]{e: e},
		tasks: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tasks"))}
}

// Title implements Tab.
func (s *share) Title() string { return "Share" }

// Update implements Tab: t toggles the tasks panel (esc leaves it), and a
// chart drawn in the background is kept.
func (s *share) Update(msg tea.Msg) tea.Cmd {
	if d, ok := msg.(chartDrawn); ok {
		// Any chart newer than the kept one is kept, even if a newer draw
		// is on its way: snapshots faster than draws still move the chart.
		if d.draw > s.chart.drawnBy {
			s.chart.store(d.in, d.out)
			s.chart.drawnBy = d.draw
		}
		if d.draw == s.drawing {
			s.drawing = 0
		}
		return nil
	}
	if km, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(km, s.tasks):
			s.tasksOn = !s.tasksOn
		case s.tasksOn && km.String() == "esc":
			s.tasksOn = false
		}
	}
	return nil
}

// Help implements Tab.
func (s *share) Help() ([]key.Binding, [][]key.Binding) {
	return []key.Binding{s.tasks}, [][]key.Binding{{s.tasks}}
}

// View implements Tab.
func (s *share) View() string {
	if s.tasksOn {
		return s.frame(shareState{tasks: true}, s.renderTasks)
	}
	return s.fittedFrame(shareState{chart: s.chart.stored}, s.render)
}

// background starts drawing a new day's chart in a command, away from the
// UI goroutine, and returns it (nil when there is nothing to draw). The
// root calls it after every Update of the tab on screen.
//
// asciigraph allocates a cell grid of the whole plot on every draw, about
// 220 µs and 300 KB at 200x60 (BenchmarkShareChartDraw): two thirds of a
// Share rebuild. A chart moves only with usage (a new day), so the frame
// keeps the day-old chart for the millisecond the draw takes and redraws
// when chartDrawn brings the new one. A first chart, a new size or palette
// has no old chart that fits: it is drawn at once, in Update.
func (s *share) background() tea.Cmd {
	ask := chartAsk{s.snap, s.w, s.h, s.tasksOn}
	if ask == s.asked || s.tasksOn {
		s.asked = ask
		return nil
	}
	s.asked = ask
	in, ok := s.chartInput()
	switch {
	case !ok || s.chart.has(in):
		return nil
	case !s.chart.fits(in):
		s.drawNow(in)
		return nil
	case s.drawing != 0 && s.drawingIn.same(in):
		return nil // on its way
	}
	s.draws++
	s.drawing, s.drawingIn = s.draws, in
	n := s.draws
	return func() tea.Msg { return chartDrawn{draw: n, in: in, out: in.draw()} }
}

// drawNow draws in's chart at once and keeps it. It is newer than every
// draw asked for before it, so none of those answering later replaces it.
func (s *share) drawNow(in chartInput) string {
	out := s.chart.chart(in)
	s.chart.drawnBy = s.draws
	return out
}

// chartInput is the chart the current snapshot and size call for: the
// origins' series, in the box render gives the chart. ok is false when
// there is no chart to draw (no snapshot, no volumes).
func (s *share) chartInput() (in chartInput, ok bool) {
	snap := s.snap
	if snap == nil || !snap.HasVolumes || len(snap.Origins) == 0 {
		return chartInput{}, false
	}
	st := s.e.st
	in.series = make([]chartSeries, 0, len(chartOrigins))
	for _, co := range chartOrigins {
		data := snap.OriginSeries[co.o]
		if co.o == model.OriginUnknown && !anyAbove(data, 0.05) {
			continue // routers and unresolved aliases: drawn only when they matter
		}
		cs := co.chars()
		cs.label, cs.data, cs.colour = string(co.o), data, st.chart[co.o]
		in.series = append(in.series, cs)
	}
	in.days, in.colour = snap.Days, !st.ascii
	in.w, in.h = s.chartBox()
	return in, true
}

// sharePanelW is the width of the panel beside the chart at wide sizes.
const sharePanelW = 44

// chartBox is the chart's size in cells: beside the panel at 120 columns
// and more, else on top, over about half the body.
func (s *share) chartBox() (w, h int) {
	bodyH := s.h - 1
	if s.w >= 120 {
		return s.w - sharePanelW - 2, bodyH
	}
	return s.w, max(bodyH/2+1, min(8, bodyH))
}

// chartOrigins are the origins drawn, in drawing order: later lines overdraw
// earlier ones, so the two that matter most (US, CN) go last.
var chartOrigins = []struct {
	o     model.Origin
	chars func() chartSeries
}{
	{model.OriginUnknown, func() chartSeries { return chartSeries{chars: starLine, glyph: "*"} }},
	{model.OriginOther, func() chartSeries { return chartSeries{chars: dotLine, glyph: "·"} }},
	{model.OriginEU, func() chartSeries { return chartSeries{chars: doubleLine, glyph: "═"} }},
	{model.OriginUS, func() chartSeries { return chartSeries{chars: heavyLine, glyph: "━"} }},
	{model.OriginCN, func() chartSeries { return chartSeries{chars: lightLine, glyph: "─"} }},
}

func (s *share) render() string {
	st := s.e.st
	snap := s.snap
	if snap == nil {
		return block("\n  waiting for data…", s.w, s.h, true)
	}
	if !snap.HasVolumes || len(snap.Origins) == 0 {
		msg := "Token shares need token volumes (" + snap.VolumesNote() + "). " +
			"Without volumes tokentape shows the ranking order only and does not invent shares."
		return block("\n"+strings.Join(wrapIndent(msg, max(s.w-2, 12), "  "), "\n"), s.w, s.h, true)
	}
	title := s.e.figure(staleVolumes, "Token share by origin") + " · trailing " + strconv.Itoa(snap.Window) + "-day window"
	if n := len(snap.Days); n > 0 {
		title += " · " + snap.Days[0].Format("2006-01-02") + " → " + snap.Days[n-1].Format("2006-01-02")
	}
	head := st.bold.s(truncate(title, s.w))
	bodyH := s.h - 1

	// The chart Update prepared (background): this snapshot's, or the last
	// day's while this one's is being drawn. A tab drawn without Update
	// (never so in the program) draws its chart here.
	chart := s.chart.out
	if w, h := s.chartBox(); !s.chart.fits(chartInput{w: w, h: h, colour: !st.ascii}) {
		in, _ := s.chartInput()
		chart = s.drawNow(in)
	}
	if s.w >= 120 {
		panel := block(strings.Join(s.panel(sharePanelW, bodyH, true), "\n"), sharePanelW, bodyH, true)
		// Both blocks are cut and padded to their widths, which with the
		// gap make the body's: their lines go into the body as they are,
		// not joined, split, measured and padded again.
		o := newBody(s.w, s.h, 3*s.w) // box-drawing glyphs are three bytes
		o.line(head)
		for more := true; more; {
			var l, r string
			l, chart, more = strings.Cut(chart, "\n")
			r, panel, _ = strings.Cut(panel, "\n")
			if !o.open() {
				break
			}
			o.write(l)
			o.write("  ")
			o.write(r)
		}
		return o.String()
	}
	// Narrow: chart on top, then the shares and crossovers beside the authors.
	_, chartH := s.chartBox()
	restH := bodyH - chartH
	if restH <= 0 {
		return block(head+"\n"+chart, s.w, s.h, true)
	}
	leftW := s.w/2 - 1
	rightW := s.w - leftW - 2
	left := block(strings.Join(s.originsAndCrossovers(leftW, restH), "\n"), leftW, restH, true)
	right := block(strings.Join(s.authorsAndApps(rightW, restH), "\n"), rightW, restH, true)
	return block(head+"\n"+chart+"\n"+sideBySide(left, right, 2), s.w, s.h, true)
}

// anyAbove reports whether a series has a value above x.
func anyAbove(data []float64, x float64) bool {
	for _, v := range data {
		if v > x {
			return true
		}
	}
	return false
}

// panel is the right-hand column at wide sizes: shares, crossovers,
// authors, and the apps below them when the height allows.
func (s *share) panel(w, h int, _ bool) []string {
	lines := s.originsAndCrossovers(w, h)
	lines = append(lines, "")
	return append(lines, s.authorsAndApps(w, h-len(lines))...)
}

// minAppsRows is the least room the apps take (title, column titles and
// four apps); they show only when the authors keep at least as much, and
// stay hidden rather than squeeze the authors.
const minAppsRows = 6

// authorsAndApps fills h lines with the top authors and, when there are
// apps and room for both, the apps burning the tokens under them.
func (s *share) authorsAndApps(w, h int) []string {
	if len(s.snap.Apps) == 0 || h < 2*minAppsRows+2 {
		return s.authors(w, h)
	}
	authorsH := min(h/2, len(s.snap.Authors)+1)
	lines := s.authors(w, authorsH)
	lines = append(lines, "")
	return append(lines, s.apps(w, h-len(lines))...)
}

// apps lists the apps and agents burning the tokens ("who burns the
// tokens"), as many as fit in h lines.
func (s *share) apps(w, h int) []string {
	st := s.e.st
	lines := []string{st.bold.s(truncate("Who burns the tokens · top apps", w))}
	const rankW, tokW, reqW = 3, 6, 7
	nameW := max(w-rankW-tokW-reqW-3, 4)
	lines = append(lines, st.dim.s(fitRight("#", rankW)+" "+fitLeft("app", nameW)+" "+fitRight("tokens", tokW)+" "+fitRight("reqs", reqW)))
	widths := []int{rankW, nameW, tokW, reqW}
	for _, a := range s.snap.Apps {
		if len(lines) >= h {
			break
		}
		lines = append(lines, shareRow(widths, st, func(c int) (string, bool, paint, bool) {
			switch c {
			case 0:
				return strconv.Itoa(a.Rank), true, paint{}, false
			case 1:
				return safe(a.Name), false, paint{}, false
			case 2:
				return s.e.figure(staleApps, units.Tokens(a.Tokens)), true, paint{}, false
			}
			return s.e.figure(staleApps, units.Tokens(a.Requests)), true, paint{}, false
		}))
	}
	return lines
}

// originsAndCrossovers reads each origin's current share out with a bar
// ("CN ██████████ 55.2%") and lists the crossovers so far.
func (s *share) originsAndCrossovers(w, h int) []string {
	st := s.e.st
	snap := s.snap
	lines := []string{st.bold.s("Share now (" + strconv.Itoa(snap.Window) + "d)")}
	barW := max(w-8-7, 1)
	for _, os := range snap.Origins {
		if os.Origin == model.OriginUnknown && os.Share < 0.05 {
			continue
		}
		label := fitLeft(string(os.Origin), 7)
		lines = append(lines, st.origin[os.Origin].s(label+" "+bar(os.Share/100, barW))+fitRight(s.e.figure(staleVolumes, units.Percent(os.Share)), 7))
	}
	lines = append(lines, "", st.bold.s("Crossovers"))
	xs := snap.Crossovers
	room := h - len(lines)
	if len(xs) == 0 {
		lines = append(lines, st.dim.s("none yet"))
		return lines
	}
	if room > 0 && len(xs) > room {
		xs = xs[len(xs)-room:] // the most recent ones
	}
	for _, x := range xs {
		lines = append(lines, truncate(string(x.Leader)+" passed "+string(x.Passed)+" · week of "+
			mondayOf(x.Day).Format("2006-01-02"), w))
	}
	return lines
}

// shareRow lays out one line of the panel's tables, cells a space apart:
// cell(c) gives cell c's text, its alignment and, when coloured, its paint.
func shareRow(widths []int, st *styles, cell func(c int) (string, bool, paint, bool)) string {
	return joinRow(widths, 1, false, false, st, func(c, _ int) (string, bool, paint, bool) { return cell(c) })
}

// authors lists the top authors by share, as many as fit.
func (s *share) authors(w, h int) []string {
	st := s.e.st
	lines := []string{st.bold.s("Top authors")}
	nameW := max(w-3-1-1-5-1-7-1-6, 4)
	widths := []int{3, nameW, 5, 7, 6} // rank, author, origin, share, tokens
	for i, a := range s.snap.Authors {
		if len(lines) >= h {
			break
		}
		// One buffer a line (joinRow) rather than a string per cell.
		line := shareRow(widths, st, func(c int) (string, bool, paint, bool) {
			switch c {
			case 0:
				return strconv.Itoa(i + 1), true, paint{}, false
			case 1:
				return safe(a.Author), false, paint{}, false
			case 2:
				return originCell(a.Origin), false, st.origin[a.Origin], true
			case 3:
				return s.e.figure(staleVolumes, units.Percent(a.Share)), true, paint{}, false
			}
			return s.e.figure(staleVolumes, units.Tokens(a.Tokens)), true, paint{}, false
		})
		lines = append(lines, line)
	}
	if len(s.snap.Authors) == 0 {
		lines = append(lines, st.dim.s("no usage yet"))
	}
	return lines
}
