//go:build !unix

package feeds

import "time"

// processCPU is unknown here; CPU tests skip.
func processCPU() time.Duration { return -1 }
