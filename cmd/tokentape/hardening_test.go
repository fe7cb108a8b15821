package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
)

// With a key set, a plain-http base URL to another machine is refused before
// anything starts (newApp opens no connection); https and loopback http
// are fine, and without a key any http(s) base is.
func TestAPIKeyOnlyOverHTTPSOrLoopback(t *testing.T) {
	cases := []struct {
		key, flagURL, cfgURL string
		ok                   bool
	}{
		{"sk-test", "http://192.0.2.1/api/v1", "", false},
		{"sk-test", "", "http://mirror.example/api/v1", false},
		{"sk-test", "https://mirror.example/api/v1", "", true},
		{"sk-test", "http://127.0.0.1:8080/api/v1", "", true},
		{"sk-test", "http://[::1]:8080", "", true},
		{"sk-test", "", "", true}, // the default is https
		{"", "http://192.0.2.1/api/v1", "", true},
	}
	for _, c := range cases {
		t.Setenv("OPENROUTER_API_KEY", c.key)
		o := options{source: sourceOpenRouter, openrouterURL: c.flagURL, speed: 1}
		cfg := config.Defaults()
		if c.cfgURL != "" {
			cfg.OpenRouterURL = c.cfgURL
		}
		_, err := newApp(o, cfg)
		if (err == nil) != c.ok {
			t.Errorf("key %q, flag %q, config %q: %v, want ok=%v", c.key, c.flagURL, c.cfgURL, err, c.ok)
		}
		if err != nil && (!strings.Contains(err.Error(), "OPENROUTER_API_KEY") || strings.Contains(err.Error(), c.key)) {
			t.Errorf("message %q: want it to name the variable, never its value", err)
		}
	}
}

