// Package resort sorts a table again after a few of its rows moved: the
// rows that kept their keys are still in the last sorted order, so only
// the moved ones need sorting, and they are merged in among the kept.
// The Prices tab (by price, by value) and the cost planner's table share
// it; a poll that reprices a handful of 10,000 listings then costs
// k log n comparisons instead of n log n.
package resort

import "slices"

// Kept appends to dst the places in order (the last sorted order, as
// places) whose moved flag is false: the rows that can keep their order.
func Kept(dst, order []int32, moved []bool) []int32 {
	for _, i := range order {
		if !moved[i] {
			dst = append(dst, i)
		}
	}
	return dst
}

// Merge appends to out the rows of kept, which compare already sorts, and
// of moved, which it sorts, in the order one sort of them all by compare
// would give when compare is a total order (no two rows compare equal).
// Each moved row is placed among the kept ones by a galloping search from
// the last one's place: the kept rows cost a copy, and k moved rows among
// n kept about 2k log(n/k) comparisons, never many more than a linear
// merge's n+k, and far fewer when k is small.
func Merge[T any](out, kept, moved []T, compare func(a, b T) int) []T {
	slices.SortFunc(moved, compare)
	from := 0
	for _, m := range moved {
		rest := kept[from:]
		// Double a bound until it passes m, then search the last doubling.
		bound := 1
		for bound <= len(rest) && compare(rest[bound-1], m) < 0 {
			bound *= 2
		}
		lo := bound / 2
		at, _ := slices.BinarySearchFunc(rest[lo:min(bound, len(rest))], m, compare)
		at += lo
		out = append(out, rest[:at]...)
		out = append(out, m)
		from += at
	}
	return append(out, kept[from:]...)
}
