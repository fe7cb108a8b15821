package sanitize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestString(t *testing.T) {
	tests := []struct {
		name, in, want string
		width          int
	}{
		{"plain", "Claude Sonnet 4.5", "Claude Sonnet 4.5", 0},
		{"csi colour", "\x1b[31mred\x1b[0m", "red", 0},
		{"osc title", "\x1b]0;pwned\x07name", "name", 0},
		{"osc 8 link", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click", 0},
		{"carriage return", "good\rbad", "good bad", 0},
		{"backspace", "ab\b\bcd", "abcd", 0},
		{"bell", "ding\a", "ding", 0},
		{"c1 csi", "x\u009b31my", "x31my", 0},
		{"bidi override", "abc\u202egnp.exe", "abcgnp.exe", 0},
		{"zero width", "z\u200bw\u200dj\ufeff", "zwj", 0},
		{"whitespace runs", "  a \t\n  b  ", "a b", 0},
		{"invalid utf8", "a\xffb", "a\uFFFDb", 0},
		{"cap width", "abcdefghij", "abcd…", 5},
		{"wide runes cap", "深度求索深度求索", "深度…", 5},
		{"empty", "", "", 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in, tt.width); got != tt.want {
				t.Errorf("String(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
		})
	}
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J\x1b[H", "a\rb\bc", "\u202e\u200b", "\xff\xfe", "\x1b]52;c;aGk=\a"} {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, in string, width int) {
		width = width % 200
		out := String(in, width)
		if strings.ContainsRune(out, '\x1b') {
			t.Fatalf("escape survived: %q → %q", in, out)
		}
		for _, r := range out {
			if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("control/format rune %U survived: %q → %q", r, in, out)
			}
		}
		if width > 0 && ansi.StringWidth(out) > width {
			t.Fatalf("width %d > cap %d: %q", ansi.StringWidth(out), width, out)
		}
		if plain(in) && out != slow(in, width) {
			t.Fatalf("the plain path gives %q, the full one %q", out, slow(in, width))
		}
		if String(out, width) != out {
			t.Fatalf("not idempotent: %q → %q → %q", in, out, String(out, width))
		}
	})
}

// At most two combining marks survive per character: 500 marks on one
// letter all reached one cell before, and spilled over the rows around it.
func TestCombiningMarksAreCappedPerCharacter(t *testing.T) {
	zalgo := "Z" + strings.Repeat("\u0301\u0316\u0489", 200) + "ai" + strings.Repeat("\u0300", 500)
	got := String(zalgo, 0)
	if got != "Z\u0301\u0316ai\u0300\u0300" {
		t.Errorf("String(zalgo) = %q (%d runes), want two marks per character", got, utf8.RuneCountInString(got))
	}
	for _, keep := range []string{
		"Tie\u0302\u0323ng Vie\u0323\u0302t", // Vietnamese, decomposed: two marks on e
		"क्षत्रिय",                           // Devanagari: virama and vowel signs
		"Café",
		"👍🏽 ok",
	} {
		if got := String(keep, 0); got != keep {
			t.Errorf("String(%q) = %q: real text lost a mark", keep, got)
		}
	}
	// Marks after a space attach to it; a mark run cannot carry over a space.
	if got := String("a \u0301\u0301\u0301\u0301", 0); got != "a \u0301\u0301" && got != "a" {
		t.Errorf("marks after a space: %q", got)
	}
}
