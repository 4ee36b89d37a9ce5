package courses

import (
	"context"
	"fmt"
)

// CountByStatus returns how many registrations of the course are in each status (statuses
// without any are absent).
func (s *Service) CountByStatus(ctx context.Context, courseID int64) (map[string]int, error) {
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := s.db.R.SelectContext(ctx, &rows, `SELECT status, COUNT(*) AS n FROM registrations
		WHERE course_id = ? GROUP BY status`, courseID); err != nil {
		return nil, fmt.Errorf("courses: counts of course %d: %w", courseID, err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}
