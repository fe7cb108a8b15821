package ui

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
)

// boardOf returns the model's Board with its rows up to date.
func boardOf(t *testing.T, m Model) *board {
	t.Helper()
	b, ok := m.tabs[0].(*board)
	if !ok {
		t.Fatalf("tab 0 is %T", m.tabs[0])
	}
	b.sync()
	return b
}

func TestBoardSortCycles(t *testing.T) {
	snap := fixture()
	tests := []struct {
		presses int
		name    string
		ordered func(a, b *model.ListingView) bool // must hold for consecutive rows
	}{
		{0, "tokens", func(a, b *model.ListingView) bool { return b.Rank == 0 || (a.Rank > 0 && a.Rank < b.Rank) }},
		{1, "growth", func(a, b *model.ListingView) bool { return math.IsNaN(b.Growth) || a.Growth >= b.Growth }},
		{2, "price out", func(a, b *model.ListingView) bool {
			return !b.Price.Rankable() || (a.Price.Rankable() && a.Price.Out <= b.Price.Out)
		}},
		{3, "name", func(a, b *model.ListingView) bool { return strings.ToLower(a.Name) <= strings.ToLower(b.Name) }},
		{4, "tokens", func(a, b *model.ListingView) bool { return b.Rank == 0 || (a.Rank > 0 && a.Rank < b.Rank) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := sized(Options{}, snap, 120, 40)
			for i := 0; i < tt.presses; i++ {
				m = press(m, "s")
			}
			b := boardOf(t, m)
			if got := boardSorts[b.list.sort]; got != tt.name {
				t.Fatalf("after %d × s the sort is %q, want %q", tt.presses, got, tt.name)
			}
			if len(b.rows) != len(snap.Listings) {
				t.Fatalf("sorting lost rows: %d of %d", len(b.rows), len(snap.Listings))
			}
			for i := 1; i < len(b.rows); i++ {
				if !tt.ordered(b.rows[i-1], b.rows[i]) {
					t.Fatalf("rows %d and %d out of %s order: %s, %s", i-1, i, tt.name, b.rows[i-1].ID, b.rows[i].ID)
				}
			}
			if !strings.Contains(m.View(), "sort "+tt.name) {
				t.Errorf("the status line does not name the sort %q", tt.name)
			}
		})
	}
}

func TestPriceOutSortNeverRanksFreeFirst(t *testing.T) {
	b := boardOf(t, press(sized(Options{}, fixture(), 120, 40), "s", "s"))
	if k := b.rows[0].Price.Kind; k != model.PricePaid {
		t.Fatalf("the cheapest row is %s (%s); free and variable prices must not rank", b.rows[0].ID, k)
	}
	last := b.rows[len(b.rows)-1]
	if last.Price.Rankable() {
		t.Errorf("the last row %s has a rankable price; unrankable ones go last", last.ID)
	}
}

func TestOriginFilterCycles(t *testing.T) {
	snap := fixture()
	want := []model.Origin{"", model.OriginCN, model.OriginUS, model.OriginEU, model.OriginOther, ""}
	m := sized(Options{}, snap, 120, 40)
	for i, o := range want {
		if i > 0 {
			m = press(m, "o")
		}
		b := boardOf(t, m)
		n := 0
		for j := range snap.Listings {
			if o == "" || snap.Listings[j].Origin == o {
				n++
			}
		}
		if len(b.rows) != n || n == 0 {
			t.Errorf("origin %q: %d rows, want %d (and some)", o, len(b.rows), n)
		}
		for _, v := range b.rows {
			if o != "" && v.Origin != o {
				t.Errorf("origin %q shows %s from %s", o, v.ID, v.Origin)
			}
		}
		name := string(o)
		if o == "" {
			name = "All"
		}
		if !strings.Contains(m.View(), "origin "+name) {
			t.Errorf("status line does not say origin %s", name)
		}
	}
}

