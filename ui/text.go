package ui

import (
	"strings"
	"unicode"
	"unsafe"

	"github.com/charmbracelet/x/ansi"
)

// spaceBuf backs spaces() so that padding rarely allocates.
var spaceBuf = strings.Repeat(" ", 512)

// spaces returns n spaces (none for n ≤ 0).
func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	if n <= len(spaceBuf) {
		return spaceBuf[:n]
	}
	return strings.Repeat(" ", n)
}

// plainASCII reports whether s holds only printable ASCII, where one byte is
// one cell: the fast path for widths, which most names take.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// narrowRune reports whether r is always one cell wide and never joins a
// grapheme cluster: Latin letters and the punctuation, arrows, box-drawing,
// block and shape glyphs the UI draws. TestNarrowRunesAgreeWithAnsi checks
// every one of them against ansi.StringWidth.
func narrowRune(r rune) bool {
	switch {
	case r >= 0xA0 && r < 0x300:
		return r != 0xAD // soft hyphen
	case r >= 0x2010 && r <= 0x2027, // dashes, quotes, ‖, …
		r >= 0x2030 && r <= 0x205E,            // ‰, ‹ › (the selection mark)
		r >= 0x2190 && r <= 0x21FF,            // arrows
		r >= 0x2500 && r <= 0x25FA,            // box drawing, blocks ▁█, shapes ▲▼●◐○
		r == 0x26A0, r == 0x2713, r == 0x2717: // ⚠ ✓ ✗ of the header's strip
		return true
	}
	return false
}

// narrow returns the width of s when every rune in it is a printable ASCII
// or narrowRune, one cell each; ok is false otherwise (wide runes, escape
// sequences, combining marks), and the caller measures properly. This fast
// path matters: grapheme segmentation of every sparkline and glyph cell
// would cost most of a frame. It decodes the two- and three-byte sequences
// narrowRune can accept itself (U+00A0–U+02FF, U+2000–U+2FFF), as
// utf8.DecodeRuneInString's slow path cost a fifth of a Board rebuild.
func narrow(s string) (n int, ok bool) {
	for i := 0; i < len(s); n++ {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			i++
		case c >= 0xC2 && c <= 0xCB && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			if !narrowRune(rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)) {
				return 0, false
			}
			i += 2
		case c == 0xE2 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			if !narrowRune(0x2000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)) {
				return 0, false
			}
			i += 3
		default:
			return 0, false
		}
	}
	return n, true
}

// textWidth is the display width of s in cells (wide runes count two,
// escape sequences none).
func textWidth(s string) int {
	if n, ok := narrow(s); ok {
		return n
	}
	if n, ok := paintedNarrow(s); ok {
		return n
	}
	return ansi.StringWidth(s)
}

// paintedNarrow is narrow for a line painted with SGR sequences (ESC [ digits
// and semicolons m), which take no cells: every coloured line of a frame
// passes through block, and ansi.StringWidth segments its graphemes.
func paintedNarrow(s string) (n int, ok bool) {
	for len(s) > 0 {
		esc := strings.IndexByte(s, 0x1b)
		if esc < 0 {
			esc = len(s)
		}
		k, ok := narrow(s[:esc])
		if !ok {
			return 0, false
		}
		n += k
		s = s[esc:]
		if len(s) == 0 {
			break
		}
		if len(s) < 3 || s[1] != '[' {
			return 0, false
		}
		end := 2
		for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == ';') {
			end++
		}
		if end == len(s) || s[end] != 'm' {
			return 0, false
		}
		s = s[end+1:]
	}
	return n, true
}

// truncate cuts s to at most w cells, ending in "…" when it had to cut. It
// never splits a wide rune or an escape sequence.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if n, ok := narrow(s); ok {
		if n <= w {
			return s
		}
		return cutNarrow(s, n, w-1) + "…"
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// fit truncates plain s to at most w cells and says how many it takes.
func fit(s string, w int) (string, int) {
	if w <= 0 {
		return "", 0
	}
	if n, ok := narrow(s); ok {
		if n <= w {
			return s, n
		}
		return cutNarrow(s, n, w-1) + "…", w
	}
	s = truncate(s, w)
	return s, textWidth(s)
}

