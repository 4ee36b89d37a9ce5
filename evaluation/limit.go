package evaluation

import (
	"context"
	"fmt"
	"time"

	"taphuan/database"
)

// Allow counts one hit of bucket in the current fixed window and reports ErrThrottled once
// more than max hits fell in it. It lives in the database, so it holds across processes
// and restarts. This is the survey's own small limiter, a seam: the server calls it only
// through Server.evaluationLimit, which the generic limiter can replace.
func (s *Service) Allow(ctx context.Context, bucket string, max int, window time.Duration) error {
	now := s.now().UTC()
	start := now.Truncate(window)
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("evaluation: limit: %w", err)
	}
	defer tx.Rollback()
	var hits int
	err = tx.GetContext(ctx, &hits, `INSERT INTO evaluation_limits (bucket, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits`,
		bucket, database.FormatTime(start))
	if err != nil {
		return fmt.Errorf("evaluation: limit: %w", err)
	}
	// Old windows are of no use; dropping them here keeps the table small.
	if _, err := tx.ExecContext(ctx, `DELETE FROM evaluation_limits WHERE window_start < ?`,
		database.FormatTime(start.Add(-24*time.Hour))); err != nil {
		return fmt.Errorf("evaluation: limit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("evaluation: limit: %w", err)
	}
	if hits > max {
		return ErrThrottled
	}
	return nil
}
