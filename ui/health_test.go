package ui

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/tokentape/tokentape/model"
)

// healthOf returns the model's Health tab with its rows up to date.
func healthOf(t testing.TB, m Model) *health {
	t.Helper()
	return tabOf[*health](t, m)
}

func TestHealthRowsWorstFirstThenRank(t *testing.T) {
	s := fixture()
	h := healthOf(t, press(sized(Options{}, s, 120, 40), "4"))
	watched := 0
	for _, v := range s.Listings {
		if len(v.Endpoints()) > 0 {
			watched++
		}
	}
	if len(h.rows) != watched || watched < 4 {
		t.Fatalf("%d rows, want the %d listings with endpoints (and at least 4)", len(h.rows), watched)
	}
	for i := 1; i < len(h.rows); i++ {
		a, b := h.rows[i-1].v, h.rows[i].v
		if ra, rb := healthRank(a.Health), healthRank(b.Health); ra > rb || ra == rb && b.Rank > 0 && (a.Rank == 0 || a.Rank > b.Rank) {
			t.Errorf("row %d %s (%s #%d) before %s (%s #%d)", i-1, a.ID, a.Health, a.Rank, b.ID, b.Health, b.Rank)
		}
	}
	if h.rows[0].v.Health != model.HealthDown {
		t.Errorf("the first row is %s, want the DOWN listing first", h.rows[0].v.Health)
	}
}

func TestHealthRowFigures(t *testing.T) {
	s := fixture()
	h := healthOf(t, press(sized(Options{}, s, 160, 48), "4"))
	for i := range h.rows {
		r := h.row(i)
		eps := r.v.Endpoints()
		var u5, lat []float64
		der := 0
		for _, e := range eps {
			if !math.IsNaN(e.Uptime5m) {
				u5 = append(u5, e.Uptime5m)
			}
			if !math.IsNaN(e.LatencyP50) {
				lat = append(lat, e.LatencyP50)
			}
			if e.Status < 0 {
				der++
			}
		}
		sort.Float64s(u5)
		sort.Float64s(lat)
		mid := func(xs []float64) float64 {
			if len(xs) == 0 {
				return math.NaN()
			}
			if len(xs)%2 == 1 {
				return xs[len(xs)/2]
			}
			return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
		}
		if r.worst[0] != u5[0] || r.med[0] != mid(u5) {
			t.Errorf("%s: 5m worst/median %v/%v, want %v/%v", r.v.ID, r.worst[0], r.med[0], u5[0], mid(u5))
		}
		if r.deranked != der {
			t.Errorf("%s: %d deranked, want %d", r.v.ID, r.deranked, der)
		}
		if want := mid(lat); !(r.lat == want || math.IsNaN(r.lat) && math.IsNaN(want)) {
			t.Errorf("%s: latency %v, want %v", r.v.ID, r.lat, want)
		}
		if !r.hasAge || r.age != s.Now.Sub(r.v.EndpointsAt()) {
			t.Errorf("%s: age %v, want %v", r.v.ID, r.age, s.Now.Sub(r.v.EndpointsAt()))
		}
	}
	out := press(sized(Options{}, s, 160, 48), "4").View()
	glm := lineWith(out, "GLM-5")
	for _, want := range []string{"◐ DEGRADED", "4/9", "79.0/90.0", "3.00s"} {
		if !strings.Contains(glm, want) {
			t.Errorf("the GLM-5 row %q lacks %q", glm, want)
		}
	}
	if grok := lineWith(out, "Grok 4.1 Fast"); strings.Count(grok, "—") < 2 {
		t.Errorf("unknown latency and throughput should read —: %q", grok)
	}
}

