package ui

import (
	"iter"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
)

// originFilters is the cycle of the o key; "" is All. Unknown-origin
// listings (routers, unresolved aliases) show only under All.
var originFilters = []model.Origin{"", model.OriginCN, model.OriginUS, model.OriginEU, model.OriginOther}

// listCtl is the list state the Board and the Prices tab share: a selection
// that follows its listing across snapshots, a scroll offset, the sort, the
// origin filter and a substring filter typed into a bubbles textinput.
type listCtl struct {
	keys   listKeys
	input  textinput.Model
	typing bool   // the filter field has focus
	filter string // the filter as typed; matching ignores case
	origin int    // index into originFilters
	sort   int    // index into the tab's sort names
	nsort  int
	// offered reports whether sort i makes sense for the data shown (nil:
	// every sort does); s skips the others, so it never offers a sort that
	// moves nothing.
	offered func(i int) bool
	sel     int    // selected row
	selID   string // the selected listing, kept across snapshots and re-sorts
	// moved is set once the user moves the selection: only then does it
	// follow its listing. Until then it stays on the first row while the
	// order settles (live data arrives catalogue first, ranks later, and
	// following the catalogue's first listing opened the Board on #259).
	moved   bool
	off     int      // first visible line
	helpBuf listHelp // what help returns
	// narrowed is set when the user changed the filter: if the selected
	// listing no longer matches, the selection goes to the first match, not
	// to whatever now stands where it stood.
	narrowed bool
}

func newListCtl(nsort int) listCtl {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "name or author"
	in.CharLimit = 64
	// A static cursor: a blinking one would tick the program twice a second.
	in.Cursor.SetMode(cursor.CursorStatic)
	return listCtl{keys: newListKeys(), input: in, nsort: nsort}
}

// originName names the current origin filter.
func (l *listCtl) originName() string {
	if o := originFilters[l.origin]; o != "" {
		return string(o)
	}
	return "All"
}

// matcher returns the filter test for the current origin and text filters.
func (l *listCtl) matcher() func(v *model.ListingView) bool {
	o := originFilters[l.origin]
	needle := strings.ToLower(strings.TrimSpace(l.filter))
	return func(v *model.ListingView) bool {
		if o != "" && v.Origin != o {
			return false
		}
		if needle == "" {
			return true
		}
		return strings.Contains(strings.ToLower(v.Name), needle) ||
			strings.Contains(strings.ToLower(v.Author), needle)
	}
}

// listUpdate says what a key did to the list.
type listUpdate struct {
	handled  bool // the key was the list's
	refilter bool // rows must be recomputed (sort or filter changed)
	cmd      tea.Cmd
}

// other passes a message that is not a key (the filter's cursor blink) to
// the filter input while one is being typed; nil while none is.
func (l *listCtl) other(msg tea.Msg) tea.Cmd {
	if !l.typing {
		return nil
	}
	var cmd tea.Cmd
	l.input, cmd = l.input.Update(msg)
	return cmd
}

// update handles a key for a list of n rows showing page rows at a time; id
// names row i so that the selection can follow its listing.
func (l *listCtl) update(msg tea.KeyMsg, n, page int, id func(int) string) listUpdate {
	k := &l.keys
	if l.typing {
		switch {
		case key.Matches(msg, k.Cancel):
			l.typing = false
			l.input.Blur()
			l.input.Reset()
			l.filter = ""
			return listUpdate{handled: true, refilter: true}
		case key.Matches(msg, k.Apply):
			l.typing = false
			l.input.Blur()
			return listUpdate{handled: true}
		}
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(msg)
		l.filter = l.input.Value()
		l.narrowed = true
		return listUpdate{handled: true, refilter: true, cmd: cmd}
	}
	page = max(page, 1)
	move := func(to int) listUpdate {
		if n == 0 {
			return listUpdate{handled: true}
		}
		l.sel = min(max(to, 0), n-1)
		l.selID = id(l.sel)
		l.moved = true
		return listUpdate{handled: true}
	}
	switch {
	case key.Matches(msg, k.Up):
		return move(l.sel - 1)
	case key.Matches(msg, k.Down):
		return move(l.sel + 1)
	case key.Matches(msg, k.Top):
		return move(0)
	case key.Matches(msg, k.Bottom):
		return move(n - 1)
	case key.Matches(msg, k.PageUp):
		return move(l.sel - page)
	case key.Matches(msg, k.PageDown):
		return move(l.sel + page)
	case key.Matches(msg, k.Sort):
		for range max(l.nsort, 1) {
			l.sort = (l.sort + 1) % max(l.nsort, 1)
			if l.offered == nil || l.offered(l.sort) {
				break
			}
		}
		return listUpdate{handled: true, refilter: true}
	case key.Matches(msg, k.Origin):
		l.origin = (l.origin + 1) % len(originFilters)
		l.narrowed = true
		return listUpdate{handled: true, refilter: true}
	case key.Matches(msg, k.Filter):
		l.typing = true
		l.input.SetValue(l.filter)
		l.input.CursorEnd()
		return listUpdate{handled: true, cmd: l.input.Focus()}
	case key.Matches(msg, k.Clear):
		if l.filter == "" && l.origin == 0 {
			return listUpdate{} // nothing to clear: the root may use esc
		}
		l.filter = ""
		l.origin = 0
		l.input.Reset()
		return listUpdate{handled: true, refilter: true}
	}
	return listUpdate{}
}

