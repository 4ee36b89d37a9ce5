package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/units"
)

// The pages of a sending unit's focal point (/unit/…): the courses that give its unit
// seats, its quota, its people (named within the quota, replaced before the course), their
// attendance and certificates. Nothing of other units: a course without a quota for the
// unit, or a person of another unit, is not found.

// unitPerson is one of the unit's people in a course, with attendance and certificate.
type unitPerson struct {
	Reg         courses.Registration
	Percent     float64
	HasMarks    bool
	Certificate bool
	Sub         personFields // the substitute form of a confirmed nominee
}

// personFields is what the "unit-person-fields" partial draws: the fields of a person with
// ids made unique by ID, the values as typed and their errors.
type personFields struct {
	ID     string
	Form   registrationForm
	Errors map[string]string
	Open   bool // the form was refused: shown open
}

type unitHomeData struct {
	Unit    *units.Unit
	Courses []courses.UnitQuota
}

type unitCourseData struct {
	Unit     *units.Unit
	Quota    courses.UnitQuota
	People   []unitPerson
	Left     int  // seats left in the quota
	CanName  bool // the course takes nominations (open or closed, not begun)
	Form     registrationForm
	SubForm  registrationForm
	SubFor   int64 // the nominee whose substitute form was refused (re-shown open)
	Sessions int
	Name     personFields
}

// handleUnitHome: GET /unit — the courses that give the focal point's unit seats.
func (s *Server) handleUnitHome(c *gin.Context) error {
	u := currentUser(c)
	unit, err := s.units.Find(c.Request.Context(), u.UnitID)
	if err != nil {
		return err
	}
	list, err := s.courses.CoursesForUnit(c.Request.Context(), unit.ID)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "unit_home", view{Section: "unit", Title: s.tr(langOf(c), "unit.home.title"),
		Data: unitHomeData{Unit: unit, Courses: list}})
}

// unitCourse loads course {id} for the focal point: not found unless it gives its unit seats.
func (s *Server) unitCourse(c *gin.Context, id int64) (*units.Unit, courses.UnitQuota, error) {
	u := currentUser(c)
	unit, err := s.units.Find(c.Request.Context(), u.UnitID)
	if err != nil {
		return nil, courses.UnitQuota{}, err
	}
	q, ok, err := s.courses.UnitQuotaOf(c.Request.Context(), id, unit.ID)
	if err != nil {
		return nil, q, err
	}
	if !ok {
		return nil, q, errNotFound
	}
	return unit, q, nil
}

// handleUnitCourse: GET /unit/courses/{id} — the unit's quota and people in the course.
func (s *Server) handleUnitCourse(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.unitCourseData(c, id)
	if err != nil {
		return err
	}
	return s.renderUnitCourse(c, http.StatusOK, d, nil)
}

func (s *Server) unitCourseData(c *gin.Context, courseID int64) (*unitCourseData, error) {
	ctx := c.Request.Context()
	unit, q, err := s.unitCourse(c, courseID)
	if err != nil {
		return nil, err
	}
	regs, _, err := s.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: courseID, UnitID: unit.ID})
	if err != nil {
		return nil, err
	}
	m, err := s.attend.Matrix(ctx, courseID)
	if err != nil {
		return nil, err
	}
	rows := map[int64]int{}
	for i, r := range m.Rows {
		rows[r.Registration.ID] = i
	}
	d := &unitCourseData{Unit: unit, Quota: q, Left: max(0, q.Seats-q.Confirmed), Sessions: len(m.Sessions)}
	d.CanName = (q.Course.Status == courses.StatusOpen || q.Course.Status == courses.StatusClosed) && q.Course.StartsOn > today()
	for _, r := range regs {
		p := unitPerson{Reg: r}
		if i, ok := rows[r.ID]; ok {
			p.Percent = m.Rows[i].Percent
			p.HasMarks = m.Rows[i].Attended > 0 || len(m.Rows[i].Marks) > 0
		}
		if _, err := s.certs.FindValidByRegistration(ctx, r.ID); err == nil {
			p.Certificate = true
		} else if !errors.Is(err, certificates.ErrNotFound) {
			return nil, err
		}
		d.People = append(d.People, p)
	}
	return d, nil
}

