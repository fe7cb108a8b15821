package main

import (
	"os"
	"sync"
)

// sharedTerm is the terminal as Bubble Tea and the alert deliverer share
// it: the program renders through it (tea.WithOutput) and the bell and OSC
// 9 notifications go through the same lock, so a notification written from
// the engine goroutine never lands inside a frame's escape sequences. It is
// a term.File (Read, Write, Close, Fd), so Bubble Tea still sees a
// terminal: raw mode, size and resize work as with os.Stdout.
type sharedTerm struct {
	mu sync.Mutex
	f  *os.File
}

// Write writes p whole, with no other writer in between.
func (t *sharedTerm) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.f.Write(p)
}

// Read reads from the terminal (Bubble Tea reads its input elsewhere).
func (t *sharedTerm) Read(p []byte) (int, error) { return t.f.Read(p) }

// Close leaves the terminal open: it outlives the program.
func (t *sharedTerm) Close() error { return nil }

// Fd is the terminal's descriptor, for its size and mode.
func (t *sharedTerm) Fd() uintptr { return t.f.Fd() }
