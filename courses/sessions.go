package courses

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// Errors about sessions. The clash errors carry, as message arguments, the room or the
// lecturer, then the clashing session's date, start, end, room and course title.
var (
	ErrRoomTaken    = errs.New(errs.Conflict, "courses.err.room_taken")
	ErrLecturerBusy = errs.New(errs.Conflict, "courses.err.lecturer_busy")
	// The same, when the clashing session is another organization's: its title, day and
	// room are that organization's business, so only the room or lecturer is named.
	ErrRoomTakenElsewhere    = errs.New(errs.Conflict, "courses.err.room_taken_other_org")
	ErrLecturerBusyElsewhere = errs.New(errs.Conflict, "courses.err.lecturer_busy_other_org")
	ErrSessionHasMarks       = errs.New(errs.Conflict, "courses.err.session_has_marks")
)

// SessionInput is a session (buổi) as an organizer fills it in.
type SessionInput struct {
	ModuleID  int64         `json:"module_id"` // 0: no module
	StartsAt  database.Time `json:"starts_at"`
	EndsAt    database.Time `json:"ends_at"`
	Room      string        `json:"room"`
	Mandatory bool          `json:"mandatory"`
}

// Normalize cleans the room.
func (in *SessionInput) Normalize() { in.Room = vn.Clean(in.Room) }

// Validate checks the fields that need no database: both instants set, the end after the
// start and on the same day (Vietnam time).
func (in SessionInput) Validate() error { return in.fields().Err() }

func (in SessionInput) fields() errs.Fields {
	f := errs.Fields{}
	f.Check(!in.StartsAt.IsZero(), "starts_at", "err.required")
	f.Check(!in.EndsAt.IsZero(), "ends_at", "err.required")
	if !in.StartsAt.IsZero() && !in.EndsAt.IsZero() {
		f.Check(in.EndsAt.After(in.StartsAt.Time), "ends_at", "courses.err.session_order")
		f.Check(dayOf(in.StartsAt.Time) == dayOf(in.EndsAt.Add(-time.Nanosecond)), "ends_at", "courses.err.session_one_day")
	}
	f.Check(len([]rune(in.Room)) <= 200, "room", "err.too_long", 200)
	f.Check(in.ModuleID >= 0, "module_id", "courses.err.module_unknown")
	return f
}

// SessionPatch changes some fields of a session (nil: unchanged; a ModuleID of 0 detaches
// the module).
type SessionPatch struct {
	ModuleID  *int64         `json:"module_id"`
	StartsAt  *database.Time `json:"starts_at"`
	EndsAt    *database.Time `json:"ends_at"`
	Room      *string        `json:"room"`
	Mandatory *bool          `json:"mandatory"`
}

func newSecret() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}

// checkSessionFields adds the field errors that need the course: the module belongs to it
// and the session lies within its days.
func checkSessionFields(ctx context.Context, tx *sqlx.Tx, c *Course, in SessionInput, f errs.Fields) (lecturer string, lecturerID int64, err error) {
	if in.ModuleID > 0 {
		m, err := findModule(ctx, tx, in.ModuleID)
		switch {
		case err == nil && m.CourseID == c.ID:
			lecturer, lecturerID = m.Lecturer, m.LecturerID
		case err == nil || isNotFound(err):
			f.Add("module_id", "courses.err.module_unknown")
		default:
			return "", 0, err
		}
	}
	if !in.StartsAt.IsZero() && f["starts_at"].Key == "" {
		if d := dayOf(in.StartsAt.Time); d < c.StartsOn || d > c.EndsOn {
			f.Add("starts_at", "courses.err.session_outside", vn.FormatDate(c.StartDate()), vn.FormatDate(c.EndDate()))
		}
	}
	return lecturer, lecturerID, nil
}

// CreateSession adds a session to a course. In the same write transaction it refuses a
// session that overlaps another in the same room of the same venue (ErrRoomTaken) or whose
// module's lecturer is elsewhere at the time (ErrLecturerBusy); sessions of cancelled
// courses hold nothing. Returns ErrNotFound for an unknown course.
func (s *Service) CreateSession(ctx context.Context, courseID int64, in SessionInput) (*Session, error) {
	in.Normalize()
	f := in.fields()
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: create session: %w", err)
	}
	defer tx.Rollback()
	c, err := findCourse(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	lecturer, lecturerID, err := checkSessionFields(ctx, tx, c, in, f)
	if err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	sl := slot{courseID: courseID, orgID: c.OrganizationID, moduleID: in.ModuleID, venue: c.Venue, room: in.Room, lecturer: lecturer,
		lecturerID: lecturerID, start: in.StartsAt.Time, end: in.EndsAt.Time}
	if err := checkClashOf(ctx, tx, c, sl); err != nil {
		return nil, err
	}
	id, err := insertSession(ctx, tx, sl, in.Mandatory)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: create session: %w", err)
	}
	return s.FindSessionByID(ctx, id)
}

