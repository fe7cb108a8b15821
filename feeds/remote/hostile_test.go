package remote

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/tokentape/tokentape/model"
)

// A server's strings are sanitised like a feed's: a hostile server (or one
// reached over plain http and tampered with) sent escape sequences and bidi
// overrides straight to the viewer's terminal before.
func TestHostileServerStringsAreSanitised(t *testing.T) {
	evil := model.Listing{ID: "a/b", Name: "Evil\x1b]0;pwned\x07\x1b[2J\u202e name", Price: model.Price{Kind: model.PriceFree}}
	data, err := encodeBatch(t0, []model.Update{
		model.CatalogueUpdate{At: t0, Source: "catalogue", Listings: []model.Listing{evil}},
		model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", LastError: "bad\r\x1b[31mred"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []model.Update
	decodeStream(bufio.NewReader(bytes.NewReader(data)), 1<<16, func() {}, func(b []model.Update) { got = append(got, b...) })
	if len(got) != 2 {
		t.Fatalf("%d updates", len(got))
	}
	name := got[0].(model.CatalogueUpdate).Listings[0].Name
	msg := got[1].(model.SourceUpdate).Health.LastError
	for _, s := range []string{name, msg} {
		if strings.ContainsAny(s, "\x1b\x07\r\u202e") {
			t.Errorf("%q reached the market raw", s)
		}
	}
	if name != "Evil name" {
		t.Errorf("name %q, want \"Evil name\"", name)
	}
}
