package main

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

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

// resolveAutoOrHistory is resolveAuto for a run with a history store (the
// TUI's and serve's): offline with a kept market, the run shows that market
// (source history, its ages growing with the wall clock) rather than the
// demo. hist must be open already.
func (a *app) resolveAutoOrHistory(ctx context.Context, hist *historyRun) (first []model.Update, offline error) {
	first, offline = a.resolveAuto(ctx)
	if offline != nil && hist.has(ctx) {
		a.o.source, a.market = sourceHistory, a.historyMarket()
	}
	return first, offline
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
