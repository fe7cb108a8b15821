package ui

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// DefaultInputShare is the default share of input tokens in a blended price
// (3:1 input:output).
const DefaultInputShare = 0.75

// priceSorts are the Prices tab's sorts, cycled by s.
// "value" (index points per dollar a day of the planner's workload, best
// first) and "index" (AA intelligence, highest first) rank only listings
// that have an index; the rest follow by name. "changed" puts the latest
// price changes first (from the history the market keeps); listings whose
// price never changed follow by name.
var priceSorts = []string{"blended", "in", "out", "name", "value", "index", "changed"}

// priceGroup partitions the Prices tab: only paid listings are ranked; free
// listings, variable-priced routers and listings without a price yet are
// shown apart, after them.
type priceGroup uint8

const (
	groupPaid priceGroup = iota
	groupFree
	groupVariable
	groupUnknown
)

var groupTitles = map[priceGroup]string{
	groupFree:     "free · not ranked",
	groupVariable: "variable price (routers pick the model) · not ranked",
	groupUnknown:  "no price yet",
}

func groupOf(p model.Price) priceGroup {
	switch p.Kind {
	case model.PricePaid:
		return groupPaid
	case model.PriceFree:
		return groupFree
	case model.PriceVariable:
		return groupVariable
	}
	return groupUnknown
}

// prices is tab 3: list prices per million tokens, a blended price and the
// multiple against a reference listing.
type prices struct {
	tabBase[pricesState]
	list listCtl
	plan *planner    // the cost planner, shown instead of the price list while planOn
	open key.Binding // c opens the planner
	// planOn is true while the planner is open (c toggles it).
	planOn bool
	// frontierOn shows the quality-against-cost scatter instead of the
	// list (v toggles it).
	frontierOn bool
	frontier   key.Binding
	work       model.Workload // the workload the rows' value order was built for
	hasIndex   bool           // some listing carries an AA index: show the index and value columns

	rows     []*model.ListingView // selectable rows: paid (sorted), then free, variable, unknown
	lines    []int                // per display line: index into rows, or -1-group for a group title
	rowLine  []int                // rows[i]'s display line
	rank     []int                // rows[i]'s place among the paid listings; 0 when unranked
	rowsKey  rowsKey
	aliases  int     // aliases hidden (they repeat their target's price)
	ref      float64 // the reference's blended price; NaN when it has none
	refName  string
	counts   [4]int // per group
	keyed    []keyedRow
	groups   [4][]*model.ListingView // per group, reused from one snapshot to the next
	paidAt   []int                   // the paid rows' places in the snapshot's listings
	last     []lastRow               // the paid rows in the order of the last sort
	lastSort int                     // the sort last applied
}

// lastOrder fills p.keyed with the paid rows in the order of the last sort,
// and reports whether that order still holds: the same listings, still
// sorted. It is O(n) with neither map look-ups nor name comparisons while
// every row keeps its key and name (a new day of usage moves no price),
// where a sort is O(n log n) comparisons of names. At 10,000 listings the
// look-ups by id and the check by name cost 2.5 ms a snapshot.
func (p *prices) lastOrder(paid int, keyOf func(*model.ListingView) float64,
	match func(*model.ListingView) bool, byKey func(a, b keyedRow) int) bool {
	if len(p.last) != paid || paid == 0 {
		return false
	}
	all := p.snap.Listings
	same := p.lastSort == p.list.sort
	p.keyed = p.keyed[:0]
	for _, r := range p.last {
		if r.at >= len(all) {
			return false
		}
		v := &all[r.at]
		if v.ID != r.id || v.AliasOf != "" || groupOf(v.Price) != groupPaid || !match(v) {
			return false
		}
		k := keyOf(v)
		if k != r.key || v.Name != r.name {
			same = false
		}
		p.keyed = append(p.keyed, keyedRow{k, v, r.at})
	}
	// The same count of distinct places, each holding one of the paid rows:
	// the same set. Unchanged keys and names keep their order; otherwise
	// whether it is still in order:
	return same || slices.IsSortedFunc(p.keyed, byKey)
}

// keyedRow is a listing with its sort key, computed once per sort, and its
// place in the snapshot's listings.
type keyedRow struct {
	key float64
	v   *model.ListingView
	at  int
}