func TestFilterThenEsc(t *testing.T) {
	snap := fixture()
	m := press(sized(Options{}, snap, 120, 40), "/", "k", "i", "M", "i")
	b := boardOf(t, m)
	if !b.Capturing() {
		t.Fatal("the filter field does not have focus after /")
	}
	if len(b.rows) != 1 || b.rows[0].ID != "moonshotai/kimi-k2.5" {
		t.Fatalf("filter “kiMi” shows %d rows, want Kimi K2.5 only", len(b.rows))
	}
	// While typing, q is a letter, not quit.
	next, cmd := m.Update(keyMsg("q"))
	m = next.(Model)
	if isQuit(cmd) {
		t.Fatal("q quit while the filter field had focus")
	}
	m = press(m, "backspace", "enter")
	b = boardOf(t, m)
	if b.Capturing() || b.list.filter != "kiMi" || len(b.rows) != 1 {
		t.Fatalf("after enter: typing %v filter %q rows %d, want applied “kiMi” with 1 row", b.Capturing(), b.list.filter, len(b.rows))
	}
	// Filter by author too.
	m = press(m, "esc", "/", "x", "-", "a", "i", "enter")
	b = boardOf(t, m)
	for _, v := range b.rows {
		if v.Author != "x-ai" {
			t.Errorf("author filter “x-ai” shows %s", v.ID)
		}
	}
	if len(b.rows) != 2 {
		t.Errorf("author filter “x-ai”: %d rows, want 2", len(b.rows))
	}
	m = press(m, "o", "esc")
	b = boardOf(t, m)
	if b.list.filter != "" || b.list.origin != 0 || len(b.rows) != len(snap.Listings) {
		t.Errorf("esc left filter %q origin %d rows %d", b.list.filter, b.list.origin, len(b.rows))
	}
	// esc while typing cancels the filter.
	m = press(m, "/", "z", "z", "esc")
	b = boardOf(t, m)
	if b.Capturing() || b.list.filter != "" || len(b.rows) != len(snap.Listings) {
		t.Errorf("esc while typing left typing %v filter %q", b.Capturing(), b.list.filter)
	}
}

func TestSelectionBounds(t *testing.T) {
	snap := fixture()
	n := len(snap.Listings)
	m := sized(Options{}, snap, 80, 24)
	page := boardOf(t, m).pageRows()
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"up"}, 0},
		{[]string{"k", "k"}, 0},
		{[]string{"down"}, 1},
		{[]string{"j", "j", "j", "k"}, 2},
		{[]string{"G"}, n - 1},
		{[]string{"G", "down", "j"}, n - 1},
		{[]string{"G", "g"}, 0},
		{[]string{"end", "home"}, 0},
		{[]string{"pgdown"}, page},
		{[]string{"pgdown", "pgdown", "pgdown", "pgdown"}, n - 1},
		{[]string{"G", "pgup"}, n - 1 - page},
		{[]string{"pgup"}, 0},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			m := press(sized(Options{}, snap, 80, 24), tt.keys...)
			b := boardOf(t, m)
			if b.list.sel != tt.want {
				t.Fatalf("selection %d, want %d", b.list.sel, tt.want)
			}
			// The selected row is on screen, marked.
			id, _ := b.Selected()
			v, _ := snap.Listing(id)
			var marked string
			for _, l := range strings.Split(m.View(), "\n") {
				if strings.HasPrefix(l, "›") {
					marked = l
				}
			}
			r := []rune(v.Name)
			if !strings.Contains(marked, string(r[:min(len(r), 8)])) {
				t.Errorf("the marked line %q is not %s", marked, v.Name)
			}
		})
	}
}

