package feedtest

import "testing"

func TestClean(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", true},
		{"Claude Opus 4.7 — 1M ctx", true},
		{"Evil\x1b[31m Red", false},
		{"bell\a", false},
		{"line\nbreak", false},
		{"c1 \u009b31m", false},
		{"bidi \u202egnp", false},
		{"zero\u200bwidth", false},
		{"bom\ufeff", false},
	}
	for _, tt := range tests {
		if got := Clean(tt.s); got != tt.want {
			t.Errorf("Clean(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestReadTestdata(t *testing.T) {
	if b := ReadTestdata(t, "README.md"); len(b) == 0 {
		t.Fatal("testdata/README.md read empty")
	}
}
