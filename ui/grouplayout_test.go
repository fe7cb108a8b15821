package ui

import (
	"slices"
	"testing"

	"github.com/tokentape/tokentape/model"
)

// TestGroupLayout: the paid rows come first without a title, ranked or
// not; every other group that has rows gets a title line; an empty group
// takes no line; rowLine and lines point at each other.
func TestGroupLayout(t *testing.T) {
	type group struct {
		g      priceGroup
		n      int
		ranked bool
	}
	tests := []struct {
		name    string
		groups  []group
		lines   []int
		rowLine []int
		rank    []int
		counts  [4]int
	}{
		{"ranked paid, then free", []group{{groupPaid, 2, true}, {groupFree, 1, false}, {groupVariable, 0, false}, {groupUnknown, 0, false}},
			[]int{0, 1, -1 - int(groupFree), 2}, []int{0, 1, 3}, []int{1, 2, 0}, [4]int{2, 1, 0, 0}},
		{"unranked paid", []group{{groupPaid, 2, false}},
			[]int{0, 1}, []int{0, 1}, []int{0, 0}, [4]int{2, 0, 0, 0}},
		{"no paid rows", []group{{groupPaid, 0, true}, {groupVariable, 1, false}, {groupUnknown, 2, false}},
			[]int{-1 - int(groupVariable), 0, -1 - int(groupUnknown), 1, 2}, []int{1, 3, 4}, []int{0, 0, 0}, [4]int{0, 0, 1, 2}},
		{"nothing", []group{{groupPaid, 0, true}, {groupFree, 0, false}}, nil, nil, nil, [4]int{}},
	}
	for _, tt := range tests {
		var l groupLayout
		l.rows = append(l.rows, &model.ListingView{}) // reset must empty what a last layout left
		l.counts[groupFree] = 9
		l.reset()
		for _, g := range tt.groups {
			l.place(g.g, g.n, g.ranked)
			for range g.n {
				l.rows = append(l.rows, &model.ListingView{})
			}
		}
		if !slices.Equal(l.lines, tt.lines) || !slices.Equal(l.rowLine, tt.rowLine) || !slices.Equal(l.rank, tt.rank) || l.counts != tt.counts {
			t.Errorf("%s: lines %v rowLine %v rank %v counts %v; want %v %v %v %v", tt.name,
				l.lines, l.rowLine, l.rank, l.counts, tt.lines, tt.rowLine, tt.rank, tt.counts)
		}
	}
}