func TestSelectionFollowsListingAcrossSnapshots(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	m := press(sized(Options{}, mk.Snapshot(), 120, 40), "j", "j", "j")
	id, _ := boardOf(t, m).Selected()
	// The listing jumps to the top.
	mk.Apply(model.UsageUpdate{At: fixNow, Rows: []model.UsageRow{{Date: fixNow, Slug: id, Tokens: 1e15}}})
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	b := boardOf(t, m)
	if got, _ := b.Selected(); got != id || b.list.sel != 0 {
		t.Errorf("selection is %s at %d, want %s at 0", got, b.list.sel, id)
	}
}

// Live data arrives catalogue first, ranks later: a selection the user
// never moved stays on the top row as the order settles, rather than
// following the catalogue's first listing down the ranks (the Board opened
// on #259).
func TestUnmovedSelectionStaysOnTop(t *testing.T) {
	cat := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return fixNow }, Retention: 90})
	ls := make([]model.Listing, 0, len(fixListings()))
	for _, f := range fixListings() {
		ls = append(ls, f.l)
	}
	// The catalogue's own order puts a small listing first.
	slices.Reverse(ls)
	cat.Apply(model.CatalogueUpdate{At: fixDay0, Source: "catalogue", Listings: ls})
	m := sized(Options{}, cat.Snapshot(), 120, 40)
	first, _ := boardOf(t, m).Selected()

	full := fixture()
	m = send(m, SnapshotMsg{Snapshot: full})
	b := boardOf(t, m)
	if b.rows[0].ID == first {
		t.Fatalf("fixture: %s leads both orders, the test proves nothing", first)
	}
	if got, _ := b.Selected(); b.list.sel != 0 || got != b.rows[0].ID {
		t.Errorf("selection is %s at %d, want the top row %s", got, b.list.sel, b.rows[0].ID)
	}
}

func TestGlobalKeysReachControl(t *testing.T) {
	ctl := &fakeControl{speed: 1}
	m := sized(Options{Control: ctl}, fixture(), 120, 40)
	m = press(m, "p")
	if !ctl.paused || !strings.Contains(m.View(), "PAUSED") {
		t.Errorf("p: control paused %v, header shows PAUSED %v", ctl.paused, strings.Contains(m.View(), "PAUSED"))
	}
	m = press(m, "p")
	if ctl.paused || strings.Contains(m.View(), "PAUSED") {
		t.Error("second p did not resume")
	}
	m = press(m, "r", "r")
	if ctl.refreshes != 2 {
		t.Errorf("r: %d refreshes, want 2", ctl.refreshes)
	}
	m = press(m, "+")
	if ctl.speed != 2 || !strings.Contains(m.View(), "×2 · 1 day/1s") {
		t.Errorf("+: speed %v, header %q", ctl.speed, strings.Split(m.View(), "\n")[0])
	}
	m = press(m, "+", "+", "+", "+", "+", "+", "+", "+")
	if ctl.speed != maxSpeed {
		t.Errorf("many +: speed %v, want %v", ctl.speed, maxSpeed)
	}
	m = press(m, "-")
	if ctl.speed != maxSpeed/2 {
		t.Errorf("-: speed %v, want %v", ctl.speed, maxSpeed/2)
	}
	for i := 0; i < 20; i++ {
		m = press(m, "-")
	}
	if ctl.speed != minSpeed || !strings.Contains(m.View(), "×0.125 · 1 day/16s") {
		t.Errorf("many -: speed %v, want %v", ctl.speed, minSpeed)
	}
	// Live: speed does not apply, + and - do nothing; r says it is
	// refreshing until the next snapshot arrives.
	live := &fakeControl{}
	liveSnap := buildMarket(fixtureOptions{source: "openrouter"}).Snapshot()
	m = press(sized(Options{Control: live}, liveSnap, 120, 40), "+", "-")
	if len(live.sets) != 0 {
		t.Errorf("live: SetSpeed called %v", live.sets)
	}
	if strings.Contains(m.View(), "×") {
		t.Error("live: the header shows a playback speed")
	}
	m = press(m, "r")
	if live.refreshes != 1 || !strings.Contains(m.View(), "refreshing") {
		t.Errorf("live r: %d refreshes, header %q", live.refreshes, strings.Split(m.View(), "\n")[0])
	}
	m = send(m, SnapshotMsg{Snapshot: liveSnap})
	if strings.Contains(m.View(), "refreshing") {
		t.Error("still refreshing after a new snapshot")
	}
}

