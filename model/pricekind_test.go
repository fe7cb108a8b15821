package model

import "testing"

// TestPriceKindWord: free and variable prices show their kind's word, an
// unknown (or unnamed) kind a dash, and a paid price no word at all.
func TestPriceKindWord(t *testing.T) {
	tests := []struct {
		kind   PriceKind
		word   string
		isWord bool
	}{
		{PricePaid, "", false},
		{PriceFree, "free", true},
		{PriceVariable, "variable", true},
		{PriceUnknown, "—", true},
		{PriceVariable + 1, "—", true},
	}
	for _, tt := range tests {
		if w, ok := tt.kind.Word(); w != tt.word || ok != tt.isWord {
			t.Errorf("PriceKind(%d).Word() = %q, %v; want %q, %v", tt.kind, w, ok, tt.word, tt.isWord)
		}
	}
}
