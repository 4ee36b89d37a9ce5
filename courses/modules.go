package courses

import (
	"context"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"

	"taphuan/errs"
	"taphuan/vn"
)

// ModuleInput is a module (chuyên đề) as an organizer fills it in. Position counts from 1;
// 0 puts the module last.
type ModuleInput struct {
	Title           string `json:"title"`
	Lecturer        string `json:"lecturer"`
	LecturerID      int64  `json:"lecturer_id"` // 0: no record
	Position        int    `json:"position"`
	DurationMinutes int    `json:"duration_minutes"`
}

// Normalize cleans the text fields.
func (in *ModuleInput) Normalize() {
	in.Title = vn.Clean(in.Title)
	in.Lecturer = vn.Clean(in.Lecturer)
}

// Validate checks every field.
func (in ModuleInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.Title != "", "title", "err.required")
	f.Check(len([]rune(in.Title)) <= maxTitle, "title", "err.too_long", maxTitle)
	f.Check(len([]rune(in.Lecturer)) <= 200, "lecturer", "err.too_long", 200)
	f.Check(in.LecturerID >= 0, "lecturer_id", "courses.err.lecturer_unknown")
	f.Check(in.Position >= 0, "position", "courses.err.position")
	f.Check(in.DurationMinutes >= 0 && in.DurationMinutes <= 24*60, "duration_minutes", "courses.err.duration")
	return f.Err()
}

// ModulePatch changes some fields of a module (nil: unchanged).
type ModulePatch struct {
	Title           *string `json:"title"`
	Lecturer        *string `json:"lecturer"`
	LecturerID      *int64  `json:"lecturer_id"` // 0 detaches the record
	Position        *int    `json:"position"`
	DurationMinutes *int    `json:"duration_minutes"`
}

const moduleColumns = `id, course_id, title, lecturer, COALESCE(lecturer_id, 0) AS lecturer_id, position, duration_minutes`

// ListModules returns the modules of a course in their order.
func (s *Service) ListModules(ctx context.Context, courseID int64) ([]Module, error) {
	return listModules(ctx, s.db.R, courseID)
}

func listModules(ctx context.Context, q sqlxQuerier, courseID int64) ([]Module, error) {
	out := []Module{}
	err := q.SelectContext(ctx, &out, `SELECT `+moduleColumns+` FROM modules WHERE course_id = ? ORDER BY position, id`, courseID)
	if err != nil {
		return nil, fmt.Errorf("courses: modules of %d: %w", courseID, err)
	}
	return out, nil
}

// FindModuleByID returns ErrNotFound for an unknown id.
func (s *Service) FindModuleByID(ctx context.Context, id int64) (*Module, error) {
	return findModule(ctx, s.db.R, id)
}

func findModule(ctx context.Context, q sqlxQuerier, id int64) (*Module, error) {
	var m Module
	err := q.GetContext(ctx, &m, `SELECT `+moduleColumns+` FROM modules WHERE id = ?`, id)
	if isNoRows(err) {
		return nil, fmt.Errorf("courses: module %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: module %d: %w", id, err)
	}
	return &m, nil
}

// CreateModule adds a module to a course at in.Position (1 = first; 0 or past the end =
// last); the modules after it move down. Returns ErrNotFound for an unknown course.
func (s *Service) CreateModule(ctx context.Context, courseID int64, in ModuleInput) (*Module, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: create module: %w", err)
	}
	defer tx.Rollback()
	c, err := findCourse(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	if err := s.resolveLecturer(ctx, c.OrganizationID, &in); err != nil {
		return nil, err
	}
	id, err := insertModule(ctx, tx, Module{CourseID: courseID, Title: in.Title, Lecturer: in.Lecturer,
		LecturerID: in.LecturerID, DurationMinutes: in.DurationMinutes})
	if err != nil {
		return nil, err
	}
	if err := placeModule(ctx, tx, courseID, id, in.Position); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: create module: %w", err)
	}
	return s.FindModuleByID(ctx, id)
}

// resolveLecturer checks in.LecturerID against the directory (a record of the course's
// organization, else a field error) and, when no name is written, takes the record's.
func (s *Service) resolveLecturer(ctx context.Context, orgID int64, in *ModuleInput) error {
	if in.LecturerID == 0 {
		return nil
	}
	f := errs.Fields{}
	if s.lecturers == nil {
		f.Add("lecturer_id", "courses.err.lecturer_unknown")
		return f.Err()
	}
	name, err := s.lecturers.LecturerName(ctx, orgID, in.LecturerID)
	if isNotFound(err) {
		f.Add("lecturer_id", "courses.err.lecturer_unknown")
		return f.Err()
	}
	if err != nil {
		return err
	}
	if in.Lecturer == "" {
		in.Lecturer = vn.Clean(name)
	}
	return nil
}

// placeModule puts module id at position pos (1-based; 0 or past the end: last) among the
// modules of the course and numbers them all 1, 2, 3 … so positions stay contiguous.
func placeModule(ctx context.Context, tx *sqlx.Tx, courseID, id int64, pos int) error {
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, `SELECT id FROM modules WHERE course_id = ? AND id <> ? ORDER BY position, id`, courseID, id); err != nil {
		return fmt.Errorf("courses: order modules of %d: %w", courseID, err)
	}
	if pos <= 0 || pos > len(ids) {
		pos = len(ids) + 1
	}
	ids = slices.Insert(ids, pos-1, id)
	return numberModules(ctx, tx, ids)
}

