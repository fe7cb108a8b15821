// Command tokentape is a terminal market monitor for the AI token economy:
// live leaderboards of token usage, share by the model author's origin,
// price boards with a cost planner, provider health and alerts.
//
// Without flags it runs on the live OpenRouter and status-page feeds when
// the catalogue answers within 5 s, else on the embedded demo market
// (labelled OFFLINE · DEMO with the reason). See tokentape --help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/demo"
	"github.com/tokentape/tokentape/feeds/openrouter"
	"github.com/tokentape/tokentape/feeds/replay"
	"github.com/tokentape/tokentape/feeds/statuspage"
	"github.com/tokentape/tokentape/model"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// signalsCaught runs once the signals that stop a command are caught. It
// does nothing in tokentape; the signal tests replace it so that they send
// a signal only once it can be caught, however slowly a loaded machine
// starts the child.
var signalsCaught = func() {}

// run is main with its outputs injected, returning the exit status: 0 ok,
// 1 a runtime failure, 2 a usage or configuration error or an input file
// that is not what it should be (an inputError), each reported before the
// terminal is touched.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "history" {
		return runHistory(args[1:], stdout, stderr)
	}
	cmd, o, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "tokentape:", err)
		return 2
	}
	if o.version {
		fmt.Fprintln(stdout, "tokentape", version)
		return 0
	}
	cfg, err := config.Load(o.configPath)
	if err != nil {
		fmt.Fprintln(stderr, "tokentape:", err)
		return 2
	}
	a, err := newApp(o, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "tokentape:", err)
		return 2
	}
	// SIGHUP too: a closed terminal window must restore nothing it cannot
	// see, but still flush the recording and stop hooks.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	signalsCaught()
	switch cmd {
	case "snapshot":
		err = a.runSnapshot(ctx, stdout, stderr)
	case "cost":
		err = a.runCost(ctx, stdout, stderr)
	case "serve":
		err = a.runServe(ctx, stderr)
	default:
		err = a.runTUI(ctx, stderr)
	}
	if a.rec != nil {
		// A recording that could not be written is a failure even when the
		// output was printed: the file is cut short (a full disk).
		if rerr := a.rec.Close(); rerr != nil {
			fmt.Fprintf(stderr, "tokentape: recording %s: %v\n", a.o.recordFile, rerr)
			return 1
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "tokentape: stopped by a signal")
			return 1
		}
		fmt.Fprintln(stderr, "tokentape:", err)
		var bad *inputError
		if errors.As(err, &bad) {
			return 2
		}
		return 1
	}
	return 0
}

// inputError is an input the user named that cannot be used (a --replay
// that is not a recording). It is found only once the command opens or
// reads it, but it is the user's to fix, like a bad flag, so it exits 2,
// not 1 as a failure of the network or the disk does.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// app is one run of tokentape: the options, the config, the market and the
// sources feeding it.
type app struct {
	o        options
	cfg      config.Config
	market   *model.Market
	apiKey   string
	workload model.Workload
	http     *feeds.HTTP      // see fetcher
	rec      *replay.Recorder // --record, closed (and checked) when the command ends
	// httpToken guards serve's API (--http-token or TOKENTAPE_HTTP_TOKEN)
	// and is what --remote presents to it.
	httpToken string
	saveMu    sync.Mutex  // serialises saveWorkload
	hist      *historyRun // the history store of this run (history.go)
	liveRetry liveRetry   // how serve's fallback looks for the live market again
}

