package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestFittedBodiesAreExact: the tabs that draw their body already cut and
// padded to the frame (Share, Health, Alerts, the planner), which the frame
// cache keeps without fitting it again, give every line the same width and
// exactly the body's height, with colour and without: what block would have
// made of them.
func TestFittedBodiesAreExact(t *testing.T) {
	states := map[string][]string{"share": {"2"}, "health": {"4"}, "alerts": {"5"}, "planner": {"3", "c"}, "health-end": {"4", "G"}}
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.TrueColor} {
		lipgloss.SetColorProfile(profile)
		for name, keys := range states {
			for _, size := range [][2]int{{80, 24}, {119, 30}, {120, 30}, {160, 48}, {200, 60}, {250, 14}} {
				m := press(sized(Options{}, fixture(), size[0], size[1]), keys...)
				body := m.current().View()
				lines := strings.Split(body, "\n")
				w, h := textWidth(lines[0]), len(lines)
				if w != size[0] {
					t.Errorf("%s at %dx%d (profile %v): the body is %d wide", name, size[0], size[1], profile, w)
				}
				if fitted := block(body, w, h, true); fitted != body {
					t.Errorf("%s at %dx%d (profile %v): the body is not fitted to %dx%d:\n%s", name, size[0], size[1], profile, w, h, body)
				}
			}
		}
	}
	lipgloss.SetColorProfile(termenv.Ascii)
}
