package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/replay"
	"github.com/tokentape/tokentape/model"
)

// openReplay opens --replay's file and reads its first batch before
// anything starts, so that a file with no readable update (empty, nothing
// but junk) is refused at once, saying what is wrong and exiting 2, instead
// of a TUI or a server waiting for data that never comes. Standard input
// ("--replay -") is not read ahead: its first line may be a while coming.
func openReplay(ctx context.Context, path string) (*readAhead, error) {
	st, err := replay.OpenContext(ctx, path)
	if err != nil {
		// Missing, a directory or a device (/dev/zero): not a recording.
		return nil, &inputError{err}
	}
	batch, wait, ok := st.Next()
	if !ok {
		st.Close()
		if err := st.Err(); err != nil {
			return nil, fmt.Errorf("replay %s: %v", path, err) // the disk failed, not the file's content
		}
		return nil, noRecording(path, st)
	}
	return &readAhead{Stream: st, first: batch, wait: wait, pending: true}, nil
}

// readAhead is a replay whose first batch was read by openReplay: Next
// hands it out first.
type readAhead struct {
	*replay.Stream
	first   []model.Update
	wait    time.Duration
	pending bool
}

// Next implements feeds.Stream.
func (r *readAhead) Next() ([]model.Update, time.Duration, bool) {
	if r.pending {
		r.pending = false
		return r.first, r.wait, true
	}
	return r.Stream.Next()
}

// replayOf is the replay behind a stream, nil for the demo.
func replayOf(st feeds.Stream) *replay.Stream {
	switch s := st.(type) {
	case *replay.Stream:
		return s
	case *readAhead:
		return s.Stream
	}
	return nil
}

// noRecording says why a replay that was read gave not one update (an
// inputError: the file is the user's to fix); nil when it gave some.
func noRecording(path string, rs *replay.Stream) error {
	if !rs.Time().IsZero() {
		return nil
	}
	if n := rs.Skipped(); n > 0 {
		return &inputError{fmt.Errorf("replay %s: no readable update: all %d lines are malformed (%s); is it a recording written by --record?", path, n, rs.BadLines()[0])}
	}
	return &inputError{fmt.Errorf("replay %s is empty: a recording has one update per line, written by --record", path)}
}
