package config

// Errors that name the file, line, column and key of a bad value, and the
// known key closest to an unknown one.

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

func parentReported(k toml.Key, reported map[string]bool) bool {
	for i := 1; i < len(k); i++ {
		if reported[toml.Key(k[:i]).String()] {
			return true
		}
	}
	return false
}

// suggest names the known key closest to an unknown one: "did you mean ...".
func suggest(k toml.Key) string {
	known := knownKeys()
	parent := toml.Key(k[:len(k)-1]).String()
	last := k[len(k)-1]
	best, bestD := "", 3
	for _, kk := range known {
		i := strings.LastIndexByte(kk, '.')
		p, l := "", kk
		if i >= 0 {
			p, l = kk[:i], kk[i+1:]
		}
		if p != parent {
			continue
		}
		if d := editDistance(last, l); d < bestD {
			best, bestD = l, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// positioned formats "file:line:col: key: message", leaving out what is
// unknown.
func positioned(name string, line, col int, key, msg string) error {
	var b strings.Builder
	b.WriteString(name)
	if line > 0 {
		fmt.Fprintf(&b, ":%d", line)
		if col > 0 {
			fmt.Fprintf(&b, ":%d", col)
		}
	}
	b.WriteString(": ")
	if key != "" {
		b.WriteString(key)
		b.WriteString(": ")
	}
	b.WriteString(msg)
	return errors.New(b.String())
}

// badTypeRE matches BurntSushi/toml's type-mismatch errors, which are plain
// errors carrying the line and key in their text.
var badTypeRE = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "((?:[^"\\]|\\.)*)"\): (.*)$`)

// incompatibleRE picks the two types out of a type-mismatch message.
var incompatibleRE = regexp.MustCompile(`^incompatible types: TOML value has type (\S+); destination has type (.+)$`)

// decodeError turns a decoder error into "file:line:col: key: message".
func decodeError(name string, loc locator, err error, syntax bool) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		key := pe.LastKey
		msg := strings.TrimPrefix(pe.Message, "toml: ")
		line, col := pe.Position.Line, pe.Position.Col
		// A value our types refused: point at the value's first character
		// (the decoder points inside a string's quotes).
		if l, c := loc.find(splitKey(key), -1, true); !syntax && key != "" && l == line && c > 0 {
			col = c
		}
		return positioned(name, line, col, key, msg)
	}
	if m := badTypeRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		key, msg := m[2], m[3]
		col := 0
		if line > 0 {
			col = loc.valueColumn(line)
		}
		if t := incompatibleRE.FindStringSubmatch(msg); t != nil {
			msg = fmt.Sprintf("expected %s, got %s", goTypeName(t[2]), tomlGoTypeName(t[1]))
		} else if strings.Contains(msg, "expected table") {
			msg = "expected a table ([" + key + "]), got a value"
		}
		return positioned(name, line, col, key, msg)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// goTypeName says what a destination type expects, in the file's terms.
func goTypeName(t string) string {
	switch {
	case t == "float":
		return "a number"
	case t == "integer":
		return "a whole number"
	case t == "string":
		return "a string"
	case t == "boolean":
		return "true or false"
	case t == "slice" || t == "array":
		return "an array"
	case strings.HasPrefix(t, "map") || strings.HasPrefix(t, "struct") || t == "table":
		return "a table"
	}
	return t
}

// tomlGoTypeName names the Go type the decoder saw, in the file's terms.
func tomlGoTypeName(t string) string {
	switch {
	case t == "string":
		return "a string"
	case t == "int64":
		return "an integer"
	case t == "float64":
		return "a float"
	case t == "bool":
		return "a boolean"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "map"):
		return "a table"
	case strings.HasPrefix(t, "time.") || strings.HasPrefix(t, "toml.Local"):
		return "a date"
	}
	return t
}

func tomlTypeName(v any) string { return tomlGoTypeName(fmt.Sprintf("%T", v)) }
