package corpus

import (
	"fmt"
	"testing"
	"time"

	"github.com/healthi18n/healthi18n/internal/cache"
)

// EachStatMode runs f as two subtests: with recorded stats never trusted
// (every file just written, so read and hashed again) and always trusted
// (as if every file were old), the two paths a cache takes to know a file.
func EachStatMode(t *testing.T, f func(t *testing.T)) {
	for _, trust := range []bool{false, true} {
		t.Run(fmt.Sprintf("trust-stats=%v", trust), func(t *testing.T) {
			if trust {
				old := cache.RacyWindow
				cache.RacyWindow = -time.Hour
				t.Cleanup(func() { cache.RacyWindow = old })
			}
			f(t)
		})
	}
}
