package openrouter

import (
	"slices"
	"testing"

	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

// communityOrUnplaced are the catalogue's authors left Unknown on purpose:
// the routers and community fine-tuners (whose home says nothing about whose
// model they tuned).
var communityOrUnplaced = []string{"openrouter", "thedrummer", "sao10k", "anthracite-org", "undi95", "gryphe", "mancer"}

// TestContractEveryCatalogueAuthorHasAnOrigin: in the real catalogue, every
// author but routers and community fine-tuners has an origin, so the
// share by origin does not hide real vendors under Unknown.
func TestContractEveryCatalogueAuthorHasAnOrigin(t *testing.T) {
	listings, _, err := DecodeCatalogue(feedtest.ReadTestdata(t, catalogueFile))
	if err != nil {
		t.Fatal(err)
	}
	tab := model.DefaultOrigins()
	unknown := map[string]int{}
	for _, l := range listings {
		a := model.AuthorOf(l.ID)
		if tab.Lookup(a) == model.OriginUnknown && !slices.Contains(communityOrUnplaced, a) {
			unknown[a]++
		}
	}
	if len(unknown) > 0 {
		t.Errorf("authors without an origin (listings each): %v", unknown)
	}
	for _, a := range communityOrUnplaced {
		if o := tab.Lookup(a); o != model.OriginUnknown {
			t.Errorf("%s is placed in %s; routers and community fine-tuners stay Unknown", a, o)
		}
	}
}
