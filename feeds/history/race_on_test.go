//go:build race

package history

// raceEnabled: the race detector slows SQLite's transpiled C about tenfold,
// so the heaviest tests use a smaller market under it (the full-size runs
// are the ordinary `go test`).
const raceEnabled = true
