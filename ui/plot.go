package ui

import (
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/guptarohit/asciigraph"
)

// plotMany draws what asciigraph.PlotMany(data, Height(height), Width(w),
// LowerBound(0), UpperBound(top), YAxisValueFormatter(axis),
// SeriesChars(chars...), SeriesColors(colours...)) draws, byte for byte
// (TestPlotManyIsAsciigraphs compares them), for the charts of Share and
// the detail. asciigraph builds a row of cells per line, each initialised
// to a space, and copies every series: on a new day, when every chart is
// drawn again, that was most of a Share rebuild. Here the grid is one
// block from a pool, its zero cell a space, and the lines are written into
// one buffer.
func plotMany(data [][]float64, w, height int, top float64, axis func(float64) string,
	chars []asciigraph.CharSet, colours []asciigraph.AnsiColor) string {
	const offset = 3
	lenMax := 0
	for _, d := range data {
		lenMax = max(lenMax, len(d))
	}
	// Each series padded with NaN to the longest, then fitted to w points.
	fitted := make([][]float64, len(data))
	for i, d := range data {
		fitted[i] = interpolate(d, lenMax, w)
	}
	lenMax = w

	minimum, maximum := math.Inf(1), math.Inf(-1)
	for _, d := range fitted {
		for _, v := range d {
			if v < minimum {
				minimum = v
			}
			if v > maximum {
				maximum = v
			}
		}
	}
	minimum = min(minimum, 0) // LowerBound(0); NaN never lands here
	if top > maximum {
		maximum = top
	}
	interval := math.Abs(maximum - minimum)
	if height <= 0 {
		height = plotHeight(interval)
	}
	ratio := 1.0
	if interval != 0 {
		ratio = float64(height) / interval
	}
	min2 := plotRound(minimum * ratio)
	max2 := plotRound(maximum * ratio)
	intmin2, intmax2 := int(min2), int(max2)
	rows := int(math.Abs(float64(intmax2 - intmin2)))
	width := lenMax + offset

	grid := plotGrids.Get().(*plotGrid)
	defer plotGrids.Put(grid)
	cells := grid.reset((rows + 1) * width)
	at := func(r, c int) *plotCell { return &cells[r*width+c] }
	// The cells name their text by its index in texts: a grid without
	// pointers is neither scanned by the collector nor as wide to clear.
	texts := append(grid.texts[:0], "", "┤", "┼")
	const axisTick, firstValue = 1, 2
	text := func(s string) uint32 {
		texts = append(texts, s)
		return uint32(len(texts) - 1)
	}

	// The y axis: one label a row, right-aligned to the widest.
	labels := grid.labels[:0]
	maxWidth := 0
	for y := intmin2; y < intmax2+1; y++ {
		var magnitude float64
		switch {
		case rows > 0 && interval > 0:
			magnitude = maximum - (float64(y-intmin2) * interval / float64(rows))
		case interval == 0:
			magnitude = minimum
		default:
			magnitude = float64(y)
		}
		l := axis(magnitude)
		labels = append(labels, l)
		maxWidth = max(maxWidth, utf8.RuneCountInString(l))
	}
	grid.labels = labels
	for r, val := range labels {
		label := strings.Repeat(" ", maxWidth+1-utf8.RuneCountInString(val)) + val
		h := max(offset-utf8.RuneCountInString(label), 0)
		*at(r, h) = plotCell{text: text(label)}
		*at(r, offset-1) = plotCell{text: axisTick}
	}

	for i, series := range fitted {
		colour := asciigraph.Default
		if i < len(colours) {
			colour = colours[i]
		}
		cs := charSetOf(chars, i)
		endCap, startCap, horizontal := text(cs.EndCap), text(cs.StartCap), text(cs.Horizontal)
		upRight, downLeft, downRight, upLeft := text(cs.ArcUpRight), text(cs.ArcDownLeft), text(cs.ArcDownRight), text(cs.ArcUpLeft)
		vertical := text(cs.VerticalLine)
		var y0, y1 int
		if !math.IsNaN(series[0]) {
			y0 = int(plotRound(series[0]*ratio) - min2)
			*at(rows-y0, offset-1) = plotCell{text: firstValue}
		}
		for x := 0; x < len(series)-1; x++ {
			d0, d1 := series[x], series[x+1]
			nan0, nan1 := math.IsNaN(d0), math.IsNaN(d1)
			switch {
			case nan0 && nan1:
				continue
			case nan1:
				y0 = int(plotRound(d0*ratio) - float64(intmin2))
				*at(rows-y0, x+offset) = plotCell{endCap, colour}
				continue
			case nan0:
				y1 = int(plotRound(d1*ratio) - float64(intmin2))
				*at(rows-y1, x+offset) = plotCell{startCap, colour}
				continue
			}
			y0 = int(plotRound(d0*ratio) - float64(intmin2))
			y1 = int(plotRound(d1*ratio) - float64(intmin2))
			if y0 == y1 {
				at(rows-y0, x+offset).text = horizontal
			} else {
				if y0 > y1 {
					at(rows-y1, x+offset).text = upRight
					at(rows-y0, x+offset).text = downLeft
				} else {
					at(rows-y1, x+offset).text = downRight
					at(rows-y0, x+offset).text = upLeft
				}
				for y := min(y0, y1) + 1; y < max(y0, y1); y++ {
					at(rows-y, x+offset).text = vertical
				}
			}
			for y := min(y0, y1); y <= max(y0, y1); y++ {
				at(rows-y, x+offset).colour = colour
			}
		}
	}

	var b strings.Builder
	b.Grow((rows + 1) * (width + 8))
	for r := 0; r <= rows; r++ {
		if r != 0 {
			b.WriteByte('\n')
		}
		line := cells[r*width : (r+1)*width]
		last := 0 // trailing spaces are cut
		for i := width - 1; i >= 0; i-- {
			if t := texts[line[i].text]; t != "" && t != " " {
				last = i
				break
			}
		}
		c := asciigraph.Default
		for _, v := range line[:last+1] {
			if v.colour != c {
				c = v.colour
				b.WriteString(c.String())
			}
			if v.text == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteString(texts[v.text])
			}
		}
		if c != asciigraph.Default {
			b.WriteString(asciigraph.Default.String())
		}
	}
	clear(texts) // the pool keeps no strings alive
	clear(grid.labels)
	grid.texts = texts
	return b.String()
}