// cutNarrow is the first k cells of s, which narrow measured at n cells:
// its first k runes.
func cutNarrow(s string, n, k int) string {
	if n == len(s) { // all ASCII
		return s[:k]
	}
	j := 0
	for i := range s {
		if j == k {
			return s[:i]
		}
		j++
	}
	return s
}

// fitLeft truncates or pads plain s to exactly w cells, left-aligned.
func fitLeft(s string, w int) string {
	s = truncate(s, w)
	return s + spaces(w-textWidth(s))
}

// fitRight truncates or pads plain s to exactly w cells, right-aligned.
func fitRight(s string, w int) string {
	s = truncate(s, w)
	return spaces(w-textWidth(s)) + s
}

// safe drops what must never reach the terminal from a string the market
// holds: escape sequences, control characters (\r, \b, C1) and invisible
// format runes (bidi overrides, zero-width joiners). Feeds sanitise remote
// text where they decode it; this is the UI's own last line of defence (a
// replayed recording could have been edited by hand), and it is free for the
// plain ASCII that almost every name is.
func safe(s string) string {
	if plainASCII(s) {
		return s
	}
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == unicode.ReplacementChar || unicode.Is(unicode.Cf, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = ansi.Strip(s)
	var b strings.Builder
	space := false // collapse the whitespace that replaced controls
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == ' ':
			if !space {
				b.WriteByte(' ')
			}
			space = true
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0), unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
			space = false
		}
	}
	return b.String()
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// block fits a multi-line string into a w×h area: every line cut to w cells
// (escape-aware) and padded to w so that blocks can sit side by side, at
// most h lines, padded with blank lines to exactly h when pad is set.
func block(s string, w, h int, pad bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	// One builder for the whole block: a padded string per line and a join
	// cost an allocation and a copy of every line of every frame.
	var b strings.Builder
	b.Grow(len(s) + w*h/2 + h)
	n := 0
	for more := true; n < h && more; n++ {
		var l string
		l, s, more = strings.Cut(s, "\n")
		lw := textWidth(l)
		if lw > w {
			l = ansi.Truncate(l, w, "")
			lw = textWidth(l)
		}
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
		b.WriteString(spaces(w - lw))
	}
	if pad {
		for ; n < h; n++ {
			b.WriteByte('\n')
			b.WriteString(spaces(w))
		}
	}
	return b.String()
}

// body writes a tab's body straight into one buffer, as block would make
// it of the joined lines: every line cut and padded to w cells, exactly h
// lines. A table tab then copies each row once, where rows of their own, a
// join and block copied the frame three times (see tabBase.fittedFrame).
type body struct {
	buf     []byte
	w, h, n int
	size    *bodySize // told the body's length when done; nil: none
	// base is the buffer from its start when the body leaves room before
	// itself for the root (newBodyLike), and e the env it tells of it.
	base []byte
	e    *env
}

// newBody starts a w×h body with room for lines of about lineBytes.
func newBody(w, h, lineBytes int) *body {
	o := &body{w: max(w, 0), h: max(h, 0)}
	if o.w > 0 {
		o.buf = make([]byte, 0, o.h*(max(lineBytes, o.w)+1))
	}
	return o
}

// bodySize is how long a tab's last body of its size was.
type bodySize struct{ w, h, len int }

// newBodyLike is newBody with room for about as much as the tab's last
// body of the same size held (an eighth more), which s keeps: sized from
// the width alone, a Board body had a third more room than it used (24 KB
// at 200x60), and every byte a frame allocates brings the next collection
// closer. A body that needs more grows as a slice does. The buffer also
// has the room around the body that the root asks for in e.room, so that
// the root can make its frame of it without copying it (framedBody).
func newBodyLike(w, h, lineBytes int, s *bodySize, e *env) *body {
	o := &body{w: max(w, 0), h: max(h, 0), size: s, e: e}
	if o.w == 0 {
		return o
	}
	n := o.h * (max(lineBytes, o.w) + 1)
	if s.len > 0 && s.w == w && s.h == h {
		n = s.len + s.len/8
	}
	room := e.room
	o.base = make([]byte, room.pre, room.pre+n+room.post)
	o.buf = o.base[room.pre:room.pre]
	return o
}