func TestKeysWithoutControl(t *testing.T) {
	m := press(sized(Options{}, fixture(), 120, 40), "p", "+", "+", "r")
	v := m.View()
	if !strings.Contains(v, "PAUSED") || !strings.Contains(v, "×4 · 2 days/s") {
		t.Errorf("without a Control p and + should still show: %q", strings.Split(v, "\n")[0])
	}
}

func TestTabSwitching(t *testing.T) {
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"2"}, 1}, {[]string{"3"}, 2}, {[]string{"3", "1"}, 0},
		{[]string{"tab"}, 1}, {[]string{"tab", "tab", "tab"}, 3}, {[]string{"tab", "tab", "tab", "tab", "tab"}, 0},
		{[]string{"4"}, 3}, {[]string{"5"}, 4},
		{[]string{"shift+tab"}, 4}, {[]string{"9"}, 0}, {[]string{"2", "0"}, 1},
	}
	for _, tt := range tests {
		m := press(sized(Options{}, fixture(), 80, 24), tt.keys...)
		if m.active != tt.want {
			t.Errorf("%v: tab %d, want %d", tt.keys, m.active, tt.want)
		}
		title := m.tabs[tt.want].Title()
		if !strings.Contains(m.View(), "["+string(rune('1'+tt.want))+" "+title+"]") {
			t.Errorf("%v: the tab bar does not bracket %s", tt.keys, title)
		}
	}
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		_, cmd := sized(Options{}, fixture(), 80, 24).Update(keyMsg(k))
		if !isQuit(cmd) {
			t.Errorf("%s does not quit", k)
		}
	}
	// ctrl+c quits even while typing; too small a terminal still quits on q.
	m := press(sized(Options{}, fixture(), 80, 24), "/")
	if _, cmd := m.Update(keyMsg("ctrl+c")); !isQuit(cmd) {
		t.Error("ctrl+c does not quit while typing")
	}
	if _, cmd := sized(Options{}, fixture(), 10, 5).Update(keyMsg("q")); !isQuit(cmd) {
		t.Error("q does not quit a too-small terminal")
	}
}

// stubDetail stands in for the listing detail of issue 5, to test the hook.
type stubDetail struct {
	id   string
	w, h int
}

func (d *stubDetail) Title() string                          { return "Detail" }
func (d *stubDetail) SetSnapshot(*model.Snapshot)            {}
func (d *stubDetail) SetSize(w, h int)                       { d.w, d.h = w, h }
func (d *stubDetail) Update(tea.Msg) tea.Cmd                 { return nil }
func (d *stubDetail) View() string                           { return block("detail of "+d.id, d.w, d.h, true) }
func (d *stubDetail) Help() ([]key.Binding, [][]key.Binding) { return nil, nil }
func (d *stubDetail) Capturing() bool                        { return false }

// withStubDetail makes enter push a stub that names the listing it was
// opened for, instead of the real detail page.
func withStubDetail(m Model) Model {
	m.e.openDetail = func(_ *env, id string) Tab { return &stubDetail{id: id} }
	return m
}