// lastRow is a paid row as the last sort saw it.
type lastRow struct {
	at       int // place in the snapshot's listings
	id, name string
	key      float64
}

// pricesState is what the price list's frame shows besides the snapshot.
type pricesState struct {
	list     listState
	ref      string
	work     model.Workload
	frontier bool
}

func newPrices(e *env) *prices {
	return &prices{tabBase: tabBase[pricesState]{e: e}, list: newListCtl(len(priceSorts)), plan: newPlanner(e),
		open:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "cost planner")),
		frontier: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "value frontier"))}
}

// Title implements Tab.
func (p *prices) Title() string { return "Prices" }

// SetSnapshot implements Tab.
func (p *prices) SetSnapshot(s *model.Snapshot) { p.snap, p.plan.snap = s, s }

// SetSize implements Tab.
func (p *prices) SetSize(w, h int) { p.w, p.h, p.plan.w, p.plan.h = w, h, w, h }

// Capturing implements Tab.
func (p *prices) Capturing() bool {
	if p.planOn {
		return p.plan.capturing()
	}
	return p.list.typing
}

// Help implements Tab.
func (p *prices) Help() ([]key.Binding, [][]key.Binding) {
	if p.planOn {
		return p.plan.help()
	}
	return p.list.help(p.open, p.frontier)
}

// Selected implements Selector.
func (p *prices) Selected() (string, bool) {
	if p.planOn {
		return p.plan.selected()
	}
	if p.list.sel < len(p.rows) {
		return p.rows[p.list.sel].ID, true
	}
	return "", false
}

// Update implements Tab.
func (p *prices) Update(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(workloadSavedMsg); ok {
		p.plan.saved(m) // whether or not the planner is still open
		return nil
	}
	if p.planOn {
		cmd, closed := p.plan.update(msg)
		if closed {
			p.planOn = false
		}
		return cmd
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		if p.list.typing {
			var cmd tea.Cmd
			p.list.input, cmd = p.list.input.Update(msg)
			return cmd
		}
		return nil
	}
	if !p.list.typing && key.Matches(km, p.open) {
		p.planOn = true
		p.plan.sync()
		return nil
	}
	if !p.list.typing && key.Matches(km, p.frontier) {
		p.frontierOn = !p.frontierOn
		return nil
	}
	if p.frontierOn && km.String() == "esc" {
		p.frontierOn = false
		return nil
	}
	u := p.list.update(km, len(p.rows), p.pageLines(), func(i int) string { return p.rows[i].ID })
	if u.refilter {
		p.sync()
	}
	return u.cmd
}

func (p *prices) pageLines() int { return max(p.h-2, 0) }

func (p *prices) inShare() float64 {
	s := p.e.opts.InputShare
	if s <= 0 || s >= 1 || math.IsNaN(s) {
		return DefaultInputShare
	}
	return s
}

// sync brings the rows of what the tab shows (the price list, or the
// planner while it is open) up to date.
func (p *prices) sync() {
	if p.planOn {
		p.plan.sync()
		return
	}
	p.syncList()
}

