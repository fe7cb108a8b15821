package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/demo"
	"github.com/tokentape/tokentape/feeds/remote"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui"
)

// fps caps the renderer: the screen changes at most a few times a second, and
// each frame costs CPU for as long as the program runs.
const fps = 10

// runTUI runs the terminal UI until the user quits.
func (a *app) runTUI(ctx context.Context, stderr io.Writer) error {
	if os.Getenv("TERM") == "dumb" {
		// A dumb terminal (Emacs shell, some CI logs) shows alternate-screen
		// and cursor sequences as garbage; say what works there instead.
		return errors.New("TERM=dumb: this terminal cannot show the TUI; use `tokentape snapshot` (or snapshot --json, --csv) to print the market")
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return errors.New("the TUI needs a terminal; for pipes and scripts use `tokentape snapshot --json` (or --csv)")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	auto := a.o.source == sourceAuto
	if auto {
		fmt.Fprintf(stderr, "tokentape: looking for the live market at %s (at most %s)…\n", a.baseURL(), autoProbeTimeout)
	}
	// The last-known market first, before any poll. The TUI shows an
	// offline auto run's reason in the demo's own row, so rs.offline is not
	// needed here.
	rs, err := a.openRun(ctx, stderr, nil)
	defer a.hist.close(stderr)
	if err != nil {
		return err
	}
	hist, first, lookBehind := a.hist, rs.first, rs.lookBehind
	engine := NewEngine(a.market)
	report := func(h model.SourceHealth) {
		engine.Send(ctx, []model.Update{model.SourceUpdate{Health: h}})
	}
	sink, err := a.record(hist.keep(report, engine.Sink()), report)
	if err != nil {
		return err
	}

	var (
		control ui.Control
		runner  func(context.Context) error
		closeFn = func() error { return nil }
		later   = make(chan func(context.Context), 1) // a runner started after the UI (auto going live)
	)
	switch a.o.source {
	case sourceDemo, sourceReplay:
		st, closeStream, err := a.stream(ctx, false)
		if err != nil {
			return err
		}
		closeFn = closeStream
		player := feeds.NewPlayer(st, sink, feeds.PlayerOptions{Speed: a.o.speed})
		control, runner = player, player.Run
		if auto {
			control, runner = a.demoFallback(ctx, engine, player, sink, report, later)
		}
	case sourceRemote:
		c, err := remote.NewClient(a.o.remote, a.httpToken, sink)
		if err != nil {
			return err
		}
		// The server replaced its market (its demo went live) or restarted:
		// start afresh, so nothing of the old market stays under the new
		// one's label.
		c.OnNewMarket = func() { engine.Swap(ctx, a.newMarket(remoteSource(a.o.remote))) }
		runner = c.Run
	case sourceHistory:
		control, runner = frozen{}, idle
		if auto {
			control = a.historyFallback(ctx, engine, sink, report, later)
		}
	case sourceOpenRouter:
		poller, err := a.livePoller(engine, sink)
		if err != nil {
			return err
		}
		sink(first) // the catalogue the look for live brought back
		control, runner = poller, poller.Run
	}
	if lookBehind {
		a.fetcher() // made here, not by the look running beside this goroutine
	}
	if a.http != nil {
		defer a.http.CloseIdleConnections()
	}
	defer closeFn()

	// Ask the terminal for its background before Bubble Tea owns stdin, or
	// the answer arrives as keystrokes.
	lipgloss.HasDarkBackground()

	root := ui.New(ui.Options{
		Control:      control,
		Reference:    a.reference(),
		InputShare:   a.workload.InputShare,
		DayEvery:     demo.DayEvery,
		Workload:     a.workload,
		SaveWorkload: a.saveWorkload,
		// A --remote client watches the server's market: it cannot pause
		// it, change its speed or make it look for live, and does not know
		// its speed.
		Shared: a.o.source == sourceRemote,
		// Acknowledgements travel to the market like any update, so the
		// engine stays its only writer; the next snapshot shows them. The UI
		// calls Ack from a command, so a busy engine never stalls a key.
		Ack: func(keys []string, all bool) {
			engine.Send(ctx, []model.Update{model.AckUpdate{Keys: keys, All: all}})
		},
	})
	term := &sharedTerm{f: os.Stdout}
	p := tea.NewProgram(root, tea.WithAltScreen(), tea.WithFPS(fps), tea.WithContext(ctx), tea.WithOutput(term))
	deliverer := NewDeliverer(a.o, term, report)

	var wg sync.WaitGroup
	start := func(f func(context.Context)) {
		wg.Add(1)
		go func() { defer wg.Done(); f(ctx) }()
	}
	start(func(ctx context.Context) {
		if s := engine.Latest(); s.Version > 0 {
			// The market loaded from the history: on screen at once, before
			// any poll answers.
			p.Send(ui.SnapshotMsg{Snapshot: s})
		}
		engine.Run(ctx, func(s *model.Snapshot) {
			p.Send(ui.SnapshotMsg{Snapshot: s})
			deliverer.Observe(s)
			hist.observe(s)
		})
	})
	start(func(ctx context.Context) { _ = runner(ctx) })
	start(deliverer.Run)
	if lookBehind {
		control.Refresh() // as if r were pressed at once: the look runs in the background
	}
	// Runners that begin while the UI runs (the live poller of an auto run
	// that left the demo) are started here, so the wait at the end covers
	// them.
	start(func(ctx context.Context) {
		for {
			select {
			case <-ctx.Done():
				return
			case f := <-later:
				start(f)
			}
		}
	})

	_, err = p.Run()
	cancel()
	waitOrGiveUp(&wg, quitWait, stderr)
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // interrupted by a signal: a normal way to stop
	}
	return err
}

