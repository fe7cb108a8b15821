package demo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tokentape/tokentape/model"
)

// Days are counted as whole days since the Unix epoch (UTC), so that a
// simulated day is a small integer and hashing it is cheap.

// dayNum returns the day number of a time's UTC day.
func dayNum(t time.Time) int {
	return int(math.Floor(float64(t.UTC().Unix()) / 86400))
}

// dateOf returns the UTC midnight of a day number.
func dateOf(n int) time.Time { return time.Unix(int64(n)*86400, 0).UTC() }

// parseDay reads YYYY-MM-DD.
func parseDay(s string) (int, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, err
	}
	return dayNum(t), nil
}

// parseWeekDate reads a weekly file date "MM-DD": November and December are
// 2025, the other months 2026 (the published period).
func parseWeekDate(s string) (int, error) {
	year := "2026"
	if strings.HasPrefix(s, "11-") || strings.HasPrefix(s, "12-") {
		year = "2025"
	}
	return parseDay(year + "-" + s)
}

// weekPoint is one weekly figure: the file date and the tokens of the seven
// days before it.
type weekPoint struct {
	file      int // day number of the file date; the week is file-7 .. file-1
	tokens    float64
	estimated bool // "~": the simulation's estimate, not a published figure
}

// parseWeeks reads "MM-DD:B ~MM-DD:B ...", B in billions of tokens.
func parseWeeks(s string) ([]weekPoint, error) {
	var out []weekPoint
	for _, f := range strings.Fields(s) {
		est := strings.HasPrefix(f, "~")
		f = strings.TrimPrefix(f, "~")
		date, val, ok := strings.Cut(f, ":")
		if !ok {
			return nil, fmt.Errorf("weekly point %q: want MM-DD:B", f)
		}
		d, err := parseWeekDate(date)
		if err != nil {
			return nil, fmt.Errorf("weekly point %q: %w", f, err)
		}
		b, err := parseFloat(val)
		if err != nil || math.IsInf(b*1e9, 0) {
			return nil, fmt.Errorf("weekly point %q: bad volume", f)
		}
		if n := len(out); n > 0 && d <= out[n-1].file {
			return nil, fmt.Errorf("weekly point %q: dates must increase", f)
		}
		out = append(out, weekPoint{file: d, tokens: b * 1e9, estimated: est})
	}
	return out, nil
}

// pricePoint is a price from a day on.
type pricePoint struct {
	day   int
	price model.Price
}

// parsePrice reads "in/out/cache" ("-" = no cache price), "free" or "variable".
func parsePrice(s string) (model.Price, error) {
	switch s {
	case "free":
		return model.Price{Kind: model.PriceFree, CacheRead: math.NaN()}, nil
	case "variable":
		return model.Price{Kind: model.PriceVariable, CacheRead: math.NaN()}, nil
	}
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return model.Price{}, fmt.Errorf("price %q: want in/out/cache", s)
	}
	var v [3]float64
	for i, p := range parts {
		if i == 2 && p == "-" {
			v[i] = math.NaN()
			continue
		}
		f, err := parseFloat(p)
		if err != nil {
			return model.Price{}, fmt.Errorf("price %q: bad number %q", s, p)
		}
		v[i] = f
	}
	return model.Price{Kind: model.PricePaid, In: v[0], Out: v[1], CacheRead: v[2]}, nil
}

// parsePrices reads a launch price followed by "@YYYY-MM-DD price" changes.
func parsePrices(s string, released int) ([]pricePoint, error) {
	chunks := strings.Split(s, "@")
	out := make([]pricePoint, 0, len(chunks))
	for i, c := range chunks {
		c = strings.TrimSpace(c)
		day := released
		if i > 0 {
			date, rest, ok := strings.Cut(c, " ")
			if !ok {
				return nil, fmt.Errorf("price change %q: want @YYYY-MM-DD price", c)
			}
			d, err := parseDay(date)
			if err != nil {
				return nil, fmt.Errorf("price change %q: %w", c, err)
			}
			if d <= out[len(out)-1].day {
				return nil, fmt.Errorf("price change %q: dates must increase after launch", c)
			}
			day, c = d, strings.TrimSpace(rest)
		}
		p, err := parsePrice(c)
		if err != nil {
			return nil, err
		}
		out = append(out, pricePoint{day: day, price: p})
	}
	return out, nil
}

// priceAt returns the scheduled price in force on day d.
func priceAt(ps []pricePoint, d int) model.Price {
	p := ps[0].price
	for _, pp := range ps[1:] {
		if pp.day > d {
			break
		}
		p = pp.price
	}
	return p
}

