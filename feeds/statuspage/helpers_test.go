package statuspage

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

var t0 = time.Date(2026, 9, 15, 10, 30, 0, 0, time.UTC)

func env() feeds.Env {
	return feeds.Env{
		HTTP:   feeds.NewHTTP(feeds.HTTPOptions{}),
		Latest: func() *model.Snapshot { return &model.Snapshot{} },
		Now:    func() time.Time { return t0 },
	}
}

// pageStrings returns every string of a decoded page.
func pageStrings(p model.StatusPage) []string {
	out := []string{p.Name, p.URL}
	out = append(out, p.Authors...)
	for _, c := range p.Components {
		out = append(out, c.Name)
	}
	for _, in := range p.Incidents {
		out = append(out, in.ID, in.Title, in.Status, in.LastNote)
	}
	return out
}

// hostile is a string carrying every trick a remote string may try.
const hostile = "Evil\x1b[31m Red\x1b]0;pwned\x07 \r\b\u202egnp\u200b\u200d\ufeff Title"

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// turboEncode flattens a JSON-like tree into React Router's turbo-stream
// form (the shape of OnlineOrNot pages), for tests.
func turboEncode(v any) string {
	var flat []any
	strs := map[string]int{}
	str := func(s string) int {
		if i, ok := strs[s]; ok {
			return i
		}
		flat = append(flat, s)
		strs[s] = len(flat) - 1
		return len(flat) - 1
	}
	var enc func(v any) int
	enc = func(v any) int {
		switch x := v.(type) {
		case nil:
			return -5
		case string:
			return str(x)
		case map[string]any:
			flat = append(flat, nil)
			i := len(flat) - 1
			o := map[string]int{}
			for k, e := range x {
				o["_"+strconv.Itoa(str(k))] = enc(e)
			}
			flat[i] = o
			return i
		case []any:
			flat = append(flat, nil)
			i := len(flat) - 1
			l := make([]int, 0, len(x))
			for _, e := range x {
				l = append(l, enc(e))
			}
			flat[i] = l
			return i
		default:
			flat = append(flat, x)
			return len(flat) - 1
		}
	}
	enc(v)
	b, _ := json.Marshal(flat)
	return string(b)
}

// onlineOrNotPage wraps turbo-stream data in a page as OnlineOrNot serves it.
func onlineOrNotPage(stream string) string {
	lit, _ := json.Marshal(stream + "\n")
	return fmt.Sprintf(`<!DOCTYPE html><html><body><script>window.__reactRouterContext.streamController.enqueue(%s);</script></body></html>`, lit)
}
