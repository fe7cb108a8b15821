// Package serve shares one engine's market with many readers: terminal
// viewers over SSH, an HTTP API with Prometheus metrics and Server-Sent
// Events, and webhooks. It never polls anything itself: the wiring
// (cmd/tokentape) hands it each Snapshot the engine publishes, and every
// reader shares that one immutable value.
package serve

import (
	"errors"
	"sync"
	"time"

	"github.com/tokentape/tokentape/model"
)

// ErrFull is returned by Register when the hub already holds its maximum
// number of viewers.
var ErrFull = errors.New("the server has all the viewers it accepts")

// Hub fans the engine's snapshots out to viewers. Each viewer has a mailbox
// of one slot where the newest snapshot replaces an unread one, so Publish
// never blocks on a viewer: a slow screen skips frames instead of stalling
// the engine. A viewer that has left a snapshot unread for longer than the
// stall limit is dropped (its Done channel closes), so a client that never
// reads costs nothing lasting.
type Hub struct {
	mu      sync.Mutex
	latest  *model.Snapshot
	viewers map[*Viewer]struct{}
	max     int
	stall   time.Duration
	now     func() time.Time
}

// HubOptions configure a Hub; zero fields take defaults.
type HubOptions struct {
	// MaxViewers caps the registered viewers (default 200).
	MaxViewers int
	// Stall is how long a viewer may leave a snapshot unread before it is
	// dropped (default 1 minute).
	Stall time.Duration
	// Now is the clock; nil means time.Now. Tests inject one.
	Now func() time.Time
}

// NewHub returns an empty hub.
func NewHub(o HubOptions) *Hub {
	if o.MaxViewers <= 0 {
		o.MaxViewers = 200
	}
	if o.Stall <= 0 {
		o.Stall = time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Hub{viewers: make(map[*Viewer]struct{}), max: o.MaxViewers, stall: o.Stall, now: o.Now}
}

// Viewer is one registered reader of the hub's snapshots.
type Viewer struct {
	hub  *Hub
	box  chan *model.Snapshot // one slot: the newest unread snapshot
	done chan struct{}        // closed when the viewer leaves or is dropped

	// Guarded by hub.mu.
	unreadSince time.Time // when the oldest unread snapshot was put in box; zero when empty
	dropped     bool
	stalled     bool // dropped for not reading
}

// Register adds a viewer. It receives the newest snapshot at once (when the
// hub has one), then every later one it keeps up with. The caller must call
// Close when done, even after the viewer was dropped.
func (h *Hub) Register() (*Viewer, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.viewers) >= h.max {
		return nil, ErrFull
	}
	v := &Viewer{hub: h, box: make(chan *model.Snapshot, 1), done: make(chan struct{})}
	if h.latest != nil {
		v.box <- h.latest
		v.unreadSince = h.now()
	}
	h.viewers[v] = struct{}{}
	return v, nil
}

// Publish hands a snapshot to every viewer without blocking, and drops the
// viewers that have not read for longer than the stall limit. It is called
// from the engine's goroutine.
func (h *Hub) Publish(s *model.Snapshot) {
	if s == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.latest = s
	now := h.now()
	for v := range h.viewers {
		select {
		case v.box <- s:
			v.unreadSince = now
			continue
		default:
		}
		// The previous snapshot is still unread.
		if !v.unreadSince.IsZero() && now.Sub(v.unreadSince) > h.stall {
			v.stalled = true
			h.dropLocked(v)
			continue
		}
		// Replace it with the newer one. Only the hub sends, under h.mu, so
		// after taking the stale value out the send cannot block.
		select {
		case <-v.box:
		default:
			// The viewer read it meanwhile: its clock restarts with this one.
			v.unreadSince = now
		}
		v.box <- s
	}
}

// Latest returns the newest published snapshot, nil before the first.
func (h *Hub) Latest() *model.Snapshot {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.latest
}

// Len reports how many viewers are registered.
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.viewers)
}

func (h *Hub) dropLocked(v *Viewer) {
	if v.dropped {
		return
	}
	v.dropped = true
	delete(h.viewers, v)
	close(v.done)
}

// read restarts the stall clock once the mailbox is empty.
func (v *Viewer) read() {
	v.hub.mu.Lock()
	if len(v.box) == 0 {
		v.unreadSince = time.Time{}
	}
	v.hub.mu.Unlock()
}

// Next waits for the next snapshot, or returns false when the viewer is
// dropped or closed, or stop closes.
func (v *Viewer) Next(stop <-chan struct{}) (*model.Snapshot, bool) {
	select {
	case s := <-v.box:
		v.read()
		return s, true
	case <-v.done:
		return nil, false
	case <-stop:
		return nil, false
	}
}

// Done is closed when the viewer is dropped for not reading, or closed.
func (v *Viewer) Done() <-chan struct{} { return v.done }

// Close unregisters the viewer; it is safe to call more than once and after
// the hub dropped it.
func (v *Viewer) Close() {
	v.hub.mu.Lock()
	defer v.hub.mu.Unlock()
	v.hub.dropLocked(v)
}

// Stalled reports whether the hub dropped the viewer for not reading.
func (v *Viewer) Stalled() bool {
	v.hub.mu.Lock()
	defer v.hub.mu.Unlock()
	return v.stalled
}
