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
	"github.com/tokentape/tokentape/ui/internal/resort"
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

	groupLayout // selectable rows: paid (sorted), then free, variable, unknown
	rowsKey     rowsKey
	aliases     int     // aliases hidden (they repeat their target's price)
	ref         float64 // the reference's blended price; NaN when it has none
	refName     string
	keyed       []keyedRow              // the paid rows with their sort keys, in the snapshot's order, then sorted
	groups      [4][]*model.ListingView // per group, reused from one snapshot to the next
	last        []lastRow               // the paid rows the last sort saw, in the snapshot's order
	order       []int32                 // the last sort's order, as indexes into last
	sorted      []keyedRow              // scratch for lastOrder
	moved       []int32                 // the paid rows whose key or name moved since the last sort (see paidRow)
	isMoved     []bool                  // per paid row: in moved; scratch for lastOrder
	kept        []int32                 // the rows that did not move, in the last order; scratch for lastOrder
	msorted     []int32                 // the moved rows, sorted; scratch for lastOrder
	morder      []int32                 // the next order; scratch for lastOrder
	usd         usdMemo                 // the price cells' texts
	// lastSet and lastSame say, while syncList walks the listings, whether
	// the paid rows so far are those the last sort saw at the same places
	// (set), and with the same keys and names (same).
	lastSet, lastSame bool
	lastSort          int // the sort last applied
	byValue           valueOrder
	size              bodySize // the last body's, for the next one's room
}

// valueOrder orders the paid rows by value, best first, ties in their
// order by name, keeping the last order: when the rows are those it last
// ordered (the same ids at the same places in the snapshot) under the same
// workload, the rows whose value and name did not move stay in that order,
// still sorted, and the moved ones (a poll that repriced a few) are sorted
// and merged in. Computing and sorting 10,000 values on every snapshot was
// most of a rebuild sorted by value; so was reading each row's id and
// value back from its 568-byte view in a second pass, so the values are
// computed in syncList's one pass over the listings (see add) and kept by
// the rows' places among the paid rows in the snapshot's order, which is
// what the order holds too.
type valueOrder struct {
	work  model.Workload
	vals  []model.Value // the values last ordered, by place in the snapshot
	order []int32       // the last order, as places in the snapshot
	// scratch
	next  []model.Value // this sort's values, by place in the snapshot (see add)
	pos   []int32       // per place: its rank in the name order, the ties' order
	views []*model.ListingView
	moved []int32
	mark  []bool
	out   []int32
	kept  []int32
}

// add computes the value of the next paid row in the snapshot's order,
// while syncList has its listing in the cache.
func (o *valueOrder) add(v *model.ListingView, w model.Workload) {
	o.next = append(o.next, w.ValueOfView(v, model.IndexIntelligence))
}

// sort orders rows, the paid rows in name order (rows[k] is keyed[k].v,
// keyed[k].j its place in the snapshot's order, whose value add computed),
// by value under w. same says that the rows are at the places they were at
// the last sort (the same ids); renamed lists the places whose name moved,
// which may move them among equal values.
func (o *valueOrder) sort(rows []*model.ListingView, keyed []keyedRow, w model.Workload, same bool, renamed []int32) {
	n := len(rows)
	next := o.next
	same = same && o.work == w && len(next) == n && len(o.vals) == n && len(o.order) == n
	o.work = w
	if cap(o.mark) < n {
		o.mark = make([]bool, n)
		o.pos = make([]int32, n)
		o.views = make([]*model.ListingView, n)
	}
	mark, pos, views := o.mark[:n], o.pos[:n], o.views[:n]
	for k, r := range keyed {
		pos[r.j], views[r.j] = int32(k), r.v
	}
	moved := o.moved[:0]
	if same {
		for i := range next {
			if !sameBits(o.vals[i], next[i]) {
				mark[i] = true
				moved = append(moved, int32(i))
			}
		}
		for _, i := range renamed {
			if !mark[i] {
				mark[i] = true
				moved = append(moved, i)
			}
		}
	}
	// Better, then the name order: a total order, so the merge gives what
	// a full sort would. The rows that kept their values and names keep
	// their order among themselves, in values and in names.
	compare := func(a, b int32) int {
		switch {
		case next[a].Better(next[b]):
			return -1
		case next[b].Better(next[a]):
			return 1
		}
		return cmp.Compare(pos[a], pos[b])
	}
	out := o.out[:0]
	if same && len(moved) <= n/8 {
		o.kept = resort.Kept(o.kept[:0], o.order, mark)
		out = resort.Merge(out, o.kept, moved, compare)
	} else {
		for i := range n {
			out = append(out, int32(i))
		}
		slices.SortFunc(out, compare)
	}
	clear(mark)
	o.vals, o.next = next, o.vals[:0]
	o.order, o.out, o.moved = out, o.order, moved
	for k, i := range out {
		rows[k] = views[i]
	}
}

