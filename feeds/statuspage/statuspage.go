// Package statuspage reads provider status pages and normalises them to a
// model.StatusPage: operational, degraded, partial outage, major outage or
// maintenance, the worst of the page's own indicator, its components and its
// open incidents.
//
// The kinds of page understood are told apart by the answer itself
// (Detect): Atlassian Statuspage v2 summary.json (Anthropic, Moonshot,
// MiniMax), incident.io's Statuspage-compatible summary.json (OpenAI; keys
// may be missing, ids are ULIDs), the FlashDuty widget summary (DeepSeek),
// OnlineOrNot pages (OpenRouter), whose public page embeds its data as React
// Router "turbo-stream" loader data (the JSON shape of OnlineOrNot's REST API
// is read too), Instatus (Perplexity), Checkly (Mistral), Better Stack
// (Hugging Face), RSS/Atom feeds that state each item's status (xAI) and
// Google Cloud's incidents.json (Gemini on Vertex).
//
// Every remote string is sanitised where it is decoded.
package statuspage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// Kind is a type of status page.
type Kind int

// The kinds of page Detect recognises.
const (
	KindUnknown     Kind = iota
	KindStatuspage       // Atlassian Statuspage v2 summary.json
	KindIncidentIO       // incident.io's Statuspage-compatible summary.json
	KindFlashDuty        // FlashDuty widget /api/widget/v1/summary.json
	KindOnlineOrNot      // OnlineOrNot page (SSR turbo-stream) or REST JSON
	KindInstatus         // Instatus summary.json (Perplexity)
	KindCheckly          // Checkly status page summary or unresolved incidents (Mistral)
	KindBetterStack      // Better Stack index.json (Hugging Face, Together)
	KindFeed             // RSS 2.0 or Atom feed that states each item's status (xAI)
	KindGoogleCloud      // Google Cloud incidents.json (Gemini on Vertex)
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindStatuspage:
		return "statuspage"
	case KindIncidentIO:
		return "incident.io"
	case KindFlashDuty:
		return "flashduty"
	case KindOnlineOrNot:
		return "onlineornot"
	case KindInstatus:
		return "instatus"
	case KindCheckly:
		return "checkly"
	case KindBetterStack:
		return "betterstack"
	case KindFeed:
		return "rss"
	case KindGoogleCloud:
		return "google-cloud"
	}
	return "unknown"
}

// Caps on what one page may contribute.
const (
	maxComponents = 200
	maxIncidents  = 50
)

// ErrUnrecognised is returned for an answer that is none of the known kinds.
var ErrUnrecognised = errors.New("not a recognised status page answer")

// Detect guesses the kind of page from its answer.
func Detect(body []byte) (Kind, error) {
	k, _, err := detect(body)
	return k, err
}

// Decode detects the kind of page and decodes it. The returned page's Name is
// the page's own (sanitised) name and URL its advertised address; a Source
// replaces both, and Authors, with its configuration.
func Decode(body []byte) (model.StatusPage, error) { return DecodeProduct(body, "") }

// DecodeProduct is Decode for pages that cover many products (Google Cloud's
// incidents.json): only incidents of products whose name contains product
// (case-insensitive) count. Other kinds ignore product.
func DecodeProduct(body []byte, product string) (model.StatusPage, error) {
	k, tree, err := detect(body)
	if err != nil {
		return model.StatusPage{}, err
	}
	var p model.StatusPage
	switch k {
	case KindStatuspage, KindIncidentIO:
		p = decodeStatuspage(tree)
	case KindFlashDuty:
		p = decodeFlashDuty(tree)
	case KindOnlineOrNot:
		p = decodeOnlineOrNot(tree)
	case KindInstatus:
		p = decodeInstatus(tree)
	case KindCheckly:
		if tree.has("page") {
			p = decodeInstatus(tree)
		} else {
			p = decodeChecklyIncidents(tree)
		}
	case KindBetterStack:
		p = decodeBetterStack(tree)
	case KindGoogleCloud:
		l, _ := tree["incidents"].([]any)
		p = decodeGoogleCloud(l, product)
	case KindFeed:
		if p, err = decodeFeed(body); err != nil {
			return model.StatusPage{}, err
		}
	}
	finish(&p)
	return p, nil
}

