package main

import (
	"os"
	"sync"
	"testing"

	"github.com/tokentape/tokentape/model"
)

// record, shared by the TUI, serve and the one-shot commands: without
// --record the sink is passed through; with it every batch reaches the
// next sink and the file, and a write that fails (a full disk) is shown in
// the strip where there is one, and kept for run's exit code either way.
func TestRecordWrapsTheSink(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	for _, c := range []struct {
		name       string
		file       string
		withReport bool
		wantRows   int // "record" rows reported after a failed write
		wantErr    bool
	}{
		{"no --record", "", true, 0, false},
		{"a full disk, with a strip", "/dev/full", true, 1, true},
		{"a full disk, one-shot", "/dev/full", false, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := &app{o: options{recordFile: c.file}}
			var (
				mu     sync.Mutex // the flush timer may report too, on a slow machine
				rows   []model.SourceHealth
				report func(model.SourceHealth)
			)
			if c.withReport {
				report = func(h model.SourceHealth) { mu.Lock(); rows = append(rows, h); mu.Unlock() }
			}
			passed := 0
			sink, err := a.record(func(us []model.Update) { passed += len(us) }, report)
			if err != nil {
				t.Fatal(err)
			}
			sink([]model.Update{model.AppsUpdate{}})
			if passed != 1 {
				t.Errorf("%d updates reached the next sink, want 1", passed)
			}
			if (a.rec != nil) != (c.file != "") {
				t.Fatalf("recorder %v for --record %q", a.rec, c.file)
			}
			if a.rec == nil {
				return
			}
			ferr := a.rec.Flush() // what the flush timer does; flushed here so no timing is involved
			if err := a.rec.Close(); (err != nil || ferr != nil) != c.wantErr {
				t.Errorf("flush %v, close %v; want an error %v", ferr, err, c.wantErr)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(rows) != c.wantRows || (len(rows) > 0 && (rows[0].Name != "record" || rows[0].LastError == "")) {
				t.Errorf("strip rows %+v, want %d naming the recording", rows, c.wantRows)
			}
		})
	}
}