func (s *Server) renderUnitCourse(c *gin.Context, status int, d *unitCourseData, fe map[string]string) error {
	d.Name = personFields{ID: "n", Form: d.Form, Errors: map[string]string{}}
	for i := range d.People {
		p := &d.People[i]
		p.Sub = personFields{ID: fmt.Sprintf("s%d", p.Reg.ID), Errors: map[string]string{}}
		if p.Reg.ID == d.SubFor {
			p.Sub.Form, p.Sub.Open = d.SubForm, true
		}
	}
	for k, v := range fe {
		if name, ok := strings.CutPrefix(k, "sub_"); ok {
			for i := range d.People {
				if d.People[i].Reg.ID == d.SubFor {
					d.People[i].Sub.Errors[name] = v
				}
			}
		} else if k != "_" && d.SubFor == 0 {
			d.Name.Errors[k] = v
		}
	}
	return s.render(c, status, "unit_course", view{Section: "unit", Title: d.Quota.Course.Title, Errors: fe, Data: d})
}

// handleUnitNominate: POST /unit/courses/{id}/nominees — the focal point names one of its
// people: the registration form's rules, confirmed within the quota, or refused with the
// reason on the form.
func (s *Server) handleUnitNominate(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	unit, _, err := s.unitCourse(c, id)
	if err != nil {
		return err
	}
	var form registrationForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	in := form.input(id)
	in.Organization, in.UserID = unit.Name, currentUser(c).ID
	reg, err := s.courses.Nominate(c.Request.Context(), courses.NominateInput{RegisterInput: in, UnitID: unit.ID})
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			d, err := s.unitCourseData(c, id)
			if err != nil {
				return err
			}
			d.Form = form
			return s.renderUnitCourse(c, status, d, fe)
		})
	}
	s.log.Info("unit nominee", "by", currentUser(c).ID, "unit", unit.ID, "registration", reg.ID)
	s.flash(c, "unit.flash.named", reg.FullName)
	return redirect(c, fmt.Sprintf("/unit/courses/%d", id))
}

// unitRegistration loads registration {id} for the focal point: not found unless it is of
// its unit, in a course that gives its unit seats.
func (s *Server) unitRegistration(c *gin.Context) (*courses.Registration, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	reg, err := s.courses.FindRegistrationByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if reg.UnitID == nil || *reg.UnitID != currentUser(c).UnitID {
		return nil, errNotFound
	}
	if _, _, err := s.unitCourse(c, reg.CourseID); err != nil {
		return nil, err
	}
	return reg, nil
}

// handleUnitSubstitute: POST /unit/registrations/{id}/substitute — replaces a confirmed
// nominee by another person of the unit before the course; the seat is kept, both moves
// are logged.
func (s *Server) handleUnitSubstitute(c *gin.Context) error {
	reg, err := s.unitRegistration(c)
	if err != nil {
		return err
	}
	var form registrationForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	u := currentUser(c)
	sub, err := s.courses.Substitute(c.Request.Context(), courses.SubstituteInput{RegistrationID: reg.ID, UnitID: u.UnitID,
		Person: form.input(reg.CourseID), Reason: c.PostForm("reason"), UserID: u.ID})
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			d, err := s.unitCourseData(c, reg.CourseID)
			if err != nil {
				return err
			}
			d.SubForm, d.SubFor = form, reg.ID
			sfe := prefixed("sub_", fe)
			if _, ok := fe["_"]; !ok {
				sfe["_"] = s.tr(langOf(c), "unit.err.substitute", reg.FullName)
			}
			return s.renderUnitCourse(c, status, d, sfe)
		})
	}
	s.log.Info("unit substitute", "by", u.ID, "unit", u.UnitID, "replaced", reg.ID, "registration", sub.ID)
	s.flash(c, "unit.flash.substituted", reg.FullName, sub.FullName)
	return redirect(c, fmt.Sprintf("/unit/courses/%d", reg.CourseID))
}

// handleUnitCertificate: GET /unit/registrations/{id}/certificate.pdf — the valid
// certificate of one of the unit's people.
func (s *Server) handleUnitCertificate(c *gin.Context) error {
	reg, err := s.unitRegistration(c)
	if err != nil {
		return err
	}
	return s.sendCertificateOf(c, reg.ID, true)
}
