package serve

import (
	"sync"
)

// Event is one Server-Sent Event: an alert that fired or resolved, or a
// notice that a new snapshot is out.
type Event struct {
	ID   uint64
	Type string // "alert" or "snapshot"
	Data []byte // one line of JSON
}

// Events keeps the last events in a ring, so a client that reconnects with
// Last-Event-ID gets what it missed, and fans new ones out to streams. A
// stream that falls a full buffer behind is dropped; its client reconnects
// and catches up from the ring.
type Events struct {
	mu      sync.Mutex
	ring    []Event // oldest first, at most keep
	keep    int
	next    uint64
	streams map[*Stream]struct{}
	max     int
}

// Stream is one subscriber's queue of events.
type Stream struct {
	ev     *Events
	ch     chan Event
	done   chan struct{}
	closed bool // guarded by ev.mu
}

// streamBuffer is how many events a stream may fall behind before it is dropped.
const streamBuffer = 64

// NewEvents returns a broker keeping the last keep events for at most
// maxStreams subscribers (defaults 256 and 1024).
func NewEvents(keep, maxStreams int) *Events {
	if keep <= 0 {
		keep = 256
	}
	if maxStreams <= 0 {
		maxStreams = 1024
	}
	return &Events{keep: keep, next: 1, streams: make(map[*Stream]struct{}), max: maxStreams}
}

// Subscribe opens a stream. The returned backlog holds the kept events
// newer than lastID (none when lastID is 0: a new client starts now).
func (e *Events) Subscribe(lastID uint64) (*Stream, []Event, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.streams) >= e.max {
		return nil, nil, ErrFull
	}
	var backlog []Event
	if lastID > 0 {
		for _, ev := range e.ring {
			if ev.ID > lastID {
				backlog = append(backlog, ev)
			}
		}
	}
	s := &Stream{ev: e, ch: make(chan Event, streamBuffer), done: make(chan struct{})}
	e.streams[s] = struct{}{}
	return s, backlog, nil
}

// Publish appends an event and hands it to every stream without blocking.
func (e *Events) Publish(typ string, data []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ev := Event{ID: e.next, Type: typ, Data: data}
	e.next++
	if len(e.ring) == e.keep {
		copy(e.ring, e.ring[1:])
		e.ring = e.ring[:e.keep-1]
	}
	e.ring = append(e.ring, ev)
	for s := range e.streams {
		select {
		case s.ch <- ev:
		default:
			e.closeLocked(s)
		}
	}
}

// Len reports the open streams.
func (e *Events) Len() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.streams)
}

func (e *Events) closeLocked(s *Stream) {
	if s.closed {
		return
	}
	s.closed = true
	delete(e.streams, s)
	close(s.done)
}

// C delivers the stream's events.
func (s *Stream) C() <-chan Event { return s.ch }

// Done is closed when the stream is dropped for falling behind, or closed.
func (s *Stream) Done() <-chan struct{} { return s.done }

// Close unsubscribes; safe to call more than once.
func (s *Stream) Close() {
	s.ev.mu.Lock()
	defer s.ev.mu.Unlock()
	s.ev.closeLocked(s)
}
