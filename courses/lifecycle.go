package courses

import (
	"context"
	"fmt"
	"slices"
	"time"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// ErrReopenPast refuses to reopen registration that the calendar has closed: its window
// has ended or the first session has started.
var ErrReopenPast = errs.New(errs.Conflict, "courses.err.reopen_past")

// The calendar moves a course by itself: an open course closes its registration at the end
// of its window or when its first session starts, and a course that is open or closed is
// completed once its last session has ended. A course is settled — moved to its due status
// and stored so — whenever it is read (FindCourseByID, ListCourses) or written, so the
// public page, the API and the registration check always agree; no background job is
// needed.

// RegistrationEndsAt is when registration closes by itself: the window's end or the start
// of the first session, whichever comes first; with no session, the beginning of the first
// day (Vietnam time).
func (c *Course) RegistrationEndsAt() time.Time {
	end := c.FirstSessionAt.Time
	if end.IsZero() {
		d, _ := time.ParseInLocation("2006-01-02", c.StartsOn, vn.Location)
		end = d
	}
	if !c.RegistrationClosesAt.IsZero() && c.RegistrationClosesAt.Before(end) {
		end = c.RegistrationClosesAt.Time
	}
	return end
}

// FinishesAt is when the course is over: the end of its last session; with no session,
// the end of its last day (Vietnam time).
func (c *Course) FinishesAt() time.Time {
	if !c.LastSessionEndsAt.IsZero() {
		return c.LastSessionEndsAt.Time
	}
	d, _ := time.ParseInLocation("2006-01-02", c.EndsOn, vn.Location)
	return d.AddDate(0, 0, 1)
}

// DueStatus is the status the calendar gives the course at now. Drafts, cancelled and
// completed courses do not move by themselves.
func (c *Course) DueStatus(now time.Time) string {
	switch c.Status {
	case StatusOpen, StatusClosed:
		if !now.Before(c.FinishesAt()) {
			return StatusCompleted
		}
		if c.Status == StatusOpen && !now.Before(c.RegistrationEndsAt()) {
			return StatusClosed
		}
	}
	return c.Status
}

// NextStatusesAt lists the statuses an organizer may move the course to at now: those of
// the lifecycle, without reopening registration that the calendar has closed.
func (c *Course) NextStatusesAt(now time.Time) []string {
	next := NextStatuses(c.Status)
	if c.Status == StatusClosed && !now.Before(c.RegistrationEndsAt()) {
		next = slices.DeleteFunc(next, func(s string) bool { return s == StatusOpen })
	}
	return next
}

// settle stores c's due status when the calendar has moved it (only when the stored status
// is still what was read, so two settles never fight) and updates c.
func (s *Service) settle(ctx context.Context, c *Course) error {
	due := c.DueStatus(time.Now())
	if due == c.Status {
		return nil
	}
	_, err := s.db.W.ExecContext(ctx, `UPDATE courses SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
		due, database.Now(), c.ID, c.Status)
	if err != nil {
		return fmt.Errorf("courses: settle course %d: %w", c.ID, err)
	}
	c.Status = due
	return nil
}

// settleAll settles every course that the calendar has moved (before a list is filtered by
// status). Only open and closed courses can move; there are few of them at a time.
func (s *Service) settleAll(ctx context.Context) error {
	var live []Course
	err := s.db.R.SelectContext(ctx, &live, `SELECT `+CourseColumns+` FROM courses WHERE status IN (?, ?)`, StatusOpen, StatusClosed)
	if err != nil {
		return fmt.Errorf("courses: settle courses: %w", err)
	}
	for i := range live {
		if err := s.settle(ctx, &live[i]); err != nil {
			return err
		}
	}
	return nil
}

// Statuses returns the course statuses in lifecycle order (a fresh slice each call).
func Statuses() []string {
	return []string{StatusDraft, StatusOpen, StatusClosed, StatusCompleted, StatusCancelled}
}

// transitions lists, for each status, where a course may go next. Closing registration can
// be undone (closed → open); completed and cancelled are final.
var transitions = map[string][]string{
	StatusDraft:  {StatusOpen, StatusCancelled},
	StatusOpen:   {StatusClosed, StatusCancelled},
	StatusClosed: {StatusOpen, StatusCompleted, StatusCancelled},
}

// NextStatuses returns the statuses a course in status from may move to.
func NextStatuses(from string) []string { return slices.Clone(transitions[from]) }

// CanTransition reports whether a course may move from one status to another.
func CanTransition(from, to string) bool { return slices.Contains(transitions[from], to) }

// transitionError explains why a course cannot move to status to.
func transitionError(from, to string) error {
	return errs.New(errs.Conflict, "courses.err.to_"+to).Wrap(fmt.Errorf("courses: %s → %s", from, to))
}
