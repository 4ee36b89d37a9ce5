package courses

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"taphuan/errs"
	"taphuan/vn"
)

// QuotaInput sets the seats of a sending unit in a course (chỉ tiêu). A unit is matched
// the way registrations name it, without regard to case, diacritics placement or spaces.
type QuotaInput struct {
	CourseID int64  `json:"-"`
	Unit     string `json:"unit" form:"unit"`
	Seats    int    `json:"seats" form:"seats"`
}

// Validate checks the unit and the seats.
func (in QuotaInput) Validate() error {
	f := errs.Fields{}
	f.Check(vn.Clean(in.Unit) != "", "unit", "err.required")
	f.Check(len([]rune(vn.Clean(in.Unit))) <= maxUnitLen, "unit", "err.too_long", maxUnitLen)
	f.Check(in.Seats >= 0 && in.Seats <= 100000, "seats", "reg.err.seats")
	return f.Err()
}

// SetQuota sets (or replaces) a unit's quota and, in the same transaction, promotes the
// waitlisted trainees a larger quota now lets in. Lowering a quota below the trainees
// already confirmed moves nobody out: it only holds back new ones. Returns the promoted.
func (s *Service) SetQuota(ctx context.Context, in QuotaInput) ([]int64, error) {
	in.Unit = vn.Clean(in.Unit)
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.quotaChange(ctx, in.CourseID, `INSERT INTO unit_quotas (course_id, unit, unit_folded, seats) VALUES (?, ?, ?, ?)
		ON CONFLICT (course_id, unit_folded) DO UPDATE SET unit = excluded.unit, seats = excluded.seats`,
		in.CourseID, in.Unit, vn.Fold(in.Unit), in.Seats)
}

// DeleteQuota removes a unit's quota (its trainees then only need a seat in the course)
// and promotes whom that lets in.
func (s *Service) DeleteQuota(ctx context.Context, courseID int64, unit string) ([]int64, error) {
	return s.quotaChange(ctx, courseID, `DELETE FROM unit_quotas WHERE course_id = ? AND unit_folded = ?`,
		courseID, vn.Fold(unit))
}

func (s *Service) quotaChange(ctx context.Context, courseID int64, query string, args ...any) ([]int64, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: quota of course %d: %w", courseID, err)
	}
	defer tx.Rollback()
	var exists int
	if err := tx.GetContext(ctx, &exists, `SELECT COUNT(*) FROM courses WHERE id = ?`, courseID); err != nil {
		return nil, fmt.Errorf("courses: quota of course %d: %w", courseID, err)
	}
	if exists == 0 {
		return nil, fmt.Errorf("courses: course %d: %w", courseID, ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return nil, fmt.Errorf("courses: quota of course %d: %w", courseID, err)
	}
	ids, err := s.PromoteWaitlistedTx(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: quota of course %d: %w", courseID, err)
	}
	return ids, nil
}

// UnitFill is how a sending unit fills its seats in a course.
type UnitFill struct {
	Unit       string `json:"unit"`
	Seats      *int   `json:"seats"` // the quota; nil when the unit has none
	Confirmed  int    `json:"confirmed"`
	Waitlisted int    `json:"waitlisted"`
	Pending    int    `json:"pending"`
}

// Full reports whether the unit has used its quota.
func (u UnitFill) Full() bool { return u.Seats != nil && u.Confirmed >= *u.Seats }

// QuotaFill returns every unit that has a quota or an active registration in the course,
// by name in Vietnamese order, with its quota and its confirmed, waitlisted and pending
// trainees.
func (s *Service) QuotaFill(ctx context.Context, courseID int64) ([]UnitFill, error) {
	var rows []struct {
		Unit   string `db:"unit_folded"`
		Name   string `db:"organization"`
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err := s.db.R.SelectContext(ctx, &rows, `SELECT unit_folded, MIN(organization) AS organization, status, COUNT(*) AS n
		FROM registrations WHERE course_id = ? AND status IN ('confirmed', 'waitlisted', 'pending')
		GROUP BY unit_folded, status`, courseID)
	if err != nil {
		return nil, fmt.Errorf("courses: unit fill of course %d: %w", courseID, err)
	}
	var quotas []struct {
		Unit  string `db:"unit_folded"`
		Name  string `db:"unit"`
		Seats int    `db:"seats"`
	}
	if err := s.db.R.SelectContext(ctx, &quotas, `SELECT unit_folded, unit, seats FROM unit_quotas WHERE course_id = ?`, courseID); err != nil {
		return nil, fmt.Errorf("courses: quotas of course %d: %w", courseID, err)
	}
	byUnit := map[string]*UnitFill{}
	get := func(folded, name string) *UnitFill {
		u, ok := byUnit[folded]
		if !ok {
			u = &UnitFill{Unit: name}
			byUnit[folded] = u
		}
		return u
	}
	for _, q := range quotas {
		seats := q.Seats
		get(q.Unit, q.Name).Seats = &seats
	}
	for _, r := range rows {
		u := get(r.Unit, r.Name)
		switch r.Status {
		case RegConfirmed:
			u.Confirmed = r.N
		case RegWaitlisted:
			u.Waitlisted = r.N
		case RegPending:
			u.Pending = r.N
		}
	}
	out := make([]UnitFill, 0, len(byUnit))
	for _, u := range byUnit {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return compareText(out[i].Unit, out[j].Unit) < 0 })
	return out, nil
}

// compareText orders names of things (units, places) word by word as written, with the
// Vietnamese letter order.
func compareText(a, b string) int {
	return bytes.Compare(vn.SortKey(a, a), vn.SortKey(b, b))
}
