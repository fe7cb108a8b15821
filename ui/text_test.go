package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestNarrowRunesAgreeWithAnsi pins the fast width path to the real one.
func TestNarrowRunesAgreeWithAnsi(t *testing.T) {
	for r := rune(0x20); r < 0x3000; r++ {
		if r >= 0x7f && !narrowRune(r) {
			continue
		}
		s := string(r)
		if n, ok := narrow(s); !ok || n != ansi.StringWidth(s) {
			t.Errorf("U+%04X %q: fast width %d (ok %v), ansi %d", r, s, n, ok, ansi.StringWidth(s))
		}
	}
}

func TestTruncateAndFit(t *testing.T) {
	tests := []struct {
		in    string
		w     int
		trunc string
		left  string
		right string
	}{
		{"Kimi K2.5", 20, "Kimi K2.5", "Kimi K2.5           ", "           Kimi K2.5"},
		{"Kimi K2.5", 6, "Kimi …", "Kimi …", "Kimi …"},
		{"Kimi K2.5", 1, "…", "…", "…"},
		{"Kimi K2.5", 0, "", "", ""},
		{"▲12", 2, "▲…", "▲…", "▲…"},
		{"▁▂▃▄", 4, "▁▂▃▄", "▁▂▃▄", "▁▂▃▄"},
		// Wide runes: never cut in half; pad what the cut leaves.
		{"通义千问 Qwen", 5, "通义…", "通义…", "通义…"},
		{"通义千问 Qwen", 6, "通义…", "通义… ", " 通义…"},
		{"通义千问", 8, "通义千问", "通义千问", "通义千问"},
		{"通义千问", 7, "通义千…", "通义千…", "通义千…"},
		{"Café", 3, "Ca…", "Ca…", "Ca…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.w); got != tt.trunc {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.trunc)
		}
		if got := fitLeft(tt.in, tt.w); got != tt.left || textWidth(got) != tt.w {
			t.Errorf("fitLeft(%q, %d) = %q (width %d), want %q", tt.in, tt.w, got, textWidth(got), tt.left)
		}
		if got := fitRight(tt.in, tt.w); got != tt.right {
			t.Errorf("fitRight(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.right)
		}
	}
}

func TestSafeStripsTerminalControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Kimi K2.5", "Kimi K2.5"},
		{"通义千问", "通义千问"},
		{"evil\x1b[31mred\x1b[0m", "evilred"},
		{"a\rb\bc\x07d", "a bcd"},
		{"bidi\u202eoverride\u200bzero", "bidioverridezero"},
		{"c1\u009bx", "c1x"},
		{"title\x1b]0;pwned\x07", "title"},
	}
	for _, tt := range tests {
		got := safe(tt.in)
		if got != tt.want {
			t.Errorf("safe(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.ContainsAny(got, "\x1b\r\b\x07") {
			t.Errorf("safe(%q) kept a control: %q", tt.in, got)
		}
	}
}

func TestBlockFitsArea(t *testing.T) {
	out := block("short\na much longer line that will not fit\n通义千问通义千问", 10, 5, true)
	lines := strings.Split(out, "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want 5", len(lines))
	}
	for i, l := range lines {
		if textWidth(l) != 10 {
			t.Errorf("line %d %q is %d wide, want 10", i, l, textWidth(l))
		}
	}
	if got := block("a\nb\nc", 3, 2, false); got != "a  \nb  " {
		t.Errorf("block cut = %q", got)
	}
	if block("x", 0, 3, true) != "" || block("x", 3, 0, true) != "" {
		t.Error("an empty area must render nothing")
	}
}

// TestWrapWordsKeepsHyphenatedWords: the one word-wrapper breaks at spaces
// only, so a sign stays with its number and a model name stays whole.
func TestWrapWordsKeepsHyphenatedWords(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want []string
	}{
		{"GPT-5 price changed -17% today", 12, []string{"GPT-5 price", "changed -17%", "today"}},
		{"deepseek-v3.2-exp is cheaper", 18, []string{"deepseek-v3.2-exp", "is cheaper"}},
		{"averyveryverylongword x", 8, []string{"averyver", "yverylon", "gword x"}},
		{"", 10, []string{""}},
		{"a  b\tc", 10, []string{"a b c"}},
	}
	for _, tt := range tests {
		if got := wrapWords(tt.in, tt.w); !slices.Equal(got, tt.want) {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
		for _, l := range wrapIndent(tt.in, tt.w+2, "  ") {
			if textWidth(l) > tt.w+2 || !strings.HasPrefix(l, "  ") {
				t.Errorf("wrapIndent(%q) line %q: wider than %d or without its prefix", tt.in, l, tt.w+2)
			}
		}
	}
}

// TestCompareFoldAgreesWithToLower: the allocation-free comparison orders
// names as lower-casing both would, ASCII or not.
func TestCompareFoldAgreesWithToLower(t *testing.T) {
	names := []string{"", "a", "A", "ab", "aB", "Ab", "b", "GPT-5", "gpt-5", "gpt-5.2", "Élan", "élan", "Zeta", "zéta", "Zeta2", "İstanbul", "istanbul", "ÅB", "åa"}
	sign := func(x int) int { return max(min(x, 1), -1) }
	for _, a := range names {
		for _, b := range names {
			want := strings.Compare(strings.ToLower(a), strings.ToLower(b))
			if got := compareFold(a, b); sign(got) != want {
				t.Errorf("compareFold(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// TestTextWidthAgreesWithAnsi pins every fast path of textWidth (ASCII,
// narrow runes, SGR-painted lines) to ansi.StringWidth, including the
// strings that must fall back to it.
func TestTextWidthAgreesWithAnsi(t *testing.T) {
	for _, s := range []string{
		"", "Kimi K2.5", "▁▂▃▄▅▆▇█", "▲12 · †", "Café", "\u00ad", "\u0080x",
		"通义千问 Qwen", "e\u0301", "\x1b[1mbold\x1b[0m", "\x1b[38;2;1;2;3m▲3\x1b[m ok",
		"\x1b[1m通义\x1b[0m", "\x1b]0;title\x07x", "\x1b[", "\x1b[1", "a\x1b", "\x1b[?25lx",
		"\xe2\x96", "\xe2\x96\x81\xe2", "\xcb\x80", "\xc2\x9b", "\xe2\x80\x8b",
	} {
		if got, want := textWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("textWidth(%q) = %d, ansi.StringWidth %d", s, got, want)
		}
	}
}
