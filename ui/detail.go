package ui

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// detail is one listing's page, pushed over the tabs by enter and popped by
// esc: who made it, every price and override, its daily token volume with
// the price changes marked, its rank history, its endpoints and its alerts.
// It follows the listing across snapshots and scrolls when taller than the
// screen.
type detail struct {
	tabBase[detailState]
	id   string
	off  int // first visible line
	keys listKeys

	lines    []string // the whole page at width w
	linesKey detailKey
	volume   plotMemo // the volume chart, redrawn when its data or size changed
	ranks    rankMemo // the rank history, recomputed when a series changed

	// What the last page built showed an older version of, for background
	// to bring (see there); the draws asked for and the last one applied;
	// applied also keys the page and the frame, which change when it does.
	wantPlot       *plotInput
	wantRanks      bool
	draws, applied uint64
	// madeAt is draws when the page last made a plot or ranks at once (a
	// new size): every answer asked for before is older, and dropped.
	madeAt uint64
}

// detailDrawn is the answer of the work background started: the volume
// plot of plot (when hasPlot) and the rank history of id in snap (when
// hasRanks), the draw'th asked for. A broadcast, so that it reaches the page
// wherever the user is.
type detailDrawn struct {
	draw     uint64
	id       string
	hasPlot  bool
	plot     plotInput
	plotOut  string
	hasRanks bool
	snap     *model.Snapshot
	ranks    []int
}

func (detailDrawn) broadcast() {}

// background starts, in a command, the work the page last built left for
// it, and returns it (nil when there is none). The root calls it after
// every Update of the view on screen.
//
// A new day moves the listing's volume plot and its rank history, which
// are most of a detail rebuild: asciigraph allocates a cell grid of the
// whole plot, and the ranks sum every listing's window on every day. The
// page shows the day-old ones for the moment the work takes (the header
// line, prices and everything else are the new snapshot's) and is built
// again when detailDrawn brings the new ones. A first page, a new size or
// palette have nothing that fits and are drawn at once.
func (d *detail) background() tea.Cmd {
	if d.wantPlot == nil && !d.wantRanks {
		return nil
	}
	d.draws++
	msg := detailDrawn{draw: d.draws, id: d.id, hasRanks: d.wantRanks, snap: d.snap}
	if d.wantPlot != nil {
		msg.hasPlot, msg.plot = true, *d.wantPlot
	}
	d.wantPlot, d.wantRanks = nil, false
	return func() tea.Msg {
		if msg.hasPlot {
			msg.plotOut = msg.plot.draw()
		}
		if msg.hasRanks {
			msg.ranks = msg.snap.RankHistory(msg.id)
		}
		return msg
	}
}

// applyDrawn keeps what a detailDrawn brought, unless a later one is in.
func (d *detail) applyDrawn(msg detailDrawn) {
	if msg.id != d.id || msg.draw <= max(d.applied, d.madeAt) {
		return
	}
	d.applied = msg.draw
	if msg.hasPlot {
		d.volume.store(msg.plot, msg.plotOut)
	}
	if msg.hasRanks {
		d.ranks.store(msg.snap, msg.id, msg.ranks)
	}
	d.clamp()
}

// rankMemo keeps a listing's rank history (Snapshot.RankHistory, every
// listing's window summed on every day) with what it was computed from: the
// days, the window and each listing's id and series, by identity. The
// market never writes a series a snapshot holds, and a snapshot shares the
// series that did not change, so a new snapshot that brought no usage (an
// endpoint poll, a status page) has the same series and the same ranks.
type rankMemo struct {
	id     string
	window int
	days   []time.Time
	series []seriesRef
	ranks  []int
	done   bool
}

// seriesRef is a listing's series by identity: its first day and length.
type seriesRef struct {
	id    string
	first *uint64
	n     int
}

func refOf(v *model.ListingView) seriesRef {
	r := seriesRef{id: v.ID, n: len(v.Series)}
	if r.n > 0 {
		r.first = &v.Series[0]
	}
	return r
}