func newApp(o options, cfg config.Config) (*app, error) {
	a := &app{o: o, cfg: cfg, workload: cfg.ModelWorkload(), liveRetry: defaultLiveRetry}
	if o.workload != "" {
		w, err := model.ParseWorkload(o.workload)
		if err != nil {
			return nil, fmt.Errorf("--workload: %v", err)
		}
		a.workload = w
	}
	for _, p := range o.statusPages {
		if _, err := statuspage.ParsePageFlag(p); err != nil {
			return nil, fmt.Errorf("--status-page: %v", err)
		}
	}
	if o.source == sourceOpenRouter || o.source == sourceAuto {
		// The key comes from the environment only, and goes only to the
		// OpenRouter base URL (see feeds/openrouter).
		a.apiKey = os.Getenv("OPENROUTER_API_KEY")
		if a.apiKey != "" {
			if err := feeds.CheckSecretURL(a.baseURL()); err != nil {
				return nil, fmt.Errorf("OPENROUTER_API_KEY is set and the OpenRouter URL %v; refusing to start", err)
			}
		}
	}
	a.httpToken = httpToken(o)
	if d := o.serve.liveRetry; d != 0 { // serve only: 0 where the flag does not exist
		if d < time.Second {
			return nil, fmt.Errorf("--live-retry %s: want at least 1s", d)
		}
		a.liveRetry = liveRetry{Min: d, Max: max(d, defaultLiveRetry.Max)}
	}
	// An auto run gets its market once it knows whether live answers.
	switch o.source {
	case sourceRemote:
		a.market = a.newMarket(remoteSource(o.remote))
	case sourceAuto:
	default:
		a.market = a.newMarket(o.source)
	}
	return a, nil
}

// newMarket makes an empty market for a source.
func (a *app) newMarket(source string) *model.Market {
	if source == sourceHistory {
		return a.historyMarket()
	}
	origins := model.DefaultOrigins().With(a.cfg.OriginOverrides())
	mcfg := model.Config{Source: source, Origins: &origins, Alerts: a.cfg.AlertConfig(), KeySet: a.apiKey != ""}
	var m *model.Market
	if source != sourceOpenRouter && !strings.HasPrefix(source, sourceRemote) {
		// A server's market (remote) is live: judged by the wall clock.
		// Simulated and recorded data are judged by their own time: "as of"
		// and staleness follow the data, not the wall clock.
		mcfg.Clock = func() time.Time { return m.AsOf() }
	}
	m = model.NewMarket(mcfg)
	return m
}

// fetcher is the one HTTP fetcher of the run's live sources (and of the
// look for the live market), so ETags and connections are shared.
func (a *app) fetcher() *feeds.HTTP {
	if a.http == nil {
		a.http = feeds.NewHTTP(feeds.HTTPOptions{Version: version})
	}
	return a.http
}

// baseURL is the OpenRouter API root: the flag (or its environment
// variable), else the config file's, else the default.
func (a *app) baseURL() string {
	if a.o.openrouterURL != "" {
		return a.o.openrouterURL
	}
	if a.cfg.OpenRouterURL != "" {
		return a.cfg.OpenRouterURL
	}
	return openrouter.DefaultBaseURL
}

// reference is the listing prices are compared with.
func (a *app) reference() string {
	if a.cfg.Reference != "" {
		return a.cfg.Reference
	}
	return model.DefaultReference
}

// stream returns the self-paced source of a demo or replay run; a replay
// stops reading when ctx ends. stdin says whether "--replay -" may read
// standard input (not in the TUI, where standard input is the keyboard).
func (a *app) stream(ctx context.Context, stdin bool) (feeds.Stream, func() error, error) {
	switch a.o.source {
	case sourceDemo:
		seed := a.o.seed
		if seed == 0 {
			seed = demo.DefaultSeed
		}
		return demo.New(seed), func() error { return nil }, nil
	case sourceReplay:
		if a.o.replayFile == "-" {
			if !stdin {
				return nil, nil, &inputError{errors.New("--replay -: the TUI reads the keyboard on standard input; use a file, or `tokentape snapshot --source replay --replay -`")}
			}
			// Through a pipe: a read of standard input cannot be interrupted,
			// but the pipe can be closed, so a signal ends the replay at once
			// (the copier goroutine, blocked on standard input, ends with the
			// process).
			pr, pw := io.Pipe()
			go func() {
				_, err := io.Copy(pw, os.Stdin)
				pw.CloseWithError(err)
			}()
			st := replay.NewStreamContext(ctx, pr)
			return st, st.Close, nil
		}
		st, err := openReplay(ctx, a.o.replayFile)
		if err != nil {
			return nil, nil, err
		}
		return st, st.Close, nil
	}
	return nil, nil, fmt.Errorf("source %s is not a stream", a.o.source)
}

