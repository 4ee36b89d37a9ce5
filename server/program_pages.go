package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
)

type programsData struct {
	Items         []programRow
	ParentOptions []option // for the new node
	Form          programForm
	EditID        int64             // the node whose rename form was refused
	EditErr       map[string]string // its messages
}

// programRow is a node of the tree with the choices of its rename form.
type programRow struct {
	courses.Program
	ParentOptions []option
}

// programForm is the form of a node as typed.
type programForm struct{ ParentID, Name, Position string }

func readProgramForm(c *gin.Context) programForm {
	return programForm{ParentID: c.PostForm("parent_id"), Name: c.PostForm("name"), Position: c.PostForm("position")}
}

func (fm programForm) input() (courses.ProgramInput, errs.Fields) {
	f := errs.Fields{}
	in := courses.ProgramInput{Name: fm.Name}
	in.ParentID = formInt(fm.ParentID, "parent_id", f)
	in.Position = int(formInt(fm.Position, "position", f))
	return in, f
}

func (s *Server) renderPrograms(c *gin.Context, status int, d programsData, fieldErrs map[string]string) error {
	items, err := s.courses.ListPrograms(c.Request.Context())
	if err != nil {
		return err
	}
	lang := langOf(c)
	d.ParentOptions = programOptions(items, d.Form.ParentID, s.tr(lang, "courses.programs.root"))
	for _, p := range items {
		// A node may move anywhere except under itself or its descendants.
		var allowed []courses.Program
		for _, q := range items {
			if q.ID != p.ID && !strings.HasPrefix(q.Path+courses.ProgramPathSeparator, p.Path+courses.ProgramPathSeparator) {
				allowed = append(allowed, q)
			}
		}
		d.Items = append(d.Items, programRow{Program: p,
			ParentOptions: programOptions(allowed, itoa64(p.Parent()), s.tr(lang, "courses.programs.root"))})
	}
	return s.render(c, status, "programs", view{Section: "programs", Title: s.tr(langOf(c), "courses.programs.title"),
		Errors: fieldErrs, Data: d})
}

// handleProgramsPage: GET /admin/programs — the program tree (administrators).
func (s *Server) handleProgramsPage(c *gin.Context) error {
	return s.renderPrograms(c, http.StatusOK, programsData{Form: programForm{ParentID: c.Query("parent")}}, nil)
}

// handleProgramCreateForm: POST /admin/programs.
func (s *Server) handleProgramCreateForm(c *gin.Context) error {
	form := readProgramForm(c)
	show := func(status int, fe map[string]string) error {
		return s.renderPrograms(c, status, programsData{Form: form}, fe)
	}
	in, f := form.input()
	if err := f.Err(); err != nil {
		return s.formFailed(c, err, show)
	}
	p, err := s.courses.CreateProgram(c.Request.Context(), in)
	if err != nil {
		return s.formFailed(c, err, show)
	}
	s.flash(c, "courses.flash.program_added", p.Name)
	return redirect(c, "/admin/programs")
}

// handleProgramUpdateForm: POST /admin/programs/{id} — rename or move.
func (s *Server) handleProgramUpdateForm(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in, f := readProgramForm(c).input()
	if err = f.Err(); err == nil {
		_, err = s.courses.UpdateProgram(c.Request.Context(), id, in)
	}
	if err != nil {
		// The messages are the row's being edited (EditErr), not the add form's.
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderPrograms(c, status, programsData{EditID: id, EditErr: fe}, nil)
		})
	}
	s.flash(c, "courses.flash.program_saved")
	return redirect(c, "/admin/programs")
}

// handleProgramDeleteForm: POST /admin/programs/{id}/delete — a leaf no course is filed under.
func (s *Server) handleProgramDeleteForm(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.courses.DeleteProgram(c.Request.Context(), id); err != nil {
		return err
	}
	s.flash(c, "courses.flash.program_deleted")
	return redirect(c, "/admin/programs")
}
