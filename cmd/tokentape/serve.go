package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/log"
	"github.com/muesli/termenv"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/demo"
	"github.com/tokentape/tokentape/feeds/remote"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui"
	"github.com/tokentape/tokentape/ui/serve"
)

// serveOptions are `tokentape serve`'s flags; the config file's [serve]
// section fills what they leave unset.
type serveOptions struct {
	ssh            string
	http           string
	webhooks       multiFlag
	webhookSecret  string
	authorizedKeys string
	open           bool
	httpToken      string
	liveRetry      time.Duration
}

func addServeFlags(fs *flag.FlagSet, so *serveOptions) {
	fs.StringVar(&so.ssh, "ssh", ":2222", "where SSH viewers connect (`ADDR`; \"off\" for none)")
	fs.StringVar(&so.http, "http", "127.0.0.1:9464", "where /metrics and the API listen (`ADDR`; \"off\" for none)")
	fs.Var(&so.webhooks, "webhook", "POST each alert that fires or resolves as JSON to `URL` (Slack, Discord, any receiver); repeatable")
	fs.StringVar(&so.webhookSecret, "webhook-secret", "", "sign webhook bodies with HMAC-SHA256 keyed with `SECRET` in the "+serve.SignatureHeader+" header (env TOKENTAPE_WEBHOOK_SECRET)")
	fs.StringVar(&so.authorizedKeys, "ssh-authorized-keys", "", "OpenSSH authorized_keys `FILE` of the keys admitted as viewers (without it and --ssh-open, every key is refused)")
	fs.BoolVar(&so.open, "ssh-open", false, "admit any SSH client (only on a network you trust)")
	fs.DurationVar(&so.liveRetry, "live-retry", defaultLiveRetry.Min, "when --source auto found no live market, look again after `DURATION`, doubling up to "+defaultLiveRetry.Max.String()+" (at least 1s)")
	fs.StringVar(&so.httpToken, "http-token", "", "require `TOKEN` as a bearer token on /metrics and the API (env TOKENTAPE_HTTP_TOKEN)")
}

const serveUsage = `Usage: tokentape serve [--ssh ADDR] [--http ADDR] [--ssh-authorized-keys FILE] [--webhook URL]... [flags]

Run one live engine for a whole team: the same sources and alert rules as the
TUI, polled once, shared by every viewer. ssh -p 2222 HOST opens the TUI;
/metrics serves Prometheus, /api/v1/snapshot the market as JSON,
/api/v1/events alerts as Server-Sent Events, /api/v1/updates the stream that
tokentape --remote http://HOST:9464 attaches to. One log line per event goes
to stderr.

`

// httpToken is the API's bearer token: --http-token, else the environment.
func httpToken(o options) string {
	if o.serve.httpToken != "" {
		return o.serve.httpToken
	}
	return os.Getenv("TOKENTAPE_HTTP_TOKEN")
}

// sourceRemote is the source of a TUI attached to a server (--remote).
const sourceRemote = "remote"

// remoteSource names a remote market for the header: "remote HOST:PORT".
func remoteSource(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return sourceRemote
	}
	return sourceRemote + " " + u.Host
}

// serveSettings are the flags over the config file's [serve] section.
type serveSettings struct {
	ssh, http      string
	webhooks       []string
	secret         string
	authorizedKeys string
	open           bool
}

func (a *app) serveSettings() serveSettings {
	so, c := a.o.serve, a.cfg.Serve
	s := serveSettings{ssh: so.ssh, http: so.http, webhooks: so.webhooks, authorizedKeys: so.authorizedKeys, open: so.open,
		secret: so.webhookSecret}
	if !a.o.set["ssh"] && c.SSH != "" {
		s.ssh = c.SSH
	}
	if !a.o.set["http"] && c.HTTP != "" {
		s.http = c.HTTP
	}
	if !a.o.set["webhook"] {
		s.webhooks = c.Webhooks
	}
	if !a.o.set["ssh-authorized-keys"] {
		s.authorizedKeys = expandHome(c.SSHAuthorizedKeys)
	}
	if !a.o.set["ssh-open"] {
		s.open = c.SSHOpen
	}
	if s.secret == "" {
		s.secret = os.Getenv("TOKENTAPE_WEBHOOK_SECRET")
	}
	return s
}

func expandHome(p string) string {
	if len(p) > 1 && p[:2] == "~/" {
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, p[2:])
		}
	}
	return p
}

// stateDir is where serve keeps its SSH host key:
// $XDG_STATE_HOME/tokentape, else ~/.local/state/tokentape.
func stateDir() (string, error) {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", errors.New("no state directory: set XDG_STATE_HOME or HOME")
		}
		base = filepath.Join(h, ".local", "state")
	}
	dir := filepath.Join(base, "tokentape")
	return dir, os.MkdirAll(dir, 0o700)
}

