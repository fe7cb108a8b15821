package statuspage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// OnlineOrNot offers no keyless JSON API; its public page (status.openrouter.ai)
// is rendered by React Router, which embeds the page's loader data in
// <script>window.__reactRouterContext.streamController.enqueue("…")</script>
// tags as "turbo-stream": one flat JSON array in which every value refers to
// others by index. This file pulls that array out of the HTML and rebuilds
// the plain JSON tree, with limits, since the indices come from the network.

const (
	enqueueMarker = "streamController.enqueue("
	maxChunks     = 10000
	turboMaxDepth = 100
)

// onlineOrNotHTML extracts and decodes the loader data of an OnlineOrNot page.
func onlineOrNotHTML(body []byte) (obj, error) {
	var chunks []string
	rest := body
	for len(chunks) < maxChunks {
		i := bytes.Index(rest, []byte(enqueueMarker))
		if i < 0 {
			break
		}
		rest = bytes.TrimLeft(rest[i+len(enqueueMarker):], " \t\r\n")
		lit, n := stringLiteral(rest)
		if n == 0 {
			continue
		}
		rest = rest[n:]
		var s string
		if json.Unmarshal(lit, &s) == nil {
			chunks = append(chunks, s)
		}
	}
	if len(chunks) == 0 {
		return nil, fmt.Errorf("%w: HTML without OnlineOrNot page data", ErrUnrecognised)
	}
	// The first line is the page's data; later lines settle deferred
	// promises ("P12:[...]"), which the page's status does not need.
	stream := strings.Join(chunks, "")
	if i := strings.IndexByte(stream, '\n'); i >= 0 {
		stream = stream[:i]
	}
	dec := json.NewDecoder(strings.NewReader(stream))
	dec.UseNumber()
	var flat []any
	if err := dec.Decode(&flat); err != nil {
		return nil, fmt.Errorf("%w: OnlineOrNot page data: %v", ErrUnrecognised, err)
	}
	t := turbo{flat: flat, memo: make(map[int]any), busy: make(map[int]bool)}
	root, ok := t.at(0, 0).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: OnlineOrNot page data is not an object", ErrUnrecognised)
	}
	return root, nil
}

// stringLiteral returns the double-quoted literal at the start of b (quotes
// included) and its length, or 0 when b does not start with a complete one.
func stringLiteral(b []byte) ([]byte, int) {
	if len(b) == 0 || b[0] != '"' {
		return nil, 0
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return b[:i+1], i + 1
		}
	}
	return nil, 0
}

// turbo rebuilds values from a turbo-stream flat array. Each index is decoded
// once (memo), references in progress read as null (no cycles), and depth is
// bounded, so hostile indices cost at most linear work.
type turbo struct {
	flat []any
	memo map[int]any
	busy map[int]bool
}

func (t *turbo) at(i, depth int) any {
	if i < 0 || i >= len(t.flat) || depth > turboMaxDepth {
		return nil // negative indices are turbo-stream's null, undefined, NaN...
	}
	if v, ok := t.memo[i]; ok {
		return v
	}
	if t.busy[i] {
		return nil
	}
	t.busy[i] = true
	defer delete(t.busy, i)
	var out any
	switch v := t.flat[i].(type) {
	case []any:
		if len(v) > 0 {
			if tag, ok := v[0].(string); ok {
				out = typedValue(tag, v)
				break
			}
		}
		list := make([]any, len(v))
		for k, e := range v {
			if idx, ok := index(e); ok {
				list[k] = t.at(idx, depth+1)
			}
		}
		out = list
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			ki, err := strconv.Atoi(strings.TrimPrefix(k, "_"))
			if err != nil || !strings.HasPrefix(k, "_") || ki < 0 || ki >= len(t.flat) {
				continue
			}
			key, ok := t.flat[ki].(string)
			idx, okIdx := index(e)
			if !ok || !okIdx {
				continue
			}
			m[key] = t.at(idx, depth+1)
		}
		out = m
	default:
		out = v
	}
	t.memo[i] = out
	return out
}

// typedValue decodes turbo-stream's tagged values: only dates matter here
// (["D", milliseconds]), given back as RFC 3339 strings; the rest are null.
func typedValue(tag string, v []any) any {
	if tag == "D" && len(v) == 2 {
		if n, ok := v[1].(json.Number); ok {
			if ms, err := n.Float64(); err == nil && ms > 0 && ms < 1e14 {
				return time.UnixMilli(int64(ms)).UTC().Format(time.RFC3339Nano)
			}
		}
	}
	return nil
}

// index reads an array element or object value as an index.
func index(e any) (int, bool) {
	n, ok := e.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(string(n))
	return i, err == nil
}
