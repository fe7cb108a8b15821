package model

import (
	"math"
	"strconv"
)

// FormatTokens writes a token count with three significant figures and a
// unit: 999, 1.20K, 812M, 812B, 1.44T. Alert messages and every screen use
// it, so a figure reads the same everywhere.
func FormatTokens(n uint64) string {
	const units = "KMBTPE" // B (billions) as OpenRouter writes it, not G
	if n < 1000 {
		return strconv.FormatUint(n, 10)
	}
	v := float64(n)
	u := -1
	for v >= 999.5 && u < len(units)-1 {
		v /= 1000
		u++
	}
	unit := string(units[u])
	switch {
	case v >= 99.95:
		return strconv.FormatFloat(v, 'f', 0, 64) + unit
	case v >= 9.995:
		return strconv.FormatFloat(v, 'f', 1, 64) + unit
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + unit
}

// FormatUSD writes dollars with the precision their size needs: "$15.00",
// "$0.30", "$0.039", "$0.0035". NaN and ±Inf are "—".
func FormatUSD(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	a := math.Abs(v)
	prec := 2
	switch {
	case a == 0:
	case a < 0.01:
		prec = 4
	case a < 0.1:
		prec = 3
	case a < 1 && math.Abs(a*100-math.Round(a*100)) > 1e-9:
		prec = 3 // $0.745 must not read as $0.74 next to a $0.74
	}
	return "$" + strconv.FormatFloat(v, 'f', prec, 64)
}
