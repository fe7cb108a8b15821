//go:build !race

package demo

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
