package ui

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// healthRow is one watched listing (a listing with endpoints). Its
// endpoint figures are reduced the first time the row is drawn (see
// health.row), not for every watched listing of every snapshot: the order
// needs only the state, the rank and the name, and a frame shows a page of
// the rows.
type healthRow struct {
	v      *model.ListingView
	filled bool // the fields below are set
	endpointFigures
	age    time.Duration
	hasAge bool
	// timeline is the last 24 hours, one cell an hour (timelineCells), and
	// timelineWorst the worst state in it.
	timeline      string
	timelineWorst model.Health
}

// endpointFigures are a listing's endpoints reduced, and the cells they
// make.
type endpointFigures struct {
	// worst and median uptime over 5 minutes, 30 minutes and a day; NaN
	// when no endpoint reports that window.
	worst, med [3]float64
	deranked   int     // endpoints with status < 0
	lat, thr   float64 // median of the endpoints' p50 latency (ms) and throughput (tok/s); NaN unknown
	// The cells: worst/median uptime per window ("—" without), latency,
	// throughput, and deranked of all.
	uptime                      [3]string
	latency, throughput, derank string
}

// reduceEndpoints reduces a listing's endpoints. scratch holds five
// reusable buffers (three uptime windows, latency, throughput), so that
// reducing allocates only the cells.
func reduceEndpoints(eps []model.Endpoint, scratch *[5][]float64) endpointFigures {
	var f endpointFigures
	for i := range scratch {
		scratch[i] = scratch[i][:0]
	}
	ok := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	for _, ep := range eps {
		if ep.Degraded() {
			f.deranked++
		}
		for i, x := range [5]float64{ep.Uptime5m, ep.Uptime30m, ep.Uptime1d, ep.LatencyP50, ep.ThroughputP50} {
			if ok(x) {
				scratch[i] = append(scratch[i], x)
			}
		}
	}
	for i := 0; i < 3; i++ {
		f.worst[i], f.med[i] = model.MinMedian(scratch[i])
		f.uptime[i] = "—"
		if !math.IsNaN(f.med[i]) {
			f.uptime[i] = units.Uptime(f.worst[i]) + "/" + units.Uptime(f.med[i])
		}
	}
	_, f.lat = model.MinMedian(scratch[3])
	_, f.thr = model.MinMedian(scratch[4])
	f.latency, f.throughput = units.Latency(f.lat), units.Throughput(f.thr)
	f.derank = strconv.Itoa(f.deranked) + "/" + strconv.Itoa(len(eps))
	return f
}

// reduced is a listing's endpointFigures with the endpoints they were
// reduced from.
type reduced struct {
	eps []model.Endpoint
	endpointFigures
}

// maxReduced bounds health.reduced: far more listings than are watched.
const maxReduced = 2048

// sameEndpoints reports whether a and b are the same endpoints: the same
// slice, which the market never changes once a snapshot holds it (it
// replaces a listing's endpoints whole).
func sameEndpoints(a, b []model.Endpoint) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// oldEndpoints is the age past which a row's endpoint data is faded: the
// listing has left the watched set (or its fetches fail), so its figures
// describe the past. Live endpoints are polled every few minutes, and the
// demo refreshes the watched ones every simulated day.
const oldEndpoints = time.Hour

// old reports whether the row's endpoint data is older than oldEndpoints.
func (r *healthRow) old() bool { return r.hasAge && r.age > oldEndpoints }

// healthRank orders states worst first.
func healthRank(h model.Health) int {
	switch h {
	case model.HealthDown:
		return 0
	case model.HealthDegraded:
		return 1
	case model.HealthOK:
		return 2
	}
	return 3
}

// health is tab 4: one row per watched listing, worst first, with its
// endpoints' uptime, deranking, latency and throughput and a derived state;
// below it, the status pages and their open incidents.
type health struct {
	tabBase[healthState]
	list listCtl
	// byProvider groups the endpoints by provider instead (b toggles it).
	byProvider bool
	provKey    key.Binding

	rows      []*healthRow
	dealt     []*healthRow        // the rows' second buffer while they are ordered
	slab      []healthRow         // backing store of rows, reused across snapshots
	scratch   [5][]float64        // buffers for reducing endpoints
	reduced   map[string]*reduced // by listing id, kept across snapshots (see row)
	pages     []*model.StatusPage // worst first, then by name
	incidents []incidentRow       // newest first
	counts    [4]int              // rows per healthRank
	rowsKey   rowsKey
	lines     lineMemo[healthRowKey] // the page's rows as last drawn
	size      bodySize               // the last body's, for the next one's room
}

// healthState is what the Health tab's frame shows besides the snapshot.
type healthState struct {
	list       listState
	byProvider bool
	stalePages string // env.stalePages: their rows are marked
}

