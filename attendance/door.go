package attendance

import (
	"context"
	"fmt"
	"time"

	"taphuan/courses"

	"github.com/jmoiron/sqlx"
)

// SourceDoor marks a check-in made together with confirming the place at the door (a
// waitlisted or pending trainee admitted, or a walk-in registered on the spot).
const SourceDoor = "door"

// NotConfirmedError is a check-in refused because the place is not confirmed. It names the
// person, so that the door can say who it is and offer to admit them. It unwraps to
// ErrNotConfirmed (409).
type NotConfirmedError struct {
	RegistrationID   int64
	FullName         string
	Organization     string
	Status           string
	WaitlistPosition *int
}

func (e *NotConfirmedError) Error() string {
	return fmt.Sprintf("attendance: registration %d (%s) is %s", e.RegistrationID, e.FullName, e.Status)
}

// Unwrap gives the coded error.
func (e *NotConfirmedError) Unwrap() error { return ErrNotConfirmed }

// DoorInput admits a waitlisted or pending trainee at the door of a session: their place is
// confirmed and they are marked present, in one transaction. Override (organizers only, the
// server decides) lets them in beyond the capacity or the unit's quota.
type DoorInput struct {
	SessionID      int64
	RegistrationID int64
	Override       bool
	UserID         int64
}

// AdmitAtDoor confirms and checks in, in one transaction; both moves are logged (the
// registration's history with reason auto:door, the attendance log with source door).
// Returns ErrNotFound for an unknown session or a registration of another course, the
// errors of courses.AdmitAtDoorTx (no seat, not waitlisted or pending) and ErrLocked.
func (s *Service) AdmitAtDoor(ctx context.Context, in DoorInput) (*CheckInResult, error) {
	return s.atDoor(ctx, "door", in.SessionID, in.UserID, func(tx *sqlx.Tx, sess *courses.Session) (*courses.Registration, error) {
		reg, err := s.courses.AdmitAtDoorTx(ctx, tx, courses.DoorInput{CourseID: sess.CourseID, RegistrationID: in.RegistrationID,
			Override: in.Override, UserID: in.UserID})
		return reg, notFound(err)
	})
}

// WalkInInput registers someone who arrives without a registration and checks them in.
type WalkInInput struct {
	SessionID int64
	Person    courses.RegisterInput // CourseID and Source are set from the session
	Override  bool
	UserID    int64
}

// WalkIn registers a walk-in, confirmed, and marks them present, in one transaction.
// Returns an invalid error for bad personal data (nothing written), a
// *courses.DuplicateError when the phone is registered in the course already (admit that
// registration instead), ErrCourseFull or ErrQuotaFull without override, and ErrLocked.
func (s *Service) WalkIn(ctx context.Context, in WalkInInput) (*CheckInResult, error) {
	return s.atDoor(ctx, "walk-in", in.SessionID, in.UserID, func(tx *sqlx.Tx, sess *courses.Session) (*courses.Registration, error) {
		p := in.Person
		p.CourseID, p.Source, p.UserID = sess.CourseID, courses.SourceDoor, in.UserID
		return s.courses.WalkInTx(ctx, tx, p, in.Override)
	})
}

// atDoor runs place (which confirms or registers the trainee through courses) and marks the
// trainee present at session sessionID (source door), in one write transaction. what names
// the action in errors.
func (s *Service) atDoor(ctx context.Context, what string, sessionID, userID int64,
	place func(*sqlx.Tx, *courses.Session) (*courses.Registration, error)) (*CheckInResult, error) {
	sess, err := s.courses.FindSessionByID(ctx, sessionID)
	if err != nil {
		return nil, notFound(err)
	}
	role, err := s.roleOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("attendance: %s: %w", what, err)
	}
	defer tx.Rollback()
	reg, err := place(tx, sess)
	if err != nil {
		return nil, err
	}
	if _, err := setMarkTx(ctx, tx, MarkInput{SessionID: sess.ID, RegistrationID: reg.ID, Status: Present,
		Source: SourceDoor, UserID: userID}, role, time.Now()); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("attendance: %s: %w", what, err)
	}
	return &CheckInResult{RegistrationID: reg.ID, FullName: reg.FullName, Organization: reg.Organization, Status: Present}, nil
}
