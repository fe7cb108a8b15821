package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

var engineT0 = time.Date(2026, 2, 17, 12, 0, 0, 0, time.UTC)

func engineMarket() *model.Market {
	return model.NewMarket(model.Config{Source: "test", Clock: func() time.Time { return engineT0 }})
}

// listingBatch is a batch holding a catalogue of listings 0 to i.
func listingBatch(i int) []model.Update {
	ls := make([]model.Listing, i+1)
	for k := range ls {
		ls[k] = model.Listing{ID: fmt.Sprintf("a/m-%d", k), Name: fmt.Sprintf("M %d", k)}
	}
	return []model.Update{model.CatalogueUpdate{At: engineT0, Source: "catalogue", Listings: ls}}
}

func TestEngine(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"a burst costs one or two snapshots, not one per batch", func(t *testing.T) {
			e := NewEngine(engineMarket())
			for i := 0; i < 50; i++ {
				e.Sink()(listingBatch(i))
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var published atomic.Int32
			got := make(chan *model.Snapshot, 100)
			go e.Run(ctx, func(s *model.Snapshot) { published.Add(1); got <- s })
			deadline := time.After(5 * time.Second)
			for {
				select {
				case s := <-got:
					if len(s.Listings) == 50 {
						if n := published.Load(); n > 2 {
							t.Errorf("%d snapshots for one burst of 50 batches", n)
						}
						return
					}
				case <-deadline:
					t.Fatalf("never published all 50 listings (latest has %d)", len(e.Latest().Listings))
				}
			}
		}},
		{"an empty batch is not queued", func(t *testing.T) {
			e := NewEngine(engineMarket())
			e.Sink()(nil)
			e.Sink()([]model.Update{})
			if n := len(e.in); n != 0 {
				t.Errorf("%d empty batches queued", n)
			}
		}},
		{"sending after Run stopped never blocks", func(t *testing.T) {
			e := NewEngine(engineMarket())
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan struct{})
			go func() { e.Run(ctx, nil); close(stopped) }()
			cancel()
			<-stopped
			done := make(chan struct{})
			batch := listingBatch(1) // one small batch: the count matters, not the size
			go func() {
				for i := 0; i < 300; i++ { // more than the queue holds
					e.Sink()(batch)
					e.Send(context.Background(), batch)
				}
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("a send after the engine stopped blocked")
			}
		}},
		{"Send gives up when its context ends", func(t *testing.T) {
			e := NewEngine(engineMarket())
			for i := 0; i < cap(e.in); i++ {
				e.Sink()(listingBatch(i)) // fill the queue; no Run drains it
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			e.Send(ctx, listingBatch(999))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Send blocked %v past its context", d)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}
