//go:build !race

package history

// raceEnabled: see race_on_test.go.
const raceEnabled = false
