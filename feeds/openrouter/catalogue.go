package openrouter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// maxOverrides caps the conditional prices kept per listing; real listings
// have at most two.
const maxOverrides = 16

// rawListing is one element of GET /models "data", typed strictly: a member
// of the wrong type (a number for name, an object for pricing.prompt) fails
// the element and drops that listing alone.
type rawListing struct {
	ID            string          `json:"id"`
	CanonicalSlug *string         `json:"canonical_slug"`
	Name          *string         `json:"name"`
	Description   *string         `json:"description"`
	Created       *float64        `json:"created"`
	ContextLength *float64        `json:"context_length"`
	Expiration    *string         `json:"expiration_date"`
	AliasTarget   *rawAliasTarget `json:"alias_target"`
	Pricing       *rawPricing     `json:"pricing"`
	Benchmarks    json.RawMessage `json:"benchmarks"` // read by catalogueIndexes, never fatal
}

type rawAliasTarget struct {
	Slug string `json:"slug"`
}

type rawPricing struct {
	Prompt         *string       `json:"prompt"`
	Completion     *string       `json:"completion"`
	InputCacheRead *string       `json:"input_cache_read"`
	Overrides      []rawOverride `json:"overrides"`
}

type rawOverride struct {
	MinPromptTokens *float64 `json:"min_prompt_tokens"`
	UTCStart        *float64 `json:"utc_start"`
	UTCEnd          *float64 `json:"utc_end"`
	Prompt          *string  `json:"prompt"`
	Completion      *string  `json:"completion"`
	InputCacheRead  *string  `json:"input_cache_read"`
}

// DecodeCatalogue decodes a GET /models answer ({"data": [...]}) into
// listings, in the answer's order. Prices become USD per million tokens:
// "0" for both prompt and completion is PriceFree, "-1" PriceVariable, and a
// missing, unparsable, NaN, infinite or negative price PriceUnknown. A
// listing with a member of the wrong type, or without a usable id, is
// dropped and counted in dropped; a later listing with the same id replaces
// an earlier one (also counted). A body that is not JSON, or has no "data"
// array, is an error.
func DecodeCatalogue(body []byte) (listings []model.Listing, dropped int, err error) {
	listings, dropped, _, err = decodeCatalogue(body)
	return listings, dropped, err
}

// maxPriceWarnings caps the warnings one catalogue answer can add.
const maxPriceWarnings = 20

// decodeCatalogue is DecodeCatalogue that also says which prices it dropped
// as absurd (negative, not a number, above model.MaxPrice), so the user
// hears of them.
func decodeCatalogue(body []byte) (listings []model.Listing, dropped int, warnings []string, err error) {
	// Most answers are whole: one json.Unmarshal of the body, the cost of
	// the yardstick (BenchmarkUnmarshalCatalogue). Streaming every answer
	// cost the decoder's own scan on top, half again. When any listing
	// does not fit its struct, or the body is not JSON, the answer is read
	// again streamed, which drops such a listing alone and says what is
	// wrong with a broken body; both give the same (FuzzDecodeCatalogue).
	var whole struct {
		Data *[]rawListing `json:"data"`
	}
	if json.Unmarshal(body, &whole) != nil || whole.Data == nil {
		return streamCatalogue(body)
	}
	raws := *whole.Data
	c := catalogueBuilder{index: make(map[string]int, len(raws)), listings: make([]model.Listing, 0, len(raws))}
	for i := range raws {
		c.add(&raws[i])
	}
	return c.done()
}

// streamCatalogue is decodeCatalogue streaming the "data" array: a listing
// with a member of the wrong type is dropped alone.
func streamCatalogue(body []byte) (listings []model.Listing, dropped int, warnings []string, err error) {
	c := catalogueBuilder{index: make(map[string]int)}
	err = eachData(body, func(dec *json.Decoder) error {
		var r rawListing
		if err := dec.Decode(&r); err != nil {
			c.dropped++ // a member of the wrong type drops this listing alone
			return err
		}
		c.add(&r)
		return nil
	})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("catalogue: %w", err)
	}
	return c.done()
}

// catalogueBuilder collects the listings of one answer, the last of two
// with the same id in the first one's place, counting what it drops.
type catalogueBuilder struct {
	index    map[string]int
	listings []model.Listing
	dropped  int
	warnings []string
}

