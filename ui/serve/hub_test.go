package serve

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// fakeNow is a settable clock.
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeNow) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeNow) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func snap(v uint64) *model.Snapshot { return &model.Snapshot{Version: v, Source: "demo"} }

func recv(t *testing.T, v *Viewer) *model.Snapshot {
	t.Helper()
	stop := make(chan struct{})
	timer := time.AfterFunc(2*time.Second, func() { close(stop) })
	defer timer.Stop()
	s, ok := v.Next(stop)
	if !ok {
		t.Fatal("no snapshot within 2s")
	}
	return s
}

func TestHubRegisterBroadcastUnregister(t *testing.T) {
	h := NewHub(HubOptions{MaxViewers: 3})
	a, err := h.Register()
	if err != nil {
		t.Fatal(err)
	}
	h.Publish(snap(1))
	b, _ := h.Register() // joins late: gets the newest at once
	if got := recv(t, a).Version; got != 1 {
		t.Errorf("a got version %d, want 1", got)
	}
	if got := recv(t, b).Version; got != 1 {
		t.Errorf("late b got version %d, want 1", got)
	}
	h.Publish(snap(2))
	h.Publish(snap(3)) // a and b have not read 2: 3 replaces it
	for name, v := range map[string]*Viewer{"a": a, "b": b} {
		if got := recv(t, v).Version; got != 3 {
			t.Errorf("%s got version %d, want the newest (3)", name, got)
		}
	}
	c, _ := h.Register()
	if _, err := h.Register(); !errors.Is(err, ErrFull) {
		t.Errorf("fourth viewer of three: err %v, want ErrFull", err)
	}
	b.Close()
	b.Close() // twice is harmless
	if h.Len() != 2 {
		t.Errorf("Len %d after one left, want 2", h.Len())
	}
	select {
	case <-b.Done():
	default:
		t.Error("a closed viewer's Done is open")
	}
	h.Publish(snap(4))
	if got := recv(t, c).Version; got != 4 {
		t.Errorf("c got %d, want 4", got)
	}
	if _, ok := b.Next(nil); ok {
		t.Error("a closed viewer still receives")
	}
	if _, err := h.Register(); err != nil {
		t.Errorf("a seat freed by Close is not reusable: %v", err)
	}
}

func TestHubDropsSlowReader(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 8, 19, 12, 0, 0, 0, time.UTC)}
	h := NewHub(HubOptions{Stall: 10 * time.Second, Now: clk.now})
	slow, _ := h.Register()
	fast, _ := h.Register()
	for i := uint64(1); i <= 5; i++ {
		h.Publish(snap(i))
		recv(t, fast)
		clk.add(3 * time.Second)
	}
	// slow has left snapshot 1 unread for 12s: the fifth publish dropped it.
	select {
	case <-slow.Done():
	default:
		t.Fatal("a viewer that never read was not dropped")
	}
	if !slow.Stalled() {
		t.Error("Stalled() false for a dropped slow reader")
	}
	if fast.Stalled() {
		t.Error("the reading viewer counts as stalled")
	}
	if h.Len() != 1 {
		t.Errorf("Len %d, want 1 (the fast viewer)", h.Len())
	}
	slow.Close() // the owner still closes: harmless
	// A viewer that reads late but within the limit stays.
	late, _ := h.Register()
	recv(t, late) // takes the snapshot it joined with
	h.Publish(snap(6))
	clk.add(9 * time.Second)
	h.Publish(snap(7))
	recv(t, late)
	clk.add(9 * time.Second)
	h.Publish(snap(8))
	select {
	case <-late.Done():
		t.Error("a viewer that reads within the stall limit was dropped")
	default:
	}
}

func TestHubConcurrentNoLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	h := NewHub(HubOptions{MaxViewers: 64})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				v, err := h.Register()
				if err != nil {
					continue
				}
				for k := 0; k < 3; k++ {
					if _, ok := v.Next(stop); !ok {
						break
					}
				}
				v.Close()
			}
		}()
	}
	pubDone := make(chan struct{})
	go func() {
		defer close(pubDone)
		for i := uint64(1); ; i++ {
			select {
			case <-stop:
				return
			default:
				h.Publish(snap(i))
				time.Sleep(50 * time.Microsecond)
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-pubDone
	if n := h.Len(); n != 0 {
		t.Errorf("%d viewers left registered after all closed", n)
	}
	waitGoroutines(t, before)
}

// waitGoroutines fails when the goroutine count does not come back to
// before (plus a little slack for the runtime) within two seconds.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before+2 {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: %d before, %d after\n%s", before, n, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestEventsBacklogAndSlowStream(t *testing.T) {
	e := NewEvents(4, 2)
	for i := 0; i < 6; i++ {
		e.Publish("snapshot", []byte(`{}`))
	}
	// Kept: ids 3..6. A client that saw 4 gets 5 and 6.
	st, backlog, err := e.Subscribe(4)
	if err != nil {
		t.Fatal(err)
	}
	if len(backlog) != 2 || backlog[0].ID != 5 || backlog[1].ID != 6 {
		t.Errorf("backlog after 4: %+v, want ids 5 and 6", backlog)
	}
	reader, b, _ := e.Subscribe(0)
	if len(b) != 0 {
		t.Errorf("a new client got a backlog of %d", len(b))
	}
	if _, _, err := e.Subscribe(0); !errors.Is(err, ErrFull) {
		t.Errorf("third stream of two: %v, want ErrFull", err)
	}
	for i := 0; i < streamBuffer+1; i++ {
		e.Publish("alert", []byte(`{}`))
		<-reader.C() // this one keeps up
	}
	select {
	case <-st.Done():
	default:
		t.Error("a stream a full buffer behind was not dropped")
	}
	if e.Len() != 1 {
		t.Errorf("Len %d, want 1", e.Len())
	}
}