// insertSession stores the session placed at sl (its course, module, room and times) with
// a new check-in secret, and returns its id; the checks are the caller's.
func insertSession(ctx context.Context, tx *sqlx.Tx, sl slot, mandatory bool) (int64, error) {
	var id int64
	err := tx.QueryRowxContext(ctx, `
		INSERT INTO sessions (course_id, module_id, starts_at, ends_at, room, mandatory, checkin_secret)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		sl.courseID, nullID(sl.moduleID), database.FormatTime(sl.start), database.FormatTime(sl.end), sl.room,
		mandatory, newSecret()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("courses: insert session of course %d: %w", sl.courseID, err)
	}
	return id, nil
}

// UpdateSession applies p to session id, with the checks of CreateSession. Returns
// ErrNotFound for an unknown id.
func (s *Service) UpdateSession(ctx context.Context, id int64, p SessionPatch) (*Session, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: update session %d: %w", id, err)
	}
	defer tx.Rollback()
	cur, err := findSession(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	old := *cur
	in := SessionInput{StartsAt: old.StartsAt, EndsAt: old.EndsAt, Room: old.Room, Mandatory: old.Mandatory}
	if old.ModuleID.Valid {
		in.ModuleID = old.ModuleID.Int64
	}
	if p.ModuleID != nil {
		in.ModuleID = *p.ModuleID
	}
	if p.StartsAt != nil {
		in.StartsAt = *p.StartsAt
	}
	if p.EndsAt != nil {
		in.EndsAt = *p.EndsAt
	}
	if p.Room != nil {
		in.Room = *p.Room
	}
	if p.Mandatory != nil {
		in.Mandatory = *p.Mandatory
	}
	in.Normalize()
	f := in.fields()
	c, err := findCourse(ctx, tx, old.CourseID)
	if err != nil {
		return nil, err
	}
	lecturer, lecturerID, err := checkSessionFields(ctx, tx, c, in, f)
	if err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	sl := slot{sessionID: id, courseID: c.ID, orgID: c.OrganizationID, moduleID: in.ModuleID, venue: c.Venue, room: in.Room,
		lecturer: lecturer, lecturerID: lecturerID, start: in.StartsAt.Time, end: in.EndsAt.Time}
	if err := checkClashOf(ctx, tx, c, sl); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE sessions SET module_id = ?, starts_at = ?, ends_at = ?, room = ?, mandatory = ? WHERE id = ?`,
		nullID(in.ModuleID), in.StartsAt, in.EndsAt, in.Room, in.Mandatory, id)
	if err != nil {
		return nil, fmt.Errorf("courses: update session %d: %w", id, err)
	}
	updated := old
	updated.StartsAt, updated.EndsAt, updated.Room = in.StartsAt, in.EndsAt, in.Room
	if err := s.tellSessionChanged(ctx, tx, old, updated); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: update session %d: %w", id, err)
	}
	return s.FindSessionByID(ctx, id)
}

