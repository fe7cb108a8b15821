package model

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Workload is an agent's daily token burn, for the cost planner.
type Workload struct {
	TokensPerDay float64 // input + output tokens a day
	InputShare   float64 // fraction of tokens that are input (0.75 is 3:1)
	CacheHit     float64 // fraction of input tokens served from cache (0..1)
}

// DefaultReference is the listing prices and costs are compared with when
// the config names none.
const DefaultReference = "anthropic/claude-sonnet-4.5"

// DefaultWorkload is a coding agent's minor task: 20M tokens a day, 3:1
// input to output, no cache hits.
func DefaultWorkload() Workload { return Workload{TokensPerDay: 20e6, InputShare: 0.75} }

// DaysPerMonth is the month the planner prices.
const DaysPerMonth = 30

// Validate reports the first field that is out of range.
func (w Workload) Validate() error {
	switch {
	case math.IsNaN(w.TokensPerDay) || w.TokensPerDay <= 0 || w.TokensPerDay > 1e15:
		return errors.New("tokens per day must be above 0 and at most 1P")
	case math.IsNaN(w.InputShare) || w.InputShare < 0 || w.InputShare > 1:
		return errors.New("input share must be between 0% and 100%")
	case math.IsNaN(w.CacheHit) || w.CacheHit < 0 || w.CacheHit > 1:
		return errors.New("cache-hit rate must be between 0% and 100%")
	}
	return nil
}

// String writes the workload the way ParseWorkload reads it.
func (w Workload) String() string {
	s := FormatTokenCount(w.TokensPerDay) + ":" + trimFloat(w.InputShare*100) + ":" + trimFloat((1-w.InputShare)*100)
	if w.CacheHit > 0 {
		s += ":" + trimFloat(w.CacheHit*100) + "%"
	}
	return s
}

func trimFloat(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

// ParseTokenCount reads "20M", "1.5B", "750K", "2T" or "20000000".
func ParseTokenCount(s string) (float64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), "_", ""))
	mult := 1.0
	if s != "" {
		switch strings.ToUpper(s[len(s)-1:]) {
		case "K":
			mult = 1e3
		case "M":
			mult = 1e6
		case "B", "G":
			mult = 1e9
		case "T":
			mult = 1e12
		}
		if mult != 1 {
			s = s[:len(s)-1]
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0, fmt.Errorf("%q is not a token count (try 20M, 1.5B or 20000000)", s)
	}
	return v * mult, nil
}

// FormatTokenCount writes a count as ParseTokenCount reads it: "20M".
func FormatTokenCount(v float64) string {
	for _, u := range []struct {
		div  float64
		unit string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}} {
		if v >= u.div {
			// Every digit kept: 1234567 is 1.234567M, not 1.23M, so that a
			// workload written out reads back the same.
			return strconv.FormatFloat(v/u.div, 'f', -1, 64) + u.unit
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ParseWorkload reads TOKENS:IN:OUT[:CACHE], e.g. "20M:3:1" (20M tokens a
// day, 3 input to 1 output) or "50M:75:25:30%" (30% of input from cache).
// TOKENS alone keeps the default 3:1 mix.
func ParseWorkload(s string) (Workload, error) {
	w := DefaultWorkload()
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) != 1 && len(parts) != 3 && len(parts) != 4 {
		return w, fmt.Errorf("workload %q: want TOKENS:IN:OUT, e.g. 20M:3:1", s)
	}
	tok, err := ParseTokenCount(parts[0])
	if err != nil {
		return w, fmt.Errorf("workload %q: %v", s, err)
	}
	w.TokensPerDay = tok
	if len(parts) >= 3 {
		share, ok := ratioShare(parts[1], parts[2])
		if !ok {
			return w, fmt.Errorf("workload %q: IN:OUT must be two non-negative numbers, e.g. 3:1", s)
		}
		w.InputShare = share
	}
	if len(parts) == 4 {
		c, err := ParsePercent(parts[3])
		if err != nil {
			return w, fmt.Errorf("workload %q: cache-hit %v", s, err)
		}
		w.CacheHit = c
	}
	return w, w.Validate()
}

// ratioShare reads the two sides of an IN:OUT ratio ("3", "1") into the
// input share (0.75); ok is false unless both are non-negative numbers with
// a finite, positive sum.
func ratioShare(in, out string) (share float64, ok bool) {
	a, err1 := strconv.ParseFloat(strings.TrimSpace(in), 64)
	b, err2 := strconv.ParseFloat(strings.TrimSpace(out), 64)
	if err1 != nil || err2 != nil || math.IsNaN(a) || math.IsNaN(b) || a < 0 || b < 0 ||
		a+b <= 0 || math.IsInf(a+b, 0) {
		return 0, false
	}
	return a / (a + b), true
}

// ParseInputShare reads an input share as a percentage ("75%", "75",
// "0.75") or as an IN:OUT ratio ("3:1"), into a fraction between 0 and 1.
func ParseInputShare(s string) (float64, error) {
	s = strings.TrimSpace(s)
	a, b, ratio := strings.Cut(s, ":")
	if !ratio {
		return ParsePercent(s)
	}
	share, ok := ratioShare(a, b)
	if !ok {
		return 0, fmt.Errorf("%q is not an input:output ratio (try 3:1)", s)
	}
	return share, nil
}

// ParsePercent reads "30%", "30" (percent) or "0.3" (a fraction ≤ 1) into a
// fraction between 0 and 1.
func ParsePercent(s string) (float64, error) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a percentage", s)
	}
	if pct || v > 1 {
		v /= 100
	}
	if v < 0 || v > 1 {
		return 0, fmt.Errorf("%q is not between 0%% and 100%%", s)
	}
	return v, nil
}