func newHealth(e *env) *health {
	return &health{tabBase: tabBase[healthState]{e: e}, list: newListCtl(1),
		provKey: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "by provider"))}
}

// Title implements Tab.
func (t *health) Title() string { return "Health" }

// Capturing implements Tab.
func (t *health) Capturing() bool { return t.list.typing }

// Selected implements Selector: enter opens the listing's detail.
func (t *health) Selected() (string, bool) {
	if t.list.sel < len(t.rows) {
		return t.rows[t.list.sel].v.ID, true
	}
	return "", false
}

// Help implements Tab. There is one order (worst first), so the list's
// sort key is left out.
func (t *health) Help() ([]key.Binding, [][]key.Binding) {
	k := t.list.keys
	if t.list.typing {
		return t.list.help()
	}
	return []key.Binding{k.Filter, k.Origin, t.provKey},
		[][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown}, {k.Filter, k.Origin, k.Clear, t.provKey}}
}

// Update implements Tab.
func (t *health) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return t.list.other(msg)
	}
	if !t.list.typing && key.Matches(km, t.list.keys.Sort) {
		return nil // one order only
	}
	if !t.list.typing && key.Matches(km, t.provKey) {
		t.byProvider = !t.byProvider
		return nil
	}
	page, _ := t.split()
	u := t.list.update(km, len(t.rows), page, func(i int) string { return t.rows[i].v.ID })
	if u.refilter {
		t.sync()
	}
	return u.cmd
}

