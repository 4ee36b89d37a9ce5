package limits_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"taphuan/database/dbtest"
	"taphuan/limits"
)

// TestConcurrentHitsCountEveryAttempt: 60 goroutines hit a rule of 10 at once; exactly 10
// are allowed (no read-then-write race), and the counter holds 60.
func TestConcurrentHitsCountEveryAttempt(t *testing.T) {
	db := dbtest.New(t)
	l := limits.New(db, nil)
	rule := limits.Rule{Bucket: "test", Max: 10, Window: time.Hour}
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 60 {
		wg.Go(func() {
			d, err := l.Hit(context.Background(), rule, "10.0.0.1")
			if err != nil {
				t.Error(err)
				return
			}
			if d.Allowed {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 10 {
		t.Errorf("%d attempts allowed, want 10", allowed.Load())
	}
	if n, _ := l.Count(context.Background(), rule, "10.0.0.1"); n != 60 {
		t.Errorf("counter %d, want 60", n)
	}
	// Another key is counted apart.
	if d, _ := l.Hit(context.Background(), rule, "10.0.0.2"); !d.Allowed || d.Count != 1 {
		t.Errorf("another key: %+v", d)
	}
}

// TestWindowResetsAndRefund: the count starts again in the next window; a refunded attempt
// does not count; Check answers ErrLimited with the seconds to wait.
func TestWindowResetsAndRefund(t *testing.T) {
	db := dbtest.New(t)
	now := time.Unix(1_700_000_000, 0)
	l := limits.New(db, func() time.Time { return now })
	ctx := context.Background()
	rule := limits.Rule{Bucket: "w", Max: 2, Window: time.Minute}
	for i := range 2 {
		if err := l.Check(ctx, rule, "k"); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	err := l.Check(ctx, rule, "k")
	var wait int
	if !errors.Is(err, limits.ErrLimited) {
		t.Fatalf("third attempt: %v, want ErrLimited", err)
	}
	if d, _ := l.Hit(ctx, rule, "k"); d.Allowed || d.RetryAfter <= 0 || d.RetryAfter > time.Minute {
		t.Errorf("over the limit: %+v", d)
	} else {
		wait = int(d.RetryAfter.Seconds())
	}
	// Just past the window's end the window before still counts (it slides): refused.
	now = now.Add(time.Duration(wait) * time.Second)
	if err := l.Check(ctx, rule, "k"); !errors.Is(err, limits.ErrLimited) {
		t.Errorf("just after the window: %v, want still limited (the count slides)", err)
	}
	// A whole window later it is free again.
	now = now.Add(time.Minute)
	if err := l.Check(ctx, rule, "k"); err != nil {
		t.Errorf("a window later: %v", err)
	}
	if err := l.Refund(ctx, rule, "k"); err != nil {
		t.Fatal(err)
	}
	if n, _ := l.Count(ctx, rule, "k"); n != 0 {
		t.Errorf("after a refund: %d, want 0", n)
	}
	if err := l.Reset(ctx, "w", "k"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(48 * time.Hour)
	if err := l.Check(ctx, rule, "k2"); err != nil {
		t.Fatal(err)
	}
	if err := l.Sweep(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
}
