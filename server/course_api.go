package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// courseJSON is a course as the API shows it: the stored fields, the program node, the
// seats taken and the public page.
type courseJSON struct {
	*courses.Course
	ProgramID *int64 `json:"program_id"`
	Confirmed int    `json:"confirmed"`
	PublicURL string `json:"public_url"`
}

func (s *Server) courseOut(c *gin.Context, course *courses.Course) courseJSON {
	out := courseJSON{Course: course, Confirmed: course.ConfirmedCount, PublicURL: s.absURL(c, "/courses/"+itoa64(course.ID))}
	if course.ProgramID.Valid {
		out.ProgramID = &course.ProgramID.Int64
	}
	return out
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// handleCourseCreate: POST /api/v1/courses → 201 with the new draft course. An organizer
// creates for their organization (organization_id may be left out); for another → 403.
func (s *Server) handleCourseCreate(c *gin.Context) error {
	u := currentUser(c)
	in := courses.NewCourseInput()
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.OrganizationID == 0 && !u.IsAdmin() {
		in.OrganizationID = u.OrganizationID
	}
	if !canCreateCourses(u, in.OrganizationID) {
		return errForbidden
	}
	course, err := s.courses.CreateCourse(c.Request.Context(), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.courseOut(c, course))
	return nil
}

// handleCourseGet: GET /api/v1/courses/{id}.
func (s *Server) handleCourseGet(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.courseOut(c, course))
	return nil
}

// decodePatch reads a JSON object into patch (pointer fields: absent = unchanged) and
// returns the keys that were sent as null, which some fields read as "clear".
func decodePatch(c *gin.Context, patch any) (nulls map[string]bool, err error) {
	var raw map[string]json.RawMessage
	if err := bindJSON(c, &raw); err != nil {
		return nil, err
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, patch); err != nil {
		return nil, errBadJSON.Wrap(err)
	}
	nulls = map[string]bool{}
	for k, v := range raw {
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			nulls[k] = true
		}
	}
	return nulls, nil
}

// handleCoursePatch: PATCH /api/v1/courses/{id} — any subset of the fields and "status".
// null clears program_id and either end of the registration window.
func (s *Server) handleCoursePatch(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var p courses.CoursePatch
	nulls, err := decodePatch(c, &p)
	if err != nil {
		return err
	}
	var zero int64
	if nulls["program_id"] {
		p.ProgramID = &zero
	}
	if nulls["registration_opens_at"] {
		p.RegistrationOpensAt = &database.Time{}
	}
	if nulls["registration_closes_at"] {
		p.RegistrationClosesAt = &database.Time{}
	}
	if p.OrganizationID != nil && *p.OrganizationID != course.OrganizationID && !currentUser(c).CanManage(*p.OrganizationID) {
		return errForbidden
	}
	updated, err := s.courses.UpdateCourse(c.Request.Context(), course.ID, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.courseOut(c, updated))
	return nil
}

// handleCourseDelete: DELETE /api/v1/courses/{id} → 204 for a draft or cancelled course
// without registrations; 409 otherwise.
func (s *Server) handleCourseDelete(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	if err := s.courses.DeleteCourse(c.Request.Context(), course.ID); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// handleCourseCopy: POST /api/v1/courses/{id}/copy {starts_on, title} → 201 with the new
// draft course (modules and sessions moved to the new dates, no registrations).
func (s *Server) handleCourseCopy(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var in courses.CopyInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	cp, err := s.courses.CopyCourse(c.Request.Context(), course.ID, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.courseOut(c, cp))
	return nil
}

// courseFilterOf reads the list filters of a request (status, program_id, from, to, q)
// within the user's scope. Dates are YYYY-MM-DD or dd/mm/yyyy.
func courseFilterOf(c *gin.Context) (courses.CourseFilter, error) {
	f := courseScope(currentUser(c))
	f.Status = c.Query("status")
	f.Query = c.Query("q")
	fields := errs.Fields{}
	if v := c.Query("program_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		fields.Check(err == nil && id >= 0, "program_id", "courses.err.program_unknown")
		f.ProgramID = id
	}
	for _, d := range []struct {
		name string
		dst  *string
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := c.Query(d.name); v != "" {
			t, err := vn.ParseDate(v)
			fields.Check(err == nil, d.name, "courses.err.date")
			*d.dst = t.Format("2006-01-02")
		}
	}
	return f, fields.Err()
}

// handleCourseList: GET /api/v1/courses?status=&program_id=&from=&to=&q=&limit=&offset= —
// the courses the user may see, latest first.
func (s *Server) handleCourseList(c *gin.Context) error {
	f, err := courseFilterOf(c)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = listParams(c)
	items, total, err := s.courses.ListCourses(c.Request.Context(), f)
	if err != nil {
		return err
	}
	out := make([]courseJSON, len(items))
	for i := range items {
		out[i] = s.courseOut(c, &items[i])
	}
	return list(c, out, total)
}
