package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// importPageData is the import page: the upload form, then the preview of the file (a
// dry run: every bad row with its line and field, and how the good ones would be placed)
// with the confirmation.
type importPageData struct {
	Course   *courses.Course
	Token    string // the saved file the confirmation imports
	Filename string
	Result   *importAnswer
	Units    *importUnits // the file's unit texts and their mapping (importUnitsOf, below)
}

func (s *Server) renderImport(c *gin.Context, status int, d importPageData, fieldErrs map[string]string) error {
	return s.render(c, status, "import", view{Section: "courses", Tab: "registrations",
		Title: s.tr(langOf(c), "reg.import.title") + " · " + d.Course.Title, Errors: fieldErrs, Data: d})
}

// handleImportPage: GET /staff/courses/{id}/registrations/import.
func (s *Server) handleImportPage(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	return s.renderImport(c, http.StatusOK, importPageData{Course: course}, nil)
}

// handleImportPreview: POST /staff/courses/{id}/registrations/import (multipart "file") —
// reads the file, checks every row in a dry run and keeps the file for the confirmation.
func (s *Server) handleImportPreview(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	d := importPageData{Course: course}
	name, data, err := uploadedRoster(c)
	if err == nil {
		var rows []courses.ImportRow
		if rows, err = courses.ParseRoster(bytesReader(data), name); err == nil {
			release, ok := s.admit(c)
			if !ok {
				return errUnavailable
			}
			defer release()
			var res *courses.ImportResult
			res, err = s.courses.Import(c.Request.Context(), courses.ImportInput{CourseID: course.ID, Rows: rows,
				Mode: courses.ImportDryRun, UserID: currentUser(c).ID})
			if err == nil {
				a := s.importAnswer(c, res)
				d.Result, d.Filename = &a, name
				d.Units, err = s.importUnitsOf(c, rows)
			}
		}
	}
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderImport(c, status, d, fe)
		})
	}
	if d.Result.Valid > 0 {
		if d.Token, err = s.courses.SaveUpload(c.Request.Context(), course.ID, currentUser(c).ID, name, data); err != nil {
			return err
		}
	}
	return s.renderImport(c, http.StatusOK, d, nil)
}

// handleImportConfirm: POST /staff/courses/{id}/registrations/import/{token} {mode} —
// imports the previewed file: strict when it had no bad rows, skip_invalid to leave them
// out. Rows that became bad since the preview (someone registered meanwhile) show the
// preview again.
func (s *Server) handleImportConfirm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	token := c.Param("token")
	name, data, err := s.courses.FindUpload(ctx, token, course.ID, currentUser(c).ID)
	if err != nil {
		return err
	}
	rows, err := courses.ParseRoster(bytesReader(data), name)
	if err != nil {
		return err
	}
	mode := courses.ImportStrict
	if c.PostForm("mode") == courses.ImportSkipInvalid {
		mode = courses.ImportSkipInvalid
	}
	choices, err := s.unitChoicesOf(c)
	if err != nil {
		return err
	}
	release, ok := s.admit(c)
	if !ok {
		return errUnavailable
	}
	defer release()
	res, err := s.courses.Import(ctx, courses.ImportInput{CourseID: course.ID, Rows: rows, Mode: mode, UserID: currentUser(c).ID,
		Units: choices})
	if err != nil {
		return err
	}
	if res.Imported == 0 {
		a := s.importAnswer(c, res)
		return s.renderImport(c, http.StatusConflict, importPageData{Course: course, Token: token, Filename: name, Result: &a}, nil)
	}
	if err := s.courses.DeleteUpload(ctx, token); err != nil {
		return err
	}
	s.flash(c, "reg.import.done", res.Imported, res.Confirmed, res.Waitlisted)
	return redirect(c, fmt.Sprintf("/staff/courses/%d/registrations", course.ID))
}

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
