package config

import (
	"iter"
	"strings"

	"github.com/BurntSushi/toml"
)

// locator finds where a key is written in a TOML file, for error messages.
// The decoder reports positions for syntax errors only; unknown keys and
// out-of-range values need their own. It understands what config files
// contain: [table] and [[array]] headers, key = value lines with bare,
// quoted or dotted keys, and values spanning lines (arrays, multi-line
// strings). When a key is not written as such (an inline table), the
// position of its nearest written parent is returned.
type locator struct {
	entries []locEntry
	lines   []string
}

type locEntry struct {
	key      toml.Key
	arrayIdx int // element of the enclosing [[array]], or -1
	inArray  bool
	line     int // 1-based
	keyCol   int // 1-based column of the key
	valueCol int // 1-based column of the value; 0 for headers
}

func newLocator(text string) locator {
	l := locator{lines: strings.Split(text, "\n")}
	var table toml.Key
	tableIdx, inArray := -1, false
	counts := map[string]int{}
	for i := 0; i < len(l.lines); i++ {
		raw := strings.TrimRight(l.lines[i], "\r")
		trimmed := strings.TrimLeft(raw, " \t")
		indent := len(raw) - len(trimmed)
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		if strings.HasPrefix(trimmed, "[[") {
			end := strings.Index(trimmed, "]]")
			if end < 0 {
				continue
			}
			table = splitKey(trimmed[2:end])
			k := table.String()
			tableIdx, inArray = counts[k], true
			counts[k]++
			l.entries = append(l.entries, locEntry{key: table, arrayIdx: tableIdx, inArray: true, line: i + 1, keyCol: indent + 3})
			continue
		}
		if trimmed[0] == '[' {
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				continue
			}
			table = splitKey(trimmed[1:end])
			tableIdx, inArray = -1, false
			l.entries = append(l.entries, locEntry{key: table, arrayIdx: -1, line: i + 1, keyCol: indent + 2})
			continue
		}
		eq := keyEnd(trimmed)
		if eq < 0 {
			continue
		}
		key := append(append(toml.Key{}, table...), splitKey(trimmed[:eq])...)
		rest := trimmed[eq+1:]
		valueCol := indent + eq + 2 + (len(rest) - len(strings.TrimLeft(rest, " \t")))
		l.entries = append(l.entries, locEntry{key: key, arrayIdx: tableIdx, inArray: inArray,
			line: i + 1, keyCol: indent + 1, valueCol: valueCol})
		// Skip the lines of a value that spans several.
		i += continuation(strings.TrimLeft(rest, " \t"), l.lines[i+1:])
	}
	return l
}

// keyEnd returns the index of the '=' ending the key of a key = value line,
// or -1. Quoted key parts may contain '='.
func keyEnd(s string) int {
	for i, b := range tomlBytes(s) {
		switch {
		case b.quoted:
		case b.c == '=':
			return i
		case b.c == '#':
			return -1
		}
	}
	return -1
}

// splitKey splits a dotted key, unquoting quoted parts.
func splitKey(s string) toml.Key {
	var parts toml.Key
	var cur strings.Builder
	for _, b := range tomlBytes(s) {
		if b.c == '.' && !b.quoted {
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(b.c)
	}
	return append(parts, strings.TrimSpace(cur.String()))
}

// tomlByte is one byte of a line as TOML reads it.
type tomlByte struct {
	c      byte
	quoted bool // inside a string: never syntax
}

// tomlBytes yields the bytes of s with their index, telling those inside
// strings from the rest, so that a '=', '#', '.' or bracket in a quoted key
// or value is never taken for syntax. The quotes themselves are not yielded;
// a backslash escape in a basic string ("…") yields the byte it escapes
// (a lone trailing backslash stays); literal strings ('…') have no escapes.
func tomlBytes(s string) iter.Seq2[int, tomlByte] {
	return func(yield func(int, tomlByte) bool) {
		var quote byte
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case quote != 0 && c == quote:
				quote = 0
				continue
			case quote == '"' && c == '\\' && i+1 < len(s):
				i++
				c = s[i]
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
				continue
			}
			if !yield(i, tomlByte{c: c, quoted: quote != 0}) {
				return
			}
		}
	}
}

// continuation counts the lines after the current one that belong to a
// value starting with v: an array or inline table whose brackets do not
// close on this line, or a multi-line string.
func continuation(v string, next []string) int {
	for _, q := range []string{`"""`, `'''`} {
		if strings.HasPrefix(v, q) {
			if strings.Contains(v[3:], q) {
				return 0
			}
			for n, l := range next {
				if strings.Contains(l, q) {
					return n + 1
				}
			}
			return len(next)
		}
	}
	depth := bracketDepth(v, 0)
	if depth <= 0 {
		return 0
	}
	for n, l := range next {
		if depth = bracketDepth(l, depth); depth <= 0 {
			return n + 1
		}
	}
	return len(next)
}

// bracketDepth scans a line of a value, outside strings and comments, and
// returns the bracket depth after it.
func bracketDepth(s string, depth int) int {
	for _, b := range tomlBytes(s) {
		switch {
		case b.quoted:
		case b.c == '#':
			return depth
		case b.c == '[' || b.c == '{':
			depth++
		case b.c == ']' || b.c == '}':
			depth--
		}
	}
	return depth
}

// find returns the line and column of key (of its value when value is
// true). index selects the element of an [[array]] of tables the key is in
// (-1: the first occurrence). A key not written as such gives its nearest
// written parent; nothing found gives 0, 0.
func (l locator) find(key toml.Key, index int, value bool) (line, col int) {
	for n := len(key); n > 0; n-- {
		want := toml.Key(key[:n]).String()
		for _, e := range l.entries {
			if e.key.String() != want {
				continue
			}
			if index >= 0 && e.inArray && e.arrayIdx != index {
				continue
			}
			if value && n == len(key) && e.valueCol > 0 {
				return e.line, e.valueCol
			}
			return e.line, e.keyCol
		}
	}
	return 0, 0
}

// valueColumn returns the column of the value on a key = value line, or 0.
func (l locator) valueColumn(line int) int {
	for _, e := range l.entries {
		if e.line == line && e.valueCol > 0 {
			return e.valueCol
		}
	}
	return 0
}
