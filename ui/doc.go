// Package ui is tokentape's terminal interface: a Bubble Tea program that
// renders immutable market Snapshots.
//
// The root Model owns the layout (header, tab bar, body, footer), the global
// keys and the routing of messages. Each tab is a sub-model behind the small
// Tab contract in tab.go, in its own file; adding a tab is that file plus one
// line in newTabs. Views are pure functions of (Snapshot, view state): every
// rendered block is cached and rebuilt only when the snapshot, the size or
// the view state changes, so View() is a join of cached strings.
//
// The engine (cmd/tokentape) sends a SnapshotMsg whenever the market changes;
// pause, refresh and playback speed reach the poller or player through the
// Control interface, so this package never imports feeds.
//
// Every state that colour shows is also shown by a glyph or a word, because
// NO_COLOR (the Ascii colour profile) removes all styling.
package ui