// lineWith returns the first line of out containing s.
func lineWith(out, s string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestPageCellReadsAsGlyphAndWord(t *testing.T) {
	for _, st := range []model.PageStatus{model.StatusUnknown, model.StatusOperational, model.StatusMaintenance,
		model.StatusDegraded, model.StatusPartialOutage, model.StatusMajorOutage} {
		if c := pageCell(st); !strings.HasSuffix(c, st.String()) || textWidth(c) != 2+len(st.String()) {
			t.Errorf("page cell %q does not read as glyph and word", c)
		}
	}
}

func TestHealthStatusPagesAndIncidents(t *testing.T) {
	s := fixture()
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		out := press(sized(Options{}, s, size[0], size[1]), "4").View()
		for _, want := range []string{"status pages · 2 open incidents", "◑ partial outage", "● operational", "serves anthropic",
			"Elevated errors on Claude Opus 4.6", "investigating", "monitoring", "02-20 10:40"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: the Health tab lacks %q:\n%s", size, want, out)
			}
		}
		// Worst page first; newest incident first.
		if strings.Index(out, "claude ") > strings.Index(out, "deepseek ") {
			t.Errorf("%v: the operational page is listed before the one in partial outage", size)
		}
		if strings.Index(out, "Elevated errors") > strings.Index(out, "Slow responses") {
			t.Errorf("%v: incidents are not newest first", size)
		}
	}
}

func TestHealthSectionShareWhenCrowded(t *testing.T) {
	mk := buildMarket(fixtureOptions{extra: 60})
	s0 := mk.Snapshot()
	for _, v := range s0.Listings {
		mk.Apply(model.EndpointsUpdate{At: fixNow.Add(-time.Minute), ListingID: v.ID, Endpoints: []model.Endpoint{{Provider: "p", Uptime5m: 99, Uptime30m: 99, Uptime1d: 99, LatencyP50: nan, ThroughputP50: nan}}})
	}
	var incs []model.Incident
	for i := 0; i < 12; i++ {
		incs = append(incs, model.Incident{ID: strconv.Itoa(i), Title: "incident " + strconv.Itoa(i), Impact: model.StatusDegraded, Started: fixNow.Add(-time.Duration(i) * time.Hour)})
	}
	mk.Apply(model.StatusUpdate{At: fixNow.Add(-time.Minute), Page: model.StatusPage{Name: "busy", Status: model.StatusDegraded, Incidents: incs}})
	s := mk.Snapshot()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := press(sized(Options{}, s, size[0], size[1]), "4")
		out := m.View()
		checkFrame(t, out, size[0], size[1])
		h := healthOf(t, m)
		page, bottom := h.split()
		if page < 5 || bottom < 4 {
			t.Errorf("%v: table %d rows, section %d lines: both should keep a share", size, page, bottom)
		}
		if !strings.Contains(out, "more lines") {
			t.Errorf("%v: the cut section does not say there is more:\n%s", size, out)
		}
		// The table scrolls to its last row.
		m = press(m, "G")
		last := healthOf(t, m).rows[len(h.rows)-1].v
		if !strings.Contains(lineWith(m.View(), "›"), displayName(last.Name)) {
			t.Errorf("%v: G does not show the last row %s", size, last.Name)
		}
	}
}

func TestHealthKeys(t *testing.T) {
	s := fixture()
	m := press(sized(Options{}, s, 120, 40), "4")
	n := len(healthOf(t, m).rows)
	m = press(m, "G")
	if h := healthOf(t, m); h.list.sel != n-1 {
		t.Errorf("G: selection %d, want %d", h.list.sel, n-1)
	}
	m = press(m, "j", "g", "k")
	if h := healthOf(t, m); h.list.sel != 0 {
		t.Errorf("g then k: selection %d, want 0", h.list.sel)
	}
	// o filters by origin; s does nothing (one order).
	m = press(m, "s", "o")
	h := healthOf(t, m)
	if len(h.rows) == 0 || len(h.rows) >= n {
		t.Fatalf("origin CN: %d rows of %d", len(h.rows), n)
	}
	for _, r := range h.rows {
		if r.v.Origin != model.OriginCN {
			t.Errorf("origin CN shows %s", r.v.ID)
		}
	}
	m = press(m, "esc", "/", "g", "l", "m", "enter")
	h = healthOf(t, m)
	if len(h.rows) != 1 || h.rows[0].v.ID != "z-ai/glm-5" {
		t.Errorf("filter “glm” shows %d rows", len(h.rows))
	}
	m = press(m, "esc", "/", "z", "z", "z", "enter")
	if out := m.View(); !strings.Contains(out, "no watched listings match") {
		t.Errorf("an empty filter does not say so:\n%s", out)
	}
	short, full := healthOf(t, m).Help()
	for _, b := range append(short, slices.Concat(full...)...) {
		if b.Help().Key == "s" {
			t.Error("the help offers a sort the Health tab does not have")
		}
	}
}

