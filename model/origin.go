package model

import (
	"sort"
	"strings"
)

// Origin is where a model's author is based. No feed says this; it comes from
// an author→origin table (DefaultOrigins), overridable in the config file.
type Origin string

// The origins tokentape groups authors into.
const (
	OriginCN      Origin = "CN"
	OriginUS      Origin = "US"
	OriginEU      Origin = "EU"
	OriginOther   Origin = "Other"
	OriginUnknown Origin = "Unknown"
)

// Origins lists every origin in display order.
var Origins = []Origin{OriginCN, OriginUS, OriginEU, OriginOther, OriginUnknown}

// ParseOrigin reads an origin name case-insensitively; ok is false for an
// unknown name.
func ParseOrigin(s string) (o Origin, ok bool) {
	for _, o := range Origins {
		if strings.EqualFold(string(o), strings.TrimSpace(s)) {
			return o, true
		}
	}
	return OriginUnknown, false
}

// OriginTable maps an author slug (the part of a model id before the slash)
// to its origin. The zero value maps everything to OriginUnknown.
type OriginTable struct {
	byAuthor map[string]Origin
}

// defaultOrigins is DESIGN.md §2's table, plus every other author of the
// OpenRouter catalogue whose home is public record: nex-agi (Nex AGI, its
// Nex-N models built on Qwen) and dots-studio (the dots models of
// Xiaohongshu's hi lab) are Chinese; rekaai (Reka AI, Sunnyvale), deepcogito
// (Deep Cogito, San Francisco), relace and morph (code-apply models, San
// Francisco), perceptron (Perceptron AI, Bellevue) and
// cognitivecomputations (the Dolphin models, made with Venice.ai) are
// American. Other: cohere (CA), ai21, aion-labs (IL), upstage (KR), sakana
// (JP). Unknown is left for routers (openrouter/*) and community
// fine-tuners (thedrummer, sao10k, anthracite-org, undi95, gryphe, mancer),
// whose home says nothing about whose model they tuned.
var defaultOrigins = map[Origin][]string{
	OriginCN: {"deepseek", "qwen", "alibaba", "moonshotai", "z-ai", "thudm", "minimax", "xiaomi",
		"tencent", "bytedance", "bytedance-seed", "stepfun", "baidu", "meituan", "inclusionai",
		"kwaipilot", "01-ai", "nex-agi", "dots-studio"},
	OriginUS: {"openai", "anthropic", "google", "x-ai", "meta-llama", "meta", "nvidia", "amazon",
		"microsoft", "perplexity", "ibm-granite", "allenai", "arcee-ai", "inception", "liquid",
		"nousresearch", "thinkingmachines", "poolside", "writer", "rekaai", "deepcogito", "relace",
		"morph", "perceptron", "cognitivecomputations"},
	OriginEU:    {"mistralai", "swiss-ai", "aleph-alpha"},
	OriginOther: {"cohere", "ai21", "aion-labs", "upstage", "sakana"},
}

// DefaultOrigins returns the built-in author→origin table.
func DefaultOrigins() OriginTable {
	t := OriginTable{byAuthor: make(map[string]Origin, 64)}
	for o, authors := range defaultOrigins {
		for _, a := range authors {
			t.byAuthor[a] = o
		}
	}
	return t
}

// With returns a copy of t with overrides applied (author slug → origin).
// The receiver is not modified.
func (t OriginTable) With(overrides map[string]Origin) OriginTable {
	c := OriginTable{byAuthor: make(map[string]Origin, len(t.byAuthor)+len(overrides))}
	for a, o := range t.byAuthor {
		c.byAuthor[a] = o
	}
	for a, o := range overrides {
		c.byAuthor[strings.ToLower(strings.TrimSpace(a))] = o
	}
	return c
}

// Lookup returns the origin of an author slug. Aliases ("~author"), the
// openrouter/* routers and authors not in the table are OriginUnknown.
func (t OriginTable) Lookup(author string) Origin {
	if o, ok := t.byAuthor[strings.ToLower(author)]; ok {
		return o
	}
	return OriginUnknown
}

// Authors lists the authors the table knows, sorted, for one origin.
func (t OriginTable) Authors(o Origin) []string {
	var out []string
	for a, ao := range t.byAuthor {
		if ao == o {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// AuthorOf returns the author slug of a model id or slug: the part before the
// first slash, without a leading "~" (aliases) and lower-cased.
func AuthorOf(id string) string {
	id = strings.TrimPrefix(id, "~")
	if i := strings.IndexByte(id, '/'); i >= 0 {
		id = id[:i]
	}
	return strings.ToLower(id)
}

// NameFromSlug makes a readable name for a listing known only by its slug
// (a ranked permaslug the catalogue does not list): the author and the
// model in words, without the permaslug's date, variants in brackets.
// "tencent/hy3-preview-20260421:free" is "Tencent: Hy3 Preview (free)".
func NameFromSlug(slug string) string {
	slug = strings.TrimPrefix(strings.TrimSpace(slug), "~")
	base, variant, _ := strings.Cut(slug, ":")
	author, rest, ok := strings.Cut(base, "/")
	if !ok {
		author, rest = "", base
	}
	words := strings.FieldsFunc(rest, func(r rune) bool { return r == '-' || r == '_' })
	if n := len(words); n > 1 && isDate(words[n-1]) {
		words = words[:n-1]
	}
	for i, w := range words {
		words[i] = titleWord(w)
	}
	name := strings.Join(words, " ")
	if name == "" {
		name = rest
	}
	if author != "" {
		a := strings.FieldsFunc(author, func(r rune) bool { return r == '-' || r == '_' })
		for i, w := range a {
			a[i] = titleWord(w)
		}
		name = strings.Join(a, " ") + ": " + name
	}
	if variant != "" {
		name += " (" + variant + ")"
	}
	return name
}

// isDate reports whether w is a permaslug's date: eight digits (20260421)
// or four (0421).
func isDate(w string) bool {
	if len(w) != 8 && len(w) != 4 {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// titleWord capitalises a word's first letter.
func titleWord(w string) string {
	if w == "" {
		return w
	}
	r := []rune(w)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
