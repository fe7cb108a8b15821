package statuspage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// Interval is how often a status page is polled.
const Interval = 60 * time.Second

// Page is one status page to poll: its short name (the source is
// "status.<Name>"), the address of its machine-readable summary, and the
// model authors whose listings it speaks for.
type Page struct {
	Name    string
	URL     string
	Authors []string
}

// DefaultPages returns the status pages polled when no --status-page is
// given. The Atlassian pages serve /api/v2/summary.json; DeepSeek's is a
// FlashDuty widget; OpenRouter's is an OnlineOrNot page with no keyless JSON
// API, so its HTML page (which embeds its data) is read.
func DefaultPages() []Page {
	return []Page{
		{Name: "claude", URL: "https://status.claude.com/api/v2/summary.json", Authors: []string{"anthropic"}},
		{Name: "openai", URL: "https://status.openai.com/api/v2/summary.json", Authors: []string{"openai"}},
		{Name: "moonshot", URL: "https://status.moonshot.cn/api/v2/summary.json", Authors: []string{"moonshotai"}},
		{Name: "minimax", URL: "https://status.minimax.io/api/v2/summary.json", Authors: []string{"minimax"}},
		{Name: "deepseek", URL: "https://status.deepseek.com/api/widget/v1/summary.json", Authors: []string{"deepseek"}},
		{Name: "openrouter", URL: "https://status.openrouter.ai/", Authors: []string{"openrouter"}},
	}
}

// knownAuthors maps well-known page names (and their aliases) to the model
// authors they serve.
var knownAuthors = map[string][]string{
	"claude":     {"anthropic"},
	"anthropic":  {"anthropic"},
	"openai":     {"openai"},
	"chatgpt":    {"openai"},
	"moonshot":   {"moonshotai"},
	"moonshotai": {"moonshotai"},
	"kimi":       {"moonshotai"},
	"minimax":    {"minimax"},
	"deepseek":   {"deepseek"},
	"openrouter": {"openrouter"},
	"z-ai":       {"z-ai"},
	"zai":        {"z-ai"},
	"zhipu":      {"z-ai"},
	"glm":        {"z-ai"},
	"google":     {"google"},
	"gemini":     {"google"},
	"mistral":    {"mistralai"},
	"mistralai":  {"mistralai"},
	"xai":        {"x-ai"},
	"x-ai":       {"x-ai"},
	"grok":       {"x-ai"},
	"qwen":       {"qwen"},
	"alibaba":    {"qwen", "alibaba"},
	"cohere":     {"cohere"},
	"perplexity": {"perplexity"},
	"meta":       {"meta-llama"},
	"llama":      {"meta-llama"},
}

// AuthorsFor returns the authors a well-known page name serves, nil for an
// unknown name.
func AuthorsFor(name string) []string {
	a := knownAuthors[strings.ToLower(name)]
	return append([]string(nil), a...)
}

// ParsePageFlag parses a --status-page value "NAME=URL". The name must be a
// short word (letters, digits, '-', '_', '.'), lower-cased; the URL absolute
// http(s). Well-known names map to their authors (claude → anthropic,
// moonshot → moonshotai, zhipu → z-ai, ...); other names serve no author.
func ParsePageFlag(s string) (Page, error) {
	name, raw, ok := strings.Cut(strings.TrimSpace(s), "=")
	name = strings.ToLower(strings.TrimSpace(name))
	raw = strings.TrimSpace(raw)
	if !ok || name == "" || raw == "" {
		return Page{}, fmt.Errorf("status page %q: want NAME=URL", s)
	}
	if len(name) > 32 || strings.IndexFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	}) >= 0 {
		return Page{}, fmt.Errorf("status page name %q: use up to 32 letters, digits, '-', '_' or '.'", name)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Page{}, fmt.Errorf("status page %s: %q is not an http(s) URL", name, raw)
	}
	if u.User != nil {
		return Page{}, fmt.Errorf("status page %s: credentials in the URL are not supported", name)
	}
	return Page{Name: name, URL: u.String(), Authors: AuthorsFor(name)}, nil
}

// pageSource polls one status page. found is the machine-readable address
// discovered behind a page root (see Fetch); only the poller's goroutine for
// this source touches it.
type pageSource struct {
	p     Page
	found string
}