// sameBits reports whether two values are the same bit for bit: cheaper
// than comparing NaN-aware, and a NaN with other bits or a zero of the
// other sign only makes a row count as moved, which costs a merge, not the
// order.
func sameBits(a, b model.Value) bool {
	return a.Kind == b.Kind && math.Float64bits(a.Points) == math.Float64bits(b.Points) &&
		math.Float64bits(a.Index) == math.Float64bits(b.Index) && math.Float64bits(a.PerDay) == math.Float64bits(b.PerDay)
}

// paidRow adds a paid row and its key to p.keyed and checks it against
// the row the last sort saw at its place in the snapshot's order (see
// lastOrder), while the listing is still in the cache.
func (p *prices) paidRow(v *model.ListingView, at int, key float64) {
	j := len(p.keyed)
	p.keyed = append(p.keyed, keyedRow{key: key, v: v, at: at, j: int32(j)})
	if j == len(p.last) {
		p.last = append(p.last, lastRow{at, v.ID, v.Name, key})
		p.lastSet = false
		return
	}
	// Only what moved is written back: most rows keep theirs.
	switch l := &p.last[j]; {
	case l.at != at || l.id != v.ID:
		p.lastSet = false
		*l = lastRow{at, v.ID, v.Name, key}
	case l.key != key || l.name != v.Name:
		p.lastSame = false
		p.moved = append(p.moved, int32(j))
		*l = lastRow{at, v.ID, v.Name, key}
	}
}

// lastOrder sorts p.keyed, the paid rows with their keys in the snapshot's
// order, reusing the last sort's order when the rows are those it sorted
// (paidRow compared them in one pass: the same places, ids, keys and
// names, as after a new day of usage, which moves no price). When only
// keys or names moved, the last order is kept if it is still sorted.
// Sorting 10,000 rows by price and name on every snapshot cost
// milliseconds, and looking them up in the last sort's order a cache miss
// a row.
//
// When the rows are the same and a few keys or names moved (a poll that
// repriced a few listings), the rows that kept theirs stay in the last
// order, which is still sorted for them; only the moved ones are sorted
// and merged in: n plus k log k instead of n log n comparisons.
func (p *prices) lastOrder(byKey func(a, b keyedRow) int) {
	keyed := p.keyed
	set := p.lastSet && len(p.last) == len(keyed) && len(p.order) == len(keyed)
	p.last = p.last[:len(keyed)]
	moved := p.moved
	p.moved = p.moved[:0]
	if set {
		// The same rows: put them in the last order, which holds when
		// nothing it depends on moved, and otherwise may still.
		p.sorted = p.sorted[:0]
		if p.lastSame {
			for _, j := range p.order {
				p.sorted = append(p.sorted, keyed[j])
			}
			p.keyed, p.sorted = p.sorted, keyed
			return
		}
		if len(moved) <= len(keyed)/8 {
			p.mergeMoved(byKey, moved)
			return
		}
	}
	for j := range keyed {
		keyed[j].j = int32(j)
	}
	slices.SortFunc(keyed, byKey)
	p.order = p.order[:0]
	for _, r := range keyed {
		p.order = append(p.order, r.j)
	}
}

// mergeMoved orders p.keyed (the rows the last sort saw, in its order in
// p.order) when only the rows in moved changed their keys or names: the
// others, in the last order, are still sorted; the moved ones are sorted
// alone and merged in. The result is the order a full sort gives, since
// byKey is a total order (ids are unique).
func (p *prices) mergeMoved(byKey func(a, b keyedRow) int, moved []int32) {
	keyed := p.keyed
	if cap(p.isMoved) < len(keyed) {
		p.isMoved = make([]bool, len(keyed))
	}
	isMoved := p.isMoved[:len(keyed)]
	for _, j := range moved {
		isMoved[j] = true
	}
	p.kept = resort.Kept(p.kept[:0], p.order, isMoved)
	for _, j := range moved {
		isMoved[j] = false
	}
	// A copy: the caller reads moved again (the value sort's renamed rows).
	p.msorted = append(p.msorted[:0], moved...)
	order := resort.Merge(p.morder[:0], p.kept, p.msorted, func(a, b int32) int { return byKey(keyed[a], keyed[b]) })
	out := p.sorted[:0]
	for _, j := range order {
		out = append(out, keyed[j])
	}
	p.order, p.morder = order, p.order
	p.keyed, p.sorted = out, keyed
}

