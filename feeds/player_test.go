package feeds

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// sliceStream plays fixed batches, batch i carrying a RankingUpdate with ID
// "b<i>".
type sliceStream struct {
	mu    sync.Mutex
	waits []time.Duration
	i     int
}

func (s *sliceStream) Name() string { return "test" }

func (s *sliceStream) Next() ([]model.Update, time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.i >= len(s.waits) {
		return nil, 0, false
	}
	i := s.i
	s.i++
	return []model.Update{model.RankingUpdate{IDs: []string{"b" + string(rune('0'+i))}}}, s.waits[i], true
}

// deliveries records the fake time of each delivered batch.
type deliveries struct {
	mu    sync.Mutex
	fc    *fakeClock
	times []time.Duration
}

func (d *deliveries) sink(us []model.Update) {
	d.mu.Lock()
	d.times = append(d.times, d.fc.Now().Sub(epoch))
	d.mu.Unlock()
}

func (d *deliveries) got() []time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]time.Duration(nil), d.times...)
}

// startPlayer runs pl; ended is closed when Run returns.
func startPlayer(t *testing.T, pl *Player) (cancel func(), ended chan struct{}) {
	t.Helper()
	ctx, c := context.WithCancel(context.Background())
	ended = make(chan struct{})
	go func() {
		if err := pl.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
		close(ended)
	}()
	t.Cleanup(func() {
		c()
		<-ended
	})
	return c, ended
}

func TestPlayerPacing(t *testing.T) {
	tests := []struct {
		name  string
		speed float64
		waits []time.Duration
		want  []time.Duration
	}{
		{"speed 1", 1, secs(0, 2, 3, 0), secs(0, 2, 5, 5)},
		{"speed 2", 2, secs(0, 2, 3), secs(0, 1, 2.5)},
		{"speed 1/2", 0.5, secs(1, 2), secs(2, 6)},
		{"default speed", 0, secs(4), secs(4)},
		{"negative wait is none", 1, []time.Duration{-time.Hour, time.Second}, secs(0, 1)},
		{"clamped to 64", 1000, secs(64, 128), secs(1, 3)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := newFakeClock()
			d := &deliveries{fc: fc}
			pl := NewPlayer(&sliceStream{waits: tc.waits}, d.sink, PlayerOptions{Speed: tc.speed, Clock: fc})
			h := newPlayerHarness(t, fc, pl)
			_, ended := startPlayer(t, pl)
			total := time.Duration(0)
			for _, w := range tc.want {
				total = max(total, w)
			}
			// Step fake time until the stream has ended.
			for step := 0; ; step++ {
				select {
				case <-ended:
					if got := d.got(); !equalDurations(got, tc.want) {
						t.Fatalf("delivered at %v, want %v", got, tc.want)
					}
					return
				default:
				}
				if step > 1000 {
					t.Fatalf("stream did not end; delivered at %v", d.got())
				}
				next, ok := fc.nextDeadline()
				if !ok {
					time.Sleep(time.Millisecond) // between Next calls, or ending
					continue
				}
				h.settle()
				fc.set(next)
			}
		})
	}
}

func TestPlayerSpeedChangeAppliesToPendingWait(t *testing.T) {
	fc := newFakeClock()
	d := &deliveries{fc: fc}
	pl := NewPlayer(&sliceStream{waits: secs(10, 10, 1000)}, d.sink, PlayerOptions{Clock: fc})
	h := newPlayerHarness(t, fc, pl)
	startPlayer(t, pl)
	h.advance(4 * time.Second) // 4 s of the 10 s wait done at speed 1
	pl.SetSpeed(2)             // the remaining 6 s take 3 s
	h.advance(2 * time.Second)
	if got := d.got(); len(got) != 0 {
		t.Fatalf("delivered early at %v", got)
	}
	h.advance(time.Second)
	if got, want := d.got(), secs(7); !equalDurations(got, want) {
		t.Fatalf("delivered at %v, want %v", got, want)
	}
	// The next wait runs wholly at speed 2, then slows to 1/2 halfway.
	h.advance(2500 * time.Millisecond) // 5 s of stream time
	pl.SetSpeed(0.5)                   // the other 5 s take 10 s
	h.advance(9 * time.Second)
	if n := len(d.got()); n != 1 {
		t.Fatalf("second batch early: %v", d.got())
	}
	h.advance(time.Second)
	if got, want := d.got(), secs(7, 19.5); !equalDurations(got, want) {
		t.Fatalf("delivered at %v, want %v", got, want)
	}
	if pl.Speed() != 0.5 {
		t.Errorf("Speed() = %v", pl.Speed())
	}
}