// syncList recomputes rows, groups and the reference when their inputs
// changed.
func (p *prices) syncList() {
	k := rowsKey{keyOf(p.snap), p.list.sort, p.list.origin, p.list.filter}
	if k == p.rowsKey && p.rows != nil && p.work == p.e.workload {
		return
	}
	p.rowsKey, p.work = k, p.e.workload
	p.hasIndex = false
	p.rows, p.lines, p.rowLine, p.rank = p.rows[:0], p.lines[:0], p.rowLine[:0], p.rank[:0]
	p.aliases, p.counts = 0, [4]int{}
	p.ref, p.refName = math.NaN(), ""
	if p.snap == nil {
		return
	}
	in := p.inShare()
	refID := p.e.opts.Reference
	if refID == "" {
		refID = model.DefaultReference
	}
	if r, ok := p.snap.Listing(refID); ok {
		p.refName = displayName(safe(r.Name))
		p.ref = r.Price.Blended(in)
	}
	match := p.list.matcher()
	groups := &p.groups
	for g := range groups {
		groups[g] = groups[g][:0]
	}
	p.paidAt = p.paidAt[:0]
	for i := range p.snap.Listings {
		v := &p.snap.Listings[i]
		if v.AliasOf != "" {
			p.aliases++
			continue
		}
		if v.Indexes.Has() {
			p.hasIndex = true
		}
		if !match(v) {
			continue
		}
		g := groupOf(v.Price)
		groups[g] = append(groups[g], v)
		if g == groupPaid {
			p.paidAt = append(p.paidAt, i)
		}
	}
	paid := groups[groupPaid]
	var keyOf func(v *model.ListingView) float64
	switch priceSorts[p.list.sort] {
	case "blended":
		keyOf = func(v *model.ListingView) float64 { return v.Price.Blended(in) }
	case "in":
		keyOf = func(v *model.ListingView) float64 { return v.Price.In }
	case "out":
		keyOf = func(v *model.ListingView) float64 { return v.Price.Out }
	}
	if keyOf != nil {
		// One sort, by price then name, on the keys computed once, and
		// skipped when the rows arrive in the order of the last sort (a new
		// day of usage moves no price). Sorting by name and then stably by
		// price did twice the work on every snapshot.
		byKey := func(a, b keyedRow) int {
			if c := cmp.Compare(a.key, b.key); c != 0 {
				return c
			}
			return compareByName(a.v, b.v)
		}
		if !p.lastOrder(len(paid), keyOf, match, byKey) {
			p.keyed = p.keyed[:0]
			for i, v := range paid {
				p.keyed = append(p.keyed, keyedRow{keyOf(v), v, p.paidAt[i]})
			}
			slices.SortFunc(p.keyed, byKey)
		}
		p.last, p.lastSort = p.last[:0], p.list.sort
		for i, r := range p.keyed {
			paid[i] = r.v
			p.last = append(p.last, lastRow{r.at, r.v.ID, r.v.Name, r.key})
		}
	} else {
		sortByName(paid)
	}
	switch priceSorts[p.list.sort] {
	case "value":
		w := p.workload()
		slices.SortStableFunc(paid, func(a, b *model.ListingView) int {
			va, vb := w.Value(a.Listing, model.IndexIntelligence), w.Value(b.Listing, model.IndexIntelligence)
			switch {
			case va.Better(vb):
				return -1
			case vb.Better(va):
				return 1
			}
			return 0
		})
	case "changed":
		slices.SortStableFunc(paid, func(a, b *model.ListingView) int {
			return b.LastPriceChange().Compare(a.LastPriceChange())
		})
	case "index":
		slices.SortStableFunc(paid, func(a, b *model.ListingView) int {
			ia, oka := a.Indexes.Get(model.IndexIntelligence)
			ib, okb := b.Indexes.Get(model.IndexIntelligence)
			switch {
			case oka != okb && oka:
				return -1
			case oka != okb:
				return 1
			}
			return cmp.Compare(ib, ia)
		})
	}
	for g := groupPaid; g <= groupUnknown; g++ {
		rows := groups[g]
		p.counts[g] = len(rows)
		if len(rows) == 0 {
			continue
		}
		if g != groupPaid {
			sortByName(rows)
			p.lines = append(p.lines, -1-int(g))
		}
		for i, v := range rows {
			r := 0
			if g == groupPaid && priceSorts[p.list.sort] != "name" {
				r = i + 1
			}
			p.rank = append(p.rank, r)
			p.rowLine = append(p.rowLine, len(p.lines))
			p.lines = append(p.lines, len(p.rows))
			p.rows = append(p.rows, v)
		}
	}
	p.list.reselect(len(p.rows), func(i int) string { return p.rows[i].ID })
}

// workload is the planner's workload, or the default when it has none.
func (p *prices) workload() model.Workload {
	if p.e.workload.Validate() != nil {
		return model.DefaultWorkload()
	}
	return p.e.workload
}

// qualityColumns are the AA intelligence index and the value (index points
// per dollar a day of the workload) beside the prices.
func (p *prices) qualityColumns() []listingColumn {
	w := p.workload()
	return []listingColumn{
		{title: "AA idx", min: 6, max: 6, right: true, prio: 85, cell: func(v *model.ListingView, _ int) string { return indexCell(v.Indexes) }},
		{title: "pts/$day", min: 8, max: 8, right: true, prio: 84, cell: func(v *model.ListingView, _ int) string {
			return valueCell(w.Value(v.Listing, model.IndexIntelligence))
		}},
	}
}