// of returns s.RankHistory(id), computed again only when it may differ.
func (m *rankMemo) of(s *model.Snapshot, id string) []int {
	if !m.has(s, id) {
		m.store(s, id, s.RankHistory(id))
	}
	return m.ranks
}

// has reports whether the kept ranks are s.RankHistory(id).
func (m *rankMemo) has(s *model.Snapshot, id string) bool {
	return m.done && m.id == id && m.window == s.Window && m.same(s)
}

// store keeps ranks as s.RankHistory(id).
func (m *rankMemo) store(s *model.Snapshot, id string, ranks []int) {
	m.ranks = ranks
	m.id, m.window, m.done = id, s.Window, true
	m.days = append(m.days[:0], s.Days...)
	m.series = m.series[:0]
	for i := range s.Listings {
		m.series = append(m.series, refOf(&s.Listings[i]))
	}
}

func (m *rankMemo) same(s *model.Snapshot) bool {
	if len(m.series) != len(s.Listings) || !slices.EqualFunc(m.days, s.Days, time.Time.Equal) {
		return false
	}
	for i := range s.Listings {
		if refOf(&s.Listings[i]) != m.series[i] {
			return false
		}
	}
	return true
}

// plotInput is what the volume plot is drawn from: the series, its box, its
// top and the palette.
type plotInput struct {
	data   []float64
	w, h   int
	top    float64
	colour bool
}

// draw plots the input with asciigraph, from 0 to top with the token axis;
// cyan when colour is on.
func (in plotInput) draw() string {
	opts := plotOptions(in.w, in.h, in.top, tokenAxis)
	if in.colour {
		opts = append(opts, asciigraph.SeriesColors(asciigraph.Cyan))
	}
	return asciigraph.Plot(in.data, opts...)
}

// plotMemo keeps the last asciigraph plot of one series with a copy of
// what it was drawn from. A new snapshot rebuilds the page, but a listing's
// daily tokens move only with usage, and the plot was a fifth of a detail
// rebuild.
type plotMemo struct {
	in   plotInput
	out  string
	done bool
}

// has reports whether the kept plot is in's.
func (m *plotMemo) has(in plotInput) bool {
	return m.fits(in) && m.in.top == in.top && slices.EqualFunc(m.in.data, in.data, sameFloat)
}

// fits reports whether the kept plot fills in's box, though maybe with
// older data.
func (m *plotMemo) fits(in plotInput) bool {
	return m.done && m.in.w == in.w && m.in.h == in.h && m.in.colour == in.colour
}

// store keeps out as the plot of in.
func (m *plotMemo) store(in plotInput, out string) {
	in.data = slices.Clone(in.data)
	m.in, m.out, m.done = in, out, true
}

// plot is the plot of in, drawn now unless it is the one kept.
func (m *plotMemo) plot(in plotInput) string {
	if !m.has(in) {
		m.store(in, in.draw())
	}
	return m.out
}

// detailKey is what the whole page depends on.
type detailKey struct {
	snap    snapKey
	w, h    int
	work    model.Workload
	stale   staleGroups // which figures are marked stale
	applied uint64      // the background work in (detail.applied)
}

// detailState is what the visible part of the page depends on besides the
// snapshot and the size.
type detailState struct {
	off     int
	work    model.Workload
	applied uint64
}

func newDetail(e *env, id string) Tab {
	return &detail{tabBase: tabBase[detailState]{e: e}, id: id, keys: newListKeys()}
}

// Title implements Tab: the listing's name in the tab bar.
func (d *detail) Title() string {
	if v, ok := d.snap.Listing(d.id); ok && v.Name != "" {
		return displayName(safe(v.Name))
	}
	return d.id
}

// SetSnapshot implements Tab: the page may have grown or shrunk, so the
// scroll offset is kept inside it.
func (d *detail) SetSnapshot(s *model.Snapshot) {
	d.snap = s
	d.clamp()
}

// SetSize implements Tab.
func (d *detail) SetSize(w, h int) {
	d.w, d.h = w, h
	d.clamp()
}

