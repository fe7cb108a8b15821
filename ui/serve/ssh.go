package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"github.com/tokentape/tokentape/ui"
)

// Session describes one SSH viewer, for the model it gets and for logs.
type Session struct {
	User        string
	Remote      string
	Fingerprint string // SHA256 fingerprint of the key it authenticated with; empty with --ssh-open and no key
}

// SSHOptions configure the SSH server.
type SSHOptions struct {
	// Addr to listen on, e.g. ":2222".
	Addr string
	// HostKeyPath is the server's private host key; created (ed25519) when
	// missing and kept, so clients see the same host key on every start.
	HostKeyPath string
	// AuthorizedKeys is an OpenSSH authorized_keys file. Only its keys are
	// admitted; it is read again when it changes, so keys can be added
	// without a restart. Empty and Open false: every key is refused.
	AuthorizedKeys string
	// Open admits anyone (for a trusted LAN).
	Open bool
	// Hub feeds every session's program.
	Hub *Hub
	// NewModel returns the Bubble Tea model of one session.
	NewModel func(Session) tea.Model
	// FPS caps how often a session's screen is redrawn (default 10); an idle
	// screen is not redrawn at all.
	FPS int
	// MaxConns caps open TCP connections, authenticated or not (default 256).
	MaxConns int
	// IdleTimeout closes a connection with no traffic either way for this
	// long (default 15 minutes); a screen of live data writes at least
	// every second, so only a dead or stuck client reaches it.
	IdleTimeout time.Duration
	// Log receives one line per connection event; nil discards.
	Log *log.Logger
}

// SSHServer serves the TUI over SSH: each session runs its own Bubble Tea
// program fed by the hub, with its own size, tab and selection.
type SSHServer struct {
	o    SSHOptions
	srv  *ssh.Server
	keys *keyFile
	wg   sync.WaitGroup // sessions in flight
}

// NoKeysBanner is what a client is told when the server admits nobody.
const NoKeysBanner = "tokentape: this server admits no SSH keys yet. Its operator can allow yours with\r\n" +
	"  tokentape serve --ssh-authorized-keys FILE   (OpenSSH authorized_keys format)\r\n" +
	"or admit anyone on a trusted network with --ssh-open.\r\n"

// NewSSHServer checks the options and prepares the server; Serve starts it.
func NewSSHServer(o SSHOptions) (*SSHServer, error) {
	if o.Hub == nil || o.NewModel == nil {
		return nil, errors.New("serve: SSH needs a hub and a model")
	}
	if o.FPS <= 0 {
		o.FPS = 10
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 256
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 15 * time.Minute
	}
	if o.Log == nil {
		o.Log = log.New(discard{})
	}
	s := &SSHServer{o: o}
	if o.AuthorizedKeys != "" && !o.Open {
		kf, err := loadKeyFile(o.AuthorizedKeys)
		if err != nil {
			return nil, err
		}
		s.keys = kf
	}
	opts := []ssh.Option{
		wish.WithAddress(o.Addr),
		wish.WithHostKeyPath(o.HostKeyPath),
		ssh.EmulatePty(),
		wish.WithIdleTimeout(o.IdleTimeout),
		wish.WithPublicKeyAuth(s.admit),
		wish.WithMiddleware(s.middleware),
	}
	if o.Open {
		// Also admit clients that offer no key at all.
		opts = append(opts, wish.WithKeyboardInteractiveAuth(func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }))
	}
	if s.keys == nil && !o.Open {
		opts = append(opts, wish.WithBanner(NoKeysBanner))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("ssh: %w", err)
	}
	s.srv = srv
	return s, nil
}

// admit decides on a key before any session (and so any program) exists.
func (s *SSHServer) admit(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	ok := s.o.Open || (s.keys != nil && s.keys.has(key))
	if ok {
		s.o.Log.Info("ssh key accepted", "user", ctx.User(), "remote", ctx.RemoteAddr().String(), "key", fp)
	} else {
		s.o.Log.Warn("ssh key refused", "user", ctx.User(), "remote", ctx.RemoteAddr().String(), "key", fp)
	}
	return ok
}

// Serve accepts connections on l until Shutdown.
func (s *SSHServer) Serve(l net.Listener) error {
	err := s.srv.Serve(&limitListener{Listener: l, sem: make(chan struct{}, s.o.MaxConns)})
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown closes the listener and every connection (ending their
// programs), then waits for the sessions to return, at most until ctx ends.
func (s *SSHServer) Shutdown(ctx context.Context) error {
	err := s.srv.Close()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return err
}

// resizeEvery is the least time between two resizes handed to a program: a
// client that resizes a thousand times a second costs a few layouts a
// second.
const resizeEvery = 50 * time.Millisecond

func (s *SSHServer) middleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.wg.Add(1)
		defer s.wg.Done()
		defer next(sess)
		s.session(sess)
	}
}

