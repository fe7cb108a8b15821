package serve

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// written collects what a display writes, one Write per element.
type written struct {
	mu     sync.Mutex
	writes []string
}

func (w *written) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

// take returns the writes since the last take.
func (w *written) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.writes
	w.writes = nil
	return out
}

func TestDisplayWritesOnlyWhatChanged(t *testing.T) {
	tests := []struct {
		name      string
		before    string // the view on screen
		view      string
		want      []string // in the one frame written
		wantNot   []string
		wantNoOut bool
	}{
		{name: "unchanged view writes nothing", before: "head\nbody\nfoot", view: "head\nbody\nfoot", wantNoOut: true},
		{name: "one changed line is the only one written", before: "head 12s\nbody\nfoot", view: "head 13s\nbody\nfoot",
			want: []string{"head 13s" + ansi.EraseLineRight}, wantNot: []string{"body", "foot"}},
		{name: "a shorter frame erases what was below", before: "a\nb\nc", view: "a\nb",
			want: []string{ansi.EraseScreenBelow}, wantNot: []string{"c"}},
		{name: "a line wider than the client is cut", before: "x", view: strings.Repeat("w", 30),
			want: []string{strings.Repeat("w", 20)}, wantNot: []string{strings.Repeat("w", 21)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &written{}
			d := &display{out: out} // no gap: every change is drawn at once
			d.resize(20, 5)
			d.view(tt.before)
			if got := out.take(); len(got) != 1 || !strings.Contains(got[0], strings.Split(tt.before, "\n")[0]) {
				t.Fatalf("the first frame was written as %q", got)
			}
			d.view(tt.view)
			got := out.take()
			if tt.wantNoOut {
				if len(got) != 0 {
					t.Fatalf("wrote %q for an unchanged view", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("wrote %d frames, want 1: %q", len(got), got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got[0], w) {
					t.Errorf("frame %q lacks %q", got[0], w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got[0], w) {
					t.Errorf("frame %q rewrites %q", got[0], w)
				}
			}
		})
	}
}

func TestDisplayDrawsTheNewestViewOncePerGap(t *testing.T) {
	out := &written{}
	d := &display{out: out, gap: time.Hour} // the timer never fires by itself here
	defer d.close()
	d.resize(40, 10)
	d.view("first")
	if got := out.take(); len(got) != 1 {
		t.Fatalf("the first view after a quiet gap is drawn at once; wrote %q", got)
	}
	d.view("second")
	d.view("third")
	if got := out.take(); len(got) != 0 {
		t.Fatalf("views within the gap were drawn at once: %q", got)
	}
	d.fire() // the gap has passed
	got := out.take()
	if len(got) != 1 || !strings.Contains(got[0], "third") || strings.Contains(got[0], "second") {
		t.Fatalf("after the gap, want one frame of the newest view; wrote %q", got)
	}
}

func TestDisplayWaitsForTheClientSize(t *testing.T) {
	out := &written{}
	d := &display{out: out}
	defer d.close()
	d.view("laid out for 80x24")
	if got := out.take(); len(got) != 0 {
		t.Fatalf("drew %q before the program had the client's size", got)
	}
	d.resize(100, 30)
	d.view("laid out for 100x30")
	got := out.take()
	if len(got) != 1 || !strings.Contains(got[0], "100x30") {
		t.Fatalf("after the size, want the sized view; wrote %q", got)
	}
	// A resize repaints every line, though the view is the same.
	d.resize(90, 30)
	d.view("laid out for 100x30")
	if got := out.take(); len(got) != 1 || !strings.Contains(got[0], "100x30") {
		t.Fatalf("a resize did not repaint; wrote %q", got)
	}
}

func TestDisplayOpenAndClose(t *testing.T) {
	out := &written{}
	d := &display{out: out, gap: time.Hour}
	d.open()
	if got := strings.Join(out.take(), ""); !strings.Contains(got, ansi.SetModeAltScreenSaveCursor) || !strings.Contains(got, ansi.HideCursor) {
		t.Fatalf("open wrote %q, want the alternate screen and a hidden cursor", got)
	}
	d.resize(40, 10)
	d.view("a")
	d.view("b") // waits for the gap
	out.take()
	d.close()
	d.close()
	got := out.take()
	if len(got) != 1 || !strings.Contains(got[0], ansi.ResetModeAltScreenSaveCursor) || !strings.Contains(got[0], ansi.ShowCursor) {
		t.Fatalf("close wrote %q, want the main screen and the cursor back, once", got)
	}
	d.fire()
	d.view("c")
	if got := out.take(); len(got) != 0 {
		t.Fatalf("a closed display wrote %q", got)
	}
}
