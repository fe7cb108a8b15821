package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/tokentape/tokentape/model"
)

func TestBadges(t *testing.T) {
	for src, want := range map[string]string{"demo": "DEMO", "openrouter": "LIVE", "replay": "REPLAY",
		"remote tt.lan:9464": "REMOTE tt.lan:9464"} {
		m := sized(Options{}, buildMarket(fixtureOptions{source: src}).Snapshot(), 80, 24)
		head := strings.Split(m.View(), "\n")[0]
		if !strings.Contains(head, " "+want+" ") {
			t.Errorf("%s: header %q lacks %s", src, head, want)
		}
		if !strings.Contains(head, "as of 2026-02-20 11:58 UTC") {
			t.Errorf("%s: header %q lacks the as-of time of the data", src, head)
		}
	}
}

func TestStripItems(t *testing.T) {
	st := newStyles()
	now := fixNow
	tests := []struct {
		name    string
		h       model.SourceHealth
		want    string
		problem bool
	}{
		{"fresh", model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: now.Add(-12 * time.Second), LastAttempt: now.Add(-12 * time.Second), Interval: 10 * time.Minute},
			"✓ catalogue 12s", false},
		{"429", model.SourceHealth{Name: "status.claude", LastSuccess: now.Add(-30 * time.Second), LastAttempt: now, LastError: "HTTP 429", NextAttempt: now.Add(100 * time.Second), Interval: time.Minute},
			"⚠ status.claude STALE since 11:59 (30s) · HTTP 429 · retry in 1m40s", true},
		{"stale", model.SourceHealth{Name: "usage", LastSuccess: now.Add(-4 * time.Hour), LastAttempt: now, LastError: "timeout", Interval: time.Hour},
			"⚠ usage STALE since 08:00 (4h00m) · timeout", true},
		{"ok but stale", model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: now.Add(-31 * time.Minute), LastAttempt: now.Add(-31 * time.Minute), Interval: 10 * time.Minute},
			"⚠ catalogue STALE since 11:29 (31m)", true},
		{"waiting", model.SourceHealth{Name: "endpoints"}, "… endpoints waiting", false},
		{"hostile", model.SourceHealth{Name: "status.\x1b[2Jx", LastAttempt: now, LastError: "bad\r\x1b]0;t\x07 body"}, "⚠ status.x no data yet · bad body", true},
		{"never succeeded", model.SourceHealth{Name: "usage", LastAttempt: now, LastError: "HTTP 500", NextAttempt: now.Add(6 * time.Second), Interval: 2 * time.Second},
			"⚠ usage no data yet · HTTP 500 · retry in 6s", true},
		{"unavailable", model.SourceHealth{Name: "apps", LastAttempt: now, LastError: "unavailable (HTTP 404)", Unavailable: true, NextAttempt: now.Add(time.Hour), Interval: time.Hour},
			"– apps unavailable", false},
		{"quota skip keeps the age", model.SourceHealth{Name: "usage", OK: true, LastSuccess: now.Add(-9 * time.Minute), LastAttempt: now.Add(-9 * time.Minute), NextAttempt: now.Add(time.Minute), Interval: 2 * time.Second},
			"⚠ usage STALE since 11:51 (9m00s) · retry in 1m00s", true},
		{"days old", model.SourceHealth{Name: "catalogue", LastSuccess: now.Add(-50 * time.Hour), LastAttempt: now, LastError: "HTTP 500", Interval: 10 * time.Minute},
			"⚠ catalogue STALE since 02-18 10:00 (2d02h) · HTTP 500", true},
	}
	for _, tt := range tests {
		got, problem := stripItem(tt.h, now, st)
		if got != tt.want || problem != tt.problem {
			t.Errorf("%s: %q problem %v, want %q %v", tt.name, got, problem, tt.want, tt.problem)
		}
	}
}

func TestStripPutsProblemsFirstAndFits(t *testing.T) {
	s := fixture()
	line := stripLine(s, s.Now, 200, newStyles())
	if !strings.HasPrefix(line, "⚠ status.claude STALE since 11:53 (7m00s) · HTTP 429 · retry in 1m40s") {
		t.Errorf("strip %q does not lead with the failing source", line)
	}
	short := stripLine(s, s.Now, 60, newStyles())
	if textWidth(short) > 60 || !strings.Contains(short, "more") {
		t.Errorf("narrow strip %q (%d cells) should fit and count what it left out", short, textWidth(short))
	}
	demo := stripLine(&model.Snapshot{Source: "demo", Now: fixNow}, fixNow, 80, newStyles())
	if !strings.Contains(demo, "simulated") {
		t.Errorf("a demo without sources should say it is simulated: %q", demo)
	}
}

