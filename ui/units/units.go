// Package units formats market figures the same way on every screen and in
// every export: token counts in human units, percentages, prices, costs,
// latencies, uptimes and times.
package units

import (
	"math"
	"strconv"

	"github.com/tokentape/tokentape/model"
)

// Tokens formats a token count with three significant figures and a unit:
// 999, 1.20K, 812M, 1.44T, 12.4T (see model.FormatTokens).
func Tokens(n uint64) string { return model.FormatTokens(n) }

// Percent formats a share with one decimal: "55.2%". NaN is "—".
func Percent(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return "—"
	}
	// One buffer on the stack, one allocation: a Board frame formats
	// hundreds of figures.
	var buf [32]byte
	return string(append(strconv.AppendFloat(buf[:0], p, 'f', 1, 64), '%'))
}

// Growth formats a signed change: "+180%", "-12%", "+3.4%". NaN is "new".
func Growth(p float64) string {
	switch {
	case math.IsNaN(p):
		return "new"
	case math.IsInf(p, 0):
		return "—"
	}
	prec := 0
	if math.Abs(p) < 10 {
		prec = 1
	}
	var buf [32]byte
	b := buf[:0]
	if p >= 0 {
		b = append(b, '+')
	}
	return string(append(strconv.AppendFloat(b, p, 'f', prec, 64), '%'))
}

// USD formats a price in dollars with precision that suits its size:
// "$15.00", "$0.30", "$0.039", "$0.0035". NaN is "—" (see model.FormatUSD).
func USD(v float64) string { return model.FormatUSD(v) }
