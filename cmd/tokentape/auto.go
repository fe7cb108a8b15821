package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/charmbracelet/log"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui"
)

// sourceAuto is the default source: the live market when its catalogue
// answers within autoProbeTimeout, else the demo labelled OFFLINE · DEMO.
const sourceAuto = "auto"

// autoProbeTimeout bounds the look for the live market, whatever the network
// does (a black-holed address accepts and never answers).
const autoProbeTimeout = 5 * time.Second

// probeLive fetches the live catalogue once, within autoProbeTimeout. Its
// updates are the live market's first data.
func (a *app) probeLive(ctx context.Context) ([]model.Update, error) {
	ctx, cancel := context.WithTimeout(ctx, autoProbeTimeout)
	defer cancel()
	srcs, _, err := a.liveSources()
	if err != nil {
		return nil, err
	}
	var cat feeds.Source
	for _, s := range srcs {
		if s.Name() == "catalogue" {
			cat = s
		}
	}
	if cat == nil {
		return nil, errors.New("no catalogue source")
	}
	env := feeds.Env{HTTP: a.fetcher(), Latest: func() *model.Snapshot { return &model.Snapshot{} }, Now: time.Now}
	ups, err := cat.Fetch(ctx, env)
	if err == nil && len(ups) == 0 {
		err = errors.New("the catalogue answered without listings")
	}
	if err != nil {
		return nil, err
	}
	now := time.Now()
	return append(ups, model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true,
		LastSuccess: now, LastAttempt: now}}), nil
}

// offlineReason says in a few words why the live market was not reached:
// "no network: lookup openrouter.ai: no such host", "no answer within 5s",
// "catalogue: HTTP 500".
func offlineReason(err error) string {
	var dns *net.DNSError
	var he *feeds.HTTPError
	msg := ""
	switch {
	case errors.As(err, &dns):
		msg = "no network: lookup " + dns.Name + ": " + dns.Err
	case errors.Is(err, context.DeadlineExceeded):
		msg = "no answer within " + autoProbeTimeout.String()
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		msg = "no network: " + strings.TrimPrefix(err.Error(), "catalogue: ")
	case errors.As(err, &he):
		msg = "catalogue: " + he.Error()
	default:
		msg = err.Error()
		if !strings.HasPrefix(msg, "catalogue") {
			msg = "catalogue: " + msg
		}
	}
	return sanitize.String(msg, 120)
}

// offlineHealth is the source row that labels a demo shown instead of the
// live market (model.OfflineSource): never succeeded, with the reason.
func offlineHealth(err error) model.SourceHealth {
	return model.SourceHealth{Name: model.OfflineSource, LastAttempt: time.Now(),
		LastError: offlineReason(err)}
}

// resolveAuto decides an auto run's source once, at start: live when the
// catalogue answers within autoProbeTimeout (its updates returned, to be
// applied first), else the demo with the reason in its offline row. Either
// way a.o.source and a.market are those of the chosen market.
func (a *app) resolveAuto(ctx context.Context) (first []model.Update, offline error) {
	ups, err := a.probeLive(ctx)
	if err != nil {
		a.o.source = sourceDemo
		a.market = a.newMarket(sourceDemo)
		a.market.Apply(model.SourceUpdate{Health: offlineHealth(err)})
		return nil, err
	}
	a.o.source = sourceOpenRouter
	a.market = a.newMarket(sourceOpenRouter)
	return ups, nil
}

// resolveAutoAtOnce starts an auto run that has a history store (the
// TUI's and serve's). With a kept market, that market is shown at once
// (source history) and lookBehind says to look for the live market behind
// it (the TUI through its r, serve through retryLive), so a black-holed
// network delays nothing; offline, the run stays on that market, its ages
// growing with the wall clock. Without one, the look happens first, as
// resolveAuto does (the demo is no market worth showing for the few
// seconds live may take), and offline is why it failed.
func (a *app) resolveAutoAtOnce(ctx context.Context, hist *historyRun) (first []model.Update, lookBehind bool, offline error) {
	if hist.has(ctx) {
		a.o.source, a.market = sourceHistory, a.historyMarket()
		return nil, true, nil
	}
	first, offline = a.resolveAuto(ctx)
	return first, false, offline
}

// autoControl is the UI's control of an auto run that fell back to the demo:
// everything goes to the demo's player, except r, which looks for the live
// market again (in the background: never inside the UI's Update) and, when
// it answers, switches to it. After the switch everything goes to the
// live poller.
type autoControl struct {
	mu     sync.Mutex
	cur    ui.Control
	live   bool
	trying bool
	try    func() (ui.Control, bool) // looks for live; on success returns its control
}

func (c *autoControl) control() ui.Control {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur
}

// SetPaused implements ui.Control.
func (c *autoControl) SetPaused(p bool) { c.control().SetPaused(p) }

// Paused implements ui.Control.
func (c *autoControl) Paused() bool { return c.control().Paused() }

// SetSpeed implements ui.Control.
func (c *autoControl) SetSpeed(x float64) { c.control().SetSpeed(x) }

// Speed implements ui.Control.
func (c *autoControl) Speed() float64 { return c.control().Speed() }

