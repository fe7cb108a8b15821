package config

import (
	"slices"
	"testing"
)

// The locator's scanners must never take a quoted '=', '#', '.' or bracket
// for syntax, and must honour escapes only in basic strings.
func TestLocatorScannersSkipStrings(t *testing.T) {
	tests := []struct {
		line    string
		keyEnd  int
		key     []string // splitKey of what stands before keyEnd (all of it: none)
		bracket int      // depth after the line, from 0
	}{
		{`a = 1`, 2, []string{"a"}, 0},
		{`a.b = [1, [2`, 4, []string{"a", "b"}, 2},
		{`"a=b".c = "]"`, 8, []string{"a=b", "c"}, 0},
		{`'a.b#' = { x = "}" }`, 7, []string{"a.b#"}, 0},
		{`"q\"=.#" = '['`, 9, []string{`q"=.#`}, 0},
		{`'lit\' = 1`, 7, []string{`lit\`}, 0},
		{`# a = 1`, -1, []string{"# a = 1"}, 0},
		{`x # = [`, -1, []string{"x # = ["}, 0},
		{`"open\`, -1, []string{`open\`}, 0},
		{`["a.b".c]`, -1, []string{`[a.b`, `c]`}, 0},
	}
	for _, tt := range tests {
		if got := keyEnd(tt.line); got != tt.keyEnd {
			t.Errorf("keyEnd(%q) = %d, want %d", tt.line, got, tt.keyEnd)
		}
		key := tt.line
		if tt.keyEnd >= 0 {
			key = key[:tt.keyEnd]
		}
		if got := splitKey(key); !slices.Equal(got, tt.key) {
			t.Errorf("splitKey(%q) = %q, want %q", key, got, tt.key)
		}
		if got := bracketDepth(tt.line, 0); got != tt.bracket {
			t.Errorf("bracketDepth(%q) = %d, want %d", tt.line, got, tt.bracket)
		}
	}
}