// baseCurve turns weekly points into a smooth daily rate (tokens per day,
// before the weekday shape and noise) for the days from0 .. to0 (day
// numbers, inclusive), over the listing's live days live0 .. live1.
//
// Each week's rate sits at the middle of its live days, rates are joined by
// straight lines (held flat before the first and after the last point), and
// a few rounds of correction make every week's sum, weighted by the weekday
// shape, equal its figure: plain interpolation between weekly means would
// shave peaks and fill troughs, and a launch week of four days would miss
// its figure by its weekdays' shape.
func baseCurve(points []weekPoint, from0, to0, live0, live1 int) []float64 {
	n := to0 - from0 + 1
	out := make([]float64, n)
	type knot struct {
		a, b   int // live days of the week, inclusive
		mid    float64
		target float64
		rate   float64
	}
	var ks []knot
	for _, p := range points {
		a, b := max(p.file-7, live0, from0), min(p.file-1, live1, to0)
		if a > b {
			continue
		}
		days := float64(b - a + 1)
		ks = append(ks, knot{a: a, b: b, mid: float64(a+b) / 2, target: p.tokens, rate: p.tokens / days})
	}
	if len(ks) == 0 {
		return out
	}
	fill := func() {
		clear(out)
		k := 0
		for d := max(live0, from0); d <= min(live1, to0); d++ {
			x := float64(d)
			for k+1 < len(ks) && ks[k+1].mid <= x {
				k++
			}
			var r float64
			switch {
			case x <= ks[0].mid:
				r = ks[0].rate
			case k+1 >= len(ks):
				r = ks[len(ks)-1].rate
			default:
				f := (x - ks[k].mid) / (ks[k+1].mid - ks[k].mid)
				r = ks[k].rate + f*(ks[k+1].rate-ks[k].rate)
			}
			out[d-from0] = max(r, 0)
		}
	}
	for range 60 {
		fill()
		for i := range ks {
			var sum float64
			for d := ks[i].a; d <= ks[i].b; d++ {
				sum += out[d-from0] * weekdayFactor(d)
			}
			if sum > 0 {
				ks[i].rate *= ks[i].target / sum
			}
		}
	}
	fill()
	return out
}

// Deterministic randomness: every draw is a hash of the seed and of what it
// is for (listing, day, purpose), so the simulation needs no random-number
// state and any day's noise is the same however it was reached.

// mix hashes a sequence of words (splitmix64 finaliser per word).
func mix(words ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, w := range words {
		h ^= w + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
		h ^= h >> 30
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 27
		h *= 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// gauss maps a hash to a standard normal draw (Box-Muller).
func gauss(h uint64) float64 {
	u1 := unit(mix(h, 1))
	u2 := unit(mix(h, 2))
	if u1 < 1e-300 {
		u1 = 1e-300
	}
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// smooth is value noise: standard normal knots every span days, joined by
// straight lines, so that consecutive days move together.
func smooth(h uint64, d, span int) float64 {
	k := floorDiv(d, span)
	f := float64(d-k*span) / float64(span)
	a, b := gauss(mix(h, uint64(k))), gauss(mix(h, uint64(k+1)))
	// Linear blending shrinks the variance between knots; rescale so the
	// draw stays roughly standard normal.
	return (a*(1-f) + b*f) / math.Sqrt((1-f)*(1-f)+f*f)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// weekday is the shape of a week's usage, Monday first, summing to 7 so that
// any seven consecutive days keep their weekly total: agents and coders burn
// fewer tokens at the weekend.
var weekday = [7]float64{1.04, 1.06, 1.06, 1.04, 1.00, 0.89, 0.91}

// weekdayFactor returns the shape factor of a day number.
func weekdayFactor(d int) float64 {
	// Day 0, 1970-01-01, was a Thursday (index 3, Monday = 0).
	return weekday[((d+3)%7+7)%7]
}

// Purposes of the hashed draws.
const (
	tagSmooth uint64 = iota + 1
	tagWhite
	tagWalk
	tagEndpoint
	tagStatus
	tagApps
	tagLaunch
	tagPrice
	tagIncident
	tagOther
)

func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }

// parseFloat reads a non-negative number.
func parseFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && (v < 0 || math.IsNaN(v) || math.IsInf(v, 0)) {
		err = fmt.Errorf("%q is not a non-negative number", s)
	}
	return v, err
}
