package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// ProgramPathSeparator joins the names of a program path: "CTMTQG … / Dự án 6".
const ProgramPathSeparator = " / "

// Errors about the program tree.
var (
	ErrProgramInUse = errs.New(errs.Conflict, "courses.err.program_in_use")
)

// Program is a node of the funding programme tree (program → project → sub-project).
type Program struct {
	ID        int64         `db:"id" json:"id"`
	ParentID  sql.NullInt64 `db:"parent_id" json:"-"`
	Name      string        `db:"name" json:"name"`
	Position  int           `db:"position" json:"position"`
	CreatedAt database.Time `db:"created_at" json:"created_at"`
	// Filled by ListPrograms.
	Path     string `db:"-" json:"path"`  // names from the root, joined by ProgramPathSeparator
	Depth    int    `db:"-" json:"depth"` // 0 for a root
	Children int    `db:"-" json:"children"`
	Courses  int    `db:"-" json:"courses"` // courses filed directly under this node
}

// Parent returns the id of the parent node, 0 for a root.
func (p *Program) Parent() int64 {
	if p.ParentID.Valid {
		return p.ParentID.Int64
	}
	return 0
}

// ProgramInput creates or changes a node of the tree.
type ProgramInput struct {
	ParentID int64  `json:"parent_id"` // 0: a root
	Name     string `json:"name"`
	Position int    `json:"position"`
}

// Normalize cleans the name.
func (in *ProgramInput) Normalize() { in.Name = vn.Clean(in.Name) }

// Validate checks the fields.
func (in ProgramInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.Name != "", "name", "err.required")
	f.Check(len([]rune(in.Name)) <= 300, "name", "err.too_long", 300)
	f.Check(in.ParentID >= 0, "parent_id", "courses.err.program_unknown")
	f.Check(in.Position >= 0, "position", "courses.err.position")
	return f.Err()
}

// ListPrograms returns the whole tree in display order (depth first; siblings by position,
// then name), each node with its path, depth and counts.
func (s *Service) ListPrograms(ctx context.Context) ([]Program, error) {
	return listPrograms(ctx, s.db.R)
}

func listPrograms(ctx context.Context, q sqlxQuerier) ([]Program, error) {
	var rows []Program
	err := q.SelectContext(ctx, &rows, `
		SELECT id, parent_id, name, position, created_at FROM programs ORDER BY position, name, id`)
	if err != nil {
		return nil, fmt.Errorf("courses: list programs: %w", err)
	}
	var counts []struct {
		ProgramID int64 `db:"program_id"`
		N         int   `db:"n"`
	}
	err = q.SelectContext(ctx, &counts, `
		SELECT program_id, COUNT(*) AS n FROM courses WHERE program_id IS NOT NULL GROUP BY program_id`)
	if err != nil {
		return nil, fmt.Errorf("courses: count courses by program: %w", err)
	}
	courseCount := map[int64]int{}
	for _, c := range counts {
		courseCount[c.ProgramID] = c.N
	}
	children := map[int64][]int{} // parent id (0 = root) → indexes into rows, in order
	ids := map[int64]bool{}
	for _, p := range rows {
		ids[p.ID] = true
	}
	for i, p := range rows {
		parent := p.Parent()
		if !ids[parent] {
			parent = 0 // a dangling parent cannot happen with foreign keys on; show it as a root
		}
		children[parent] = append(children[parent], i)
	}
	out := make([]Program, 0, len(rows))
	var walk func(parent int64, depth int, prefix string)
	walk = func(parent int64, depth int, prefix string) {
		for _, i := range children[parent] {
			p := rows[i]
			p.Depth = depth
			p.Path = prefix + p.Name
			p.Children = len(children[p.ID])
			p.Courses = courseCount[p.ID]
			out = append(out, p)
			if depth < 16 { // the tree is shallow; the bound only guards against a cycle
				walk(p.ID, depth+1, p.Path+ProgramPathSeparator)
			}
		}
	}
	walk(0, 0, "")
	return out, nil
}

// FindProgramByID returns the node with its path; ErrNotFound for an unknown id.
func (s *Service) FindProgramByID(ctx context.Context, id int64) (*Program, error) {
	return findProgram(ctx, s.db.R, id)
}

