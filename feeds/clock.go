package feeds

import (
	"context"
	"time"
)

// Clock is the time source of the Poller and the Player. Production code uses
// RealClock; tests inject a fake so that schedules, backoff and Retry-After
// waits are checked in fake time instead of by sleeping.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a stopped-or-running timer that fires once after d.
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer with the semantics of time.Timer since Go 1.23:
// after Reset or Stop returns, no value from an earlier arming is received.
type Timer interface {
	// C delivers the time when the timer fires.
	C() <-chan time.Time
	// Reset re-arms the timer to fire after d, discarding a pending fire.
	Reset(d time.Duration)
	// Stop disarms the timer, discarding a pending fire.
	Stop()
}

// RealClock returns the wall clock, backed by time.Timer.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time   { return r.t.C }
func (r realTimer) Reset(d time.Duration) { r.t.Reset(d) }
func (r realTimer) Stop()                 { r.t.Stop() }

// Controls is how the UI pauses, refreshes and changes the speed of whatever
// feeds the market, without importing this package's concrete types: both
// *Poller and *Player implement it, and cmd hands one to the UI.
type Controls interface {
	// SetPaused stops (true) or resumes (false) fetching or playing.
	SetPaused(paused bool)
	// Paused reports whether the feed is paused.
	Paused() bool
	// Refresh asks for fresh data now (a no-op for streams).
	Refresh()
	// SetSpeed sets the playback speed (a no-op for polled live feeds).
	SetSpeed(speed float64)
	// Speed is the playback speed; 0 means speed does not apply (live feeds).
	Speed() float64
}

// Sleep waits d on the wall clock, or until ctx ends, whichever comes
// first, and reports whether the whole wait passed: a retry loop returns
// at once on shutdown instead of sleeping out its backoff.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