// Source returns the feed source of one page: named "status.<name>", polled
// every 60 s, producing a model.StatusUpdate. It sends no credentials.
func Source(p Page) feeds.Source {
	p.Authors = append([]string(nil), p.Authors...)
	return &pageSource{p: p}
}

func (s *pageSource) Name() string            { return "status." + s.p.Name }
func (s *pageSource) Interval() time.Duration { return Interval }

// rootPaths are where the known page types keep their machine-readable
// summary under a page's root, in the order tried: Atlassian Statuspage and
// incident.io, FlashDuty's widget, Instatus, Better Stack, then the feeds.
var rootPaths = []string{
	"/api/v2/summary.json",
	"/api/widget/v1/summary.json",
	"/summary.json",
	"/index.json",
	"/feed.xml",
	"/history.rss",
}

// ErrUnknownPageType is the error of a page root behind which none of the
// known page types' summaries answers.
var ErrUnknownPageType = errors.New("not a known status page type")

// Fetch reads the page once. A URL that is a page's root, as a user copies
// it from the browser (https://status.claude.com), works as well as the
// summary's own address: when the root itself is not readable, the known
// page types' summary paths are tried under it, and the first that decodes
// is used from then on.
func (s *pageSource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	addr := s.p.URL
	if s.found != "" {
		addr = s.found
	}
	resp, err := env.HTTP.Get(ctx, feeds.Request{URL: addr})
	var page model.StatusPage
	if err == nil && !resp.NotModified {
		page, err = Decode(resp.Body)
	}
	if err != nil && ctx.Err() == nil && isRoot(s.p.URL) && discoverable(err) {
		// The root (or the summary found behind it, since moved) is not a
		// page: look for the summary again.
		s.found = ""
		addr, resp, page, err = s.discover(ctx, env)
		if err == nil {
			s.found = addr
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name(), err)
	}
	if resp.NotModified {
		return nil, feeds.ErrNotModified
	}
	kind, _ := Detect(resp.Body)
	page.Kind = kind.String()
	if page.Status == model.StatusUnknown && len(page.Components) == 0 && len(page.Incidents) == 0 {
		return nil, fmt.Errorf("%s: %w", s.Name(), errNoSignal)
	}
	page.Name = s.p.Name
	page.URL = s.p.URL
	page.Authors = append([]string(nil), s.p.Authors...)
	return []model.Update{model.StatusUpdate{At: env.Now(), Page: page}}, nil
}

// errNoSignal rejects an answer of a known shape that says nothing about the
// state (no indicator, components or incidents): showing it as "unknown"
// would hide that the page changed under us.
var errNoSignal = errors.New("the page reports no status, components or incidents")

// isRoot reports whether a page URL may be a page's root rather than the
// address of its summary: no path, or one not naming a JSON or feed file.
func isRoot(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	p := strings.ToLower(u.Path)
	for _, ext := range []string{".json", ".xml", ".rss", ".atom"} {
		if strings.HasSuffix(p, ext) {
			return false
		}
	}
	return true
}

// discoverable reports whether a failure of the root is worth looking
// behind: an answer that is not a page (HTML without page data) or a 404.
// Timeouts and server errors are the upstream's state, not a wrong address.
func discoverable(err error) bool {
	var he *feeds.HTTPError
	if errors.As(err, &he) {
		return he.Status == 404
	}
	return errors.Is(err, ErrUnrecognised)
}

// discover tries the known summary paths under the page's root, returning
// the first that answers a decodable page.
func (s *pageSource) discover(ctx context.Context, env feeds.Env) (string, feeds.Response, model.StatusPage, error) {
	root := strings.TrimRight(s.p.URL, "/")
	if u, err := url.Parse(s.p.URL); err == nil && (u.RawQuery != "" || u.Fragment != "") {
		u.RawQuery, u.Fragment = "", ""
		root = strings.TrimRight(u.String(), "/")
	}
	for _, p := range rootPaths {
		if ctx.Err() != nil {
			return "", feeds.Response{}, model.StatusPage{}, ctx.Err()
		}
		try := root + p
		resp, err := env.HTTP.Get(ctx, feeds.Request{URL: try})
		if err != nil || resp.NotModified {
			continue
		}
		if page, err := Decode(resp.Body); err == nil {
			return try, resp, page, nil
		}
	}
	return "", feeds.Response{}, model.StatusPage{}, ErrUnknownPageType
}
