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
		{USD(15), "$15.00"}, {USD(0.3), "$0.30"}, {USD(0.039), "$0.039"}, {USD(0.0035), "$0.0035"}, {USD(0), "$0.00"},
		{USD(math.NaN()), "—"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: %q, want %q", i, tt.got, tt.want)
		}
	}
}
