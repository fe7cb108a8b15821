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

// boardSorts are the Board's sorts, cycled by s.
var boardSorts = []string{"tokens", "growth", "price out", "name"}

// board is tab 1: the listings ranked by tokens, with rank moves, share,
// growth, a sparkline of daily volume, prices and health.
type board struct {
	tabBase[listState]
	list listCtl

	rows    []*model.ListingView // filtered and sorted
	rowsKey rowsKey
	history bool // some listing had a rank one window ago
	usd     usdMemo
	tok     tokenMemo
	share   figureMemo // the share column's texts
	growth  figureMemo // the w/w column's texts

	cols           []listingColumn // built for colsKey (columns)
	colsKey        boardColumnsKey
	trendCol       int // the trend's index in cols; -1 without volumes
	trendTitleDays int // the days trendTitleText names
	trendTitleText string
	lines          lineMemo[boardRowKey] // the page's rows as last drawn
	size           bodySize              // the last body's, for the next one's room
}

func newBoard(e *env) *board {
	b := &board{tabBase: tabBase[listState]{e: e}, list: newListCtl(len(boardSorts))}
	b.list.offered = b.sortOffered
	return b
}

// Title implements Tab.
func (b *board) Title() string { return "Board" }

// Capturing implements Tab.
func (b *board) Capturing() bool { return b.list.typing }

// Selected implements Selector.
func (b *board) Selected() (string, bool) {
	if b.list.sel < len(b.rows) {
		return b.rows[b.list.sel].ID, true
	}
	return "", false
}

// Help implements Tab.
func (b *board) Help() ([]key.Binding, [][]key.Binding) { return b.list.help() }

// Update implements Tab.
func (b *board) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return b.list.other(msg)
	}
	u := b.list.update(km, len(b.rows), b.pageRows(), func(i int) string { return b.rows[i].ID })
	if u.refilter {
		b.sync()
	}
	return u.cmd
}

// pageRows is how many table rows the body shows.
func (b *board) pageRows() int {
	n := b.h - 2 // status line and column titles
	if b.snap != nil && !b.snap.HasVolumes {
		n-- // the notice about volumes
	}
	return max(n, 0)
}

// sync recomputes the filtered, sorted rows when their inputs changed, and
// finds the selection again.
func (b *board) sync() {
	if !b.sortOffered(b.list.sort) {
		b.list.sort = 0 // the volumes went away (an auto run's live market has none without a key)
	}
	k := rowsKey{keyOf(b.snap), b.list.sort, b.list.origin, b.list.filter}
	if k == b.rowsKey && b.rows != nil {
		return
	}
	b.rowsKey = k
	b.rows = b.rows[:0]
	b.history = false
	if b.snap == nil {
		return
	}
	match := b.list.matcher()
	for i := range b.snap.Listings {
		v := &b.snap.Listings[i]
		if v.PrevRank > 0 {
			b.history = true
		}
		if match(v) {
			b.rows = append(b.rows, v)
		}
	}
	sortBoard(b.rows, boardSorts[b.list.sort])
	b.list.reselect(len(b.rows), func(i int) string { return b.rows[i].ID })
}

// sortOffered reports whether the Board offers sort i for its snapshot:
// growth needs token volumes, which the market has only with a key.
func (b *board) sortOffered(i int) bool {
	return boardSorts[i] != "growth" || b.snap == nil || b.snap.HasVolumes
}

// sortName is how the status line names sort i: without volumes the rank
// order is the weekly order, not tokens.
func (b *board) sortName(i int) string {
	if boardSorts[i] == "tokens" && b.snap != nil && !b.snap.HasVolumes {
		return "weekly order"
	}
	return boardSorts[i]
}

// sortBoard orders rows in place. The snapshot's order is the rank order
// (ranked first, then by name), so "tokens" keeps it.
func sortBoard(rows []*model.ListingView, by string) {
	switch by {
	case "growth":
		slices.SortStableFunc(rows, func(x, y *model.ListingView) int {
			a, b := x.Growth, y.Growth
			switch {
			case math.IsNaN(a) != math.IsNaN(b):
				if math.IsNaN(a) {
					return 1
				}
				return -1
			case math.IsNaN(a) || a == b:
				return 0
			}
			return cmp.Compare(b, a)
		})
	case "price out":
		// Cheapest first; free, variable and unknown prices are never
		// ranked, so they go last.
		slices.SortStableFunc(rows, func(x, y *model.ListingView) int {
			a, b := x.Price, y.Price
			switch {
			case a.Rankable() != b.Rankable():
				if a.Rankable() {
					return -1
				}
				return 1
			case !a.Rankable():
				return 0
			}
			return cmp.Compare(a.Out, b.Out)
		})
	case "name":
		sortByName(rows)
	}
}

