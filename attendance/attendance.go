// Package attendance owns what happens in the room: a mark per trainee per session
// (present, late, excused, absent), check-in by ticket code, the edit log, the attendance
// matrix and percentages, the statistics for program reporting, and the printed records
// (sign-in sheets, attendance reports, support payment lists) as PDF and XLSX.
package attendance

import (
	"context"
	"fmt"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
)

// Mark statuses.
const (
	Present = "present"
	Late    = "late"
	Excused = "excused"
	Absent  = "absent"
)

// Errors returned by this package.
var (
	ErrNotFound  = errs.New(errs.NotFound, "err.not_found")
	ErrBadStatus = errs.New(errs.Invalid, "attendance.err.status")
)

// Service holds the database handles and the courses service it reads rosters from.
type Service struct {
	db      *database.DB
	courses *courses.Service
}

// New returns a Service over db.
func New(db *database.DB, cs *courses.Service) *Service { return &Service{db: db, courses: cs} }

// ValidStatus reports whether s is one of the four mark statuses.
func ValidStatus(s string) bool {
	return s == Present || s == Late || s == Excused || s == Absent
}

// Attended reports whether a mark counts towards the attendance percent.
func Attended(status string) bool { return status == Present || status == Late }

// MarkInput sets one mark.
type MarkInput struct {
	SessionID      int64  `json:"-"`
	RegistrationID int64  `json:"registration_id"`
	Status         string `json:"status"`
	Source         string `json:"-"` // tap, scan, self, paper, api
	UserID         int64  `json:"-"` // 0: no user (self check-in)
}

// SetMark records a mark (an unchanged mark writes nothing) and logs the change, in one
// transaction. Returns ErrNotFound when the registration does not belong to the session's
// course, ErrBadStatus for an unknown status.
func (s *Service) SetMark(ctx context.Context, in MarkInput) (old string, err error) {
	if !ValidStatus(in.Status) {
		f := errs.Fields{}
		f.Add("status", "attendance.err.status")
		return "", f.Err()
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("attendance: %w", err)
	}
	defer tx.Rollback()
	var n int
	err = tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM sessions s JOIN registrations r ON r.course_id = s.course_id
		WHERE s.id = ? AND r.id = ?`, in.SessionID, in.RegistrationID)
	if err != nil {
		return "", fmt.Errorf("attendance: %w", err)
	}
	if n == 0 {
		return "", fmt.Errorf("attendance: session %d, registration %d: %w", in.SessionID, in.RegistrationID, ErrNotFound)
	}
	_ = tx.GetContext(ctx, &old, `SELECT status FROM attendance_marks WHERE session_id = ? AND registration_id = ?`,
		in.SessionID, in.RegistrationID)
	if old == in.Status {
		return old, nil
	}
	now := database.Now()
	var user any
	if in.UserID != 0 {
		user = in.UserID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO attendance_marks (session_id, registration_id, status, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (session_id, registration_id) DO UPDATE SET status = excluded.status,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		in.SessionID, in.RegistrationID, in.Status, now, user)
	if err != nil {
		return "", fmt.Errorf("attendance: set mark: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO attendance_log (session_id, registration_id, old_status, new_status, source, user_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, in.SessionID, in.RegistrationID, old, in.Status, in.Source, user, now)
	if err != nil {
		return "", fmt.Errorf("attendance: log mark: %w", err)
	}
	return old, tx.Commit()
}

// Matrix is the attendance of a course: its confirmed trainees (Vietnamese order) × its
// sessions (by start).
type Matrix struct {
	Sessions []courses.Session `json:"sessions"`
	Rows     []MatrixRow       `json:"items"`
}

// MatrixRow is one trainee's marks. Marks maps session id → status ("" not marked).
// Percent counts present and late over all planned sessions of the course.
type MatrixRow struct {
	Registration courses.Registration `json:"-"`
	Marks        map[int64]string     `json:"-"`
	Attended     int                  `json:"-"`
	Percent      float64              `json:"percent"`
}

// Matrix returns the attendance of the confirmed trainees of a course.
func (s *Service) Matrix(ctx context.Context, courseID int64) (*Matrix, error) {
	sessions, err := s.courses.ListSessions(ctx, courseID)
	if err != nil {
		return nil, err
	}
	regs, _, err := s.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: courseID, Statuses: []string{courses.RegConfirmed}})
	if err != nil {
		return nil, err
	}
	var marks []struct {
		SessionID      int64  `db:"session_id"`
		RegistrationID int64  `db:"registration_id"`
		Status         string `db:"status"`
	}
	err = s.db.R.SelectContext(ctx, &marks, `SELECT m.session_id, m.registration_id, m.status
		FROM attendance_marks m JOIN sessions s ON s.id = m.session_id WHERE s.course_id = ?`, courseID)
	if err != nil {
		return nil, fmt.Errorf("attendance: marks of %d: %w", courseID, err)
	}
	byReg := make(map[int64]map[int64]string, len(regs))
	for _, m := range marks {
		if byReg[m.RegistrationID] == nil {
			byReg[m.RegistrationID] = map[int64]string{}
		}
		byReg[m.RegistrationID][m.SessionID] = m.Status
	}
	mx := &Matrix{Sessions: sessions, Rows: make([]MatrixRow, 0, len(regs))}
	for _, r := range regs {
		row := MatrixRow{Registration: r, Marks: byReg[r.ID]}
		if row.Marks == nil {
			row.Marks = map[int64]string{}
		}
		for _, st := range row.Marks {
			if Attended(st) {
				row.Attended++
			}
		}
		row.Percent = Percent(row.Attended, len(sessions))
		mx.Rows = append(mx.Rows, row)
	}
	return mx, nil
}

// Percent is attended over planned, in percent; a course without sessions is 0.
func Percent(attended, planned int) float64 {
	if planned == 0 {
		return 0
	}
	return float64(attended) * 100 / float64(planned)
}