func TestPlayerPauseStopsTheClock(t *testing.T) {
	fc := newFakeClock()
	d := &deliveries{fc: fc}
	pl := NewPlayer(&sliceStream{waits: secs(10, 0, 5)}, d.sink, PlayerOptions{Clock: fc})
	h := newPlayerHarness(t, fc, pl)
	startPlayer(t, pl)
	h.advance(4 * time.Second)
	pl.SetPaused(true)
	if !pl.Paused() {
		t.Fatal("Paused() false")
	}
	h.settle()
	if n := fc.armed(); n != 0 {
		t.Errorf("%d timers armed while paused: a paused player must wait on nothing", n)
	}
	h.advance(time.Hour)
	if got := d.got(); len(got) != 0 {
		t.Fatalf("delivered while paused: %v", got)
	}
	pl.SetPaused(false) // 6 s of the wait remain
	h.advance(5 * time.Second)
	if got := d.got(); len(got) != 0 {
		t.Fatalf("delivered early: %v", got)
	}
	h.advance(time.Second)
	want := []time.Duration{time.Hour + 10*time.Second, time.Hour + 10*time.Second}
	if got := d.got(); !equalDurations(got, want) {
		t.Fatalf("delivered at %v, want %v", got, want)
	}
	// Pausing holds even a batch that is due at once.
	pl.SetPaused(true)
	pl.Refresh() // a no-op for streams
	h.advance(time.Minute)
	if n := len(d.got()); n != 2 {
		t.Fatalf("%d batches after pausing, want 2", n)
	}
}

func TestPlayerStartsPausedAndEnds(t *testing.T) {
	fc := newFakeClock()
	d := &deliveries{fc: fc}
	pl := NewPlayer(&sliceStream{waits: secs(0, 1)}, d.sink, PlayerOptions{Clock: fc, Paused: true})
	h := newPlayerHarness(t, fc, pl)
	_, ended := startPlayer(t, pl)
	h.advance(time.Minute)
	if n := len(d.got()); n != 0 {
		t.Fatalf("a player started paused delivered %d batches", n)
	}
	pl.SetPaused(false)
	h.settle()
	h.fc.set(fc.Now().Add(time.Second))
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return at the end of the stream")
	}
	if got, want := d.got(), []time.Duration{time.Minute, time.Minute + time.Second}; !equalDurations(got, want) {
		t.Errorf("delivered at %v, want %v", got, want)
	}
}

func TestPlayerCancelDuringWait(t *testing.T) {
	fc := newFakeClock()
	d := &deliveries{fc: fc}
	pl := NewPlayer(&sliceStream{waits: secs(100)}, d.sink, PlayerOptions{Clock: fc})
	h := newPlayerHarness(t, fc, pl)
	cancel, ended := startPlayer(t, pl)
	h.settle()
	cancel()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return on cancel")
	}
	if n := len(d.got()); n != 0 {
		t.Errorf("delivered %d batches after cancel", n)
	}
}

func TestPlayerSetSpeedClamps(t *testing.T) {
	pl := NewPlayer(&sliceStream{}, nil, PlayerOptions{})
	tests := []struct{ in, want float64 }{
		// 0, negative and NaN are ignored: the speed stays what it was.
		{2, 2}, {1000, MaxSpeed}, {0.001, MinSpeed}, {0, MinSpeed}, {-3, MinSpeed}, {math.NaN(), MinSpeed}, {math.Inf(1), MaxSpeed},
	}
	for _, tc := range tests {
		pl.SetSpeed(tc.in)
		if got := pl.Speed(); got != tc.want {
			t.Errorf("SetSpeed(%v) → %v, want %v", tc.in, got, tc.want)
		}
	}
	if pl.Name() != "test" {
		t.Errorf("Name() = %q", pl.Name())
	}
	if NewPlayer(&sliceStream{}, nil, PlayerOptions{Speed: math.NaN()}).Speed() != 1 {
		t.Error("NaN initial speed is not 1")
	}
}
