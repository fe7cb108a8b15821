package ui

import "github.com/tokentape/tokentape/model"

// tabBase is what every tab embeds (as soft-serve's components embed
// Common): the shared env, the newest snapshot, the body size and the frame
// cache, with the default SetSnapshot, SetSize and Capturing of the Tab
// interface. S is the tab's view state, everything besides the snapshot
// and the size that its frame depends on.
type tabBase[S comparable] struct {
	e     *env
	snap  *model.Snapshot
	w, h  int
	cache frameCache[S]
}

// SetSnapshot implements Tab.
func (b *tabBase[S]) SetSnapshot(s *model.Snapshot) { b.snap = s }

// SetSize implements Tab.
func (b *tabBase[S]) SetSize(w, h int) { b.w, b.h = w, h }

// Capturing implements Tab: a tab without text fields never captures keys.
func (b *tabBase[S]) Capturing() bool { return false }

// frame returns the body for the current snapshot, size and state, calling
// render only when one of them changed since the last frame.
func (b *tabBase[S]) frame(state S, render func() string) string {
	return b.cache.get(frameKey[S]{keyOf(b.snap), b.w, b.h, b.e.stale, state}, render)
}

// fittedFrame is frame for a render that returns its body already cut and
// padded to exactly w×h (a body), which the cache keeps as it is.
func (b *tabBase[S]) fittedFrame(state S, render func() string) string {
	return b.cache.getFitted(frameKey[S]{keyOf(b.snap), b.w, b.h, b.e.stale, state}, render)
}
