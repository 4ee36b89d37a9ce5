package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

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
	// ConfirmedCount is the seats taken: the counter kept by triggers on registrations
	// (migration 00007), read with the row (under the course's lock in the registrar).
	ConfirmedCount int `db:"confirmed_count" json:"-"`
}

// CourseColumns lists the columns of Course, for SELECTs.
const CourseColumns = `id, organization_id, title, co_organizer, program_id, program, venue, place_name,
	starts_on, ends_on, capacity, registration_mode, registration_opens_at, registration_closes_at,
	min_attendance_percent, support_amount_per_day, description, target_audience, status,
	created_at, updated_at, confirmed_count,
	(SELECT MIN(starts_at) FROM sessions WHERE sessions.course_id = courses.id) AS first_session_at,
	(SELECT MAX(ends_at) FROM sessions WHERE sessions.course_id = courses.id) AS last_session_ends_at`

// StartDate is the first day of the course (midnight UTC of that calendar day).
func (c *Course) StartDate() time.Time { t, _ := vn.ParseDate(c.StartsOn); return t }

// EndDate is the last day of the course.
func (c *Course) EndDate() time.Time { t, _ := vn.ParseDate(c.EndsOn); return t }

// FindCourseByID returns course id, settled (lifecycle.go); ErrNotFound for an unknown id.
func (s *Service) FindCourseByID(ctx context.Context, id int64) (*Course, error) {
	c, err := loadCourse(ctx, s.db.R, id, "")
	if err != nil {
		return nil, err
	}
	if err := s.settle(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
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

// Errors about courses.
var (
	ErrDeleteStatus           = errs.New(errs.Conflict, "courses.err.delete_status")
	ErrDeleteHasRegistrations = errs.New(errs.Conflict, "courses.err.delete_has_registrations")
)

// Limits of the text fields (in characters).
const (
	maxTitle    = 300
	maxLongText = 5000
)

// CourseInput is a whole course as an organizer fills it in. Dates are YYYY-MM-DD (dd/mm/yyyy
// is accepted and normalized); the registration window is two instants, either may be unset.
type CourseInput struct {
	OrganizationID       int64         `json:"organization_id"`
	Title                string        `json:"title"`
	CoOrganizer          string        `json:"co_organizer"`
	ProgramID            int64         `json:"program_id"` // a node of the program tree, 0: none
	Program              string        `json:"program"`    // free text, used when ProgramID is 0
	Venue                string        `json:"venue"`
	PlaceName            string        `json:"place_name"`
	StartsOn             string        `json:"starts_on"`
	EndsOn               string        `json:"ends_on"`
	Capacity             int           `json:"capacity"`
	RegistrationMode     string        `json:"registration_mode"`
	RegistrationOpensAt  database.Time `json:"registration_opens_at"`
	RegistrationClosesAt database.Time `json:"registration_closes_at"`
	MinAttendancePercent int           `json:"min_attendance_percent"`
	SupportAmountPerDay  int64         `json:"support_amount_per_day"`
	Description          string        `json:"description"`
	TargetAudience       string        `json:"target_audience"`
}

// NewCourseInput returns the defaults of a new course: open registration and 80% attendance
// for a certificate. Decode a request over it so that omitted fields keep the defaults.
func NewCourseInput() CourseInput {
	return CourseInput{RegistrationMode: ModeOpen, MinAttendancePercent: 80}
}

// Normalize cleans the text fields (NFC, trimmed, single spaces; the description keeps its
// lines) and writes valid dates as YYYY-MM-DD.
func (in *CourseInput) Normalize() {
	in.Title = vn.Clean(in.Title)
	in.CoOrganizer = vn.Clean(in.CoOrganizer)
	in.Program = vn.Clean(in.Program)
	in.Venue = vn.Clean(in.Venue)
	in.PlaceName = vn.Clean(in.PlaceName)
	in.StartsOn = normalizeDate(in.StartsOn)
	in.EndsOn = normalizeDate(in.EndsOn)
	in.RegistrationMode = strings.ToLower(strings.TrimSpace(in.RegistrationMode))
	in.Description = cleanLines(in.Description)
	in.TargetAudience = cleanLines(in.TargetAudience)
}

func normalizeDate(s string) string {
	if d, err := vn.ParseDate(s); err == nil {
		return d.Format("2006-01-02")
	}
	return strings.TrimSpace(s)
}

// cleanLines cleans each line of a multi-line text and drops blank runs at both ends.
func cleanLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = vn.Clean(l)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// parseCourseDate reads a date of a course; years far from now are typing mistakes.
func parseCourseDate(s string) (time.Time, bool) {
	d, err := vn.ParseDate(s)
	return d, err == nil && d.Year() >= 2000 && d.Year() <= 2099
}

// Validate checks every field; the messages name the field as in the JSON API.
func (in CourseInput) Validate() error { return in.fields().Err() }

func (in CourseInput) fields() errs.Fields {
	f := errs.Fields{}
	f.Check(in.OrganizationID > 0, "organization_id", "courses.err.organization")
	f.Check(in.Title != "", "title", "err.required")
	f.Check(len([]rune(in.Title)) <= maxTitle, "title", "err.too_long", maxTitle)
	f.Check(len([]rune(in.CoOrganizer)) <= maxTitle, "co_organizer", "err.too_long", maxTitle)
	f.Check(len([]rune(in.Program)) <= 1000, "program", "err.too_long", 1000)
	f.Check(in.ProgramID >= 0, "program_id", "courses.err.program_unknown")
	f.Check(len([]rune(in.Venue)) <= maxTitle, "venue", "err.too_long", maxTitle)
	f.Check(len([]rune(in.PlaceName)) <= 100, "place_name", "err.too_long", 100)
	f.Check(len([]rune(in.Description)) <= maxLongText, "description", "err.too_long", maxLongText)
	f.Check(len([]rune(in.TargetAudience)) <= maxLongText, "target_audience", "err.too_long", maxLongText)
	start, okStart := parseCourseDate(in.StartsOn)
	end, okEnd := parseCourseDate(in.EndsOn)
	if in.StartsOn == "" {
		f.Add("starts_on", "err.required")
	}
	f.Check(okStart, "starts_on", "courses.err.date")
	if in.EndsOn == "" {
		f.Add("ends_on", "err.required")
	}
	f.Check(okEnd, "ends_on", "courses.err.date")
	if okStart && okEnd {
		f.Check(!end.Before(start), "ends_on", "courses.err.ends_before_starts")
		f.Check(end.Sub(start) <= 366*24*time.Hour, "ends_on", "courses.err.too_long_course")
	}
	f.Check(in.Capacity >= 1, "capacity", "courses.err.capacity_min")
	f.Check(in.Capacity <= 100000, "capacity", "courses.err.capacity_max", 100000)
	f.Check(in.RegistrationMode == ModeOpen || in.RegistrationMode == ModeApproval, "registration_mode", "courses.err.mode")
	if !in.RegistrationOpensAt.IsZero() && !in.RegistrationClosesAt.IsZero() {
		f.Check(in.RegistrationClosesAt.After(in.RegistrationOpensAt.Time), "registration_closes_at", "courses.err.window")
	}
	f.Check(in.MinAttendancePercent >= 0 && in.MinAttendancePercent <= 100, "min_attendance_percent", "courses.err.percent")
	f.Check(in.SupportAmountPerDay >= 0, "support_amount_per_day", "courses.err.amount")
	return f
}

// InputOf returns the fields of c as an input, e.g. to fill an edit form.
func InputOf(c *Course) CourseInput {
	in := CourseInput{
		OrganizationID: c.OrganizationID, Title: c.Title, CoOrganizer: c.CoOrganizer, Program: c.Program,
		Venue: c.Venue, PlaceName: c.PlaceName, StartsOn: c.StartsOn, EndsOn: c.EndsOn, Capacity: c.Capacity,
		RegistrationMode: c.RegistrationMode, RegistrationOpensAt: c.RegistrationOpensAt,
		RegistrationClosesAt: c.RegistrationClosesAt, MinAttendancePercent: c.MinAttendancePercent,
		SupportAmountPerDay: c.SupportAmountPerDay, Description: c.Description, TargetAudience: c.TargetAudience,
	}
	if c.ProgramID.Valid {
		in.ProgramID = c.ProgramID.Int64
	}
	return in
}

// CoursePatch changes some fields of a course (nil: unchanged) and maybe its status. A zero
// RegistrationOpensAt/ClosesAt clears that end of the window; a ProgramID of 0 files the
// course under no node; setting Program alone (free text) files it under no node either.
type CoursePatch struct {
	OrganizationID       *int64         `json:"organization_id"`
	Title                *string        `json:"title"`
	CoOrganizer          *string        `json:"co_organizer"`
	ProgramID            *int64         `json:"program_id"`
	Program              *string        `json:"program"`
	Venue                *string        `json:"venue"`
	PlaceName            *string        `json:"place_name"`
	StartsOn             *string        `json:"starts_on"`
	EndsOn               *string        `json:"ends_on"`
	Capacity             *int           `json:"capacity"`
	RegistrationMode     *string        `json:"registration_mode"`
	RegistrationOpensAt  *database.Time `json:"registration_opens_at"`
	RegistrationClosesAt *database.Time `json:"registration_closes_at"`
	MinAttendancePercent *int           `json:"min_attendance_percent"`
	SupportAmountPerDay  *int64         `json:"support_amount_per_day"`
	Description          *string        `json:"description"`
	TargetAudience       *string        `json:"target_audience"`
	Status               *string        `json:"status"`
}

// PatchOf returns a patch that sets every field of in, as an edit form sends them. A
// program node leaves the program text alone: an unchanged node keeps the path it was
// filed with, a new node gives its own.
func PatchOf(in CourseInput) CoursePatch {
	p := CoursePatch{
		OrganizationID: &in.OrganizationID, Title: &in.Title, CoOrganizer: &in.CoOrganizer, ProgramID: &in.ProgramID,
		Venue: &in.Venue, PlaceName: &in.PlaceName, StartsOn: &in.StartsOn, EndsOn: &in.EndsOn,
		Capacity: &in.Capacity, RegistrationMode: &in.RegistrationMode,
		RegistrationOpensAt: &in.RegistrationOpensAt, RegistrationClosesAt: &in.RegistrationClosesAt,
		MinAttendancePercent: &in.MinAttendancePercent, SupportAmountPerDay: &in.SupportAmountPerDay,
		Description: &in.Description, TargetAudience: &in.TargetAudience,
	}
	if in.ProgramID == 0 {
		p.Program = &in.Program
	}
	return p
}

func (p CoursePatch) apply(in *CourseInput) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if p.OrganizationID != nil {
		in.OrganizationID = *p.OrganizationID
	}
	set(&in.Title, p.Title)
	set(&in.CoOrganizer, p.CoOrganizer)
	set(&in.Venue, p.Venue)
	set(&in.PlaceName, p.PlaceName)
	set(&in.StartsOn, p.StartsOn)
	set(&in.EndsOn, p.EndsOn)
	set(&in.RegistrationMode, p.RegistrationMode)
	set(&in.Description, p.Description)
	set(&in.TargetAudience, p.TargetAudience)
	if p.Program != nil {
		in.Program = *p.Program
		if p.ProgramID == nil {
			in.ProgramID = 0
		}
	}
	if p.ProgramID != nil {
		in.ProgramID = *p.ProgramID
	}
	if p.Capacity != nil {
		in.Capacity = *p.Capacity
	}
	if p.RegistrationOpensAt != nil {
		in.RegistrationOpensAt = *p.RegistrationOpensAt
	}
	if p.RegistrationClosesAt != nil {
		in.RegistrationClosesAt = *p.RegistrationClosesAt
	}
	if p.MinAttendancePercent != nil {
		in.MinAttendancePercent = *p.MinAttendancePercent
	}
	if p.SupportAmountPerDay != nil {
		in.SupportAmountPerDay = *p.SupportAmountPerDay
	}
}

// fileUnder resolves the program of in inside tx: a node gives its current path (the
// snapshot kept on the course); an unknown node is a field error.
func fileUnder(ctx context.Context, tx *sqlx.Tx, in *CourseInput, f errs.Fields) error {
	if in.ProgramID == 0 {
		return nil
	}
	p, err := findProgram(ctx, tx, in.ProgramID)
	if errors.Is(err, ErrNotFound) {
		f.Add("program_id", "courses.err.program_unknown")
		return nil
	}
	if err != nil {
		return err
	}
	in.Program = p.Path
	return nil
}

// CreateCourse adds a course in status draft. An unknown organization or program node is a
// field error.
func (s *Service) CreateCourse(ctx context.Context, in CourseInput) (*Course, error) {
	in.Normalize()
	f := in.fields()
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: create course: %w", err)
	}
	defer tx.Rollback()
	if err := fileUnder(ctx, tx, &in, f); err != nil {
		return nil, err
	}
	if in.OrganizationID > 0 {
		if err := checkOrganization(ctx, tx, in.OrganizationID, f); err != nil {
			return nil, err
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	id, err := insertCourse(ctx, tx, in)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: create course: %w", err)
	}
	return s.FindCourseByID(ctx, id)
}

// UpdateCourse applies p to course id in one transaction and returns the course as stored.
// The whole resulting course is validated (field errors), and also: the capacity may not go
// below the number of confirmed registrations, and the dates must still hold every session.
// A status change must follow the lifecycle (draft → open → closed → completed, and
// cancelled from draft, open or closed; closed → open reopens registration); a move that
// makes no sense is a conflict whose message says why. Returns ErrNotFound for an unknown id.
func (s *Service) UpdateCourse(ctx context.Context, id int64, p CoursePatch) (*Course, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: update course %d: %w", id, err)
	}
	defer tx.Rollback()
	// A new venue moves every session: the placement lock comes before the course row's,
	// the order every transaction that holds both keeps.
	if err := lockPlacement(ctx, tx); err != nil {
		return nil, err
	}
	// Locked like the registrar's: the capacity is checked against the confirmed seats,
	// which no registration may change meanwhile.
	c, err := findCourseForUpdate(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	in := InputOf(c)
	p.apply(&in)
	in.Normalize()
	f := in.fields()
	if p.ProgramID != nil && (!c.ProgramID.Valid || c.ProgramID.Int64 != in.ProgramID) {
		// Filed anew: take the node's current path. An unchanged node keeps the path it
		// was filed with, whatever the node is called today.
		if err := fileUnder(ctx, tx, &in, f); err != nil {
			return nil, err
		}
	}
	if p.OrganizationID != nil && in.OrganizationID != c.OrganizationID && in.OrganizationID > 0 {
		if err := checkOrganization(ctx, tx, in.OrganizationID, f); err != nil {
			return nil, err
		}
	}
	if p.Capacity != nil && f["capacity"].Key == "" {
		f.Check(in.Capacity >= c.ConfirmedCount, "capacity", "courses.err.capacity_confirmed", c.ConfirmedCount)
	}
	if (in.StartsOn != c.StartsOn || in.EndsOn != c.EndsOn) && f["starts_on"].Key == "" && f["ends_on"].Key == "" {
		if err := checkSessionsInside(ctx, tx, id, in.StartsOn, in.EndsOn, f); err != nil {
			return nil, err
		}
	}
	status := c.Status
	if p.Status != nil {
		status = strings.ToLower(strings.TrimSpace(*p.Status))
		f.Check(slices.Contains(Statuses(), status), "status", "courses.err.status")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if status != c.Status && !CanTransition(c.Status, status) {
		return nil, fmt.Errorf("courses: course %d: %w", id, transitionError(c.Status, status))
	}
	if status == StatusOpen && c.Status == StatusClosed {
		// Reopened registration must be open by the calendar, with the new window. (A
		// draft of a course that is over may be published: the calendar completes it.)
		after := *c
		after.Status, after.RegistrationClosesAt, after.StartsOn, after.EndsOn = StatusOpen, in.RegistrationClosesAt, in.StartsOn, in.EndsOn
		if after.DueStatus(time.Now()) != StatusOpen {
			return nil, fmt.Errorf("courses: course %d: %w", id, ErrReopenPast)
		}
	}
	if vn.Fold(in.Venue) != vn.Fold(c.Venue) && status != StatusCancelled {
		// The room of a session is a room of the venue: a new venue may clash.
		if err := recheckSessions(ctx, tx, id, func(sl *slot) { sl.venue = in.Venue }); err != nil {
			return nil, err
		}
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE courses SET organization_id = ?, title = ?, title_folded = ?, co_organizer = ?, program_id = ?,
			program = ?, venue = ?, place_name = ?, starts_on = ?, ends_on = ?, capacity = ?,
			registration_mode = ?, registration_opens_at = ?, registration_closes_at = ?,
			min_attendance_percent = ?, support_amount_per_day = ?, description = ?, target_audience = ?,
			status = ?, updated_at = ?
		WHERE id = ?`,
		in.OrganizationID, in.Title, vn.Fold(in.Title), in.CoOrganizer, nullID(in.ProgramID), in.Program,
		in.Venue, in.PlaceName, in.StartsOn, in.EndsOn, in.Capacity, in.RegistrationMode,
		in.RegistrationOpensAt, in.RegistrationClosesAt, in.MinAttendancePercent, in.SupportAmountPerDay,
		in.Description, in.TargetAudience, status, database.Now(), id)
	if err != nil {
		return nil, fmt.Errorf("courses: update course %d: %w", id, err)
	}
	if in.Capacity > c.Capacity {
		// Seats were freed: those who wait get them first, in order, in this transaction —
		// never the next newcomer.
		if _, err := s.PromoteWaitlistedTx(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: update course %d: %w", id, err)
	}
	return s.FindCourseByID(ctx, id)
}

// SetStatus moves course id to status, as UpdateCourse does.
func (s *Service) SetStatus(ctx context.Context, id int64, status string) (*Course, error) {
	return s.UpdateCourse(ctx, id, CoursePatch{Status: &status})
}

// findCourse returns course id inside a transaction (or from the reader pool), with the
// status the calendar gives it now — written back by whoever writes the course. ErrNotFound
// for an unknown id.
func findCourse(ctx context.Context, q sqlxQuerier, id int64) (*Course, error) {
	return dueCourse(loadCourse(ctx, q, id, ""))
}

// findCourseForUpdate is findCourse with the row locked until commit on PostgreSQL (SQLite's
// one writer orders writes already): the writers of one course wait for each other.
func findCourseForUpdate(ctx context.Context, tx *sqlx.Tx, id int64) (*Course, error) {
	return dueCourse(loadCourse(ctx, tx, id, database.ForUpdate(tx)))
}

func dueCourse(c *Course, err error) (*Course, error) {
	if err != nil {
		return nil, err
	}
	c.Status = c.DueStatus(time.Now())
	return c, nil
}

// loadCourse is the one query of a course by id: the row as stored; lock is appended to it
// (database.ForUpdate or "").
func loadCourse(ctx context.Context, q sqlxQuerier, id int64, lock string) (*Course, error) {
	var c Course
	err := q.GetContext(ctx, &c, `SELECT `+CourseColumns+` FROM courses WHERE id = ?`+lock, id)
	if isNoRows(err) {
		return nil, fmt.Errorf("courses: course %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: course %d: %w", id, err)
	}
	return &c, nil
}

// insertCourse stores in as a new draft course and returns its id; in is normalized and
// valid, its program resolved.
func insertCourse(ctx context.Context, tx *sqlx.Tx, in CourseInput) (int64, error) {
	now := database.Now()
	var id int64
	err := tx.QueryRowxContext(ctx, `
		INSERT INTO courses (organization_id, title, title_folded, co_organizer, program_id, program, venue,
			place_name, starts_on, ends_on, capacity, registration_mode, registration_opens_at,
			registration_closes_at, min_attendance_percent, support_amount_per_day, description,
			target_audience, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.OrganizationID, in.Title, vn.Fold(in.Title), in.CoOrganizer, nullID(in.ProgramID), in.Program,
		in.Venue, in.PlaceName, in.StartsOn, in.EndsOn, in.Capacity, in.RegistrationMode,
		in.RegistrationOpensAt, in.RegistrationClosesAt, in.MinAttendancePercent, in.SupportAmountPerDay,
		in.Description, in.TargetAudience, StatusDraft, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("courses: insert course: %w", err)
	}
	return id, nil
}

// checkOrganization adds a field error to f when organization id does not exist. The
// organizations are accounts' table; a course only needs to know the row is there, inside
// the transaction that files the course under it.
func checkOrganization(ctx context.Context, q sqlxQuerier, id int64, f errs.Fields) error {
	var n int
	if err := q.GetContext(ctx, &n, `SELECT COUNT(*) FROM organizations WHERE id = ?`, id); err != nil {
		return fmt.Errorf("courses: organization %d: %w", id, err)
	}
	f.Check(n == 1, "organization_id", "courses.err.organization")
	return nil
}

// checkSessionsInside adds a field error when a session of the course falls outside the

// DeleteCourse removes a draft or cancelled course with its modules and sessions. Any other
// status is ErrDeleteStatus (cancel it instead); a course that has registrations or
// certificates is ErrDeleteHasRegistrations.
func (s *Service) DeleteCourse(ctx context.Context, id int64) error {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("courses: delete course %d: %w", id, err)
	}
	defer tx.Rollback()
	c, err := findCourse(ctx, tx, id)
	if err != nil {
		return err
	}
	if c.Status != StatusDraft && c.Status != StatusCancelled {
		return fmt.Errorf("courses: delete course %d: %w", id, ErrDeleteStatus)
	}
	// Sessions and modules are this package's; other areas' rows that may go with the
	// course (unit quotas) cascade, and rows that must not (registrations, certificates)
	// make the delete fail.
	for _, q := range []string{`DELETE FROM sessions WHERE course_id = ?`, `DELETE FROM modules WHERE course_id = ?`,
		`DELETE FROM courses WHERE id = ?`} {
		if _, err := tx.ExecContext(ctx, q, id); database.IsForeignKeyViolation(err) {
			return fmt.Errorf("courses: delete course %d: %w", id, ErrDeleteHasRegistrations)
		} else if err != nil {
			return fmt.Errorf("courses: delete course %d: %w", id, err)
		}
	}
	return tx.Commit()
}

// CourseFilter selects courses. Courses of no organization are visible unless
// AllOrganizations is set or OrgIDs lists theirs, so an empty filter shows nothing.
type CourseFilter struct {
	AllOrganizations bool
	OrgIDs           []int64
	Status           string   // one status, or ""
	Statuses         []string // any of these statuses (with Status, both must hold)
	ProgramID        int64    // filed under this node or below it
	From, To         string   // YYYY-MM-DD: the course runs on some day in [From, To]; either may be ""
	Query            string   // words of the title, without diacritics
	Limit            int      // 0: no limit
	Offset           int
	Ascending        bool // soonest first; by default the latest start comes first
}

// ListCourses returns the courses that match f and how many match in all.
func (s *Service) ListCourses(ctx context.Context, f CourseFilter) ([]Course, int, error) {
	var where []string
	var args []any
	if !f.AllOrganizations {
		if len(f.OrgIDs) == 0 {
			return []Course{}, 0, nil
		}
		where = append(where, "organization_id IN (?)")
		args = append(args, f.OrgIDs)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?)")
		args = append(args, f.Statuses)
	}
	if f.ProgramID > 0 {
		all, err := s.ListPrograms(ctx)
		if err != nil {
			return nil, 0, err
		}
		ids := programDescendants(all, f.ProgramID)
		if len(ids) == 0 {
			return []Course{}, 0, nil
		}
		where = append(where, "program_id IN (?)")
		args = append(args, ids)
	}
	if f.From != "" {
		where = append(where, "ends_on >= ?")
		args = append(args, f.From)
	}
	if f.To != "" {
		where = append(where, "starts_on <= ?")
		args = append(args, f.To)
	}
	for _, w := range strings.Fields(vn.Fold(f.Query)) {
		where = append(where, `title_folded LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(w)+"%")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	cond, args, err := sqlx.In(cond, args...) // the lists of the filter, one ? each
	if err != nil {
		return nil, 0, fmt.Errorf("courses: list courses: %w", err)
	}
	if err := s.settleAll(ctx); err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM courses`+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("courses: count courses: %w", err)
	}
	order := " ORDER BY starts_on DESC, id DESC"
	if f.Ascending {
		order = " ORDER BY starts_on, id"
	}
	query := `SELECT ` + CourseColumns + ` FROM courses` + cond + order
	if f.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	out := []Course{}
	if err := s.db.R.SelectContext(ctx, &out, query, args...); err != nil {
		return nil, 0, fmt.Errorf("courses: list courses: %w", err)
	}
	return out, total, nil
}

// CopyInput says when the copy of a course starts, and optionally its new title.
type CopyInput struct {
	StartsOn string `json:"starts_on"`
	Title    string `json:"title"` // "": the same title
}

// Normalize cleans the title and writes a valid date as YYYY-MM-DD.
func (in *CopyInput) Normalize() {
	in.StartsOn = normalizeDate(in.StartsOn)
	in.Title = vn.Clean(in.Title)
}

// Validate checks a normalized input: a start date, and a title that is not too long.
func (in CopyInput) Validate() error {
	f := errs.Fields{}
	_, ok := parseCourseDate(in.StartsOn)
	if in.StartsOn == "" {
		f.Add("starts_on", "err.required")
	}
	f.Check(ok, "starts_on", "courses.err.date")
	f.Check(len([]rune(in.Title)) <= maxTitle, "title", "err.too_long", maxTitle)
	return f.Err()
}

// CopyCourse makes a new draft course from course id, as a template for the next one: the
// same fields, modules and sessions, every date moved so that the copy starts on
// in.StartsOn (sessions keep their clock times), no registrations. A session of the copy
// that clashes with another course is a conflict naming that session, and nothing is copied.
func (s *Service) CopyCourse(ctx context.Context, id int64, in CopyInput) (*Course, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	newStart, _ := parseCourseDate(in.StartsOn)
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: copy course %d: %w", id, err)
	}
	defer tx.Rollback()
	c, err := findCourse(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	days := int(newStart.Sub(c.StartDate()).Hours() / 24)
	shift := func(t database.Time) database.Time {
		if t.IsZero() {
			return t
		}
		return database.Time{Time: t.In(vn.Location).AddDate(0, 0, days)}
	}
	cp := InputOf(c)
	if in.Title != "" {
		cp.Title = in.Title
	}
	cp.StartsOn = newStart.Format("2006-01-02")
	cp.EndsOn = c.EndDate().AddDate(0, 0, days).Format("2006-01-02")
	cp.RegistrationOpensAt = shift(c.RegistrationOpensAt)
	cp.RegistrationClosesAt = shift(c.RegistrationClosesAt)
	if cp.ProgramID != 0 {
		if p, err := findProgram(ctx, tx, cp.ProgramID); err == nil {
			cp.Program = p.Path // a new filing takes the node's name of today
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	if err := cp.Validate(); err != nil {
		return nil, err
	}
	newID, err := insertCourse(ctx, tx, cp)
	if err != nil {
		return nil, err
	}
	modules, err := listModules(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	moduleMap := map[int64]int64{}
	for _, m := range modules {
		m.CourseID = newID
		mid, err := insertModule(ctx, tx, m)
		if err != nil {
			return nil, err
		}
		moduleMap[m.ID] = mid
	}
	sessions, err := listSessions(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	for _, old := range sessions {
		sl := slot{courseID: newID, orgID: cp.OrganizationID, venue: cp.Venue, room: old.Room, lecturer: old.Lecturer,
			lecturerID: old.LecturerID, start: shift(old.StartsAt).Time, end: shift(old.EndsAt).Time}
		if err := checkClash(ctx, tx, sl); err != nil {
			return nil, err
		}
		if old.ModuleID.Valid {
			sl.moduleID = moduleMap[old.ModuleID.Int64]
		}
		if _, err := insertSession(ctx, tx, sl, old.Mandatory); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: copy course %d: %w", id, err)
	}
	return s.FindCourseByID(ctx, newID)
}
