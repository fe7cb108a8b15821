//go:build race

package openrouter

// raceEnabled shrinks the heaviest tests under the race detector, which
// slows JSON decoding about tenfold.
const raceEnabled = true
