package ui

import (
	"bytes"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
)

// TestSmoke runs the real program loop: start, size, a snapshot, switch
// tabs, open the full help, quit.
func TestSmoke(t *testing.T) {
	tm := teatest.NewTestModel(t, New(Options{}), teatest.WithInitialTermSize(120, 40))
	waitFor := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(what)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("waiting for data")
	tm.Send(SnapshotMsg{Snapshot: fixture()})
	waitFor("Kimi K2.5")
	tm.Send(keyMsg("2"))
	waitFor("CN passed US · week of 2026-02-09")
	tm.Send(keyMsg("3"))
	waitFor("vs Claude Sonnet 4.5 $6.00 blended")
	tm.Send(keyMsg("1"))
	waitFor("trend 12d")
	tm.Send(keyMsg("?"))
	waitFor("page down")
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	fm, ok := tm.FinalModel(t).(Model)
	if !ok {
		t.Fatalf("final model is %T", tm.FinalModel(t))
	}
	if fm.active != 0 || !fm.showHelp {
		t.Errorf("final state: tab %d help %v, want tab 0 with help", fm.active, fm.showHelp)
	}
}
