package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestGoldenScreens pins every tab at 80x24 and 160x48 without colour.
// Run `go test ./ui -run TestGoldenScreens -update` after an intended change
// and read the files in testdata/ before committing them.
func TestGoldenScreens(t *testing.T) {
	snap := fixture()
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for i, tab := range []string{"board", "share", "prices", "health", "alerts"} {
			w, h := size[0], size[1]
			t.Run(fmt.Sprintf("%s_%dx%d", tab, w, h), func(t *testing.T) {
				m := press(sized(Options{}, snap, w, h), fmt.Sprint(i+1))
				out := m.View()
				checkFrame(t, out, w, h)
				if !strings.Contains(out, "DEMO") {
					t.Errorf("the demo market is not labelled DEMO:\n%s", out)
				}
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}

// checkFrame asserts a frame fits the terminal: no line wider than w, no
// more than h lines.
func checkFrame(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) > h {
		t.Errorf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := textWidth(l); lw > w {
			t.Errorf("%dx%d: line %d is %d cells wide: %q", w, h, i, lw, l)
		}
	}
}
