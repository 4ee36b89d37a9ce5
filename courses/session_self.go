package courses

import (
	"context"
	"fmt"
	"time"

	"taphuan/database"
)

// HasStarted reports whether the first session of the course has begun (a trainee may no
// longer cancel then).
func (s *Service) HasStarted(ctx context.Context, courseID int64) (bool, error) {
	return courseStarted(ctx, s.db.R, courseID, time.Now())
}

// courseStarted reports whether the first session of the course has begun at now.
func courseStarted(ctx context.Context, q sqlxQuerier, courseID int64, now time.Time) (bool, error) {
	var n int
	err := q.GetContext(ctx, &n, `SELECT COUNT(*) FROM sessions WHERE course_id = ? AND starts_at <= ?`,
		courseID, database.FormatTime(now))
	if err != nil {
		return false, fmt.Errorf("courses: sessions of course %d: %w", courseID, err)
	}
	return n > 0, nil
}

// SelfPhoneAllowed reports whether the self check-in of a session takes a phone number in
// place of the ticket code (the organizer's choice; by default it does not: a phone number
// is easy to know of someone else). ErrNotFound for an unknown session.
func (s *Service) SelfPhoneAllowed(ctx context.Context, sessionID int64) (bool, error) {
	var v []bool
	if err := s.db.R.SelectContext(ctx, &v, `SELECT self_phone_allowed FROM sessions WHERE id = ?`, sessionID); err != nil {
		return false, fmt.Errorf("courses: session %d: %w", sessionID, err)
	}
	if len(v) == 0 {
		return false, fmt.Errorf("courses: session %d: %w", sessionID, ErrNotFound)
	}
	return v[0], nil
}

// SetSelfPhoneAllowed sets whether the session's self check-in takes phone numbers.
func (s *Service) SetSelfPhoneAllowed(ctx context.Context, sessionID int64, allowed bool) error {
	res, err := s.db.W.ExecContext(ctx, `UPDATE sessions SET self_phone_allowed = ? WHERE id = ?`, allowed, sessionID)
	if err != nil {
		return fmt.Errorf("courses: session %d: %w", sessionID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("courses: session %d: %w", sessionID, ErrNotFound)
	}
	return nil
}

// CheckinSecret returns the secret that seeds session id's rotating self check-in code
// (attendance turns it into the code); ErrNotFound for an unknown session. This package is
// the only writer of the secret: insertSession gives every new session one, migration
// 00019 gave one to the sessions planned before self check-in existed, and a row written
// around the service without one gets it here, once (of two first readers at the same
// time, the UPDATE that lands first wins and both read it back).
func (s *Service) CheckinSecret(ctx context.Context, id int64) (string, error) {
	secret, err := checkinSecret(ctx, s.db.R, id)
	if err != nil || secret != "" {
		return secret, err
	}
	if _, err := s.db.W.ExecContext(ctx, `UPDATE sessions SET checkin_secret = ? WHERE id = ? AND checkin_secret = ''`,
		newSecret(), id); err != nil {
		return "", fmt.Errorf("courses: session %d secret: %w", id, err)
	}
	return checkinSecret(ctx, s.db.W, id)
}

func checkinSecret(ctx context.Context, q sqlxQuerier, id int64) (string, error) {
	var secret string
	err := q.GetContext(ctx, &secret, `SELECT checkin_secret FROM sessions WHERE id = ?`, id)
	if isNoRows(err) {
		return "", fmt.Errorf("courses: session %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("courses: session %d: %w", id, err)
	}
	return secret, nil
}