// keyedRow is a listing with its sort key, computed once per sort, its
// place in the snapshot's listings and its place j among the paid rows.
type keyedRow struct {
	key float64
	v   *model.ListingView
	at  int
	j   int32
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
		return p.list.other(msg)
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
	p.groupLayout.reset()
	p.aliases = 0
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
	// The paid rows are ordered by one sort on keys computed once: by
	// price then name, or by name alone (the other sorts reorder that
	// stably), reusing the last sort's order when its rows are unchanged.
	var keyOf func(v *model.ListingView) float64
	switch priceSorts[p.list.sort] {
	case "blended":
		keyOf = func(v *model.ListingView) float64 { return v.Price.Blended(in) }
	case "in":
		keyOf = func(v *model.ListingView) float64 { return v.Price.In }
	case "out":
		keyOf = func(v *model.ListingView) float64 { return v.Price.Out }
	default:
		keyOf = func(*model.ListingView) float64 { return 0 }
	}
	match := p.list.matcher()
	groups := &p.groups
	for g := range groups {
		groups[g] = groups[g][:0]
	}
	p.keyed = p.keyed[:0]
	p.lastSet, p.lastSame, p.moved = p.lastSort == p.list.sort, true, p.moved[:0]
	byValue, work := priceSorts[p.list.sort] == "value", p.workload()
	p.byValue.next = p.byValue.next[:0]
	for i := range p.snap.Listings {
		v := &p.snap.Listings[i]
		if v.Alias {
			p.aliases++
			continue
		}
		if !p.hasIndex && v.Indexed && v.Indexes().Source != "" {
			p.hasIndex = true
		}
		if !match(v) {
			continue
		}
		g := groupOf(v.Price)
		if g == groupPaid {
			p.paidRow(v, i, keyOf(v))
			if byValue {
				p.byValue.add(v, work)
			}
			continue
		}
		groups[g] = append(groups[g], v)
	}
	// The rows renamed since the last sort (with the value sort's key,
	// the same for every row, only names move it); lastOrder reads but
	// keeps them.
	renamed, same := p.moved, p.lastSet && len(p.last) == len(p.keyed)
	p.lastOrder(func(a, b keyedRow) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return compareByName(a.v, b.v)
	})
	p.lastSort = p.list.sort
	paid := groups[groupPaid]
	for _, r := range p.keyed {
		paid = append(paid, r.v)
	}
	groups[groupPaid] = paid
	switch priceSorts[p.list.sort] {
	case "value":
		p.byValue.sort(paid, p.keyed, work, same, renamed)
	case "changed":
		sortStableBy(paid, (*model.ListingView).LastPriceChange, func(a, b time.Time) int { return b.Compare(a) })
	case "index":
		type index struct {
			v  float64
			ok bool
		}
		sortStableBy(paid, func(v *model.ListingView) index {
			x, ok := v.Indexes().Get(model.IndexIntelligence)
			return index{x, ok}
		}, func(a, b index) int {
			switch {
			case a.ok != b.ok && a.ok:
				return -1
			case a.ok != b.ok:
				return 1
			}
			return cmp.Compare(b.v, a.v)
		})
	}
	ranked := priceSorts[p.list.sort] != "name"
	for g := groupPaid; g <= groupUnknown; g++ {
		rows := groups[g]
		if g != groupPaid {
			sortByName(rows)
		}
		p.place(g, len(rows), g == groupPaid && ranked)
		p.rows = append(p.rows, rows...)
	}
	p.list.reselect(len(p.rows), func(i int) string { return p.rows[i].ID })
}

// groupLayout lays the rows of a price list (Prices, the cost planner) out
// on display lines by price group: the paid rows first, then each other
// group under a title line.
type groupLayout struct {
	rows    []*model.ListingView // selectable rows, group by group
	lines   []int                // per display line: index into rows, or -1-group for a group title
	rowLine []int                // rows[i]'s display line
	rank    []int                // rows[i]'s place among the paid listings; 0 when unranked
	counts  [4]int               // rows per priceGroup
}

// reset empties the layout, keeping its buffers.
func (l *groupLayout) reset() {
	l.rows, l.lines, l.rowLine, l.rank = l.rows[:0], l.lines[:0], l.rowLine[:0], l.rank[:0]
	l.counts = [4]int{}
}

// place lays out the lines of group g's n rows after those placed so far: a
// title line unless g is the paid group (or empty), then a line a row,
// ranked 1, 2… when ranked. The caller then appends the n rows to rows.
func (l *groupLayout) place(g priceGroup, n int, ranked bool) {
	l.counts[g] = n
	if n == 0 {
		return
	}
	if g != groupPaid {
		l.lines = append(l.lines, -1-int(g))
	}
	for i := range n {
		r := 0
		if ranked {
			r = i + 1
		}
		l.rank = append(l.rank, r)
		l.rowLine = append(l.rowLine, len(l.lines))
		l.lines = append(l.lines, len(l.rows)+i)
	}
}

