package attendance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"taphuan/courses"
	"taphuan/database"
)

// RosterEntry is one trainee on a session's roster with their mark ("" not marked yet).
type RosterEntry struct {
	courses.Registration
	Mark string `json:"mark"`
}

// Roster is a session's list of confirmed trainees in Vietnamese order with their marks:
// what the check-in page, the tick-back page and the sign-in sheet show.
type Roster struct {
	Course   *courses.Course  `json:"-"`
	Session  *courses.Session `json:"session"`
	Entries  []RosterEntry    `json:"items"`
	Expected int              `json:"expected"` // confirmed trainees
	Attended int              `json:"attended"` // present or late
	Counts   map[string]int   `json:"counts"`   // by status, "" for not marked yet
	LockedAt time.Time        `json:"locked_at"`
}

// SessionRoster returns the roster of a session. Returns ErrNotFound for an unknown
// session.
func (s *Service) SessionRoster(ctx context.Context, sessionID int64) (*Roster, error) {
	sess, err := s.courses.FindSessionByID(ctx, sessionID)
	if err != nil {
		return nil, notFound(err)
	}
	course, err := s.courses.FindCourseByID(ctx, sess.CourseID)
	if err != nil {
		return nil, notFound(err)
	}
	regs, _, err := s.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: sess.CourseID,
		Statuses: []string{courses.RegConfirmed}})
	if err != nil {
		return nil, err
	}
	var marks []struct {
		RegistrationID int64  `db:"registration_id"`
		Status         string `db:"status"`
	}
	if err := s.db.R.SelectContext(ctx, &marks, `SELECT registration_id, status FROM attendance_marks WHERE session_id = ?`,
		sessionID); err != nil {
		return nil, fmt.Errorf("attendance: marks of session %d: %w", sessionID, err)
	}
	byReg := make(map[int64]string, len(marks))
	for _, m := range marks {
		byReg[m.RegistrationID] = m.Status
	}
	ro := &Roster{Course: course, Session: sess, Entries: make([]RosterEntry, len(regs)), Expected: len(regs),
		Counts: map[string]int{Present: 0, Late: 0, Excused: 0, Absent: 0, "": 0}, LockedAt: LockedAt(sess)}
	for i, r := range regs {
		st := byReg[r.ID]
		ro.Entries[i] = RosterEntry{Registration: r, Mark: st}
		ro.Counts[st]++
		if Attended(st) {
			ro.Attended++
		}
	}
	return ro, nil
}

// LogEntry is one change of a mark: who, when, old → new, and how.
type LogEntry struct {
	ID              int64         `db:"id" json:"id"`
	SessionID       int64         `db:"session_id" json:"session_id"`
	SessionStartsAt database.Time `db:"session_starts_at" json:"session_starts_at"`
	RegistrationID  int64         `db:"registration_id" json:"registration_id"`
	FullName        string        `db:"full_name" json:"full_name"`
	OldStatus       string        `db:"old_status" json:"old_status"`
	NewStatus       string        `db:"new_status" json:"new_status"`
	Source          string        `db:"source" json:"source"`
	UserID          *int64        `db:"user_id" json:"user_id"`
	UserName        string        `db:"user_name" json:"user_name"`
	At              database.Time `db:"at" json:"at"`
}

// LogFilter selects log entries: of a course, or of one session, optionally of one
// trainee; newest first.
type LogFilter struct {
	CourseID       int64
	SessionID      int64
	RegistrationID int64
	Limit          int // 0: no limit
	Offset         int
}

// ListLog returns the matching log entries, newest first, and how many there are.
func (s *Service) ListLog(ctx context.Context, f LogFilter) ([]LogEntry, int, error) {
	var where []string
	var args []any
	if f.CourseID != 0 {
		where = append(where, "s.course_id = ?")
		args = append(args, f.CourseID)
	}
	if f.SessionID != 0 {
		where = append(where, "l.session_id = ?")
		args = append(args, f.SessionID)
	}
	if f.RegistrationID != 0 {
		where = append(where, "l.registration_id = ?")
		args = append(args, f.RegistrationID)
	}
	if len(where) == 0 {
		return nil, 0, fmt.Errorf("attendance: log without a course or session: %w", ErrNotFound)
	}
	cond := strings.Join(where, " AND ")
	from := ` FROM attendance_log l JOIN sessions s ON s.id = l.session_id
		JOIN registrations r ON r.id = l.registration_id
		LEFT JOIN users u ON u.id = l.user_id WHERE ` + cond
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*)`+from, args...); err != nil {
		return nil, 0, fmt.Errorf("attendance: count log: %w", err)
	}
	q := `SELECT l.id, l.session_id, s.starts_at AS session_starts_at, l.registration_id, r.full_name,
		l.old_status, l.new_status, l.source, l.user_id, COALESCE(u.name, '') AS user_name, l.at` + from +
		` ORDER BY l.at DESC, l.id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	entries := []LogEntry{}
	if err := s.db.R.SelectContext(ctx, &entries, q, args...); err != nil {
		return nil, 0, fmt.Errorf("attendance: log: %w", err)
	}
	return entries, total, nil
}

// Counts is the live count of a session: how many confirmed trainees were present or late
// of how many are expected.
type Counts struct {
	Attended int `json:"attended" db:"attended"`
	Expected int `json:"expected" db:"expected"`
}

// SessionCounts returns the live count of a session (zero counts for an unknown one).
func (s *Service) SessionCounts(ctx context.Context, sessionID int64) (Counts, error) {
	// Every check-in answers with these counts, so they are read from indexes: the course's
	// seat counter, the present/late marks of the session, less the marks of trainees who are
	// no longer confirmed (few, found through the course's status index).
	var c Counts
	err := s.db.R.GetContext(ctx, &c, `SELECT
		(SELECT c.confirmed_count FROM sessions s JOIN courses c ON c.id = s.course_id
			WHERE s.id = ?) AS expected,
		(SELECT COUNT(*) FROM attendance_marks m WHERE m.session_id = ? AND m.status IN (?, ?))
		- (SELECT COUNT(*) FROM sessions s
			JOIN registrations r ON r.course_id = s.course_id AND r.status IN (?, ?, ?, ?)
			JOIN attendance_marks m ON m.registration_id = r.id AND m.session_id = s.id
			WHERE s.id = ? AND m.status IN (?, ?)) AS attended`,
		sessionID, sessionID, Present, Late,
		courses.RegWaitlisted, courses.RegPending, courses.RegCancelled, courses.RegRejected,
		sessionID, Present, Late)
	if err != nil {
		return Counts{}, fmt.Errorf("attendance: counts of session %d: %w", sessionID, err)
	}
	return c, nil
}
