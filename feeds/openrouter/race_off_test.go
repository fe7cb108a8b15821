//go:build !race

package openrouter

const raceEnabled = false
