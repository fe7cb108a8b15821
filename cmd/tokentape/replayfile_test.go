package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/replay"
)

// openReplay reads a recording's first batch ahead to refuse a file that
// holds none; the player must still get every batch, the first included.
func TestReadAheadLosesNoBatch(t *testing.T) {
	isolate(t, "")
	rec := filepath.Join(t.TempDir(), "demo.ndjson")
	if code := run([]string{"snapshot", "--source", "demo", "--record", rec}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("recording the demo: exit %d", code)
	}
	count := func(st feeds.Stream) (batches, updates int) {
		for {
			b, _, ok := st.Next()
			if !ok {
				return
			}
			batches++
			updates += len(b)
		}
	}
	plain, err := replay.Open(rec)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	ahead, err := openReplay(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	defer ahead.Close()
	wantB, wantU := count(plain)
	if gotB, gotU := count(ahead); gotB != wantB || gotU != wantU || wantB == 0 {
		t.Errorf("read ahead: %d batches, %d updates; the file holds %d, %d", gotB, gotU, wantB, wantU)
	}
}