// detect parses body once and classifies it.
func detect(body []byte) (Kind, obj, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return KindUnknown, nil, fmt.Errorf("%w: empty body", ErrUnrecognised)
	}
	if trimmed[0] == '<' {
		if isFeed(trimmed) {
			return KindFeed, nil, nil
		}
		tree, err := onlineOrNotHTML(trimmed)
		if err != nil {
			return KindUnknown, nil, err
		}
		return KindOnlineOrNot, tree, nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return KindUnknown, nil, fmt.Errorf("%w: %v", ErrUnrecognised, err)
	}
	if l, ok := v.([]any); ok && isGoogleCloud(l) {
		// The array travels under a made-up key, so every kind is an obj.
		return KindGoogleCloud, obj{"incidents": l}, nil
	}
	tree, ok := v.(map[string]any)
	if !ok {
		return KindUnknown, nil, fmt.Errorf("%w: not a JSON object", ErrUnrecognised)
	}
	o := obj(tree)
	switch {
	case isBetterStack(o):
		return KindBetterStack, o, nil
	case isChecklyIncidents(o):
		return KindCheckly, o, nil
	case isInstatusLike(o):
		if isCheckly(o) {
			return KindCheckly, o, nil
		}
		return KindInstatus, o, nil
	case o.has("overall") || o.has("ongoing_incidents") || o.has("in_progress_maintenances"):
		return KindFlashDuty, o, nil
	case o.has("loaderData") || isOnlineOrNotREST(o):
		return KindOnlineOrNot, o, nil
	case o.has("page") && (o.has("status") || o.has("components") || o.has("incidents") || o.has("scheduled_maintenances")):
		if isULID(o.obj("page").str("id")) {
			return KindIncidentIO, o, nil
		}
		return KindStatuspage, o, nil
	}
	return KindUnknown, nil, ErrUnrecognised
}

// isOnlineOrNotREST recognises OnlineOrNot's API envelope
// {"result": {...}, "success": true} with a result that looks like a page.
func isOnlineOrNotREST(o obj) bool {
	r := o.obj("result")
	return o.has("success") && r != nil && (r.has("components") || r.has("statusPage") || r.has("status"))
}

// isULID reports whether s looks like a ULID (26 Crockford base-32 characters),
// the id format of incident.io pages.
func isULID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U') {
			return false
		}
	}
	return true
}

// Level maps a status word from any of the page kinds to a normalised state:
// Statuspage indicators (none, minor, major, critical, maintenance),
// component statuses (operational, degraded_performance, partial_outage,
// major_outage, under_maintenance; incident.io's full_outage), incident
// impacts, and OnlineOrNot's upper-case words (ALL_SYSTEMS_OPERATIONAL,
// NO_IMPACT, MAJOR_OUTAGE, ...). An unknown word is StatusUnknown.
func Level(word string) model.PageStatus {
	w := strings.ToLower(strings.TrimSpace(word))
	w = strings.NewReplacer("-", "_", " ", "_").Replace(w)
	switch w {
	case "none", "operational", "ok", "normal", "up", "all_systems_operational", "no_impact":
		return model.StatusOperational
	case "minor", "degraded", "degraded_performance", "degradation", "partially_degraded_service",
		"minor_outage", "warning", "elevated", "hasissues", "has_issues", "degradedperformance", "medium", "low":
		return model.StatusDegraded
	case "major", "partial", "partial_outage", "partial_system_outage", "partial_outages", "partially_down",
		"partialoutage", "onepartialoutage":
		return model.StatusPartialOutage
	case "critical", "major_outage", "major_system_outage", "full_outage", "outage", "down", "unavailable",
		"majoroutage", "onemajoroutage", "downtime":
		return model.StatusMajorOutage
	case "maintenance", "under_maintenance", "in_maintenance", "maintenance_in_progress", "undermaintenance":
		return model.StatusMaintenance
	}
	switch {
	case strings.Contains(w, "major_outage"), strings.Contains(w, "full_outage"):
		return model.StatusMajorOutage
	case strings.Contains(w, "partial"):
		return model.StatusPartialOutage
	case strings.Contains(w, "degraded"):
		return model.StatusDegraded
	case strings.Contains(w, "maintenance"):
		return model.StatusMaintenance
	case strings.Contains(w, "operational"):
		return model.StatusOperational
	}
	return model.StatusUnknown
}