// clamp keeps the scroll offset on the page.
func (d *detail) clamp() { d.off = min(max(d.off, 0), d.maxOff()) }

// Help implements Tab.
func (d *detail) Help() ([]key.Binding, [][]key.Binding) {
	k := d.keys
	scroll := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll"))
	return []key.Binding{scroll}, [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown}}
}

// Update implements Tab: the movement keys scroll the page. esc is the
// root's (it pops the page).
func (d *detail) Update(msg tea.Msg) tea.Cmd {
	if dd, ok := msg.(detailDrawn); ok {
		d.applyDrawn(dd)
		return nil
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	k := d.keys
	page := max(d.h-1, 1)
	switch {
	case key.Matches(km, k.Up):
		d.off--
	case key.Matches(km, k.Down):
		d.off++
	case key.Matches(km, k.Top):
		d.off = 0
	case key.Matches(km, k.Bottom):
		d.off = math.MaxInt32
	case key.Matches(km, k.PageUp):
		d.off -= page
	case key.Matches(km, k.PageDown):
		d.off += page
	}
	d.clamp()
	return nil
}

// maxOff is the largest useful scroll offset: the last line at the bottom
// of the body, above the scroll indicator.
func (d *detail) maxOff() int {
	n := len(d.page())
	if n <= d.h {
		return 0
	}
	return n - (d.h - 1)
}

// page returns the whole page at the current width, cached.
func (d *detail) page() []string {
	k := detailKey{keyOf(d.snap), d.w, d.h, d.e.workload, d.e.stale, d.applied}
	if k == d.linesKey && d.lines != nil {
		return d.lines
	}
	d.linesKey = k
	d.lines = d.build()
	return d.lines
}

// View implements Tab.
func (d *detail) View() string {
	return d.frame(detailState{d.off, d.e.workload, d.applied}, d.render)
}

// render shows the lines of the page from the scroll offset, with a rule
// that says where they are when the page is taller than the body.
func (d *detail) render() string {
	lines := d.page()
	if len(lines) <= d.h {
		return strings.Join(lines, "\n")
	}
	off := min(max(d.off, 0), d.maxOff())
	rows := max(d.h-1, 0)
	end := min(off+rows, len(lines))
	more := "── lines " + strconv.Itoa(off+1) + "–" + strconv.Itoa(end) + " of " + strconv.Itoa(len(lines)) + " · ↑/↓ pgup/pgdn scroll "
	if end < len(lines) {
		more += "· more below "
	}
	more = truncate(more+strings.Repeat("─", max(d.w-textWidth(more), 0)), d.w)
	body := append(append([]string(nil), lines[off:end]...), d.e.st.dim.s(more))
	return strings.Join(body, "\n")
}

// build lays the page out at width d.w.
func (d *detail) build() []string {
	st := d.e.st
	w := max(d.w, 1)
	if d.snap == nil {
		return []string{"", "  waiting for data…"}
	}
	v, ok := d.snap.Listing(d.id)
	if !ok {
		return wrapIndent("Listing "+safe(d.id)+" is not on the market any more (retired, or not yet listed). esc goes back.", w, "  ")
	}
	var out []string
	add := func(ls ...string) { out = append(out, ls...) }
	section := func(title string) {
		add("", st.bold.s(truncate(title, w)))
	}

	// Who and what.
	add(truncate(st.title.s(displayName(safe(v.Name)))+"  "+st.dim.s(safe(v.ID)), w))
	var facts []string
	if v.Author != "" {
		facts = append(facts, "by "+safe(v.Author))
	}
	facts = append(facts, "origin "+originCell(v.Origin))
	l := v.Listing()
	if l.ContextLength > 0 {
		facts = append(facts, units.Tokens(uint64(l.ContextLength))+" context")
	} else {
		facts = append(facts, "context length unknown")
	}
	if !l.Created.IsZero() {
		facts = append(facts, "listed "+l.Created.UTC().Format("2006-01-02"))
	}
	if !l.Expires.IsZero() {
		facts = append(facts, "expires "+l.Expires.UTC().Format("2006-01-02"))
	}
	if l.AliasOf != "" {
		facts = append(facts, "alias of "+safe(l.AliasOf))
	}
	if v.Health != model.HealthUnknown {
		facts = append(facts, d.e.figure(staleEndpoints, healthCell(v.Health)))
	}
	add(wrapIndent(strings.Join(facts, " · "), w, "")...)
	if d.snap.HasVolumes && v.Tokens > 0 {
		vol := func(s string) string { return d.e.figure(staleVolumes, s) }
		add(truncate(vol("#"+strconv.Itoa(v.Rank))+" by tokens · "+vol(units.Tokens(v.Tokens))+" tokens in "+
			strconv.Itoa(d.snap.Window)+" days · "+vol(units.Percent(v.Share))+" of all · w/w "+vol(units.Growth(v.Growth)), w))
	} else if v.Rank > 0 {
		note := "no tokens in the window"
		if !d.snap.HasVolumes {
			note = d.snap.VolumesNote()
		}
		add(truncate("#"+strconv.Itoa(v.Rank)+" in the ranking order ("+note+")", w))
	}
	if desc := strings.TrimSpace(safe(l.Description)); desc != "" {
		add("")
		add(wrapIndent(desc, w, "")...)
	}

	// Prices.
	section("Prices (USD per million tokens)")
	if v.Unlisted {
		// Say why there is nothing to show, rather than a row of dashes.
		add(wrapIndent("Not listed in the OpenRouter catalogue: the usage rankings name this model ("+
			safe(v.ID)+") but the catalogue does not (retired, stealth or renamed), so it has no list prices, "+
			"description or endpoints; its name is made from its slug.", w, "  ")...)
	} else {
		add(d.priceLines(v, w)...)
	}

	// Quality: the AA indexes, their source and date, the value for the
	// workload, and their history one scale at a time.
	if v.Indexes().Has() {
		section("Quality · Artificial Analysis indexes")
		add(d.qualityLines(v, w)...)
	}

	// The price's history, as a step chart with each change's size.
	if !v.Unlisted && len(v.PriceHistory()) > 0 {
		section("Price history · blended at " + units.Percent(d.inShare()*100) + " input")
		add(d.priceStepLines(v, w)...)
	}

	// Serving history.
	section("Uptime · last " + strconv.Itoa(uptimeDays) + " days, worst state each day")
	add(d.uptimeStripLines(v, w)...)

	// Volume chart with the price changes marked.
	section("Daily token volume · retained history")
	add(d.volumeLines(v, w)...)

	// Rank history.
	section("Rank history · trailing " + strconv.Itoa(d.snap.Window) + "-day tokens")
	add(d.rankLines(v, w)...)

	// Endpoints.
	title := "Endpoints"
	if !v.EndpointsAt().IsZero() {
		title += " · as of " + v.EndpointsAt().UTC().Format("2006-01-02 15:04") + " UTC"
	}
	section(title)
	add(d.endpointLines(v, w)...)

	// Alerts.
	section("Alerts")
	add(d.alertLines(v, w)...)
	return out
}

// legs writes a price's legs: "in $3.00 · out $15.00 · cache read $0.30".
func legs(p model.Price) string { return markedLegs(p, func(s string) string { return s }) }

// markedLegs is legs with each figure passed through mark (env.figure: the
// stale mark of the catalogue's prices).
func markedLegs(p model.Price, mark func(string) string) string {
	switch p.Kind {
	case model.PriceFree:
		return "free"
	case model.PriceVariable:
		return "variable (a router: the price is the model it picks)"
	case model.PriceUnknown:
		return "no price yet"
	}
	s := "in " + mark(units.USD(p.In)) + " · out " + mark(units.USD(p.Out))
	if p.HasCacheRead() {
		s += " · cache read " + mark(units.USD(p.CacheRead))
	} else {
		s += " · no cache-read price"
	}
	return s
}

// clock writes an HHMM clock number as "HH:MM".
func clock(hhmm int) string { return fmt.Sprintf("%02d:%02d", hhmm/100%100, hhmm%100) }

func (d *detail) priceLines(v *model.ListingView, w int) []string {
	cat := func(s string) string { return d.e.figure(staleCatalogue, s) }
	lines := []string{truncate("  list   "+markedLegs(v.Price, cat), w)}
	for _, o := range v.Listing().Overrides {
		var when string
		switch {
		case o.IsTimeWindow():
			when = clock(o.UTCStart) + "–" + clock(o.UTCEnd) + " UTC"
		case o.MinPromptTokens > 0:
			when = "prompts over " + units.Tokens(uint64(o.MinPromptTokens)) + " tokens"
		default:
			when = "override"
		}
		lines = append(lines, truncate("  "+when+": "+markedLegs(v.Price.Under(o), cat), w))
	}
	work := d.e.workload
	if day, ok := work.DailyCost(v.Price); ok {
		s := "  at " + workloadText(work) + ": " + cat(units.Money(day)) + "/day · " + cat(units.Money(day*model.DaysPerMonth)) + "/month"
		if lo, hi, ok := work.DailyCostRange(*v.Listing()); ok && (lo != day || hi != day) {
			s += " · " + cat(units.Money(lo)) + "–" + cat(units.Money(hi)) + "/day across its overrides"
		}
		lines = append(lines, wrapIndent(strings.TrimPrefix(s, "  "), w, "  ")...)
	} else if v.Price.Kind == model.PriceVariable {
		lines = append(lines, truncate("  can't be costed: the price depends on the model the router picks", w))
	}
	if !d.snap.HasVolumes || !anySeries(v.Series) {
		// No chart to mark the changes on: list them here.
		for _, c := range priceChanges(v, d.inShare()) {
			lines = append(lines, truncate("  "+c.glyph+" "+c.text, w))
		}
	}
	return lines
}

func (d *detail) inShare() float64 {
	if s := d.e.workload.InputShare; s > 0 && s < 1 {
		return s
	}
	return DefaultInputShare
}

// priceChange is one change of a listing's list price.
type priceChange struct {
	at    time.Time
	glyph string // ▲ dearer, ▼ cheaper, • otherwise (a change of kind)
	text  string // "2026-02-17 in $1.00→$1.20 · out $3.20→$3.80"
}

// priceChanges lists a listing's price changes, oldest first, as the page
// shows them (model.ListingView.PriceChanges says what changed).
func priceChanges(v *model.ListingView, inShare float64) []priceChange {
	var out []priceChange
	for _, mc := range v.PriceChanges(inShare) {
		a, b := mc.From, mc.To
		c := priceChange{at: mc.At, glyph: "•"}
		switch mc.Dir {
		case 1:
			c.glyph = "▲"
		case -1:
			c.glyph = "▼"
		}
		var parts []string
		if a.Rankable() && b.Rankable() {
			leg := func(name string, x, y float64) {
				if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
					parts = append(parts, name+" "+units.USD(x)+"→"+units.USD(y))
				}
			}
			leg("in", a.In, b.In)
			leg("out", a.Out, b.Out)
			leg("cache", a.CacheRead, b.CacheRead)
		} else {
			parts = append(parts, a.Kind.String()+"→"+b.Kind.String())
			if b.Rankable() {
				parts = append(parts, "in "+units.USD(b.In)+" · out "+units.USD(b.Out))
			}
		}
		c.text = c.at.UTC().Format("2006-01-02") + " " + strings.Join(parts, " · ")
		out = append(out, c)
	}
	return out
}

