package feeds

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokentape/tokentape/model"
)

// The range of playback speeds SetSpeed accepts.
const (
	MinSpeed = 1.0 / 8
	MaxSpeed = 64.0
)

// PlayerOptions configures NewPlayer.
type PlayerOptions struct {
	// Speed is the initial playback speed; 0 means 1. It is clamped to
	// [MinSpeed, MaxSpeed].
	Speed float64
	// Paused starts the player paused.
	Paused bool
	// Clock is the time source; nil means RealClock().
	Clock Clock
}

// Player runs a Stream (the demo market, a replay): it delivers each batch to
// the sink wait/speed after the previous one. Pausing stops its clock, and a
// paused player waits on nothing but its controls, so it costs no CPU. A
// speed change applies to the wait in progress: the part of it already
// elapsed counts at the old speed, the rest at the new one.
//
// Its controls are safe to call from any goroutine.
type Player struct {
	st    Stream
	sink  Sink
	clock Clock

	busy atomic.Bool

	mu     sync.Mutex
	paused bool
	speed  float64
	wakeTx uint64
	wake   chan struct{}

	dbg *loopDebug // set by tests only
}

var _ Controls = (*Player)(nil)

// NewPlayer returns a player of st delivering to sink.
func NewPlayer(st Stream, sink Sink, opts PlayerOptions) *Player {
	pl := &Player{st: st, sink: sink, clock: opts.Clock, paused: opts.Paused,
		speed: clampSpeed(opts.Speed), wake: make(chan struct{}, 1)}
	if pl.clock == nil {
		pl.clock = RealClock()
	}
	if pl.sink == nil {
		pl.sink = func([]model.Update) {}
	}
	return pl
}

func clampSpeed(s float64) float64 {
	if s == 0 || math.IsNaN(s) {
		return 1
	}
	return min(max(s, MinSpeed), MaxSpeed)
}

// Name is the stream's name ("demo", "replay").
func (pl *Player) Name() string { return pl.st.Name() }

// SetPaused stops (true) or resumes (false) playback. The wait in progress
// keeps what is left of it.
func (pl *Player) SetPaused(paused bool) {
	pl.mu.Lock()
	pl.paused = paused
	pl.pokeLocked()
	pl.mu.Unlock()
}

// Paused reports whether playback is paused.
func (pl *Player) Paused() bool {
	paused, _ := pl.state()
	return paused
}

// Refresh does nothing: a stream has no upstream to ask.
func (pl *Player) Refresh() {}

// SetSpeed sets the playback speed, clamped to [MinSpeed, MaxSpeed]; it
// takes effect on the wait in progress. A NaN or non-positive speed is
// ignored.
func (pl *Player) SetSpeed(speed float64) {
	if math.IsNaN(speed) || speed <= 0 {
		return
	}
	pl.mu.Lock()
	pl.speed = clampSpeed(speed)
	pl.pokeLocked()
	pl.mu.Unlock()
}

// Speed is the playback speed (1 = as recorded or as designed).
func (pl *Player) Speed() float64 {
	_, speed := pl.state()
	return speed
}

func (pl *Player) pokeLocked() {
	select {
	case pl.wake <- struct{}{}:
		pl.wakeTx++
	default:
	}
}

func (pl *Player) state() (paused bool, speed float64) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return pl.paused, pl.speed
}

// Run plays the stream until it ends (returning nil) or ctx is done
// (returning nil). The sink is called from Run's goroutine only.
func (pl *Player) Run(ctx context.Context) error {
	if !pl.busy.CompareAndSwap(false, true) {
		return errors.New("feeds: player is already running")
	}
	defer pl.busy.Store(false)

	timer := pl.clock.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		if ctx.Err() != nil {
			return nil
		}
		batch, wait, ok := pl.st.Next()
		if !ok {
			return nil
		}
		remaining := max(wait, 0) // stream time still to wait before batch
		for {
			paused, speed := pl.state()
			if !paused && remaining <= 0 {
				break
			}
			var armedAt time.Time
			if paused {
				timer.Stop()
			} else {
				armedAt = pl.clock.Now()
				timer.Reset(time.Duration(float64(remaining) / speed))
			}
			pl.dbg.block(0)
			select {
			case <-ctx.Done():
				pl.dbg.woke(wokeOther)
				return nil
			case <-timer.C():
				pl.dbg.woke(wokeTimer)
				remaining = 0
			case <-pl.wake:
				pl.dbg.woke(wokeControl)
				if !paused {
					elapsed := pl.clock.Now().Sub(armedAt)
					remaining -= time.Duration(float64(elapsed) * speed)
				}
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		if len(batch) > 0 {
			pl.sink(batch)
		}
	}
}
