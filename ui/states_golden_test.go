package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/tokentape/tokentape/model"
)

// sourceStates are the source-health situations the header and strip must
// tell apart, each on a live market at fixNow (plus the offline demo).
func sourceStates() map[string][]model.SourceHealth {
	ago := func(d time.Duration) time.Time { return fixNow.Add(-d) }
	ok := func(name string, age, iv time.Duration) model.SourceHealth {
		return model.SourceHealth{Name: name, OK: true, LastSuccess: ago(age), LastAttempt: ago(age), NextAttempt: ago(age).Add(iv), Interval: iv}
	}
	return map[string][]model.SourceHealth{
		"fresh": {ok("catalogue", 12*time.Second, 10*time.Minute), ok("ranking", 12*time.Second, 10*time.Minute),
			ok("endpoints", 40*time.Second, 2*time.Minute), ok("status.claude", 5*time.Second, time.Minute)},
		"stale": {
			{Name: "catalogue", LastSuccess: ago(3 * time.Minute), LastAttempt: ago(4 * time.Second), LastError: "HTTP 500",
				NextAttempt: fixNow.Add(6 * time.Second), Interval: 2 * time.Second},
			{Name: "ranking", LastSuccess: ago(3 * time.Minute), LastAttempt: ago(4 * time.Second), LastError: "HTTP 500",
				NextAttempt: fixNow.Add(6 * time.Second), Interval: 2 * time.Second},
			ok("endpoints", 20*time.Second, 2*time.Minute),
			{Name: "status.claude", LastSuccess: ago(7 * time.Minute), LastAttempt: ago(10 * time.Second), LastError: "HTTP 429",
				NextAttempt: fixNow.Add(100 * time.Second), Interval: time.Minute},
		},
		"no-data": {
			{Name: "catalogue", LastAttempt: ago(2 * time.Second), LastError: "connection refused", NextAttempt: fixNow.Add(3 * time.Second), Interval: 10 * time.Minute},
			{Name: "usage", LastAttempt: ago(2 * time.Second), LastError: "HTTP 500", NextAttempt: fixNow.Add(15 * time.Minute), Interval: time.Hour},
			{Name: "endpoints"},
		},
		"unavailable": {ok("catalogue", 12*time.Second, 10*time.Minute), ok("usage", 25*time.Minute, time.Hour),
			{Name: "apps", LastAttempt: ago(time.Minute), LastError: "unavailable (HTTP 404)", Unavailable: true, NextAttempt: fixNow.Add(59 * time.Minute), Interval: time.Hour}},
	}
}

// TestGoldenSourceStates pins the header, the strip and the Board in each
// source state at 80x24 and 160x48, colours off: every age is the age of
// the data held, a ✓ stands only beside fresh data, stale figures carry †.
func TestGoldenSourceStates(t *testing.T) {
	live := buildMarket(fixtureOptions{source: "openrouter"}).Snapshot()
	snaps := map[string]*model.Snapshot{}
	for name, hs := range sourceStates() {
		s := *live
		s.Sources = hs
		snaps[name] = &s
	}
	demo := *fixture()
	demo.Sources = append([]model.SourceHealth{{Name: model.OfflineSource, LastAttempt: fixNow,
		LastError: "no network: lookup openrouter.ai: no such host"}}, demo.Sources...)
	snaps["offline-demo"] = &demo
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for name, snap := range snaps {
			w, h := size[0], size[1]
			t.Run(fmt.Sprintf("%s_%dx%d", name, w, h), func(t *testing.T) {
				out := sized(Options{}, snap, w, h).View()
				checkFrame(t, out, w, h)
				lines := strings.Split(out, "\n")
				head, strip := lines[0], lines[1]
				switch name {
				case "fresh":
					if strings.Contains(head, "STALE") || strings.Contains(out, staleGlyph) || !strings.Contains(strip, "✓ catalogue 12s") {
						t.Errorf("fresh sources shown as stale:\n%s", out)
					}
				case "stale":
					if !strings.Contains(head, "STALE") || !strings.Contains(strip, "⚠ catalogue STALE since 11:57 (3m00s) · HTTP 500 · retry in 6s") ||
						strings.Contains(strip, "✓ catalogue") || !strings.Contains(out, staleGlyph) {
						t.Errorf("a failed source is not stale with its age and glyphs:\n%s", out)
					}
					if w >= 160 && !strings.Contains(head, "catalogue, ranking, status.claude") {
						t.Errorf("the header must name every stale source: %q", head)
					}
				case "no-data":
					if !strings.Contains(strip, "⚠ catalogue no data yet · connection refused") || strings.Contains(strip, "STALE") {
						t.Errorf("a source that never succeeded: %q", strip)
					}
				case "unavailable":
					if w >= 160 && !strings.Contains(strip, "– apps unavailable") {
						t.Errorf("a 404 of the optional apps: %q", strip)
					}
				case "offline-demo":
					if !strings.Contains(head, "OFFLINE") || !strings.Contains(head, "DEMO") || !strings.Contains(head, "no network") {
						t.Errorf("the offline demo: %q", head)
					}
				}
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}
