package serve

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// display draws one SSH session's frames on the client's alternate screen.
//
// Bubble Tea's own renderer wakes on a ticker FPS times a second to look
// for a new frame, whether or not anything changed: with 50 idle viewers
// that was 500 wake-ups a second, and most of the server's idle CPU. A
// display draws when the view changes instead: at once when the last frame
// is older than the gap (1/FPS), else when the gap has passed, the newest
// view only; and an unchanged view costs a string comparison. Like Bubble
// Tea's renderer it rewrites only the lines that changed.
type display struct {
	out io.Writer
	gap time.Duration // least time between two frames

	mu            sync.Mutex
	sized         bool // the program has the client's size
	width, height int
	next          string // the view to draw, when pending
	pending       bool
	drawn         string      // the view on the client's screen
	lines         []string    // its lines as written; nil: repaint every line
	last          time.Time   // when the last frame was written
	timer         *time.Timer // waits out the gap for a pending view
	closed        bool
	buf           bytes.Buffer
}

func newDisplay(out io.Writer, fps int) *display {
	return &display{out: out, gap: time.Second / time.Duration(max(fps, 1))}
}

// open switches the client to the alternate screen, clears it, hides the
// cursor and turns on bracketed paste, as Bubble Tea does at start.
func (s *display) open() {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = io.WriteString(s.out, ansi.SetModeAltScreenSaveCursor+ansi.EraseEntireScreen+ansi.CursorHomePosition+
		ansi.HideCursor+ansi.SetModeBracketedPaste)
}

// close stops drawing and gives the client its terminal back: bracketed
// paste off, the cursor shown, the main screen restored.
func (s *display) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	_, _ = io.WriteString(s.out, ansi.ResetModeBracketedPaste+ansi.ShowCursor+ansi.ResetModeAltScreenSaveCursor)
}

// resize records the client's size; the next view is drawn in full.
func (s *display) resize(w, h int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.width, s.height = w, h
	s.lines, s.drawn = nil, ""
	if !s.sized && s.timer != nil {
		s.timer.Stop() // the wait for a size is over
		s.timer = nil
	}
	s.sized = true
}

// unsized is how long a view waits for the client's size before it is
// drawn anyway. An SSH client sends its size with its pty request, so the
// program has it within moments; the views before it are laid out for a
// default size and would only be drawn over.
const unsized = time.Second

// view hands the display the program's current view.
func (s *display) view(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || (!s.pending && s.lines != nil && v == s.drawn) {
		return
	}
	s.next, s.pending = v, true
	if s.timer != nil {
		return // drawn when the gap has passed
	}
	if !s.sized {
		s.timer = time.AfterFunc(unsized, s.fire)
		return
	}
	if wait := s.gap - time.Since(s.last); wait > 0 {
		s.timer = time.AfterFunc(wait, s.fire)
		return
	}
	s.flushLocked()
}

func (s *display) fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timer = nil
	if s.pending && !s.closed {
		s.flushLocked()
	}
}

// flushLocked writes the pending view: the cursor goes home, unchanged lines
// are stepped over, changed ones are cut to the width and cleared to its
// end, and what the last frame had below this one is erased.
func (s *display) flushLocked() {
	v := s.next
	s.pending, s.next = false, ""
	if v == s.drawn && s.lines != nil {
		return
	}
	if v == "" {
		v = " " // an empty view still clears the screen, as in Bubble Tea
	}
	lines := strings.Split(v, "\n")
	if s.height > 0 && len(lines) > s.height {
		lines = lines[len(lines)-s.height:]
	}
	b := &s.buf
	b.Reset()
	b.WriteString(ansi.CursorHomePosition)
	for i, l := range lines {
		if i < len(s.lines) && s.lines[i] == l {
			if i < len(lines)-1 {
				b.WriteByte('\n')
			}
			continue
		}
		if s.width > 0 {
			l = ansi.Truncate(l, s.width, "")
			if ansi.StringWidth(l) < s.width {
				l += ansi.EraseLineRight
			}
		}
		b.WriteString(l)
		if i < len(lines)-1 {
			b.WriteString("\r\n")
		}
	}
	if len(s.lines) > len(lines) {
		b.WriteString(ansi.EraseScreenBelow)
	}
	b.WriteString(ansi.CursorPosition(0, len(lines)))
	s.last = time.Now()
	s.drawn, s.lines = v, lines
	_, _ = s.out.Write(b.Bytes())
	if b.Cap() > 64<<10 {
		s.buf = bytes.Buffer{} // a huge frame's buffer is not kept for the idle ones
	}
}

// onScreen runs a session's model and draws its views on a display. The
// program calls View after every message; the display draws only what
// changed.
type onScreen struct {
	m   tea.Model
	scr *display
}

func (o onScreen) Init() tea.Cmd { return o.m.Init() }

func (o onScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		o.scr.resize(ws.Width, ws.Height)
	}
	var cmd tea.Cmd
	o.m, cmd = o.m.Update(msg)
	return o, cmd
}

func (o onScreen) View() string {
	v := o.m.View()
	o.scr.view(v)
	return v
}
