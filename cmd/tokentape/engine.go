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
	swap   chan swapRequest
}

// swapRequest asks Run to replace the market (see Swap).
type swapRequest struct {
	m    *model.Market
	done chan struct{}
}

// NewEngine wraps a market. Nothing runs until Run.
func NewEngine(m *model.Market) *Engine {
	e := &Engine{market: m, in: make(chan []model.Update, 256), minGap: 100 * time.Millisecond,
		done: make(chan struct{}), swap: make(chan swapRequest)}
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

// Swap replaces the market with m (an auto run going live after the demo
// fallback): batches still queued for the old market are dropped, and the
// new market's snapshot is published at once. It returns when Run has made
// the switch, false if ctx ended or Run stopped first. The old market's
// sources must have stopped before, or their batches would reach m.
func (e *Engine) Swap(ctx context.Context, m *model.Market) bool {
	req := swapRequest{m: m, done: make(chan struct{})}
	select {
	case e.swap <- req:
	case <-ctx.Done():
		return false
	case <-e.done:
		return false
	}
	select {
	case <-req.done:
		return true
	case <-ctx.Done():
		return false
	case <-e.done:
		return false
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
		case req := <-e.swap:
			for drained := false; !drained; {
				select {
				case <-e.in: // the old market's: nothing of it carries over
				default:
					drained = true
				}
			}
			e.market = req.m
			flush()
			close(req.done)
		}
	}
}

func (e *Engine) apply(batch []model.Update) {
	for _, u := range batch {
		e.market.Apply(u)
	}
}