func TestEnterOpensDetailHook(t *testing.T) {
	snap := fixture()
	// Without a detail view, enter changes nothing.
	m := sized(Options{}, snap, 80, 24)
	m.e.openDetail = nil
	m = press(m, "j", "enter")
	if m.overlay != nil || strings.Contains(m.View(), "enter details") {
		t.Fatal("enter did something (or is advertised) without a detail view")
	}
	m = press(withStubDetail(sized(Options{}, snap, 80, 24)), "j", "j")
	want, _ := boardOf(t, m).Selected()
	m = press(m, "enter")
	if v := m.View(); !strings.Contains(v, "detail of "+want) || !strings.Contains(v, "esc back") {
		t.Fatalf("enter did not open the detail of %s:\n%s", want, v)
	}
	checkFrame(t, m.View(), 80, 24)
	m = press(m, "esc")
	if m.overlay != nil {
		t.Fatal("esc did not close the detail")
	}
	if got, _ := boardOf(t, m).Selected(); got != want {
		t.Errorf("back on %s, want the same row %s", got, want)
	}
}

// Narrowing a filter that drops the selected listing selects the first
// match, not whatever now stands at the old position.
func TestNarrowingAFilterSelectsTheFirstMatch(t *testing.T) {
	m := sized(Options{}, fixture(), 120, 40)
	m = press(m, "/", "g", "e", "m", "i", "n", "i", "enter", "G")
	b := boardOf(t, m)
	if len(b.rows) < 3 {
		t.Fatalf("filter “gemini” shows %d rows, want 3", len(b.rows))
	}
	last := b.rows[len(b.rows)-1]
	if id, _ := b.Selected(); id != last.ID || strings.Contains(last.Name, "Gemini 3") {
		t.Fatalf("G selected %s; the fixture's last Gemini should be a 2.5", id)
	}
	m = press(m, "/", " ", "3", "enter")
	b = boardOf(t, m)
	if len(b.rows) != 2 {
		t.Fatalf("filter “gemini 3” shows %d rows, want 2", len(b.rows))
	}
	if id, _ := b.Selected(); id != b.rows[0].ID {
		t.Errorf("after narrowing to “gemini 3” the selection is %s, want the first match %s", id, b.rows[0].ID)
	}
}

// TestSharedViewerCannotPauseOrSpeedTheMarket: a viewer of a shared server
// (serve over SSH, --remote) shows the server's speed, and p, + and - do
// nothing and are not offered: before, p showed PAUSED over a market that
// kept moving and + showed a speed nobody plays at. A TUI of its own still
// pauses and changes speed.
func TestSharedViewerCannotPauseOrSpeedTheMarket(t *testing.T) {
	snap := fixture() // the demo
	header := func(m Model) string { return strings.SplitN(m.View(), "\n", 2)[0] }
	footer := func(m Model) string {
		lines := strings.Split(m.View(), "\n")
		return lines[len(lines)-1]
	}
	shared := sized(Options{Shared: true, Speed: 4}, snap, 160, 48)
	if h := header(shared); !strings.Contains(h, "×4 ") {
		t.Errorf("the viewer's header does not show the server's speed ×4: %q", h)
	}
	if f := footer(shared); strings.Contains(f, "pause") || strings.Contains(f, "speed") {
		t.Errorf("the viewer's footer offers pause or speed: %q", f)
	}
	for _, k := range []string{"p", "+", "-"} {
		if h := header(press(shared, k)); strings.Contains(h, "PAUSED") || !strings.Contains(h, "×4 ") {
			t.Errorf("after %s the viewer's header reads %q", k, h)
		}
	}
	if f := press(shared, "?").View(); strings.Contains(f, "refresh") || strings.Contains(f, "pause") {
		t.Errorf("the viewer's full help offers refresh or pause:\n%s", f)
	}

	own := sized(Options{}, snap, 160, 48)
	if h := header(press(own, "p")); !strings.Contains(h, "PAUSED") {
		t.Errorf("p does not pause a TUI of its own: %q", h)
	}
	if h := header(press(own, "+")); !strings.Contains(h, "×2 ") {
		t.Errorf("+ does not speed up a TUI of its own: %q", h)
	}
	if f := footer(own); !strings.Contains(f, "pause") {
		t.Errorf("a TUI of its own does not offer pause: %q", f)
	}
}
