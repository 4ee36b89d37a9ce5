// Package courses owns the planning and the people of a course: the program tree, courses,
// modules (chuyên đề) and sessions (buổi) with the timetable, the trainee directory
// (people), registrations with capacity, waiting list, approval and unit quotas, and the
// roster's import and export.
package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
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

// New returns a Service over db.
func New(db *database.DB) *Service { return &Service{db: db} }

// Course is a training course (lớp tập huấn).
type Course struct {
	ID                   int64         `db:"id" json:"id"`
	OrganizationID       int64         `db:"organization_id" json:"organization_id"`
	Title                string        `db:"title" json:"title"`
	CoOrganizer          string        `db:"co_organizer" json:"co_organizer"`
	ProgramID            sql.NullInt64 `db:"program_id" json:"-"`
	Program              string        `db:"program" json:"program"`
	Venue                string        `db:"venue" json:"venue"`
	PlaceName            string        `db:"place_name" json:"place_name"`
	StartsOn             string        `db:"starts_on" json:"starts_on"` // YYYY-MM-DD
	EndsOn               string        `db:"ends_on" json:"ends_on"`
	Capacity             int           `db:"capacity" json:"capacity"`
	RegistrationMode     string        `db:"registration_mode" json:"registration_mode"`
	RegistrationOpensAt  database.Time `db:"registration_opens_at" json:"registration_opens_at"`
	RegistrationClosesAt database.Time `db:"registration_closes_at" json:"registration_closes_at"`
	MinAttendancePercent int           `db:"min_attendance_percent" json:"min_attendance_percent"`
	SupportAmountPerDay  int64         `db:"support_amount_per_day" json:"support_amount_per_day"`
	Description          string        `db:"description" json:"description"`
	TargetAudience       string        `db:"target_audience" json:"target_audience"`
	Status               string        `db:"status" json:"status"`
	CreatedAt            database.Time `db:"created_at" json:"created_at"`
	UpdatedAt            database.Time `db:"updated_at" json:"updated_at"`
	// The span of the sessions (zero when there is none): the calendar closes registration
	// and completes the course by them (lifecycle.go).
	FirstSessionAt    database.Time `db:"first_session_at" json:"-"`
	LastSessionEndsAt database.Time `db:"last_session_ends_at" json:"-"`
}

// CourseColumns lists the columns of Course, for SELECTs.
const CourseColumns = `id, organization_id, title, co_organizer, program_id, program, venue, place_name,
	starts_on, ends_on, capacity, registration_mode, registration_opens_at, registration_closes_at,
	min_attendance_percent, support_amount_per_day, description, target_audience, status,
	created_at, updated_at,
	(SELECT MIN(starts_at) FROM sessions WHERE sessions.course_id = courses.id) AS first_session_at,
	(SELECT MAX(ends_at) FROM sessions WHERE sessions.course_id = courses.id) AS last_session_ends_at`

// StartDate is the first day of the course (midnight UTC of that calendar day).
func (c *Course) StartDate() time.Time { t, _ := vn.ParseDate(c.StartsOn); return t }

// EndDate is the last day of the course.
func (c *Course) EndDate() time.Time { t, _ := vn.ParseDate(c.EndsOn); return t }

// FindCourseByID returns ErrNotFound for an unknown id.
func (s *Service) FindCourseByID(ctx context.Context, id int64) (*Course, error) {
	var c Course
	err := s.db.R.GetContext(ctx, &c, `SELECT `+CourseColumns+` FROM courses WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("courses: course %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: course %d: %w", id, err)
	}
	if err := s.settle(ctx, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Module is a topic of a course (chuyên đề) with its lecturer (báo cáo viên).
type Module struct {
	ID       int64  `db:"id" json:"id"`
	CourseID int64  `db:"course_id" json:"course_id"`
	Title    string `db:"title" json:"title"`
	Lecturer string `db:"lecturer" json:"lecturer"` // the name as written
	// LecturerID is the lecturer's record (package finance owns the records); 0: none.
	LecturerID      int64 `db:"lecturer_id" json:"lecturer_id"`
	Position        int   `db:"position" json:"position"`
	DurationMinutes int   `db:"duration_minutes" json:"duration_minutes"`
}

// Session is one sitting of a course (buổi), usually a morning or an afternoon.
type Session struct {
	ID        int64         `db:"id" json:"id"`
	CourseID  int64         `db:"course_id" json:"course_id"`
	ModuleID  sql.NullInt64 `db:"module_id" json:"-"`
	StartsAt  database.Time `db:"starts_at" json:"starts_at"`
	EndsAt    database.Time `db:"ends_at" json:"ends_at"`
	Room      string        `db:"room" json:"room"`
	Mandatory bool          `db:"mandatory" json:"mandatory"`
	// Filled by the timetable queries (joined from the module).
	ModuleTitle string `db:"module_title" json:"module_title"`
	Lecturer    string `db:"lecturer" json:"lecturer"`
	LecturerID  int64  `db:"lecturer_id" json:"lecturer_id"`
}

// SessionColumns lists the columns of Session (aliased s, module m) for SELECTs.
const SessionColumns = `s.id, s.course_id, s.module_id, s.starts_at, s.ends_at, s.room, s.mandatory,
	COALESCE(m.title, '') AS module_title, COALESCE(m.lecturer, '') AS lecturer,
	COALESCE(m.lecturer_id, 0) AS lecturer_id`

// ListSessions returns the sessions of a course ordered by start.
func (s *Service) ListSessions(ctx context.Context, courseID int64) ([]Session, error) {
	sessions := []Session{}
	err := s.db.R.SelectContext(ctx, &sessions, `SELECT `+SessionColumns+`
		FROM sessions s LEFT JOIN modules m ON m.id = s.module_id
		WHERE s.course_id = ? ORDER BY s.starts_at, s.id`, courseID)
	if err != nil {
		return nil, fmt.Errorf("courses: sessions of %d: %w", courseID, err)
	}
	return sessions, nil
}

// FindSessionByID returns ErrNotFound for an unknown id.
func (s *Service) FindSessionByID(ctx context.Context, id int64) (*Session, error) {
	var sess Session
	err := s.db.R.GetContext(ctx, &sess, `SELECT `+SessionColumns+`
		FROM sessions s LEFT JOIN modules m ON m.id = s.module_id WHERE s.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("courses: session %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: session %d: %w", id, err)
	}
	return &sess, nil
}

// RegistrationOpenAt reports whether the course accepts registrations at now: it is open
// and now is inside its registration window (an unset end of the window is no limit).
func (c *Course) RegistrationOpenAt(now time.Time) bool {
	if c.DueStatus(now) != StatusOpen {
		return false
	}
	if !c.RegistrationOpensAt.IsZero() && now.Before(c.RegistrationOpensAt.Time) {
		return false
	}
	if !c.RegistrationClosesAt.IsZero() && !now.Before(c.RegistrationClosesAt.Time) {
		return false
	}
	return true
}
