package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
)

// moduleForm is the module form as typed.
type moduleForm struct {
	Title, Lecturer, LecturerID, DurationMinutes, Position string
}

func readModuleForm(c *gin.Context, prefix string) moduleForm {
	return moduleForm{Title: c.PostForm(prefix + "title"), Lecturer: c.PostForm(prefix + "lecturer"),
		LecturerID: c.PostForm(prefix + "lecturer_id"), DurationMinutes: c.PostForm(prefix + "duration_minutes"), Position: c.PostForm(prefix + "position")}
}

func (fm moduleForm) input() (courses.ModuleInput, errs.Fields) {
	f := errs.Fields{}
	in := courses.ModuleInput{Title: fm.Title, Lecturer: fm.Lecturer}
	in.LecturerID = formInt(fm.LecturerID, "lecturer_id", f)
	in.DurationMinutes = int(formInt(fm.DurationMinutes, "duration_minutes", f))
	in.Position = int(formInt(fm.Position, "position", f))
	return in, f
}

// moduleOfPath loads the module ":mid" of the course ":id" for a change.
func (s *Server) moduleOfPath(c *gin.Context) (*courses.Course, *courses.Module, error) {
	course, err := s.courseParam(c, true)
	if err != nil {
		return nil, nil, err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return nil, nil, err
	}
	m, err := s.courses.FindModuleByID(c.Request.Context(), mid)
	if err != nil {
		return nil, nil, err
	}
	if m.CourseID != course.ID {
		return nil, nil, errNotFound
	}
	return course, m, nil
}

// handleModuleCreateForm: POST /staff/courses/{id}/modules (fields module_*).
func (s *Server) handleModuleCreateForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	form := readModuleForm(c, "module_")
	in, f := form.input()
	if err = f.Err(); err == nil {
		if _, err = s.courses.CreateModule(c.Request.Context(), course.ID, in); err == nil {
			s.flash(c, "courses.flash.module_added")
			// The panel stays open for the next module.
			return redirect(c, "/staff/courses/"+itoa64(course.ID)+"?open=module#module-add")
		}
	}
	return s.formFailed(c, err, func(status int, fe map[string]string) error {
		d, err := s.courseDetail(c, course)
		if err != nil {
			return err
		}
		d.ModuleForm, d.Open = form, "module"
		return s.renderCourseDetail(c, status, d, panelErrors("module_", fe))
	})
}

type moduleEditData struct {
	Course          *courses.Course
	Module          *courses.Module
	Form            moduleForm
	LecturerOptions []option
}

func (s *Server) renderModuleEdit(c *gin.Context, status int, d moduleEditData, fieldErrs map[string]string) error {
	sel, _ := strconv.ParseInt(d.Form.LecturerID, 10, 64)
	opts, err := s.lecturerOptions(c, d.Course.OrganizationID, sel)
	if err != nil {
		return err
	}
	d.LecturerOptions = opts
	return s.render(c, status, "course_module", view{Section: "courses", Tab: "overview",
		Title: s.tr(langOf(c), "courses.module.edit"), Errors: fieldErrs, Data: d})
}

// handleModuleEdit: GET /staff/courses/{id}/modules/{mid}/edit.
func (s *Server) handleModuleEdit(c *gin.Context) error {
	course, m, err := s.moduleOfPath(c)
	if err != nil {
		return err
	}
	form := moduleForm{Title: m.Title, Lecturer: m.Lecturer, Position: strconv.Itoa(m.Position)}
	if m.LecturerID > 0 {
		form.LecturerID = itoa64(m.LecturerID)
	}
	if m.DurationMinutes > 0 {
		form.DurationMinutes = strconv.Itoa(m.DurationMinutes)
	}
	return s.renderModuleEdit(c, http.StatusOK, moduleEditData{Course: course, Module: m, Form: form}, nil)
}

// handleModuleUpdateForm: POST /staff/courses/{id}/modules/{mid}.
func (s *Server) handleModuleUpdateForm(c *gin.Context) error {
	course, m, err := s.moduleOfPath(c)
	if err != nil {
		return err
	}
	form := readModuleForm(c, "")
	d := moduleEditData{Course: course, Module: m, Form: form}
	show := func(status int, fe map[string]string) error {
		if m, ok := fe["_"]; ok && status == http.StatusConflict {
			fe = map[string]string{"lecturer": m} // the lecturer teaches elsewhere then
		}
		return s.renderModuleEdit(c, status, d, fe)
	}
	in, f := form.input()
	if err := f.Err(); err != nil {
		return s.formFailed(c, err, show)
	}
	p := courses.ModulePatch{Title: &in.Title, Lecturer: &in.Lecturer, LecturerID: &in.LecturerID,
		DurationMinutes: &in.DurationMinutes, Position: &in.Position}
	if in.LecturerID != m.LecturerID && in.LecturerID != 0 && in.Lecturer == m.Lecturer {
		p.Lecturer = nil // a new record and the old text: write the record's name
	}
	if _, err = s.courses.UpdateModule(c.Request.Context(), m.ID, p); err != nil {
		return s.formFailed(c, err, show)
	}
	s.flash(c, "courses.flash.module_saved")
	return redirect(c, "/staff/courses/"+itoa64(course.ID)+"#modules")
}

// handleModuleMoveForm: POST /staff/courses/{id}/modules/{mid}/move (dir=up|down).
func (s *Server) handleModuleMoveForm(c *gin.Context) error {
	course, m, err := s.moduleOfPath(c)
	if err != nil {
		return err
	}
	delta := 1
	if c.PostForm("dir") == "up" {
		delta = -1
	}
	if _, err := s.courses.MoveModule(c.Request.Context(), m.ID, delta); err != nil {
		return err
	}
	return redirect(c, "/staff/courses/"+itoa64(course.ID)+"#modules")
}

// handleModuleDeleteForm: POST /staff/courses/{id}/modules/{mid}/delete.
func (s *Server) handleModuleDeleteForm(c *gin.Context) error {
	course, m, err := s.moduleOfPath(c)
	if err != nil {
		return err
	}
	if err := s.courses.DeleteModule(c.Request.Context(), m.ID); err != nil {
		return err
	}
	s.flash(c, "courses.flash.module_deleted", m.Title)
	return redirect(c, "/staff/courses/"+itoa64(course.ID)+"#modules")
}
