package courses

import (
	"context"
	"fmt"
	"strings"
	"time"

	"taphuan/database"

	"github.com/jmoiron/sqlx"
)

// DaySession is a session on a staff member's day: with its course, for the home page.
type DaySession struct {
	Session
	CourseTitle string `db:"course_title"`
	Venue       string `db:"venue"`
	Confirmed   int    `db:"confirmed"`
}

// RunningAt reports whether the session is under way at now.
func (d *DaySession) RunningAt(now time.Time) bool {
	return !now.Before(d.StartsAt.Time) && now.Before(d.EndsAt.Time)
}

// SessionsBetween returns the sessions that overlap [from, to) of the courses f scopes
// (its organizations; drafts and cancelled courses left out), soonest first.
func (s *Service) SessionsBetween(ctx context.Context, f CourseFilter, from, to time.Time) ([]DaySession, error) {
	where := []string{"s.ends_at > ?", "s.starts_at < ?", "c.status NOT IN (?, ?)"}
	args := []any{database.FormatTime(from), database.FormatTime(to), StatusDraft, StatusCancelled}
	if !f.AllOrganizations {
		if len(f.OrgIDs) == 0 {
			return []DaySession{}, nil
		}
		where = append(where, "c.organization_id IN (?)")
		args = append(args, f.OrgIDs)
	}
	query, args, err := sqlx.In(`SELECT `+SessionColumns+`, c.title AS course_title, c.venue,
			c.confirmed_count AS confirmed
		FROM sessions s JOIN courses c ON c.id = s.course_id LEFT JOIN modules m ON m.id = s.module_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY s.starts_at, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("courses: sessions between %v and %v: %w", from, to, err)
	}
	out := []DaySession{}
	if err := s.db.R.SelectContext(ctx, &out, query, args...); err != nil {
		return nil, fmt.Errorf("courses: sessions between %v and %v: %w", from, to, err)
	}
	return out, nil
}