// DeleteSession removes a session that has no attendance marks yet; one that has is
// ErrSessionHasMarks, since deleting it would erase the attendance record (the records'
// owner is asked: UseSessionRecords). Returns ErrNotFound for an unknown id.
func (s *Service) DeleteSession(ctx context.Context, id int64) error {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("courses: delete session %d: %w", id, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("courses: delete session %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("courses: session %d: %w", id, ErrNotFound)
	}
	if s.records == nil {
		return fmt.Errorf("courses: delete session %d: no SessionRecords to ask (UseSessionRecords)", id)
	}
	marked, err := s.records.SessionHasRecords(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("courses: delete session %d: %w", id, err)
	}
	if marked {
		return fmt.Errorf("courses: delete session %d: %w", id, ErrSessionHasMarks)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("courses: delete session %d: %w", id, err)
	}
	return tx.Commit()
}

// slot is a session being placed: where, who and when.
type slot struct {
	sessionID, courseID, moduleID int64
	orgID                         int64 // the course's organization: another's clashes are named less
	venue, room, lecturer         string
	lecturerID                    int64 // the lecturer's record; 0: only a name
	start, end                    time.Time
}

// roomKey identifies a room: the same room name at another venue is another room.
func roomKey(venue, room string) string {
	if strings.TrimSpace(room) == "" {
		return ""
	}
	return vn.Fold(venue) + "\x00" + vn.Fold(room)
}

// lecturerKey identifies a lecturer: the folded name without leading titles such as "TS.",
// "ThS." or "PGS.TS.", so "ThS. Nguyễn Văn Hùng" and "Nguyễn Văn Hùng" are one person.
func lecturerKey(name string) string {
	words := strings.Fields(vn.Fold(name))
	for len(words) > 1 && strings.HasSuffix(words[0], ".") {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// clashCandidate is a session that overlaps a slot in time.
type clashCandidate struct {
	ID         int64         `db:"id"`
	StartsAt   database.Time `db:"starts_at"`
	EndsAt     database.Time `db:"ends_at"`
	Room       string        `db:"room"`
	Title      string        `db:"title"`
	Venue      string        `db:"venue"`
	Lecturer   string        `db:"lecturer"`
	LecturerID int64         `db:"lecturer_id"`
	OrgID      int64         `db:"organization_id"`
}

// checkClash returns ErrRoomTaken or ErrLecturerBusy, naming the first session (by start)
// that overlaps sl in the same room or with the same lecturer — the same record when both
// sessions' modules point to one (two people of the same name are two records), else the
// same name without titles; sessions of cancelled
// courses and sl's own session do not count. Intervals are half-open: a session may start
// when another ends.
//
// The check and the write after it are one step: every transaction that places sessions
// takes the placement lock first (lockPlacement), so two organizers booking the same hall
// at the same moment are answered one after the other, on every engine and instance.
func checkClash(ctx context.Context, tx *sqlx.Tx, sl slot) error {
	room, who := roomKey(sl.venue, sl.room), lecturerKey(sl.lecturer)
	if room == "" && who == "" && sl.lecturerID == 0 {
		return nil
	}
	if err := lockPlacement(ctx, tx); err != nil {
		return err
	}
	var cands []clashCandidate
	err := tx.SelectContext(ctx, &cands, `
		SELECT s.id, s.starts_at, s.ends_at, s.room, c.title, c.venue, COALESCE(m.lecturer, '') AS lecturer,
			c.organization_id, COALESCE(m.lecturer_id, 0) AS lecturer_id
		FROM sessions s JOIN courses c ON c.id = s.course_id LEFT JOIN modules m ON m.id = s.module_id
		WHERE s.starts_at < ? AND s.ends_at > ? AND s.id <> ? AND c.status <> ?
		ORDER BY s.starts_at, s.id`,
		database.FormatTime(sl.end), database.FormatTime(sl.start), sl.sessionID, StatusCancelled)
	if err != nil {
		return fmt.Errorf("courses: find clashing sessions: %w", err)
	}
	for _, o := range cands {
		if o.OrgID != sl.orgID {
			if room != "" && roomKey(o.Venue, o.Room) == room {
				return fmt.Errorf("courses: session %d of organization %d: %w", o.ID, o.OrgID, ErrRoomTakenElsewhere.With(sl.room))
			}
			if who != "" && lecturerKey(o.Lecturer) == who {
				return fmt.Errorf("courses: session %d of organization %d: %w", o.ID, o.OrgID, ErrLecturerBusyElsewhere.With(sl.lecturer))
			}
			continue
		}
		where := o.Room
		if where == "" {
			where = o.Venue
		}
		args := []any{vn.FormatDate(o.StartsAt.Time), hhmm(o.StartsAt.Time), hhmm(o.EndsAt.Time), where, o.Title}
		if room != "" && roomKey(o.Venue, o.Room) == room {
			return fmt.Errorf("courses: session %d: %w", o.ID, ErrRoomTaken.With(append([]any{sl.room}, args...)...))
		}
		if sameLecturer(sl, o) {
			return fmt.Errorf("courses: session %d: %w", o.ID, ErrLecturerBusy.With(append([]any{sl.lecturer}, args...)...))
		}
	}
	return nil
}

// sameLecturer compares by record where both have one, else by name.
func sameLecturer(sl slot, o clashCandidate) bool {
	if sl.lecturerID != 0 && o.LecturerID != 0 {
		return sl.lecturerID == o.LecturerID
	}
	who := lecturerKey(sl.lecturer)
	return who != "" && lecturerKey(o.Lecturer) == who
}

// checkClashOf checks a slot of course c; a cancelled course holds nothing, so nothing of
// it can clash.
func checkClashOf(ctx context.Context, tx *sqlx.Tx, c *Course, sl slot) error {
	if c.Status == StatusCancelled {
		return nil
	}
	return checkClash(ctx, tx, sl)
}

// lockPlacement orders the transactions that place sessions in rooms and lecturers' hours
// (database.Lock). A transaction that also locks its course row (UpdateCourse) takes this
// lock first; taking it again in the same transaction is free.
func lockPlacement(ctx context.Context, tx *sqlx.Tx) error {
	return database.Lock(ctx, tx, "courses.placement")
}

func hhmm(t time.Time) string { return t.In(vn.Location).Format("15:04") }

// recheckSessions checks every session of a course again after a change that moves them
// (a new venue, a module's new lecturer); change edits each slot before the check.
func recheckSessions(ctx context.Context, tx *sqlx.Tx, courseID int64, change func(*slot)) error {
	c, err := findCourse(ctx, tx, courseID)
	if err != nil {
		return err
	}
	if c.Status == StatusCancelled {
		return nil // its sessions hold no room and no lecturer
	}
	sessions, err := listSessions(ctx, tx, courseID)
	if err != nil {
		return err
	}
	for _, ss := range sessions {
		sl := slot{sessionID: ss.ID, courseID: courseID, orgID: c.OrganizationID, venue: c.Venue, room: ss.Room, lecturer: ss.Lecturer,
			lecturerID: ss.LecturerID, start: ss.StartsAt.Time, end: ss.EndsAt.Time}
		if ss.ModuleID.Valid {
			sl.moduleID = ss.ModuleID.Int64
		}
		change(&sl)
		if err := checkClash(ctx, tx, sl); err != nil {
			return err
		}
	}
	return nil
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
	return listSessions(ctx, s.db.R, courseID)
}

// FindSessionByID returns ErrNotFound for an unknown id.
func (s *Service) FindSessionByID(ctx context.Context, id int64) (*Session, error) {
	return findSession(ctx, s.db.R, id)
}

// listSessions is the one query of a course's sessions, ordered by start.
func listSessions(ctx context.Context, q sqlxQuerier, courseID int64) ([]Session, error) {
	sessions := []Session{}
	err := q.SelectContext(ctx, &sessions, `SELECT `+SessionColumns+`
		FROM sessions s LEFT JOIN modules m ON m.id = s.module_id
		WHERE s.course_id = ? ORDER BY s.starts_at, s.id`, courseID)
	if err != nil {
		return nil, fmt.Errorf("courses: sessions of %d: %w", courseID, err)
	}
	return sessions, nil
}

// findSession is the one query of a session by id; ErrNotFound for an unknown id.
func findSession(ctx context.Context, q sqlxQuerier, id int64) (*Session, error) {
	var sess Session
	err := q.GetContext(ctx, &sess, `SELECT `+SessionColumns+`
		FROM sessions s LEFT JOIN modules m ON m.id = s.module_id WHERE s.id = ?`, id)
	if isNoRows(err) {
		return nil, fmt.Errorf("courses: session %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: session %d: %w", id, err)
	}
	return &sess, nil
}

// checkSessionsInside adds a field error when a session of the course falls outside the
// days [startsOn, endsOn] (Vietnam time).
func checkSessionsInside(ctx context.Context, q sqlxQuerier, courseID int64, startsOn, endsOn string, f errs.Fields) error {
	var bounds struct {
		First database.Time `db:"first"`
		Last  database.Time `db:"last"`
	}
	err := q.GetContext(ctx, &bounds, `SELECT MIN(starts_at) AS first, MAX(ends_at) AS last FROM sessions WHERE course_id = ?`, courseID)
	if err != nil {
		return fmt.Errorf("courses: sessions of %d: %w", courseID, err)
	}
	if bounds.First.IsZero() {
		return nil
	}
	first, last := dayOf(bounds.First.Time), dayOf(bounds.Last.Time.Add(-time.Nanosecond))
	if first < startsOn {
		f.Add("starts_on", "courses.err.sessions_outside", vn.FormatDate(bounds.First.Time))
	}
	if last > endsOn {
		f.Add("ends_on", "courses.err.sessions_outside", vn.FormatDate(bounds.Last.Time))
	}
	return nil
}

// dayOf returns the Vietnamese calendar day of t as YYYY-MM-DD.
func dayOf(t time.Time) string { return t.In(vn.Location).Format("2006-01-02") }
