package ui

import "github.com/tokentape/tokentape/model"

// column is one column of a table whose rows are T (listings, alerts,
// status pages, incidents, health rows). Cells are plain text, padded or
// truncated to the column's width by display width, then painted. Every
// table of the UI is a []column[T] laid out by layoutColumns and drawn by
// tableHeader and tableRow.
type column[T any] struct {
	title string
	min   int  // narrowest useful width
	max   int  // widest useful width (= min for fixed columns)
	right bool // right-aligned (numbers)
	prio  int  // columns with lower priority are dropped first when narrow
	// cell renders the plain text for r at width w.
	cell func(r T, w int) string
	// paint colours a cell (nil: none). It must not change the text.
	paint func(r T) paint
	// stale is set when the column's figures come from a stale source:
	// each cell then ends in staleGlyph and is dimmed, so the mark survives
	// NO_COLOR.
	stale bool
	// staleRow, when set, says the same of one row (a status page whose
	// own source is stale).
	staleRow func(r T) bool
	// put, when set, appends the cell to a row itself, exactly w cells of
	// narrow runes (a sparkline), where cell's text would be made, then
	// measured again: that was most of the cost of a Board row. cell still
	// gives the text a stale mark is added to.
	put func(b []byte, r T, w int) []byte
}

// listingColumn is a column of a listing table (Board, Prices, planner).
type listingColumn = column[*model.ListingView]

// markStale makes the column's figures carry the stale mark (every row's,
// or those rowStale picks when it is set) and gives the mark a cell of its
// own, so that it never cuts a figure short.
func (c *column[T]) markStale(rowStale func(r T) bool) {
	if rowStale != nil {
		c.staleRow = rowStale
	} else {
		c.stale = true
	}
	c.min++
	c.max++
}

// layoutColumns picks which columns fit in width and how wide each is: the
// lowest-priority columns go first until the minimums fit, then the spare
// cells widen flexible columns in order up to their maximum, then the gaps.
// widths[i] is 0 for a dropped column.
func layoutColumns[T any](cols []column[T], width int) (widths []int, gap int) {
	widths = make([]int, len(cols))
	on := make([]bool, len(cols))
	for i := range cols {
		on[i] = true
	}
	need := func() int {
		n, sum := 0, 0
		for i, c := range cols {
			if on[i] {
				n++
				sum += c.min
			}
		}
		return sum + max(n-1, 0)
	}
	for need() > width {
		low := -1
		for i, c := range cols {
			if on[i] && (low < 0 || c.prio < cols[low].prio) {
				low = i
			}
		}
		count := 0
		for i := range on {
			if on[i] {
				count++
			}
		}
		if low < 0 || count <= 1 {
			break
		}
		on[low] = false
	}
	spare := width - need()
	n := 0
	for i, c := range cols {
		if on[i] {
			widths[i] = c.min
			n++
		}
	}
	for i, c := range cols {
		if on[i] && spare > 0 && c.max > c.min {
			add := min(spare, c.max-c.min)
			widths[i] += add
			spare -= add
		}
	}
	gap = 1
	if n > 1 && spare >= n-1 {
		gap = 2
	}
	if spare < 0 {
		// Even the essentials do not fit: squeeze the widest column.
		wi := 0
		for i := range widths {
			if widths[i] > widths[wi] {
				wi = i
			}
		}
		widths[wi] = max(widths[wi]+spare, 1)
	}
	return widths, gap
}

// tableHeader renders the column titles at the laid-out widths, painted
// as headings. The titles are laid out by appendCells into one buffer:
// fitting each as a string of its own cost an allocation a column.
func tableHeader[T any](cols []column[T], widths []int, gap int, st *styles) string {
	h := st.head
	b := make([]byte, 0, len(h.pre)+rowBytes(widths, gap)+len(h.post))
	b = append(b, h.pre...)
	b = appendCells(b, widths, gap, false, false, st, func(i, _ int) (string, bool, paint, bool) {
		return cols[i].title, cols[i].right, paint{}, false
	})
	return bytesString(append(b, h.post...))
}

// tableRow renders one row (see appendCells): a selected row is painted as
// a whole (reverse video), a faded one (a resolved alert, old endpoint data)
// is faint as a whole.
func tableRow[T any](cols []column[T], widths []int, gap int, r T, selected, faded bool, st *styles) string {
	return bytesString(appendRow(make([]byte, 0, rowBytes(widths, gap)), cols, widths, gap, r, selected, faded, st))
}

