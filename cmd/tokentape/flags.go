package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// options are the command line's settings. The config file fills what the
// command line leaves unset; the command line wins.
type options struct {
	source        string
	replayFile    string
	recordFile    string
	speed         float64
	seed          int64
	openrouterURL string
	statusPages   multiFlag
	configPath    string
	interval      time.Duration
	timeout       time.Duration

	// Alert delivery.
	bell    bool
	notify  bool
	onAlert string

	// Cost planner workload, "20M:3:1" style.
	workload string

	// The history store (history.go).
	db        string
	noHistory bool
	at        string
	atTime    time.Time // --at parsed

	// snapshot / cost output.
	json bool
	csv  bool

	// --remote: the TUI on a server's stream; serve: the server's settings.
	remote string
	serve  serveOptions

	version bool
	set     map[string]bool // flags given explicitly
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// Sources tokentape can run on.
const (
	// sourceAuto ("auto", the default) is in auto.go.
	sourceDemo       = "demo"
	sourceOpenRouter = "openrouter"
	sourceReplay     = "replay"
)

// newFlagSet declares every flag of a command. snapshot and cost add their
// output flags; the TUI has none of those.
func newFlagSet(cmd string, o *options) *flag.FlagSet {
	name := "tokentape"
	if cmd != "" {
		name += " " + cmd
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&o.source, "source", sourceAuto, "where the market comes from: auto (live OpenRouter when it answers within 5s, else the demo labelled OFFLINE · DEMO), openrouter (live only), demo (embedded, offline), replay (a --record file)")
	fs.StringVar(&o.replayFile, "replay", "", "recording to play back with --source replay")
	fs.StringVar(&o.recordFile, "record", "", "also append every update to `FILE` as NDJSON (replay it with --source replay --replay FILE)")
	fs.Float64Var(&o.speed, "speed", 1, "playback speed of the demo and replays: 1 = one simulated day every 2 s; 4 = four times faster")
	fs.Int64Var(&o.seed, "seed", 0, "seed of the demo market's day-to-day noise (0: the default seed)")
	fs.StringVar(&o.openrouterURL, "openrouter-url", "", "OpenRouter API base `URL` (env TOKENTAPE_OPENROUTER_URL; default https://openrouter.ai/api/v1)")
	fs.Var(&o.statusPages, "status-page", "status page as `NAME=URL`; repeatable; replaces the default list. URL is the page's root (https://status.claude.com) or its JSON address; Statuspage, incident.io, FlashDuty, Instatus, Better Stack, OnlineOrNot pages and RSS feeds are recognised")
	fs.StringVar(&o.configPath, "config", "", "config file `PATH` (default $XDG_CONFIG_HOME/tokentape/config.toml)")
	fs.DurationVar(&o.interval, "interval", 0, "poll every live source at this interval, overriding the per-source defaults (catalogue 10m, endpoints 2m, status 60s, usage 1h)")
	fs.BoolVar(&o.bell, "bell", false, "ring the terminal bell when a critical alert fires")
	fs.BoolVar(&o.notify, "notify", false, "send a desktop notification (OSC 9) when an alert fires")
	fs.StringVar(&o.onAlert, "on-alert", "", "run `CMD` (via sh -c) with the alert as one line of JSON on stdin when an alert fires or resolves")
	fs.StringVar(&o.workload, "workload", "", "cost planner workload as TOKENS:IN:OUT, e.g. 20M:3:1 (20M tokens a day, 3 input to 1 output)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.StringVar(&o.db, "db", "", "history store `PATH` (default $XDG_STATE_HOME/tokentape/history.db; [store] path in the config)")
	fs.BoolVar(&o.noHistory, "no-history", false, "run without the history store: nothing is loaded or kept")
	if cmd == "" || cmd == "snapshot" {
		fs.StringVar(&o.at, "at", "", "show the market as the history store knew it at `TIME` (RFC 3339, or a date for its end); never polls")
	}
	switch cmd {
	case "snapshot":
		fs.BoolVar(&o.json, "json", false, "print the market as one JSON object")
		fs.BoolVar(&o.csv, "csv", false, "print the board as CSV")
		fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "give live sources at most this long to answer")
	case "cost":
		fs.BoolVar(&o.json, "json", false, "print the planner's table as JSON")
		fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "give live sources at most this long to answer")
	case "serve":
		addServeFlags(fs, &o.serve)
	case "":
		fs.StringVar(&o.remote, "remote", "", "open the TUI on the stream of the tokentape serve at `URL` (e.g. http://host:9464) instead of polling; its token from TOKENTAPE_HTTP_TOKEN")
	}
	fs.Usage = func() { usage(fs, cmd) }
	return fs
}

