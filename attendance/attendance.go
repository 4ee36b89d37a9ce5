// Package attendance owns what happens in the room: a mark per trainee per session
// (present, late, excused, absent), check-in by ticket code, the edit log, the attendance
// matrix and percentages, the statistics for program reporting, and the printed records
// (sign-in sheets, attendance reports, statistics) as PDF and XLSX. The support payment list
// is computed from this attendance by package finance, with the rest of a course's money.
package attendance

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"taphuan/accounts"
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

// Statuses returns the mark statuses in the order the pages and reports show them
// (a fresh slice each call: the caller may change it).
func Statuses() []string { return []string{Present, Late, Excused, Absent} }

// Sources of a mark, recorded in the edit log: a tap on the check-in roster, a ticket code
// at the door (keyboard-wedge scanner, camera or typed), the trainee's own self check-in,
// the tick-back page that copies the signed paper sheet, any other API client, and the
// demo loader.
const (
	SourceTap   = "tap"
	SourceScan  = "scan"
	SourceSelf  = "self"
	SourcePaper = "paper"
	SourceAPI   = "api"
	SourceDemo  = "demo"
)

// LockDays is how many days after a session ends its marks lock for staff. A constant
// rather than a course setting: the rule exists so that the record the payment list and
// the certificates rest on stops moving, and a per-course knob would invite moving it.
// Organizers of the course's organization and administrators may still correct a locked
// session; every correction is in the edit log like any other change.
const LockDays = 3

// Errors returned by this package.
var (
	ErrNotFound     = errs.New(errs.NotFound, "err.not_found")
	ErrBadStatus    = errs.New(errs.Invalid, "attendance.err.status")
	ErrLocked       = errs.New(errs.Forbidden, "attendance.err.locked", LockDays)
	ErrNotConfirmed = errs.New(errs.Conflict, "attendance.err.not_confirmed")
	ErrUnknownCode  = errs.New(errs.NotFound, "attendance.err.unknown_code")
	ErrOtherCourse  = errs.New(errs.Conflict, "attendance.err.other_course")
	ErrSelfClosed   = errs.New(errs.Closed, "attendance.err.self_closed")
	ErrSelfCode     = errs.New(errs.Invalid, "attendance.err.self_code")
)

// Service holds the database handles, the courses service it reads rosters from and the
// accounts service it asks for a user's role.
type Service struct {
	db       *database.DB
	courses  *courses.Service
	accounts *accounts.Service
}

// New returns a Service over db. (The accounts service holds nothing but db: its own is as
// good as the server's.)
func New(db *database.DB, cs *courses.Service) *Service {
	return &Service{db: db, courses: cs, accounts: accounts.New(db)}
}

