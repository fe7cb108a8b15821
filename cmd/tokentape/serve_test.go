package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
	"github.com/tokentape/tokentape/model"
)

// freePort returns a loopback address nobody listens on (the race with
// another process taking it is harmless in a test).
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// serveApp is the app of `tokentape serve args...`, as run makes it.
func serveApp(t *testing.T, cfg config.Config, args ...string) *app {
	t.Helper()
	cmd, o, err := parseArgs(append([]string{"serve"}, args...))
	if err != nil || cmd != "serve" {
		t.Fatalf("parseArgs: %q %v", cmd, err)
	}
	a, err := newApp(o, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// startServe runs `tokentape serve args...` until the test ends.
func startServe(t *testing.T, cfg config.Config, args ...string) (*syncBuffer, func()) {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	a := serveApp(t, cfg, args...)
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.runServe(ctx, logs) }()
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("serve did not stop within 5s of its context ending")
		}
	}
	return logs, stop
}

func getOK(t *testing.T, url, token string) []byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return b
			}
			err = &httpStatus{resp.StatusCode}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type httpStatus struct{ code int }

func (h *httpStatus) Error() string { return http.StatusText(h.code) }

func TestServeDemoOverHTTPWithToken(t *testing.T) {
	const token = "tok-0123456789"
	t.Setenv("TOKENTAPE_HTTP_TOKEN", token)
	addr := freePort(t)
	logs, stop := startServe(t, config.Defaults(), "--source", "demo", "--speed", "64", "--ssh", "off", "--http", addr)
	body := getOK(t, "http://"+addr+"/api/v1/snapshot", token)
	var r struct {
		Source    string            `json:"source"`
		Simulated bool              `json:"simulated"`
		Listings  []json.RawMessage `json:"listings"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Source != "demo" || !r.Simulated {
		t.Errorf("snapshot source %q simulated %v: demo data must say so", r.Source, r.Simulated)
	}
	metrics := string(getOK(t, "http://"+addr+"/metrics", token))
	if !strings.Contains(metrics, `tokentape_market_info{simulated="true",source="demo"} 1`) {
		t.Errorf("metrics do not say DEMO:\n%.400s", metrics)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("metrics without the token: HTTP %d", resp.StatusCode)
	}
	stop()
	out := logs.String()
	if !strings.Contains(out, "serving") || strings.Contains(out, token) {
		t.Errorf("log (must say serving, never the token):\n%s", out)
	}
}

func TestServeConfigSectionAndRefusals(t *testing.T) {
	cfg := config.Defaults()
	addr := freePort(t)
	cfg.Serve.HTTP = addr
	cfg.Serve.SSH = "off"
	logs, stop := startServe(t, cfg, "--source", "demo")
	getOK(t, "http://"+addr+"/healthz", "")
	stop()
	if !strings.Contains(logs.String(), "http="+addr) || !strings.Contains(logs.String(), "ssh=off") {
		t.Errorf("the [serve] section was not used:\n%s", logs.String())
	}

	// A secret webhook over plain http to another machine is refused, and
	// the error does not repeat the URL's secret path.
	a := serveApp(t, config.Defaults(), "--source", "demo", "--webhook", "http://alerts.lan/hooks/SECRETPATH", "--webhook-secret", "s")
	err := a.runServe(context.Background(), io.Discard)
	if err == nil || strings.Contains(err.Error(), "SECRETPATH") {
		t.Errorf("secret webhook over plain http: %v", err)
	}

	// No key file and no --ssh-open: the log says how to let viewers in.
	sshAddr := freePort(t)
	logs, stop = startServe(t, config.Defaults(), "--source", "demo", "--http", "off", "--ssh", sshAddr)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "serving") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if !strings.Contains(logs.String(), "--ssh-authorized-keys FILE") {
		t.Errorf("no advice on admitting viewers:\n%s", logs.String())
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_STATE_HOME"), "tokentape", "ssh_host_ed25519")); err != nil {
		t.Errorf("host key not kept in the state directory: %v", err)
	}
}

func TestRemoteFlag(t *testing.T) {
	_, o, err := parseArgs([]string{"--remote", "http://127.0.0.1:9464"})
	if err != nil || o.source != sourceRemote {
		t.Fatalf("--remote: source %q err %v", o.source, err)
	}
	a, err := newApp(o, config.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if got := a.market.Snapshot().Source; got != "remote 127.0.0.1:9464" {
		t.Errorf("market source %q, want the header's \"remote 127.0.0.1:9464\"", got)
	}
	if _, _, err := parseArgs([]string{"--remote", "http://h:1", "--source", "demo"}); err == nil {
		t.Error("--remote with --source accepted")
	}
	if _, _, err := parseArgs([]string{"--source", "remote"}); err == nil {
		t.Error("--source remote without --remote accepted")
	}
}

func TestServeStreamsToARemote(t *testing.T) {
	addr := freePort(t)
	_, stop := startServe(t, config.Defaults(), "--source", "demo", "--speed", "64", "--ssh", "off", "--http", addr)
	defer stop()
	getOK(t, "http://"+addr+"/healthz", "")
	attached := remoteViewer(t, addr)
	waitFor(t, "the demo's market on the remote, still saying DEMO", func() bool {
		s := attached()
		return len(s.Listings) > 10 && s.Simulated()
	})
}

// servedMarket is what /api/v1/snapshot says: the source, the listing ids
// and the alerts.
type servedMarket struct {
	Source   string `json:"source"`
	Listings []struct {
		ID string `json:"id"`
	} `json:"listings"`
	Alerts []struct {
		Kind  string `json:"kind"`
		Acked bool   `json:"acked"`
	} `json:"alerts"`
}

func served(t *testing.T, addr string) servedMarket {
	t.Helper()
	var m servedMarket
	if err := json.Unmarshal(getOK(t, "http://"+addr+"/api/v1/snapshot", ""), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m servedMarket) ids() string {
	var ids []string
	for _, l := range m.Listings {
		ids = append(ids, l.ID)
	}
	sort.Strings(ids)
	return strings.Join(ids, " ")
}

// ackedOutage reports whether the market has an outage alert, and whether
// it is acknowledged.
func (m servedMarket) ackedOutage() (has, acked bool) {
	for _, a := range m.Alerts {
		if a.Kind == string(model.AlertOutage) {
			return true, a.Acked
		}
	}
	return false, false
}

// waitServed polls /api/v1/snapshot until ok holds, for at most 10 s.
func waitServed(t *testing.T, addr, what string, ok func(servedMarket) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m := served(t, addr)
		if ok(m) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10s: %+v", what, m)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ackAllOverSSH opens a viewer on addr, goes to the Alerts tab and
// acknowledges every alert, as a user at ssh -p PORT would.
func ackAllOverSSH(t *testing.T, addr string) {
	t.Helper()
	stdin, waitScreen := openViewer(t, addr)
	waitScreen("Board")
	if _, err := stdin.Write([]byte("5")); err != nil { // the Alerts tab
		t.Fatal(err)
	}
	waitScreen("not acknowledged (a)")
	if _, err := stdin.Write([]byte("A")); err != nil { // acknowledge all
		t.Fatal(err)
	}
	// The session stays open until the viewer's screen shows the
	// acknowledgement: it has then reached the engine.
	waitScreen("✓ acknowledged")
}

// openViewer opens an SSH viewer's session on addr (120x40), closed when
// the test ends: its keyboard, and a wait for text on its screen.
func openViewer(t *testing.T, addr string) (stdin io.Writer, waitScreen func(want string)) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "viewer", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	screen := &syncBuffer{}
	sess.Stdout = screen
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return in, func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(screen.String(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q on the viewer's screen within 10s:\n%q", want, screen.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// serve keeps the live market in the history store, as the TUI does: what
// the live feeds brought, the alerts and a viewer's acknowledgement. A
// second start serves the kept market while its upstream is gone. The demo
// never creates the file.
func TestServeKeepsTheLiveMarketInTheHistory(t *testing.T) {
	isolate(t, "")
	upstream := fakeOpenRouter(t, `{"data":[`+priced("a/one", "0.000001", "0.000002")+","+
		priced("b/two", "0.000003", "0.000015")+`]}`, `{"data":[]}`)
	status := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"page":{"name":"t"},"status":{"indicator":"major"},"components":[],"incidents":[]}`)
	}))
	t.Cleanup(status.Close)
	db := filepath.Join(t.TempDir(), "history.db")
	live := func(httpAddr, sshAddr string) []string {
		return []string{"--source", "openrouter", "--openrouter-url", upstream.URL + "/api/v1",
			"--status-page", "t=" + status.URL + "/status.json", "--db", db,
			"--ssh", sshAddr, "--ssh-open", "--http", httpAddr}
	}

	addr, sshAddr := freePort(t), freePort(t)
	_, stop := startServe(t, config.Defaults(), live(addr, sshAddr)...)
	waitServed(t, addr, "live market with its outage alert", func(m servedMarket) bool {
		has, _ := m.ackedOutage()
		return m.ids() == "a/one b/two" && has
	})
	ackAllOverSSH(t, sshAddr)
	waitServed(t, addr, "acknowledgement", func(m servedMarket) bool { _, acked := m.ackedOutage(); return acked })
	stop()
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("the live serve kept no history: %v", err)
	}

	// The upstream is gone: whatever the second start serves came from the
	// store, and it serves it from the first request on.
	upstream.Close()
	status.Close()
	addr = freePort(t)
	_, stop = startServe(t, config.Defaults(), live(addr, "off")...)
	m := served(t, addr)
	stop()
	has, acked := m.ackedOutage()
	if m.Source != sourceOpenRouter || m.ids() != "a/one b/two" || !has || !acked {
		t.Errorf("second start serves source %q listings %q, outage alert %v acked %v; want openrouter's a/one and b/two and the acknowledged alert, from the history",
			m.Source, m.ids(), has, acked)
	}

	// The default source (auto) with the upstream's port closed: offline
	// with a kept market, serve shows that market labelled history (in the
	// API and on a viewer's header), never the demo, as the TUI does.
	auto := func(db, httpAddr, sshAddr string) []string {
		return []string{"--openrouter-url", upstream.URL + "/api/v1", "--status-page", "t=" + status.URL + "/status.json",
			"--db", db, "--ssh", sshAddr, "--ssh-open", "--http", httpAddr}
	}
	addr, sshAddr = freePort(t), freePort(t)
	_, stop = startServe(t, config.Defaults(), auto(db, addr, sshAddr)...)
	m = served(t, addr)
	if has, acked := m.ackedOutage(); m.Source != sourceHistory || m.ids() != "a/one b/two" || !has || !acked {
		t.Errorf("offline auto start serves source %q listings %q, outage alert %v acked %v; want history's a/one and b/two and the acknowledged alert",
			m.Source, m.ids(), has, acked)
	}
	_, waitScreen := openViewer(t, sshAddr)
	waitScreen("(history)")
	stop()

	// Offline without a history: the demo, as before.
	addr = freePort(t)
	_, stop = startServe(t, config.Defaults(), auto(filepath.Join(t.TempDir(), "empty.db"), addr, "off")...)
	if m := served(t, addr); m.Source != sourceDemo {
		t.Errorf("offline auto start without a history serves source %q, want the demo", m.Source)
	}
	stop()

	demoDB := filepath.Join(t.TempDir(), "demo.db")
	addr = freePort(t)
	_, stop = startServe(t, config.Defaults(), "--source", "demo", "--db", demoDB, "--ssh", "off", "--http", addr)
	getOK(t, "http://"+addr+"/healthz", "")
	stop()
	if _, err := os.Stat(demoDB); !os.IsNotExist(err) {
		t.Errorf("the demo serve created the history file (%v)", err)
	}
}
