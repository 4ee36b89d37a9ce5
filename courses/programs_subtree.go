package courses

import "context"

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
	in := map[int64]bool{id: true}
	out := []int64{id}
	// ListPrograms is depth first, parents before children: one pass collects the subtree.
	for _, p := range all {
		if !in[p.ID] && in[p.Parent()] {
			in[p.ID] = true
			out = append(out, p.ID)
		}
	}
	return out, nil
}
