package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/tokentape/tokentape/ui"
)

func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type sshFixture struct {
	addr    string
	hub     *Hub
	models  atomic.Int32 // programs started
	hostKey string
}

func startSSH(t testing.TB, allowed ...gossh.PublicKey) *sshFixture {
	t.Helper()
	dir := t.TempDir()
	var keys bytes.Buffer
	for _, k := range allowed {
		keys.Write(gossh.MarshalAuthorizedKey(k))
	}
	akPath := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(akPath, keys.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &sshFixture{hub: NewHub(HubOptions{}), hostKey: filepath.Join(dir, "host_ed25519")}
	srv, err := NewSSHServer(SSHOptions{
		HostKeyPath:    f.hostKey,
		AuthorizedKeys: akPath,
		Hub:            f.hub,
		NewModel: func(Session) tea.Model {
			f.models.Add(1)
			return ui.New(ui.Options{})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.addr = serveLoopback(t, srv)
	return f
}

// serveLoopback serves srv on a free loopback port until the test ends and
// returns its address.
func serveLoopback(t testing.TB, srv *SSHServer) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := contextWithCancel()
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return l.Addr().String()
}

func dial(addr string, key gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "viewer",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

// screen collects a session's output.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// lastFrameLines returns the screen a session's output leaves, escapes
// removed. The display draws each frame from the top left (cursor home),
// writing the lines that changed and stepping over the others with a bare
// newline, and erases below the last; reading only the text after the last
// "clear screen" joined a later frame's first line onto the last line of
// the one before (a 264-column line at 132 columns, seen under load).
func lastFrameLines(out string) []string {
	var scr []string
	frames := strings.Split(out, ansi.CursorHomePosition)
	for _, f := range frames[1:] {
		rows := strings.Split(f, "\n")
		for len(scr) < len(rows) {
			scr = append(scr, "")
		}
		for i, r := range rows {
			// A line written has text or is cleared to its end; a line
			// stepped over has neither (only cursor moves and erasures
			// below may follow it).
			if text := strings.TrimRight(ansi.Strip(r), "\r"); text != "" || strings.Contains(r, ansi.EraseLineRight) {
				scr[i] = text
			}
		}
		scr = scr[:len(rows)]
	}
	return scr
}

func TestSSHViewerAtClientSize(t *testing.T) {
	key, stranger := newKey(t), newKey(t)
	f := startSSH(t, key.PublicKey())
	f.hub.Publish(liveSnapshot(t))

	// A key not in the file is refused before any program starts.
	if c, err := dial(f.addr, stranger); err == nil {
		c.Close()
		t.Fatal("an unknown key was admitted")
	}
	if n := f.models.Load(); n != 0 {
		t.Fatalf("%d programs started for a refused key", n)
	}

	before := runtime.NumGoroutine()
	for _, size := range []struct{ w, h int }{{100, 30}, {132, 43}} {
		c, err := dial(f.addr, key)
		if err != nil {
			t.Fatalf("authorised key refused: %v", err)
		}
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out := &screen{}
		sess.Stdout = out
		stdin, _ := sess.StdinPipe()
		if err := sess.RequestPty("xterm-256color", size.h, size.w, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		// The client asks to run a command: it must be ignored, not run.
		if err := sess.Start("--source demo; rm -rf /"); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		var lines []string
		for {
			lines = lastFrameLines(out.String())
			if strings.Contains(strings.Join(lines, "\n"), "Board") && len(lines) >= size.h-1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%dx%d: no Board frame within 10s; got:\n%q", size.w, size.h, out.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		widest := 0
		for _, l := range lines {
			widest = max(widest, ansi.StringWidth(l))
		}
		if widest != size.w {
			t.Errorf("%dx%d: the widest line is %d columns, want the client's %d", size.w, size.h, widest, size.w)
		}
		if f.hub.Len() != 1 {
			t.Errorf("%d viewers registered during one session", f.hub.Len())
		}
		stdin.Write([]byte("q"))
		waitErr := make(chan error, 1)
		go func() { waitErr <- sess.Wait() }()
		select {
		case <-waitErr:
		case <-time.After(5 * time.Second):
			t.Fatal("q did not end the session")
		}
		c.Close()
		waitFor(t, func() bool { return f.hub.Len() == 0 })
	}
	waitGoroutines(t, before) // no program, reader or resizer left behind
	if n := f.models.Load(); n != 2 {
		t.Errorf("%d programs for two sessions", n)
	}
	// The host key was written once and is kept.
	if _, err := os.Stat(f.hostKey); err != nil {
		t.Errorf("host key not created: %v", err)
	}
}

func TestSSHNoKeyFileRefusesEveryone(t *testing.T) {
	_, err := NewSSHServer(SSHOptions{HostKeyPath: filepath.Join(t.TempDir(), "k"), AuthorizedKeys: filepath.Join(t.TempDir(), "missing"),
		Hub: NewHub(HubOptions{}), NewModel: func(Session) tea.Model { return nil }})
	if err == nil || !strings.Contains(err.Error(), "--ssh-authorized-keys") {
		t.Errorf("a missing key file: %v, want an error naming --ssh-authorized-keys", err)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, []byte("# nobody yet\n"), 0o600)
	if _, err := NewSSHServer(SSHOptions{HostKeyPath: filepath.Join(t.TempDir(), "k"), AuthorizedKeys: empty,
		Hub: NewHub(HubOptions{}), NewModel: func(Session) tea.Model { return nil }}); err == nil {
		t.Error("a key file without keys was accepted")
	}
}

func TestSSHNoFileNoOpen(t *testing.T) {
	f := &sshFixture{hub: NewHub(HubOptions{})}
	srv, err := NewSSHServer(SSHOptions{HostKeyPath: filepath.Join(t.TempDir(), "k"), Hub: f.hub,
		NewModel: func(Session) tea.Model { f.models.Add(1); return ui.New(ui.Options{}) }})
	if err != nil {
		t.Fatal(err)
	}
	addr := serveLoopback(t, srv)
	var banner string
	_, err = gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "viewer", Auth: []gossh.AuthMethod{gossh.PublicKeys(newKey(t))},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
		BannerCallback: func(msg string) error { banner = msg; return nil },
	})
	if err == nil {
		t.Fatal("a server without a key file admitted a key")
	}
	if !strings.Contains(banner, "--ssh-authorized-keys") || !strings.Contains(banner, "--ssh-open") {
		t.Errorf("the client is not told how to get in: banner %q", banner)
	}
	if f.models.Load() != 0 {
		t.Error("a program started for a refused client")
	}
}

func TestSSHNeverReadingViewerIsDroppedAndResizeStormIsHarmless(t *testing.T) {
	key := newKey(t)
	dir := t.TempDir()
	ak := filepath.Join(dir, "ak")
	os.WriteFile(ak, gossh.MarshalAuthorizedKey(key.PublicKey()), 0o600)
	hub := NewHub(HubOptions{Stall: 300 * time.Millisecond})
	srv, err := NewSSHServer(SSHOptions{HostKeyPath: filepath.Join(dir, "hk"), AuthorizedKeys: ak, Hub: hub,
		NewModel: func(Session) tea.Model { return ui.New(ui.Options{}) }})
	if err != nil {
		t.Fatal(err)
	}
	addr := serveLoopback(t, srv)
	base := liveSnapshot(t)
	hub.Publish(base)
	before := runtime.NumGoroutine()
	// A viewer that resizes a thousand times and then never reads again.
	c, err := dial(addr, key)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, _ := c.NewSession()
	if err := sess.RequestPty("xterm", 120, 250, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	keys, _ := sess.StdinPipe()
	// Nobody reads stdout (a pipe never read; a nil Stdout would be copied
	// to io.Discard): the SSH window fills and the server's writes block.
	_, _ = sess.StdoutPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return hub.Len() == 1 })
	for i := 0; i < 1000; i++ {
		if err := sess.WindowChange(20+i%60, 80+i%100); err != nil {
			break // the server may already have cut it off
		}
	}
	sess.WindowChange(120, 250)
	// Keep publishing fresh snapshots, and changing the sort so that every
	// frame is redrawn whole, until the client's SSH window is full, its
	// program stuck, and the hub gives up on it.
	deadline := time.Now().Add(30 * time.Second)
	for i := 1; hub.Len() > 0; i++ {
		if time.Now().After(deadline) {
			t.Fatal("a viewer that never reads was not dropped within 30s")
		}
		keys.Write([]byte("s"))
		s := *base
		s.AsOf = base.AsOf.Add(time.Duration(i) * time.Minute)
		hub.Publish(&s)
		time.Sleep(20 * time.Millisecond)
	}
	// The server cut the connection (a program stuck writing to it could
	// not end otherwise), and nothing of the session is left behind.
	cut := make(chan error, 1)
	go func() { cut <- c.Wait() }()
	select {
	case <-cut:
	case <-time.After(5 * time.Second):
		t.Fatal("the server kept the connection of a dropped viewer open")
	}
	c.Close()
	waitGoroutines(t, before)

	// The server still serves others.
	c2, err := dial(addr, key)
	if err != nil {
		t.Fatalf("after dropping a stuck viewer: %v", err)
	}
	c2.Close()
}

// TestLastFrameLines: the screen after a full frame and a partial one that
// rewrote its middle line and erased a line below.
func TestLastFrameLines(t *testing.T) {
	home, erase := ansi.CursorHomePosition, ansi.EraseLineRight
	full := ansi.EraseEntireScreen + home + "top\r\nmiddle\r\nbottom\r\ngone" + ansi.CursorPosition(0, 4)
	tests := []struct {
		name, out string
		want      []string
	}{
		{"one frame", full, []string{"top", "middle", "bottom", "gone"}},
		{"a line emptied", full + home + "\n" + erase + "\r\n\n" + ansi.CursorPosition(0, 4), []string{"top", "", "bottom", "gone"}},
		{"a later partial frame", full + home + "\n" + "new" + erase + "\r\n" + ansi.EraseScreenBelow + ansi.CursorPosition(0, 3),
			[]string{"top", "new", "bottom"}},
	}
	for _, tt := range tests {
		if got := lastFrameLines(tt.out); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