func usage(fs *flag.FlagSet, cmd string) {
	w := fs.Output()
	switch cmd {
	case "snapshot":
		fmt.Fprint(w, "Usage: tokentape snapshot [--json|--csv] [flags]\n\nRun one update cycle, print the market and exit.\n\n")
	case "cost":
		fmt.Fprint(w, "Usage: tokentape cost [--workload 20M:3:1] [--json] [flags]\n\nPrint what a workload costs per day and per month on every listing.\n\n")
	case "serve":
		fmt.Fprint(w, serveUsage)
	default:
		fmt.Fprint(w, `Usage: tokentape [flags]
       tokentape snapshot [--json|--csv] [flags]
       tokentape cost [--workload 20M:3:1] [--json] [flags]
       tokentape serve [--ssh ADDR] [--http ADDR] [--webhook URL]... [flags]
       tokentape --remote http://HOST:9464
       tokentape history prices|uptime LISTING · history export --since DATE [--csv|--json]

A terminal market monitor for the AI token economy. Without flags it shows the
live OpenRouter market and status pages when the catalogue answers within 5s
(set OPENROUTER_API_KEY for token volumes), else the embedded demo market,
labelled OFFLINE · DEMO with the reason (r looks for the live market again).
--source demo runs the demo on purpose.

`)
	}
	fmt.Fprint(w, "Flags:\n")
	fs.PrintDefaults()
	if cmd == "" {
		fmt.Fprint(w, `
Keys: 1-5 tabs · tab/shift+tab cycle · j/k ↑/↓ g/G move · enter detail · esc back
      / filter · s sort · o origin · p pause · r refresh · +/- speed · ? help · q quit
`)
	}
}

// parseArgs reads a command line: an optional subcommand, then flags.
func parseArgs(args []string) (cmd string, o options, err error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "snapshot", "cost", "serve":
			cmd, args = args[0], args[1:]
		case "help":
			args = []string{"-h"}
		default:
			return "", o, fmt.Errorf("unknown command %q (commands: snapshot, cost, serve; see tokentape --help)", args[0])
		}
	}
	fs := newFlagSet(cmd, &o)
	if err := fs.Parse(args); err != nil {
		return cmd, o, err
	}
	if fs.NArg() > 0 {
		return cmd, o, fmt.Errorf("unexpected argument %q (see tokentape --help)", fs.Arg(0))
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if o.remote != "" {
		if o.set["source"] || o.set["replay"] {
			return cmd, o, errors.New("--remote and --source: pick one (a remote market is whatever its server runs)")
		}
		o.source = sourceRemote
	}
	if o.openrouterURL == "" {
		o.openrouterURL = os.Getenv("TOKENTAPE_OPENROUTER_URL")
	}
	return cmd, o, o.validate()
}

func (o *options) validate() error {
	switch o.source {
	case sourceAuto, sourceDemo, sourceOpenRouter:
		if o.replayFile != "" {
			return errors.New("--replay needs --source replay")
		}
	case sourceReplay:
		if o.replayFile == "" {
			return errors.New("--source replay needs --replay FILE")
		}
	case sourceRemote:
		if o.remote == "" {
			return fmt.Errorf("--source %q: want auto, demo, openrouter or replay", o.source)
		}
	default:
		return fmt.Errorf("--source %q: want auto, demo, openrouter or replay", o.source)
	}
	if !(o.speed > 0 && o.speed <= 64) { // written so that NaN fails too
		return fmt.Errorf("--speed %v: want a number above 0 and at most 64", o.speed)
	}
	if o.json && o.csv {
		return errors.New("--json and --csv: pick one")
	}
	if o.set["timeout"] && o.timeout <= 0 {
		return fmt.Errorf("--timeout %s: want a duration above 0, such as 30s", o.timeout)
	}
	if o.openrouterURL != "" {
		name := "--openrouter-url"
		if !o.set["openrouter-url"] {
			name = "TOKENTAPE_OPENROUTER_URL"
		}
		if err := checkHTTPURL(o.openrouterURL); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
	}
	if o.interval < 0 || (o.interval > 0 && o.interval < 500*time.Millisecond) {
		return fmt.Errorf("--interval %s: want at least 500ms", o.interval)
	}
	if o.recordFile != "" && o.replayFile != "" && sameFile(o.recordFile, o.replayFile) {
		return errors.New("--record and --replay name the same file: the replay would read what it records")
	}
	return o.validateHistory()
}

// checkHTTPURL accepts an absolute http or https URL with a host, as the
// config file's openrouter_url must be.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// sameFile reports whether two paths name one file: the same spelling, or
// the same file by identity (a symlink, a relative path, a hard link).
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}
