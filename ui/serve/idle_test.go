package serve

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// The idle-viewer measurement runs the SSH server in a child process of its
// own (this test binary again, running TestIdleServerChild), so that the
// CPU and memory it reads are the server's alone, not the clients'.
const (
	idleChildEnv   = "TOKENTAPE_IDLE_CHILD"   // the authorized key line; set only in the child
	idleWindowEnv  = "TOKENTAPE_IDLE_WINDOW"  // how long to measure, e.g. 60s (default 30s)
	idleProfileEnv = "TOKENTAPE_IDLE_PROFILE" // a file: the child writes its CPU profile of the window there
	idleAgeEnv     = "TOKENTAPE_IDLE_AGE"     // set only in the child: how much older its market is than the recording
)

// BenchmarkIdle50Viewers measures what 50 idle SSH viewers cost the server:
// a child process serves the live recording's snapshot, 50 x/crypto clients attach at
// 120x40 and only read, and after their first frames the child's CPU time
// (getrusage) is read over the window. It reports cpu-%core (the share of
// one core the server used), RSS-MB/viewer (the child's resident memory
// with the viewers, less before them, per viewer) and KB/s/viewer (what a
// viewer is sent while idle). The market is served as recorded (seconds:
// every source fresh, its age counted in seconds, as a live server shows
// it between polls) and 25 minutes later (minutes: the catalogue 25m old,
// the other sources stale and retrying, every age in minutes). Run it
// alone, with one iteration:
//
//	go test ./ui/serve -run '^$' -bench Idle50Viewers -benchtime 1x
//
// TOKENTAPE_IDLE_WINDOW=60s lengthens the window; TOKENTAPE_IDLE_PROFILE=FILE
// keeps the server's CPU profile of it (go tool pprof FILE).
func BenchmarkIdle50Viewers(b *testing.B) {
	const viewers = 50
	window := 30 * time.Second
	if v := os.Getenv(idleWindowEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("%s: %v", idleWindowEnv, err)
		}
		window = d
	}
	for _, tt := range []struct {
		name string
		age  time.Duration
	}{{"seconds", 0}, {"minutes", 25 * time.Minute}} {
		b.Run(tt.name, func(b *testing.B) { idleViewers(b, viewers, window, tt.age) })
	}
}

func idleViewers(b *testing.B, viewers int, window, age time.Duration) {
	key := newKey(b)
	for b.Loop() {
		c := startIdleChild(b, key, age)
		before := c.usage(b)

		var received atomic.Int64
		var drew sync.WaitGroup
		drew.Add(viewers)
		for i := 0; i < viewers; i++ {
			cl, err := dial(c.addr, key)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { cl.Close() })
			sess, err := cl.NewSession()
			if err != nil {
				b.Fatal(err)
			}
			out, _ := sess.StdoutPipe()
			if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
				b.Fatal(err)
			}
			if err := sess.Shell(); err != nil {
				b.Fatal(err)
			}
			go func() {
				buf := make([]byte, 32<<10)
				first := true
				for {
					n, err := out.Read(buf)
					received.Add(int64(n))
					if first && strings.Contains(string(buf[:n]), "listings") {
						first = false
						drew.Done()
					}
					if err != nil {
						if first {
							drew.Done()
						}
						return
					}
				}
			}()
		}
		drew.Wait()
		time.Sleep(2 * time.Second) // the first frames and their echoes are out
		attached := c.usage(b)
		sent := received.Load()
		c.send(b, "profile")
		time.Sleep(window)
		after := c.usage(b)
		sent = received.Load() - sent
		c.stop(b)

		cpu := (after.cpu - attached.cpu).Seconds() / after.at.Sub(attached.at).Seconds()
		b.ReportMetric(100*cpu, "cpu-%core")
		b.ReportMetric(float64(attached.rssKB-before.rssKB)/1024/float64(viewers), "RSS-MB/viewer")
		b.ReportMetric(float64(attached.rssKB)/1024, "RSS-MB")
		b.ReportMetric(float64(sent)/1024/window.Seconds()/float64(viewers), "KB/s/viewer")
	}
}

