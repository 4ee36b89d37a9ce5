package server

import (
	"github.com/gin-gonic/gin"

	"taphuan/units"
)

// maxPublicUnits bounds the units the public form offers.
const maxPublicUnits = 1000

// publicUnits lists the unit names the public registration form offers as a searchable
// choice (a datalist: the browser filters as one types; without JavaScript or datalist
// support it is a plain text field, and the server matches what was typed): the units the
// course gives seats first, then the rest of the directory.
func (s *Server) publicUnits(c *gin.Context, courseID int64) ([]string, error) {
	ctx := c.Request.Context()
	fill, err := s.courses.QuotaFill(ctx, courseID)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []string
	for _, f := range fill {
		if f.Seats != nil && !f.Unmatched() {
			seen[f.UnitID] = true
			out = append(out, f.Name)
		}
	}
	all, _, err := s.units.List(ctx, units.Filter{Limit: maxPublicUnits})
	if err != nil {
		return nil, err
	}
	for _, u := range all {
		if !seen[u.ID] {
			out = append(out, u.Name)
		}
	}
	return out, nil
}
