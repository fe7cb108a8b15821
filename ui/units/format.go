package units

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// When formats an alert or incident time in UTC: the full date when
// there are cells for it, else month-day.
func When(t time.Time, w int) string {
	if t.IsZero() {
		return "—"
	}
	if w >= 16 {
		return t.UTC().Format("2006-01-02 15:04")
	}
	return t.UTC().Format("01-02 15:04")
}

// Latency shows a latency in ms: "850ms", "1.24s"; "—" when unknown
// (OpenRouter sends latency only to callers with a key).
func Latency(ms float64) string {
	switch {
	case math.IsNaN(ms):
		return "—"
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 0, 64) + "ms"
	case ms < 100000:
		return strconv.FormatFloat(ms/1000, 'f', 2, 64) + "s"
	}
	return strconv.FormatFloat(ms/1000, 'f', 0, 64) + "s"
}

// Uptime shows an uptime percentage in at most four cells: "99.4", "100".
func Uptime(x float64) string {
	switch {
	case math.IsNaN(x):
		return "—"
	case x >= 99.95:
		return "100"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// Throughput shows tokens per second: "42", "1.2k"; "—" when unknown.
func Throughput(x float64) string {
	switch {
	case math.IsNaN(x):
		return "—"
	case x < 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case x < 10000:
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x/1000, 'f', 0, 64) + "k"
}

// Money writes a daily or monthly cost: "$120.00", "$0.59", "$3,600.00",
// "$12.3M" (a workload of a petatoken a day is allowed).
func Money(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case a < 1000:
		return USD(v)
	case a < 1e7:
		s := strconv.FormatFloat(a, 'f', 2, 64)
		whole, frac, _ := strings.Cut(s, ".")
		var b strings.Builder
		if v < 0 {
			b.WriteByte('-')
		}
		b.WriteByte('$')
		for i, c := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		return b.String() + "." + frac
	case a < 1e9:
		return "$" + strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case a < 1e12:
		return "$" + strconv.FormatFloat(v/1e9, 'f', 1, 64) + "B"
	}
	return "$" + strconv.FormatFloat(v/1e12, 'f', 1, 64) + "T"
}

// ShortPercent writes a share in percent in at most four cells: "80%", "33%",
// "2.5%".
func ShortPercent(pct float64) string {
	if pct != math.Round(pct) && pct < 10 {
		return strconv.FormatFloat(pct, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(pct, 'f', 0, 64) + "%"
}

// FractionPercent writes a fraction as the percentage the fields read back: "75%",
// "12.5%".
func FractionPercent(f float64) string {
	return strconv.FormatFloat(math.Round(f*10000)/100, 'f', -1, 64) + "%"
}
