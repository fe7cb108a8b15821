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
	"github.com/tokentape/tokentape/feeds/replay"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui"
)

// fps caps the renderer: the screen changes at most a few times a second, and
// each frame costs CPU for as long as the program runs.
const fps = 10

// runTUI runs the terminal UI until the user quits.
func (a *app) runTUI(ctx context.Context, stderr io.Writer) error {
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return errors.New("the TUI needs a terminal; for pipes and scripts use `tokentape snapshot --json` (or --csv)")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	engine := NewEngine(a.market)
	report := func(h model.SourceHealth) {
		engine.Send(ctx, []model.Update{model.SourceUpdate{Health: h}})
	}
	sink := engine.Sink()
	var rec *replay.Recorder
	if a.o.recordFile != "" {
		var err error
		rec, err = replay.Create(a.o.recordFile, replay.RecorderOptions{OnError: func(err error) {
			report(model.SourceHealth{Name: "record", LastAttempt: time.Now(), LastError: err.Error()})
		}})
		if err != nil {
			return err
		}
		sink = rec.Wrap(sink)
	}

	var (
		control ui.Control
		runner  func(context.Context) error
		closeFn = func() error { return nil }
	)
	switch a.o.source {
	case sourceDemo, sourceReplay:
		st, closeStream, err := a.stream()
		if err != nil {
			return err
		}
		closeFn = closeStream
		player := feeds.NewPlayer(st, sink, feeds.PlayerOptions{Speed: a.o.speed})
		control, runner = player, player.Run
	case sourceOpenRouter:
		marketSrcs, endpointSrcs, err := a.liveSources()
		if err != nil {
			return err
		}
		opts := a.pollerOptions(engine.Latest)
		poller := feeds.NewPoller(append(marketSrcs, endpointSrcs...), sink, opts)
		control, runner = poller, poller.Run
		defer opts.HTTP.(*feeds.HTTP).CloseIdleConnections()
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
		// Acknowledgements travel to the market like any update, so the
		// engine stays its only writer; the next snapshot shows them. A
		// goroutine, so a busy engine never stalls a key press.
		Ack: func(keys []string, all bool) {
			go engine.Send(ctx, []model.Update{model.AckUpdate{Keys: keys, All: all}})
		},
	})
	p := tea.NewProgram(root, tea.WithAltScreen(), tea.WithFPS(fps), tea.WithContext(ctx))
	deliverer := NewDeliverer(a.o, os.Stdout, report)

	var wg sync.WaitGroup
	start := func(f func(context.Context)) {
		wg.Add(1)
		go func() { defer wg.Done(); f(ctx) }()
	}
	start(func(ctx context.Context) {
		engine.Run(ctx, func(s *model.Snapshot) {
			p.Send(ui.SnapshotMsg{Snapshot: s})
			deliverer.Observe(s)
		})
	})
	start(func(ctx context.Context) { _ = runner(ctx) })
	start(deliverer.Run)

	_, err := p.Run()
	cancel()
	waitOrGiveUp(&wg, 3*time.Second, stderr)
	if rec != nil {
		if cerr := rec.Close(); cerr != nil {
			fmt.Fprintln(stderr, "tokentape: recording:", cerr)
		}
	}
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // interrupted by a signal: a normal way to stop
	}
	return err
}

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
func (a *app) saveWorkload(w model.Workload) error {
	path := a.o.configPath
	if path == "" {
		path = config.DefaultPath()
	}
	a.cfg.SetWorkload(w)
	return config.Save(path, a.cfg)
}
