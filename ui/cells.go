package ui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// sparkLevels are the eight heights of a sparkline cell.
var sparkLevels = [...]string{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"}

// sparkline draws the last w values of series in w cells. The scale runs
// from the smallest non-zero value shown (but at least from half the largest
// down, so day-to-day noise of a few percent moves a level or two instead of
// filling the range) to the largest. A zero is a blank (no usage that day),
// so a new listing shows where it started; days before the series are blank.
func sparkline(series []uint64, w int) string {
	// Appended on the stack (a sparkline of up to 64 days fits), then one
	// allocation for the string.
	var buf [64 * 3]byte
	return string(appendSparkline(buf[:0], series, w))
}

// appendSparkline appends sparkline(series, w) to b: the Board draws its
// trends straight into its rows, as a new day redraws every one of them.
func appendSparkline(b []byte, series []uint64, w int) []byte {
	if w <= 0 {
		return b
	}
	s := series[max(len(series)-w, 0):]
	var top uint64
	bottom := uint64(math.MaxUint64)
	for _, x := range s {
		top = max(top, x)
		if x > 0 {
			bottom = min(bottom, x)
		}
	}
	lo := math.Min(float64(bottom), float64(top)/2)
	span := float64(top) - lo
	const last = len(sparkLevels) - 1
	// A level's glyph is written as its three bytes (sparkGlyph): copying
	// it from sparkLevels cost a call per point.
	b = append(b, spaces(w-len(s))...)
	for _, x := range s {
		if x == 0 || top == 0 {
			b = append(b, ' ')
			continue
		}
		lvl := last
		if span > 0 {
			lvl = roundLevel((float64(x) - lo) / span * float64(last))
		}
		b = append(b, sparkGlyph[0], sparkGlyph[1], sparkGlyph[2]+byte(min(max(lvl, 0), last)))
	}
	return b
}

// sparkGlyph is the UTF-8 of the lowest level, "▁" (U+2581): the eight
// levels are consecutive code points, so level l is these bytes with l
// added to the last (TestSparkGlyphIsSparkLevels).
const sparkGlyph = "\xe2\x96\x81"

// roundLevel is int(math.Round(v)) for the v ≥ 0 a sparkline level is
// (negative v, which a level never is, only ever land at or below 0): the
// fraction of a float in that range is exact, and this costs a third of
// math.Round's bit work on the thousands of points a Board frame draws.
func roundLevel(v float64) int {
	t := int(v)
	if v-float64(t) >= 0.5 {
		t++
	}
	return t
}

// barEighths are partial block widths, one eighth to seven.
var barEighths = []rune("▏▎▍▌▋▊▉")

// bar draws frac (0..1) of w cells with full and partial blocks, padded with
// spaces to exactly w. NaN draws nothing.
func bar(frac float64, w int) string {
	if w <= 0 {
		return ""
	}
	if math.IsNaN(frac) || frac < 0 {
		frac = 0
	}
	frac = min(frac, 1)
	eighths := int(math.Round(frac * float64(w) * 8))
	full, part := eighths/8, eighths%8
	var b strings.Builder
	b.WriteString(strings.Repeat("█", full))
	n := full
	if part > 0 && n < w {
		b.WriteRune(barEighths[part-1])
		n++
	}
	b.WriteString(spaces(w - n))
	return b.String()
}

// priceCell shows one side of a price: "$0.30", "free", "variable", "—".
func priceCell(p model.Price, v float64) string { return (*usdMemo)(nil).price(p, v) }

// usdMemo remembers the texts of the dollar figures a tab formatted last,
// by value: list prices repeat across listings ($0.15, $3.00...) and from
// one snapshot to the next, and formatting each one cost two allocations,
// a fifth of a Prices rebuild. It is direct-mapped (a figure takes the slot
// its bits hash to), so it stays small and never needs clearing. A nil memo
// formats every figure.
type usdMemo struct {
	bits [256]uint64
	text [256]string
}

// usd is units.USD(v).
func (m *usdMemo) usd(v float64) string {
	if m == nil {
		return units.USD(v)
	}
	b := math.Float64bits(v)
	i := (b * 0x9E3779B97F4A7C15) >> 56 // Fibonacci hashing: the top 8 bits
	if t := m.text[i]; t != "" && m.bits[i] == b {
		return t
	}
	t := units.USD(v)
	m.bits[i], m.text[i] = b, t
	return t
}

// price is priceCell through the memo.
func (m *usdMemo) price(p model.Price, v float64) string {
	if w, ok := p.Kind.Word(); ok {
		return w
	}
	return m.usd(v)
}

// tokenMemo remembers the texts of token counts as usdMemo does prices': a
// snapshot after a price poll moves no listing's tokens, and formatting
// them was a tenth of a Board rebuild.
type tokenMemo struct {
	n    [256]uint64
	text [256]string
}

// tokens is units.Tokens(n).
func (m *tokenMemo) tokens(n uint64) string {
	i := (n * 0x9E3779B97F4A7C15) >> 56
	if t := m.text[i]; t != "" && m.n[i] == n {
		return t
	}
	t := units.Tokens(n)
	m.n[i], m.text[i] = n, t
	return t
}

// figureMemo remembers the texts of a column's float figures (shares,
// growths) by value, as usdMemo does prices': a price poll moves none of
// them, and formatting each cost an allocation, a seventh of a Board
// rebuild's. format must be a pure function of the value.
type figureMemo struct {
	bits [256]uint64
	text [256]string
}

// of is format(v), remembered.
func (m *figureMemo) of(v float64, format func(float64) string) string {
	b := math.Float64bits(v)
	i := (b * 0x9E3779B97F4A7C15) >> 56
	if t := m.text[i]; t != "" && m.bits[i] == b {
		return t
	}
	t := format(v)
	m.bits[i], m.text[i] = b, t
	return t
}

// whenMemo remembers units.When's texts by second and width, as figureMemo
// does figures': alerts keep their times from one snapshot to the next,
// and time.Format cost an allocation per row, a fifth of an Alerts
// rebuild's allocations.
type whenMemo struct {
	sec  [256]int64
	w    [256]int
	text [256]string
}

// when is units.When(t, w), which shows t to the minute.
func (m *whenMemo) when(t time.Time, w int) string {
	if t.IsZero() {
		return units.When(t, w)
	}
	s := t.Unix()
	i := ((uint64(s) ^ uint64(w)<<40) * 0x9E3779B97F4A7C15) >> 56
	if x := m.text[i]; x != "" && m.sec[i] == s && m.w[i] == w {
		return x
	}
	x := units.When(t, w)
	m.sec[i], m.w[i], m.text[i] = s, w, x
	return x
}

// moveCell is the rank move: ▲3, ▼12, new, = (same place), or blank when the
// listing is unranked or there is no earlier ranking to compare with.
func moveCell(v *model.ListingView, history bool) string {
	switch {
	case v.Rank == 0 || !history:
		return ""
	case v.IsNew():
		return "new"
	}
	m := v.RankMove()
	switch {
	case m > 0:
		return "▲" + strconv.Itoa(m)
	case m < 0:
		return "▼" + strconv.Itoa(-m)
	}
	return "="
}

// healthCell shows a serving state by glyph and word; blank when unknown.
func healthCell(h model.Health) string {
	if h == model.HealthUnknown {
		return ""
	}
	if int(h) < len(healthCells) {
		return healthCells[h] // no join per row
	}
	return h.Glyph() + " " + h.String()
}

// healthCells are healthCell's texts of the first states, built once.
var healthCells = func() (c [8]string) {
	for h := range c {
		c[h] = model.Health(h).Glyph() + " " + model.Health(h).String()
	}
	return c
}()

// originCell names an origin in five cells at most ("?" for Unknown).
func originCell(o model.Origin) string {
	if o == model.OriginUnknown || o == "" {
		return "?"
	}
	return string(o)
}

// displayName drops the vendor prefix OpenRouter puts on names
// ("Anthropic: Claude Sonnet 4.5" → "Claude Sonnet 4.5"): the author has its
// own column, and the name column is the narrowest part of the screen.
// Filtering still matches the full name.
func displayName(name string) string {
	if i := strings.Index(name, ": "); i > 0 && i <= 24 && len(strings.TrimSpace(name[i+2:])) > 0 {
		return strings.TrimSpace(name[i+2:])
	}
	return name
}

// unlistedMark follows the name of a ranked listing the catalogue does not
// list (model.ListingView.Unlisted).
const unlistedMark = " · not listed"

// nameCellAt is nameCell fitted to w cells, keeping the not-listed mark
// whole: the name gives way, never the mark.
func nameCellAt(v *model.ListingView, w int) string {
	n := nameCell(v)
	if !v.Unlisted {
		return n
	}
	room := w - textWidth(unlistedMark)
	if room < 4 {
		return truncate("not listed", w)
	}
	return truncate(n, room) + unlistedMark
}

// nameCell is a listing's display name, marked when it is an alias.
func nameCell(v *model.ListingView) string {
	n := displayName(safe(v.Name))
	if v.Alias {
		n += " (alias)"
	}
	return n
}

// multiple compares a blended price with the reference's: "12.5× cheaper",
// "2.0× dearer", "≈ same". ok is false when either side cannot be compared.
func multiple(blended, ref float64) (string, bool) {
	if math.IsNaN(blended) || math.IsNaN(ref) || blended <= 0 || ref <= 0 ||
		math.IsInf(blended, 0) || math.IsInf(ref, 0) {
		return "—", false
	}
	r := ref / blended
	// One buffer on the stack, one allocation: Prices writes one a row.
	f := func(x float64, word string) string {
		prec := 1
		if x >= 99.5 {
			prec = 0
		}
		var buf [32]byte
		return string(append(strconv.AppendFloat(buf[:0], x, 'f', prec, 64), word...))
	}
	switch {
	case r >= 1.05:
		return f(r, "× cheaper"), true
	case r <= 1/1.05:
		return f(1/r, "× dearer"), true
	}
	return "≈ same", true
}

// mondayOf returns the Monday of t's ISO week (UTC).
func mondayOf(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	wd := (int(d.Weekday()) + 6) % 7 // Monday 0 .. Sunday 6
	return d.AddDate(0, 0, -wd)
}

// blendLabel names an input share as a ratio when it is a simple one
// ("3:1" for 0.75), else as a percentage of input ("70% in").
func blendLabel(in float64) string {
	if in > 0 && in < 1 {
		r := in / (1 - in)
		for _, d := range []float64{1, 2, 3, 4} {
			if n := r * d; math.Abs(n-math.Round(n)) < 1e-9 {
				return strconv.Itoa(int(math.Round(n))) + ":" + strconv.Itoa(int(d))
			}
		}
	}
	return strconv.FormatFloat(in*100, 'f', 0, 64) + "% in"
}
