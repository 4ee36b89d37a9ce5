package certificates

import (
	"context"
	"database/sql"
	"fmt"
	"unicode/utf8"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// Why a trainee is not eligible (Eligibility.Reasons).
const (
	ReasonAttendance = "attendance"  // attended below the course's minimum percent
	ReasonMandatory  = "mandatory"   // missed a mandatory session
	ReasonNoSessions = "no_sessions" // the course has no sessions, so no attendance
	ReasonDenied     = "denied"      // an organizer decided so (Override)
	ReasonRevoked    = "revoked"     // their certificate was revoked; reissue it to grant again
	ReasonPostTest   = "post_test"   // the post-test score is below the course's minimum (TestRule)
)

// TestRule is a condition of the certificate owned by another package — the knowledge
// test's minimum post-test score (evaluation) — asked through this seam so that
// certificates neither imports it nor reads its tables. minPercent 0: no such rule.
// passed and scores (percent) hold the registrations that took the post-test.
type TestRule interface {
	PostTestRule(ctx context.Context, courseID int64) (minPercent int, passed map[int64]bool, scores map[int64]float64, err error)
}

// SetTestRule adds the post-test condition to the eligibility rule.
func (s *Service) SetTestRule(r TestRule) { s.testRule = r }

// MeetsRule reports whether attending attended of planned sessions meets a minimum percent.
// It compares integers, attended×100 ≥ min×planned, so exactly 75% passes a minimum of 75
// and no rounding of a float decides. A course without sessions meets only a minimum of 0.
func MeetsRule(attended, planned, minPercent int) bool {
	if planned == 0 {
		return minPercent == 0
	}
	return attended*100 >= minPercent*planned
}

// Override is an organizer's decision on one trainee, against or beyond the rule.
type Override struct {
	RegistrationID int64         `db:"registration_id" json:"registration_id"`
	Eligible       bool          `db:"eligible" json:"eligible"`
	Reason         string        `db:"reason" json:"reason"`
	UserID         sql.NullInt64 `db:"user_id" json:"-"`
	UserName       string        `db:"user_name" json:"user_name"`
	At             database.Time `db:"at" json:"at"`
}

// Eligibility is one confirmed trainee under the course's rule.
type Eligibility struct {
	Registration    courses.Registration `json:"-"`
	RegistrationID  int64                `json:"registration_id"`
	FullName        string               `json:"full_name"`
	Attended        int                  `json:"attended"`
	Planned         int                  `json:"planned"`
	Percent         float64              `json:"percent"`
	Missed          []courses.Session    `json:"missed"`           // sessions not attended
	MandatoryMissed []courses.Session    `json:"mandatory_missed"` // of those, the mandatory ones
	ByRule          bool                 `json:"by_rule"`          // the rule alone says eligible
	Override        *Override            `json:"override"`
	Eligible        bool                 `json:"eligible"` // the rule, or the override where there is one
	Reasons         []string             `json:"reasons"`  // Reason… codes when not eligible
	Certificate     *Certificate         `json:"certificate"`
	PostTest        *float64             `json:"post_test_percent,omitempty"` // with a post-test rule: the score, nil if not taken
}

// Due reports whether bulk issuing gives this trainee a certificate now.
func (e *Eligibility) Due() bool { return e.Eligible && e.Certificate == nil }

// Preview is the eligibility of every confirmed trainee of a course (Vietnamese order).
type Preview struct {
	Course      *courses.Course
	Sessions    []courses.Session
	MinPercent  int
	MinPostTest int // the post-test minimum percent (0: no such rule)
	Rows        []Eligibility
}

// Count returns how many rows satisfy pred.
func (p *Preview) Count(pred func(*Eligibility) bool) int {
	n := 0
	for i := range p.Rows {
		if pred(&p.Rows[i]) {
			n++
		}
	}
	return n
}

// Eligibility applies the course's rule to its confirmed trainees: present and late count
// as attended, over all planned sessions; every mandatory session must be attended. An
// override replaces the rule's answer. A trainee whose certificate was revoked, with no
// valid one since, is not eligible again until an organizer reissues it.
func (s *Service) Eligibility(ctx context.Context, courseID int64) (*Preview, error) {
	course, err := s.courses.FindCourseByID(ctx, courseID)
	if err != nil {
		return nil, err
	}
	mx, err := s.attend.Matrix(ctx, courseID)
	if err != nil {
		return nil, fmt.Errorf("certificates: eligibility of %d: %w", courseID, err)
	}
	overrides := []Override{}
	err = s.db.R.SelectContext(ctx, &overrides, `SELECT o.registration_id, o.eligible, o.reason, o.user_id,
			COALESCE(u.name, '') AS user_name, o.at
		FROM eligibility_overrides o LEFT JOIN users u ON u.id = o.user_id WHERE o.course_id = ?`, courseID)
	if err != nil {
		return nil, fmt.Errorf("certificates: overrides of %d: %w", courseID, err)
	}
	byReg := make(map[int64]*Override, len(overrides))
	for i := range overrides {
		byReg[overrides[i].RegistrationID] = &overrides[i]
	}
	certs, _, err := s.List(ctx, Filter{CourseID: courseID, Statuses: []string{Valid, Revoked}})
	if err != nil {
		return nil, err
	}
	valid := map[int64]*Certificate{}
	revoked := map[int64]bool{}
	for i := range certs {
		c := &certs[i]
		switch {
		case c.Status == Valid:
			valid[c.RegistrationID] = c
		case !c.SupersededBy.Valid:
			revoked[c.RegistrationID] = true
		}
	}
	p := &Preview{Course: course, Sessions: mx.Sessions, MinPercent: course.MinAttendancePercent,
		Rows: make([]Eligibility, 0, len(mx.Rows))}
	var passed map[int64]bool
	var scores map[int64]float64
	if s.testRule != nil {
		if p.MinPostTest, passed, scores, err = s.testRule.PostTestRule(ctx, courseID); err != nil {
			return nil, fmt.Errorf("certificates: eligibility of %d: %w", courseID, err)
		}
	}
	for _, row := range mx.Rows {
		e := judge(row, mx.Sessions, course.MinAttendancePercent)
		if p.MinPostTest > 0 {
			if sc, ok := scores[e.RegistrationID]; ok {
				e.PostTest = &sc
			}
			if !passed[e.RegistrationID] {
				e.Reasons = append(e.Reasons, ReasonPostTest)
				e.ByRule, e.Eligible = false, false
			}
		}
		e.Override = byReg[e.RegistrationID]
		e.Certificate = valid[e.RegistrationID]
		if e.Override != nil {
			e.Eligible = e.Override.Eligible
			if !e.Eligible {
				e.Reasons = append(e.Reasons, ReasonDenied)
			}
		}
		if e.Eligible && e.Certificate == nil && revoked[e.RegistrationID] {
			e.Eligible = false
			e.Reasons = append(e.Reasons, ReasonRevoked)
		}
		if e.Eligible {
			e.Reasons = []string{}
		}
		p.Rows = append(p.Rows, e)
	}
	return p, nil
}

// judge applies the rule to one row of the attendance matrix.
func judge(row attendance.MatrixRow, sessions []courses.Session, minPercent int) Eligibility {
	e := Eligibility{Registration: row.Registration, RegistrationID: row.Registration.ID,
		FullName: row.Registration.FullName, Planned: len(sessions), Percent: row.Percent,
		Missed: []courses.Session{}, MandatoryMissed: []courses.Session{}, Reasons: []string{}}
	for _, ss := range sessions {
		if attendance.Attended(row.Marks[ss.ID]) {
			e.Attended++
			continue
		}
		e.Missed = append(e.Missed, ss)
		if ss.Mandatory {
			e.MandatoryMissed = append(e.MandatoryMissed, ss)
		}
	}
	switch {
	case e.Planned == 0 && minPercent > 0:
		e.Reasons = append(e.Reasons, ReasonNoSessions)
	case !MeetsRule(e.Attended, e.Planned, minPercent):
		e.Reasons = append(e.Reasons, ReasonAttendance)
	}
	if len(e.MandatoryMissed) > 0 {
		e.Reasons = append(e.Reasons, ReasonMandatory)
	}
	e.ByRule = len(e.Reasons) == 0
	e.Eligible = e.ByRule
	return e
}

// Override decisions.
const (
	Grant = "grant" // eligible whatever the rule says
	Deny  = "deny"  // not eligible whatever the rule says
	Clear = "clear" // back to the rule
)

// OverrideInput records an organizer's decision on one trainee of a course.
type OverrideInput struct {
	CourseID       int64  `json:"-"`
	RegistrationID int64  `json:"registration_id"`
	Decision       string `json:"decision"` // grant, deny or clear
	Reason         string `json:"reason"`
	UserID         int64  `json:"-"`
}

// Normalize cleans the reason.
func (in *OverrideInput) Normalize() { in.Reason = vn.Clean(in.Reason) }

// Validate requires a known decision and, to grant or deny, a written reason.
func (in OverrideInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.Decision == Grant || in.Decision == Deny || in.Decision == Clear, "decision", "cert.err.decision")
	if in.Decision != Clear {
		f.Check(in.Reason != "", "reason", "cert.err.reason_required")
	}
	f.Check(utf8.RuneCountInString(in.Reason) <= 500, "reason", "err.too_long", 500)
	return f.Err()
}