func TestHealthEnterOpensDetail(t *testing.T) {
	s := fixture()
	m := press(withStubDetail(sized(Options{}, s, 80, 24)), "4", "j")
	want, ok := healthOf(t, m).Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	m = press(m, "enter")
	if !strings.Contains(m.View(), "detail of "+want) {
		t.Errorf("enter did not open the detail of %s", want)
	}
	m = press(m, "esc")
	if got, _ := healthOf(t, m).Selected(); got != want {
		t.Errorf("back on %s, want %s", got, want)
	}
}

func TestHealthEmptyStates(t *testing.T) {
	bare := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return fixNow }})
	bare.Apply(model.CatalogueUpdate{At: fixNow, Listings: []model.Listing{{ID: "a/b", Name: "B", Price: paidPrice(1, 2, nan)}}})
	out := press(sized(Options{}, bare.Snapshot(), 80, 24), "4").View()
	for _, want := range []string{"no endpoint data yet", "no status pages configured"} {
		if !strings.Contains(out, want) {
			t.Errorf("empty Health tab lacks %q:\n%s", want, out)
		}
	}
	if out := press(sized(Options{}, nil, 80, 24), "4").View(); !strings.Contains(out, "waiting for data") {
		t.Errorf("no snapshot yet:\n%s", out)
	}
}

// TestHealthAt80Columns: the narrowest terminal keeps what matters.
func TestHealthAt80Columns(t *testing.T) {
	out := press(sized(Options{}, fixture(), 80, 24), "4").View()
	for _, want := range []string{"name", "state", "derank", "5m w/med", "1d w/med", "latency", "tok/s", "age", "Claude Sonnet 4.5",
		"○ DOWN", "◐ DEGRADED", "● OK"} {
		if !strings.Contains(out, want) {
			t.Errorf("80x24 Health lacks %q", want)
		}
	}
}

// BenchmarkViewHealth is a Health frame at 200x60 with 400 listings, every
// one with endpoints, and 500 alerts.
func BenchmarkViewHealth(b *testing.B) { benchTabView(b, "4") }

// BenchmarkRebuildHealth is an endpoints poll's snapshot plus a Health
// frame: 400 rows sorted and laid out, the two polled ones reduced again.
func BenchmarkRebuildHealth(b *testing.B) { benchTabRebuild(b, "4", endpointsPoll) }

// BenchmarkRebuildHealthSameContent is the same-content snapshot plus a
// Health frame.
func BenchmarkRebuildHealthSameContent(b *testing.B) {
	benchRebuildSame(b, benchAlertSnapshot(b), "4")
}

func TestHealthFoldsQuietPages(t *testing.T) {
	mk := buildMarket(fixtureOptions{extra: 30})
	for _, v := range mk.Snapshot().Listings {
		mk.Apply(model.EndpointsUpdate{At: fixNow.Add(-time.Minute), ListingID: v.ID, Endpoints: []model.Endpoint{{Provider: "p", Uptime5m: 99, Uptime30m: 99, Uptime1d: 99, LatencyP50: nan, ThroughputP50: nan}}})
	}
	for _, name := range []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"} {
		mk.Apply(model.StatusUpdate{At: fixNow.Add(-time.Minute), Page: model.StatusPage{Name: name, Status: model.StatusOperational}})
	}
	out := press(sized(Options{}, mk.Snapshot(), 80, 24), "4").View()
	checkFrame(t, out, 80, 24)
	// The incidents keep their place; the quiet pages share one line.
	for _, want := range []string{"Elevated errors on Claude Opus 4.6", "● operational alpha, bravo, charlie"} {
		if !strings.Contains(out, want) {
			t.Errorf("a crowded section lacks %q:\n%s", want, out)
		}
	}
	// With room, every page has its own line.
	tall := press(sized(Options{}, mk.Snapshot(), 120, 80), "4").View()
	for _, name := range []string{"alpha", "foxtrot", "deepseek"} {
		own := false
		for _, l := range strings.Split(tall, "\n") {
			own = own || strings.Contains(l, "● operational") && strings.Contains(l, " "+name+" ") && !strings.Contains(l, ",")
		}
		if !own {
			t.Errorf("with room, page %s has no line of its own:\n%s", name, tall)
		}
	}
}

