// Package units formats market figures the same way on every screen and in
// every export: token counts in human units, percentages, and prices.
package units

import (
	"math"
	"strconv"
)

// Tokens formats a token count with three significant figures and a unit:
// 999, 1.20K, 812M, 1.44T, 12.4T, 1.20P.
func Tokens(n uint64) string {
	const units = "KMGTPE"
	if n < 1000 {
		return strconv.FormatUint(n, 10)
	}
	v := float64(n)
	u := -1
	for v >= 999.5 && u < len(units)-1 {
		v /= 1000
		u++
	}
	// "B" reads better than "G" for tokens (billions), as OpenRouter shows it.
	unit := string(units[u])
	if unit == "G" {
		unit = "B"
	}
	switch {
	case v >= 99.95:
		return strconv.FormatFloat(v, 'f', 0, 64) + unit
	case v >= 9.995:
		return strconv.FormatFloat(v, 'f', 1, 64) + unit
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + unit
}

// Percent formats a share with one decimal: "55.2%". NaN is "—".
func Percent(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return "—"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
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
	s := strconv.FormatFloat(p, 'f', prec, 64)
	if p >= 0 {
		s = "+" + s
	}
	return s + "%"
}

// USD formats a price in dollars with precision that suits its size:
// "$15.00", "$0.30", "$0.039", "$0.0035". NaN is "—".
func USD(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	a := math.Abs(v)
	prec := 2
	switch {
	case a == 0:
		prec = 2
	case a < 0.01:
		prec = 4
	case a < 0.1:
		prec = 3
	}
	return "$" + strconv.FormatFloat(v, 'f', prec, 64)
}
