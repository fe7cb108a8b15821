package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
)

// TestServeFailedStartFreesItsPorts: a serve that gives up after binding
// its listeners must let them go, or trying again (with the cause fixed)
// finds its own ports taken.
func TestServeFailedStartFreesItsPorts(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    func(t *testing.T) []string // beyond --http and --ssh
		sshBusy bool                        // another process holds the SSH address
		wantErr string
	}{
		{"the SSH address is taken", func(*testing.T) []string { return []string{"--source", "demo"} }, true, "--ssh:"},
		{"the history file is not a store", func(t *testing.T) []string {
			db := filepath.Join(t.TempDir(), "history.db")
			if err := os.WriteFile(db, []byte(strings.Repeat("not sqlite\n", 200)), 0o600); err != nil {
				t.Fatal(err)
			}
			return []string{"--source", "openrouter", "--db", db}
		}, false, "history.db"},
		{"no state directory for the host key", func(t *testing.T) []string {
			// A file where the state directory should be: MkdirAll fails.
			f := filepath.Join(t.TempDir(), "state")
			if err := os.WriteFile(f, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("XDG_STATE_HOME", f)
			return []string{"--source", "demo"}
		}, false, "state"},
	} {
		t.Run(c.name, func(t *testing.T) {
			isolate(t, "")
			httpAddr, sshAddr := freePort(t), freePort(t)
			if c.sshBusy {
				l, err := net.Listen("tcp", sshAddr)
				if err != nil {
					t.Fatal(err)
				}
				defer l.Close()
			}
			a := serveApp(t, config.Defaults(), append([]string{"--http", httpAddr, "--ssh", sshAddr}, c.args(t)...)...)
			err := a.runServe(context.Background(), &syncBuffer{})
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("serve: %v, want an error naming %q", err, c.wantErr)
			}
			addrs := []string{httpAddr}
			if !c.sshBusy {
				addrs = append(addrs, sshAddr)
			}
			for _, addr := range addrs {
				l, err := net.Listen("tcp", addr)
				if err != nil {
					t.Errorf("%s is still held after the failed start: %v", addr, err)
					continue
				}
				l.Close()
			}
		})
	}
}