func findProgram(ctx context.Context, q sqlxQuerier, id int64) (*Program, error) {
	all, err := listPrograms(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, fmt.Errorf("courses: program %d: %w", id, ErrNotFound)
}

// CreateProgram adds a node under in.ParentID (0: a new root). A position of 0 puts it
// after its siblings. An unknown parent is an invalid parent_id.
func (s *Service) CreateProgram(ctx context.Context, in ProgramInput) (*Program, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: create program: %w", err)
	}
	defer tx.Rollback()
	var parent any // NULL for a root
	if in.ParentID > 0 {
		if _, err := findProgram(ctx, tx, in.ParentID); errors.Is(err, ErrNotFound) {
			f := errs.Fields{}
			f.Add("parent_id", "courses.err.program_unknown")
			return nil, f.Err()
		} else if err != nil {
			return nil, err
		}
		parent = in.ParentID
	}
	if in.Position == 0 {
		err := tx.GetContext(ctx, &in.Position, `
			SELECT COALESCE(MAX(position), 0) + 1 FROM programs WHERE COALESCE(parent_id, 0) = ?`, in.ParentID)
		if err != nil {
			return nil, fmt.Errorf("courses: create program: %w", err)
		}
	}
	var id int64
	err = tx.QueryRowxContext(ctx, `
		INSERT INTO programs (parent_id, name, position, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		parent, in.Name, in.Position, database.Now()).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("courses: create program: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: create program: %w", err)
	}
	return s.FindProgramByID(ctx, id)
}

// UpdateProgram renames or moves a node. Courses filed under it keep the path they were
// filed with: renaming never rewrites history. Moving a node under itself or under one of
// its descendants is an invalid parent_id.
func (s *Service) UpdateProgram(ctx context.Context, id int64, in ProgramInput) (*Program, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: update program %d: %w", id, err)
	}
	defer tx.Rollback()
	all, err := listPrograms(ctx, tx)
	if err != nil {
		return nil, err
	}
	idx := slices.IndexFunc(all, func(p Program) bool { return p.ID == id })
	if idx < 0 {
		return nil, fmt.Errorf("courses: program %d: %w", id, ErrNotFound)
	}
	var parent any
	if in.ParentID > 0 {
		pi := slices.IndexFunc(all, func(p Program) bool { return p.ID == in.ParentID })
		f := errs.Fields{}
		switch {
		case pi < 0:
			f.Add("parent_id", "courses.err.program_unknown")
		case isDescendant(all, in.ParentID, id):
			f.Add("parent_id", "courses.err.program_cycle")
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
		parent = in.ParentID
	}
	if in.Position == 0 {
		in.Position = all[idx].Position
	}
	_, err = tx.ExecContext(ctx, `UPDATE programs SET parent_id = ?, name = ?, position = ? WHERE id = ?`,
		parent, in.Name, in.Position, id)
	if err != nil {
		return nil, fmt.Errorf("courses: update program %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: update program %d: %w", id, err)
	}
	return s.FindProgramByID(ctx, id)
}

// isDescendant reports whether node is ancestor itself or lies below it in the tree.
func isDescendant(all []Program, node, ancestor int64) bool {
	parent := map[int64]int64{}
	for _, p := range all {
		parent[p.ID] = p.Parent()
	}
	for n, steps := node, 0; n != 0 && steps <= len(all); n, steps = parent[n], steps+1 {
		if n == ancestor {
			return true
		}
	}
	return false
}

// DeleteProgram removes a leaf node that no course is filed under; otherwise it returns
// ErrProgramInUse (move or delete the children first; courses keep their node).
func (s *Service) DeleteProgram(ctx context.Context, id int64) error {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("courses: delete program %d: %w", id, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM programs WHERE id = ?`, id); err != nil {
		return fmt.Errorf("courses: delete program %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("courses: program %d: %w", id, ErrNotFound)
	}
	err = tx.GetContext(ctx, &n, `
		SELECT (SELECT COUNT(*) FROM programs WHERE parent_id = ?) + (SELECT COUNT(*) FROM courses WHERE program_id = ?)`, id, id)
	if err != nil {
		return fmt.Errorf("courses: delete program %d: %w", id, err)
	}
	if n > 0 {
		return fmt.Errorf("courses: delete program %d: %w", id, ErrProgramInUse)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM programs WHERE id = ?`, id); err != nil {
		return fmt.Errorf("courses: delete program %d: %w", id, err)
	}
	return tx.Commit()
}

// programDescendants returns id and the ids of every node below it; nothing for an id that
// is not in all. all is in ListPrograms' order — depth first, parents before children — so
// one pass collects the subtree.
func programDescendants(all []Program, id int64) []int64 {
	in := map[int64]bool{}
	out := []int64{}
	for _, p := range all {
		if p.ID == id || in[p.Parent()] {
			in[p.ID] = true
			out = append(out, p.ID)
		}
	}
	return out
}

// ProgramSubtree returns id and the ids of every node under it (its projects and
// sub-projects), for counting a program with everything filed below it. Returns ErrNotFound
// for an unknown id.
func (s *Service) ProgramSubtree(ctx context.Context, id int64) ([]int64, error) {
	if _, err := s.FindProgramByID(ctx, id); err != nil {
		return nil, err
	}
	all, err := s.ListPrograms(ctx)
	if err != nil {
		return nil, err
	}
	return programDescendants(all, id), nil
}
