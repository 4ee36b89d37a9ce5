package courses

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Listener is told of the changes that trainees must hear about, inside the write
// transaction that makes them, so that what it writes (the notify outbox) commits or rolls
// back with the change itself. An error from it rolls the change back.
type Listener interface {
	RegistrationChanged(ctx context.Context, tx *sqlx.Tx, ch RegistrationChange) error
	SessionChanged(ctx context.Context, tx *sqlx.Tx, ch SessionChange) error
}

// RegistrationChange is one move of a registration (From is "" for a new one).
type RegistrationChange struct {
	RegistrationID int64
	CourseID       int64
	From, To       string
	Reason         string
	Email          string // the trainee's address now ("" when none was given)
	Lang           string // the language the trainee registered in; new registrations only
	ByTrainee      bool   // the trainee made the change (self cancel), not an organizer

	emailKnown bool // Email is the address as stored (a new registration's): tell needs no look-up
}

// SessionChange is a change of a session's time or room, with who was registered then.
type SessionChange struct {
	CourseID   int64
	Old, New   Session
	Recipients []Recipient
}

// Recipient is a registration that hears about a change of its course.
type Recipient struct {
	RegistrationID int64  `db:"id"`
	Email          string `db:"email"`
}

// SetListener installs l (nil: nobody listens). Call it once, before serving.
func (s *Service) SetListener(l Listener) { s.listener = l }

// registrar is newRegistrar with the service's listener.
func (s *Service) registrar(ctx context.Context, tx *sqlx.Tx, courseID int64) (*registrar, error) {
	r, err := newRegistrar(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	r.listener = s.listener
	return r, nil
}

// tell passes a change to the listener, looking up the address when the caller does not
// have it at hand.
func (r *registrar) tell(ctx context.Context, ch RegistrationChange) error {
	if r.listener == nil {
		return nil
	}
	ch.CourseID = r.course.ID
	if ch.Email == "" && !ch.emailKnown {
		if err := r.tx.GetContext(ctx, &ch.Email, `SELECT email FROM registrations WHERE id = ?`, ch.RegistrationID); err != nil {
			return fmt.Errorf("courses: address of registration %d: %w", ch.RegistrationID, err)
		}
	}
	return r.listener.RegistrationChanged(ctx, r.tx, ch)
}

// tellSessionChanged tells the listener that session old became new, when its time or
// room changed and people are registered (confirmed or waiting) in its course.
func (s *Service) tellSessionChanged(ctx context.Context, tx *sqlx.Tx, old, new Session) error {
	if s.listener == nil || (old.StartsAt.Equal(new.StartsAt.Time) && old.EndsAt.Equal(new.EndsAt.Time) && old.Room == new.Room) {
		return nil
	}
	ch := SessionChange{CourseID: old.CourseID, Old: old, New: new}
	if err := tx.SelectContext(ctx, &ch.Recipients, `SELECT id, email FROM registrations
		WHERE course_id = ? AND status IN ('confirmed', 'waitlisted') AND email <> '' ORDER BY id`, old.CourseID); err != nil {
		return fmt.Errorf("courses: registrations of course %d: %w", old.CourseID, err)
	}
	if len(ch.Recipients) == 0 {
		return nil
	}
	return s.listener.SessionChanged(ctx, tx, ch)
}

// ConfirmedRecipients lists the confirmed registrations of a course that have an address
// (for a reminder or an organizer's message).
func (s *Service) ConfirmedRecipients(ctx context.Context, courseID int64) ([]Recipient, error) {
	out := []Recipient{}
	if err := s.db.R.SelectContext(ctx, &out, `SELECT id, email FROM registrations
		WHERE course_id = ? AND status = 'confirmed' AND email <> '' ORDER BY id`, courseID); err != nil {
		return nil, fmt.Errorf("courses: registrations of course %d: %w", courseID, err)
	}
	return out, nil
}

// FindRegistrationsByPhoneBirth returns the active registrations (confirmed, waitlisted,
// pending) of a course with this phone and birth date (both normalized as at registration),
// for ticket recovery.
func (s *Service) FindRegistrationsByPhoneBirth(ctx context.Context, courseID int64, phone, birthDate string) ([]Registration, error) {
	in := RegisterInput{Phone: phone, BirthDate: birthDate}
	in.Normalize()
	out := []Registration{}
	if in.Phone == "" || in.BirthDate == "" {
		return out, nil
	}
	err := s.db.R.SelectContext(ctx, &out, `SELECT `+RegistrationColumns+` FROM registrations r
		WHERE r.course_id = ? AND r.phone = ? AND r.birth_date = ? AND r.status IN ('confirmed', 'waitlisted', 'pending')`,
		courseID, in.Phone, in.BirthDate)
	if err != nil {
		return nil, fmt.Errorf("courses: registrations by phone in course %d: %w", courseID, err)
	}
	return out, nil
}