// frameRoom is the room the root asks a body to leave around it: pre bytes
// before it (the header and the tab bar), post after it (the footer).
type frameRoom struct{ pre, post int }

// framedBody is a body drawn with the room the root asked for: the root
// writes its header and footer around it in place, once, and the frame is
// the whole buffer (Model.View), where joining them copied the body. The
// room is written before anyone sees the frame and never again (used), so
// every string over the buffer stays as it was.
type framedBody struct {
	base []byte // the buffer from its start: the room before the body
	body string // the body, as the tab returned it
	room frameRoom
	used bool // the root made its frame of it
}

// open starts a line, or reports false when the body is full.
func (o *body) open() bool {
	if o.n >= o.h || o.w == 0 {
		return false
	}
	if o.n > 0 {
		o.buf = append(o.buf, '\n')
	}
	o.n++
	return true
}

// line adds one line of text, cut and padded to w.
func (o *body) line(s string) {
	if !o.open() {
		return
	}
	lw := textWidth(s)
	if lw > o.w {
		s = ansi.Truncate(s, o.w, "")
		lw = textWidth(s)
	}
	o.buf = append(append(o.buf, s...), spaces(o.w-lw)...)
}

// write appends s to the open line as it is: the caller knows it keeps
// the line within w (blocks already cut and padded to their widths).
func (o *body) write(s string) { o.buf = append(o.buf, s...) }

// String pads the body with blank lines to h and returns it. The body is
// done then: its buffer becomes the string.
func (o *body) String() string {
	for o.open() {
		o.buf = append(o.buf, spaces(o.w)...)
	}
	s := bytesString(o.buf)
	if o.size != nil {
		*o.size = bodySize{o.w, o.h, len(s)}
	}
	if o.e != nil && o.e.room != (frameRoom{}) {
		// The body is framed only if it still lies in its first buffer
		// (a longer one moved) with the room after it.
		pre := o.e.room.pre
		if len(o.base) == pre && cap(o.buf)-len(o.buf) >= o.e.room.post &&
			unsafe.SliceData(o.buf) == unsafe.SliceData(o.base[pre:cap(o.base)]) {
			o.e.framed = &framedBody{base: o.base, body: s, room: o.e.room}
		}
	}
	o.buf, o.base = nil, nil
	return s
}

// bytesString is b as a string without a copy, as strings.Builder makes its
// own: nothing may write to b afterwards.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// sideBySide joins two blocks of equal height horizontally with a gap. Both
// must already be padded to their widths (see block).
func sideBySide(left, right string, gap int) string {
	l := strings.Split(left, "\n")
	r := strings.Split(right, "\n")
	lw := 0
	if len(l) > 0 {
		lw = textWidth(l[0])
	}
	n := max(len(l), len(r))
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(l) {
			b.WriteString(l[i])
		} else {
			b.WriteString(spaces(lw))
		}
		b.WriteString(spaces(gap))
		if i < len(r) {
			b.WriteString(r[i])
		}
	}
	return b.String()
}

// wrapWords breaks plain text into lines of at most w cells at spaces,
// cutting a word longer than a line. It is the UI's one word-wrapper:
// ansi.Wordwrap also breaks at hyphens, which splits "-17%" from its sign
// and "GPT-5" in two.
func wrapWords(s string, w int) []string {
	var out []string
	var cur strings.Builder
	cw := 0
	flush := func() {
		out = append(out, cur.String())
		cur.Reset()
		cw = 0
	}
	for _, word := range strings.Fields(s) {
		ww := textWidth(word)
		for ww > w {
			if cw > 0 {
				flush()
			}
			head := ansi.Truncate(word, w, "")
			if head == "" {
				break
			}
			out = append(out, head)
			word = word[len(head):]
			ww = textWidth(word)
		}
		if word == "" {
			continue
		}
		switch {
		case cw == 0:
		case cw+1+ww <= w:
			cur.WriteByte(' ')
			cw++
		default:
			flush()
		}
		cur.WriteString(word)
		cw += ww
	}
	if cw > 0 || len(out) == 0 {
		flush()
	}
	return out
}

// wrapIndent word-wraps plain text to w cells with a prefix on every line.
func wrapIndent(s string, w int, prefix string) []string {
	lines := wrapWords(s, max(w-textWidth(prefix), 1))
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return lines
}
