package courses

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"taphuan/vn"
)

// UnitFill is how a sending unit fills its seats in a course. UnitID 0 is a text that
// matched no unit of the directory (Name is then the text as written, flagged for the
// organizer to map); such a text has no quota.
type UnitFill struct {
	UnitID     int64  `json:"unit_id"`
	Name       string `json:"name"`
	Kind       string `json:"kind,omitempty"`
	Locality   string `json:"locality,omitempty"`
	Seats      *int   `json:"seats"` // the quota; nil when the unit has none
	Confirmed  int    `json:"confirmed"`
	Waitlisted int    `json:"waitlisted"`
	Pending    int    `json:"pending"`
}

// Full reports whether the unit has used its quota.
func (u UnitFill) Full() bool { return u.Seats != nil && u.Confirmed >= *u.Seats }

// Unmatched reports whether the row is a text that matched no unit.
func (u UnitFill) Unmatched() bool { return u.UnitID == 0 }

// QuotaFill returns every unit that has a quota or an active registration in the course,
// by name in Vietnamese order (the unmatched texts after them), with its quota and its
// confirmed, waitlisted and pending trainees — one row per unit whatever the spellings.
func (s *Service) QuotaFill(ctx context.Context, courseID int64) ([]UnitFill, error) {
	var rows []struct {
		UnitID int64  `db:"unit_id"`
		Text   string `db:"organization"`
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err := s.db.R.SelectContext(ctx, &rows, `SELECT COALESCE(unit_id, 0) AS unit_id,
		CASE WHEN unit_id IS NULL THEN organization ELSE '' END AS organization, status, COUNT(*) AS n
		FROM registrations WHERE course_id = ? AND status IN ('confirmed', 'waitlisted', 'pending')
		GROUP BY 1, 2, status`, courseID)
	if err != nil {
		return nil, fmt.Errorf("courses: unit fill of course %d: %w", courseID, err)
	}
	var quotas []struct {
		UnitID int64 `db:"unit_id"`
		Seats  int   `db:"seats"`
	}
	if err := s.db.R.SelectContext(ctx, &quotas, `SELECT unit_id, seats FROM course_unit_quotas WHERE course_id = ?`, courseID); err != nil {
		return nil, fmt.Errorf("courses: quotas of course %d: %w", courseID, err)
	}
	var names []struct {
		ID       int64  `db:"id"`
		Name     string `db:"name"`
		Kind     string `db:"kind"`
		Locality string `db:"locality"`
	}
	if err := s.db.R.SelectContext(ctx, &names, `SELECT id, name, kind, locality FROM units WHERE id IN
		(SELECT unit_id FROM course_unit_quotas WHERE course_id = ?
		 UNION SELECT unit_id FROM registrations WHERE course_id = ? AND unit_id IS NOT NULL)`, courseID, courseID); err != nil {
		return nil, fmt.Errorf("courses: units of course %d: %w", courseID, err)
	}
	type key struct {
		id   int64
		text string
	}
	by := map[key]*UnitFill{}
	for _, n := range names {
		by[key{n.ID, ""}] = &UnitFill{UnitID: n.ID, Name: n.Name, Kind: n.Kind, Locality: n.Locality}
	}
	for _, q := range quotas {
		seats := q.Seats
		if u := by[key{q.UnitID, ""}]; u != nil {
			u.Seats = &seats
		}
	}
	for _, r := range rows {
		k := key{r.UnitID, r.Text}
		u := by[k]
		if u == nil {
			u = &UnitFill{UnitID: r.UnitID, Name: r.Text}
			by[k] = u
		}
		switch r.Status {
		case RegConfirmed:
			u.Confirmed += r.N
		case RegWaitlisted:
			u.Waitlisted += r.N
		case RegPending:
			u.Pending += r.N
		}
	}
	out := make([]UnitFill, 0, len(by))
	for _, u := range by {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Unmatched() != out[j].Unmatched() {
			return !out[i].Unmatched()
		}
		return compareText(out[i].Name, out[j].Name) < 0
	})
	return out, nil
}

// UnitQuota is a unit's quota of one course, for its focal point.
type UnitQuota struct {
	Course    Course
	Seats     int
	Confirmed int
}

// CoursesForUnit returns the courses that give unit seats, the newest first, with its quota
// and how many of its people are confirmed — what a focal point sees.
func (s *Service) CoursesForUnit(ctx context.Context, unitID int64) ([]UnitQuota, error) {
	var rows []struct {
		ID        int64 `db:"course_id"`
		Seats     int   `db:"seats"`
		Confirmed int   `db:"confirmed"`
	}
	if err := s.db.R.SelectContext(ctx, &rows, `SELECT q.course_id, q.seats,
		(SELECT COUNT(*) FROM registrations r WHERE r.course_id = q.course_id AND r.unit_id = q.unit_id
			AND r.status = 'confirmed') AS confirmed
		FROM course_unit_quotas q JOIN courses c ON c.id = q.course_id
		WHERE q.unit_id = ? AND c.status <> 'draft' ORDER BY c.starts_on DESC, c.id DESC`, unitID); err != nil {
		return nil, fmt.Errorf("courses: courses of unit %d: %w", unitID, err)
	}
	out := make([]UnitQuota, 0, len(rows))
	for _, r := range rows {
		c, err := s.FindCourseByID(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, UnitQuota{Course: *c, Seats: r.Seats, Confirmed: r.Confirmed})
	}
	return out, nil
}

// UnitQuotaOf returns unit's quota in a course; ok is false when the course gives it none
// (or is a draft): a focal point then sees nothing of the course.
func (s *Service) UnitQuotaOf(ctx context.Context, courseID, unitID int64) (q UnitQuota, ok bool, err error) {
	all, err := s.CoursesForUnit(ctx, unitID)
	if err != nil {
		return q, false, err
	}
	for _, a := range all {
		if a.Course.ID == courseID {
			return a, true, nil
		}
	}
	return q, false, nil
}

// compareText orders names of things (units, places) word by word as written, with the
// Vietnamese letter order.
func compareText(a, b string) int {
	return bytes.Compare(vn.SortKey(a, a), vn.SortKey(b, b))
}