// plotCell is one cell of the grid: its text's index in the plot's texts,
// 0 for a space (the zero cell).
type plotCell struct {
	text   uint32
	colour asciigraph.AnsiColor
}

// plotGrid is a plot's scratch, pooled: serve draws many programs' charts
// at once.
type plotGrid struct {
	cells  []plotCell
	labels []string
	texts  []string
}

var plotGrids = sync.Pool{New: func() any { return new(plotGrid) }}

// reset returns n space cells.
func (g *plotGrid) reset(n int) []plotCell {
	if cap(g.cells) < n {
		g.cells = make([]plotCell, n)
	}
	g.cells = g.cells[:n]
	clear(g.cells)
	return g.cells
}

// interpolate is asciigraph's fitting of a series, padded with NaN to n
// values, to fit points.
func interpolate(d []float64, n, fit int) []float64 {
	get := func(i int) float64 {
		if i < len(d) {
			return d[i]
		}
		return math.NaN()
	}
	out := make([]float64, 0, max(fit, 2))
	spring := float64(n-1) / float64(fit-1)
	out = append(out, get(0))
	for i := 1; i < fit-1; i++ {
		s := float64(i) * spring
		before, after := math.Floor(s), math.Ceil(s)
		a, b := get(int(before)), get(int(after))
		out = append(out, a+(b-a)*(s-before))
	}
	return append(out, get(n-1))
}

// charSetOf is asciigraph's character set of series i: chars[i] with its
// empty fields from the default, or the default.
func charSetOf(chars []asciigraph.CharSet, i int) asciigraph.CharSet {
	if i >= len(chars) {
		return asciigraph.DefaultCharSet
	}
	cs, def := chars[i], asciigraph.DefaultCharSet
	for _, f := range []struct {
		v *string
		d string
	}{
		{&cs.Horizontal, def.Horizontal}, {&cs.VerticalLine, def.VerticalLine},
		{&cs.ArcDownRight, def.ArcDownRight}, {&cs.ArcDownLeft, def.ArcDownLeft},
		{&cs.ArcUpRight, def.ArcUpRight}, {&cs.ArcUpLeft, def.ArcUpLeft},
		{&cs.EndCap, def.EndCap}, {&cs.StartCap, def.StartCap},
		{&cs.UpRight, def.UpRight}, {&cs.DownHorizontal, def.DownHorizontal},
	} {
		if *f.v == "" {
			*f.v = f.d
		}
	}
	return cs
}

// plotRound is asciigraph's rounding: half away from zero, NaN kept.
func plotRound(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	sign := 1.0
	if v < 0 {
		sign, v = -1, -v
	}
	if _, frac := math.Modf(v); frac >= 0.5 {
		return math.Ceil(v) * sign
	}
	return math.Floor(v) * sign
}

// plotHeight is asciigraph's height for an interval when none is given.
func plotHeight(interval float64) int {
	if interval >= 1 {
		return int(interval)
	}
	scaled := interval / math.Pow(10, math.Floor(math.Log10(interval)))
	if scaled < 2 {
		return int(math.Ceil(scaled))
	}
	return int(math.Floor(scaled))
}
