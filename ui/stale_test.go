package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// staleSnapshot is the live fixture with every source fresh but the named
// ones, which failed 4 s ago after a success 3 minutes ago.
func staleSnapshot(stale ...string) *model.Snapshot {
	s := *buildMarket(fixtureOptions{source: "openrouter"}).Snapshot()
	s.Sources = nil
	for _, name := range []string{"catalogue", "usage", "apps", "endpoints", "status.claude", "status.deepseek"} {
		h := model.SourceHealth{Name: name, OK: true, LastSuccess: fixNow.Add(-time.Second), LastAttempt: fixNow.Add(-time.Second), Interval: 10 * time.Minute}
		for _, x := range stale {
			if x == name {
				h = model.SourceHealth{Name: name, LastSuccess: fixNow.Add(-3 * time.Minute), LastAttempt: fixNow.Add(-4 * time.Second),
					LastError: "HTTP 500", Interval: 10 * time.Minute}
			}
		}
		s.Sources = append(s.Sources, h)
	}
	return &s
}

// lineHolding is the first line of screen holding every part, or "".
func lineHolding(screen string, parts ...string) string {
next:
	for _, l := range strings.Split(screen, "\n") {
		for _, p := range parts {
			if !strings.Contains(l, p) {
				continue next
			}
		}
		return l
	}
	return ""
}

// TestStaleFiguresAreMarkedOnEveryTab: with colours off (TestMain), a
// figure from a stale source still reads as such by its glyph, on the
// Share and Health tabs and the listing detail, and a fresh one never does.
// Each case names the line that holds the figure and the figure's text as
// it reads when marked.
func TestStaleFiguresAreMarkedOnEveryTab(t *testing.T) {
	share := func(m Model) string { return press(m, "2").View() }
	health := func(m Model) string { return press(m, "4").View() }
	detailOf := func(m Model) string {
		m = openDetailOf(t, Options{}, m.snap, "moonshotai/kimi-k2.5", 160, 48)
		m.View() // the root marks what is stale as it draws
		return detailPage(t, m)
	}
	tests := []struct {
		name   string
		source string
		screen func(Model) string
		line   []string // what identifies the line of the figure
		marked string   // the figure as it reads when marked
	}{
		{"share: an origin's share", "usage", share, []string{"CN ", "%"}, "%" + staleGlyph},
		{"share: an author's share", "usage", share, []string{"moonshotai"}, "%" + staleGlyph},
		{"share: an app's tokens and requests", "apps", share, []string{"Kilo Code"}, "B" + staleGlyph},
		{"health: endpoint figures", "endpoints", health, []string{"Kimi K2.5", "DOWN"}, "DOWN" + staleGlyph},
		{"health: a status page's state", "status.claude", health, []string{"claude", "serves anthropic"}, "partial outage" + staleGlyph},
		{"health: an incident's impact", "status.claude", health, []string{"Elevated errors"}, "partial outage" + staleGlyph},
		{"detail: list price", "catalogue", detailOf, []string{"list", "in $"}, staleGlyph + " · out"},
		{"detail: tokens and share", "usage", detailOf, []string{"by tokens"}, "%" + staleGlyph + " of all"},
		{"detail: endpoints", "endpoints", detailOf, []string{"deranked -3"}, staleGlyph},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh := tt.screen(sized(Options{}, staleSnapshot(), 160, 48))
			if l := lineHolding(fresh, tt.line...); l == "" || strings.Contains(l, staleGlyph) {
				t.Fatalf("fresh data: the line %q is missing or marked:\n%s", l, fresh)
			}
			stale := tt.screen(sized(Options{}, staleSnapshot(tt.source), 160, 48))
			l := lineHolding(stale, tt.line...)
			if !strings.Contains(l, tt.marked) {
				t.Errorf("%s stale: the line %q lacks %q:\n%s", tt.source, l, tt.marked, stale)
			}
		})
	}
}
