package feeds_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cloneGuard is set in the environment of the tests run inside the clone, so
// they never clone again.
const cloneGuard = "TOKENTAPE_IN_FRESH_CLONE"

// TestFreshCloneSkipsNoPayloadTest clones the repository's committed
// state into an empty directory, with nothing beside it, and runs the
// contract and integration tests there: every one must run and pass, none
// may skip for want of a payload. The real payloads live in the packages'
// testdata/ directories, so a user's clone tests what CI tests.
func TestFreshCloneSkipsNoPayloadTest(t *testing.T) {
	if os.Getenv(cloneGuard) != "" {
		return // already inside the clone
	}
	if testing.Short() {
		t.Skip("clones the repository and runs go test in it; not with -short")
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	top, err := exec.Command(gitPath, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skip("not in a git checkout (a source archive): nothing to clone")
	}
	dst := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command(gitPath, "clone", "--quiet", "--no-hardlinks", strings.TrimSpace(string(top)), dst).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	goPath, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("go is not on PATH")
	}
	cmd := exec.Command(goPath, "test", "-count=1", "-v", "-run", "Contract|Integration", "./...")
	cmd.Dir = dst
	cmd.Env = append(os.Environ(), cloneGuard+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in the fresh clone failed: %v\n%s", err, out)
	}
	if skips := regexp.MustCompile(`(?m)^\s*--- SKIP: .*$`).FindAll(out, -1); len(skips) > 0 {
		t.Fatalf("a fresh clone skips tests:\n%s\n\nfull output:\n%s", skips, out)
	}
	passed := regexp.MustCompile(`(?m)^--- PASS: TestContract\w*`).FindAll(out, -1)
	if len(passed) < 5 {
		t.Fatalf("a fresh clone ran %d contract tests, want every one (at least 5):\n%s", len(passed), out)
	}
}
