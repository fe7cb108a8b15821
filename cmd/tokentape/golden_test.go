package main

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestGoldenSnapshotJSON pins `tokentape snapshot --json` of the demo at a
// fixed seed: the demo is deterministic for a seed, so any change in this
// output is a change of the JSON contract or of the simulation, and shows
// up in review (rewrite with go test -update).
func TestGoldenSnapshotJSON(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("XDG_STATE_HOME", dir)
	var out, errb bytes.Buffer
	// XDG dirs in the test's own directory: no user config, no history.
	args := []string{"snapshot", "--json", "--source", "demo", "--seed", "7", "--no-history"}
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	golden.RequireEqual(t, out.Bytes())
}
