package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/tokentape/tokentape/model"
)

// openDetailOf opens the detail of a listing from the Board at w×h.
func openDetailOf(t *testing.T, opts Options, snap *model.Snapshot, id string, w, h int) Model {
	t.Helper()
	m := press(sized(opts, snap, w, h), "1")
	b := boardOf(t, m)
	for i, v := range b.rows {
		if v.ID == id {
			for j := 0; j < i; j++ {
				m = press(m, "j")
			}
			m = press(m, "enter")
			if d, ok := m.overlay.(*detail); !ok || d.id != id {
				t.Fatalf("enter on %s opened %#v", id, m.overlay)
			}
			return m
		}
	}
	t.Fatalf("%s is not on the Board", id)
	return m
}

// detailPage is the whole page of the open detail, without scrolling.
func detailPage(t *testing.T, m Model) string {
	t.Helper()
	d, ok := m.overlay.(*detail)
	if !ok {
		t.Fatalf("no detail open: %T", m.overlay)
	}
	return strings.Join(d.page(), "\n")
}

func TestEnterAndEscReturnToTheSameRow(t *testing.T) {
	snap := fixture()
	tests := []struct {
		name string
		keys []string // to the tab and down its rows
		sel  func(t *testing.T, m Model) string
	}{
		{"board", []string{"1", "j", "j", "j", "j", "j"}, func(t *testing.T, m Model) string { id, _ := boardOf(t, m).Selected(); return id }},
		{"board-scrolled", []string{"1", "G", "k"}, func(t *testing.T, m Model) string { id, _ := boardOf(t, m).Selected(); return id }},
		{"prices", []string{"3", "j", "j", "j"}, func(t *testing.T, m Model) string { id, _ := pricesOf(t, m).Selected(); return id }},
		{"prices-free", []string{"3", "G"}, func(t *testing.T, m Model) string { id, _ := pricesOf(t, m).Selected(); return id }},
		{"planner", []string{"3", "c", "G", "k", "k"}, func(t *testing.T, m Model) string { id, _ := pricesOf(t, m).Selected(); return id }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := press(sized(Options{}, snap, 80, 24), tt.keys...)
			before := m.View()
			want := tt.sel(t, m)
			m = press(m, "enter")
			v, _ := snap.Listing(want)
			if m.overlay == nil || m.overlay.Title() != displayName(v.Name) || !strings.Contains(m.View(), "]  esc back") {
				t.Fatalf("enter did not open the detail of %s:\n%s", want, m.View())
			}
			checkFrame(t, m.View(), 80, 24)
			m = press(m, "j", "j", "esc") // scrolling the detail does not move the row
			if m.overlay != nil {
				t.Fatal("esc did not close the detail")
			}
			if got := tt.sel(t, m); got != want {
				t.Errorf("back on %s, want %s", got, want)
			}
			if after := m.View(); after != before {
				t.Errorf("the screen changed across enter and esc:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

func TestDetailContent(t *testing.T) {
	snap := fixture()
	tests := []struct {
		id   string
		want []string
	}{
		{"z-ai/glm-5", []string{
			"GLM-5  z-ai/glm-5", "by z-ai · origin CN", "◐ DEGRADED",
			"list   in $1.20 · out $3.80 · cache read $0.24",
			"at 20M tokens/day, 75% (3:1) input, no cache hits: $37.00/day · $1,110.00/month", // 15×1.20 + 5×3.80
			"▲ 2026-02-17 in $1.00→$1.20 · out $3.20→$3.80 · cache $0.20→$0.24",
			"#7 since 2026-02-18", "first ranked 2026-01-11",
			"◐ deranked -2", "5.20s", // the deranked endpoint with its latency
			"FIRING warn price", "GLM-5 price hike",
		}},
		{"anthropic/claude-sonnet-4.5", []string{
			"1.00M context", "listed 2025-09-29", "Anthropic's Sonnet for agents and coding.",
			"prompts over 200K tokens: in $6.00 · out $22.50 · cache read $0.60",
			"$120.00/day · $3,600.00/month · $120.00–$202.50/day across its overrides",
			"#6 since 2026-02-12 · best #1 on 2025-12-12", "1.45s",
		}},
		{"x-ai/grok-4.1-fast", []string{"● normal", "uptime in percent; latency and throughput not reported"}},
		{"minimax/minimax-m2.5", []string{
			"205K context", "00:00–08:00 UTC: in $0.15 · out $0.60 · cache read $0.015",
			"08:00–00:00 UTC: in $0.30 · out $1.20 · cache read $0.030", "$5.25–$10.50/day",
		}},
		{"google/gemini-3-flash-preview", []string{"▼ 2026-02-17 in $0.50→$0.40 · out $3.00→$2.50", "acknowledged"}},
		{"openrouter/auto", []string{"variable (a router", "can't be costed", "No endpoint data"}},
		{"allenai/olmo-3-32b", []string{"no price yet", "context length unknown", "no alerts about this listing"}},
		{"qwen/qwen3-coder:free", []string{"list   free", "$0.00/day"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			m := openDetailOf(t, Options{}, snap, tt.id, 160, 48)
			page := detailPage(t, m)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q:\n%s", w, page)
				}
			}
		})
	}
}

// TestDetailMarkerUnderItsDay checks a price change's marker sits in the
// column of its day: the column the date axis gives the last day, less as
// many plot columns as the change is days before it.
func TestDetailMarkerUnderItsDay(t *testing.T) {
	snap := fixture()
	for _, w := range []int{80, 120, 160, 200} {
		m := openDetailOf(t, Options{}, snap, "z-ai/glm-5", w, 48)
		lines := m.overlay.(*detail).page()
		axis, marks := -1, -1
		for i, l := range lines {
			if strings.HasSuffix(strings.TrimRight(l, " "), "2026-02-19") && strings.HasPrefix(strings.TrimSpace(l), "2026-01-11") {
				axis = i
			}
			if strings.TrimSpace(l) == "▲" {
				marks = i
			}
		}
		if axis < 0 || marks != axis+1 {
			t.Fatalf("%d wide: date axis at %d, marker row at %d:\n%s", w, axis, marks, strings.Join(lines, "\n"))
		}
		// GLM-5's chart runs 2026-01-11 … 2026-02-19 (40 days); the hike is
		// on 2026-02-17, day 37.
		plotW := w - 9
		want := 8 + int(float64(37*(plotW-1))/39+0.5)
		if got := textWidth(lines[marks][:strings.Index(lines[marks], "▲")]); got != want {
			t.Errorf("%d wide: marker in column %d, want %d", w, got, want)
		}
		// The plot's last column is the last day: the axis ends there.
		if end := textWidth(strings.TrimRight(lines[axis], " ")); end != 8+plotW {
			t.Errorf("%d wide: the date axis ends in column %d, want %d", w, end, 8+plotW)
		}
	}
}

func TestRankHistoryMatchesTheMarket(t *testing.T) {
	snap := fixture()
	for i := range snap.Listings {
		v := &snap.Listings[i]
		ranks := snap.RankHistory(v.ID)
		if len(ranks) != len(snap.Days) {
			t.Fatalf("%s: %d ranks for %d days", v.ID, len(ranks), len(snap.Days))
		}
		if got := ranks[len(ranks)-1]; got != v.Rank {
			t.Errorf("%s: rank %d on the last day, the market says %d", v.ID, got, v.Rank)
		}
		if got := ranks[len(ranks)-1-snap.Window]; got != v.PrevRank {
			t.Errorf("%s: rank %d a window ago, the market says %d", v.ID, got, v.PrevRank)
		}
	}
	if r := snap.RankHistory("nobody/nothing"); r != nil {
		t.Errorf("an unknown listing has a rank history: %v", r)
	}
}

func TestDetailWithoutData(t *testing.T) {
	catalogueOnly := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return fixNow }})
	catalogueOnly.Apply(model.CatalogueUpdate{At: fixNow, Source: "catalogue", Listings: []model.Listing{
		{ID: "a/one", Name: "One"}, // no price, no series, no days
		{ID: "a/two", Name: "Two", Price: paidPrice(1, 2, nan), Description: "Evil\x1b[2J\u202e text"},
	}})
	noVolume := buildMarket(fixtureOptions{source: "openrouter", noVolume: true}).Snapshot()
	tests := []struct {
		name string
		snap *model.Snapshot
		id   string
		want []string
	}{
		{"catalogue only, no price", catalogueOnly.Snapshot(), "a/one", []string{"no price yet", "need OPENROUTER_API_KEY", "No endpoint data"}},
		{"catalogue only, hostile text", catalogueOnly.Snapshot(), "a/two", []string{"Evil text"}},
		{"no volumes", noVolume, "moonshotai/kimi-k2.5", []string{"in the ranking order", "Rank history needs token volumes", "need OPENROUTER_API_KEY"}},
		{"no volumes, price change listed", noVolume, "z-ai/glm-5", []string{"▲ 2026-02-17 in $1.00→$1.20"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
				m := openDetailOf(t, Options{}, tt.snap, tt.id, size[0], size[1])
				checkFrame(t, m.View(), size[0], size[1])
				page := strings.Join(strings.Fields(detailPage(t, m)), " ")
				for _, w := range tt.want {
					if !strings.Contains(page, w) {
						t.Errorf("%v: page lacks %q:\n%s", size, w, detailPage(t, m))
					}
				}
				if strings.ContainsAny(m.View(), "\x1b\u202e") {
					t.Errorf("%v: a raw control reached the screen", size)
				}
			}
		})
	}

	// A listing that leaves the market while its page is open, and a page
	// open before any snapshot.
	m := openDetailOf(t, Options{}, fixture(), "z-ai/glm-5", 80, 24)
	m = send(m, SnapshotMsg{Snapshot: catalogueOnly.Snapshot()})
	if v := m.View(); !strings.Contains(v, "not on the market any more") {
		t.Errorf("a retired listing's page does not say so:\n%s", v)
	}
	d := newDetail(&env{st: newStyles(), workload: model.DefaultWorkload()}, "x/y")
	d.SetSize(80, 20)
	if v := d.View(); !strings.Contains(v, "waiting for data") || d.Title() != "x/y" {
		t.Errorf("a page without a snapshot: %q, title %q", v, d.Title())
	}
}

