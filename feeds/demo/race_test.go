//go:build race

package demo

// raceEnabled shortens the longest run under the race detector, which
// slows the market's per-day work tenfold; the full run is in the plain
// test.
const raceEnabled = true
