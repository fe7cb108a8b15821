package ui

// rcol is a column of a table whose rows are not listings (alerts, status
// pages, incidents, health rows). It borrows column's layout fields (title,
// min, max, right, prio) so that layoutColumns and tableHeader serve every
// table alike; its own text and color replace column's listing-typed cell
// and paint.
type rcol[T any] struct {
	column
	// text renders the plain cell for r at width w.
	text func(r T, w int) string
	// color paints a cell (nil: none). It must not change the text.
	color func(r T) paint
}

// rlayout lays out rcols with layoutColumns.
func rlayout[T any](cols []rcol[T], width int) (widths []int, gap int) {
	return layoutColumns(plainCols(cols), width)
}

// rheader renders the titles of rcols at their laid-out widths.
func rheader[T any](cols []rcol[T], widths []int, gap int, st *styles) string {
	return tableHeader(plainCols(cols), widths, gap, st)
}

func plainCols[T any](cols []rcol[T]) []column {
	out := make([]column, len(cols))
	for i := range cols {
		out[i] = cols[i].column
	}
	return out
}

// rrow renders one row (see joinRow): a selected row is painted as a whole
// (reverse video), a faded one (a resolved alert) is faint as a whole.
func rrow[T any](cols []rcol[T], widths []int, gap int, r T, selected, faded bool, st *styles) string {
	return joinRow(widths, gap, selected, faded, st, func(i, w int) (string, bool, paint, bool) {
		c := &cols[i]
		if c.color == nil {
			return c.text(r, w), c.right, paint{}, false
		}
		return c.text(r, w), c.right, c.color(r), true
	})
}
