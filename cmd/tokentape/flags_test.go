package main

import (
	"strings"
	"testing"
)

// TestParseArgs: what each spelling of the command line turns into.
func TestParseArgs(t *testing.T) {
	t.Setenv("TOKENTAPE_OPENROUTER_URL", "")
	tests := []struct {
		args  []string
		cmd   string
		check func(o options) bool
		want  string // what check looks at, for the message
	}{
		{nil, "", func(o options) bool { return o.source == "auto" && !o.json && o.speed == 1 }, "source auto, speed 1"},
		{[]string{"--source", "demo", "--seed", "7"}, "", func(o options) bool { return o.source == "demo" && o.seed == 7 }, "demo, seed 7"},
		{[]string{"--source=replay", "--replay", "r.ndjson"}, "", func(o options) bool { return o.source == "replay" }, "replay"},
		{[]string{"snapshot", "--json"}, "snapshot", func(o options) bool { return o.json && !o.csv }, "json"},
		{[]string{"snapshot", "--csv"}, "snapshot", func(o options) bool { return o.csv && !o.json }, "csv"},
		{[]string{"cost", "--workload", "50M:3:1"}, "cost", func(o options) bool { return o.workload == "50M:3:1" }, "workload"},
		{[]string{"--bell", "--notify"}, "", func(o options) bool { return o.bell && o.notify }, "bell and notify"},
		{[]string{"--speed", "4"}, "", func(o options) bool { return o.speed == 4 }, "speed 4"},
		{[]string{"--status-page", "a=https://a.example/api/v2/summary.json", "--status-page", "b=https://b.example/"}, "",
			func(o options) bool { return len(o.statusPages) == 2 && strings.HasPrefix(o.statusPages[1], "b=") }, "two pages in order"},
	}
	for _, tt := range tests {
		cmd, o, err := parseArgs(tt.args)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if cmd != tt.cmd || !tt.check(o) {
			t.Errorf("%q: command %q, options %+v; want command %q with %s", tt.args, cmd, o, tt.cmd, tt.want)
		}
	}
	for _, bad := range [][]string{{"frobnicate"}, {"--no-such-flag"}, {"snapshot", "extra", "--json", "--bogus"}} {
		if _, _, err := parseArgs(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
