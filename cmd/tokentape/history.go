package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/history"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui"
)

// sourceHistory is the market as the history store knew it: at a time
// (--at), or the last-known market when the live one does not answer.
const sourceHistory = "history"

// validateHistory checks the history flags and parses --at.
func (o *options) validateHistory() error {
	if o.noHistory && o.db != "" {
		return errors.New("--db and --no-history: pick one")
	}
	if o.at == "" {
		return nil
	}
	if o.noHistory {
		return errors.New("--at shows the history store: it cannot go with --no-history")
	}
	if o.remote != "" {
		return errors.New("--at shows the history store: it cannot go with --remote")
	}
	if o.set["source"] && o.source != sourceAuto {
		return fmt.Errorf("--at shows the history store and never polls: it cannot go with --source %s", o.source)
	}
	t, err := parseAt(o.at)
	if err != nil {
		return err
	}
	o.atTime, o.source = t, sourceHistory
	return nil
}

// parseAt reads --at: an RFC 3339 time, a UTC "2006-01-02T15:04", or a date,
// which means the end of that UTC day (the market as it stood that day).
func parseAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02T15:04", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Add(24*time.Hour - time.Millisecond), nil
	}
	return time.Time{}, fmt.Errorf("--at %q: want a time such as 2026-11-24T15:04:05Z or a date such as 2026-11-24", s)
}

// historyPath is the store's file: --db, else the config's [store] path,
// else $XDG_STATE_HOME/tokentape/history.db.
func historyPath(flagPath string, cfg config.Config) (string, error) {
	p := flagPath
	if p == "" {
		p = cfg.Store.Path
	}
	if p == "" {
		return history.DefaultPath()
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = filepath.Join(home, rest)
	}
	return p, nil
}

func retention(cfg config.Config) history.Retention {
	return history.Retention{UsageDays: cfg.Store.UsageDays, PriceDays: cfg.Store.PriceDays,
		HealthFull: cfg.Store.HealthFullDays, HealthHours: cfg.Store.HealthHourlyDays}
}

// historyRun is the store of one run and the sink that feeds it. Only live
// data is kept: the recorder writes only while live is set, so the demo and
// replays never reach the file.
//
// st is set before live (goLive), and everything that runs beside the
// engine reads st only once live is set, so the store may be opened late:
// an auto run that starts offline without a file opens it only when the
// live market answers.
type historyRun struct {
	st       atomic.Pointer[history.Store] // nil: no history this run (yet)
	live     atomic.Bool
	mu       sync.Mutex
	version  uint64 // of the last snapshot whose alerts were kept
	warnings func(model.SourceHealth)
	// tap, when set, also receives what is loaded into a market (serve's
	// update log, so that --remote clients get the kept market too, not
	// only what the feeds brought since the start).
	tap func([]model.Update)

	// openLater opens a store that did not exist when the run began (see
	// openHistory); nil when there is nothing to open later.
	openLater func() (*history.Store, error)
	openMu    sync.Mutex // orders a late open with close
	closed    bool       // under openMu: a late open must not outlive close
}

// store is the run's store, nil when there is none (yet).
func (h *historyRun) store() *history.Store {
	if h == nil {
		return nil
	}
	return h.st.Load()
}

// openHistory opens the store for this run: read-only for --at, else for
// writing. A file that cannot be used (not SQLite, corrupt, newer schema)
// is an error naming it; a place that cannot be written (a read-only disk)
// is a warning and the run goes on from memory.
func (a *app) openHistory(stderr io.Writer) (*historyRun, error) {
	h := &historyRun{}
	switch {
	case a.o.noHistory:
		return h, nil
	case a.o.source != sourceAuto && a.o.source != sourceOpenRouter && a.o.source != sourceHistory:
		return h, nil // the demo, replays and remote markets neither read nor write the file
	}
	path, err := historyPath(a.o.db, a.cfg)
	if err != nil {
		fmt.Fprintln(stderr, "tokentape: warning: no history store:", err)
		return h, nil
	}
	opts := history.Options{ReadOnly: a.o.source == sourceHistory && !a.o.atTime.IsZero(), Retention: ptr(retention(a.cfg)),
		OnError: h.warn}
	if a.o.source == sourceAuto {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			// Only a live market creates the file: an auto run that stays
			// offline (on the demo) must leave nothing behind, so the file
			// is created when the live market answers (goLive).
			h.openLater = func() (*history.Store, error) { return history.Open(path, opts) }
			return h, nil
		}
	}
	st, err := history.Open(path, opts)
	var fe *history.FileError
	switch {
	case errors.As(err, &fe):
		// Not a store, corrupt, a newer schema: the user's to move aside,
		// like a --replay that is not a recording (exit 2).
		return nil, &inputError{err}
	case err != nil && opts.ReadOnly:
		return nil, fmt.Errorf("--at: %w", err)
	case err != nil:
		fmt.Fprintf(stderr, "tokentape: warning: running without history: %v\n", err)
		return h, nil
	}
	h.st.Store(st)
	return h, nil
}

