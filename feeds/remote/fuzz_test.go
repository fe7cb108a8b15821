package remote

import (
	"bufio"
	"bytes"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// FuzzDecodeStream: whatever a server (or something pretending to be one)
// sends, decoding never panics, never hands over an empty batch or a nil
// update, and stops at the end of the input.
func FuzzDecodeStream(f *testing.F) {
	good, _ := encodeBatch(t0, []model.Update{
		model.CatalogueUpdate{At: t0, Source: "catalogue", Listings: []model.Listing{listing("z-ai/glm-5", 1, 3.2)}},
		model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: t0}},
	})
	f.Add(good)
	f.Add([]byte("\n\n\n"))
	f.Add([]byte(`{"t":"2026-08-19T12:00:00Z","kind":"status","data":{"Page":{"Name":"x","Status":9}}}` + "\n\n"))
	f.Add([]byte(`{"kind":"nope"}` + "\n" + `{"kind":"catalogue","data":[]}` + "\n\n"))
	f.Add(append(good[:len(good)/2:len(good)/2], good...))
	f.Fuzz(func(t *testing.T, data []byte) {
		batches := 0
		err := decodeStream(bufio.NewReader(bytes.NewReader(data)), 1<<16, func() {}, func(b []model.Update) {
			batches++
			if len(b) == 0 {
				t.Fatal("an empty batch")
			}
			m := model.NewMarket(model.Config{Source: "remote", Clock: func() time.Time { return t0 }})
			for _, u := range b {
				if u == nil {
					t.Fatal("a nil update")
				}
				m.Apply(u)
			}
			_ = m.Snapshot()
		})
		if err == nil {
			t.Fatal("decodeStream returned without an error at the end of its input")
		}
		if batches > bytes.Count(data, []byte("\n")) {
			t.Fatalf("%d batches from %d lines", batches, bytes.Count(data, []byte("\n")))
		}
	})
}
