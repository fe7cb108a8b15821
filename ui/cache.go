package ui

import (
	"time"

	"github.com/tokentape/tokentape/model"
)

// snapKey identifies a snapshot's content for the caches. The market's
// version changes whenever the content does (a snapshot that only carries a
// fresher clock keeps it); the as-of time, source and size guard against a
// restarted market reusing a version number.
type snapKey struct {
	ok      bool
	version uint64
	asOf    time.Time
	source  string
	n       int
}

func keyOf(s *model.Snapshot) snapKey {
	if s == nil {
		return snapKey{}
	}
	return snapKey{true, s.Version, s.AsOf, s.Source, len(s.Listings)}
}

// rowsKey is what a list tab's filtered, sorted rows depend on.
type rowsKey struct {
	snap   snapKey
	sort   int
	origin int
	filter string
}

// frameKey is everything a tab's rendered body depends on: the snapshot,
// the body size and the tab's own view state S (selection, sort, filters,
// focused fields, the workload...). A tab puts every input of its frame in
// S, so that nothing has to remember to invalidate the cache.
type frameKey[S comparable] struct {
	snap  snapKey
	w, h  int
	stale staleGroups // which sources' figures are marked stale
	state S
}

// frameCache keeps a tab's last rendered body, so that View costs a
// comparison until an input of the frame changes.
type frameCache[S comparable] struct {
	key   frameKey[S]
	frame string
}

// get returns the cached body for k, rendering (and padding to w×h) only
// when k differs from the key it was rendered for.
func (c *frameCache[S]) get(k frameKey[S], render func() string) string {
	return c.getFitted(k, func() string { return block(render(), k.w, k.h, true) })
}

// getFitted is get for a render that cuts and pads its body to w×h itself
// (see body): the cache keeps it without a second pass over every line.
func (c *frameCache[S]) getFitted(k frameKey[S], render func() string) string {
	if k != c.key || c.frame == "" {
		c.key = k
		c.frame = render()
	}
	return c.frame
}