func numberModules(ctx context.Context, tx *sqlx.Tx, ids []int64) error {
	for i, mid := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE modules SET position = ? WHERE id = ?`, i+1, mid); err != nil {
			return fmt.Errorf("courses: order module %d: %w", mid, err)
		}
	}
	return nil
}

// UpdateModule applies p to module id. A new lecturer must be free at the times of the
// module's sessions (else a conflict naming the clashing session); a new position moves the
// module among the others. Returns ErrNotFound for an unknown id.
func (s *Service) UpdateModule(ctx context.Context, id int64, p ModulePatch) (*Module, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: update module %d: %w", id, err)
	}
	defer tx.Rollback()
	m, err := findModule(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	in := ModuleInput{Title: m.Title, Lecturer: m.Lecturer, LecturerID: m.LecturerID, Position: m.Position, DurationMinutes: m.DurationMinutes}
	if p.Title != nil {
		in.Title = *p.Title
	}
	if p.Lecturer != nil {
		in.Lecturer = *p.Lecturer
	}
	if p.LecturerID != nil {
		in.LecturerID = *p.LecturerID
		if p.Lecturer == nil && in.LecturerID != m.LecturerID && in.LecturerID != 0 {
			in.Lecturer = "" // the new record's name, unless one is written
		}
	}
	if p.Position != nil {
		in.Position = *p.Position
	}
	if p.DurationMinutes != nil {
		in.DurationMinutes = *p.DurationMinutes
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.LecturerID != m.LecturerID {
		c, err := findCourse(ctx, tx, m.CourseID)
		if err != nil {
			return nil, err
		}
		if err := s.resolveLecturer(ctx, c.OrganizationID, &in); err != nil {
			return nil, err
		}
	}
	if lecturerKey(in.Lecturer) != lecturerKey(m.Lecturer) || in.LecturerID != m.LecturerID {
		err := recheckSessions(ctx, tx, m.CourseID, func(sl *slot) {
			if sl.moduleID == id {
				sl.lecturer, sl.lecturerID = in.Lecturer, in.LecturerID
			}
		})
		if err != nil {
			return nil, err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE modules SET title = ?, lecturer = ?, lecturer_id = ?, duration_minutes = ? WHERE id = ?`,
		in.Title, in.Lecturer, nullID(in.LecturerID), in.DurationMinutes, id)
	if err != nil {
		return nil, fmt.Errorf("courses: update module %d: %w", id, err)
	}
	if in.Position != m.Position {
		if err := placeModule(ctx, tx, m.CourseID, id, in.Position); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: update module %d: %w", id, err)
	}
	return s.FindModuleByID(ctx, id)
}

// MoveModule moves module id by delta places (-1: up, +1: down), staying inside the list.
func (s *Service) MoveModule(ctx context.Context, id int64, delta int) (*Module, error) {
	m, err := s.FindModuleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	pos := max(1, m.Position+delta)
	return s.UpdateModule(ctx, id, ModulePatch{Position: &pos})
}

// DeleteModule removes a module; its sessions stay in the timetable without a module.
// Returns ErrNotFound for an unknown id.
func (s *Service) DeleteModule(ctx context.Context, id int64) error {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("courses: delete module %d: %w", id, err)
	}
	defer tx.Rollback()
	m, err := findModule(ctx, tx, id)
	if err != nil {
		return err
	}
	// Explicitly, rather than trusting ON DELETE SET NULL alone: the schema must not be the
	// only thing that keeps sessions.
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET module_id = NULL WHERE module_id = ?`, id); err != nil {
		return fmt.Errorf("courses: delete module %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM modules WHERE id = ?`, id); err != nil {
		return fmt.Errorf("courses: delete module %d: %w", id, err)
	}
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, `SELECT id FROM modules WHERE course_id = ? ORDER BY position, id`, m.CourseID); err != nil {
		return fmt.Errorf("courses: delete module %d: %w", id, err)
	}
	if err := numberModules(ctx, tx, ids); err != nil {
		return err
	}
	return tx.Commit()
}

// ReorderModules puts the modules of a course in the order of ids, which must list each
// module of the course exactly once (else an invalid "order").
func (s *Service) ReorderModules(ctx context.Context, courseID int64, ids []int64) ([]Module, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: reorder modules of %d: %w", courseID, err)
	}
	defer tx.Rollback()
	if _, err := findCourse(ctx, tx, courseID); err != nil {
		return nil, err
	}
	var have []int64
	if err := tx.SelectContext(ctx, &have, `SELECT id FROM modules WHERE course_id = ? ORDER BY id`, courseID); err != nil {
		return nil, fmt.Errorf("courses: reorder modules of %d: %w", courseID, err)
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	if !slices.Equal(sorted, have) {
		f := errs.Fields{}
		f.Add("order", "courses.err.order")
		return nil, f.Err()
	}
	if err := numberModules(ctx, tx, ids); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: reorder modules of %d: %w", courseID, err)
	}
	return s.ListModules(ctx, courseID)
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

// insertModule stores m (its course, title, lecturer, position and duration) as a new
// module and returns its id.
func insertModule(ctx context.Context, tx *sqlx.Tx, m Module) (int64, error) {
	var id int64
	err := tx.QueryRowxContext(ctx, `
		INSERT INTO modules (course_id, title, lecturer, lecturer_id, position, duration_minutes) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		m.CourseID, m.Title, m.Lecturer, nullID(m.LecturerID), m.Position, m.DurationMinutes).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("courses: insert module of course %d: %w", m.CourseID, err)
	}
	return id, nil
}