// sync rebuilds the rows, pages and incidents when the snapshot or a filter
// changed, and finds the selected listing again.
func (t *health) sync() {
	k := rowsKey{keyOf(t.snap), 0, t.list.origin, t.list.filter}
	if k == t.rowsKey && t.rows != nil {
		return
	}
	t.rowsKey = k
	t.rows, t.pages, t.incidents = t.rows[:0], t.pages[:0], t.incidents[:0]
	t.counts = [4]int{}
	if t.snap == nil {
		return
	}
	match := t.list.matcher()
	for i := range t.snap.Listings {
		v := &t.snap.Listings[i]
		if len(v.Endpoints()) == 0 || !match(v) {
			continue
		}
		var r *healthRow
		if n := len(t.rows); n < len(t.slab) {
			r = &t.slab[n]
		} else {
			r = &healthRow{}
		}
		r.v, r.filled = v, false // the figures are set when the row is first drawn
		t.rows = append(t.rows, r)
		t.counts[healthRank(v.Health)]++
	}
	if len(t.rows) > len(t.slab) {
		// Next time, one block for every row.
		t.slab = make([]healthRow, len(t.rows)+len(t.rows)/4)
	}
	t.order()
	for i := range t.snap.StatusPages {
		p := &t.snap.StatusPages[i]
		t.pages = append(t.pages, p)
		for j := range p.Incidents {
			t.incidents = append(t.incidents, incidentRow{p.Name, &p.Incidents[j]})
		}
	}
	slices.SortStableFunc(t.pages, func(a, b *model.StatusPage) int {
		if c := cmp.Compare(b.Status, a.Status); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	slices.SortStableFunc(t.incidents, func(a, b incidentRow) int { return b.inc.Started.Compare(a.inc.Started) })
	t.list.reselect(len(t.rows), func(i int) string { return t.rows[i].v.ID })
}

// order sorts the rows worst first, then by rank (ranked before unranked),
// then by name, stably. The rows are first dealt into their states in
// snapshot order, and the market already lists its views by rank, then by
// name, so each state's run is usually in order and is sorted only when
// it is not.
func (t *health) order() {
	var at [4]int
	for k := 1; k < len(at); k++ {
		at[k] = at[k-1] + t.counts[k-1]
	}
	start := at
	t.dealt = slices.Grow(t.dealt[:0], len(t.rows))[:len(t.rows)]
	for _, r := range t.rows {
		k := healthRank(r.v.Health)
		t.dealt[at[k]] = r
		at[k]++
	}
	t.rows, t.dealt = t.dealt, t.rows
	byRankName := func(a, b *healthRow) int {
		ra, rb := a.v.Rank, b.v.Rank
		if (ra > 0) != (rb > 0) {
			if ra > 0 {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(ra, rb); c != 0 {
			return c
		}
		return strings.Compare(a.v.Name, b.v.Name)
	}
	for k := range start {
		run := t.rows[start[k]:at[k]]
		if !slices.IsSortedFunc(run, byRankName) {
			slices.SortStableFunc(run, byRankName)
		}
	}
}

// row returns row i with its endpoint figures reduced. The figures are
// kept by listing across snapshots (t.reduced) while its endpoints are the
// same: a new snapshot replaces the endpoints of the listings just polled,
// not of every watched one.
func (t *health) row(i int) *healthRow {
	r := t.rows[i]
	if r.filled {
		return r
	}
	v := r.v
	red := t.reduced[v.ID]
	if red == nil || !sameEndpoints(red.eps, v.Endpoints()) {
		if t.reduced == nil || len(t.reduced) >= maxReduced {
			t.reduced = make(map[string]*reduced) // start again rather than grow without end
		}
		red = &reduced{v.Endpoints(), reduceEndpoints(v.Endpoints(), &t.scratch)}
		t.reduced[v.ID] = red
	}
	*r = healthRow{v: v, filled: true, endpointFigures: red.endpointFigures}
	now := t.snap.Now
	if now.IsZero() {
		now = t.snap.AsOf
	}
	if !now.IsZero() && !v.EndpointsAt().IsZero() {
		r.age, r.hasAge = max(now.Sub(v.EndpointsAt()), 0), true
	}
	r.timeline, r.timelineWorst = timelineCells(v, t.snap.Now, 24)
	return r
}

// split divides the body between the listing table (page rows under the
// status line and the column titles) and the status-page section (bottom
// lines, after a blank line). When both do not fit, the section keeps up to
// half the body, and the listings scroll.
func (t *health) split() (page, bottom int) {
	avail := max(t.h-3, 0) // status line, column titles, blank line
	want := t.statusLines()
	n := len(t.rows)
	if n == 0 {
		n = 2 // the empty state
	}
	if n+want <= avail {
		return n, want
	}
	bottom = min(want, max(avail-n, avail/2))
	return max(avail-bottom, 0), bottom
}

// columns lists the table's columns. The lower a column's priority, the
// sooner it goes when the terminal is narrow; at 80 columns the state, the
// deranked count, the 5-minute and 1-day uptimes, latency, throughput and
// the age remain.
func (t *health) columns() []column[*healthRow] {
	st := t.e.st
	uptime := func(title string, i, prio int) column[*healthRow] {
		return column[*healthRow]{title: title, min: 9, max: 9, right: true, prio: prio,
			cell: func(r *healthRow, _ int) string { return r.uptime[i] },
			paint: func(r *healthRow) paint {
				switch d := r.med[2] - r.med[i]; {
				case i == 2 || math.IsNaN(d):
				case r.worst[i] < 50:
					return st.bad
				case d >= 5:
					return st.warn
				}
				return paint{}
			}}
	}
	var cols []column[*healthRow]
	if t.w >= 100 {
		// The rank explains the order within a state, but at 80 columns
		// the name needs the cells more.
		cols = append(cols, column[*healthRow]{title: "#", min: 3, max: 3, right: true, prio: 40,
			cell: func(r *healthRow, _ int) string {
				if r.v.Rank == 0 {
					return "—"
				}
				return strconv.Itoa(r.v.Rank)
			}})
	}
	cols = append(cols, []column[*healthRow]{
		{title: "name", min: 14, max: 30, prio: 1000,
			cell: func(r *healthRow, _ int) string { return nameCell(r.v) }},
		{title: "author", min: 9, max: 14, prio: 10,
			cell: func(r *healthRow, _ int) string { return safe(r.v.Author) }},
		{title: "state", min: 10, max: 10, prio: 1000,
			cell:  func(r *healthRow, _ int) string { return healthCell(r.v.Health) },
			paint: func(r *healthRow) paint { return st.health(r.v.Health) }},
		{title: "eps", min: 3, max: 3, right: true, prio: 15,
			cell: func(r *healthRow, _ int) string { return strconv.Itoa(len(r.v.Endpoints())) }},
		{title: "derank", min: 6, max: 6, right: true, prio: 90,
			cell: func(r *healthRow, _ int) string { return r.derank },
			paint: func(r *healthRow) paint {
				if r.deranked > 0 {
					return st.warn
				}
				return paint{}
			}},
		uptime("5m w/med", 0, 95),
		uptime("30m w/med", 1, 20),
		uptime("1d w/med", 2, 85),
		{title: "latency", min: 7, max: 7, right: true, prio: 60,
			cell: func(r *healthRow, _ int) string { return r.latency }},
		{title: "tok/s", min: 5, max: 5, right: true, prio: 55,
			cell: func(r *healthRow, _ int) string { return r.throughput }},
		{title: "last 24 h, 1 cell/h", min: 24, max: 24, prio: 45,
			cell: func(r *healthRow, _ int) string {
				if r.timeline == "" {
					return "—"
				}
				return r.timeline
			},
			paint: func(r *healthRow) paint { return st.health(r.timelineWorst) }},
		{title: "age", min: 6, max: 6, right: true, prio: 50,
			cell: func(r *healthRow, _ int) string {
				if !r.hasAge {
					return "—"
				}
				return fmtAge(r.age)
			}},
	}...)
	// Figures from a stale source carry the stale mark: the rank from the
	// usage or ranking source, the rest (past name and author) from the
	// endpoints.
	for i := range cols {
		switch g := staleEndpoints; cols[i].title {
		case "name", "author":
		case "#":
			g = staleVolumes
			fallthrough
		default:
			if t.e.stale.has(g) {
				cols[i].markStale(nil)
			}
		}
	}
	return cols
}

// View implements Tab.
func (t *health) View() string {
	if t.byProvider {
		return t.frame(healthState{t.list.state(), true, t.e.stalePages}, t.renderProviders)
	}
	return t.fittedFrame(healthState{t.list.state(), false, t.e.stalePages}, t.render)
}

// status is the line above the table: counts by state, in words and
// glyphs, and the filters.
func (t *health) status() string {
	n := len(t.rows)
	parts := []string{strconv.Itoa(n) + " watched"}
	for _, h := range []model.Health{model.HealthDown, model.HealthDegraded, model.HealthOK} {
		if c := t.counts[healthRank(h)]; c > 0 {
			parts = append(parts, h.Glyph()+" "+strconv.Itoa(c)+" "+h.String())
		}
	}
	parts = append(parts, t.list.statusFilters())
	line := strings.Join(parts, " · ")
	// Say what "w/med" means when there is room for it.
	for _, legend := range []string{"uptime % as worst/median of the endpoints", "w/med: worst/median"} {
		if textWidth(line)+3+textWidth(legend) <= t.w {
			return line + " · " + legend
		}
	}
	return line
}

func (t *health) render() string {
	st := t.e.st
	if t.snap == nil {
		return block("\n  waiting for data…", t.w, t.h, true)
	}
	// The lines go straight into one body, cut and padded to the frame:
	// rows of their own, a join and block copied every row three times.
	o := newBodyLike(t.w, t.h, 2*t.w, &t.size, t.e)
	if t.list.typing {
		o.line(t.list.inputView(t.w))
	} else {
		o.line(st.dim.s(truncate(t.status(), t.w)))
	}
	page, bottom := t.split()
	cols := t.columns()
	widths, gap := layoutColumns(cols, t.w-1) // one cell for the selection mark
	switch {
	case len(t.rows) == 0 && t.rowsKey.filter == "" && t.rowsKey.origin == 0:
		o.line("")
		o.line("  no endpoint data yet — health is watched for the busiest listings")
	case len(t.rows) == 0:
		o.line("")
		o.line(truncate("  no watched listings match (esc clears)", t.w))
	default:
		o.line(" " + tableHeader(cols, widths, gap, st))
		t.lines.begin(widths, gap, t.w)
		for i, sel := range t.list.shown(page, len(t.rows)) {
			// A row kept from the last frame needs no endpoint figures.
			t.lines.line(o, t.rows[i].v.ID, t.rowKey(t.rows[i].v, sel), func() {
				r := t.row(i)
				bodyRow(o, rowMark(sel), cols, widths, gap, r, sel, r.old(), st)
			})
		}
	}
	if bottom > 0 {
		o.line("") // the section follows the table after a blank line
		for _, l := range t.statusSection(bottom) {
			o.line(l)
		}
	}
	frame := o.String()
	t.lines.keep(frame)
	return frame
}

// healthRowKey is everything a Health row shows: the columns (styles,
// width, stale sources), the selection, the snapshot's clock (the age and
// the timeline) and the fields of the listing its cells read. Its
// endpoints, their time and its serving history are in its detail, kept by
// identity (the market never writes a detail a snapshot holds; a poll of
// the endpoints brings a new one). TestHealthRowKeyCoversTheRow changes
// every field of a listing and checks that the key changes whenever the
// row does.
type healthRowKey struct {
	st     *styles
	wide   bool // the rank column is shown
	stale  staleGroups
	sel    bool
	now    time.Time // the snapshot's clock: the timeline's end
	ageAt  time.Time // what the age is counted to (health.row)
	rank   int
	name   string
	author string
	health model.Health
	alias  bool
	detail *model.ListingDetail
}

// rowKey is v's healthRowKey.
func (t *health) rowKey(v *model.ListingView, sel bool) healthRowKey {
	ageAt := t.snap.Now
	if ageAt.IsZero() {
		ageAt = t.snap.AsOf
	}
	return healthRowKey{st: t.e.st, wide: t.w >= 100, stale: t.e.stale, sel: sel, now: t.snap.Now, ageAt: ageAt,
		rank: v.Rank, name: v.Name, author: v.Author, health: v.Health, alias: v.Alias, detail: v.Detail}
}