func TestDetailScrolls(t *testing.T) {
	m := openDetailOf(t, Options{}, fixture(), "z-ai/glm-5", 80, 24)
	d := m.overlay.(*detail)
	n := len(d.page())
	if n <= d.h {
		t.Fatalf("the page (%d lines) fits %d: nothing to scroll", n, d.h)
	}
	top := m.View()
	if !strings.Contains(top, "GLM-5  z-ai/glm-5") || !strings.Contains(top, "more below") {
		t.Errorf("the top of the page:\n%s", top)
	}
	m = press(m, "j")
	if d.off != 1 {
		t.Errorf("j scrolled to %d, want 1", d.off)
	}
	m = press(m, "G")
	bottom := m.View()
	if !strings.Contains(bottom, "GLM-5 tokens +144% w/w") || strings.Contains(bottom, "more below") {
		t.Errorf("G does not show the end of the page:\n%s", bottom)
	}
	if d.off != n-(d.h-1) {
		t.Errorf("G scrolled to %d, want %d", d.off, n-(d.h-1))
	}
	m = press(m, "j", "j", "pgdown")
	if d.off != n-(d.h-1) {
		t.Errorf("scrolled past the end: %d", d.off)
	}
	m = press(m, "g")
	if m.View() != top {
		t.Error("g does not return to the top")
	}
	// A bigger terminal shows more; the offset is clamped.
	m = press(m, "G")
	m = send(m, tea.WindowSizeMsg{Width: 200, Height: 80})
	checkFrame(t, m.View(), 200, 80)
	if d.off > d.maxOff() {
		t.Errorf("offset %d past the end %d after a resize", d.off, d.maxOff())
	}
}