func (c *catalogueBuilder) add(r *rawListing) {
	l, warning, ok := decodeListing(r)
	if !ok {
		c.dropped++
		return
	}
	if warning != "" && len(c.warnings) < maxPriceWarnings {
		c.warnings = append(c.warnings, l.ID+": dropped "+warning)
	}
	if i, dup := c.index[l.ID]; dup {
		c.listings[i] = l // last wins, in the first one's place
		c.dropped++
		return
	}
	c.index[l.ID] = len(c.listings)
	c.listings = append(c.listings, l)
}

func (c *catalogueBuilder) done() ([]model.Listing, int, []string, error) {
	if c.listings == nil {
		c.listings = []model.Listing{}
	}
	return c.listings, c.dropped, c.warnings, nil
}

func decodeListing(r *rawListing) (l model.Listing, warning string, ok bool) {
	id, ok := cleanID(r.ID)
	if !ok {
		return model.Listing{}, "", false
	}
	l = model.Listing{ID: id, Author: model.AuthorOf(id)}
	if r.CanonicalSlug != nil {
		l.Slug, _ = cleanID(*r.CanonicalSlug)
	}
	if r.Name != nil {
		l.Name = sanitize.Name(*r.Name)
	}
	if r.Description != nil {
		l.Description = sanitize.Text(*r.Description)
	}
	if v := finite(r.ContextLength); v >= 1 && v <= math.MaxInt32 {
		l.ContextLength = int(v)
	}
	if v := finite(r.Created); v > 0 && v < 1e11 { // seconds, before year 5138
		l.Created = time.Unix(int64(v), 0).UTC()
	}
	if r.Expiration != nil {
		if t, err := time.Parse(time.DateOnly, strings.TrimSpace(*r.Expiration)); err == nil {
			l.Expires = t.UTC()
		}
	}
	if strings.HasPrefix(id, "~") && r.AliasTarget != nil {
		l.AliasOf, _ = cleanID(r.AliasTarget.Slug)
	}
	l.Price, l.Overrides, warning = decodePricing(r.Pricing)
	l.Indexes = catalogueIndexes(r.Benchmarks)
	return l, warning, true
}

// decodePricing turns the pricing object into a Price and its overrides. A
// price that is present but unusable (not a number, negative other than the
// "-1" variable marker, above model.MaxPrice) makes the price unknown, and
// warning says so.
func decodePricing(p *rawPricing) (price model.Price, overrides []model.PriceOverride, warning string) {
	unknown := model.Price{Kind: model.PriceUnknown, In: math.NaN(), Out: math.NaN(), CacheRead: math.NaN()}
	if p == nil || p.Prompt == nil || p.Completion == nil {
		return unknown, nil, ""
	}
	in, okIn := perMillion(*p.Prompt)
	out, okOut := perMillion(*p.Completion)
	if !okIn || !okOut {
		bad := *p.Prompt
		if okIn {
			bad = *p.Completion
		}
		return unknown, nil, fmt.Sprintf("price %q: not a number", sanitize.String(bad, 24))
	}
	const variable = -1e6 // "-1" USD per token
	switch {
	case in == variable || out == variable:
		return model.Price{Kind: model.PriceVariable, In: math.NaN(), Out: math.NaN(), CacheRead: math.NaN()}, nil, ""
	case !model.SanePrice(in) || !model.SanePrice(out):
		bad := in
		if model.SanePrice(in) {
			bad = out
		}
		return unknown, nil, "price " + strconv.FormatFloat(bad, 'g', 4, 64) + " $/M: outside 0 to 1,000,000 $/M"
	case in == 0 && out == 0:
		return model.Price{Kind: model.PriceFree, CacheRead: math.NaN()}, decodeOverrides(p.Overrides), ""
	}
	price = model.Price{Kind: model.PricePaid, In: in, Out: out, CacheRead: math.NaN()}
	if p.InputCacheRead != nil {
		if v, ok := perMillion(*p.InputCacheRead); ok && model.SanePrice(v) {
			price.CacheRead = v
		}
	}
	return price, decodeOverrides(p.Overrides), ""
}

