package units

import (
	"math"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   uint64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1.00K"}, {1200, "1.20K"}, {812_000_000_000, "812B"},
		{1_440_000_000_000, "1.44T"}, {12_400_000_000_000, "12.4T"}, {999_600, "1.00M"},
		{99_960_000, "100M"}, {math.MaxUint64, "18.4E"},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); got != tt.want {
			t.Errorf("Tokens(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercentGrowthUSD(t *testing.T) {
	tests := []struct{ got, want string }{
		{Percent(55.23), "55.2%"}, {Percent(math.NaN()), "—"},
		{Growth(180), "+180%"}, {Growth(-12.4), "-12%"}, {Growth(3.44), "+3.4%"}, {Growth(math.NaN()), "new"},
		{Growth(0), "+0.0%"}, {Growth(-0.04), "-0.0%"}, {Growth(math.Inf(1)), "—"}, {Growth(-9.96), "-10.0%"}, {Growth(1e6), "+1000000%"},
		{Percent(0), "0.0%"}, {Percent(100), "100.0%"}, {Percent(math.Inf(-1)), "—"},
		{USD(15), "$15.00"}, {USD(0.3), "$0.30"}, {USD(0.039), "$0.039"}, {USD(0.0035), "$0.0035"}, {USD(0), "$0.00"},
		{USD(math.NaN()), "—"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestMoney(t *testing.T) {
	tests := map[float64]string{
		0: "$0.00", 0.585: "$0.585", 1.5: "$1.50", 120: "$120.00", 999.99: "$999.99", 3600: "$3,600.00",
		1234567.891: "$1,234,567.89", 12.3e6: "$12.3M", 4.5e9: "$4.5B", 7e13: "$70.0T", math.NaN(): "—",
	}
	for v, want := range tests {
		if got := Money(v); got != want {
			t.Errorf("Money(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestLatencyUptimeThroughput(t *testing.T) {
	tests := []struct {
		f    func(float64) string
		in   float64
		want string
	}{
		{Uptime, math.NaN(), "—"}, {Uptime, 100, "100"}, {Uptime, 99.96, "100"}, {Uptime, 99.94, "99.9"}, {Uptime, 61, "61.0"},
		{Latency, math.NaN(), "—"}, {Latency, 640, "640ms"}, {Latency, 999.4, "999ms"}, {Latency, 1450, "1.45s"}, {Latency, 250000, "250s"},
		{Throughput, math.NaN(), "—"}, {Throughput, 4, "4.0"}, {Throughput, 88, "88"}, {Throughput, 12345, "12k"},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%v → %q, want %q", tt.in, got, tt.want)
		}
	}
}