// reselect finds the selected listing again in n fresh rows (it may have
// moved, or gone: then the selection stays at the same position, clamped).
// A selection the user never moved stays at its position (the top).
func (l *listCtl) reselect(n int, id func(int) string) {
	narrowed := l.narrowed
	l.narrowed = false
	if n == 0 {
		l.sel = 0
		return
	}
	if l.selID != "" && l.moved {
		for i := 0; i < n; i++ {
			if id(i) == l.selID {
				l.sel = i
				return
			}
		}
	}
	if narrowed {
		l.sel = 0 // the filter left it out: start at the first match
	}
	l.sel = min(max(l.sel, 0), n-1)
	l.selID = id(l.sel)
}

// shown scrolls the list to keep its selection on a page of page rows out
// of n, and yields the rows of that page, each with whether it is the
// selected one.
func (l *listCtl) shown(page, n int) iter.Seq2[int, bool] {
	l.scroll(l.sel, page, n)
	end := min(l.off+page, n)
	return func(yield func(int, bool) bool) {
		for i := l.off; i < end; i++ {
			if !yield(i, i == l.sel) {
				return
			}
		}
	}
}

// rowMark is the mark a table row starts with: › on the selected row.
func rowMark(sel bool) string {
	if sel {
		return "›"
	}
	return " "
}

// scroll keeps line (the selected row's line) inside a window of visible
// lines out of total.
func (l *listCtl) scroll(line, visible, total int) {
	if visible <= 0 {
		l.off = 0
		return
	}
	if line < l.off {
		l.off = line
	}
	if line >= l.off+visible {
		l.off = line - visible + 1
	}
	l.off = min(l.off, max(total-visible, 0))
	l.off = max(l.off, 0)
}

// statusFilters describes the active filters for a tab's status line.
func (l *listCtl) statusFilters() string {
	var parts []string
	parts = append(parts, "origin "+l.originName())
	if l.filter != "" {
		parts = append(parts, "filter “"+safe(l.filter)+"”")
	}
	return strings.Join(parts, " · ")
}

// inputView renders the focused filter field within width cells.
func (l *listCtl) inputView(width int) string {
	l.input.Width = max(width-4, 1)
	return l.input.View()
}

// help returns the list's bindings for the footer and the ? screen.
//
// The slices are the list's own, written over by the next call: the footer
// asks for them every frame to see whether they changed, and building
// them afresh was 1.7 KB of every frame's allocations.
func (l *listCtl) help(extra ...key.Binding) (short []key.Binding, full [][]key.Binding) {
	k := l.keys
	if l.typing {
		return []key.Binding{k.Apply, k.Cancel}, [][]key.Binding{{k.Apply, k.Cancel}}
	}
	h := &l.helpBuf
	h.short = append(append(h.short[:0], k.Sort, k.Filter, k.Origin), extra...)
	h.move = append(h.move[:0], k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown)
	h.list = append(append(h.list[:0], k.Sort, k.Filter, k.Origin, k.Clear), extra...)
	h.full = append(h.full[:0], h.move, h.list)
	return h.short, h.full
}

// listHelp holds the slices listCtl.help returns.
type listHelp struct {
	short, move, list []key.Binding
	full              [][]key.Binding
}

// listState is the part of a list's state that its frame shows. The
// scroll offset is left out: render derives it from the selection.
type listState struct {
	sel, sort, origin int
	filter            string
	typing            bool
	input             string
	cursor            int
}

// state returns the list's view state for a frame key.
func (l *listCtl) state() listState {
	s := listState{sel: l.sel, sort: l.sort, origin: l.origin, filter: l.filter, typing: l.typing}
	if l.typing {
		s.input, s.cursor = l.input.Value(), l.input.Position()
	}
	return s
}
