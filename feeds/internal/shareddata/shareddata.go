// Package shareddata finds the real payloads in ../shared/data for contract
// tests. A user's clone has no ../shared; there the tests skip, saying why,
// instead of failing.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of a file in ../shared/data next to the module
// root, skipping the test when it is absent.
func Path(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared payload %s absent (contract tests need ../shared/data next to the checkout): %v", name, err)
	}
	return p
}

// Read returns the content of a file in ../shared/data, skipping the test
// when it is absent.
func Read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