// sortByName orders rows by name ignoring case, then by id.
func sortByName(rows []*model.ListingView) { slices.SortFunc(rows, compareByName) }

// compareByName orders two listings by name ignoring case, then by id.
func compareByName(a, b *model.ListingView) int {
	if c := compareFold(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// compareFold compares a and b as strings.ToLower(a) and strings.ToLower(b)
// would, without allocating while both are ASCII (almost every name): only
// the rest after the first other byte is lowered and compared.
func compareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := a[i], b[i]
		if x >= 0x80 || y >= 0x80 {
			return strings.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(a), len(b))
}

// boardColumnsKey is everything the Board's columns depend on besides the
// board itself, which their cells read when called: the columns are built
// again only when it changes, not every frame.
type boardColumnsKey struct {
	st      *styles
	volumes bool        // the market has token volumes
	health  bool        // some listing has a serving state
	stale   staleGroups // figures from a stale source
}

// columns is the Board's columns for the snapshot; columns that would only
// show blanks (volumes without a key, health before any endpoint) are left
// out. The trend's title says how many days it shows (trendTitle).
func (b *board) columns() []listingColumn {
	s := b.snap
	k := boardColumnsKey{st: b.e.st, volumes: s.HasVolumes, stale: b.e.stale}
	for i := range s.Listings {
		if s.Listings[i].Health != model.HealthUnknown {
			k.health = true
			break
		}
	}
	if b.cols == nil || k != b.colsKey {
		b.cols, b.colsKey = b.buildColumns(k), k
		b.trendCol = slices.IndexFunc(b.cols, func(c listingColumn) bool { return c.title == "trend" })
	}
	if t := b.trendCol; t >= 0 {
		// The trend widens to the days there are (a new day adds one), up
		// to 60: set here rather than in the key, as columns built afresh
		// for each new day cost 3 KB a frame.
		b.cols[t].max = max(min(len(s.Days), 60), 12)
	}
	return b.cols
}

// buildColumns makes the Board's columns for k.
func (b *board) buildColumns(k boardColumnsKey) []listingColumn {
	st := k.st
	vols, cat, ends := k.stale.has(staleVolumes), k.stale.has(staleCatalogue), k.stale.has(staleEndpoints)
	cols := []listingColumn{
		{title: "#", min: 3, max: 3, right: true, prio: 1000, stale: vols, cell: func(v *model.ListingView, _ int) string {
			if v.Rank == 0 {
				return "—"
			}
			return strconv.Itoa(v.Rank)
		}},
		{title: "move", min: 4, max: 4, prio: 90, stale: vols, cell: func(v *model.ListingView, _ int) string { return moveCell(v, b.history) },
			paint: func(v *model.ListingView) paint { return st.sign(float64(v.RankMove())) }},
		{title: "name", min: 16, max: 40, prio: 1000, cell: nameCellAt},
		{title: "author", min: 10, max: 16, prio: 20, cell: func(v *model.ListingView, _ int) string { return safe(v.Author) }},
		{title: "orig", min: 5, max: 5, prio: 60, cell: func(v *model.ListingView, _ int) string { return originCell(v.Origin) },
			paint: func(v *model.ListingView) paint { return st.origin[v.Origin] }},
	}
	if k.volumes {
		cols = append(cols,
			listingColumn{title: "tokens", min: 6, max: 6, right: true, prio: 95, stale: vols, cell: func(v *model.ListingView, _ int) string {
				if v.Tokens == 0 {
					return "—"
				}
				return b.tok.tokens(v.Tokens)
			}},
			listingColumn{title: "share", min: 6, max: 6, right: true, prio: 85, stale: vols, cell: func(v *model.ListingView, _ int) string {
				if v.Tokens == 0 {
					return "—"
				}
				return b.share.of(v.Share, units.Percent)
			}},
			listingColumn{title: "w/w", min: 7, max: 7, right: true, prio: 80, stale: vols, cell: func(v *model.ListingView, _ int) string {
				if v.Tokens == 0 && math.IsNaN(v.Growth) {
					return "—"
				}
				return b.growth.of(v.Growth, units.Growth)
			}, paint: func(v *model.ListingView) paint { return st.sign(v.Growth) }},
			listingColumn{title: "trend", min: 12, max: 12, prio: 70, stale: vols, // max: see columns
				cell: func(v *model.ListingView, w int) string { return sparkline(v.Series, w) },
				put:  func(o []byte, v *model.ListingView, w int) []byte { return appendSparkline(o, v.Series, w) }},
		)
	}
	cols = append(cols,
		listingColumn{title: "in $/M", min: 8, max: 8, right: true, prio: 40, stale: cat, cell: func(v *model.ListingView, _ int) string { return b.usd.price(v.Price, v.Price.In) }},
		listingColumn{title: "out $/M", min: 8, max: 8, right: true, prio: 50, stale: cat, cell: func(v *model.ListingView, _ int) string { return b.usd.price(v.Price, v.Price.Out) }},
	)
	if k.health {
		cols = append(cols, listingColumn{title: "health", min: 10, max: 10, prio: 30, stale: ends,
			cell:  func(v *model.ListingView, _ int) string { return healthCell(v.Health) },
			paint: func(v *model.ListingView) paint { return st.health(v.Health) }})
	}
	return cols
}

// trendTitle is the trend column's title when it is w cells wide: how many
// of the days it shows, kept from the last frame (it rarely changes).
func (b *board) trendTitle(w int) string {
	n := min(w, len(b.snap.Days))
	if b.trendTitleDays != n || b.trendTitleText == "" {
		b.trendTitleDays, b.trendTitleText = n, "trend "+strconv.Itoa(n)+"d"
	}
	return b.trendTitleText
}

// View implements Tab.
func (b *board) View() string {
	return b.fittedFrame(b.list.state(), b.render)
}

func (b *board) render() string {
	if b.snap == nil {
		return block("\n  waiting for data…", b.w, b.h, true)
	}
	st := b.e.st
	o := newBodyLike(b.w, b.h, 2*b.w, &b.size, b.e)
	// Status line: the filter field while typing, else sort and filters.
	if b.list.typing {
		o.line(b.list.inputView(b.w))
	} else {
		status := ""
		if b.e.stale != 0 {
			status = staleGlyph + " figures from a stale source · "
		}
		status += "sort " + b.sortName(b.list.sort) + " · " + b.list.statusFilters() +
			" · " + strconv.Itoa(len(b.rows)) + " of " + strconv.Itoa(len(b.snap.Listings))
		o.line(st.dim.s(truncate(status, b.w)))
	}
	if !b.snap.HasVolumes {
		o.line(st.warn.s(truncate("ranked by weekly order only · "+b.snap.VolumesNote(), b.w)))
	}
	if len(b.snap.Listings) == 0 {
		o.line("")
		o.line("  no listings yet")
		return o.String()
	}
	cols := b.columns()
	widths, gap := layoutColumns(cols, b.w-1) // one cell for the selection mark
	if t := b.trendCol; t >= 0 && widths[t] > 0 {
		cols[t].title = b.trendTitle(widths[t])
	}
	o.line(" " + tableHeader(cols, widths, gap, st))
	if len(b.rows) == 0 {
		msg := "  no listings match"
		if b.list.filter != "" {
			msg += " “" + safe(b.list.filter) + "”"
		}
		if b.list.origin != 0 {
			msg += " in " + b.list.originName()
		}
		o.line(msg + " (esc clears)")
		return o.String()
	}
	page := b.pageRows()
	b.lines.begin(widths, gap, b.w)
	for i, sel := range b.list.shown(page, len(b.rows)) {
		v := b.rows[i]
		b.lines.line(o, v.ID, b.rowKey(v, sel), func() { bodyRow(o, rowMark(sel), cols, widths, gap, v, sel, false, st) })
	}
	frame := o.String()
	b.lines.keep(frame)
	return frame
}

// boardRowKey is everything a Board row shows: the columns (colsKey), the
// selection, whether ranks have history, and the fields of the listing its
// cells read. Floats are kept as bits, so that a NaN equals itself; the
// series and the detail (the alias mark) by identity, as the market never
// writes a slice or detail a snapshot holds (a new day brings new series,
// a catalogue poll a new detail). TestBoardRowKeyCoversTheRow changes every
// field of a listing and checks that the key changes whenever the row does.
type boardRowKey struct {
	cols          boardColumnsKey
	sel, history  bool
	rank, prev    int
	name          string
	detail        *model.ListingDetail
	unlisted      bool
	alias         bool
	author        string
	origin        model.Origin
	tokens        uint64
	share, growth uint64
	series        *uint64
	days          int
	price         model.PriceKind
	in, out       uint64
	health        model.Health
}

// rowKey is v's boardRowKey.
func (b *board) rowKey(v *model.ListingView, sel bool) boardRowKey {
	k := boardRowKey{
		cols: b.colsKey, sel: sel, history: b.history,
		rank: v.Rank, prev: v.PrevRank, name: v.Name, detail: v.Detail, unlisted: v.Unlisted, alias: v.Alias,
		author: v.Author, origin: v.Origin, tokens: v.Tokens,
		share: math.Float64bits(v.Share), growth: math.Float64bits(v.Growth),
		days: len(v.Series), price: v.Price.Kind,
		in: math.Float64bits(v.Price.In), out: math.Float64bits(v.Price.Out), health: v.Health,
	}
	if len(v.Series) > 0 {
		k.series = &v.Series[0]
	}
	return k
}
