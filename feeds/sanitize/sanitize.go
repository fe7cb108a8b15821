// Package sanitize makes remote text safe to put on a terminal. Feeds call it
// once, where they decode, so no string from the network reaches the market
// (and from there the screen, a recording or an export) with escape
// sequences, control characters or invisible formatting in it.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Caps on remote strings, in terminal cells.
const (
	MaxName = 80  // names, titles, providers
	MaxText = 240 // descriptions, incident notes, error messages
)

// MaxMarks is how many combining marks may follow one character. Real text
// needs two at most (Vietnamese ệ is e with two); hundreds stacked on one
// letter ("zalgo" text) spill out of its cell onto the rows around it.
const MaxMarks = 2

// String returns s stripped of ANSI escape sequences, C0 and C1 control
// characters (\r, \b, \a, ...) and format runes (bidi overrides, zero-width
// joiners and spaces), with combining marks beyond MaxMarks per character
// dropped, runs of whitespace collapsed to one space,
// trimmed, and cut to at most maxWidth cells with an ellipsis. Invalid UTF-8
// becomes U+FFFD. maxWidth ≤ 0 means no cap.
func String(s string, maxWidth int) string {
	if s == "" {
		return ""
	}
	if plain(s) {
		// Nothing to strip or fold (most names and descriptions): skip the
		// rune loop, and the copy.
		if maxWidth > 0 && len(s) > maxWidth {
			return ansi.Truncate(s, maxWidth, "…")
		}
		return s
	}
	return slow(s, maxWidth)
}

// plain reports whether s is printable ASCII with single spaces between
// words: what String would return unchanged (before the width cap).
func plain(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || (c == ' ' && s[i-1] == ' ') {
			return false
		}
	}
	return true
}

// slow is String for text that needs cleaning.
func slow(s string, maxWidth int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	marks := 0 // combining marks kept after the last base character
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			// Printable ASCII, most of any text: kept as it is, without
			// asking the Unicode tables below (a tenth of a catalogue's
			// decode went there).
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(byte(r))
			marks = 0
			continue
		}
		switch {
		case r == '\t' || r == '\n' || unicode.IsSpace(r):
			space = b.Len() > 0
			marks = 0
			continue
		case unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r),
			unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
			continue
		case unicode.Is(unicode.M, r):
			if marks >= MaxMarks {
				continue
			}
			marks++
		default:
			marks = 0
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if maxWidth > 0 && ansi.StringWidth(out) > maxWidth {
		out = ansi.Truncate(out, maxWidth, "…")
	}
	return out
}

// Name sanitises a short label (a model name, a provider, a title).
func Name(s string) string { return String(s, MaxName) }

// Text sanitises a longer text (a description, an incident note, an error).
func Text(s string) string { return String(s, MaxText) }