// anySeries reports whether a series has any tokens.
func anySeries(s []uint64) bool {
	for _, x := range s {
		if x > 0 {
			return true
		}
	}
	return false
}

// tokenAxis formats the chart's y axis in a fixed six cells.
func tokenAxis(v float64) string {
	if math.IsNaN(v) || v < 0 {
		v = 0
	}
	return fmt.Sprintf("%6s", units.Tokens(uint64(v)))
}

// volumeLines draws the listing's daily tokens with asciigraph, from its
// first day with tokens to the last retained day, with a marker row of price
// changes under the date axis and a legend of them.
func (d *detail) volumeLines(v *model.ListingView, w int) []string {
	s := d.snap
	changes := priceChanges(v, d.inShare())
	switch {
	case !s.HasVolumes:
		return wrapIndent(s.VolumesNote()+": tokentape knows the ranking order only.", w, "  ")
	case !anySeries(v.Series):
		return []string{truncate("  no tokens recorded for this listing in the retained history", w)}
	case w < 30:
		return []string{truncate("  chart needs more room", w)}
	}
	n := min(len(v.Series), len(s.Days))
	first := 0
	for first < n && v.Series[first] == 0 {
		first++
	}
	if first >= n { // tokens only beyond the retained days
		return []string{truncate("  no tokens recorded in the retained days", w)}
	}
	data := make([]float64, 0, n-first+1)
	top := 0.0
	for _, x := range v.Series[first:n] {
		f := float64(x)
		data = append(data, f)
		top = math.Max(top, f)
	}
	if len(data) == 1 { // one day: a short flat line
		data = append(data, data[0])
	}
	const prefix = 6 + 2 // the axis labels and the axis
	plotW := max(w-prefix-1, 2)
	plotH := min(max(d.h/3, 5), 14)
	in := plotInput{data, plotW, plotH, math.Max(top, 1), !d.e.st.ascii}
	plot := d.volume.out
	switch {
	case d.volume.has(in):
	case d.volume.fits(in):
		d.wantPlot = &in // the day-old plot until background brings this one
	default:
		plot = d.volume.plot(in)
		d.madeAt = d.draws
	}
	lines := strings.Split(plot, "\n")
	days := s.Days[first:n]
	lines = append(lines, spaces(prefix)+dateAxis(days, plotW))

	// Markers: day i of the plot sits in column round(i·(plotW−1)/(days−1)),
	// which is where asciigraph's interpolation puts it.
	if len(changes) > 0 {
		row := []rune(spaces(plotW))
		var legend []string
		for _, c := range changes {
			day := time.Date(c.at.Year(), c.at.Month(), c.at.Day(), 0, 0, 0, 0, time.UTC)
			i := -1
			for j, dd := range days {
				if !dd.After(day) {
					i = j
				}
			}
			if i < 0 {
				legend = append(legend, c.glyph+" "+c.text+" (before the chart)")
				continue
			}
			col := 0
			if len(days) > 1 {
				col = int(math.Round(float64(i) * float64(plotW-1) / float64(len(days)-1)))
			}
			row[min(col, plotW-1)] = []rune(c.glyph)[0]
			legend = append(legend, c.glyph+" "+c.text)
		}
		lines = append(lines, spaces(prefix)+string(row))
		const maxLegend = 4 // the most recent changes
		if len(legend) > maxLegend {
			legend = legend[len(legend)-maxLegend:]
		}
		for _, l := range legend {
			lines = append(lines, truncate(spaces(prefix)+l, w))
		}
	}
	for i, l := range lines {
		if textWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return lines
}

// rankLines summarise the rank history ("#1 since 2026-02-16 · best #1")
// and table the rank at the end of each week, most recent last.
func (d *detail) rankLines(v *model.ListingView, w int) []string {
	s := d.snap
	if !s.HasVolumes {
		msg := "Rank history needs token volumes (" + s.VolumesNote() + ")."
		if v.Rank > 0 {
			msg = "#" + strconv.Itoa(v.Rank) + " in the ranking order now"
			if v.PrevRank > 0 {
				msg += ", #" + strconv.Itoa(v.PrevRank) + " before"
			}
			msg += ". Rank history needs token volumes (" + s.VolumesNote() + ")."
		}
		return wrapIndent(msg, w, "  ")
	}
	// The ranks kept, with the days they were computed over: this
	// snapshot's, or the day before's while background brings these.
	switch {
	case d.ranks.has(s, v.ID):
	case d.ranks.done && d.ranks.id == v.ID:
		d.wantRanks = true
	default:
		d.ranks.of(s, v.ID)
		d.madeAt = d.draws
	}
	ranks, days := d.ranks.ranks, d.ranks.days
	n := min(len(ranks), len(days))
	if n == 0 || !anySeries(v.Series) {
		return []string{truncate("  never ranked in the retained history", w)}
	}
	last := ranks[n-1]
	var summary string
	if last == 0 {
		summary = "unranked now (no tokens in the last " + strconv.Itoa(s.Window) + " days)"
	} else {
		from := n - 1
		for from > 0 && ranks[from-1] == last {
			from--
		}
		summary = "#" + strconv.Itoa(last) + " since " + days[from].Format("2006-01-02")
		if from == 0 {
			summary += " (all the retained history)"
		}
	}
	best, bestDay := 0, -1
	for i, r := range ranks {
		if r > 0 && (best == 0 || r < best) {
			best, bestDay = r, i
		}
	}
	if best > 0 && best != last {
		summary += " · best #" + strconv.Itoa(best) + " on " + days[bestDay].Format("2006-01-02")
	}
	for i, r := range ranks {
		if r > 0 {
			if i > 0 {
				summary += " · first ranked " + days[i].Format("2006-01-02")
			}
			break
		}
	}
	lines := wrapIndent(summary, w, "  ")

	// One column per week, ending on the last retained day.
	const label, cell = 10, 7
	cols := max((w-label)/cell, 0)
	var idx []int
	for i := n - 1; i >= 0 && len(idx) < cols; i -= 7 {
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		return lines
	}
	var head, row strings.Builder
	head.WriteString(fitLeft("  week to", label))
	row.WriteString(fitLeft("  rank", label))
	for k := len(idx) - 1; k >= 0; k-- {
		i := idx[k]
		head.WriteString(fitRight(days[i].Format("01-02"), cell))
		r := "—"
		if ranks[i] > 0 {
			r = "#" + strconv.Itoa(ranks[i])
		}
		row.WriteString(fitRight(r, cell))
	}
	return append(lines, d.e.st.dim.s(head.String()), row.String())
}

func (d *detail) endpointLines(v *model.ListingView, w int) []string {
	st := d.e.st
	if len(v.Endpoints()) == 0 {
		return wrapIndent("No endpoint data: tokentape watches the endpoints of the leading listings only.", w, "  ")
	}
	type ep = model.Endpoint
	cols := []column[ep]{
		{title: "provider", min: 10, max: 24, prio: 1000, cell: func(e ep, _ int) string { return safe(e.Provider) }},
		{title: "quant", min: 5, max: 8, prio: 40, cell: func(e ep, _ int) string {
			if e.Quantization == "" {
				return "—"
			}
			return safe(e.Quantization)
		}},
		{title: "status", min: 14, max: 14, prio: 900, cell: func(e ep, _ int) string {
			if e.Degraded() {
				return "◐ deranked " + strconv.Itoa(int(e.Status))
			}
			return "● normal"
		}, paint: func(e ep) paint {
			if e.Degraded() {
				return st.warn
			}
			return st.good
		}},
		{title: "up 5m", min: 5, max: 5, right: true, prio: 800, cell: func(e ep, _ int) string { return units.Uptime(e.Uptime5m) }},
		{title: "30m", min: 5, max: 5, right: true, prio: 500, cell: func(e ep, _ int) string { return units.Uptime(e.Uptime30m) }},
		{title: "1d", min: 5, max: 5, right: true, prio: 600, cell: func(e ep, _ int) string { return units.Uptime(e.Uptime1d) }},
		{title: "p50 latency", min: 11, max: 11, right: true, prio: 300, cell: func(e ep, _ int) string { return units.Latency(e.LatencyP50) }},
		{title: "p50 tok/s", min: 9, max: 9, right: true, prio: 200, cell: func(e ep, _ int) string { return units.Throughput(e.ThroughputP50) }},
	}
	if d.e.stale.has(staleEndpoints) {
		for i := range cols[2:] {
			cols[2+i].markStale(nil) // past provider and quantization: the endpoints' figures
		}
	}
	widths, gap := layoutColumns(cols, w-2)
	lines := []string{"  " + tableHeader(cols, widths, gap, st)}
	for _, e := range v.Endpoints() {
		lines = append(lines, "  "+tableRow(cols, widths, gap, e, false, false, st))
	}
	if math.IsNaN(v.Endpoints()[0].LatencyP50) {
		note := "  uptime in percent; latency and throughput need OPENROUTER_API_KEY"
		if d.snap.Keyed() {
			note = "  uptime in percent; latency and throughput not reported"
		}
		lines = append(lines, st.dim.s(truncate(note, w)))
	}
	return lines
}

func (d *detail) alertLines(v *model.ListingView, w int) []string {
	st := d.e.st
	var lines []string
	for _, a := range d.snap.Alerts {
		if a.Subject != v.ID {
			continue
		}
		pt := st.severity(a.Severity)
		switch {
		case a.State == model.AlertResolved:
			pt = st.dim
		case pt == paint{}:
			pt = st.bold
		}
		head := a.State.String() + " " + a.Severity.String() + " " + string(a.Kind) + " · since " +
			a.Since.UTC().Format("2006-01-02 15:04")
		if a.Acked {
			head += " · acknowledged"
		}
		lines = append(lines, "  "+pt.s(truncate(head, max(w-2, 1))))
		lines = append(lines, wrapIndent(safe(a.Message), w, "    ")...)
	}
	if len(lines) == 0 {
		return []string{st.dim.s(truncate("  no alerts about this listing", w))}
	}
	return lines
}

// qualityLines are the listing's AA indexes with their source and as-of
// date (and how they were derived, when not as published), its value for
// the workload, and the intelligence index's history, one line per AA scale:
// values from either side of a re-scaling are never joined.
func (d *detail) qualityLines(v *model.ListingView, w int) []string {
	ix := v.Indexes()
	f := func(k model.IndexKind) string {
		if x, ok := ix.Get(k); ok {
			return strconv.FormatFloat(x, 'f', 1, 64)
		}
		return "—"
	}
	lines := []string{truncate("  intelligence "+f(model.IndexIntelligence)+" · coding "+f(model.IndexCoding)+
		" · agentic "+f(model.IndexAgentic), w)}
	src := "  from " + safe(ix.Source)
	if !ix.AsOf.IsZero() {
		src += ", as of " + ix.AsOf.UTC().Format("2006-01-02") + " (" + model.IndexScale(model.IndexIntelligence, ix.AsOf) + ")"
	}
	lines = append(lines, truncate(src, w))
	if ix.Note != "" {
		lines = append(lines, wrapIndent(safe(ix.Note), w, "  ")...)
	}
	work := d.e.workload
	if work.Validate() != nil {
		work = model.DefaultWorkload()
	}
	val := work.Value(*v.Listing(), model.IndexIntelligence)
	switch val.Kind {
	case model.ValuePaid:
		lines = append(lines, truncate("  value "+valueCell(val)+" index points per $ a day of "+workloadText(work)+
			" ("+units.Money(val.PerDay)+"/day)", w))
	case model.ValueFree:
		lines = append(lines, truncate("  free: no value figure (nothing to divide by)", w))
	case model.ValueVariable:
		lines = append(lines, truncate("  variable price: no value figure", w))
	}
	for _, seg := range model.IndexSegments(v.IndexHistory(), model.IndexIntelligence) {
		var parts []string
		for _, p := range seg {
			if x, ok := p.Indexes.Get(model.IndexIntelligence); ok {
				part := strconv.FormatFloat(x, 'f', 1, 64) + " (" + p.Indexes.AsOf.UTC().Format("01-02") + ")"
				if len(parts) == 0 || parts[len(parts)-1] != part { // a note that went is no change of figure
					parts = append(parts, part)
				}
			}
		}
		if len(parts) > 1 {
			lines = append(lines, truncate("  "+model.IndexScale(model.IndexIntelligence, seg[0].Indexes.AsOf)+": "+
				strings.Join(parts, " → "), w))
		}
	}
	return lines
}