// TestDetailFollowsWorkload: the page prices the planner's workload, so an
// edit in the planner shows on the next page opened.
func TestDetailFollowsWorkload(t *testing.T) {
	m := openPlanner(Options{}, fixture(), 160, 48)
	m = press(m, "e")
	m = typeInto(m, "50M")
	m = press(m, "enter")
	m = press(selectRow(t, m, "anthropic/claude-sonnet-4.5"), "enter")
	if page := detailPage(t, m); !strings.Contains(page, "at 50M tokens/day, 75% (3:1) input, no cache hits: $300.00/day") {
		t.Errorf("the page does not price the edited workload:\n%s", page)
	}
}

// TestGoldenDetail pins the detail view at 80x24 and 160x48 without colour.
func TestGoldenDetail(t *testing.T) {
	snap := fixture()
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		for _, id := range []string{"z-ai/glm-5", "minimax/minimax-m2.5"} {
			t.Run(fmt.Sprintf("%s_%dx%d", strings.ReplaceAll(id, "/", "_"), w, h), func(t *testing.T) {
				out := openDetailOf(t, Options{}, snap, id, w, h).View()
				checkFrame(t, out, w, h)
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
	// The price history and the uptime strip, scrolled to.
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("glm-5_history_%dx%d", w, h), func(t *testing.T) {
			out := press(openDetailOf(t, Options{}, snap, "z-ai/glm-5", w, h), "j", "j", "j", "j", "j", "j", "j", "j").View()
			checkFrame(t, out, w, h)
			for _, want := range []string{"Price history", "+19% on 2026-", "Uptime · last 30 days", "◐", "○"} {
				if !strings.Contains(out, want) {
					t.Errorf("the history page lacks %q", want)
				}
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
	t.Run("glm-5_end_80x24", func(t *testing.T) {
		out := press(openDetailOf(t, Options{}, snap, "z-ai/glm-5", 80, 24), "G").View()
		checkFrame(t, out, 80, 24)
		golden.RequireEqual(t, []byte(out))
	})
}

// BenchmarkViewDetail is a detail frame at 200x60 with 400 listings.
func BenchmarkViewDetail(b *testing.B) {
	m := press(sized(Options{}, benchSnapshot(b), 200, 60), "1", "enter")
	if m.overlay == nil {
		b.Fatal("no detail open")
	}
	benchFrames(b, m)
}

// BenchmarkRebuildDetail is a new day's snapshot plus a detail frame: the
// page laid out again, on the UI goroutine. Its chart and rank history
// (against 400 listings) are made by the command Update returns, which
// this benchmark drops: see BenchmarkRebuildDetailWithBackground.
func BenchmarkRebuildDetail(b *testing.B) { benchRebuild(b, "1", usagePoll, "enter") }

// BenchmarkRebuildDetailWithBackground is BenchmarkRebuildDetail with the
// background work (the new day's volume plot and rank history) run and its
// answer applied each new day: all the CPU a new day costs the page,
// wherever it runs. BenchmarkRebuildDetail is the UI goroutine's part.
func BenchmarkRebuildDetailWithBackground(b *testing.B) {
	benchRebuildWithBackground[detailDrawn](b, "1", "enter")
}

// BenchmarkRebuildDetailSameContent is the same-content snapshot plus a
// detail frame.
func BenchmarkRebuildDetailSameContent(b *testing.B) {
	benchRebuildSame(b, benchSnapshot(b), "1", "enter")
}

// TestDetailLongNameKeepsEscBack: the tab bar shortens a long listing name
// rather than the way back.
func TestDetailLongNameKeepsEscBack(t *testing.T) {
	m := openDetailOf(t, Options{}, fixture(), "nousresearch/hermes-4-405b", 80, 24)
	bar := strings.Split(m.View(), "\n")[2]
	if !strings.Contains(bar, "[Hermes 4 405") || !strings.HasSuffix(strings.TrimRight(bar, " "), "…]  esc back") {
		t.Errorf("tab bar %q, want the name cut before esc back", bar)
	}
}

// TestVolumePlotRedrawsWhatChanged: the kept plot is reused only for the
// same data, size, top and colour; any change draws it again, as a fresh
// memo would.
func TestVolumePlotRedrawsWhatChanged(t *testing.T) {
	a := []float64{1e6, 2e6, 3e6, 2e6}
	b := []float64{1e6, 2e6, 3e6, 9e6}
	calls := []plotInput{
		{a, 40, 8, 3e6, false},
		{a, 40, 8, 3e6, false},  // the same: kept
		{b, 40, 8, 9e6, false},  // new data
		{b, 50, 8, 9e6, false},  // wider
		{b, 50, 10, 9e6, false}, // taller
		{b, 50, 10, 1e7, false}, // another top
		{b, 50, 10, 1e7, true},  // colour
		{a, 40, 8, 3e6, false},  // back to the first
	}
	var kept plotMemo
	for i, c := range calls {
		var fresh plotMemo
		if got, want := kept.plot(c), fresh.plot(c); got != want {
			t.Errorf("call %d: the kept plot differs from a fresh one:\n%s\nwant\n%s", i, got, want)
		}
	}
	// The memo holds a copy: changing the caller's slice does not fool it.
	c := slices.Clone(a)
	kept.plot(plotInput{c, 40, 8, 3e6, false})
	c[3] = 3e6
	var fresh plotMemo
	if got, want := kept.plot(plotInput{c, 40, 8, 3e6, false}), fresh.plot(plotInput{c, 40, 8, 3e6, false}); got != want {
		t.Errorf("a changed slice gave the old plot:\n%s\nwant\n%s", got, want)
	}
}

// TestRankMemoFollowsTheSeries: the detail's rank history is Snapshot's
// RankHistory on every snapshot; it is kept (not recomputed) across a
// snapshot that brought no usage, and recomputed when a series changed.
func TestRankMemoFollowsTheSeries(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	s1 := mk.Snapshot()
	var last *model.ListingView // the lowest ranked listing with a slug
	for i := range s1.Listings {
		if v := &s1.Listings[i]; v.Rank > 0 && v.Listing().Slug != "" {
			last = v
		}
	}
	if last == nil || len(s1.Days) == 0 {
		t.Fatal("the fixture has no ranked listing with a slug, or no days")
	}
	id := s1.Listings[0].ID
	var m rankMemo
	first := m.of(s1, id)
	if !slices.Equal(first, s1.RankHistory(id)) {
		t.Fatalf("first: %v, want %v", first, s1.RankHistory(id))
	}
	// A status page changes no series: the ranks are kept.
	mk.Apply(model.StatusUpdate{At: fixNow, Page: model.StatusPage{Name: "elsewhere", Status: model.StatusDegraded}})
	s2 := mk.Snapshot()
	if s2.Version == s1.Version {
		t.Fatal("the status update did not make a new snapshot")
	}
	if kept := m.of(s2, id); &kept[0] != &first[0] || !slices.Equal(kept, s2.RankHistory(id)) {
		t.Errorf("after a status update: %v (recomputed %v), want the kept %v", kept, &kept[0] != &first[0], s2.RankHistory(id))
	}
	// The last listing burns more tokens than everyone on the last day:
	// the first listing loses its place, and the memo sees it.
	day := s1.Days[len(s1.Days)-1]
	mk.Apply(model.UsageUpdate{At: fixNow, Rows: []model.UsageRow{{Date: day, Slug: last.Listing().Slug, Tokens: 1 << 50}}})
	s3 := mk.Snapshot()
	want := s3.RankHistory(id)
	if slices.Equal(want, first) {
		t.Fatalf("the usage update changed no rank of %s: %v", id, want)
	}
	if got := m.of(s3, id); !slices.Equal(got, want) {
		t.Errorf("after a usage update: %v, want %v", got, want)
	}
	// Another listing: computed for it.
	if got, want := m.of(s3, last.ID), s3.RankHistory(last.ID); !slices.Equal(got, want) {
		t.Errorf("for %s: %v, want %v", last.ID, got, want)
	}
}

// TestDetailDrawsANewDaysPlotAndRanksInTheBackground: a new day's volume
// plot and rank history are made by a command, not in Update; once its
// answer is in, the page is the one a detail opened on that day shows; an
// older answer arriving late changes nothing, and a snapshot that moved no
// usage asks for nothing.
func TestDetailDrawsANewDaysPlotAndRanksInTheBackground(t *testing.T) {
	const id = "z-ai/glm-5"
	day1, day2, day3 := threeDays()
	for _, size := range [][2]int{{160, 48}, {80, 24}} {
		w, h := size[0], size[1]
		want2 := detailPage(t, openDetailOf(t, Options{}, day2, id, w, h))
		want3 := detailPage(t, openDetailOf(t, Options{}, day3, id, w, h))
		twoNewDays := func() (m Model, d2, d3 detailDrawn) {
			m = openDetailOf(t, Options{}, day1, id, w, h)
			next, cmd2 := m.Update(SnapshotMsg{Snapshot: day2})
			m = next.(Model)
			if detailPage(t, m) == want2 {
				t.Errorf("%dx%d: the new day's plot and ranks were made in Update", w, h)
			}
			next, cmd3 := m.Update(SnapshotMsg{Snapshot: day3})
			m = next.(Model)
			c2, c3 := answers[detailDrawn](cmd2), answers[detailDrawn](cmd3)
			if len(c2) != 1 || len(c3) != 1 || !c3[0].hasPlot || !c3[0].hasRanks {
				t.Fatalf("%dx%d: background work for two new days: %d and %d answers, want one each with plot and ranks", w, h, len(c2), len(c3))
			}
			return m, c2[0], c3[0]
		}
		m, _, d3 := twoNewDays()
		if got := detailPage(t, send(m, d3)); got != want3 {
			t.Errorf("%dx%d: with the work in, the page is not the one day 3 shows:\n%s\nwant\n%s", w, h, got, want3)
		}
		m, d2, d3 := twoNewDays()
		if got := detailPage(t, send(m, d3, d2)); got != want3 {
			t.Errorf("%dx%d: day 2's answer arriving late replaced day 3's:\n%s", w, h, got)
		}
		// A snapshot with fewer days than the ranks kept (a replay sought
		// back) shows the kept ranks over their own days until its own.
		back := openDetailOf(t, Options{}, day3, id, w, h)
		next, cmd := back.Update(SnapshotMsg{Snapshot: day2})
		back = next.(Model)
		_ = detailPage(t, back)
		if work := answers[detailDrawn](cmd); len(work) != 1 || detailPage(t, send(back, work[0])) != want2 {
			t.Errorf("%dx%d: back to day 2, the page is not day 2's once its work is in", w, h)
		}
		m, _, d3 = twoNewDays()
		samePrices := *day3
		samePrices.Version++
		m = send(m, d3)
		if _, again := m.Update(SnapshotMsg{Snapshot: &samePrices}); len(answers[detailDrawn](again)) != 0 {
			t.Errorf("%dx%d: a snapshot that moved no usage started background work", w, h)
		}
	}
}

// TestDetailLateAnswerAfterAResizeIsDropped: a plot made at once (a new
// size) is newer than every answer asked for before it, so one of those
// answering late does not put an older day's plot back on the page.
func TestDetailLateAnswerAfterAResizeIsDropped(t *testing.T) {
	const id = "z-ai/glm-5"
	day1, day2, day3 := threeDays()
	want := volumeSection(detailPage(t, openDetailOf(t, Options{}, day3, id, 160, 48)))
	m := openDetailOf(t, Options{}, day1, id, 160, 48)
	next, cmd := m.Update(SnapshotMsg{Snapshot: day2})
	m = next.(Model)
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30}, SnapshotMsg{Snapshot: day3}, tea.WindowSizeMsg{Width: 160, Height: 48})
	late := answers[detailDrawn](cmd)
	if len(late) != 1 || !late[0].hasPlot {
		t.Fatalf("day 2's answers: %d, want 1 with a plot", len(late))
	}
	if got := volumeSection(detailPage(t, send(m, late[0]))); got != want {
		t.Errorf("day 2's plot, answering after day 3's was made at once, replaced it:\n%s\nwant\n%s", got, want)
	}
}

// volumeSection is the daily-volume chart of a detail page.
func volumeSection(page string) string {
	_, rest, _ := strings.Cut(page, "Daily token volume")
	chart, _, _ := strings.Cut(rest, "Rank history")
	return chart
}