func TestHealthFadesOldEndpointData(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	mk.Apply(model.EndpointsUpdate{At: fixNow.Add(-3 * time.Hour), ListingID: "openai/gpt-5.2",
		Endpoints: []model.Endpoint{{Provider: "p", Uptime5m: 99, Uptime30m: 99, Uptime1d: 99, LatencyP50: nan, ThroughputP50: nan}}})
	s := mk.Snapshot()
	h := healthOf(t, press(sized(Options{}, s, 120, 40), "4"))
	for i := range h.rows {
		r := h.row(i) // the figures are reduced when a row is first drawn
		if want := r.v.ID == "openai/gpt-5.2"; r.old() != want {
			t.Errorf("%s: old %v, want %v (age %v)", r.v.ID, r.old(), want, r.age)
		}
	}
	if l := lineWith(press(sized(Options{}, s, 120, 40), "4").View(), "GPT-5.2"); !strings.Contains(l, "3h00m") {
		t.Errorf("the old row does not say its age: %q", l)
	}
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	if l := lineWith(press(sized(Options{}, s, 120, 40), "4").View(), "GPT-5.2"); !strings.HasPrefix(l, " \x1b[2m") {
		t.Errorf("the old row is not faint: %q", l)
	}
}

// TestHealthOrderWhateverTheSnapshotOrder: the rows come out worst first,
// then ranked by rank, then by name, stably, whether the snapshot lists its
// views in the market's order (rank, then name), reversed or shuffled.
func TestHealthOrderWhateverTheSnapshotOrder(t *testing.T) {
	mk := buildMarket(fixtureOptions{extra: 40})
	for i, v := range mk.Snapshot().Listings {
		eps := make([]model.Endpoint, 1+i%4)
		for j := range eps {
			eps[j] = model.Endpoint{Provider: "p" + strconv.Itoa(j), Status: model.EndpointStatus(-(i + j) % 3 / 2),
				Uptime5m: 100 - float64((i*7+j)%60), Uptime30m: 99, Uptime1d: 99, LatencyP50: nan, ThroughputP50: nan}
		}
		mk.Apply(model.EndpointsUpdate{At: fixNow.Add(-time.Minute), ListingID: v.ID, Endpoints: eps})
	}
	s := mk.Snapshot()
	reversed := slices.Clone(s.Listings)
	slices.Reverse(reversed)
	shuffled := slices.Clone(s.Listings)
	for i := range shuffled { // a fixed scramble: every seventh view swapped forward
		j := (i * 7) % len(shuffled)
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	}
	states := map[model.Health]bool{}
	for _, v := range s.Listings {
		states[v.Health] = true
	}
	if len(states) < 3 {
		t.Fatalf("the market has %d health states, want at least 3 to order", len(states))
	}
	for name, views := range map[string][]model.ListingView{"market": s.Listings, "reversed": reversed, "shuffled": shuffled} {
		s2 := *s
		s2.Listings = views
		h := healthOf(t, press(sized(Options{}, &s2, 120, 40), "4"))
		var want []*model.ListingView
		for i := range views {
			if len(views[i].Endpoints()) > 0 {
				want = append(want, &views[i])
			}
		}
		slices.SortStableFunc(want, func(a, b *model.ListingView) int {
			if c := healthRank(a.Health) - healthRank(b.Health); c != 0 {
				return c
			}
			if (a.Rank > 0) != (b.Rank > 0) {
				if a.Rank > 0 {
					return -1
				}
				return 1
			}
			if a.Rank != b.Rank {
				return a.Rank - b.Rank
			}
			return strings.Compare(a.Name, b.Name)
		})
		if len(h.rows) != len(want) {
			t.Fatalf("%s: %d rows, want %d", name, len(h.rows), len(want))
		}
		for i := range want {
			if h.rows[i].v != want[i] {
				t.Errorf("%s: row %d is %s, want %s", name, i, h.rows[i].v.ID, want[i].ID)
			}
		}
	}
}

