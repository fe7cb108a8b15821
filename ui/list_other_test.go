package ui

import (
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
