// Package courses owns the planning and the people of a course: the program tree, courses,
// modules (chuyên đề) and sessions (buổi) with the timetable, the trainee directory
// (people), registrations with capacity, waiting list, approval and unit quotas, and the
// roster's import and export.
package courses

import (
	"context"

	"taphuan/database"
	"taphuan/errs"

	"github.com/jmoiron/sqlx"
)

// Errors returned by this package.
var (
	ErrNotFound = errs.New(errs.NotFound, "err.not_found")
)

// Course statuses: draft → open (registration open) → closed → completed; also cancelled.
const (
	StatusDraft     = "draft"
	StatusOpen      = "open"
	StatusClosed    = "closed"
	StatusCompleted = "completed"
	StatusCancelled = "cancelled"
)

// Registration modes.
const (
	ModeOpen     = "open"
	ModeApproval = "approval"
)

// Registration statuses.
const (
	RegConfirmed  = "confirmed"
	RegWaitlisted = "waitlisted"
	RegPending    = "pending"
	RegCancelled  = "cancelled"
	RegRejected   = "rejected"
)

// Service holds the database handles.
type Service struct {
	db        *database.DB
	listener  Listener // see SetListener
	lecturers LecturerDirectory
	records   SessionRecords // see UseSessionRecords
}

// LecturerDirectory resolves a lecturer record for a module: the name to write on the
// module when none is given, and whether the record belongs to the organization. Package
// finance owns the records (they hold tax codes and bank accounts); courses only keeps the
// id on its modules, which is all the clash check needs.
type LecturerDirectory interface {
	// LecturerName returns the name of lecturer id of organization orgID as it is printed
	// ("ThS. Nguyễn Văn Hùng"), or an error wrapping ErrNotFound.
	LecturerName(ctx context.Context, orgID, id int64) (string, error)
}

// UseLecturers sets the directory that module inputs with a lecturer_id are checked
// against; without one, a lecturer_id is refused as unknown.
func (s *Service) UseLecturers(d LecturerDirectory) { s.lecturers = d }

// SessionRecords is the area that keeps records of what happened in a session: package
// attendance, whose marks point to the session. A session that has records is not deleted
// (the delete would erase them with it); courses asks, inside the delete's write
// transaction, and never reads the records itself.
type SessionRecords interface {
	// SessionHasRecords reports whether session id has records, read inside tx.
	SessionHasRecords(ctx context.Context, tx *sqlx.Tx, sessionID int64) (bool, error)
}

// UseSessionRecords sets the area DeleteSession asks before a session goes. Call it once,
// before serving; without one, DeleteSession refuses every delete rather than erase
// records it cannot see.
func (s *Service) UseSessionRecords(r SessionRecords) { s.records = r }

// New returns a Service over db.
func New(db *database.DB) *Service { return &Service{db: db} }
