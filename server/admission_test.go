package server

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestWritersAdmittedFewAtATime: requests that change data run at most db.Writers() at once
// (the rest queue in arrival order), while reads are never held up by them.
func TestWritersAdmittedFewAtATime(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	maxWriters := int32(a.db.Writers())
	release := make(chan struct{})
	var inFlight, most atomic.Int32
	a.srv.engine.POST("/test/slow-write", func(c *gin.Context) {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		inFlight.Add(-1)
		c.Status(http.StatusNoContent)
	})
	var wg sync.WaitGroup
	for range 3 * maxWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(a.ts.URL+"/test/slow-write", "text/plain", nil)
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for inFlight.Load() < maxWriters && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// Every writer slot is taken: a read still answers at once.
	if resp, _ := a.get(http.DefaultClient, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("a read while writers wait: %d", resp.StatusCode)
	}
	time.Sleep(50 * time.Millisecond) // let any request that could slip past the limit do so
	if got := inFlight.Load(); got != maxWriters {
		t.Errorf("%d writes in flight, want %d", got, maxWriters)
	}
	close(release)
	wg.Wait()
	if got := most.Load(); got != maxWriters {
		t.Errorf("at most %d writes ran at once, want %d", got, maxWriters)
	}
}
