// Package model is tokentape's market: the single owner of state.
//
// A Market applies typed Updates (catalogue, usage, endpoint health, status
// pages, source health, apps) and hands out immutable Snapshots that the UI,
// the headless printers and the exporters read. The package has no UI and no
// network code, and time comes from an injected clock so that tests are
// deterministic.
//
// One goroutine owns a Market. Snapshots share no mutable memory with it, so
// any number of readers may hold one while the owner keeps applying updates.
package model
