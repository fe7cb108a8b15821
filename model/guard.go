package model

import (
	"fmt"
	"math"
	"strconv"
)

// Number guards. Every update passes through Market.Apply, whichever source
// it came from (a feed, a replay someone edited, a history store), so the
// market is where an absurd number is stopped: one such value must never
// print as +Inf or 300 digits, make an export fail, or overflow a sum.
const (
	// MaxPrice is the dearest believable price, USD per million tokens.
	// Real prices are below $1,000/M; a thousand times that is a typo or
	// an attack.
	MaxPrice = 1e6
	// MaxTokens is the largest believable token count of one row (a day of
	// one listing, or an app): OpenRouter's busiest day is below 10^13.
	MaxTokens = 1e18
	// maxWarnings is how many warnings a Market keeps (the newest).
	maxWarnings = 50
)

// SanePrice reports whether v is a usable price in USD per million tokens:
// finite, not negative, at most MaxPrice.
func SanePrice(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 && v <= MaxPrice
}

// SaneTokens reports whether n is a believable token count.
func SaneTokens(n uint64) bool { return n <= MaxTokens }

// SaneFigure returns v when it is finite and within [lo, hi], NaN (unknown)
// otherwise: uptimes, latencies, throughputs.
func SaneFigure(v, lo, hi float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi {
		return math.NaN()
	}
	return v
}

// GuardPrice checks a listing's price. A paid price with an unusable input
// or output rate becomes PriceUnknown (the field is dropped, not guessed); an
// unusable cache-read rate becomes NaN (none). A variable price keeps its
// marker. It reports what it dropped, "" when nothing.
func GuardPrice(p Price) (Price, string) {
	switch p.Kind {
	case PricePaid:
		if !SanePrice(p.In) || !SanePrice(p.Out) {
			bad := p.In
			if SanePrice(bad) {
				bad = p.Out
			}
			nan := math.NaN()
			return Price{Kind: PriceUnknown, In: nan, Out: nan, CacheRead: nan}, "price " + fmtNumber(bad) + " $/M"
		}
	case PriceFree, PriceVariable, PriceUnknown:
	default:
		nan := math.NaN()
		return Price{Kind: PriceUnknown, In: nan, Out: nan, CacheRead: nan}, fmt.Sprintf("price kind %d", p.Kind)
	}
	if !math.IsNaN(p.CacheRead) && !SanePrice(p.CacheRead) {
		bad := p.CacheRead
		p.CacheRead = math.NaN()
		return p, "cache-read price " + fmtNumber(bad) + " $/M"
	}
	return p, ""
}

// guardOverrides keeps the overrides whose prices are NaN (inherited) or
// sane and whose long-context threshold is a finite non-negative number.
func guardOverrides(os []PriceOverride) ([]PriceOverride, int) {
	ok := func(v float64) bool { return math.IsNaN(v) || SanePrice(v) }
	var out []PriceOverride
	dropped := 0
	for _, o := range os {
		if !ok(o.In) || !ok(o.Out) || !ok(o.CacheRead) ||
			math.IsNaN(o.MinPromptTokens) || math.IsInf(o.MinPromptTokens, 0) || o.MinPromptTokens < 0 {
			dropped++
			continue
		}
		out = append(out, o)
	}
	return out, dropped
}

// guardEndpoint turns impossible figures into unknowns.
func guardEndpoint(e Endpoint) Endpoint {
	e.Uptime5m = SaneFigure(e.Uptime5m, 0, 100)
	e.Uptime30m = SaneFigure(e.Uptime30m, 0, 100)
	e.Uptime1d = SaneFigure(e.Uptime1d, 0, 100)
	e.LatencyP50 = SaneFigure(e.LatencyP50, 0, 1e9)       // ms: eleven days to a first token
	e.ThroughputP50 = SaneFigure(e.ThroughputP50, 0, 1e9) // tokens/s
	return e
}

// fmtNumber writes an absurd number short: "1e+306", "-0.5".
func fmtNumber(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// satAdd adds without wrapping: a sum that would pass 2^64-1 stays there.
// Shares are computed in float64 (see build), so a saturated total never
// turns into listings at 100% each.
func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

// warn records a dropped field for Snapshot.Warnings.
func (m *Market) warn(source, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if source != "" {
		msg = source + ": " + msg
	}
	m.warningCount++
	m.warnings = append(m.warnings, msg)
	if len(m.warnings) > maxWarnings {
		m.warnings = append(m.warnings[:0], m.warnings[len(m.warnings)-maxWarnings:]...)
	}
}
