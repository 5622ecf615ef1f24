package project

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/healthi18n/healthi18n/internal/config"
)

// LockFile is the lock that keeps two runs from interleaving, beside the
// configuration file.
const LockFile = ".healthi18n.lock"

// LockWait is how long a run waits for another to finish.
var LockWait = 30 * time.Second

// Lock takes the project lock: exclusive for runs that write (split,
// accept, export, build), shared for runs that only read (check, status),
// so that a reader never sees one file of a sync and not the next. It waits
// up to LockWait, calling waiting once if it has to wait, and returns the
// function that releases the lock.
func Lock(cfg *config.Config, exclusive bool, waiting func(path string)) (func(), error) {
	path := filepath.Join(cfg.Dir, LockFile)
	fl := flock.New(path)
	try := fl.TryRLock
	if exclusive {
		try = fl.TryLock
	}
	ok, err := try()
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if !ok {
		if waiting != nil {
			waiting(path)
		}
		ctx, cancel := context.WithTimeout(context.Background(), LockWait)
		defer cancel()
		lockCtx := fl.TryRLockContext
		if exclusive {
			lockCtx = fl.TryLockContext
		}
		ok, err = lockCtx(ctx, 50*time.Millisecond)
		if !ok || err != nil {
			return nil, fmt.Errorf("another healthi18n run holds %s; gave up after %s", path, LockWait)
		}
	}
	return func() { _ = fl.Unlock() }, nil
}