// TestHealthFiguresFollowTheEndpoints: a row's reduced figures are kept
// across a snapshot that did not replace the listing's endpoints, and
// reduced again when a poll replaced them.
func TestHealthFiguresFollowTheEndpoints(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	const id = "z-ai/glm-5"
	find := func(m Model) *healthRow {
		h := healthOf(t, m)
		for i := range h.rows {
			if h.rows[i].v.ID == id {
				return h.row(i)
			}
		}
		t.Fatalf("no row for %s", id)
		return nil
	}
	m := press(sized(Options{}, mk.Snapshot(), 160, 48), "4")
	before := find(m).endpointFigures
	if before.uptime[0] != "79.0/90.0" {
		t.Fatalf("GLM-5's 5 m uptime %q, want 79.0/90.0", before.uptime[0])
	}
	h := healthOf(t, m)
	kept := h.reduced[id]
	mk.Apply(model.StatusUpdate{At: fixNow, Page: model.StatusPage{Name: "elsewhere", Status: model.StatusDegraded}})
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	if got := find(m).endpointFigures; got != before || healthOf(t, m).reduced[id] != kept {
		t.Errorf("after a status update: %+v (kept %v), want the same %+v", got, healthOf(t, m).reduced[id] == kept, before)
	}
	mk.Apply(model.EndpointsUpdate{At: fixNow, ListingID: id, Endpoints: []model.Endpoint{
		{Provider: "p", Uptime5m: 50, Uptime30m: 60, Uptime1d: 70, LatencyP50: 2000, ThroughputP50: 40, Status: -1}}})
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	got := find(m)
	if got.uptime != [3]string{"50.0/50.0", "60.0/60.0", "70.0/70.0"} || got.derank != "1/1" || got.latency != "2.00s" || got.throughput != "40" {
		t.Errorf("after a poll: %+v, want the new endpoint's figures", got.endpointFigures)
	}
}

// TestHealthRowKeyCoversTheRow: the Health tab copies a row from its last
// frame while the row's key is the same, so every field of the listing
// that changes the row must change the key (see TestBoardRowKeyCoversTheRow).
func TestHealthRowKeyCoversTheRow(t *testing.T) {
	m := press(sized(Options{}, fixture(), 200, 60), "4")
	m.View()
	h, ok := m.tabs[3].(*health)
	if !ok {
		t.Fatalf("tab 3 is %T", m.tabs[3])
	}
	cols := h.columns()
	widths, gap := layoutColumns(cols, h.w-1)
	draw := func(v *model.ListingView, sel bool) string {
		h.rows = []*healthRow{{v: v}}
		r := h.row(0)
		return tableRow(cols, widths, gap, r, sel, r.old(), h.e.st)
	}
	for _, id := range []string{"z-ai/glm-5", "deepseek/deepseek-v3.2", "minimax/minimax-m2.5"} {
		p, ok := h.snap.Listing(id)
		if !ok || len(p.Endpoints()) == 0 {
			t.Fatalf("no watched %s", id)
		}
		v := *p
		for _, sel := range []bool{false, true} {
			row, key := draw(&v, sel), h.rowKey(&v, sel)
			changed := 0
			for field, u := range mutations(v) {
				if draw(&u, sel) == row {
					continue
				}
				changed++
				if h.rowKey(&u, sel) == key {
					t.Errorf("%s: changing %s changes the row but not its key", id, field)
				}
			}
			if changed < 6 { // rank, name, author, state, alias, endpoints, their time, timeline
				t.Errorf("%s: only %d fields change the row: the mutations miss the columns", id, changed)
			}
		}
	}
}
