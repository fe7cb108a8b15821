package feeds

import (
	"context"
	"testing"
	"time"
)

// TestSleep: the whole wait passes on a live context, and a context that
// has ended or ends during the wait cuts it short.
func TestSleep(t *testing.T) {
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    func() (context.Context, context.CancelFunc)
		d      time.Duration
		passed bool
	}{
		{"live context, short wait", func() (context.Context, context.CancelFunc) { return context.Background(), func() {} }, time.Millisecond, true},
		{"live context, no wait", func() (context.Context, context.CancelFunc) { return context.Background(), func() {} }, 0, true},
		{"ended before", func() (context.Context, context.CancelFunc) { return ended, func() {} }, time.Hour, false},
		{"ends during", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 10*time.Millisecond)
		}, time.Hour, false},
	}
	for _, tt := range tests {
		ctx, cancel := tt.ctx()
		if got := Sleep(ctx, tt.d); got != tt.passed {
			t.Errorf("%s: Sleep = %v, want %v", tt.name, got, tt.passed)
		}
		cancel()
	}
}