// Split returns the daily input tokens charged at the full rate, the input
// tokens served from cache, and the output tokens.
func (w Workload) Split() (in, cached, out float64) {
	input := w.TokensPerDay * w.InputShare
	cached = input * w.CacheHit
	return input - cached, cached, w.TokensPerDay - input
}

// DailyCost is what the workload costs a day at price p, in USD. Cached
// input is charged at the cache-read rate when the price has one, else at the
// input rate. ok is false for variable or unknown prices; free costs 0.
func (w Workload) DailyCost(p Price) (usd float64, ok bool) {
	switch p.Kind {
	case PriceFree:
		return 0, true
	case PricePaid:
	default:
		return math.NaN(), false
	}
	in, cached, out := w.Split()
	cacheRate := p.In
	if p.HasCacheRead() {
		cacheRate = p.CacheRead
	}
	return (in*p.In + cached*cacheRate + out*p.Out) / 1e6, true
}

// Under is the price p while override o applies: o's legs replace p's,
// and a leg o leaves NaN keeps p's.
func (p Price) Under(o PriceOverride) Price {
	if !math.IsNaN(o.In) {
		p.In = o.In
	}
	if !math.IsNaN(o.Out) {
		p.Out = o.Out
	}
	if !math.IsNaN(o.CacheRead) {
		p.CacheRead = o.CacheRead
	}
	return p
}

// DailyCostRange is the cheapest and dearest daily cost across a listing's
// price overrides: every time-of-day window, and the long-context rate as if
// every request were long. Without overrides lo == hi == DailyCost.
func (w Workload) DailyCostRange(l Listing) (lo, hi float64, ok bool) {
	base, ok := w.DailyCost(l.Price)
	if !ok {
		return math.NaN(), math.NaN(), false
	}
	lo, hi = base, base
	windowed := false
	for _, o := range l.Overrides {
		c, _ := w.DailyCost(l.Price.Under(o))
		if o.IsTimeWindow() && !windowed {
			// The windows cover the day, so the base rate may apply nowhere.
			lo, hi, windowed = c, c, true
		}
		lo, hi = math.Min(lo, c), math.Max(hi, c)
	}
	return lo, hi, true
}

// MixPart is one listing's share of a mixed workload.
type MixPart struct {
	ID    string
	Share float64 // fraction of the workload's tokens (the shares sum to 1)
}

// MixCost is the daily cost of splitting the workload across listings. It
// fails when the shares do not sum to 100% or a listing has no usable price.
func (w Workload) MixCost(parts []MixPart, find func(id string) (Listing, bool)) (float64, error) {
	var sum, total float64
	for _, p := range parts {
		if p.Share < 0 {
			return 0, fmt.Errorf("%s: negative share", p.ID)
		}
		sum += p.Share
		l, ok := find(p.ID)
		if !ok {
			return 0, fmt.Errorf("%s: no such listing", p.ID)
		}
		c, ok := w.DailyCost(l.Price)
		if !ok {
			return 0, fmt.Errorf("%s: %s price, cannot cost it", p.ID, l.Price.Kind)
		}
		total += c * p.Share
	}
	if math.Abs(sum-1) > 1e-6 {
		return 0, fmt.Errorf("shares sum to %s, want 100%%", strconv.FormatFloat(sum*100, 'f', -1, 64)+"%")
	}
	return total, nil
}
