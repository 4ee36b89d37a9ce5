package courses

import (
	"context"
	"fmt"
	"strings"

	"taphuan/database"
	"taphuan/vn"

	"github.com/jmoiron/sqlx"
)

// Registration is a trainee's place in a course. The personal fields are a snapshot as
// written at the time (unit and locality are never rewritten when a unit is renamed).
type Registration struct {
	ID               int64         `db:"id" json:"id"`
	CourseID         int64         `db:"course_id" json:"course_id"`
	PersonID         int64         `db:"person_id" json:"person_id"`
	Code             string        `db:"code" json:"code"`
	Status           string        `db:"status" json:"status"`
	WaitlistPosition *int          `db:"waitlist_position" json:"waitlist_position"`
	StatusReason     string        `db:"status_reason" json:"status_reason,omitempty"`
	FullName         string        `db:"full_name" json:"full_name"`
	Gender           string        `db:"gender" json:"gender"`
	BirthDate        string        `db:"birth_date" json:"birth_date"`
	Ethnicity        string        `db:"ethnicity" json:"ethnicity"`
	Position         string        `db:"position" json:"position"`
	Organization     string        `db:"organization" json:"organization"`
	Locality         string        `db:"locality" json:"locality"`
	Phone            string        `db:"phone" json:"phone"`
	Email            string        `db:"email" json:"email"`
	IDNumber         string        `db:"id_number" json:"id_number,omitempty"`
	Source           string        `db:"source" json:"source"`
	UnitID           *int64        `db:"unit_id" json:"unit_id"`               // nil: the text matched no unit
	SubstituteFor    *int64        `db:"substitute_for" json:"substitute_for"` // the nominee this one replaced
	CreatedAt        database.Time `db:"created_at" json:"created_at"`
}

// RegistrationColumns lists the columns of Registration (table alias r). The waiting-list
// position is computed, so it never goes stale when someone ahead leaves the list.
const RegistrationColumns = `r.id, r.course_id, r.person_id, r.code, r.status,
	CASE WHEN r.status = 'waitlisted' THEN (SELECT COUNT(*) FROM registrations w
		WHERE w.course_id = r.course_id AND w.status = 'waitlisted' AND w.waitlist_seq <= r.waitlist_seq)
	END AS waitlist_position,
	r.status_reason, r.full_name, r.gender, r.birth_date, r.ethnicity, r.position, r.organization,
	r.locality, r.phone, r.email, r.id_number, r.source, r.created_at, r.unit_id, r.substitute_for`

// RegistrationFilter selects registrations of one course.
type RegistrationFilter struct {
	CourseID int64
	Statuses []string // empty: all
	Query    string   // matched without diacritics against the name, and against the phone
	Unit     string   // sending unit as written, exact (folded) match
	UnitID   int64    // sending unit of the directory (-1: those that matched no unit)
	Limit    int      // 0: no limit
	Offset   int
	// ByPosition lists the waiting list in its order (position 1 first, the others after it)
	// instead of the Vietnamese name order.
	ByPosition bool
}

// where is the SQL condition (table alias r) and its arguments for the registrations the
// filter selects, without its order and page: the list and the bulk actions share it, so
// "all that match the filter" is exactly what the list shows.
func (f RegistrationFilter) where() (string, []any, error) {
	where := []string{"r.course_id = ?"}
	args := []any{f.CourseID}
	if len(f.Statuses) > 0 {
		where = append(where, "r.status IN (?)")
		args = append(args, f.Statuses)
	}
	if q := vn.Fold(f.Query); q != "" {
		where = append(where, "(r.name_folded LIKE ? ESCAPE '\\' OR r.phone LIKE ? ESCAPE '\\')")
		like := "%" + escapeLike(q) + "%"
		args = append(args, like, like)
	}
	if f.Unit != "" {
		where = append(where, "r.unit_folded = ?")
		args = append(args, vn.Fold(f.Unit))
	}
	switch {
	case f.UnitID > 0:
		where = append(where, "r.unit_id = ?")
		args = append(args, f.UnitID)
	case f.UnitID < 0:
		where = append(where, "r.unit_id IS NULL")
	}
	cond, args, err := sqlx.In(strings.Join(where, " AND "), args...)
	if err != nil {
		return "", nil, fmt.Errorf("courses: registration filter: %w", err)
	}
	return cond, args, nil
}

// ListRegistrations returns the registrations of a course in Vietnamese order (given name,
// middle names, surname) and the total that match the filter; exact name matches of Query
// come first.
func (s *Service) ListRegistrations(ctx context.Context, f RegistrationFilter) ([]Registration, int, error) {
	cond, args, err := f.where()
	if err != nil {
		return nil, 0, err
	}
	q := vn.Fold(f.Query)
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM registrations r WHERE `+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("courses: count registrations: %w", err)
	}
	query := `SELECT ` + RegistrationColumns + ` FROM registrations r WHERE ` + cond +
		` ORDER BY (r.name_folded = ?) DESC, r.sort_key, r.id`
	if f.ByPosition {
		query = `SELECT ` + RegistrationColumns + ` FROM registrations r WHERE ` + cond +
			` ORDER BY (r.name_folded = ?) DESC, r.status <> 'waitlisted', r.waitlist_seq, r.sort_key, r.id`
	}
	args = append(args, q)
	if f.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	regs := []Registration{}
	if err := s.db.R.SelectContext(ctx, &regs, query, args...); err != nil {
		return nil, 0, fmt.Errorf("courses: list registrations: %w", err)
	}
	return regs, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// FindRegistrationByID returns ErrNotFound for an unknown id.
func (s *Service) FindRegistrationByID(ctx context.Context, id int64) (*Registration, error) {
	return findRegistration(ctx, s.db.R, "r.id = ?", id)
}

// FindRegistrationByCode finds a registration by its ticket code; ErrNotFound if none.
func (s *Service) FindRegistrationByCode(ctx context.Context, code string) (*Registration, error) {
	return findRegistration(ctx, s.db.R, "r.code = ?", strings.TrimSpace(code))
}

// findRegistration is the one query of a registration, by id or code; ErrNotFound when
// none matches.
func findRegistration(ctx context.Context, q sqlxQuerier, where string, arg any) (*Registration, error) {
	var r Registration
	err := q.GetContext(ctx, &r, `SELECT `+RegistrationColumns+` FROM registrations r WHERE `+where, arg)
	if isNoRows(err) {
		return nil, fmt.Errorf("courses: registration %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: registration %v: %w", arg, err)
	}
	return &r, nil
}
