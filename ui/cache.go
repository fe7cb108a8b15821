package ui

import (
	"slices"
	"time"

	"github.com/tokentape/tokentape/model"
)

// snapKey identifies a snapshot's content for the caches. The market's
// version changes whenever the content does (a snapshot that only carries a
// fresher clock keeps it); the as-of time, source and size guard against a
// restarted market reusing a version number.
type snapKey struct {
	ok      bool
	version uint64
	asOf    time.Time
	source  string
	n       int
}

func keyOf(s *model.Snapshot) snapKey {
	if s == nil {
		return snapKey{}
	}
	return snapKey{true, s.Version, s.AsOf, s.Source, len(s.Listings)}
}

// rowsKey is what a list tab's filtered, sorted rows depend on.
type rowsKey struct {
	snap   snapKey
	sort   int
	origin int
	filter string
}

// frameKey is everything a tab's rendered body depends on: the snapshot,
// the body size and the tab's own view state S (selection, sort, filters,
// focused fields, the workload...). A tab puts every input of its frame in
// S, so that nothing has to remember to invalidate the cache.
type frameKey[S comparable] struct {
	snap  snapKey
	w, h  int
	stale staleGroups // which sources' figures are marked stale
	state S
}

// frameCache keeps a tab's last rendered body, so that View costs a
// comparison until an input of the frame changes.
type frameCache[S comparable] struct {
	key   frameKey[S]
	frame string
}

// get returns the cached body for k, rendering (and padding to w×h) only
// when k differs from the key it was rendered for.
func (c *frameCache[S]) get(k frameKey[S], render func() string) string {
	return c.getFitted(k, func() string { return block(render(), k.w, k.h, true) })
}

// getFitted is get for a render that cuts and pads its body to w×h itself
// (see body): the cache keeps it without a second pass over every line.
func (c *frameCache[S]) getFitted(k frameKey[S], render func() string) string {
	if k != c.key || c.frame == "" {
		c.key = k
		c.frame = render()
	}
	return c.frame
}

// lineMemo keeps the lines of a table's page as its last frame drew them,
// by row (a listing's id), each with the inputs it was drawn from: a new
// frame copies a line whose inputs are the same instead of drawing it
// again. A poll changes a few listings, so the frame after it draws a few
// rows and copies the rest, even when a row that changed moved the others
// (the Health tab orders by state); a new layout draws them all, as before.
// K holds everything a row's cells read (the tab's key type, which a test
// checks against its columns), and the memo compares the layout (widths,
// gap, line width) itself. The kept lines are substrings of the last frame,
// so keeping them copies nothing; only the last frame's are kept.
type lineMemo[K comparable] struct {
	widths []int // the layout the kept lines were drawn at
	gap, w int
	// The kept lines in page order, with their rows and inputs.
	ids   []string
	keys  []K
	lines []string
	// at finds a kept row when it is not where it was on the page: built
	// at the first such row of a frame.
	at      map[string]int
	atValid bool
	// This frame's lines so far: their rows and inputs, and where each lies
	// in the body. keep makes them the kept ones.
	nextIDs  []string
	next     []K
	from, to []int
}

// begin starts a frame laid out at widths and gap in a body w cells wide:
// the kept lines of another layout are dropped.
func (m *lineMemo[K]) begin(widths []int, gap, w int) {
	if !slices.Equal(widths, m.widths) || gap != m.gap || w != m.w {
		m.widths = append(m.widths[:0], widths...)
		m.gap, m.w = gap, w
		m.ids, m.keys, m.lines = m.ids[:0], m.keys[:0], m.lines[:0]
		m.atValid = false
	}
	m.nextIDs, m.next, m.from, m.to = m.nextIDs[:0], m.next[:0], m.from[:0], m.to[:0]
}

// line adds the page's next line, row id with inputs k, to o: the kept
// line when its inputs were the same, else what draw adds to o (one line).
func (m *lineMemo[K]) line(o *body, id string, k K, draw func()) {
	i := len(m.next)
	if i >= len(m.ids) || m.ids[i] != id {
		i = m.find(id)
	}
	var from int
	if i >= 0 && m.keys[i] == k {
		if !o.open() {
			return
		}
		from = len(o.buf)
		o.buf = append(o.buf, m.lines[i]...)
	} else {
		n := o.n
		from = len(o.buf)
		draw()
		if o.n == n {
			return // the body is full
		}
		if n > 0 {
			from++ // after the newline that opened the line
		}
	}
	m.nextIDs, m.next = append(m.nextIDs, id), append(m.next, k)
	m.from, m.to = append(m.from, from), append(m.to, len(o.buf))
}

// find is the index of row id among the kept lines, or -1.
func (m *lineMemo[K]) find(id string) int {
	if !m.atValid {
		if m.at == nil {
			m.at = make(map[string]int, len(m.ids))
		}
		clear(m.at)
		for i, x := range m.ids {
			m.at[x] = i
		}
		m.atValid = true
	}
	if i, ok := m.at[id]; ok {
		return i
	}
	return -1
}

// keep keeps this frame's lines, as they lie in the text of its body.
func (m *lineMemo[K]) keep(frame string) {
	m.ids, m.nextIDs = m.nextIDs, m.ids[:0]
	m.keys, m.next = m.next, m.keys[:0]
	m.lines = slices.Grow(m.lines[:0], len(m.keys))[:len(m.keys)]
	for i := range m.keys {
		m.lines[i] = frame[m.from[i]:m.to[i]]
	}
	m.from, m.to = m.from[:0], m.to[:0] // a keep without a frame keeps nothing
	m.atValid = false
}