// SetOverride records (or, with Clear, removes) an override with the user and the time.
// Returns ErrNotFound when the registration is not one of the course's.
func (s *Service) SetOverride(ctx context.Context, in OverrideInput) error {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("certificates: override: %w", err)
	}
	defer tx.Rollback()
	var n int
	err = tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM registrations WHERE id = ? AND course_id = ?`,
		in.RegistrationID, in.CourseID)
	if err != nil {
		return fmt.Errorf("certificates: override: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("certificates: registration %d of course %d: %w", in.RegistrationID, in.CourseID, ErrNotFound)
	}
	if in.Decision == Clear {
		_, err = tx.ExecContext(ctx, `DELETE FROM eligibility_overrides WHERE course_id = ? AND registration_id = ?`,
			in.CourseID, in.RegistrationID)
	} else {
		var user any
		if in.UserID != 0 {
			user = in.UserID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO eligibility_overrides (course_id, registration_id, eligible, reason, user_id, at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (course_id, registration_id) DO UPDATE SET eligible = excluded.eligible,
				reason = excluded.reason, user_id = excluded.user_id, at = excluded.at`,
			in.CourseID, in.RegistrationID, in.Decision == Grant, in.Reason, user, database.Now())
	}
	if err != nil {
		return fmt.Errorf("certificates: override %d: %w", in.RegistrationID, err)
	}
	return tx.Commit()
}
