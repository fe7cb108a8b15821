package serve

import (
	"bytes"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// BenchmarkFanout50Viewers measures how long a new snapshot takes to reach
// the screens of 50 SSH viewers: from Publish until every client has read
// the header with the snapshot's new "as of" time. ns/op is that latency.
// back-to-back publishes each snapshot as soon as the last one is on every
// screen (a burst: a screen draws at most FPS frames a second, so each waits
// out the rest of its 1/FPS gap); quiet leaves a quarter second between
// snapshots, as a server's polls do.
func BenchmarkFanout50Viewers(b *testing.B) {
	b.Run("back-to-back", func(b *testing.B) { fanout(b, 0) })
	b.Run("quiet", func(b *testing.B) { fanout(b, 250*time.Millisecond) })
}

func fanout(b *testing.B, quiet time.Duration) {
	const viewers = 50
	key := newKey(b)
	f := startSSH(b, key.PublicKey())
	base := liveSnapshot(b)
	f.hub.Publish(base)

	var (
		want    atomic.Pointer[[]byte] // the text every screen must show
		pending sync.WaitGroup
	)
	for i := 0; i < viewers; i++ {
		c, err := dial(f.addr, key)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		sess, err := c.NewSession()
		if err != nil {
			b.Fatal(err)
		}
		out, _ := sess.StdoutPipe()
		if err := sess.RequestPty("xterm", 40, 120, gossh.TerminalModes{}); err != nil {
			b.Fatal(err)
		}
		if err := sess.Shell(); err != nil {
			b.Fatal(err)
		}
		go func() {
			var seen []byte // the previous marker found, so each is counted once
			tail := make([]byte, 0, 4096)
			buf := make([]byte, 32<<10)
			for {
				n, err := out.Read(buf)
				if err != nil {
					return
				}
				tail = append(tail, buf[:n]...)
				if w := want.Load(); w != nil && !bytes.Equal(seen, *w) && bytes.Contains(tail, *w) {
					seen = *w
					tail = tail[:0]
					pending.Done()
				}
				if len(tail) > 2048 {
					tail = append(tail[:0], tail[len(tail)-256:]...)
				}
			}
		}()
	}
	waitFor(b, func() bool { return f.hub.Len() == viewers })
	time.Sleep(time.Second) // every program has drawn its first frame
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if quiet > 0 {
			b.StopTimer()
			time.Sleep(quiet)
			b.StartTimer()
		}
		s := *base
		s.AsOf = base.AsOf.Add(time.Duration(i+1) * time.Minute)
		marker := []byte(s.AsOf.UTC().Format("15:04") + " UTC")
		pending.Add(viewers)
		want.Store(&marker)
		f.hub.Publish(&s)
		done := make(chan struct{})
		go func() { pending.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			b.Fatal("not every viewer showed the new snapshot within 10s")
		}
	}
}
