package server

import (
	"fmt"
	"net/http"

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
	Units    *importUnits // the file's unit texts and their mapping (import_units.go)
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
