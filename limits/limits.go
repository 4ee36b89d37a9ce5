// Package limits owns the rate limits: counters kept in the database (table rate_limits),
// one per bucket (what is limited: "login", "register", "self"…) and key (who or what it is
// counted for: an address, a course, a ticket), in windows that slide: the count of the
// window before is weighted in by how much of it the sliding window still covers, so a
// burst across a window's boundary is not let through twice. Every attempt is counted
// by one INSERT … ON CONFLICT DO UPDATE … RETURNING statement, so there is no read-then-write
// race: with SQLite's single writer as with PostgreSQL, and with several server instances,
// the n-th concurrent attempt sees n. An attempt that turns out harmless (a right password,
// a valid code) may be given back with Refund.
package limits

import (
	"context"
	"errors"
	"fmt"
	"time"

	"taphuan/database"
	"taphuan/errs"
)

// ErrLimited is returned by Hit when a rule's count is exceeded (HTTP 429).
var ErrLimited = errs.New(errs.Throttled, "err.rate_limited")

// Rule is a limit: at most Max attempts per Window for each key of Bucket.
type Rule struct {
	Bucket string
	Max    int
	Window time.Duration
}

// Limiter counts attempts in the database.
type Limiter struct {
	db  *database.DB
	now func() time.Time
}

// New returns a Limiter over db that reads the clock with now (nil: time.Now).
func New(db *database.DB, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{db: db, now: now}
}

// Decision is the outcome of one counted attempt.
type Decision struct {
	Allowed    bool
	Count      int           // attempts in the current window, this one included
	RetryAfter time.Duration // when not allowed: until the window ends
}

// getter is a pool or a transaction.
type getter interface {
	GetContext(ctx context.Context, dest any, query string, args ...any) error
}

// Hit counts one attempt for key under rule and says whether it is within the limit.
func (l *Limiter) Hit(ctx context.Context, rule Rule, key string) (Decision, error) {
	return l.hit(ctx, l.db.W, rule, key)
}

func (l *Limiter) hit(ctx context.Context, q getter, rule Rule, key string) (Decision, error) {
	if rule.Max <= 0 || rule.Window <= 0 {
		return Decision{}, fmt.Errorf("limits: bad rule %+v", rule)
	}
	now := l.now().Unix()
	win := int64(rule.Window / time.Second)
	if win < 1 {
		win = 1
	}
	start := now - now%win // windows aligned on multiples of their length
	var d struct {
		Count int   `db:"count"`
		Prev  int   `db:"prev_count"`
		Start int64 `db:"window_start"`
	}
	// One statement: the same window adds one; the next window keeps the count as the
	// previous one and starts at 1; a later one starts afresh.
	err := q.GetContext(ctx, &d, `
		INSERT INTO rate_limits (bucket, key, window_start, count, prev_count) VALUES (?, ?, ?, 1, 0)
		ON CONFLICT (bucket, key) DO UPDATE SET
			prev_count = CASE WHEN rate_limits.window_start >= excluded.window_start THEN rate_limits.prev_count
				WHEN rate_limits.window_start = excluded.window_start - ? THEN rate_limits.count ELSE 0 END,
			count = CASE WHEN rate_limits.window_start >= excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
			window_start = CASE WHEN rate_limits.window_start >= excluded.window_start THEN rate_limits.window_start
				ELSE excluded.window_start END
		RETURNING count, prev_count, window_start`, rule.Bucket, key, start, win)
	if err != nil {
		return Decision{}, fmt.Errorf("limits: hit %s: %w", rule.Bucket, err)
	}
	// The part of the previous window the sliding window still covers.
	covered := 1 - float64(now-d.Start)/float64(win)
	estimate := d.Count + int(float64(d.Prev)*max(covered, 0))
	dec := Decision{Allowed: estimate <= rule.Max, Count: estimate}
	if !dec.Allowed {
		dec.RetryAfter = time.Duration(d.Start+win-now) * time.Second
	}
	return dec, nil
}

// Check counts one attempt and returns ErrLimited (with the seconds to wait as its
// argument) when it is over the limit.
func (l *Limiter) Check(ctx context.Context, rule Rule, key string) error {
	return l.check(ctx, l.db.W, rule, key)
}

func (l *Limiter) check(ctx context.Context, q getter, rule Rule, key string) error {
	d, err := l.hit(ctx, q, rule, key)
	if err != nil {
		return err
	}
	if !d.Allowed {
		return fmt.Errorf("limits: %s %q: %d > %d: %w", rule.Bucket, key, d.Count, rule.Max,
			ErrLimited.With(int(d.RetryAfter.Seconds())))
	}
	return nil
}

// CheckAll counts one attempt under each rule (the same key), in one transaction so that
// concurrent attempts are counted in the same order by every rule, and returns the first
// ErrLimited. Every rule is counted, so stacked rules (5 a minute, 20 an hour) give
// increasing delays.
func (l *Limiter) CheckAll(ctx context.Context, key string, rules ...Rule) error {
	tx, err := l.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("limits: %w", err)
	}
	defer tx.Rollback()
	var first error
	for _, r := range rules {
		err := l.check(ctx, tx, r, key)
		if err != nil && !errors.Is(err, ErrLimited) {
			return err
		}
		if err != nil && first == nil {
			first = err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("limits: %w", err)
	}
	return first
}

// Refund gives back one attempt of key under rule in the current window (the attempt was
// harmless: a right password, a valid code).
func (l *Limiter) Refund(ctx context.Context, rule Rule, key string) error {
	win := int64(rule.Window / time.Second)
	if win < 1 {
		win = 1
	}
	now := l.now().Unix()
	_, err := l.db.W.ExecContext(ctx, `UPDATE rate_limits SET count = count - 1
		WHERE bucket = ? AND key = ? AND window_start = ? AND count > 0`, rule.Bucket, key, now-now%win)
	if err != nil {
		return fmt.Errorf("limits: refund %s: %w", rule.Bucket, err)
	}
	return nil
}

// Reset forgets the count of key under bucket (e.g. after a successful login).
func (l *Limiter) Reset(ctx context.Context, bucket, key string) error {
	if _, err := l.db.W.ExecContext(ctx, `DELETE FROM rate_limits WHERE bucket = ? AND key = ?`, bucket, key); err != nil {
		return fmt.Errorf("limits: reset %s: %w", bucket, err)
	}
	return nil
}

// Count returns the attempts of key under rule in the current window.
func (l *Limiter) Count(ctx context.Context, rule Rule, key string) (int, error) {
	win := int64(rule.Window / time.Second)
	if win < 1 {
		win = 1
	}
	now := l.now().Unix()
	var n int
	err := l.db.R.GetContext(ctx, &n, `SELECT COALESCE(SUM(count), 0) FROM rate_limits
		WHERE bucket = ? AND key = ? AND window_start = ?`, rule.Bucket, key, now-now%win)
	if err != nil {
		return 0, fmt.Errorf("limits: count %s: %w", rule.Bucket, err)
	}
	return n, nil
}

// Sweep removes counters whose window ended before maxAge ago (run now and then).
func (l *Limiter) Sweep(ctx context.Context, maxAge time.Duration) error {
	_, err := l.db.W.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_start < ?`, l.now().Add(-maxAge).Unix())
	if err != nil {
		return fmt.Errorf("limits: sweep: %w", err)
	}
	return nil
}