// Flags are checked like the config file: a bad value stops with exit 2 and
// a message naming the flag, before anything starts.
func TestBadFlagsExitTwoWithAMessage(t *testing.T) {
	t.Setenv("TOKENTAPE_OPENROUTER_URL", "")
	cases := []struct {
		args []string
		env  string // TOKENTAPE_OPENROUTER_URL
		want string
	}{
		{[]string{"--speed", "NaN"}, "", "--speed"},
		{[]string{"--speed", "nan"}, "", "--speed"},
		{[]string{"--speed", "+Inf"}, "", "--speed"},
		{[]string{"--speed", "0"}, "", "--speed"},
		{[]string{"--speed", "-2"}, "", "--speed"},
		{[]string{"--openrouter-url", "ftp://openrouter.ai/api/v1"}, "", "--openrouter-url"},
		{[]string{"--openrouter-url", "openrouter.ai/api/v1"}, "", "--openrouter-url"},
		{[]string{"--openrouter-url", "file:///etc/passwd"}, "", "--openrouter-url"},
		{[]string{"--openrouter-url", "http://"}, "", "--openrouter-url"},
		{[]string{"--source", "openrouter"}, "javascript:alert(1)", "TOKENTAPE_OPENROUTER_URL"},
		{[]string{"snapshot", "--timeout", "0"}, "", "--timeout"},
		{[]string{"snapshot", "--timeout", "-5s"}, "", "--timeout"},
		{[]string{"cost", "--timeout", "0s"}, "", "--timeout"},
		{[]string{"--interval", "-1s"}, "", "--interval"},
	}
	for _, c := range cases {
		t.Setenv("TOKENTAPE_OPENROUTER_URL", c.env)
		var stdout, stderr strings.Builder
		code := run(c.args, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q (env %q): exit %d, stderr %q; want exit 2 naming %s", c.args, c.env, code, stderr.String(), c.want)
		}
	}
	t.Setenv("TOKENTAPE_OPENROUTER_URL", "")
	for _, ok := range [][]string{
		{"--speed", "64"}, {"--speed", "0.125"},
		{"--openrouter-url", "https://openrouter.ai/api/v1"}, {"--openrouter-url", "http://127.0.0.1:9/api"},
		{"snapshot", "--timeout", "1ms"},
	} {
		if _, _, err := parseArgs(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}

// --record and --replay naming one file, however spelt, is refused: the
// replay would read what it records, for ever.
func TestRecordAndReplayOfOneFileAreRefused(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "rec.ndjson")
	if err := os.WriteFile(rec, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.ndjson")
	if err := os.Symlink(rec, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.ndjson")
	if err := os.Link(rec, hard); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, pair := range [][2]string{
		{rec, rec}, {link, rec}, {"rec.ndjson", rec}, {"./sub/../rec.ndjson", "rec.ndjson"}, {hard, "link.ndjson"},
	} {
		_, _, err := parseArgs([]string{"--source", "replay", "--replay", pair[0], "--record", pair[1]})
		if err == nil || !strings.Contains(err.Error(), "same file") {
			t.Errorf("--replay %s --record %s: %v, want a refusal", pair[0], pair[1], err)
		}
	}
	other := filepath.Join(dir, "other.ndjson")
	if _, _, err := parseArgs([]string{"--source", "replay", "--replay", rec, "--record", other}); err != nil {
		t.Errorf("two files refused: %v", err)
	}
}

// A write error in snapshot --record (a full disk) exits non-zero with a
// message; before, it exited 0 with the file cut mid-line.
func TestSnapshotRecordWriteErrorExitsNonZero(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	isolate(t, "")
	var out, errOut strings.Builder
	code := run([]string{"snapshot", "--source", "demo", "--record", "/dev/full"}, &out, &errOut)
	if code == 0 || !strings.Contains(errOut.String(), "/dev/full") || !strings.Contains(errOut.String(), "no space") {
		t.Fatalf("exit %d, stderr %q: want a failure naming the file and the cause", code, errOut.String())
	}
}

// TERM=dumb gets a message pointing at `tokentape snapshot`, not
// alternate-screen sequences it cannot show.
func TestDumbTerminalIsPointedAtSnapshot(t *testing.T) {
	isolate(t, "")
	t.Setenv("TERM", "dumb")
	var out, errOut strings.Builder
	code := run([]string{"--source", "demo"}, &out, &errOut)
	if code == 0 || !strings.Contains(errOut.String(), "TERM=dumb") || !strings.Contains(errOut.String(), "tokentape snapshot") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Errorf("escape sequences written to a dumb terminal: %q", out.String())
	}
}

// A --replay that is not a recording (missing, a directory, a device, empty,
// nothing but junk) exits 2, as a bad flag does, saying what is wrong
// instead of "no source returned any data (see the warnings above)" with no
// warning above; a recording written by --record still replays.
func TestBadReplayExitsTwoSayingWhy(t *testing.T) {
	isolate(t, "")
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rec := filepath.Join(dir, "demo.ndjson")
	if code := run([]string{"snapshot", "--source", "demo", "--record", rec}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("recording the demo: exit %d", code)
	}
	junk := write("junk.ndjson", "not json\n{\"t\":1}\n")
	recorded, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	mixed := write("mixed.ndjson", "not json\n"+string(recorded))
	cases := []struct {
		name     string
		cmd      string // snapshot or serve
		replay   string
		wantCode int
		want     string // in stderr
	}{
		{"a device", "snapshot", "/dev/zero", 2, "not a regular file; a recording is a file written by --record"},
		{"a directory", "snapshot", dir, 2, "not a regular file"},
		{"a missing file", "snapshot", filepath.Join(dir, "nope.ndjson"), 2, "nope.ndjson"},
		{"an empty file", "snapshot", write("empty.ndjson", ""), 2, "is empty"},
		{"blank lines", "snapshot", write("blank.ndjson", "\n\n\n"), 2, "is empty"},
		{"junk", "snapshot", junk, 2, "all 2 lines are malformed"},
		{"serve, a device", "serve", "/dev/zero", 2, "not a regular file"},
		{"serve, junk", "serve", junk, 2, "all 2 lines are malformed"},
		{"a recording", "snapshot", rec, 0, ""},
		{"a junk line, then a recording", "snapshot", mixed, 0, "skipped 1 malformed lines"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{c.cmd, "--source", "replay", "--replay", c.replay}
			if c.cmd == "serve" {
				args = append(args, "--ssh", "off", "--http", "off")
			}
			var stderr strings.Builder
			code := run(args, io.Discard, &stderr)
			if code != c.wantCode || !strings.Contains(stderr.String(), c.want) || strings.Contains(stderr.String(), "see the warnings above") {
				t.Errorf("exit %d, stderr %q; want exit %d saying %q", code, stderr.String(), c.wantCode, c.want)
			}
		})
	}
}

// A history file that is no store exits 2 in every command that opens it,
// as a --replay that is not a recording does, naming the file and what to
// do; before, `tokentape history` and the others exited 1.
func TestUnusableHistoryFileExitsTwo(t *testing.T) {
	isolate(t, "")
	db := filepath.Join(t.TempDir(), "history.db")
	if err := os.WriteFile(db, []byte(strings.Repeat("not sqlite\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"snapshot", "--at", "2026-01-01", "--db", db},
		{"serve", "--source", "openrouter", "--db", db, "--ssh", "off", "--http", "off"},
		{"history", "prices", "openai/gpt-4o", "--db", db},
	} {
		t.Run(args[0], func(t *testing.T) {
			var stderr strings.Builder
			code := run(args, io.Discard, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), "history file "+db) || !strings.Contains(stderr.String(), "--no-history") {
				t.Errorf("%q: exit %d, stderr %q; want exit 2 naming the file and what to do", args, code, stderr.String())
			}
		})
	}
}

// With a key set and the usage dataset failing, the output says what failed
// rather than asking for the key the user has set.
func TestVolumesMessageNamesTheFailureWhenAKeyIsSet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/models":
			w.Write([]byte(`{"data":[` + priced("a/one", "0.000001", "0.000002") + `]}`))
		case "/status.json":
			w.Write([]byte(`{"page":{"name":"t"},"status":{"indicator":"none"},"components":[],"incidents":[]}`))
		default:
			http.Error(w, "down", http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	args := []string{"snapshot", "--source", "openrouter", "--openrouter-url", srv.URL + "/api/v1",
		"--status-page", "t=" + srv.URL + "/status.json", "--timeout", "10s"}
	for key, want := range map[string]string{
		"sk-test": "token volumes unavailable: usage HTTP 502",
		"":        "token volumes need OPENROUTER_API_KEY",
	} {
		isolate(t, key)
		var out, errOut strings.Builder
		if code := run(args, &out, &errOut); code != 0 {
			t.Fatalf("key %q: exit %d: %s", key, code, errOut.String())
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("key %q: board says\n%s\nwant %q", key, out.String(), want)
		}
		if key != "" && strings.Contains(out.String(), "need OPENROUTER_API_KEY") {
			t.Errorf("with a key set the board still asks for one:\n%s", out.String())
		}
	}
}