// SessionHasRecords reports whether session id has attendance marks, read inside tx: it
// is how courses asks before it deletes a session (courses.SessionRecords).
func (s *Service) SessionHasRecords(ctx context.Context, tx *sqlx.Tx, sessionID int64) (bool, error) {
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM attendance_marks WHERE session_id = ?`, sessionID); err != nil {
		return false, fmt.Errorf("attendance: marks of session %d: %w", sessionID, err)
	}
	return n > 0, nil
}

// ValidStatus reports whether s is one of the four mark statuses.
func ValidStatus(s string) bool {
	return s == Present || s == Late || s == Excused || s == Absent
}

// ValidSource reports whether s is one of the mark sources.
func ValidSource(s string) bool {
	switch s {
	case SourceTap, SourceScan, SourceSelf, SourcePaper, SourceAPI, SourceDemo, SourceDoor:
		return true
	}
	return false
}

// Attended reports whether a mark counts towards the attendance percent.
func Attended(status string) bool { return status == Present || status == Late }

// LockedAt is when the session's marks lock for staff: LockDays after it ends.
func LockedAt(sess *courses.Session) time.Time {
	return sess.EndsAt.Add(LockDays * 24 * time.Hour)
}

// Locked reports whether the session is locked for staff at now.
func Locked(sess *courses.Session, now time.Time) bool { return !now.Before(LockedAt(sess)) }

// MarkInput sets one mark.
type MarkInput struct {
	SessionID      int64  `json:"-"`
	RegistrationID int64  `json:"registration_id"`
	Status         string `json:"status"`
	Source         string `json:"source"` // tap, scan, self, paper, api (default), demo
	UserID         int64  `json:"-"`      // 0: no user (self check-in, demo)
}

// Normalize trims the fields and defaults the source to api.
func (in *MarkInput) Normalize() {
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	in.Source = strings.ToLower(strings.TrimSpace(in.Source))
	if in.Source == "" {
		in.Source = SourceAPI
	}
}

// Validate checks the status and the source.
func (in MarkInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.RegistrationID > 0, "registration_id", "err.required")
	f.Check(ValidStatus(in.Status), "status", "attendance.err.status")
	f.Check(ValidSource(in.Source), "source", "attendance.err.source")
	return f.Err()
}

// SetMark records a mark (an unchanged mark writes nothing) and logs the change, in one
// transaction, and returns the previous status ("" when there was none).
//
// Returns an invalid error for an unknown status or source, ErrNotFound when the
// registration does not belong to the session's course, ErrNotConfirmed when it is not a
// confirmed place, and ErrLocked when the user is staff and the session ended more than
// LockDays ago. Organizers and administrators are not locked out (the server lets only
// those of the course's organization get here); a mark without a user is not either.
func (s *Service) SetMark(ctx context.Context, in MarkInput) (old string, err error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return "", err
	}
	role, err := s.roleOf(ctx, in.UserID)
	if err != nil {
		return "", err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("attendance: %w", err)
	}
	defer tx.Rollback()
	old, err = setMarkTx(ctx, tx, in, role, time.Now())
	if err != nil {
		return "", err
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("attendance: commit mark: %w", err)
	}
	return old, nil
}

// roleOf returns the role of the user, from accounts (an empty string for no user: a mark
// without a user is not locked out).
func (s *Service) roleOf(ctx context.Context, userID int64) (string, error) {
	if userID == 0 {
		return "", nil
	}
	u, err := s.accounts.FindUserByID(ctx, userID)
	if errors.Is(err, accounts.ErrNotFound) {
		return "", fmt.Errorf("attendance: user %d: %w", userID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("attendance: user %d: %w", userID, err)
	}
	return u.Role, nil
}

// setMarkTx is SetMark inside tx, for a validated input and the user's role.
func setMarkTx(ctx context.Context, tx *sqlx.Tx, in MarkInput, role string, now time.Time) (string, error) {
	var row struct {
		EndsAt    database.Time  `db:"ends_at"`
		RegStatus string         `db:"status"`
		Old       sql.NullString `db:"old"`
	}
	err := tx.GetContext(ctx, &row, `SELECT s.ends_at, r.status, m.status AS old
		FROM sessions s
		JOIN registrations r ON r.course_id = s.course_id
		LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.registration_id = r.id
		WHERE s.id = ? AND r.id = ?`, in.SessionID, in.RegistrationID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("attendance: session %d, registration %d: %w", in.SessionID, in.RegistrationID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("attendance: session %d, registration %d: %w", in.SessionID, in.RegistrationID, err)
	}
	if row.RegStatus != courses.RegConfirmed {
		return "", fmt.Errorf("attendance: registration %d is %s: %w", in.RegistrationID, row.RegStatus, ErrNotConfirmed)
	}
	if role == accounts.RoleStaff && !now.Before(row.EndsAt.Add(LockDays*24*time.Hour)) {
		return "", fmt.Errorf("attendance: session %d: %w", in.SessionID, ErrLocked)
	}
	old := row.Old.String
	if old == in.Status {
		return old, nil
	}
	at := database.FormatTime(now)
	var user any
	if in.UserID != 0 {
		user = in.UserID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO attendance_marks (session_id, registration_id, status, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (session_id, registration_id) DO UPDATE SET status = excluded.status,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		in.SessionID, in.RegistrationID, in.Status, at, user)
	if err != nil {
		return "", fmt.Errorf("attendance: set mark: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO attendance_log (session_id, registration_id, old_status, new_status, source, user_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, in.SessionID, in.RegistrationID, old, in.Status, in.Source, user, at)
	if err != nil {
		return "", fmt.Errorf("attendance: log mark: %w", err)
	}
	return old, nil
}

// SetMarks records many marks of one session in one transaction — the tick-back page
// copying a signed paper sheet — and returns how many changed. marks maps registration id
// → status. It fails as a whole, with the errors of SetMark (the first one met).
func (s *Service) SetMarks(ctx context.Context, sessionID, userID int64, source string, marks map[int64]string) (changed int, err error) {
	ins := make([]MarkInput, 0, len(marks))
	for regID, st := range marks {
		in := MarkInput{SessionID: sessionID, RegistrationID: regID, Status: st, Source: source, UserID: userID}
		in.Normalize()
		if err := in.Validate(); err != nil {
			return 0, err
		}
		ins = append(ins, in)
	}
	// A stable order keeps the log readable and the first error reproducible.
	slices.SortFunc(ins, func(a, b MarkInput) int { return cmp.Compare(a.RegistrationID, b.RegistrationID) })
	role, err := s.roleOf(ctx, userID)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("attendance: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()
	for _, in := range ins {
		old, err := setMarkTx(ctx, tx, in, role, now)
		if err != nil {
			return 0, err
		}
		if old != in.Status {
			changed++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("attendance: commit marks: %w", err)
	}
	return changed, nil
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
	// Self holds the sessions whose mark the trainee made themselves (self check-in), for
	// the organizers to review.
	Self     map[int64]bool `json:"-"`
	Attended int            `json:"-"`
	Percent  float64        `json:"percent"`
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
	// The marks whose latest change was a self check-in.
	var selfMarks []struct {
		SessionID      int64 `db:"session_id"`
		RegistrationID int64 `db:"registration_id"`
	}
	err = s.db.R.SelectContext(ctx, &selfMarks, `SELECT l.session_id, l.registration_id
		FROM attendance_log l JOIN sessions s ON s.id = l.session_id
		WHERE s.course_id = ? AND l.source = 'self' AND l.id = (SELECT MAX(x.id) FROM attendance_log x
			WHERE x.session_id = l.session_id AND x.registration_id = l.registration_id)`, courseID)
	if err != nil {
		return nil, fmt.Errorf("attendance: self marks of %d: %w", courseID, err)
	}
	selfByReg := map[int64]map[int64]bool{}
	for _, m := range selfMarks {
		if selfByReg[m.RegistrationID] == nil {
			selfByReg[m.RegistrationID] = map[int64]bool{}
		}
		selfByReg[m.RegistrationID][m.SessionID] = true
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
		row := MatrixRow{Registration: r, Marks: byReg[r.ID], Self: selfByReg[r.ID]}
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

// MarshalJSON writes a row as API.md has it: {registration_id, full_name, marks, percent},
// marks keyed by the session id as a string and holding only the sessions marked so far.
func (r MatrixRow) MarshalJSON() ([]byte, error) {
	marks := make(map[string]string, len(r.Marks))
	for sid, st := range r.Marks {
		if st != "" {
			marks[strconv.FormatInt(sid, 10)] = st
		}
	}
	self := []string{}
	for sid, ok := range r.Self {
		if ok && r.Marks[sid] != "" {
			self = append(self, strconv.FormatInt(sid, 10))
		}
	}
	sort.Strings(self)
	return json.Marshal(struct {
		RegistrationID int64             `json:"registration_id"`
		FullName       string            `json:"full_name"`
		Organization   string            `json:"organization"`
		Marks          map[string]string `json:"marks"`
		SelfMarks      []string          `json:"self_marks"` // sessions marked by self check-in
		Attended       int               `json:"attended"`
		Percent        float64           `json:"percent"`
	}{r.Registration.ID, r.Registration.FullName, r.Registration.Organization, marks, self, r.Attended, r.Percent})
}

// AttendedCount returns, per session id, how many trainees of the matrix were present or
// late.
func (m *Matrix) AttendedCount() map[int64]int {
	out := make(map[int64]int, len(m.Sessions))
	for _, r := range m.Rows {
		for sid, st := range r.Marks {
			if Attended(st) {
				out[sid]++
			}
		}
	}
	return out
}