func listen(addr string) (net.Listener, error) {
	if addr == "" || addr == "off" {
		return nil, nil
	}
	return net.Listen("tcp", addr)
}

// runServe runs the engine headless and serves it until a signal.
func (a *app) runServe(ctx context.Context, stderr io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lg := log.NewWithOptions(stderr, log.Options{ReportTimestamp: true, TimeFormat: time.RFC3339, Prefix: "tokentape"})
	set := a.serveSettings()
	if a.apiKey != "" || a.httpToken != "" || set.secret != "" {
		// Every line goes through the redactor too: a log line must never
		// carry a secret, whatever an error message quotes.
		lg.SetOutput(&redactWriter{w: stderr, secrets: []string{a.apiKey, a.httpToken, set.secret}})
	}

	// Viewers' screens are drawn for terminals the server cannot ask: fix
	// the palette instead of probing the server's own terminal.
	if os.Getenv("NO_COLOR") != "" {
		lipgloss.SetColorProfile(termenv.Ascii)
	} else {
		lipgloss.SetColorProfile(termenv.ANSI256)
	}
	lipgloss.SetHasDarkBackground(true)

	hooks, err := serve.NewWebhooks(serve.WebhookOptions{URLs: set.webhooks, Secret: set.secret,
		CheckSecret: feeds.CheckSecretURL, Log: lg.With("part", "webhook")})
	if err != nil {
		return err
	}
	// The listeners are closed on every return, a failed start included
	// (a history file that is not a store, no state directory): a serve
	// that gave up must not keep its ports, or the next try cannot bind
	// them. Closing them again after the servers did is harmless.
	httpLn, err := listen(set.http)
	if err != nil {
		return fmt.Errorf("--http: %w", err)
	}
	if httpLn != nil {
		defer httpLn.Close()
	}
	sshLn, err := listen(set.ssh)
	if err != nil {
		return fmt.Errorf("--ssh: %w", err)
	}
	if sshLn != nil {
		defer sshLn.Close()
	}

	// The store is opened before an auto run settles its source: a kept
	// live market is served at once (source history) while the live market
	// is looked for, and rather than the demo when it does not answer, as
	// the TUI does. A run that asked for the demo never opens the file.
	// The last-known market first, before any poll: viewers and the API see
	// it at once, and so do --remote clients (through the update log).
	updates := remote.NewLog(0)
	rs, err := a.openRun(ctx, stderr, updates.Record)
	defer a.hist.close(stderr)
	if err != nil {
		return err
	}
	hist, first, lookBehind, offline := a.hist, rs.first, rs.lookBehind, rs.offline
	engine := NewEngine(a.market)
	report := func(h model.SourceHealth) { engine.Send(ctx, []model.Update{model.SourceUpdate{Health: h}}) }
	f, err := a.startFeed(ctx, engine, func(next feeds.Sink) feeds.Sink { return updates.Wrap(hist.keep(report, next)) })
	if err != nil {
		return err
	}
	defer f.stop(a, stderr)
	f.sink(first) // the catalogue the look for live brought back
	hub := serve.NewHub(serve.HubOptions{})
	events := serve.NewEvents(0, 0)
	metrics := serve.NewMetrics(version, hub.Latest, func() (int, int) { return hub.Len(), events.Len() })
	srv := &serve.Server{Hub: hub, Events: events, Metrics: metrics, Webhooks: hooks, Log: lg}
	srv.Publish(engine.Latest())
	deliverer := NewDeliverer(a.o, os.Stdout, report)

	var wg sync.WaitGroup
	// Every return stops and waits for what was started, a failed SSH
	// start included: nothing may still run (observe into the history,
	// serve on the listeners) once the deferred closes below run.
	defer func() {
		cancel()
		waitOrGiveUp(&wg, 3*time.Second, stderr)
	}()
	start := func(fn func(context.Context)) {
		wg.Add(1)
		go func() { defer wg.Done(); fn(ctx) }()
	}
	start(func(ctx context.Context) {
		engine.Run(ctx, func(s *model.Snapshot) {
			srv.Publish(s)
			deliverer.Observe(s)
			hist.observe(s) // new alerts, resolutions and viewers' acknowledgements are kept
		})
	})
	start(func(ctx context.Context) { _ = f.run(ctx) })
	if lookBehind || offline != nil {
		// Nobody can press r on a server: it looks for the live market on
		// its own (at once behind a kept market, after a wait when the
		// first look failed), and once it answers switches exactly as the
		// TUI's r does.
		// The update log is reset with the fallback stopped, so attached
		// clients start afresh on the live market (remote.MarketHeader).
		stop := func() bool {
			if !f.stopSource() {
				return false
			}
			updates.Reset()
			return true
		}
		start(func(ctx context.Context) {
			// Its rows (why, and the next try) reach --remote clients too.
			logged := func(h model.SourceHealth) {
				batch := []model.Update{model.SourceUpdate{Health: h}}
				updates.Record(batch)
				engine.Send(ctx, batch)
			}
			if poller := a.retryLive(ctx, engine, f.sink, stop, logged, offline, lg); poller != nil {
				_ = poller.Run(ctx)
			}
		})
	}
	start(hooks.Run)
	start(deliverer.Run)

	if httpLn != nil {
		if !loopbackAddr(httpLn.Addr()) && a.httpToken == "" {
			lg.Warn("http listens beyond this machine without a token: anyone who reaches it reads the market (set TOKENTAPE_HTTP_TOKEN)")
		}
		h := serve.NewHTTPHandler(serve.HTTPOptions{
			Token:   a.httpToken,
			Latest:  hub.Latest,
			Report:  func(s *model.Snapshot) any { return a.snapshotReport(s) },
			Metrics: metrics,
			Events:  events,
			Extra:   map[string]http.Handler{remote.Path: updates},
			Log:     lg.With("part", "http"),
		})
		start(func(ctx context.Context) {
			if err := serve.ServeHTTP(ctx, serve.NewHTTPServer(h), serve.LimitListener(httpLn, 0)); err != nil {
				lg.Error("http stopped", "err", err)
				cancel()
			}
		})
	}
	if sshLn != nil {
		dir, err := stateDir()
		if err != nil {
			return err
		}
		sshSrv, err := serve.NewSSHServer(serve.SSHOptions{
			HostKeyPath:    filepath.Join(dir, "ssh_host_ed25519"),
			AuthorizedKeys: set.authorizedKeys,
			Open:           set.open,
			Hub:            hub,
			NewModel:       a.viewerModel(ctx, engine, lg),
			FPS:            fps,
			Log:            lg.With("part", "ssh"),
		})
		if err != nil {
			return err
		}
		switch {
		case set.open:
			lg.Warn("ssh admits anyone (--ssh-open)")
		case set.authorizedKeys == "":
			lg.Warn("ssh refuses every key: allow viewers with --ssh-authorized-keys FILE (OpenSSH authorized_keys), or --ssh-open on a trusted network")
		}
		start(func(ctx context.Context) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				if err := sshSrv.Serve(sshLn); err != nil {
					lg.Error("ssh stopped", "err", err)
				}
			}()
			<-ctx.Done()
			sctx, scancel := context.WithTimeout(context.Background(), time.Second)
			defer scancel()
			_ = sshSrv.Shutdown(sctx)
			<-done
		})
	}
	lg.Info("serving", "source", engine.Latest().Source, "ssh", addrOf(sshLn), "http", addrOf(httpLn),
		"webhooks", len(set.webhooks), "signed", set.secret != "", "token", a.httpToken != "")
	<-ctx.Done()
	lg.Info("stopping")
	return nil
}

