package demo

import (
	"math"
	"testing"

	"github.com/tokentape/tokentape/model"
)

// The scenario's parsers read compiled-in tables, but a typo in a table
// must fail loudly, never panic or produce a negative or NaN figure.

func FuzzParseWeeks(f *testing.F) {
	for _, sp := range listings[:8] {
		f.Add(sp.weeks)
	}
	f.Add(marketWeeks)
	f.Add("~02-16:1e308 03-01:NaN")
	f.Add("02-16:Inf")
	f.Fuzz(func(t *testing.T, s string) {
		pts, err := parseWeeks(s)
		if err != nil {
			return
		}
		for i, p := range pts {
			if p.tokens < 0 || math.IsNaN(p.tokens) || math.IsInf(p.tokens, 0) || (i > 0 && p.file <= pts[i-1].file) {
				t.Fatalf("parseWeeks(%q) accepted %+v", s, pts)
			}
		}
		// Whatever it accepted, the curve stays finite and non-negative.
		if len(pts) > 0 && len(pts) < 50 {
			first, last := pts[0].file-7, pts[len(pts)-1].file
			if last-first < 2000 {
				for _, v := range baseCurve(pts, first, last, first, last) {
					if v < 0 || math.IsNaN(v) {
						t.Fatalf("curve of %q has %v", s, v)
					}
				}
			}
		}
	})
}

func FuzzParsePrices(f *testing.F) {
	for _, sp := range listings[:12] {
		f.Add(sp.prices)
	}
	f.Add("free @2026-01-01 variable")
	f.Add("NaN/Inf/- @2026-01-01 1/2/NaN")
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := parsePrices(s, 20000)
		if err != nil {
			return
		}
		for i, p := range ps {
			bad := func(v float64) bool { return v < 0 || math.IsNaN(v) || math.IsInf(v, 0) }
			if (p.price.Kind == model.PricePaid && (bad(p.price.In) || bad(p.price.Out))) || (i > 0 && p.day <= ps[i-1].day) {
				t.Fatalf("parsePrices(%q) accepted %+v", s, ps)
			}
		}
	})
}