// livePoller makes the poller of every live source, delivering to sink.
func (a *app) livePoller(engine *Engine, sink feeds.Sink) (*feeds.Poller, error) {
	marketSrcs, endpointSrcs, err := a.liveSources()
	if err != nil {
		return nil, err
	}
	return feeds.NewPoller(append(marketSrcs, endpointSrcs...), sink, a.pollerOptions(engine.Latest)), nil
}

// demoFallback wires the demo of an auto run that found no live market: the
// player runs until r finds the live market, which then replaces the demo
// wholesale (a fresh market; nothing of the demo carries over) and is
// polled by a runner handed to later.
func (a *app) demoFallback(ctx context.Context, engine *Engine, player *feeds.Player, sink feeds.Sink,
	report func(model.SourceHealth), later chan<- func(context.Context)) (ui.Control, func(context.Context) error) {
	runner, stopPlayer := stoppable(ctx, player.Run)
	ac := &autoControl{cur: player}
	ac.try = func() (ui.Control, bool) {
		report(model.SourceHealth{Name: model.OfflineSource, LastAttempt: time.Now(),
			LastError: "looking for the live market…"})
		poller, err := a.switchToLive(ctx, engine, sink, stopPlayer)
		if err != nil {
			if ctx.Err() == nil {
				report(offlineHealth(err))
			}
			return nil, false
		}
		return poller, runLater(ctx, later, poller)
	}
	return ac, runner
}

// runLater hands a live poller to the runners started while the UI runs;
// false if ctx ended first.
func runLater(ctx context.Context, later chan<- func(context.Context), poller *feeds.Poller) bool {
	select {
	case later <- func(ctx context.Context) { _ = poller.Run(ctx) }:
		return true
	case <-ctx.Done():
		return false
	}
}

// quitWait is how long a quit waits for the sources and hooks to stop: every
// command must end within a second of a signal, the recording's flush
// included.
const quitWait = 600 * time.Millisecond

// waitOrGiveUp waits for the background goroutines, but not for ever: a
// quit must feel instant even if an upstream hangs.
func waitOrGiveUp(wg *sync.WaitGroup, limit time.Duration, stderr io.Writer) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		fmt.Fprintln(stderr, "tokentape: gave up waiting for sources to stop")
	}
}

// saveWorkload writes an edited planner workload back to the config file,
// keeping the rest of the file as the user wrote it.
//
// The UI runs it as a command, so two quick edits may save concurrently:
// the lock keeps their writes of a.cfg and the file in order.
func (a *app) saveWorkload(w model.Workload) error {
	a.saveMu.Lock()
	defer a.saveMu.Unlock()
	path := a.o.configPath
	if path == "" {
		path = config.DefaultPath()
	}
	a.cfg.SetWorkload(w)
	return config.Save(path, a.cfg)
}