// finish sorts and caps the page and computes its status: the worst of the
// indicator already set, the components and the open incidents. A page
// offering no signal at all stays StatusUnknown.
func finish(p *model.StatusPage) {
	if len(p.Components) > maxComponents {
		p.Components = p.Components[:maxComponents]
	}
	sort.SliceStable(p.Incidents, func(i, j int) bool {
		a, b := p.Incidents[i], p.Incidents[j]
		if !a.Started.Equal(b.Started) {
			return a.Started.After(b.Started)
		}
		if !a.Updated.Equal(b.Updated) {
			return a.Updated.After(b.Updated)
		}
		return a.ID < b.ID
	})
	if len(p.Incidents) > maxIncidents {
		p.Incidents = p.Incidents[:maxIncidents]
	}
	for _, c := range p.Components {
		p.Status = p.Status.Worse(c.Status)
	}
	for _, in := range p.Incidents {
		p.Status = p.Status.Worse(in.Impact)
	}
}

// openImpact is the state an open incident causes: its declared impact, or
// degraded when it declares none we understand (an open incident is news
// even when unlabelled). A declared "none" keeps the page operational.
func openImpact(word string) model.PageStatus {
	if l := Level(word); l != model.StatusUnknown {
		return l
	}
	return model.StatusDegraded
}

// parseTime reads the timestamps the pages use: RFC 3339 (with or without
// fraction or offset) or Unix seconds or milliseconds. Zero when unreadable.
func parseTime(v any) time.Time {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02 15:04:05Z07:00"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC()
			}
		}
	case json.Number:
		n, err := x.Int64()
		if err != nil || n <= 0 {
			return time.Time{}
		}
		if n > 1e11 { // milliseconds
			return time.UnixMilli(n).UTC()
		}
		return time.Unix(n, 0).UTC()
	}
	return time.Time{}
}

// note turns an update body into a short plain line: HTML tags (OnlineOrNot
// sends HTML) removed, entities decoded, then sanitised.
func note(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = stripTags(s)
		s = html.UnescapeString(s)
	}
	return sanitize.Text(s)
}

// stripTags removes <...> runs, leaving a space so words do not join.
func stripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// obj is a decoded JSON object with lenient accessors: a member of the wrong
// type reads as absent.
type obj map[string]any

func (o obj) has(k string) bool { _, ok := o[k]; return ok }

func (o obj) str(k string) string {
	s, _ := o[k].(string)
	return s
}

func (o obj) obj(k string) obj {
	m, _ := o[k].(map[string]any)
	return m
}

func (o obj) list(k string) []any {
	l, _ := o[k].([]any)
	return l
}

func (o obj) bool(k string) bool {
	b, _ := o[k].(bool)
	return b
}

// first returns the first of keys present as a non-empty string.
func (o obj) first(keys ...string) string {
	for _, k := range keys {
		if s := o.str(k); s != "" {
			return s
		}
	}
	return ""
}

// firstTime returns the first of keys that parses as a time.
func (o obj) firstTime(keys ...string) time.Time {
	for _, k := range keys {
		if t := parseTime(o[k]); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// objects returns the elements of l that are objects.
func objects(l []any) []obj {
	out := make([]obj, 0, len(l))
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// idString reads an id that may be a string or a number.
func idString(v any) string {
	switch x := v.(type) {
	case string:
		return sanitize.Name(x)
	case json.Number:
		if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return string(x)
		}
	}
	return ""
}
