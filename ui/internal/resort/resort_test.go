package resort

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestKept: the places that did not move, in the last order.
func TestKept(t *testing.T) {
	tests := []struct {
		name  string
		order []int32
		moved []bool
		want  []int32
	}{
		{"none moved", []int32{2, 0, 1}, []bool{false, false, false}, []int32{2, 0, 1}},
		{"one moved", []int32{2, 0, 1}, []bool{true, false, false}, []int32{2, 1}},
		{"all moved", []int32{2, 0, 1}, []bool{true, true, true}, nil},
		{"a place out of the order stays out", []int32{3, 1}, []bool{false, false, false, false}, []int32{3, 1}},
		{"empty", nil, nil, nil},
	}
	for _, tt := range tests {
		if got := Kept(nil, tt.order, tt.moved); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Kept = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestMerge: merging the moved rows among the kept gives what one sort of
// them all gives, wherever the moved ones land: before, between, after,
// all together, none.
func TestMerge(t *testing.T) {
	tests := []struct {
		name        string
		kept, moved []int
	}{
		{"nothing moved", []int{1, 3, 5}, nil},
		{"nothing kept", nil, []int{4, 2, 9}},
		{"both empty", nil, nil},
		{"before all", []int{5, 6, 7}, []int{2, 1}},
		{"after all", []int{5, 6, 7}, []int{9, 8}},
		{"between, one each", []int{10, 20, 30}, []int{25, 15}},
		{"between, several in one gap", []int{10, 20, 30}, []int{14, 11, 12, 13}},
		{"everywhere", []int{10, 20, 30, 40}, []int{45, 5, 35, 15, 25}},
	}
	for _, tt := range tests {
		moved := slices.Clone(tt.moved)
		got := Merge([]int{-1}, tt.kept, moved, cmp.Compare[int])
		want := append([]int{-1}, slices.Sorted(slices.Values(append(slices.Clone(tt.kept), tt.moved...)))...)
		if !slices.Equal(got, want) {
			t.Errorf("%s: Merge = %v, want %v (appended to what out held)", tt.name, got, want)
		}
	}
}

// TestMergeRandom checks Merge against one sort on random tables, the way
// a table uses it: a sorted table, a few rows given new keys, the rest kept.
func TestMergeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		n := r.IntN(60)
		keys := make([]int, n)
		for i := range keys {
			keys[i] = r.IntN(1000)*100 + i // unique: a total order
		}
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		byKey := func(a, b int32) int { return cmp.Compare(keys[a], keys[b]) }
		slices.SortFunc(order, byKey)
		mark := make([]bool, n)
		var moved []int32
		for i := range keys {
			if r.IntN(5) == 0 {
				keys[i] = r.IntN(1000)*100 + i
				mark[i] = true
				moved = append(moved, int32(i))
			}
		}
		got := Merge(nil, Kept(nil, order, mark), moved, byKey)
		want := slices.SortedFunc(slices.Values(order), byKey)
		if !slices.Equal(got, want) {
			t.Fatalf("keys %v: Merge = %v, a sort gives %v", keys, got, want)
		}
	}
}

// BenchmarkMerge merges k moved rows among 10,000 kept ones, from a poll
// that repriced a few (k=10) to the most a table merges (k=n/8).
func BenchmarkMerge(b *testing.B) {
	for _, k := range []int{10, 1250} {
		b.Run("k="+strconv.Itoa(k), func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, 4))
			kept := make([]int, 10000)
			for i := range kept {
				kept[i] = 2 * i
			}
			moved := make([]int, k)
			for i := range moved {
				moved[i] = 2*r.IntN(len(kept)) + 1
			}
			scratch := make([]int, k)
			out := make([]int, 0, len(kept)+k)
			b.ResetTimer()
			for range b.N {
				copy(scratch, moved)
				out = Merge(out[:0], kept, scratch, cmp.Compare[int])
			}
		})
	}
}