func ptr[T any](v T) *T { return &v }

// has reports whether the store holds a market to show.
func (h *historyRun) has(ctx context.Context) bool {
	st := h.store()
	if st == nil {
		return false
	}
	us, err := st.Load(ctx, history.LoadOptions{})
	if err != nil {
		return false
	}
	for _, u := range us {
		if _, ok := u.(model.CatalogueUpdate); ok {
			return true
		}
	}
	return false
}

// loadInto replays the store into a market (until zero: everything).
func (h *historyRun) loadInto(ctx context.Context, m *model.Market, until time.Time) error {
	st := h.store()
	if st == nil {
		return nil
	}
	us, err := st.Load(ctx, history.LoadOptions{Until: until})
	if err != nil {
		return err
	}
	for _, u := range us {
		m.Apply(u)
	}
	if h.tap != nil {
		h.tap(us)
	}
	return nil
}

// goLive loads the history into a fresh live market and starts keeping
// what the live feeds bring, creating the file if the run began without
// one.
func (h *historyRun) goLive(ctx context.Context, m *model.Market) {
	if h.open() == nil {
		return
	}
	if err := h.loadInto(ctx, m, time.Time{}); err != nil {
		h.warn(err)
	}
	h.live.Store(true)
}

// open returns the run's store, opening it now if it was left to open
// later; nil when there is none, or it cannot be opened (said in the strip:
// the run goes on from memory).
func (h *historyRun) open() *history.Store {
	if h == nil {
		return nil
	}
	if st := h.st.Load(); st != nil {
		return st
	}
	h.openMu.Lock()
	defer h.openMu.Unlock()
	if h.closed || h.openLater == nil {
		return h.st.Load()
	}
	later := h.openLater
	h.openLater = nil // one try: a file that cannot be opened now will not be a minute later
	st, err := later()
	if err != nil {
		h.warn(err)
		return nil
	}
	h.st.Store(st)
	return st
}

// loadHistory puts what the store kept into the run's market before any
// feed starts: a live run begins from the last-known market (and keeps what
// its feeds bring from then on), --at from the market as it stood then. The
// TUI and serve both call it once the source is settled.
func (a *app) loadHistory(ctx context.Context) error {
	switch a.o.source {
	case sourceOpenRouter:
		a.hist.goLive(ctx, a.market)
	case sourceHistory:
		return a.hist.loadInto(ctx, a.market, a.o.atTime)
	}
	return nil
}

// runStart is how openRun settled an auto run's market.
type runStart struct {
	first      []model.Update // the catalogue the look for live brought back, to apply first
	lookBehind bool           // the kept market is shown first; live is looked for behind it
	offline    error          // an auto run that fell back to the demo: why
}

// openRun opens the run's history store as a.hist, settles an auto run's
// source (resolveAutoAtOnce) and loads what the store kept (loadHistory):
// the one start the TUI and serve share, in this order, before any feed
// starts. tap, when not nil, also receives what is loaded (serve's update
// log, so --remote clients get the kept market too). The caller closes
// a.hist, also when openRun fails after opening it.
func (a *app) openRun(ctx context.Context, stderr io.Writer, tap func([]model.Update)) (runStart, error) {
	hist, err := a.openHistory(stderr)
	if err != nil {
		return runStart{}, err
	}
	a.hist = hist
	hist.tap = tap
	var rs runStart
	if a.o.source == sourceAuto {
		rs.first, rs.lookBehind, rs.offline = a.resolveAutoAtOnce(ctx, hist)
	}
	return rs, a.loadHistory(ctx)
}

// keep wires the store into a run: its problems are shown through report,
// and the sink it returns records every live batch before passing it on to
// next.
func (h *historyRun) keep(report func(model.SourceHealth), next feeds.Sink) feeds.Sink {
	if h == nil {
		return next
	}
	h.warnings = report
	return h.wrap(next)
}

// warn shows a history problem in the source strip.
func (h *historyRun) warn(err error) {
	if h.warnings != nil {
		h.warnings(model.SourceHealth{Name: "history", LastAttempt: time.Now(), LastError: err.Error()})
	}
}