// viewerModel builds each SSH session's TUI: its own tabs, size and
// selection on the shared snapshots. A viewer cannot pause the server's
// poller or save the server's config; its acknowledgements are shared by
// everyone and logged with its key.
func (a *app) viewerModel(ctx context.Context, engine *Engine, lg *log.Logger) func(serve.Session) tea.Model {
	return func(sess serve.Session) tea.Model {
		return ui.New(ui.Options{
			Reference:  a.reference(),
			InputShare: a.workload.InputShare,
			DayEvery:   demo.DayEvery,
			Workload:   a.workload,
			Shared:     true, // r cannot reach the server's look for live: it retries on its own
			Speed:      a.o.speed,
			Ack: func(keys []string, all bool) {
				lg.Info("alerts acknowledged", "by", sess.Fingerprint, "user", sess.User, "alerts", len(keys), "all", all)
				go engine.Send(ctx, []model.Update{model.AckUpdate{Keys: keys, All: all}})
			},
		})
	}
}

func addrOf(l net.Listener) string {
	if l == nil {
		return "off"
	}
	return l.Addr().String()
}

func loopbackAddr(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

// redactWriter replaces secrets in what passes through it.
type redactWriter struct {
	w       io.Writer
	secrets []string
}

func (r *redactWriter) Write(p []byte) (int, error) {
	s := string(p)
	for _, sec := range r.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	if _, err := io.WriteString(r.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
