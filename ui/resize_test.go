package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestResizeSweep resizes every tab through sizes from 1x1 to 300x100, with
// and without the full help and while typing a filter: no panic, no line
// wider than the terminal, no more lines than it has.
func TestResizeSweep(t *testing.T) {
	widths := []int{1, 2, 3, 5, 8, 13, 21, 40, 60, 79, 80, 81, 99, 120, 159, 160, 199, 200, 250, 300}
	heights := []int{1, 2, 3, 5, 8, 13, 23, 24, 25, 30, 40, 48, 60, 80, 100}
	snap := fixture()
	states := map[string][]string{
		"board": {"1"}, "share": {"2"}, "prices": {"3"},
		"help": {"1", "?"}, "typing": {"1", "/", "q", "w", "e"}, "prices-end": {"3", "G"},
		"health": {"4"}, "health-end": {"4", "G"}, "health-typing": {"4", "/", "g"}, "health-help": {"4", "?"},
		"alerts": {"5"}, "alerts-end": {"5", "G"}, "alerts-filtered": {"5", "f", "x"}, "alerts-empty": {"5", "f", "f", "f", "f", "x"},
		"planner": {"3", "c"}, "planner-editing": {"3", "c", "e", "tab"}, "planner-end": {"3", "c", "G"},
		"planner-mix": {"3", "c", "m", "j", "m", "j", "m", "%", "4", "0"}, "planner-help": {"3", "c", "?"},
		"detail": {"1", "j", "enter"}, "detail-end": {"1", "j", "enter", "G"}, "detail-help": {"3", "enter", "?"},
		"alerts-note": {"5", "a"}, "alerts-help": {"5", "?"},
	}
	for name, keys := range states {
		t.Run(name, func(t *testing.T) {
			m := press(sized(Options{}, snap, 80, 24), keys...)
			for _, w := range widths {
				for _, h := range heights {
					m = send(m, tea.WindowSizeMsg{Width: w, Height: h})
					out := m.View()
					checkFrame(t, out, w, h)
					if w < minWidth || h < minHeight {
						if !strings.Contains(strings.ReplaceAll(out, "\n", " "), "small") && w >= 20 && h >= 3 {
							t.Errorf("%dx%d does not say the terminal is too small:\n%s", w, h, out)
						}
					} else if got := strings.Count(out, "\n") + 1; got != h {
						t.Errorf("%dx%d: %d lines, want the full height", w, h, got)
					}
				}
			}
		})
	}
}

// TestZeroSizeRendersDefault covers the frame before any WindowSizeMsg (no
// TTY, or the first frame): a full 80x24 screen, not a blank or a panic.
func TestZeroSizeRendersDefault(t *testing.T) {
	for _, snapped := range []bool{false, true} {
		t.Run(fmt.Sprint("snapshot=", snapped), func(t *testing.T) {
			m := New(Options{})
			if snapped {
				m = send(m, SnapshotMsg{Snapshot: fixture()})
			}
			out := m.View()
			checkFrame(t, out, defaultWidth, defaultHeight)
			want := "waiting for data…"
			if snapped {
				want = "Kimi K2.5"
			}
			if !strings.Contains(out, want) {
				t.Errorf("frame without a size lacks %q:\n%s", want, out)
			}
		})
	}
}
