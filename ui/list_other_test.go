package ui

import (
	"slices"
	"testing"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
)

// TestListOtherMessages: a message that is not a key reaches the filter
// input only while a filter is being typed. A blinking cursor shows it:
// the input answers the blink with its next tick.
func TestListOtherMessages(t *testing.T) {
	tests := []struct {
		name    string
		typing  bool
		wantCmd bool
	}{
		{"typing a filter", true, true},
		{"not typing", false, false},
	}
	for _, tt := range tests {
		l := newListCtl(1)
		l.input.Cursor.SetMode(cursor.CursorBlink)
		l.input.Focus()
		l.typing = tt.typing
		if cmd := l.other(textinput.Blink()); (cmd != nil) != tt.wantCmd {
			t.Errorf("%s: other(blink) gave a command: %v, want %v", tt.name, cmd != nil, tt.wantCmd)
		}
	}
}

// TestListShown: the page of rows a list shows keeps its selection on it,
// and marks the selected row only.
func TestListShown(t *testing.T) {
	tests := []struct {
		name         string
		sel, off     int
		page, n      int
		want         []int
		wantSelected int
	}{
		{"top", 0, 0, 3, 10, []int{0, 1, 2}, 0},
		{"selection below the page scrolls down", 5, 0, 3, 10, []int{3, 4, 5}, 5},
		{"selection above the page scrolls up", 1, 4, 3, 10, []int{1, 2, 3}, 1},
		{"fewer rows than the page", 1, 0, 5, 2, []int{0, 1}, 1},
		{"no rows", 0, 0, 3, 0, nil, -1},
	}
	for _, tt := range tests {
		l := listCtl{sel: tt.sel, off: tt.off}
		var got []int
		selected := -1
		for i, sel := range l.shown(tt.page, tt.n) {
			got = append(got, i)
			if sel {
				if selected >= 0 {
					t.Errorf("%s: two rows selected", tt.name)
				}
				selected = i
			}
		}
		if !slices.Equal(got, tt.want) || selected != tt.wantSelected {
			t.Errorf("%s: rows %v selected %d, want %v and %d", tt.name, got, selected, tt.want, tt.wantSelected)
		}
	}
	if rowMark(true) != "›" || rowMark(false) != " " {
		t.Errorf("row marks %q %q", rowMark(true), rowMark(false))
	}
}