// idleChild is the server process of BenchmarkIdle50Viewers.
type idleChild struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	addr string
}

// idleUsage is the child's CPU time and resident memory at a moment.
type idleUsage struct {
	at    time.Time
	cpu   time.Duration // user + system
	rssKB int64
}

func startIdleChild(b *testing.B, key gossh.Signer, age time.Duration) *idleChild {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestIdleServerChild$", "-test.count", "1", "-test.v")
	cmd.Env = append(os.Environ(), idleChildEnv+"="+strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key.PublicKey()))),
		idleAgeEnv+"="+age.String())
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	c := &idleChild{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	b.Cleanup(func() { c.stop(b) })
	c.addr = strings.TrimPrefix(c.reply(b, "addr "), "addr ")
	return c
}

// reply returns the child's next line that starts with prefix.
func (c *idleChild) reply(b *testing.B, prefix string) string {
	b.Helper()
	for c.out.Scan() {
		if l := c.out.Text(); strings.HasPrefix(l, prefix) {
			return l
		}
	}
	b.Fatalf("the server child ended before saying %q: %v", prefix, c.out.Err())
	return ""
}

func (c *idleChild) send(b *testing.B, line string) {
	b.Helper()
	if _, err := io.WriteString(c.in, line+"\n"); err != nil {
		b.Fatal(err)
	}
}

func (c *idleChild) usage(b *testing.B) idleUsage {
	b.Helper()
	c.send(b, "usage")
	f := strings.Fields(c.reply(b, "usage "))
	if len(f) != 3 {
		b.Fatalf("the child said %q", f)
	}
	cpu, _ := strconv.ParseInt(f[1], 10, 64)
	rss, _ := strconv.ParseInt(f[2], 10, 64)
	return idleUsage{at: time.Now(), cpu: time.Duration(cpu), rssKB: rss}
}

// stop closes the child's input, which ends it, and waits for it.
func (c *idleChild) stop(b *testing.B) {
	if c.in == nil {
		return
	}
	_ = c.in.Close()
	c.in = nil
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
		b.Error("the server child did not stop within 10s of its input closing")
	}
}

// TestIdleServerChild is the server of BenchmarkIdle50Viewers; it runs only
// in the child that benchmark starts (otherwise it skips). It serves the
// live recording's snapshot over SSH on 127.0.0.1 to the key it is given,
// and answers its parent on stdin: "usage" (CPU time in ns and VmRSS in KB),
// "profile" (starts the CPU profile when TOKENTAPE_IDLE_PROFILE names a
// file). It stops when its stdin closes, so it never outlives the parent.
func TestIdleServerChild(t *testing.T) {
	line := os.Getenv(idleChildEnv)
	if line == "" {
		t.Skip("the server child of BenchmarkIdle50Viewers; runs only when that benchmark starts it")
	}
	key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	age, err := time.ParseDuration(os.Getenv(idleAgeEnv))
	if err != nil {
		t.Fatal(err)
	}
	snap := *liveSnapshot(t)
	snap.Now = snap.Now.Add(age) // the same market, seen later: its sources have aged
	f := startSSH(t, key)
	f.hub.Publish(&snap)
	fmt.Printf("addr %s\n", f.addr)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch in.Text() {
		case "usage":
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
				t.Fatal(err)
			}
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			fmt.Printf("usage %d %d\n", cpu.Nanoseconds(), vmRSSKB(t))
		case "profile":
			if path := os.Getenv(idleProfileEnv); path != "" {
				pf, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := pprof.StartCPUProfile(pf); err != nil {
					t.Fatal(err)
				}
				defer func() { pprof.StopCPUProfile(); pf.Close() }()
			}
		}
	}
}

// vmRSSKB is this process's resident memory in KB, from /proc/self/status.
func vmRSSKB(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}
