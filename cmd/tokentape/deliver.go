package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/export"
)

// hookTimeout is how long an --on-alert command may run before it is killed.
const hookTimeout = 5 * time.Second

// hookSource names the --on-alert command's row in the source strip.
const hookSource = "on-alert"

// hookOutputCap is how much of a hook's stdout and stderr is kept: enough for
// any error message, and a hook that writes without end costs no more.
const hookOutputCap = 64 << 10

// Deliverer tells the world about alerts: the terminal bell for a new
// critical alert (--bell), a desktop notification through OSC 9 (--notify),
// and a command fed the alert as JSON (--on-alert) when one fires or
// resolves. It is fed every published Snapshot from the engine's goroutine
// and never blocks it: hook runs queue for one worker, one at a time.
type Deliverer struct {
	bell, notify bool
	term         io.Writer // the terminal, for the bell and OSC 9
	hook         string
	jobs         chan []byte
	report       func(model.SourceHealth)
	now          func() time.Time

	alerts  model.AlertWatcher
	dropped int
}

// NewDeliverer returns a deliverer; report receives the hook's health so its
// failures show in the source strip.
func NewDeliverer(o options, term io.Writer, report func(model.SourceHealth)) *Deliverer {
	return &Deliverer{
		bell: o.bell, notify: o.notify, term: term, hook: o.onAlert,
		jobs: make(chan []byte, 32), report: report, now: time.Now,
	}
}

// Active reports whether any delivery is switched on.
func (d *Deliverer) Active() bool { return d.bell || d.notify || d.hook != "" }

// Observe compares a snapshot's alerts with those seen before and delivers
// what is new: an alert that fires, and one that resolves. An alert already
// resolved when first seen (history) is not news.
func (d *Deliverer) Observe(s *model.Snapshot) {
	if !d.Active() || s == nil {
		return
	}
	for _, c := range d.alerts.Changes(s) {
		if c.Resolved {
			d.enqueue(c.Alert)
		} else {
			d.fire(c.Alert)
		}
	}
}

func (d *Deliverer) fire(a model.Alert) {
	if d.bell && a.Severity == model.SeverityCrit {
		io.WriteString(d.term, "\a")
	}
	if d.notify {
		// OSC 9: a desktop notification in terminals that support it. The text
		// is sanitised again: an escape inside it would end the sequence early.
		text := sanitize.String(fmt.Sprintf("tokentape %s: %s", strings.ToUpper(a.Severity.String()), a.Message), 200)
		// Terminated by ST rather than BEL, so the bell means only --bell.
		io.WriteString(d.term, "\x1b]9;"+text+"\x1b\\")
	}
	d.enqueue(a)
}

func (d *Deliverer) enqueue(a model.Alert) {
	if d.hook == "" {
		return
	}
	line, err := json.Marshal(alertRow(a))
	if err != nil {
		return
	}
	select {
	case d.jobs <- append(line, '\n'):
	default:
		d.dropped++
		d.report(model.SourceHealth{Name: hookSource, LastAttempt: d.now(),
			LastError: fmt.Sprintf("%d alerts dropped: hook queue full", d.dropped)})
	}
}

// alertRow is the alert as `snapshot --json` prints it.
func alertRow(a model.Alert) export.AlertRow {
	s := &model.Snapshot{Alerts: []model.Alert{a}}
	return export.Build(s).Alerts[0]
}

// Run executes queued hook commands one at a time until ctx ends.
func (d *Deliverer) Run(ctx context.Context) {
	if d.hook == "" {
		return
	}
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-d.jobs:
			start := d.now()
			err := runHook(ctx, d.hook, line, hookTimeout)
			h := model.SourceHealth{Name: hookSource, LastAttempt: start, OK: err == nil, LastSuccess: last}
			if err == nil {
				h.LastSuccess, last = start, start
			} else {
				h.LastError = err.Error()
			}
			d.report(h)
		}
	}
}

// runHook runs cmd through sh -c with line on stdin. It kills the whole
// process group after timeout, so a hook that forks cannot outlive it.
func runHook(ctx context.Context, cmd string, line []byte, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := exec.Command("sh", "-c", cmd)
	c.Stdin = bytes.NewReader(line)
	// One capped buffer for both streams: a hook flooding either of them is
	// counted, never held.
	out := &cappedBuffer{limit: hookOutputCap}
	c.Stdout, c.Stderr = out, out
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.Start(); err != nil {
		return fmt.Errorf("on-alert: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			msg := sanitize.Text(strings.TrimSpace(out.buf.String()))
			if out.dropped > 0 {
				msg += fmt.Sprintf(" (%d more bytes of output not kept)", out.dropped)
			}
			if msg = strings.TrimSpace(msg); msg != "" {
				return fmt.Errorf("on-alert %v: %s", err, msg)
			}
			return fmt.Errorf("on-alert %v", err)
		}
		return nil
	case <-ctx.Done():
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		<-done
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("on-alert killed after %s", timeout)
		}
		return ctx.Err()
	}
}

// cappedBuffer keeps the first limit bytes written to it and counts the rest.
// exec copies a command's output into it from one goroutine per stream, so it
// locks.
type cappedBuffer struct {
	mu      sync.Mutex
	limit   int
	buf     bytes.Buffer
	dropped int64
}

// Write keeps what fits under the cap and reports every byte written, so the
// command never blocks on a full pipe.
func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := min(len(p), max(c.limit-c.buf.Len(), 0))
	c.buf.Write(p[:keep])
	c.dropped += int64(len(p) - keep)
	return len(p), nil
}
