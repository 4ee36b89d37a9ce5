package server

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// The unit part of the roster import's preview: each distinct unit text of the file, matched
// to a unit of the directory by name or alias at once, or mapped by the organizer (a
// suggested close match, any unit typed by name, or a new unit named as the text). The
// choices go with the confirmation and are remembered as aliases.

type importUnits struct {
	Matched   []courses.UnitMapping
	Unmatched []courses.UnitMapping
	AllNames  []string
}

func (s *Server) importUnitsOf(c *gin.Context, rows []courses.ImportRow) (*importUnits, error) {
	maps, err := s.courses.ImportUnits(c.Request.Context(), rows)
	if err != nil {
		return nil, err
	}
	out := &importUnits{}
	for _, m := range maps {
		if m.UnitID != 0 {
			out.Matched = append(out.Matched, m)
		} else {
			out.Unmatched = append(out.Unmatched, m)
		}
	}
	if len(out.Unmatched) > 0 {
		if out.AllNames, err = s.unitNames(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// unitChoicesOf reads the mapping of the confirmation form: unit_text_N with unit_choice_N
// ("": leave unmatched, "new": a new unit, or a unit id) and unit_name_N (a unit typed by
// name or alias, which wins over the choice; one that names no unit is ignored).
func (s *Server) unitChoicesOf(c *gin.Context) ([]courses.UnitChoice, error) {
	if err := c.Request.ParseForm(); err != nil {
		return nil, errBadJSON.Wrap(err)
	}
	var out []courses.UnitChoice
	for k, vs := range c.Request.PostForm {
		n, ok := strings.CutPrefix(k, "unit_text_")
		if !ok || len(vs) == 0 || len(out) >= 1000 {
			continue
		}
		ch := courses.UnitChoice{Text: vs[0]}
		choice := strings.TrimSpace(c.PostForm("unit_choice_" + n))
		switch id, err := strconv.ParseInt(choice, 10, 64); {
		case choice == "new":
			ch.Create = true
		case err == nil && id > 0:
			ch.UnitID = id
		}
		if name := strings.TrimSpace(c.PostForm("unit_name_" + n)); name != "" {
			id, ok, err := s.unitByName(c, name)
			if err != nil {
				return nil, err
			}
			if ok {
				ch = courses.UnitChoice{Text: vs[0], UnitID: id}
			}
		}
		out = append(out, ch)
	}
	return out, nil
}