// liveMarket is a fresh live market with the history loaded, for an auto
// run that finds the live market after starting without it.
func (a *app) liveMarket(ctx context.Context) *model.Market {
	m := a.newMarket(sourceOpenRouter)
	a.hist.goLive(ctx, m)
	return m
}

// wrap returns a sink that keeps every live batch, then passes it on.
func (h *historyRun) wrap(next feeds.Sink) feeds.Sink {
	if h == nil {
		return next
	}
	h.openMu.Lock()
	pending := h.openLater != nil
	h.openMu.Unlock()
	if st := h.st.Load(); (st == nil && !pending) || (st != nil && st.ReadOnly()) {
		return next
	}
	return func(us []model.Update) {
		if h.live.Load() { // set only once st is
			h.st.Load().Record(us)
		}
		next(us)
	}
}

// observe keeps the alert log of each new live snapshot (new alerts,
// resolutions, acknowledgements).
func (h *historyRun) observe(s *model.Snapshot) {
	if h == nil || !h.live.Load() || s == nil { // live is set only once st is
		return
	}
	h.mu.Lock()
	changed := s.Version != h.version
	h.version = s.Version
	h.mu.Unlock()
	if changed {
		h.st.Load().RecordAlerts(s.Alerts)
	}
}

// close writes what is queued and closes the file.
func (h *historyRun) close(stderr io.Writer) {
	if h == nil {
		return
	}
	h.openMu.Lock()
	h.closed = true
	h.openMu.Unlock()
	st := h.st.Load()
	if st == nil {
		return
	}
	if err := st.Close(); err != nil {
		fmt.Fprintln(stderr, "tokentape: history:", err)
	}
}

// historyMarket makes the market of a history run: --at's, frozen at that
// time, or the last-known market shown offline, whose ages grow with the
// wall clock.
func (a *app) historyMarket() *model.Market {
	origins := model.DefaultOrigins().With(a.cfg.OriginOverrides())
	clock := time.Now
	if at := a.o.atTime; !at.IsZero() {
		clock = func() time.Time { return at }
	}
	return model.NewMarket(model.Config{Source: sourceHistory, Origins: &origins, Alerts: a.cfg.AlertConfig(), Clock: clock})
}

// frozen is the control of a market that does not move (--at): nothing to
// pause, refresh or speed up.
type frozen struct{}

func (frozen) SetPaused(bool)        {}
func (frozen) Paused() bool          { return false }
func (frozen) Refresh()              {}
func (frozen) SetSpeed(float64)      {}
func (frozen) Speed() float64        { return 0 }
func idle(ctx context.Context) error { <-ctx.Done(); return nil }

// historyFallback is the control of an auto run that found no live market
// but has a history: the last-known market is shown, and r looks for the
// live market again; when it answers, a fresh live market (with the history
// loaded) replaces it and is polled by a runner handed to later.
func (a *app) historyFallback(ctx context.Context, engine *Engine, sink feeds.Sink,
	report func(model.SourceHealth), later chan<- func(context.Context)) ui.Control {
	ac := &autoControl{cur: frozen{}}
	ac.try = func() (ui.Control, bool) {
		report(model.SourceHealth{Name: "live", LastAttempt: time.Now(), LastError: "looking for the live market…"})
		poller, err := a.switchToLive(ctx, engine, sink, func() bool { return true }) // nothing feeds the kept market
		if err != nil {
			if ctx.Err() == nil {
				report(model.SourceHealth{Name: "live", LastAttempt: time.Now(), LastError: offlineReason(err)})
			}
			return nil, false
		}
		return poller, runLater(ctx, later, poller)
	}
	return ac
}

// runHistory is `tokentape history`: what the store keeps, printed.
func runHistory(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tokentape history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "history store `PATH` (default $XDG_STATE_HOME/tokentape/history.db)")
	configPath := fs.String("config", "", "config file `PATH`")
	since := fs.String("since", "", "export: from this `DATE` (RFC 3339 or 2006-01-02)")
	asCSV := fs.Bool("csv", false, "export as CSV")
	asJSON := fs.Bool("json", false, "export as JSON (the default)")
	days := fs.Int("days", 30, "uptime: this many days")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: tokentape history prices LISTING
       tokentape history uptime LISTING [--days 30]
       tokentape history export --since DATE [--csv|--json]

Print what the history store keeps: a listing's price changes, its daily
serving history, or every fact since a date.

