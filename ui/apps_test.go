package ui

import (
	"fmt"
	"strings"
	"testing"
)

// TestAppsPanel: the Share tab shows who burns the tokens when the width (or,
// narrow, the height) allows, and leaves it out cleanly otherwise.
func TestAppsPanel(t *testing.T) {
	snap := fixture()
	tests := []struct {
		w, h  int
		shown bool
		rows  int // apps listed at least
	}{
		{80, 24, false, 0},
		{100, 30, false, 0},
		{80, 50, true, 5},
		{120, 40, true, 8},
		{160, 48, true, 12},
		{200, 60, true, 12},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			out := press(sized(Options{}, snap, tt.w, tt.h), "2").View()
			checkFrame(t, out, tt.w, tt.h)
			if got := strings.Contains(out, "Who burns the tokens"); got != tt.shown {
				t.Fatalf("apps panel shown %v, want %v:\n%s", got, tt.shown, out)
			}
			if !strings.Contains(out, "Top authors") || !strings.Contains(out, "1 anthropic") {
				t.Errorf("the apps pushed the authors out:\n%s", out)
			}
			if !tt.shown {
				return
			}
			for i, a := range fixtureApps()[:tt.rows] {
				name := a.Name
				if i == 11 {
					name = "Evil App" // the escape and the bidi override are gone
				}
				if !strings.Contains(out, fmt.Sprintf("%2d %s", a.Rank, name)) {
					t.Errorf("app #%d %q not listed:\n%s", a.Rank, name, out)
				}
			}
			if !strings.Contains(out, "Kilo Code") || !strings.Contains(out, "60.0B   3.00M") {
				t.Errorf("Kilo Code's tokens and requests are missing:\n%s", out)
			}
			if strings.ContainsAny(out, "\x1b\u202e") {
				t.Error("an app name reached the screen raw")
			}
		})
	}
	// No app rankings (no key, or a replay without them): no panel.
	noApps := buildMarket(fixtureOptions{source: "replay"}).Snapshot()
	noApps.Apps = nil
	out := press(sized(Options{}, noApps, 160, 48), "2").View()
	if strings.Contains(out, "Who burns the tokens") {
		t.Errorf("an apps panel without apps:\n%s", out)
	}
}
