package statuspage

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// RSS 2.0 and Atom feeds (xAI's status.x.ai/feed.xml) list incidents as
// items, resolved ones included, for months. A feed item counts only when it
// says its status, as xAI's do ("Status: RESOLVED" in the description and a
// category): an item that does not say whether it is over is never guessed
// to be open, and a feed none of whose items says so reports no status.

// maxFeedItems caps the items read from one feed.
const maxFeedItems = 500

// isFeed reports whether an XML body is an RSS or Atom document.
func isFeed(b []byte) bool {
	head := b[:min(len(b), 2048)]
	return bytes.Contains(head, []byte("<rss")) || bytes.Contains(head, []byte("<feed"))
}

type rssDoc struct {
	XMLName xml.Name
	Title   string    `xml:"channel>title"`
	Link    string    `xml:"channel>link"`
	Items   []feedRaw `xml:"channel>item"`
	// Atom
	AtomTitle string    `xml:"title"`
	Entries   []feedRaw `xml:"entry"`
	Updated   string    `xml:"updated"`
}

type feedRaw struct {
	Title       string `xml:"title"`
	GUID        string `xml:"guid"`
	ID          string `xml:"id"`
	Description string `xml:"description"`
	Summary     string `xml:"summary"`
	Content     string `xml:"content"`
	PubDate     string `xml:"pubDate"`
	Published   string `xml:"published"`
	Updated     string `xml:"updated"`
	Categories  []struct {
		Text string `xml:",chardata"`
		Term string `xml:"term,attr"` // Atom's form
	} `xml:"category"`
}

var statusLine = regexp.MustCompile(`(?i)status:\s*([a-z_ ]+)`)
var severityLine = regexp.MustCompile(`(?i)severity:\s*([a-z_ ]+)`)

// feedStatusWords are the incident states a feed item may declare.
var feedStatusWords = map[string]bool{
	"investigating": true, "identified": true, "monitoring": true, "update": true,
	"resolved": true, "completed": true, "postmortem": true, "scheduled": true, "in_progress": true,
}

// decodeFeed reads an RSS or Atom status feed.
func decodeFeed(body []byte) (model.StatusPage, error) {
	var doc rssDoc
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	// Feeds that declare another charset are read as UTF-8; sanitize
	// drops whatever does not decode.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := dec.Decode(&doc); err != nil {
		return model.StatusPage{}, fmt.Errorf("%w: feed: %v", ErrUnrecognised, err)
	}
	items, title := doc.Items, doc.Title
	if doc.XMLName.Local == "feed" {
		items, title = doc.Entries, doc.AtomTitle
	}
	if len(items) > maxFeedItems {
		items = items[:maxFeedItems]
	}
	p := model.StatusPage{Name: sanitize.Name(title), URL: sanitize.String(strings.TrimSpace(doc.Link), maxURLWidth)}
	said := false
	for _, it := range items {
		status, severity := feedItemStatus(it)
		if status == "" {
			continue
		}
		said = true
		if status == "resolved" || status == "completed" || status == "postmortem" || status == "scheduled" {
			continue
		}
		text := it.Description + it.Summary + it.Content
		in := model.Incident{
			ID:      sanitize.Name(strings.TrimSpace(it.GUID + it.ID)),
			Title:   sanitize.Name(it.Title),
			Status:  sanitize.Name(status),
			Started: feedTime(it.PubDate, it.Published, it.Updated),
			Updated: feedTime(it.Updated, it.PubDate),
			Impact:  openImpact(severity),
		}
		if in.Title == "" {
			in.Title = "(untitled)"
		}
		if note := note(text); note != "" {
			in.LastNote = note
		}
		p.Incidents = append(p.Incidents, in)
	}
	if said {
		p.Status = model.StatusOperational
	}
	return p, nil
}

// feedItemStatus finds an item's declared state and severity: a "Status:"
// line in its text, else a category that is a state word; the severity from
// a "Severity:" line or a category that Level knows.
func feedItemStatus(it feedRaw) (status, severity string) {
	text := it.Description + " " + it.Summary + " " + it.Content
	if m := statusLine.FindStringSubmatch(stripTags(text)); m != nil {
		status = strings.ToLower(strings.TrimSpace(m[1]))
		if !feedStatusWords[strings.ReplaceAll(status, " ", "_")] {
			status = ""
		}
	}
	if m := severityLine.FindStringSubmatch(stripTags(text)); m != nil {
		severity = strings.TrimSpace(m[1])
	}
	for _, c := range it.Categories {
		w := strings.ToLower(strings.TrimSpace(c.Text + c.Term))
		if status == "" && feedStatusWords[w] {
			status = w
		}
		if severity == "" && Level(w) != model.StatusUnknown {
			severity = w
		}
	}
	return strings.ReplaceAll(status, " ", "_"), severity
}

// feedTime parses the first readable RSS (RFC 1123) or Atom (RFC 3339) time.
func feedTime(vals ...string) time.Time {
	for _, v := range vals {
		v = strings.TrimSpace(v)
		for _, layout := range []string{time.RFC1123, time.RFC1123Z, time.RFC3339Nano, "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC()
			}
		}
	}
	return time.Time{}
}