// sortStableBy orders rows stably by a key computed once a row: comparing
// keys computed in each comparison (Workload.Value copies the Listing)
// cost O(n log n) of them on every snapshot, 10,000 listings deep. The
// places before the sort break ties, which is what a stable sort keeps.
func sortStableBy[K any](rows []*model.ListingView, key func(*model.ListingView) K, compare func(a, b K) int) {
	type keyed struct {
		k  K
		at int
		v  *model.ListingView
	}
	ks := make([]keyed, len(rows))
	for i, v := range rows {
		ks[i] = keyed{key(v), i, v}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := compare(a.k, b.k); c != 0 {
			return c
		}
		return cmp.Compare(a.at, b.at)
	})
	for i := range ks {
		rows[i] = ks[i].v
	}
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
		{title: "AA idx", min: 6, max: 6, right: true, prio: 85, cell: func(v *model.ListingView, _ int) string { return indexCell(v.Indexes()) }},
		{title: "pts/$day", min: 8, max: 8, right: true, prio: 84, cell: func(v *model.ListingView, _ int) string {
			return valueCell(w.ValueOfView(v, model.IndexIntelligence))
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
	usd := &p.usd
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
		{title: "in $/M", min: 8, max: 8, right: true, prio: 90, cell: func(v *model.ListingView, _ int) string { return usd.price(v.Price, v.Price.In) }},
		{title: "out $/M", min: 8, max: 8, right: true, prio: 90, cell: func(v *model.ListingView, _ int) string { return usd.price(v.Price, v.Price.Out) }},
		{title: "cache $/M", min: 9, max: 9, right: true, prio: 50, cell: func(v *model.ListingView, _ int) string {
			if v.Price.HasCacheRead() {
				return usd.usd(v.Price.CacheRead)
			}
			if v.Price.Kind == model.PricePaid {
				return "—"
			}
			return "" // free and variable say so in the other columns
		}},
		{title: blend, min: 9, max: 9, right: true, prio: 80, cell: func(v *model.ListingView, _ int) string {
			if v.Price.Rankable() {
				return usd.usd(v.Price.Blended(in))
			}
			return usd.price(v.Price, 0)
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
	return p.fittedFrame(pricesState{p.list.state(), p.e.opts.Reference, p.e.workload, false}, p.render)
}

func (p *prices) render() string {
	st := p.e.st
	if p.snap == nil {
		return block("\n  waiting for data…", p.w, p.h, true)
	}
	o := newBodyLike(p.w, p.h, p.w+48, &p.size, p.e) // at first, a few glyphs and colours a row
	if p.list.typing {
		o.line(p.list.inputView(p.w))
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
		o.line(st.dim.s(truncate(status, p.w)))
	}
	if len(p.snap.Listings) == 0 {
		o.line("")
		o.line("  no listings yet")
		return o.String()
	}
	g := groupedTable{cols: p.columns(), rows: p.rows, lines: p.lines, rowLine: p.rowLine, titles: groupTitles}
	g.write(o, p.w, p.pageLines(), &p.list, st)
	return o.String()
}

// groupedTable is a listing table whose rows fall in groups shown apart
// under a rule (paid, free, variable...): the Prices tab and the planner.
type groupedTable struct {
	cols    []listingColumn
	rows    []*model.ListingView
	lines   []int // per screen line: a row index, or -1-group for a group's rule
	rowLine []int // per row: its screen line
	titles  map[priceGroup]string
	size    *bodySize // the tab's last body (newBodyLike); nil: sized by the width
	e       *env      // with size: the env the body is drawn for
}

// render appends the header and one page of the table (page lines, scrolled
// to the selection) to lines and joins them.
func (g groupedTable) render(lines []string, width, page int, list *listCtl, st *styles) string {
	page = max(page, 0)
	var o *body
	if g.size != nil {
		o = newBodyLike(width, len(lines)+1+page, 2*width, g.size, g.e)
	} else {
		o = newBody(width, len(lines)+1+page, 2*width)
	}
	for _, l := range lines {
		o.line(l)
	}
	g.write(o, width, page, list, st)
	return o.String()
}

// write adds the header and one page of the table (page lines, scrolled to
// the selection) to o.
func (g groupedTable) write(o *body, width, page int, list *listCtl, st *styles) {
	widths, gap := layoutColumns(g.cols, width-1) // one cell for the selection mark
	o.line(" " + tableHeader(g.cols, widths, gap, st))
	if len(g.rows) == 0 {
		o.line("  no listings match (esc clears)")
		return
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
			o.line(" " + st.dim.s(truncate(rule, tw)))
			continue
		}
		sel := r == list.sel
		bodyRow(o, rowMark(sel), g.cols, widths, gap, g.rows[r], sel, false, st)
	}
}
