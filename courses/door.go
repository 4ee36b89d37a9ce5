package courses

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// At the door of a session, staff admit people the roster does not hold as confirmed:
// someone waitlisted or pending who came anyway, or a walk-in who never registered. Both
// run inside the caller's write transaction (the attendance package marks them present in
// the same one), and both are written to the registration's history with the user.

// SourceDoor marks a registration written at the door of a session.
const SourceDoor = "door"

// Reasons of the door's moves (translated by the web layer like the other "auto:" ones).
const (
	ReasonDoor   = "auto:door"   // confirmed at the door
	ReasonWalkIn = "auto:walkin" // registered at the door
)

// DoorInput admits a registration of CourseID at the door. Override lets the seat be taken
// beyond the capacity or the unit's quota: the caller grants it to organizers only.
type DoorInput struct {
	CourseID       int64
	RegistrationID int64
	Override       bool
	UserID         int64
}

// doorSeat makes room for one more when override allows it: in the transaction's memory
// only (the course keeps its capacity), so the registrar's seat check lets this one in.
func (r *registrar) doorSeat(unit int64, unitName string, override bool) error {
	if r.seatFor(unit) {
		return nil
	}
	if !override {
		return r.seatError(unit, unitName)
	}
	r.course.Capacity = max(r.course.Capacity, r.confirmed+1)
	delete(r.quotas, unit)
	return nil
}

// doorOpen refuses a course that is not taking place (draft or cancelled).
func (r *registrar) doorOpen() error {
	if r.course.Status == StatusDraft || r.course.Status == StatusCancelled {
		return fmt.Errorf("courses: course %d is %s: %w", r.course.ID, r.course.Status, ErrRegistrationClosed)
	}
	return nil
}

// AdmitAtDoorTx confirms a waitlisted or pending registration inside tx, for someone who
// is at the door. Returns ErrNotFound when it is not a registration of in.CourseID,
// ErrBadTransition unless it is waitlisted or pending, ErrCourseFull or ErrQuotaFull when
// no seat is free and in.Override is false, ErrRegistrationClosed for a draft or cancelled
// course.
func (s *Service) AdmitAtDoorTx(ctx context.Context, tx *sqlx.Tx, in DoorInput) (*Registration, error) {
	cur, err := loadState(ctx, tx, "id = ?", in.RegistrationID)
	if err != nil {
		return nil, err
	}
	if cur.CourseID != in.CourseID {
		return nil, fmt.Errorf("courses: registration %d is not of course %d: %w", cur.ID, in.CourseID, ErrNotFound)
	}
	if cur.Status != RegWaitlisted && cur.Status != RegPending {
		return nil, fmt.Errorf("courses: registration %d is %s: %w", cur.ID, cur.Status, ErrBadTransition)
	}
	r, err := s.registrar(ctx, tx, in.CourseID)
	if err != nil {
		return nil, err
	}
	if err := r.doorOpen(); err != nil {
		return nil, err
	}
	if err := r.doorSeat(cur.Unit, cur.Organization, in.Override); err != nil {
		return nil, fmt.Errorf("courses: registration %d at the door: %w", cur.ID, err)
	}
	if err := r.setStatus(ctx, cur, RegConfirmed, ReasonDoor, in.UserID); err != nil {
		return nil, err
	}
	return r.find(ctx, cur.ID)
}

// WalkInTx registers someone who arrives without a registration, confirmed, inside tx
// (normalized and validated first; the course's window and approval mode do not apply at
// the door). Returns the errors of Register except ErrRegistrationClosed for a course that
// merely stopped taking registrations, and ErrCourseFull or ErrQuotaFull when no seat is
// free and override is false.
func (s *Service) WalkInTx(ctx context.Context, tx *sqlx.Tx, in RegisterInput, override bool) (*Registration, error) {
	in.Normalize()
	if in.Source == SourceAPI || in.Source == "" {
		in.Source = SourceDoor
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	r, err := s.registrar(ctx, tx, in.CourseID)
	if err != nil {
		return nil, err
	}
	if err := r.doorOpen(); err != nil {
		return nil, err
	}
	unit, err := r.resolveUnit(ctx, &in)
	if err != nil {
		return nil, err
	}
	if err := r.doorSeat(unit, in.Organization, override); err != nil {
		return nil, fmt.Errorf("courses: walk-in at the door: %w", err)
	}
	id, err := r.register(ctx, &in, false)
	if err != nil {
		return nil, err
	}
	reg, err := r.find(ctx, id)
	if err != nil {
		return nil, err
	}
	if reg.Status != RegConfirmed {
		return nil, fmt.Errorf("courses: walk-in %d is %s: %w", id, reg.Status, ErrCourseFull.With(r.course.Capacity))
	}
	// The history says it happened at the door (register logged the creation itself).
	if _, err := tx.ExecContext(ctx, `UPDATE registration_events SET reason = ? WHERE registration_id = ?`,
		ReasonWalkIn, id); err != nil {
		return nil, fmt.Errorf("courses: log walk-in %d: %w", id, err)
	}
	return reg, nil
}
