package ui

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/guptarohit/asciigraph"
)

// TestPlotManyIsAsciigraphs: plotMany draws byte for byte what asciigraph
// draws with the options it stands for, on random charts of one to five
// series of one to 90 points (gaps of NaN, all-NaN series, flat and zero
// series, values over the top), in widths 1 to 200 and heights 1 to 31 (a height of 0 asks asciigraph
// for one row a unit of the data),
// with and without colours and character sets, on both axes the UI uses.
func TestPlotManyIsAsciigraphs(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 9))
	sets := []asciigraph.CharSet{lightLine, heavyLine, doubleLine, dotLine, starLine, {Horizontal: "-"}}
	palette := []asciigraph.AnsiColor{asciigraph.Red, asciigraph.Blue, asciigraph.Yellow, asciigraph.Magenta, asciigraph.DarkGray, asciigraph.Cyan}
	for round := range 3000 {
		data := make([][]float64, 1+rnd.IntN(5))
		scale := []float64{1, 100, 1e9, 0.01}[rnd.IntN(4)]
		for i := range data {
			d := make([]float64, 1+rnd.IntN(90))
			mode := rnd.IntN(6)
			for j := range d {
				switch {
				case mode == 0:
					d[j] = math.NaN()
				case mode == 1:
					d[j] = scale / 2
				case mode == 2:
					d[j] = 0
				case rnd.IntN(8) == 0:
					d[j] = math.NaN()
				default:
					d[j] = rnd.Float64() * scale
				}
			}
			data[i] = d
		}
		w, height := 1+rnd.IntN(200), 1+rnd.IntN(31)
		top := []float64{0, scale / 3, scale, 10 * scale}[rnd.IntN(4)]
		axis := []func(float64) string{percentAxis, tokenAxis}[rnd.IntN(2)]
		var chars []asciigraph.CharSet
		var colours []asciigraph.AnsiColor
		if rnd.IntN(2) == 0 {
			for range rnd.IntN(len(data) + 1) {
				chars = append(chars, sets[rnd.IntN(len(sets))])
			}
		}
		if rnd.IntN(2) == 0 {
			for range rnd.IntN(len(data) + 1) {
				colours = append(colours, palette[rnd.IntN(len(palette))])
			}
		}
		opts := []asciigraph.Option{asciigraph.Height(height), asciigraph.Width(w), asciigraph.LowerBound(0),
			asciigraph.UpperBound(top), asciigraph.YAxisValueFormatter(axis)}
		if chars != nil {
			opts = append(opts, asciigraph.SeriesChars(chars...))
		}
		if colours != nil {
			opts = append(opts, asciigraph.SeriesColors(colours...))
		}
		if got, want := plotMany(data, w, height, top, axis, chars, colours), asciigraph.PlotMany(data, opts...); got != want {
			t.Fatalf("round %d (w %d, height %d, top %g, %d series): plotMany drew\n%s\nasciigraph\n%s", round, w, height, top, len(data), got, want)
		}
	}
}

// BenchmarkPlotMany is the Share chart's plot at 200x60: five series of 70
// days in 188 columns and 53 rows.
func BenchmarkPlotMany(b *testing.B) {
	data := make([][]float64, 5)
	for i := range data {
		data[i] = make([]float64, 70)
		for j := range data[i] {
			data[i][j] = 10 + 10*float64(i) + 5*math.Sin(float64(j)/7+float64(i))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = plotMany(data, 188, 52, 60, percentAxis, []asciigraph.CharSet{lightLine, heavyLine, doubleLine, dotLine, starLine}, nil)
	}
}

// TestPercentAxisIsSprintf: percentAxis writes what fmt's "%3.0f%%" does.
func TestPercentAxisIsSprintf(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 0.5, 1.5, 2.5, -0.4, -0.6, 9.49, 9.5, 99.5, 100, 999.5, 1234.5, -12, 1e21, -1e21,
		math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, math.SmallestNonzeroFloat64}
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		values = append(values, (rnd.Float64()-0.2)*float64(rnd.IntN(4000)))
	}
	for _, v := range values {
		if got, want := percentAxis(v), fmt.Sprintf("%3.0f%%", v); got != want {
			t.Errorf("percentAxis(%v) = %q, want %q", v, got, want)
		}
	}
}