// indexCell writes a listing's AA intelligence index, or "" without one.
func indexCell(ix model.Indexes) string {
	if v, ok := ix.Get(model.IndexIntelligence); ok {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return ""
}

// valueCell writes index points per dollar a day, or says why there is no
// figure (free, variable price), never dividing by zero.
func valueCell(v model.Value) string {
	switch v.Kind {
	case model.ValuePaid:
		switch {
		case v.Points >= 100:
			return strconv.FormatFloat(v.Points, 'f', 0, 64)
		case v.Points >= 10:
			return strconv.FormatFloat(v.Points, 'f', 1, 64)
		}
		return strconv.FormatFloat(v.Points, 'f', 2, 64)
	case model.ValueFree:
		return "free"
	case model.ValueVariable:
		return "var"
	}
	return ""
}

func (p *prices) columns() []listingColumn {
	st := p.e.st
	in := p.inShare()
	refID := p.e.opts.Reference
	if refID == "" {
		refID = model.DefaultReference
	}
	// A row's rank, found from where the last one was: a page asks for
	// its rows in order, so this is O(1) a cell where a map of every row's
	// rank cost 10,000 insertions (280 KB) a frame at 10,000 listings.
	hint := 0
	rankOf := func(v *model.ListingView) int {
		for k, n := 0, len(p.rows); k < n; k++ {
			if j := (hint + k) % n; p.rows[j] == v {
				hint = j
				return p.rank[j]
			}
		}
		return 0
	}
	blend := "blend " + blendLabel(in)
	cols := []listingColumn{
		{title: "#", min: 3, max: 3, right: true, prio: 1000, cell: func(v *model.ListingView, _ int) string {
			if r := rankOf(v); r > 0 {
				return strconv.Itoa(r)
			}
			return ""
		}},
		{title: "name", min: 16, max: 40, prio: 1000, cell: func(v *model.ListingView, _ int) string { return nameCell(v) }},
		{title: "author", min: 10, max: 16, prio: 20, cell: func(v *model.ListingView, _ int) string { return safe(v.Author) }},
		{title: "orig", min: 5, max: 5, prio: 60, cell: func(v *model.ListingView, _ int) string { return originCell(v.Origin) },
			paint: func(v *model.ListingView) paint { return st.origin[v.Origin] }},
		{title: "in $/M", min: 8, max: 8, right: true, prio: 90, cell: func(v *model.ListingView, _ int) string { return priceCell(v.Price, v.Price.In) }},
		{title: "out $/M", min: 8, max: 8, right: true, prio: 90, cell: func(v *model.ListingView, _ int) string { return priceCell(v.Price, v.Price.Out) }},
		{title: "cache $/M", min: 9, max: 9, right: true, prio: 50, cell: func(v *model.ListingView, _ int) string {
			if v.Price.HasCacheRead() {
				return units.USD(v.Price.CacheRead)
			}
			if v.Price.Kind == model.PricePaid {
				return "—"
			}
			return "" // free and variable say so in the other columns
		}},
		{title: blend, min: 9, max: 9, right: true, prio: 80, cell: func(v *model.ListingView, _ int) string {
			if v.Price.Rankable() {
				return units.USD(v.Price.Blended(in))
			}
			return priceCell(v.Price, 0)
		}},
		{title: "vs ref", min: 13, max: 13, right: true, prio: 70, cell: func(v *model.ListingView, _ int) string {
			if v.ID == refID {
				return "reference"
			}
			if !v.Price.Rankable() {
				return ""
			}
			m, _ := multiple(v.Price.Blended(in), p.ref)
			return m
		}, paint: func(v *model.ListingView) paint {
			if v.ID == refID || !v.Price.Rankable() || math.IsNaN(p.ref) {
				return st.bold
			}
			if v.Price.Blended(in) < p.ref {
				return st.up
			}
			return st.down
		}},
	}
	if p.hasIndex {
		cols = append(cols, p.qualityColumns()...)
	}
	if p.e.stale.has(staleCatalogue) {
		for i := range cols {
			if cols[i].title != "name" && cols[i].title != "author" && cols[i].title != "orig" && cols[i].title != "#" {
				cols[i].stale = true // every price figure comes from the catalogue
			}
		}
	}
	return cols
}

// View implements Tab.
func (p *prices) View() string {
	if p.planOn {
		return p.plan.view()
	}
	if p.frontierOn {
		return p.frame(pricesState{p.list.state(), p.e.opts.Reference, p.e.workload, true}, p.renderFrontier)
	}
	return p.frame(pricesState{p.list.state(), p.e.opts.Reference, p.e.workload, false}, p.render)
}

func (p *prices) render() string {
	st := p.e.st
	if p.snap == nil {
		return "\n  waiting for data…"
	}
	var lines []string
	if p.list.typing {
		lines = append(lines, p.list.inputView(p.w))
	} else {
		order := " (cheapest first) · "
		switch priceSorts[p.list.sort] {
		case "value":
			order = " (most index per $ first) · "
		case "index":
			order = " (highest AA index first) · "
		}
		status := "sort " + priceSorts[p.list.sort] + order + p.list.statusFilters() + " · "
		if math.IsNaN(p.ref) {
			ref := p.e.opts.Reference
			if ref == "" {
				ref = model.DefaultReference
			}
			status += "reference " + safe(ref) + " has no price"
		} else {
			status += "vs " + p.refName + " " + units.USD(p.ref) + " blended"
		}
		status += " · " + strconv.Itoa(p.counts[groupPaid]) + " priced"
		if n := p.counts[groupFree]; n > 0 {
			status += ", " + strconv.Itoa(n) + " free"
		}
		if n := p.counts[groupVariable]; n > 0 {
			status += ", " + strconv.Itoa(n) + " variable"
		}
		switch {
		case p.aliases == 1:
			status += " · 1 alias hidden"
		case p.aliases > 1:
			status += " · " + strconv.Itoa(p.aliases) + " aliases hidden"
		}
		lines = append(lines, st.dim.s(truncate(status, p.w)))
	}
	if len(p.snap.Listings) == 0 {
		return strings.Join(append(lines, "", "  no listings yet"), "\n")
	}
	g := groupedTable{cols: p.columns(), rows: p.rows, lines: p.lines, rowLine: p.rowLine, titles: groupTitles}
	return g.render(lines, p.w, p.pageLines(), &p.list, st)
}

// groupedTable is a listing table whose rows fall in groups shown apart
// under a rule (paid, free, variable...): the Prices tab and the planner.
type groupedTable struct {
	cols    []listingColumn
	rows    []*model.ListingView
	lines   []int // per screen line: a row index, or -1-group for a group's rule
	rowLine []int // per row: its screen line
	titles  map[priceGroup]string
}

// render appends the header and one page of the table (page lines, scrolled
// to the selection) to lines and joins them.
func (g groupedTable) render(lines []string, width, page int, list *listCtl, st *styles) string {
	widths, gap := layoutColumns(g.cols, width-1) // one cell for the selection mark
	lines = append(lines, " "+tableHeader(g.cols, widths, gap, st))
	if len(g.rows) == 0 {
		return strings.Join(append(lines, "  no listings match (esc clears)"), "\n")
	}
	page = max(page, 0)
	selLine := 0
	if list.sel < len(g.rowLine) {
		selLine = g.rowLine[list.sel]
	}
	list.scroll(selLine, page, len(g.lines))
	tw := tableWidth(widths, gap)
	end := min(list.off+page, len(g.lines))
	for li := list.off; li < end; li++ {
		r := g.lines[li]
		if r < 0 {
			title := " " + g.titles[priceGroup(-1-r)] + " "
			rule := "──" + title + strings.Repeat("─", max(tw-textWidth(title)-2, 0))
			lines = append(lines, " "+st.dim.s(truncate(rule, tw)))
			continue
		}
		sel := r == list.sel
		mark := " "
		if sel {
			mark = "›"
		}
		lines = append(lines, mark+tableRow(g.cols, widths, gap, g.rows[r], sel, false, st))
	}
	return strings.Join(lines, "\n")
}
