package model

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDailyCostHandChecked(t *testing.T) {
	def := DefaultWorkload()
	tests := []struct {
		name string
		w    Workload
		p    Price
		want float64
		ok   bool
	}{
		// 15M × $3 + 5M × $15 = $45 + $75
		{"sonnet 4.5 default", def, paid(3, 15), 120, true},
		// 15M × $0.30 + 5M × $1.20 = $4.50 + $6.00
		{"minimax m2.5 default", def, paid(0.3, 1.2), 10.5, true},
		// 50M 3:1: 37.5M × $3 + 12.5M × $15 = 112.5 + 187.5
		{"sonnet at 50M", Workload{TokensPerDay: 50e6, InputShare: 0.75}, paid(3, 15), 300, true},
		// half the 15M input cached at $0.30: 7.5×3 + 7.5×0.3 + 5×15 = 22.5 + 2.25 + 75
		{"cache hits at cache-read rate", Workload{TokensPerDay: 20e6, InputShare: 0.75, CacheHit: 0.5},
			Price{Kind: PricePaid, In: 3, Out: 15, CacheRead: 0.3}, 99.75, true},
		// no cache-read price: cached input is charged at the input rate
		{"cache hits without a cache price", Workload{TokensPerDay: 20e6, InputShare: 0.75, CacheHit: 0.5}, paid(3, 15), 120, true},
		{"free", def, Price{Kind: PriceFree}, 0, true},
		{"variable", def, Price{Kind: PriceVariable}, math.NaN(), false},
		{"unknown", def, Price{}, math.NaN(), false},
	}
	for _, tt := range tests {
		got, ok := tt.w.DailyCost(tt.p)
		if ok != tt.ok || (ok && math.Abs(got-tt.want) > 1e-9) || (!ok && !math.IsNaN(got)) {
			t.Errorf("%s: %v %v, want %v %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDailyCostRangeWithOverrides(t *testing.T) {
	w := DefaultWorkload()
	nan := math.NaN()
	// DeepSeek V4 Pro 0813's four time-of-day windows: $0.66/$1.98 off-peak, double at peak.
	windows := Listing{Price: paid(0.66, 1.98), Overrides: []PriceOverride{
		{UTCStart: 1000, UTCEnd: 100, In: 0.66, Out: 1.98, CacheRead: nan},
		{UTCStart: 100, UTCEnd: 400, In: 1.32, Out: 3.96, CacheRead: nan},
	}}
	lo, hi, ok := w.DailyCostRange(windows)
	if !ok || math.Abs(lo-(15*0.66+5*1.98)) > 1e-9 || math.Abs(hi-(15*1.32+5*3.96)) > 1e-9 {
		t.Errorf("windows: %v..%v", lo, hi)
	}
	// Sonnet 4.5 long context over 200k: $6/$22.50, output inherits nothing missing.
	long := Listing{Price: paid(3, 15), Overrides: []PriceOverride{{MinPromptTokens: 200000, UTCStart: -1, UTCEnd: -1, In: 6, Out: 22.5, CacheRead: nan}}}
	lo, hi, _ = w.DailyCostRange(long)
	if lo != 120 || math.Abs(hi-(15*6+5*22.5)) > 1e-9 {
		t.Errorf("long context: %v..%v, want 120..202.5", lo, hi)
	}
	// An override that sets only the input price inherits the output price.
	partial := Listing{Price: paid(1, 2), Overrides: []PriceOverride{{MinPromptTokens: 1000, UTCStart: -1, UTCEnd: -1, In: 2, Out: nan, CacheRead: nan}}}
	if _, hi, _ := w.DailyCostRange(partial); math.Abs(hi-(15*2+5*2)) > 1e-9 {
		t.Errorf("partial override: hi %v, want 40", hi)
	}
}

func TestMixCost(t *testing.T) {
	ls := map[string]Listing{
		"moonshotai/kimi-k2.5":        {ID: "moonshotai/kimi-k2.5", Price: paid(0.45, 2.2)},
		"anthropic/claude-sonnet-4.5": {ID: "anthropic/claude-sonnet-4.5", Price: paid(3, 15)},
		"openrouter/auto":             {ID: "openrouter/auto", Price: Price{Kind: PriceVariable}},
	}
	find := func(id string) (Listing, bool) { l, ok := ls[id]; return l, ok }
	w := DefaultWorkload()
	// 0.8 × (15×0.45 + 5×2.2) + 0.2 × 120 = 0.8 × 17.75 + 24 = 38.2
	got, err := w.MixCost([]MixPart{{"moonshotai/kimi-k2.5", 0.8}, {"anthropic/claude-sonnet-4.5", 0.2}}, find)
	if err != nil || math.Abs(got-38.2) > 1e-9 {
		t.Errorf("80/20 mix: %v %v, want 38.2", got, err)
	}
	for _, bad := range [][]MixPart{
		{{"moonshotai/kimi-k2.5", 0.7}, {"anthropic/claude-sonnet-4.5", 0.2}},
		{{"openrouter/auto", 1}},
		{{"nope/nope", 1}},
	} {
		if _, err := w.MixCost(bad, find); err == nil {
			t.Errorf("mix %v accepted", bad)
		}
	}
}

func TestParseWorkload(t *testing.T) {
	tests := []struct {
		in      string
		want    Workload
		wantErr string
	}{
		{"20M:3:1", Workload{20e6, 0.75, 0}, ""},
		{"50M", Workload{50e6, 0.75, 0}, ""},
		{"1.5B:1:1", Workload{1.5e9, 0.5, 0}, ""},
		{"20000000:75:25:30%", Workload{20e6, 0.75, 0.3}, ""},
		{"20M:3:1:0.5", Workload{20e6, 0.75, 0.5}, ""},
		{"", Workload{}, "not a token count"},
		{"abc:3:1", Workload{}, "not a token count"},
		{"20M:3", Workload{}, "want TOKENS:IN:OUT"},
		{"20M:-1:1", Workload{}, "non-negative"},
		{"20M:0:0", Workload{}, "non-negative"},
		{"20M:3:1:150%", Workload{}, "between 0% and 100%"},
		{"-5M:3:1", Workload{}, "not a token count"},
	}
	for _, tt := range tests {
		got, err := ParseWorkload(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseWorkload(%q) error %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseWorkload(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if back, err := ParseWorkload(got.String()); err != nil || math.Abs(back.InputShare-got.InputShare) > 1e-9 || back.TokensPerDay != got.TokensPerDay || back.CacheHit != got.CacheHit {
			t.Errorf("round trip of %q via %q: %+v %v", tt.in, got.String(), back, err)
		}
	}
}

func FuzzParseWorkload(f *testing.F) {
	for _, s := range []string{"20M:3:1", "50M", "1234567", "1.5B:1:1:30%", "", ":::", "1e308:1:1", "NaN:1:1", "20M:-0:0", "20M:3:1:0.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWorkload(s)
		if err != nil {
			return
		}
		if verr := w.Validate(); verr != nil {
			t.Fatalf("ParseWorkload(%q) accepted an invalid workload %+v: %v", s, w, verr)
		}
		back, err := ParseWorkload(w.String())
		if err != nil {
			t.Fatalf("ParseWorkload(%q).String() = %q does not parse: %v", s, w.String(), err)
		}
		if math.Abs(back.TokensPerDay-w.TokensPerDay) > w.TokensPerDay*1e-3 || math.Abs(back.InputShare-w.InputShare) > 1e-3 || math.Abs(back.CacheHit-w.CacheHit) > 1e-3 {
			t.Fatalf("round trip %q → %+v → %q → %+v", s, w, w.String(), back)
		}
		if c, ok := w.DailyCost(paid(3, 15)); !ok || math.IsNaN(c) || c < 0 {
			t.Fatalf("cost of %+v is %v", w, c)
		}
	})
}

func TestParseInputShare(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"75%", 0.75, true}, {"3:1", 0.75, true}, {" 1 : 3 ", 0.25, true}, {"0.6", 0.6, true}, {"60", 0.6, true},
		{"2.5:1", 2.5 / 3.5, true}, {"1:0", 1, true}, {"0:1", 0, true},
		{"0:0", 0, false}, {":1", 0, false}, {"a:b", 0, false}, {"NaN:1", 0, false}, {"1e308:1e308", 0, false},
		{"-1:2", 0, false}, {"200%", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseInputShare(tt.in)
		if (err == nil) != tt.ok || (tt.ok && math.Abs(got-tt.want) > 1e-12) {
			t.Errorf("ParseInputShare(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestMinMedian(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		in      []float64
		lo, med float64
	}{
		{nil, nan, nan},
		{[]float64{3}, 3, 3},
		{[]float64{5, 1, 3}, 1, 3},
		{[]float64{4, 1, 3, 2}, 1, 2.5},
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	for _, tt := range tests {
		lo, med := MinMedian(append([]float64(nil), tt.in...))
		if !same(lo, tt.lo) || !same(med, tt.med) {
			t.Errorf("MinMedian(%v) = %v, %v; want %v, %v", tt.in, lo, med, tt.lo, tt.med)
		}
		if m := Median(tt.in); !same(m, tt.med) {
			t.Errorf("Median(%v) = %v, MinMedian says %v", tt.in, m, tt.med)
		}
	}
}

func TestPriceUnderOverride(t *testing.T) {
	nan := math.NaN()
	base := Price{Kind: PricePaid, In: 3, Out: 15, CacheRead: 0.3}
	got := base.Under(PriceOverride{In: 6, Out: nan, CacheRead: nan})
	if got.In != 6 || got.Out != 15 || got.CacheRead != 0.3 || got.Kind != PricePaid {
		t.Errorf("an input-only override gave %+v", got)
	}
	if got := base.Under(PriceOverride{In: nan, Out: nan, CacheRead: nan}); got != base {
		t.Errorf("an empty override changed the price: %+v", got)
	}
}

func TestPriceChangesSayWhichWay(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC) }
	paid := func(in, out float64) Price { return Price{Kind: PricePaid, In: in, Out: out, CacheRead: math.NaN()} }
	v := &ListingView{Detail: &ListingDetail{PriceHistory: []PricePoint{
		{At: day(1), Price: Price{Kind: PriceFree}},
		{At: day(2), Price: paid(1, 4)},
		{At: day(3), Price: paid(1, 5)},
		{At: day(4), Price: paid(0.5, 5)},
		{At: day(5), Price: paid(0.5, 5)}, // the same price seen again
		{At: day(6), Price: Price{Kind: PriceFree}},
	}}}
	var dirs []int
	for _, c := range v.PriceChanges(0.75) {
		dirs = append(dirs, c.Dir)
	}
	if want := []int{1, 1, -1, 0, -1}; !slices.Equal(dirs, want) {
		t.Errorf("directions %v, want %v", dirs, want)
	}
	if cs := (&ListingView{Detail: &ListingDetail{PriceHistory: v.PriceHistory()[:1]}}).PriceChanges(0.75); len(cs) != 0 {
		t.Errorf("the first price seen is a change: %+v", cs)
	}
}
