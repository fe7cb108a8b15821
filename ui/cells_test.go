package ui

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

func TestSparkline(t *testing.T) {
	tests := []struct {
		name   string
		series []uint64
		w      int
		want   string
	}{
		{"rising", []uint64{1, 2, 3, 4, 5, 6, 7, 8}, 8, "▁▂▃▄▅▆▇█"},
		{"last w days", []uint64{100, 100, 1, 2, 3, 4, 5, 6, 7, 8}, 8, "▁▂▃▄▅▆▇█"},
		{"short series pads left", []uint64{5, 10}, 4, "  ▁█"},
		{"zero is blank", []uint64{0, 0, 4, 8}, 4, "  ▁█"},
		{"flat", []uint64{7, 7, 7}, 3, "███"},
		{"noise stays high", []uint64{100, 96, 104}, 3, "▇▇█"},
		{"all zero", []uint64{0, 0, 0}, 3, "   "},
		{"empty", nil, 3, "   "},
		{"no room", []uint64{1, 2}, 0, ""},
		{"huge values", []uint64{math.MaxUint64, math.MaxUint64 / 2}, 2, "█▁"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sparkline(tt.series, tt.w)
			if got != tt.want {
				t.Errorf("sparkline(%v, %d) = %q, want %q", tt.series, tt.w, got, tt.want)
			}
			if textWidth(got) != tt.w {
				t.Errorf("width %d, want %d", textWidth(got), tt.w)
			}
		})
	}
}

func TestBar(t *testing.T) {
	tests := []struct {
		frac float64
		w    int
		want string
	}{
		{0.5, 10, "█████     "},
		{1, 4, "████"},
		{2, 4, "████"},
		{0, 4, "    "},
		{-1, 4, "    "},
		{math.NaN(), 4, "    "},
		{0.55, 10, "█████▌    "},
		{0.01, 10, "▏         "},
	}
	for _, tt := range tests {
		if got := bar(tt.frac, tt.w); got != tt.want {
			t.Errorf("bar(%v, %d) = %q, want %q", tt.frac, tt.w, got, tt.want)
		}
	}
}

