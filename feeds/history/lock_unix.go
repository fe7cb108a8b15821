//go:build unix

package history

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on path, so that one tokentape
// writes a history file and others open it read-only. ok is false when
// another process holds it. The lock dies with the process, so a killed
// tokentape never leaves a stale lock.
func lockFile(path string) (unlock func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close() //nolint:errcheck // nothing written
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() { f.Close() }, true, nil //nolint:errcheck // closing releases the lock
}
