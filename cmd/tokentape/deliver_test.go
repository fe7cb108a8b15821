package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

var at0 = time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)

type healthLog struct {
	mu sync.Mutex
	hs []model.SourceHealth
}

func (l *healthLog) add(h model.SourceHealth) { l.mu.Lock(); l.hs = append(l.hs, h); l.mu.Unlock() }
func (l *healthLog) all() []model.SourceHealth {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]model.SourceHealth(nil), l.hs...)
}

func snap(alerts ...model.Alert) *model.Snapshot { return &model.Snapshot{Alerts: alerts} }

func glm(state model.AlertState, sev model.Severity) model.Alert {
	return model.Alert{Key: "capacity:z-ai/glm-5", Kind: model.AlertCapacity, Severity: sev, Subject: "z-ai/glm-5",
		Message: "GLM-5 degraded: uptime 5m 91.2% vs 99.1% 1d", Since: at0, State: state}
}

func TestDelivererBellAndNotify(t *testing.T) {
	var term bytes.Buffer
	d := NewDeliverer(options{bell: true, notify: true}, &term, func(model.SourceHealth) {})
	old := glm(model.AlertResolved, model.SeverityCrit)
	old.Key, old.Since = "outage:claude:x", at0.Add(-time.Hour)
	d.Observe(snap(old)) // history: already resolved, not news
	if term.Len() != 0 {
		t.Fatalf("a resolved alert from history was delivered: %q", term.String())
	}
	d.Observe(snap(glm(model.AlertFiring, model.SeverityWarn), old))
	if got := term.String(); strings.Contains(got, "\a") || !strings.HasPrefix(got, "\x1b]9;tokentape WARN: GLM-5 degraded") {
		t.Fatalf("warn alert: %q", got)
	}
	term.Reset()
	d.Observe(snap(glm(model.AlertFiring, model.SeverityWarn), old)) // same alert again: nothing
	if term.Len() != 0 {
		t.Fatalf("an alert already delivered was delivered again: %q", term.String())
	}
	crit := glm(model.AlertFiring, model.SeverityCrit)
	crit.Key, crit.Message = "outage:claude:y", "claude: major outage\x1b]0;pwn\x07"
	d.Observe(snap(crit))
	got := term.String()
	if !strings.HasPrefix(got, "\a\x1b]9;tokentape CRIT: claude: major outage") || !strings.HasSuffix(got, "\x1b\\") ||
		strings.Count(got, "\x1b") != 2 || strings.Count(got, "\a") != 1 {
		t.Fatalf("crit alert: %q (want one bell, then one OSC 9 with no escape inside)", got)
	}
}

func TestOnAlertHookGetsJSONWhenFiringAndResolving(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "alerts.ndjson")
	var hl healthLog
	d := NewDeliverer(options{onAlert: "cat >> " + out}, &bytes.Buffer{}, hl.add)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go d.Run(ctx)
	d.Observe(snap(glm(model.AlertFiring, model.SeverityWarn)))
	d.Observe(snap(glm(model.AlertResolved, model.SeverityWarn)))
	deadline := time.Now().Add(5 * time.Second)
	var lines []string
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(out)
		if lines = strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) == 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(lines) != 2 {
		t.Fatalf("hook saw %d lines, want 2: %q", len(lines), lines)
	}
	var first, second map[string]any
	if json.Unmarshal([]byte(lines[0]), &first) != nil || json.Unmarshal([]byte(lines[1]), &second) != nil {
		t.Fatalf("not JSON: %q", lines)
	}
	for _, k := range []string{"kind", "severity", "subject", "message", "since", "state"} {
		if _, ok := first[k]; !ok {
			t.Errorf("hook JSON lacks %q: %s", k, lines[0])
		}
	}
	if first["state"] != "FIRING" || second["state"] != "RESOLVED" || first["kind"] != "capacity" {
		t.Errorf("states %v → %v", first["state"], second["state"])
	}
	if hs := hl.all(); len(hs) == 0 || !hs[len(hs)-1].OK {
		t.Errorf("hook health %+v, want OK", hs)
	}
}

func TestHookThatFailsShowsInTheStrip(t *testing.T) {
	err := runHook(context.Background(), "echo 'no route to pager' >&2; exit 3", []byte("{}\n"), time.Second)
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "no route to pager") {
		t.Fatalf("error %v", err)
	}
}

func TestHookThatHangsIsKilledAndNeverBlocksObserve(t *testing.T) {
	start := time.Now()
	// A hook that forks a sleeper: the whole process group must die.
	err := runHook(context.Background(), "sleep 30 & sleep 30", []byte("{}\n"), 300*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "killed after 300ms") {
		t.Fatalf("error %v", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("hang took %v to kill", el)
	}
	if hookTimeout != 5*time.Second {
		t.Errorf("hook timeout %v, want 5s", hookTimeout)
	}

	// Observe must return at once even while the worker is stuck on a hook.
	var hl healthLog
	d := NewDeliverer(options{onAlert: "sleep 30"}, &bytes.Buffer{}, hl.add)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go d.Run(ctx)
	begin := time.Now()
	for i := 0; i < 100; i++ {
		a := glm(model.AlertFiring, model.SeverityWarn)
		a.Since = at0.Add(time.Duration(i) * time.Minute)
		d.Observe(snap(a))
	}
	if el := time.Since(begin); el > 500*time.Millisecond {
		t.Fatalf("100 observations took %v with a hanging hook", el)
	}
	hs := hl.all()
	if len(hs) == 0 || !strings.Contains(hs[len(hs)-1].LastError, "dropped: hook queue full") {
		t.Errorf("a full queue was not reported: %+v", hs)
	}
}

// A hook flooding stderr (and stdout) is held to hookOutputCap: the rest is
// counted, not buffered. Before the cap, 40 MiB of output took 40 MiB and
// more of memory.
func TestHookFloodingOutputIsBoundedAndCounted(t *testing.T) {
	const flood = 40 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := runHook(context.Background(),
		"head -c 20971520 /dev/zero | tr '\\0' x >&2; head -c 20971520 /dev/zero; exit 1",
		[]byte("{}\n"), 20*time.Second)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("a failing hook reported no error")
	}
	want := fmt.Sprintf("(%d more bytes of output not kept)", flood-hookOutputCap)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not count the dropped output %s", err, want)
	}
	// exec copies through 32 KiB buffers; the kept output is 64 KiB.
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 8<<20 {
		t.Errorf("a flooding hook allocated %d MiB, want a few hundred KiB", grown>>20)
	}
	b := &cappedBuffer{limit: 4}
	if n, err := b.Write([]byte("abcdef")); n != 6 || err != nil {
		t.Fatalf("Write = %d, %v: a capped writer must accept everything", n, err)
	}
	b.Write([]byte("gh"))
	if b.buf.String() != "abcd" || b.dropped != 4 {
		t.Errorf("kept %q, dropped %d; want \"abcd\", 4", b.buf.String(), b.dropped)
	}
}