func TestMultiple(t *testing.T) {
	tests := []struct {
		blended, ref float64
		want         string
		ok           bool
	}{
		{0.48, 6, "12.5× cheaper", true},
		{12, 6, "2.0× dearer", true},
		{6, 6, "≈ same", true},
		{6.2, 6, "≈ same", true},
		{0.01, 6, "600× cheaper", true},
		{0, 6, "—", false},
		{math.NaN(), 6, "—", false},
		{1, math.NaN(), "—", false},
		{math.Inf(1), 6, "—", false},
	}
	for _, tt := range tests {
		got, ok := multiple(tt.blended, tt.ref)
		if got != tt.want || ok != tt.ok {
			t.Errorf("multiple(%v, %v) = %q %v, want %q %v", tt.blended, tt.ref, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormats(t *testing.T) {
	ages := map[time.Duration]string{
		-time.Second: "0s", 0: "0s", 12 * time.Second: "12s", 100 * time.Second: "1m40s",
		25 * time.Minute: "25m", 3*time.Hour + 5*time.Minute: "3h05m", 50 * time.Hour: "2d02h",
	}
	for d, want := range ages {
		if got := fmtAge(d); got != want {
			t.Errorf("fmtAge(%v) = %q, want %q", d, got, want)
		}
	}
	speeds := []struct {
		x      float64
		source string
		want   string
	}{
		{1, "demo", "×1 · 1 day/2s"},
		{2, "demo", "×2 · 1 day/1s"},
		{64, "demo", "×64 · 32 days/s"},
		{0.125, "demo", "×0.125 · 1 day/16s"},
		{4, "replay", "×4"},
	}
	for _, tt := range speeds {
		if got := fmtSpeed(tt.x, tt.source, 2*time.Second); got != tt.want {
			t.Errorf("fmtSpeed(%v, %s) = %q, want %q", tt.x, tt.source, got, tt.want)
		}
	}
	blends := map[float64]string{0.75: "3:1", 0.5: "1:1", 0.8: "4:1", 0.6: "3:2", 0.7: "7:3", 0.65: "65% in"}
	for in, want := range blends {
		if got := blendLabel(in); got != want {
			t.Errorf("blendLabel(%v) = %q, want %q", in, got, want)
		}
	}
	// The crossover's week is the Monday of its ISO week.
	for day, want := range map[string]string{
		"2026-02-16": "2026-02-16", "2026-02-18": "2026-02-16", "2026-02-22": "2026-02-16", "2026-02-23": "2026-02-23",
	} {
		d, _ := time.Parse("2006-01-02", day)
		if got := mondayOf(d).Format("2006-01-02"); got != want {
			t.Errorf("mondayOf(%s) = %s, want %s", day, got, want)
		}
	}
}

func TestCells(t *testing.T) {
	v := &model.ListingView{Rank: 3, PrevRank: 5}
	if got := moveCell(v, true); got != "▲2" {
		t.Errorf("move up = %q", got)
	}
	v.PrevRank = 1
	if got := moveCell(v, true); got != "▼2" {
		t.Errorf("move down = %q", got)
	}
	v.PrevRank = 3
	if got := moveCell(v, true); got != "=" {
		t.Errorf("no move = %q", got)
	}
	v.PrevRank = 0
	if got := moveCell(v, true); got != "new" {
		t.Errorf("new = %q", got)
	}
	if got := moveCell(v, false); got != "" {
		t.Errorf("without history = %q, want blank", got)
	}
	prices := []struct {
		p    model.Price
		want string
	}{
		{model.Price{Kind: model.PricePaid, In: 0.3}, "$0.30"},
		{model.Price{Kind: model.PriceFree}, "free"},
		{model.Price{Kind: model.PriceVariable}, "variable"},
		{model.Price{}, "—"},
	}
	for _, tt := range prices {
		if got := priceCell(tt.p, tt.p.In); got != tt.want {
			t.Errorf("priceCell(%v) = %q, want %q", tt.p.Kind, got, tt.want)
		}
	}
	for h, want := range map[model.Health]string{model.HealthOK: "● OK", model.HealthDegraded: "◐ DEGRADED", model.HealthDown: "○ DOWN", model.HealthUnknown: ""} {
		if got := healthCell(h); got != want {
			t.Errorf("healthCell(%v) = %q, want %q", h, got, want)
		}
	}
}

func TestLayoutColumns(t *testing.T) {
	cell := func(*model.ListingView, int) string { return "" }
	cols := []listingColumn{
		{title: "#", min: 3, max: 3, prio: 1000, cell: cell},
		{title: "name", min: 10, max: 30, prio: 1000, cell: cell},
		{title: "author", min: 8, max: 12, prio: 10, cell: cell},
		{title: "tokens", min: 6, max: 6, prio: 90, cell: cell},
		{title: "in", min: 8, max: 8, prio: 40, cell: cell},
	}
	tests := []struct {
		width int
		want  []int
		gap   int
	}{
		{100, []int{3, 30, 12, 6, 8}, 2},
		{39, []int{3, 10, 8, 6, 8}, 1},
		{38, []int{3, 18, 0, 6, 8}, 1},
		{22, []int{3, 11, 0, 6, 0}, 1},
		{14, []int{3, 10, 0, 0, 0}, 1},
		{8, []int{0, 8, 0, 0, 0}, 1}, // narrower than the essentials: one squeezed column
	}
	for _, tt := range tests {
		got, gap := layoutColumns(cols, tt.width)
		if !slices.Equal(got, tt.want) || gap != tt.gap {
			t.Errorf("width %d: widths %v gap %d, want %v gap %d", tt.width, got, gap, tt.want, tt.gap)
		}
		if tw := tableWidth(got, gap); tw > tt.width {
			t.Errorf("width %d: table is %d wide", tt.width, tw)
		}
	}
}

func TestDisplayNameDropsVendorPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"Anthropic: Claude Sonnet 4.5":      "Claude Sonnet 4.5",
		"Arcee AI: Trinity Large":           "Trinity Large",
		"Kimi K2.5":                         "Kimi K2.5",
		"Weird:":                            "Weird:",
		"Nothing after: ":                   "Nothing after: ",
		"A very long vendor name indeed: X": "A very long vendor name indeed: X",
		"通义千问: Qwen3":                       "Qwen3",
	} {
		if got := displayName(in); got != want {
			t.Errorf("displayName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRoundLevelIsRound pins the sparkline's rounding to math.Round over
// the range a level spans, halves and their neighbours included.
func TestRoundLevelIsRound(t *testing.T) {
	for k := 0; k <= 7; k++ {
		for _, v := range []float64{float64(k), float64(k) + 0.5, math.Nextafter(float64(k)+0.5, 0),
			math.Nextafter(float64(k)+0.5, 8), math.Nextafter(float64(k), 8), float64(k) + 0.25, float64(k) + 0.75} {
			if got, want := roundLevel(v), int(math.Round(v)); got != want {
				t.Errorf("roundLevel(%v) = %d, want %d", v, got, want)
			}
		}
	}
	for i := 0; i <= 7000; i++ {
		v := float64(i) / 1000
		if got, want := roundLevel(v), int(math.Round(v)); got != want {
			t.Errorf("roundLevel(%v) = %d, want %d", v, got, want)
		}
	}
}

// TestUSDMemoIsUSD: the memo returns units.USD's text for every value, on a
// first sight, a repeat and after other values took its slot.
func TestUSDMemoIsUSD(t *testing.T) {
	var m usdMemo
	var vals []float64
	for i := 0; i < 3000; i++ {
		vals = append(vals, float64(i%700)*0.0137, -float64(i)*0.1)
	}
	vals = append(vals, 0, math.Copysign(0, -1), math.NaN(), math.Inf(1), 1e-9, 0.745)
	for round := 0; round < 2; round++ {
		for _, v := range vals {
			if got, want := m.usd(v), units.USD(v); got != want {
				t.Fatalf("memo usd(%v) = %q, want %q", v, got, want)
			}
		}
	}
	var nilMemo *usdMemo
	if got := nilMemo.price(model.Price{Kind: model.PriceFree}, 0); got != "free" {
		t.Errorf("nil memo price = %q", got)
	}
}

// TestFigureMemoIsItsFormat: the memo returns the format's text for every
// value, on a first sight, a repeat and after other values took its slot.
func TestFigureMemoIsItsFormat(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format func(float64) string
	}{{"Percent", units.Percent}, {"Growth", units.Growth}} {
		var m figureMemo
		var vals []float64
		for i := 0; i < 3000; i++ {
			vals = append(vals, float64(i%700)*0.137, -float64(i)*1.1)
		}
		vals = append(vals, 0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 9.95, 99.95)
		for round := 0; round < 2; round++ {
			for _, v := range vals {
				if got, want := m.of(v, tc.format), tc.format(v); got != want {
					t.Fatalf("%s memo of(%v) = %q, want %q", tc.name, v, got, want)
				}
			}
		}
	}
}

// TestWhenMemoIsWhen: the memo returns units.When's text for every time and
// width, zero times included, seconds and zones apart.
func TestWhenMemoIsWhen(t *testing.T) {
	var m whenMemo
	base := time.Date(2026, 2, 17, 23, 59, 30, 500, time.FixedZone("X", 5*3600))
	times := []time.Time{{}}
	for i := 0; i < 2000; i++ {
		times = append(times, base.Add(time.Duration(i*37)*time.Second))
	}
	for round := 0; round < 2; round++ {
		for _, at := range times {
			for _, w := range []int{1, 11, 15, 16, 20} {
				if got, want := m.when(at, w), units.When(at, w); got != want {
					t.Fatalf("memo when(%v, %d) = %q, want %q", at, w, got, want)
				}
			}
		}
	}
}

// TestSparklineIsExactlyItsWidth: a sparkline is w cells of narrow runes
// (the fast width path), whatever the series.
func TestSparklineIsExactlyItsWidth(t *testing.T) {
	series := [][]uint64{nil, {0}, {5}, {0, 0, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {math.MaxUint64, 1, 0, math.MaxUint64 / 2}}
	long := make([]uint64, 200)
	for i := range long {
		long[i] = uint64(i*i) % 97
	}
	series = append(series, long)
	for _, s := range series {
		for w := 1; w <= 120; w++ {
			if n, ok := narrow(sparkline(s, w)); !ok || n != w {
				t.Errorf("sparkline(%d values, %d) is %d cells (narrow %v)", len(s), w, n, ok)
			}
		}
	}
}

// TestSparkGlyphIsSparkLevels: sparkline writes level l as sparkGlyph with
// l added to its last byte, which must be sparkLevels[l].
func TestSparkGlyphIsSparkLevels(t *testing.T) {
	for l, want := range sparkLevels {
		got := string([]byte{sparkGlyph[0], sparkGlyph[1], sparkGlyph[2] + byte(l)})
		if got != want {
			t.Errorf("level %d: %q, want %q", l, got, want)
		}
	}
}