Flags:
`)
		fs.PrintDefaults()
	}
	if len(args) == 0 {
		fs.Usage()
		return 2
	}
	what := args[0]
	// Flags may come before or after the LISTING.
	var positional []string
	for rest := args[1:]; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	fail := func(code int, err error) int { fmt.Fprintln(stderr, "tokentape history:", err); return code }
	var listing string
	switch what {
	case "prices", "uptime":
		if len(positional) != 1 {
			return fail(2, fmt.Errorf("%s needs one LISTING (an id such as openai/gpt-4o, or its slug)", what))
		}
		listing = positional[0]
	case "export":
		if len(positional) != 0 {
			return fail(2, fmt.Errorf("unexpected argument %q", positional[0]))
		}
		if *asCSV && *asJSON {
			return fail(2, errors.New("--csv and --json: pick one"))
		}
	case "-h", "--help", "help":
		fs.Usage()
		return 0
	default:
		return fail(2, fmt.Errorf("unknown %q: want prices, uptime or export", what))
	}
	var from time.Time
	if *since != "" {
		t, err := parseAt(*since)
		if err != nil {
			return fail(2, errors.New(strings.Replace(err.Error(), "--at", "--since", 1)))
		}
		if !strings.Contains(*since, "T") {
			t = t.Add(-24*time.Hour + time.Millisecond) // a date means from its start
		}
		from = t
	} else if what == "export" {
		return fail(2, errors.New("export needs --since DATE"))
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return fail(2, err)
	}
	path, err := historyPath(*db, cfg)
	if err != nil {
		return fail(1, err)
	}
	if _, err := os.Stat(path); err != nil {
		return fail(1, fmt.Errorf("no history at %s yet (a live run of tokentape keeps one): %v", path, err))
	}
	st, err := history.Open(path, history.Options{ReadOnly: true})
	if fe := (*history.FileError)(nil); errors.As(err, &fe) {
		return fail(2, err) // a file that is no store is the user's to fix, as in the other commands
	}
	if err != nil {
		return fail(1, err)
	}
	defer st.Close()
	ctx := context.Background()
	switch what {
	case "prices":
		id, changes, err := st.Prices(ctx, listing)
		if err != nil {
			return fail(1, err)
		}
		printPrices(stdout, id, changes)
	case "uptime":
		id, ds, err := st.Uptime(ctx, listing, *days)
		if err != nil {
			return fail(1, err)
		}
		printUptime(stdout, id, ds)
	case "export":
		if err := st.Export(ctx, from, stdout, *asCSV); err != nil {
			return fail(1, err)
		}
	}
	return 0
}

// printPrices prints a listing's price changes, each with its size.
func printPrices(w io.Writer, id string, cs []history.PriceChange) {
	fmt.Fprintf(w, "%s: %d prices kept (USD per million tokens)\n", id, len(cs))
	fmt.Fprintf(w, "%-20s  %10s  %10s  %10s  %s\n", "since (UTC)", "input", "output", "cache read", "change")
	for i, c := range cs {
		change := "first seen"
		if i > 0 {
			change = priceMove(cs[i-1].Price, c.Price)
		}
		fmt.Fprintf(w, "%-20s  %10s  %10s  %10s  %s\n", c.At.UTC().Format("2006-01-02 15:04"), rate(c.Price, c.Price.In),
			rate(c.Price, c.Price.Out), rate(c.Price, c.Price.CacheRead), change)
	}
}

// rate is one leg of a kept price: its figure, or the kind's word.
func rate(p model.Price, v float64) string {
	if w, ok := p.Kind.Word(); ok {
		return w
	}
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("$%.4g", v)
}

// priceMove describes a change: "-20% in, -20% out", or the new kind.
func priceMove(a, b model.Price) string {
	if a.Kind != model.PricePaid || b.Kind != model.PricePaid {
		return a.Kind.String() + " → " + b.Kind.String()
	}
	pct := func(x, y float64) string {
		if x == 0 || math.IsNaN(x) || math.IsNaN(y) {
			return "—"
		}
		return fmt.Sprintf("%+.0f%%", (y/x-1)*100)
	}
	return pct(a.In, b.In) + " in, " + pct(a.Out, b.Out) + " out"
}

// printUptime prints a listing's daily serving history.
func printUptime(w io.Writer, id string, ds []history.UptimeDay) {
	fmt.Fprintf(w, "%s: %d days\n", id, len(ds))
	fmt.Fprintf(w, "%-10s  %-10s  %8s  %s\n", "day (UTC)", "worst", "samples", "mean uptime 5m")
	for _, d := range ds {
		up := "—"
		if !math.IsNaN(d.Uptime5m) {
			up = fmt.Sprintf("%.2f%%", d.Uptime5m)
		}
		fmt.Fprintf(w, "%-10s  %s %-8s  %8d  %s\n", d.Day.Format(time.DateOnly), d.Worst.Glyph(), d.Worst, d.Samples, up)
	}
}