// TestTickOnlyWhileLiveAgesShow: demo and replay snapshots carry their own
// clock and need no tick; a live one with ages ticks at 1 Hz and the header
// ages with it; a live one without ages does not tick.
func TestTickOnlyWhileLiveAgesShow(t *testing.T) {
	m := New(Options{})
	if _, cmd := m.Update(SnapshotMsg{Snapshot: fixture()}); cmd != nil {
		t.Error("a demo snapshot started a tick")
	}
	if _, cmd := m.Update(SnapshotMsg{Snapshot: buildMarket(fixtureOptions{source: "replay"}).Snapshot()}); cmd != nil {
		t.Error("a replay snapshot started a tick")
	}
	bare := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return fixNow }})
	if _, cmd := New(Options{}).Update(SnapshotMsg{Snapshot: bare.Snapshot()}); cmd != nil {
		t.Error("a live snapshot without sources started a tick")
	}

	wall := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	m = sized(Options{Now: func() time.Time { return wall }}, nil, 120, 30)
	next, cmd := m.Update(SnapshotMsg{Snapshot: buildMarket(fixtureOptions{source: "openrouter"}).Snapshot()})
	m = next.(Model)
	if cmd == nil {
		t.Fatal("a live snapshot with ages did not start the tick")
	}
	// A second snapshot while the tick runs does not start another.
	if _, again := m.Update(SnapshotMsg{Snapshot: buildMarket(fixtureOptions{source: "openrouter"}).Snapshot()}); again != nil {
		t.Error("a second tick chain started")
	}
	strip := func(m Model) string { return strings.Split(m.View(), "\n")[1] }
	if !strings.Contains(strip(m), "catalogue 12s") {
		t.Fatalf("strip %q", strip(m))
	}
	next, cmd = m.Update(tickMsg(wall.Add(5 * time.Second)))
	m = next.(Model)
	if cmd == nil || !strings.Contains(strip(m), "catalogue 17s") || !strings.Contains(strip(m), "retry in 1m35s") {
		t.Errorf("after a 5 s tick: next tick %v, strip %q", cmd != nil, strip(m))
	}
}

// TestStaleDataIsMarkedAndDimmed: the header names every stale source, a
// status page too; when a market-data source goes stale the header says
// STALE in words (all NO_COLOR leaves) and, with colour, the body is faint.
func TestStaleDataIsMarkedAndDimmed(t *testing.T) {
	wall := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	live := buildMarket(fixtureOptions{source: "openrouter"}).Snapshot()
	m := sized(Options{Now: func() time.Time { return wall }}, live, 120, 30)
	if head := strings.Split(m.View(), "\n")[0]; !strings.Contains(head, "STALE  status.claude") || strings.Contains(head, "catalogue") {
		t.Fatalf("the header must name the stale status page and only it: %q", head)
	}
	m = send(m, tickMsg(wall.Add(31*time.Minute)))
	head := strings.Split(m.View(), "\n")[0]
	if !strings.Contains(head, "STALE") || !strings.Contains(head, "catalogue") {
		t.Errorf("30 min after the catalogue's last success the header says %q", head)
	}

	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	if body := strings.Split(sized(Options{Now: func() time.Time { return wall }}, live, 120, 30).View(), "\n")[5]; strings.HasPrefix(body, "\x1b[2m") {
		t.Errorf("a stale status page dimmed the market: %q", body)
	}
	m = send(sized(Options{Now: func() time.Time { return wall }}, live, 120, 30), tickMsg(wall.Add(31*time.Minute)))
	body := strings.Split(m.View(), "\n")[5]
	if !strings.HasPrefix(body, "\x1b[2m") {
		t.Errorf("stale body line is not faint: %q", body)
	}
}

func TestAReplayOfTheDemoSaysDemo(t *testing.T) {
	st := newStyles()
	rec := &model.Snapshot{Source: "replay", Now: fixNow, AsOf: fixNow,
		Sources: []model.SourceHealth{{Name: "demo", OK: true, LastAttempt: fixNow, LastSuccess: fixNow}}}
	head := headerLine(rec, headerState{}, nil, 120, st)
	if !strings.Contains(head, " REPLAY ") || !strings.Contains(head, " DEMO ") {
		t.Errorf("replay of a demo recording: header %q must say REPLAY and DEMO", head)
	}
	if strip := stripLine(rec, fixNow, 120, st); !strings.Contains(strip, "not live data") {
		t.Errorf("replay of a demo recording: strip %q must say it is not live data", strip)
	}
	live := &model.Snapshot{Source: "replay", Now: fixNow, AsOf: fixNow,
		Sources: []model.SourceHealth{{Name: "catalogue", OK: true, LastAttempt: fixNow, LastSuccess: fixNow}}}
	if head := headerLine(live, headerState{}, nil, 120, st); strings.Contains(head, "DEMO") {
		t.Errorf("replay of a live recording: header %q must not say DEMO", head)
	}
}

