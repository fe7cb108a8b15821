package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/replay"
	"github.com/tokentape/tokentape/model"
)

// feed is serve's sources: what feeds the engine. The sources are the
// TUI's (livePoller, stream); only the UI's controls are left out, since no
// viewer may pause or refresh the poller everyone shares.
type feed struct {
	sink  feeds.Sink
	run   func(context.Context) error
	close func() error
	rec   *replay.Recorder
	// stopSource stops what feeds a fallback market (the demo's player;
	// nothing feeds the kept history) and waits for it, so that the live
	// market can replace it (switchToLive).
	stopSource func() bool
}

// startFeed prepares the sources of the run for engine (an auto run must
// have been resolved first). wrap, when not nil, wraps the engine's sink
// (serve records what it streams to attached clients). Nothing runs until
// feed.run.
func (a *app) startFeed(ctx context.Context, engine *Engine, wrap func(feeds.Sink) feeds.Sink) (*feed, error) {
	report := func(h model.SourceHealth) {
		engine.Send(ctx, []model.Update{model.SourceUpdate{Health: h}})
	}
	sink := engine.Sink()
	if wrap != nil {
		sink = wrap(sink)
	}
	sink, err := a.record(sink, report)
	if err != nil {
		return nil, err
	}
	f := &feed{close: func() error { return nil }, rec: a.rec, sink: sink}
	switch a.o.source {
	case sourceDemo, sourceReplay:
		st, closeStream, err := a.stream(ctx, true) // a server has no keyboard: "--replay -" may read stdin
		if err != nil {
			return nil, err
		}
		f.close = closeStream
		f.run, f.stopSource = stoppable(ctx, feeds.NewPlayer(st, sink, feeds.PlayerOptions{Speed: a.o.speed}).Run)
	case sourceOpenRouter:
		poller, err := a.livePoller(engine, sink)
		if err != nil {
			return nil, err
		}
		f.run = poller.Run
	case sourceHistory:
		// The market kept in the history, served as it was loaded: nothing
		// feeds it until the next start finds the live market.
		f.run, f.stopSource = idle, func() bool { return true }
	default:
		return nil, fmt.Errorf("source %q cannot be served", a.o.source)
	}
	return f, nil
}

// record wraps sink with --record's recorder, kept as a.rec: run closes it
// once the sources have stopped and exits 1 if it could not be written.
// With report, a write that fails while the run goes on also shows in the
// source strip (a "record" row); a one-shot command has no strip.
func (a *app) record(sink feeds.Sink, report func(model.SourceHealth)) (feeds.Sink, error) {
	if a.o.recordFile == "" {
		return sink, nil
	}
	var opts replay.RecorderOptions
	if report != nil {
		opts.OnError = func(err error) {
			report(model.SourceHealth{Name: "record", LastAttempt: time.Now(), LastError: err.Error()})
		}
	}
	rec, err := replay.Create(a.o.recordFile, opts)
	if err != nil {
		return nil, err
	}
	a.rec = rec
	return rec.Wrap(sink), nil
}

// stop closes the stream, the fetcher's connections and the recording.
func (f *feed) stop(a *app, stderr io.Writer) {
	_ = f.close()
	if a.http != nil {
		a.http.CloseIdleConnections()
	}
	if f.rec != nil {
		_ = f.rec.Flush() // closed, and a write error reported, by run
	}
}