// appendRow appends the row tableRow renders to dst, which may already hold
// the lines above it: a tab that draws its table into one buffer copies
// every row once. Each column's functions are called straight from the
// row's layout (layRow); a stale figure gets its mark, and a column that
// puts its cell itself (a sparkline) is not measured again.
func appendRow[T any](dst []byte, cols []column[T], widths []int, gap int, r T, selected, faded bool, st *styles) []byte {
	return layRow(dst, widths, gap, selected, faded, st, func(b []byte, i, w int, own bool) []byte {
		c := &cols[i]
		if c.stale || (c.staleRow != nil && c.staleRow(r)) {
			return appendCell(b, staleText(c.cell(r, max(w-1, 1)), w), w, c.right, st.dim, own)
		}
		painted := own && c.paint != nil
		colour := noPaint
		if painted {
			colour = c.paint(r)
		}
		if c.put == nil {
			return appendCell(b, c.cell(r, w), w, c.right, colour, painted)
		}
		if painted {
			b = append(b, colour.pre...)
		}
		b = c.put(b, r, w)
		if painted {
			b = append(b, colour.post...)
		}
		return b
	})
}

// noPaint paints nothing.
var noPaint paint

// bodyRow adds a table row after its mark to a body, written straight into
// it when it fits (as it does when laid out for the body's width).
func bodyRow[T any](o *body, mark string, cols []column[T], widths []int, gap int, r T, selected, faded bool, st *styles) {
	used := textWidth(mark) + tableWidth(widths, gap)
	if used > o.w {
		o.line(mark + tableRow(cols, widths, gap, r, selected, faded, st))
		return
	}
	if !o.open() {
		return
	}
	// The buffer is appended to through a local slice and stored back
	// once: a store into the body per cell would be a write barrier each
	// while the collector runs.
	buf := append(o.buf, mark...)
	buf = appendRow(buf, cols, widths, gap, r, selected, faded, st)
	o.buf = append(buf, spaces(o.w-used)...)
}

// rowBytes is room for a row of the laid-out columns with its colours and
// multi-byte glyphs.
func rowBytes(widths []int, gap int) int { return 2*tableWidth(widths, gap) + 64 }

// joinRow is appendCells as a string of its own (for rows that are not a
// table's: Share's panel).
func joinRow(widths []int, gap int, selected, faded bool, st *styles,
	cell func(i, w int) (text string, right bool, colour paint, coloured bool)) string {
	return bytesString(appendCells(make([]byte, 0, rowBytes(widths, gap)), widths, gap, selected, faded, st, cell))
}

// appendCells lays one row's cells out at their widths, gap cells apart,
// after dst: cell(i, w) gives cell i's plain text, its alignment and, when
// coloured, its paint. A selected row is painted as a whole (cell colours
// would reset its reverse video half-way), a faded one is faint as a whole;
// otherwise each cell takes its own colour. Every table of the UI renders
// through it. Each cell is padded and painted straight into the buffer:
// fitting and painting it as strings of its own cost two allocations a
// cell, a third of a Board rebuild.
func appendCells(b []byte, widths []int, gap int, selected, faded bool, st *styles,
	cell func(i, w int) (text string, right bool, colour paint, coloured bool)) []byte {
	return layRow(b, widths, gap, selected, faded, st, func(b []byte, i, w int, own bool) []byte {
		txt, right, colour, coloured := cell(i, w)
		return appendCell(b, txt, w, right, colour, own && coloured)
	})
}

// layRow lays one row out after b: the row's paint (rowPaint), then each
// shown column's cell, gap cells apart, which put(b, i, w, own) appends at
// width w (own: the cells take their own colours, the row having none).
func layRow(b []byte, widths []int, gap int, selected, faded bool, st *styles,
	put func(b []byte, i, w int, own bool) []byte) []byte {
	whole := rowPaint(selected, faded, st)
	own := !selected && !faded
	b = append(b, whole.pre...)
	first := true
	for i, w := range widths {
		if w == 0 {
			continue
		}
		if !first {
			b = append(b, spaces(gap)...)
		}
		first = false
		b = put(b, i, w, own)
	}
	return append(b, whole.post...)
}

// rowPaint is the paint of a row as a whole: reverse video when selected,
// faint when faded, else none.
func rowPaint(selected, faded bool, st *styles) paint {
	switch {
	case selected:
		return st.sel
	case faded:
		return st.dim
	}
	return noPaint
}

// appendCell appends one cell: txt cut to w cells, padded on the side
// away from its alignment and, when painted, in colour.
func appendCell(b []byte, txt string, w int, right bool, colour paint, painted bool) []byte {
	txt, tw := fit(txt, w)
	if painted {
		b = append(b, colour.pre...)
	}
	if right {
		b = append(b, spaces(w-tw)...)
	}
	b = append(b, txt...)
	if !right {
		b = append(b, spaces(w-tw)...)
	}
	if painted {
		b = append(b, colour.post...)
	}
	return b
}

// tableWidth is the total width of the laid-out columns.
func tableWidth(widths []int, gap int) int {
	sum, n := 0, 0
	for _, w := range widths {
		if w > 0 {
			sum += w
			n++
		}
	}
	return sum + gap*max(n-1, 0)
}