// session runs one viewer. The command line the client sent (ssh host
// CMD) is ignored: a session cannot pass flags or commands.
func (s *SSHServer) session(sess ssh.Session) {
	info := Session{User: sess.User(), Remote: sess.RemoteAddr().String()}
	if k := sess.PublicKey(); k != nil {
		info.Fingerprint = gossh.FingerprintSHA256(k)
	}
	lg := s.o.Log.With("user", info.User, "remote", info.Remote, "key", info.Fingerprint)
	pty, winCh, ok := sess.Pty()
	if !ok {
		wish.Fatalln(sess, "tokentape: a viewer needs a terminal; connect with ssh -t")
		lg.Info("ssh session refused: no terminal")
		return
	}
	v, err := s.o.Hub.Register()
	if err != nil {
		wish.Fatalln(sess, "tokentape: "+err.Error()+"; try again later")
		lg.Warn("ssh session refused", "err", err)
		return
	}
	defer v.Close()
	lg.Info("ssh viewer joined", "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height), "viewers", s.o.Hub.Len())
	start := time.Now()

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	// The session draws its own frames (see display): Bubble Tea's renderer
	// would wake FPS times a second for each viewer, idle or not.
	scr := newDisplay(sess, s.o.FPS)
	scr.open()
	// The session is the program's terminal: the server emulates the pty
	// (ssh.EmulatePty), which is what wish's MakeOptions would pick too,
	// without reading the session's pty again while the client resizes it
	// (the library writes it unlocked: a data race under -race).
	opts := []tea.ProgramOption{tea.WithInput(sess), tea.WithOutput(sess), tea.WithoutRenderer(),
		tea.WithContext(ctx), tea.WithoutSignalHandler()}
	p := tea.NewProgram(onScreen{m: s.o.NewModel(info), scr: scr}, opts...)

	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); forwardResizes(ctx, p, winCh) }()
	go func() {
		defer wg.Done()
		for {
			snap, ok := v.Next(ctx.Done())
			if !ok {
				return
			}
			p.Send(ui.SnapshotMsg{Snapshot: snap}) // returns when ctx ends, even if the program is stuck
		}
	}()
	go func() {
		defer wg.Done()
		select {
		case <-ctx.Done():
		case <-v.Done():
			if v.Stalled() {
				lg.Warn("ssh viewer dropped: not reading")
				// Its program may be stuck writing to a client that never
				// reads: only closing the connection unblocks that.
				if c, ok := sess.Context().Value(ssh.ContextKeyConn).(interface{ Close() error }); ok {
					_ = c.Close()
				}
			}
			cancel() // a dropped viewer ends its program
		}
	}()
	_, err = p.Run()
	scr.close() // before the session exits: the client gets its terminal back
	cancel()
	wg.Wait()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		lg.Warn("ssh viewer program ended", "err", err)
	}
	lg.Info("ssh viewer left", "after", time.Since(start).Round(time.Second).String(), "viewers", s.o.Hub.Len())
	_ = sess.Exit(0)
}

// forwardResizes hands the client's size to the program, at most once per
// resizeEvery, always ending on the latest size. It keeps draining winCh,
// which the SSH library fills from the connection's request loop.
func forwardResizes(ctx context.Context, p *tea.Program, winCh <-chan ssh.Window) {
	var (
		pending *ssh.Window
		timer   = time.NewTimer(0)
		last    time.Time
	)
	defer timer.Stop()
	<-timer.C
	for {
		select {
		case <-ctx.Done():
			return
		case w, ok := <-winCh:
			if !ok {
				return
			}
			if wait := resizeEvery - time.Since(last); wait > 0 {
				if pending == nil {
					timer.Reset(wait)
				}
				pending = &w
				continue
			}
			last = time.Now()
			p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		case <-timer.C:
			if pending != nil {
				last = time.Now()
				p.Send(tea.WindowSizeMsg{Width: pending.Width, Height: pending.Height})
				pending = nil
			}
		}
	}
}

// keyFile is an authorized_keys file, read again when its modification time
// or size changes.
type keyFile struct {
	path string
	mu   sync.Mutex
	mod  time.Time
	size int64
	keys []gossh.PublicKey
}

func loadKeyFile(path string) (*keyFile, error) {
	kf := &keyFile{path: path}
	if err := kf.reload(); err != nil {
		return nil, err
	}
	if len(kf.keys) == 0 {
		return nil, fmt.Errorf("--ssh-authorized-keys %s: no keys in the file (want OpenSSH authorized_keys lines such as \"ssh-ed25519 AAAA... me@laptop\")", path)
	}
	return kf, nil
}

// reload reads the file when it changed; the caller holds mu, or owns kf.
func (kf *keyFile) reload() error {
	fi, err := os.Stat(kf.path)
	if err != nil {
		return fmt.Errorf("--ssh-authorized-keys: %w", err)
	}
	if fi.ModTime().Equal(kf.mod) && fi.Size() == kf.size && kf.keys != nil {
		return nil
	}
	if fi.Size() > 1<<20 {
		return fmt.Errorf("--ssh-authorized-keys %s: larger than 1 MiB", kf.path)
	}
	b, err := os.ReadFile(kf.path)
	if err != nil {
		return fmt.Errorf("--ssh-authorized-keys: %w", err)
	}
	keys := []gossh.PublicKey{}
	for len(b) > 0 {
		k, _, _, rest, err := gossh.ParseAuthorizedKey(b)
		if err != nil {
			break // the rest holds no key (ParseAuthorizedKey skips comments and blank lines)
		}
		keys = append(keys, k)
		b = rest
	}
	kf.keys, kf.mod, kf.size = keys, fi.ModTime(), fi.Size()
	return nil
}

func (kf *keyFile) has(key ssh.PublicKey) bool {
	kf.mu.Lock()
	defer kf.mu.Unlock()
	_ = kf.reload() // on error keep the keys last read: a file being rewritten must not lock everyone out
	for _, k := range kf.keys {
		if ssh.KeysEqual(k, key) {
			return true
		}
	}
	return false
}

// limitListener closes connections beyond its capacity at once, before the
// SSH handshake spends anything on them.
type limitListener struct {
	net.Listener
	sem chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.sem <- struct{}{}:
			return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
		default:
			_ = c.Close()
		}
	}
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
