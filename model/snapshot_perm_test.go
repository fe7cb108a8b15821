package model

import (
	"strconv"
	"testing"
)

// TestPermuteMovesEachViewToItsPlace checks the in-place permutation
// against a copy, on the identity, a swap, one long cycle and mixed cycles.
func TestPermuteMovesEachViewToItsPlace(t *testing.T) {
	tests := []struct {
		name  string
		order []int
	}{
		{"empty", nil},
		{"identity", []int{0, 1, 2, 3}},
		{"swap", []int{1, 0, 2, 3}},
		{"one cycle", []int{3, 0, 1, 2}},
		{"two cycles and a fixed point", []int{2, 4, 0, 3, 1}},
		{"reversed", []int{5, 4, 3, 2, 1, 0}},
	}
	for _, tt := range tests {
		ls := make([]ListingView, len(tt.order))
		for i := range ls {
			ls[i].ID = strconv.Itoa(i)
		}
		want := make([]string, len(tt.order))
		for k, i := range tt.order {
			want[k] = ls[i].ID
		}
		permute(ls, tt.order)
		for k := range ls {
			if ls[k].ID != want[k] {
				t.Errorf("%s: place %d holds %s, want %s", tt.name, k, ls[k].ID, want[k])
			}
		}
	}
}