// TestSortsThatNeedVolumesAreNotOffered: without token volumes (live without
// a key) the Board's rank order is the weekly order, and s never offers a
// sort by growth, which would move nothing.
func TestSortsThatNeedVolumesAreNotOffered(t *testing.T) {
	snap := buildMarket(fixtureOptions{source: "openrouter", noVolume: true}).Snapshot()
	m := sized(Options{}, snap, 120, 30)
	var seen []string
	for range 4 {
		body := strings.Split(m.View(), "\n")[3]
		name := strings.TrimPrefix(strings.SplitN(body, " · ", 2)[0], "sort ")
		seen = append(seen, strings.TrimSpace(name))
		m = press(m, "s")
	}
	want := []string{"weekly order", "price out", "name", "weekly order"}
	if strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Errorf("sorts offered without volumes: %q, want %q", seen, want)
	}
	withVolumes := sized(Options{}, buildMarket(fixtureOptions{source: "openrouter"}).Snapshot(), 120, 30)
	if body := strings.Split(press(withVolumes, "s").View(), "\n")[3]; !strings.HasPrefix(body, "sort growth") {
		t.Errorf("with volumes s should sort by growth: %q", body)
	}
}

// TestUnlistedRankedListing: a ranked permaslug the catalogue does not list
// shows a name made from its slug and a not-listed mark on the Board, and
// its detail says why it has no prices.
func TestUnlistedRankedListing(t *testing.T) {
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return fixNow }})
	m.Apply(model.CatalogueUpdate{At: fixNow, Listings: []model.Listing{{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Name: "MiniMax: MiniMax M2.5"}}})
	var rows []model.UsageRow
	for d := 0; d < 3; d++ {
		day := fixNow.AddDate(0, 0, d-3).Truncate(24 * time.Hour)
		rows = append(rows, model.UsageRow{Date: day, Slug: "tencent/hy3-preview-20260421:free", Tokens: 5e11},
			model.UsageRow{Date: day, Slug: "minimax/minimax-m2.5-20260211", Tokens: 1e11})
	}
	m.Apply(model.UsageUpdate{At: fixNow, Source: "usage", Rows: rows})
	ui := sized(Options{}, m.Snapshot(), 120, 30)
	board := ui.View()
	if !strings.Contains(board, "Hy3 Preview (free) · not listed") {
		t.Errorf("the Board does not mark the unlisted #1:\n%s", board)
	}
	detail := press(ui, "enter").View()
	if !strings.Contains(detail, "Not listed in the OpenRouter catalogue") || !strings.Contains(detail, "no list prices") {
		t.Errorf("the detail does not say why there are no prices:\n%s", detail)
	}
}

// TestOfflineHeaderOffersROnlyWhereItWorks: on OFFLINE · DEMO the TUI's
// header offers r (look for live again); a viewer of a shared server cannot
// make the server look (it does so on its own), so its header does not.
func TestOfflineHeaderOffersROnlyWhereItWorks(t *testing.T) {
	st := newStyles()
	offline := &model.Snapshot{Source: "demo", Now: fixNow, AsOf: fixNow, Sources: []model.SourceHealth{
		{Name: "demo", OK: true, LastAttempt: fixNow, LastSuccess: fixNow},
		{Name: model.OfflineSource, LastAttempt: fixNow, LastError: "no network: connection refused"}}}
	for _, c := range []struct {
		shared bool
		want   bool
	}{{false, true}, {true, false}} {
		head := headerLine(offline, headerState{shared: c.shared}, nil, 160, st)
		if !strings.Contains(head, "OFFLINE") || !strings.Contains(head, "connection refused") {
			t.Errorf("shared %v: header %q must say OFFLINE and why", c.shared, head)
		}
		if got := strings.Contains(head, "r: try live"); got != c.want {
			t.Errorf("shared %v: header %q offers r: %v, want %v", c.shared, head, got, c.want)
		}
	}
}
