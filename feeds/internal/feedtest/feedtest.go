// Package feedtest holds the few helpers the feeds' tests share: reading a
// real payload kept in a package's testdata/ and telling whether a string is
// safe to reach the terminal. Only tests import it.
package feedtest

import (
	"os"
	"path/filepath"
	"testing"
	"unicode"
)

// ReadTestdata returns a real payload kept in the calling package's
// testdata/ (its README.md says where each came from). The files are part
// of the repository, so a missing one fails the test rather than skipping
// it.
func ReadTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("real payload %s: %v", name, err)
	}
	return b
}

// Clean reports whether s carries no escape, C0/C1 control or format rune:
// what every remote string must be once sanitised.
func Clean(s string) bool {
	for _, r := range s {
		if r == '\x1b' || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