// Refresh implements ui.Control: on the live market it refreshes; on the
// demo fallback it looks for the live market again, once at a time.
func (c *autoControl) Refresh() {
	c.mu.Lock()
	if c.live {
		cur := c.cur
		c.mu.Unlock()
		cur.Refresh()
		return
	}
	if c.trying {
		c.mu.Unlock()
		return
	}
	c.trying = true
	c.mu.Unlock()
	go func() {
		next, ok := c.try()
		c.mu.Lock()
		defer c.mu.Unlock()
		c.trying = false
		if ok {
			c.cur, c.live = next, true
		}
	}()
}

// switchToLive looks for the live market once and, when its catalogue
// answers, replaces the engine's market (the demo's or the kept history's)
// with a fresh live one, the history loaded: the one path of the TUI's r
// and of serve's timed retry. stop stops the fallback's own source and
// waits for it, so that nothing of the old market reaches the new one; it
// runs only once the live market has answered, so a failed look leaves the
// fallback running. The live poller is returned, not started: the caller
// runs it where it waits for its goroutines. On error the engine still
// holds the fallback.
func (a *app) switchToLive(ctx context.Context, engine *Engine, sink feeds.Sink, stop func() bool) (*feeds.Poller, error) {
	ups, err := a.probeLive(ctx)
	if err != nil {
		return nil, err
	}
	poller, err := a.livePoller(engine, sink)
	if err != nil {
		return nil, err
	}
	if !stop() || !engine.Swap(ctx, a.liveMarket(ctx)) {
		return nil, errors.New("stopped")
	}
	sink(ups) // the catalogue the look brought back, first thing on the new market
	return poller, nil
}

// stoppable wraps a fallback's source (the demo's player) so that going
// live can stop it and wait until it has: run is what the run starts;
// stop cancels it and returns once it has returned (false if ctx ends
// first). run must be started, or stop waits for ctx.
func stoppable(ctx context.Context, source func(context.Context) error) (run func(context.Context) error, stop func() bool) {
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	run = func(context.Context) error {
		defer close(done)
		return source(sctx)
	}
	stop = func() bool {
		cancel()
		select {
		case <-done:
			return true
		case <-ctx.Done():
			return false
		}
	}
	return run, stop
}

// liveRetry is how a fallback run that nobody can tell to try again
// (serve: its SSH viewers cannot press r) looks for the live market on its
// own: after Min, doubling up to Max, each wait jittered by ±20% so that
// servers behind one outage do not all ask at the same moment.
type liveRetry struct{ Min, Max time.Duration }

// defaultLiveRetry asks every 30 s at first, and at least every 5 min: an
// outage of minutes is noticed within a minute, and a server left offline
// for a day costs the upstream ~300 requests, not thousands.
var defaultLiveRetry = liveRetry{Min: 30 * time.Second, Max: 5 * time.Minute}

// wait is the jittered wait before try n (0, 1, …); frac is a random
// number in [0, 1).
func (r liveRetry) wait(n int, frac float64) time.Duration {
	d := r.Min
	for i := 0; i < n && d < r.Max; i++ {
		d *= 2
	}
	d = min(d, r.Max)
	return time.Duration(float64(d) * (0.8 + 0.4*frac))
}

// retryRows are the strip rows of a fallback waiting for its next look:
// why the live market did not answer, and when it is asked again, in a
// "live" row. The kept history runs on the wall clock, so its row counts
// down to the next try ("retry in 25s"). The demo runs on its own simulated
// clock, against which a countdown means nothing, so its "live" row says
// the wall time of the next try, and the reason stays alone in the offline
// row the header shows (OFFLINE · DEMO and why): both fit the strip where
// one row of both would be cut.
func retryRows(history bool, why error, next time.Time) []model.SourceHealth {
	now := time.Now()
	if history {
		return []model.SourceHealth{{Name: "live", LastAttempt: now, LastError: offlineReason(why), NextAttempt: next}}
	}
	return []model.SourceHealth{offlineHealth(why),
		{Name: "live", LastAttempt: now, LastError: "next try " + next.UTC().Format("15:04:05")}} // UTC, as the strip's "since 05:37"
}

// retryLive looks for the live market again and again, with backoff (see
// liveRetry), until it answers or ctx ends, through switchToLive; at once
// when why is nil (nothing was asked yet: a kept market shown first). Before
// each wait the fallback's row says why and when the next try is, and one
// log line says the same. It returns the live poller, not started (nil
// when ctx ended first).
func (a *app) retryLive(ctx context.Context, engine *Engine, sink feeds.Sink, stop func() bool,
	report func(model.SourceHealth), why error, lg *log.Logger) *feeds.Poller {
	history := engine.Latest().Source == sourceHistory
	serving := "DEMO"
	if history {
		serving = "history"
	}
	for tries, waits := 1, 0; ; tries++ {
		if why != nil {
			d := a.liveRetry.wait(waits, rand.Float64())
			waits++
			next := time.Now().Add(d)
			for _, h := range retryRows(history, why, next) {
				report(h)
			}
			lg.Warn("offline: the live market did not answer", "serving", serving, "reason", offlineReason(why),
				"next_try", next.UTC().Format(time.RFC3339), "in", d.Round(time.Second))
			if !feeds.Sleep(ctx, d) {
				return nil
			}
		} else {
			report(model.SourceHealth{Name: "live", LastAttempt: time.Now(), LastError: "looking for the live market…"})
		}
		poller, err := a.switchToLive(ctx, engine, sink, stop)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			lg.Info("live: the market answered; serving it to every viewer", "was", serving, "tries", tries)
			return poller
		}
		why = err
	}
}
