package ui

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPercentAxisIsSprintf: percentAxis writes what fmt's "%3.0f%%" does.
func TestPercentAxisIsSprintf(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 0.5, 1.5, 2.5, -0.4, -0.6, 9.49, 9.5, 99.5, 100, 999.5, 1234.5, -12, 1e21, -1e21,
		math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, math.SmallestNonzeroFloat64}
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		values = append(values, (rnd.Float64()-0.2)*float64(rnd.IntN(4000)))
	}
	for _, v := range values {
		if got, want := percentAxis(v), fmt.Sprintf("%3.0f%%", v); got != want {
			t.Errorf("percentAxis(%v) = %q, want %q", v, got, want)
		}
	}
}
