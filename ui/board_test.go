package ui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// TestBoardSparklinesFollowARevisedDay: the Board keeps the last frame's
// sparklines by series (sparkMemo); after a usage poll that revised one
// listing's last day, that listing's trend is drawn anew and the screen is
// that of a Board that saw only the new snapshot, and so on going back.
func TestBoardSparklinesFollowARevisedDay(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	a := mk.Snapshot()
	v, ok := a.Listing("deepseek/deepseek-v3.2")
	if !ok {
		t.Fatal("no deepseek/deepseek-v3.2")
	}
	last := a.Days[len(a.Days)-1]
	mk.Apply(model.UsageUpdate{At: last.Add(23 * time.Hour), Source: "usage", Rows: []model.UsageRow{
		{Date: last, Slug: v.Listing().Slug, Tokens: v.Series[len(v.Series)-1] / 10}}})
	b := mk.Snapshot()
	m := sized(Options{}, a, 200, 60)
	before := rowLine(t, m.View(), "DeepSeek V3.2")
	for i, s := range []*model.Snapshot{b, a, b} {
		m = send(m, SnapshotMsg{Snapshot: s})
		out := m.View()
		if want := sized(Options{}, s, 200, 60).View(); out != want {
			t.Fatalf("snapshot %d: the screen differs from a fresh Board's:\n%s\nwant:\n%s", i, out, want)
		}
		for _, id := range []string{"deepseek/deepseek-v3.2", "anthropic/claude-sonnet-4.5", "z-ai/glm-5"} {
			v, _ := s.Listing(id)
			if l := rowLine(t, out, v.Name); !showsSparkline(l, v.Series) {
				t.Errorf("snapshot %d: %s's line %q lacks its own trend", i, id, l)
			}
		}
	}
	if after := rowLine(t, m.View(), "DeepSeek V3.2"); after == before {
		t.Errorf("the revised day left the row as it was: %q", after)
	}
}

// showsSparkline reports whether line holds series' sparkline in one of
// the widths the Board's trend column takes.
func showsSparkline(line string, series []uint64) bool {
	for w := 12; w <= 60; w++ {
		if strings.Contains(line, sparkline(series, w)) {
			return true
		}
	}
	return false
}

// TestTokenMemoIsUnitsTokens: the memo gives units.Tokens' text for every
// count, counts that share a slot included, asked in any order.
func TestTokenMemoIsUnitsTokens(t *testing.T) {
	var m tokenMemo
	rnd := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		n := uint64(rnd.IntN(4000)) * []uint64{1, 1e3, 1e6, 1e9}[rnd.IntN(4)]
		if got, want := m.tokens(n), units.Tokens(n); got != want {
			t.Fatalf("tokens(%d) = %q, want %q", n, got, want)
		}
	}
}
