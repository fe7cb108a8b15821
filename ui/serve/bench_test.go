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
func BenchmarkFanout50Viewers(b *testing.B) {
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
