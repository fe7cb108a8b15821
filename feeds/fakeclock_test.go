package feeds

import (
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock whose time moves only when a test advances it. Its
// timers deliver into a one-slot channel, and Reset/Stop drain a pending
// value, like time.Timer since Go 1.23.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	fired  uint64 // values delivered into timer channels and not drained
}

type fakeTimer struct {
	fc    *fakeClock
	ch    chan time.Time
	when  time.Time
	armed bool
}

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newFakeClock() *fakeClock { return &fakeClock{now: epoch} }

func (fc *fakeClock) Now() time.Time {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.now
}

func (fc *fakeClock) NewTimer(d time.Duration) Timer {
	t := &fakeTimer{fc: fc, ch: make(chan time.Time, 1)}
	fc.mu.Lock()
	fc.timers = append(fc.timers, t)
	fc.mu.Unlock()
	t.Reset(d)
	return t
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Reset(d time.Duration) {
	t.fc.mu.Lock()
	defer t.fc.mu.Unlock()
	t.drainLocked()
	t.when, t.armed = t.fc.now.Add(d), true
	if d <= 0 {
		t.fireLocked()
	}
}

func (t *fakeTimer) Stop() {
	t.fc.mu.Lock()
	defer t.fc.mu.Unlock()
	t.drainLocked()
	t.armed = false
}

func (t *fakeTimer) drainLocked() {
	select {
	case <-t.ch:
		t.fc.fired--
	default:
	}
}

func (t *fakeTimer) fireLocked() {
	t.armed = false
	select {
	case t.ch <- t.fc.now:
		t.fc.fired++
	default:
	}
}

// nextDeadline returns the earliest armed timer's deadline.
func (fc *fakeClock) nextDeadline() (time.Time, bool) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	var best time.Time
	found := false
	for _, t := range fc.timers {
		if t.armed && (!found || t.when.Before(best)) {
			best, found = t.when, true
		}
	}
	return best, found
}

// armed counts armed timers (a paused player or poller should have none).
func (fc *fakeClock) armed() int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	n := 0
	for _, t := range fc.timers {
		if t.armed {
			n++
		}
	}
	return n
}

// set moves the clock to at (never backwards) and fires due timers.
func (fc *fakeClock) set(at time.Time) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if at.After(fc.now) {
		fc.now = at
	}
	for _, t := range fc.timers {
		if t.armed && !t.when.After(fc.now) {
			t.fireLocked()
		}
	}
}

func (fc *fakeClock) firedCount() uint64 {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.fired
}

// loopHarness drives a Poller's or Player's loop on a fake clock: settle
// waits (in real time, briefly) until the loop is blocked with nothing in
// flight and every timer fire and control nudge consumed; advance moves fake
// time deadline by deadline, settling after each, so the loop sees time pass
// exactly as it would in production.
type loopHarness struct {
	t      *testing.T
	fc     *fakeClock
	dbg    *loopDebug
	wakeTx func() uint64
}

func (h *loopHarness) settled(inflight int) bool {
	h.dbg.mu.Lock()
	blocked, n, rx, wrx := h.dbg.blocked, h.dbg.inflight, h.dbg.timerRx, h.dbg.wakeRx
	h.dbg.mu.Unlock()
	return blocked && n == inflight && rx == h.fc.firedCount() && wrx == h.wakeTx()
}

// settle waits until the loop is idle with inflight fetches outstanding.
func (h *loopHarness) settleWith(inflight int) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !h.settled(inflight) {
		if time.Now().After(deadline) {
			h.dbg.mu.Lock()
			defer h.dbg.mu.Unlock()
			h.t.Fatalf("loop did not settle (blocked=%v inflight=%d/%d timerRx=%d fired=%d wakeRx=%d wakeTx=%d)",
				h.dbg.blocked, h.dbg.inflight, inflight, h.dbg.timerRx, h.fc.firedCount(), h.dbg.wakeRx, h.wakeTx())
		}
		time.Sleep(200 * time.Microsecond)
	}
}

func (h *loopHarness) settle() { h.t.Helper(); h.settleWith(0) }

// advance moves fake time forward by d, stopping at every timer deadline
// on the way.
func (h *loopHarness) advance(d time.Duration) { h.t.Helper(); h.advanceWith(d, 0) }

func (h *loopHarness) advanceWith(d time.Duration, inflight int) {
	h.t.Helper()
	target := h.fc.Now().Add(d)
	h.settleWith(inflight)
	for {
		next, ok := h.fc.nextDeadline()
		if !ok || next.After(target) {
			break
		}
		h.fc.set(next)
		h.settleWith(inflight)
	}
	h.fc.set(target)
	h.settleWith(inflight)
}

func newPollerHarness(t *testing.T, fc *fakeClock, p *Poller) *loopHarness {
	return newLoopHarness(t, fc, &p.dbg, &p.mu, &p.wakeTx)
}

func newPlayerHarness(t *testing.T, fc *fakeClock, pl *Player) *loopHarness {
	return newLoopHarness(t, fc, &pl.dbg, &pl.mu, &pl.wakeTx)
}

// newLoopHarness drives a loop (the poller's or the player's) through the
// debug hook it sets in *dbg and the wake-ups it counts in *wakeTx under mu.
func newLoopHarness(t *testing.T, fc *fakeClock, dbg **loopDebug, mu *sync.Mutex, wakeTx *uint64) *loopHarness {
	*dbg = &loopDebug{}
	return &loopHarness{t: t, fc: fc, dbg: *dbg, wakeTx: func() uint64 {
		mu.Lock()
		defer mu.Unlock()
		return *wakeTx
	}}
}
