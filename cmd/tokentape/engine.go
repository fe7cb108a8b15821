package main

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// Engine is the one goroutine that owns the Market. Sources hand it batches
// of updates through Sink; it applies them and publishes immutable
// Snapshots, at most one per minGap so that a burst of updates (a backfill,
// a fast replay) costs one frame, not hundreds.
type Engine struct {
	market *model.Market
	in     chan []model.Update
	latest atomic.Pointer[model.Snapshot]
	minGap time.Duration
	done   chan struct{} // closed when Run returns, so senders never block past it
}

// NewEngine wraps a market. Nothing runs until Run.
func NewEngine(m *model.Market) *Engine {
	e := &Engine{market: m, in: make(chan []model.Update, 256), minGap: 100 * time.Millisecond, done: make(chan struct{})}
	e.latest.Store(m.Snapshot())
	return e
}

// Sink is where sources deliver updates. It blocks only when the engine is
// 256 batches behind, which slows a runaway source instead of dropping data,
// and never once the engine has stopped (the batch is then dropped: the
// program is quitting).
func (e *Engine) Sink() feeds.Sink {
	return func(batch []model.Update) {
		if len(batch) == 0 {
			return
		}
		select {
		case e.in <- batch:
		case <-e.done:
		}
	}
}

// Send delivers a batch unless ctx ends first (for callers that must not
// block past shutdown, such as the UI's acknowledgements).
func (e *Engine) Send(ctx context.Context, batch []model.Update) {
	select {
	case e.in <- batch:
	case <-ctx.Done():
	case <-e.done:
	}
}

// Latest returns the newest published Snapshot; never nil.
func (e *Engine) Latest() *model.Snapshot { return e.latest.Load() }

// Run applies updates until ctx ends, calling publish (from this goroutine)
// with each new Snapshot.
func (e *Engine) Run(ctx context.Context, publish func(*model.Snapshot)) {
	var (
		timer   *time.Timer
		timerC  <-chan time.Time
		lastPub time.Time
		dirty   bool
	)
	defer close(e.done)
	flush := func() {
		s := e.market.Snapshot()
		e.latest.Store(s)
		lastPub, dirty = time.Now(), false
		if publish != nil {
			publish(s)
		}
	}
	for {
		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return
		case batch := <-e.in:
			e.apply(batch)
			// Take whatever else is already queued before building a snapshot.
			for drained := false; !drained; {
				select {
				case more := <-e.in:
					e.apply(more)
				default:
					drained = true
				}
			}
			dirty = true
			if wait := e.minGap - time.Since(lastPub); wait > 0 {
				if timerC == nil {
					timer = time.NewTimer(wait)
					timerC = timer.C
				}
				continue
			}
			flush()
		case <-timerC:
			timerC = nil
			if dirty {
				flush()
			}
		}
	}
}

func (e *Engine) apply(batch []model.Update) {
	for _, u := range batch {
		e.market.Apply(u)
	}
}

// Drain applies everything queued so far without publishing; for one-shot
// commands that feed the engine and then read the market once.
func (e *Engine) Drain() *model.Snapshot {
	for {
		select {
		case batch := <-e.in:
			e.apply(batch)
		default:
			s := e.market.Snapshot()
			e.latest.Store(s)
			return s
		}
	}
}