// liveSources returns the polled sources of an openrouter run, in two
// groups: the market sources, and the endpoints of watched listings, which
// need the market's ranking to know what to watch.
func (a *app) liveSources() (market, endpoints []feeds.Source, err error) {
	ocfg := openrouter.Config{BaseURL: a.baseURL(), APIKey: a.apiKey, Watch: a.cfg.Watch}
	iv := a.cfg.Intervals
	for _, s := range openrouter.Sources(ocfg) {
		switch s.Name() {
		case "endpoints":
			endpoints = append(endpoints, withInterval(s, iv.Endpoints.Duration))
		case "catalogue", "ranking":
			market = append(market, withInterval(s, iv.Catalogue.Duration))
		case "providers":
			market = append(market, s)
		case "benchmarks", "tasks":
			// Daily data sharing the dataset quota: never more often than
			// the source's own interval, whatever --interval says.
			market = append(market, &quotaGuard{Source: s, minGap: max(datasetMinGap, s.Interval())})
		default: // usage, apps: keyed datasets with a daily quota
			market = append(market, &quotaGuard{Source: withInterval(s, iv.Usage.Duration), minGap: datasetMinGap})
		}
	}
	pages := statuspage.DefaultPages()
	if len(a.cfg.StatusPages) > 0 {
		pages = pages[:0]
		for _, p := range a.cfg.StatusPages {
			pages = append(pages, statuspage.Page{Name: p.Name, URL: p.URL, Authors: p.Authors})
		}
	}
	if len(a.o.statusPages) > 0 {
		pages = pages[:0]
		for _, f := range a.o.statusPages {
			p, err := statuspage.ParsePageFlag(f)
			if err != nil {
				return nil, nil, err
			}
			pages = append(pages, p)
		}
	}
	for _, p := range pages {
		market = append(market, withInterval(statuspage.Source(p), iv.Status.Duration))
	}
	if len(a.o.statusPages) == 0 {
		// Every provider serving a watched listing, from the providers
		// list; --status-page names exactly the pages to read instead.
		market = append(market, withInterval(statuspage.ProviderPages(pages), iv.Status.Duration))
	}
	return market, endpoints, nil
}

// intervalSource gives a source the interval the config file sets for it.
type intervalSource struct {
	feeds.Source
	every time.Duration
}

func (s intervalSource) Interval() time.Duration { return s.every }

func withInterval(s feeds.Source, d time.Duration) feeds.Source {
	if d <= 0 {
		return s
	}
	return intervalSource{Source: s, every: d}
}

// datasetMinGap is the least time between two fetches of a keyed dataset,
// whatever --interval says: OpenRouter allows 500 dataset requests a day,
// and the data is daily, so polling it every second would only burn the
// quota (two datasets every 10 minutes is 288 a day).
const datasetMinGap = 10 * time.Minute

// quotaGuard skips a fetch (feeds.SkipError: neither a success nor a
// failure, so the age of the data held keeps growing) when its source was
// last asked less than minGap ago, whether that attempt succeeded or failed:
// a failed request counts against the daily quota too, so pressing r during
// an outage must not send one per press. Only the poller's goroutine for
// this source calls Fetch, so last needs no lock.
type quotaGuard struct {
	feeds.Source
	minGap time.Duration
	last   time.Time
}

// MinInterval tells the poller never to schedule the source more often than
// the guard lets it through (feeds.MinIntervaler), so --interval does not
// turn every poll into a skip.
func (q *quotaGuard) MinInterval() time.Duration { return q.minGap }

func (q *quotaGuard) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	now := env.Now()
	if !q.last.IsZero() && now.Sub(q.last) < q.minGap {
		return nil, &feeds.SkipError{Until: q.last.Add(q.minGap), Reason: "dataset quota"}
	}
	ups, err := q.Source.Fetch(ctx, env)
	var skip *feeds.SkipError
	if !errors.As(err, &skip) && ctx.Err() == nil {
		q.last = now // a request went out (a cancelled one may not have)
	}
	return ups, err
}

func (a *app) pollerOptions(latest func() *model.Snapshot) feeds.PollerOptions {
	opts := feeds.PollerOptions{
		Interval: a.o.interval,
		HTTP:     a.fetcher(),
		Latest:   latest,
	}
	if a.apiKey != "" {
		opts.Redact = []string{a.apiKey}
	}
	return opts
}
