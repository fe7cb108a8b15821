package serve

import (
	"bufio"
	"context"
	"github.com/charmbracelet/log"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// liveRecording is the real catalogue of 414 listings (see testdata/README.md).
const liveRecording = "testdata/openrouter_live_2026-08-19.ndjson"

// loadMarket applies a recording to a new live market and returns it.
func loadMarket(t testing.TB, path string) *model.Market {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var last time.Time
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return last }})
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		r, err := model.UnmarshalRecord(sc.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		last = r.Time
		m.Apply(r.Update)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func liveSnapshot(t testing.TB) *model.Snapshot {
	t.Helper()
	s := loadMarket(t, liveRecording).Snapshot()
	if len(s.Listings) < 400 {
		t.Fatalf("the recording holds %d listings, want the real catalogue's 414", len(s.Listings))
	}
	return s
}

func timeSec(n int) time.Duration { return time.Duration(n) * time.Second }

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

// lockedWriter lets a test read what concurrent loggers wrote.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func newTestLogger(w io.Writer) *log.Logger { return log.New(w) }