// decodeOverrides keeps the overrides whose condition and prices are sound.
// An override with an unusable price is dropped whole rather than reading
// as "inherits", which would be a claim the upstream did not make.
func decodeOverrides(raws []rawOverride) []model.PriceOverride {
	var out []model.PriceOverride
	for _, r := range raws {
		if len(out) == maxOverrides {
			break
		}
		o := model.PriceOverride{UTCStart: -1, UTCEnd: -1}
		hasCond := false
		if r.MinPromptTokens != nil {
			v := finite(r.MinPromptTokens)
			if math.IsNaN(v) || v < 0 {
				continue
			}
			o.MinPromptTokens = v
			hasCond = true
		}
		if r.UTCStart != nil || r.UTCEnd != nil {
			start, ok1 := hhmm(r.UTCStart)
			end, ok2 := hhmm(r.UTCEnd)
			if !ok1 || !ok2 {
				continue
			}
			o.UTCStart, o.UTCEnd = start, end
			hasCond = true
		}
		if !hasCond {
			continue
		}
		var ok bool
		if o.In, ok = overridePrice(r.Prompt); !ok {
			continue
		}
		if o.Out, ok = overridePrice(r.Completion); !ok {
			continue
		}
		if o.CacheRead, ok = overridePrice(r.InputCacheRead); !ok {
			continue
		}
		out = append(out, o)
	}
	return out
}

// overridePrice reads an override's price: absent is NaN (inherits the base
// price, as the API documents); present must be a non-negative number.
func overridePrice(s *string) (float64, bool) {
	if s == nil {
		return math.NaN(), true
	}
	v, ok := perMillion(*s)
	if !ok || !model.SanePrice(v) {
		return 0, false
	}
	return v, true
}

// hhmm validates an HHMM clock number (0..2400, minutes below 60).
func hhmm(v *float64) (int, bool) {
	f := finite(v)
	if math.IsNaN(f) || f < 0 || f > 2400 || f != math.Trunc(f) {
		return 0, false
	}
	n := int(f)
	if n%100 >= 60 {
		return 0, false
	}
	return n, true
}

// DecodeRanking decodes a GET /models?sort=top-weekly answer into listing
// ids, most used first. Aliases ("~" ids) are left out: they repeat the
// listing they point at. Elements that do not decode are skipped.
func DecodeRanking(body []byte) ([]string, error) {
	list, err := dataList(body)
	if err != nil {
		return nil, fmt.Errorf("ranking: %w", err)
	}
	ids := make([]string, 0, len(list))
	seen := make(map[string]bool, len(list))
	for _, raw := range list {
		var r struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(raw, &r) != nil {
			continue
		}
		id, ok := cleanID(r.ID)
		if !ok || strings.HasPrefix(id, "~") || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return ids, nil
}

// errEmptyCatalogue keeps the last good catalogue when the upstream answers
// with an empty (or wholly undecodable) list.
var errEmptyCatalogue = errors.New("catalogue: no usable listings in the answer")

// catalogueSource polls GET /models.
type catalogueSource struct{ source }

// NewCatalogue returns the catalogue source ("catalogue", every 10 minutes).
// It sends no API key: the catalogue is public.
func NewCatalogue(cfg Config) feeds.Source {
	return &catalogueSource{newSource(cfg, "catalogue", CatalogueInterval)}
}

// Fetch reads the catalogue once.
func (s *catalogueSource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	return s.readUpdate(ctx, env, "/models", false, func(body []byte) (model.Update, error) {
		listings, _, warnings, err := decodeCatalogue(body)
		if err != nil {
			return nil, err
		}
		if len(listings) == 0 {
			return nil, errEmptyCatalogue
		}
		return model.CatalogueUpdate{At: env.Now(), Source: "catalogue", Listings: listings, Warnings: warnings}, nil
	})
}

// topWeeklySource polls GET /models?sort=top-weekly for an order without
// volumes, used when there is no API key.
type topWeeklySource struct{ source }

// NewTopWeekly returns the keyless popularity source ("ranking", every 10
// minutes) producing model.RankingUpdate.
func NewTopWeekly(cfg Config) feeds.Source {
	return &topWeeklySource{newSource(cfg, "ranking", RankingInterval)}
}

// Fetch reads the weekly order once.
func (s *topWeeklySource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	return s.readUpdate(ctx, env, "/models?sort=top-weekly", false, func(body []byte) (model.Update, error) {
		ids, err := DecodeRanking(body)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return nil, errors.New("ranking: no listings in the answer")
		}
		return model.RankingUpdate{At: env.Now(), Source: "ranking", IDs: ids}, nil
	})
}
