package ui

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func days(n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = fixDay0.AddDate(0, 0, i)
	}
	return out
}

func constSeries(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// TestLineChartEdgeCases feeds asciigraph what makes it panic or mislead:
// nothing, all NaN, ±Inf, one day, a flat line, a tiny area.
func TestLineChartEdgeCases(t *testing.T) {
	rising := make([]float64, 30)
	for i := range rising {
		rising[i] = float64(i)
	}
	withInf := constSeries(10, 20)
	withInf[3], withInf[6] = math.Inf(1), math.Inf(-1)
	leadingNaN := constSeries(20, 40)
	for i := 0; i < 10; i++ {
		leadingNaN[i] = math.NaN()
	}
	tests := []struct {
		name   string
		series []chartSeries
		days   []time.Time
		w, h   int
		want   []string // substrings
	}{
		{"no series", nil, days(10), 60, 12, []string{"no share data yet"}},
		{"empty series", []chartSeries{{label: "CN", chars: lightLine}}, nil, 60, 12, []string{"no share data yet"}},
		{"all NaN", []chartSeries{{label: "CN", data: constSeries(10, math.NaN()), chars: lightLine}}, days(10), 60, 12, []string{"no share data yet"}},
		{"flat", []chartSeries{{label: "CN", glyph: "─", data: constSeries(10, 30), chars: lightLine}}, days(10), 60, 12, []string{" 30%", "  0%", "─ CN"}},
		{"zero flat", []chartSeries{{label: "EU", data: constSeries(10, 0), chars: lightLine}}, days(10), 60, 12, []string{" 10%", "  0%"}},
		{"inf", []chartSeries{{label: "US", data: withInf, chars: heavyLine}}, days(10), 60, 12, []string{" 20%"}},
		{"one day", []chartSeries{{label: "US", data: []float64{55}, chars: heavyLine}}, days(1), 60, 12, []string{" 60%", "2025-12-12"}},
		{"leading NaN cut", []chartSeries{{label: "CN", data: leadingNaN, chars: lightLine}}, days(20), 60, 12, []string{"2025-12-22", "2025-12-31"}},
		{"rising", []chartSeries{{label: "CN", data: rising, chars: lightLine}}, days(30), 80, 14, []string{" 30%", "2025-12-12", "2026-01-10"}},
		{"too small", []chartSeries{{label: "CN", data: rising, chars: lightLine}}, days(30), 10, 3, []string{"chart"}},
		{"no dates", []chartSeries{{label: "CN", data: rising, chars: lightLine}}, nil, 60, 12, []string{"(no dates)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := lineChart(tt.series, tt.days, tt.w, tt.h, false)
			checkFrame(t, out, tt.w, tt.h)
			if n := strings.Count(out, "\n") + 1; n != tt.h {
				t.Errorf("%d lines, want %d", n, tt.h)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("chart lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("colour off, yet the chart has escapes: %q", out)
			}
		})
	}
}

func TestLineChartColourOnlyWhenAsked(t *testing.T) {
	s := []chartSeries{{label: "CN", glyph: "─", data: constSeries(10, 30), chars: lightLine, colour: 9}}
	if out := lineChart(s, days(10), 60, 12, true); !strings.Contains(out, "\x1b[") {
		t.Error("colour on, yet no escape sequence in the chart")
	}
}

// TestChartMemoRedrawsWhatChanged checks that the memoised chart is the
// chart lineChart draws for the same input, after each kind of change and
// after a change to the caller's slice in place (the memo keeps copies).
func TestChartMemoRedrawsWhatChanged(t *testing.T) {
	rising := make([]float64, 30)
	for i := range rising {
		rising[i] = float64(i)
	}
	withNaN := constSeries(30, 20)
	withNaN[3] = math.NaN()
	base := []chartSeries{{label: "US", data: rising, chars: heavyLine, glyph: "━"}, {label: "CN", data: withNaN, chars: lightLine, glyph: "─"}}
	moved := slices.Clone(rising)
	moved[29] = 40
	tests := []struct {
		name   string
		series []chartSeries
		days   []time.Time
		w, h   int
		colour bool
	}{
		{"first", base, days(30), 60, 12, false},
		{"same again", base, days(30), 60, 12, false},
		{"a value moved", []chartSeries{{label: "US", data: moved, chars: heavyLine, glyph: "━"}, base[1]}, days(30), 60, 12, false},
		{"a series less", base[:1], days(30), 60, 12, false},
		{"another style", []chartSeries{{label: "US", data: rising, chars: doubleLine, glyph: "═"}}, days(30), 60, 12, false},
		{"other days", base, days(31)[1:], 60, 12, false},
		{"wider", base, days(30), 80, 12, false},
		{"taller", base, days(30), 80, 16, false},
		{"coloured", base, days(30), 80, 16, true},
	}
	var m chartMemo
	for _, tt := range tests {
		if got, want := m.lineChart(tt.series, tt.days, tt.w, tt.h, tt.colour), lineChart(tt.series, tt.days, tt.w, tt.h, tt.colour); got != want {
			t.Errorf("%s: the memo's chart differs from a fresh one:\n%s\nwant\n%s", tt.name, got, want)
		}
	}
	data := slices.Clone(rising)
	in := []chartSeries{{label: "US", data: data, chars: heavyLine, glyph: "━"}}
	before := m.lineChart(in, days(30), 60, 12, false)
	data[10] = 90 // the same slice, changed in place
	if got := m.lineChart(in, days(30), 60, 12, false); got == before || got != lineChart(in, days(30), 60, 12, false) {
		t.Errorf("a series changed in place was not redrawn:\n%s", got)
	}
}
