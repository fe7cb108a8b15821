package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/tokentape/tokentape/model"
)

// TestNoColourEveryStateReadable: without colour, every state still reads by
// glyph or word, and not one escape sequence reaches the screen.
func TestNoColourEveryStateReadable(t *testing.T) {
	snap := fixture()
	m := sized(Options{}, snap, 160, 48)
	board := m.View()
	for _, want := range []string{"▲", "▼", "● OK", "◐ DEGRADED", "○ DOWN", "DEMO", "›", "⚠", "STALE"} {
		if !strings.Contains(board, want) {
			t.Errorf("the Board without colour lacks %q", want)
		}
	}
	frames := []string{board, press(m, "p").View(), press(sized(Options{}, snap, 160, 48), "2").View(),
		press(sized(Options{}, snap, 160, 48), "3").View(), press(sized(Options{}, snap, 160, 48), "?").View(),
		press(sized(Options{}, snap, 160, 48), "/", "x").View()}
	if !strings.Contains(frames[1], "PAUSED") {
		t.Error("paused without colour does not say PAUSED")
	}
	for i, f := range frames {
		if strings.Contains(f, "\x1b") {
			t.Errorf("frame %d has an escape sequence under the Ascii profile", i)
		}
	}
}

// TestColourFramesFit renders with true colour: widths still fit (escapes
// take no cells), the selected row is reverse video, rises are green.
func TestColourFramesFit(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	snap := fixture()
	for _, tab := range []string{"1", "2", "3"} {
		for _, size := range [][2]int{{80, 24}, {200, 60}} {
			m := press(sized(Options{}, snap, size[0], size[1]), tab)
			out := m.View()
			checkFrame(t, out, size[0], size[1])
			if !strings.Contains(out, "\x1b[") {
				t.Errorf("tab %s: no colour with a colour profile", tab)
			}
		}
	}
	board := sized(Options{}, snap, 120, 40).View()
	var sel string
	for _, l := range strings.Split(board, "\n") {
		if strings.HasPrefix(l, "›") {
			sel = l
		}
	}
	if !strings.HasPrefix(sel, "›\x1b[7m") {
		t.Errorf("selected row is not reverse video: %q", sel)
	}
}

// TestHostileNamesNeverReachTheScreen: even a name that slipped past the
// feeds' sanitiser (a hand-edited recording) is cleaned before drawing.
func TestHostileNamesNeverReachTheScreen(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	mk.Apply(model.CatalogueUpdate{At: fixNow, Listings: []model.Listing{
		{ID: "evil/model", Name: "Evil\x1b[2J\x1b]0;owned\x07 \u202eModel\r\b", Author: "evil\x1b[31m",
			Price: paidPrice(0.01, 0.02, nan)},
	}})
	for _, tab := range []string{"1", "3"} {
		out := press(sized(Options{}, mk.Snapshot(), 160, 60), tab, "/", "E", "v", "i", "l", "enter").View()
		if strings.ContainsAny(out, "\x1b\r\b\x07\u202e") {
			t.Errorf("tab %s lets a control through: %q", tab, out)
		}
		if !strings.Contains(out, "Evil Model") {
			t.Errorf("tab %s does not show the cleaned name", tab)
		}
	}
}
