package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/errs"
)

// certRow is one trainee of the eligibility table.
type certRow struct {
	N       int
	E       *certificates.Eligibility
	Reason  string // why not eligible, in words
	Missed  string // the sessions missed, in words
	Percent string
	Open    bool   // the override form is shown open (it was refused)
	Error   string // why it was refused
	Form    certificates.OverrideInput
}

// certRegisterRow is one certificate of the course's register.
type certRegisterRow struct {
	C        *certificates.Certificate
	IssuedOn string
	Revoked  string
	Open     bool
	Error    string
	Reason   string
}

type certFilter struct {
	Value, Label string
	Count        int
	Current      bool
	URL          string
}

// certsPageData is the certificates tab of a course (page "cert_course").
type certsPageData struct {
	Course        *courses.Course
	CanManage     bool
	SettingsSaved bool
	NumberExample string
	MinPercent    int
	MinPostTest   int // the knowledge test's post-test minimum (0: none)
	Planned       int
	Confirmed     int
	Eligible      int
	Due           int
	Issued        int
	Ineligible    int
	Filters       []certFilter
	Rows          []certRow
	Pager         Pager
	Register      []certRegisterRow
	RegisterPager Pager
}

// certFormError re-shows the page with a refused form open on its row.
type certFormError struct {
	regID, certID int64
	msg           string
	override      certificates.OverrideInput
	reason        string
}

const certsPerPage = 50

// handleCertificatesPage: GET /staff/courses/{id}/certificates.
func (s *Server) handleCertificatesPage(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	return s.renderCertificatesPage(c, http.StatusOK, course, nil)
}

func (s *Server) renderCertificatesPage(c *gin.Context, status int, course *courses.Course, fe *certFormError) error {
	ctx := c.Request.Context()
	lang := langOf(c)
	u := currentUser(c)
	p, err := s.certs.Eligibility(ctx, course.ID)
	if err != nil {
		return err
	}
	st, err := s.certs.Settings(ctx, course.OrganizationID)
	if err != nil {
		return err
	}
	d := certsPageData{Course: course, CanManage: u.CanManage(course.OrganizationID), SettingsSaved: !st.UpdatedAt.IsZero(),
		MinPercent: p.MinPercent, MinPostTest: p.MinPostTest, Planned: len(p.Sessions), Confirmed: len(p.Rows)}
	d.NumberExample, _ = certificates.FormatNumber(st.NumberFormat, 1)
	d.Eligible = p.Count(func(e *certificates.Eligibility) bool { return e.Eligible })
	d.Due = p.Count(func(e *certificates.Eligibility) bool { return e.Due() })
	d.Issued = p.Count(func(e *certificates.Eligibility) bool { return e.Certificate != nil })
	d.Ineligible = d.Confirmed - d.Eligible

	show := c.Query("show")
	filters := []struct {
		value string
		pred  func(*certificates.Eligibility) bool
		count int
	}{
		{"all", func(*certificates.Eligibility) bool { return true }, d.Confirmed},
		{"due", (*certificates.Eligibility).Due, d.Due},
		{"ineligible", func(e *certificates.Eligibility) bool { return !e.Eligible }, d.Ineligible},
		{"issued", func(e *certificates.Eligibility) bool { return e.Certificate != nil }, d.Issued},
	}
	pred := filters[0].pred
	if fe != nil && fe.regID != 0 {
		show = "all"
	}
	for _, f := range filters {
		cur := f.value == show || (show == "" && f.value == "all")
		if cur {
			pred = f.pred
		}
		q := url.Values{"show": {f.value}}
		d.Filters = append(d.Filters, certFilter{Value: f.value, Label: s.tr(lang, "cert.filter."+f.value),
			Count: f.count, Current: cur, URL: c.Request.URL.Path + "?" + q.Encode()})
	}
	var rows []*certificates.Eligibility
	for i := range p.Rows {
		if pred(&p.Rows[i]) {
			rows = append(rows, &p.Rows[i])
		}
	}
	d.Pager = newPager(c, len(rows), certsPerPage)
	if fe != nil && fe.regID != 0 {
		// Show the page that holds the refused form.
		for i, e := range rows {
			if e.RegistrationID == fe.regID {
				d.Pager = pagerAt(c, "page", len(rows), certsPerPage, i/certsPerPage+1)
			}
		}
	}
	start := d.Pager.Offset()
	for i, e := range rows[min(start, len(rows)):min(start+certsPerPage, len(rows))] {
		r := certRow{N: start + i + 1, E: e, Reason: s.certReason(lang, e, p.MinPercent),
			Missed: s.certSessionList(lang, e.Missed), Percent: certPercent(e.Percent)}
		// The form proposes the opposite of the current answer.
		r.Form.Decision = certificates.Deny
		if !e.Eligible {
			r.Form.Decision = certificates.Grant
		}
		if fe != nil && fe.regID == e.RegistrationID {
			r.Open, r.Error, r.Form = true, fe.msg, fe.override
		}
		d.Rows = append(d.Rows, r)
	}

	_, total, err := s.certs.List(ctx, certificates.Filter{CourseID: course.ID, Limit: 1})
	if err != nil {
		return err
	}
	d.RegisterPager = pagerOn(c, "cpage", total, certsPerPage)
	reg, _, err := s.certs.List(ctx, certificates.Filter{CourseID: course.ID, Limit: certsPerPage, Offset: d.RegisterPager.Offset()})
	if err != nil {
		return err
	}
	for i := range reg {
		cert := &reg[i]
		r := certRegisterRow{C: cert, IssuedOn: certDay(cert.IssuedOn), Revoked: certInstantDay(cert.RevokedAt.Time)}
		if fe != nil && fe.certID == cert.ID {
			r.Open, r.Error, r.Reason = true, fe.msg, fe.reason
		}
		d.Register = append(d.Register, r)
	}
	return s.render(c, status, "cert_course", view{Section: "courses", Tab: "certificates",
		Title: s.tr(lang, "cert.title") + " · " + course.Title, Data: d})
}

func certsPath(courseID int64) string {
	return "/staff/courses/" + strconv.FormatInt(courseID, 10) + "/certificates"
}

// handleCertificatesIssueForm: POST /staff/courses/{id}/certificates/issue.
func (s *Server) handleCertificatesIssueForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	res, err := s.certs.Issue(c.Request.Context(), certificates.IssueInput{CourseID: course.ID,
		UserID: currentUser(c).ID, VerifyBase: s.certVerifyBase(c)})
	if err != nil {
		return err
	}
	s.log.Info("certificates issued", "course", course.ID, "issued", len(res.Issued), "user", currentUser(c).ID)
	s.flash(c, "cert.issued_flash", len(res.Issued), len(res.Ineligible))
	return redirect(c, certsPath(course.ID)+"?show=issued")
}

// overrideForm is an eligibility decision as posted.
type overrideForm struct {
	RegistrationID int64  `form:"registration_id"`
	Decision       string `form:"decision"` // grant, deny or clear
	Reason         string `form:"reason"`
}

func (f overrideForm) input(courseID, userID int64) certificates.OverrideInput {
	return certificates.OverrideInput{CourseID: courseID, RegistrationID: f.RegistrationID,
		Decision: f.Decision, Reason: f.Reason, UserID: userID}
}

// handleCertificateOverrideForm: POST /staff/courses/{id}/certificates/override
// (registration_id, decision, reason).
func (s *Server) handleCertificateOverrideForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var form overrideForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	in := form.input(course.ID, currentUser(c).ID)
	err = s.certs.SetOverride(c.Request.Context(), in)
	if fe := s.fieldErrors(c, err); fe != nil {
		msg := fe["reason"]
		if msg == "" {
			msg = fe["decision"]
		}
		return s.renderCertificatesPage(c, http.StatusUnprocessableEntity, course,
			&certFormError{regID: in.RegistrationID, msg: msg, override: in})
	}
	if err != nil {
		return err
	}
	s.log.Info("eligibility override", "course", course.ID, "registration", in.RegistrationID, "decision", in.Decision, "user", in.UserID)
	s.flash(c, "cert.override_saved")
	return redirect(c, certsPath(course.ID)+"#reg-"+strconv.FormatInt(in.RegistrationID, 10))
}

// certFromForm loads the certificate of the path for a form that changes it.
func (s *Server) certFromForm(c *gin.Context) (*certificates.Certificate, *courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	cert, err := s.certByID(c, id, true)
	if err != nil {
		return nil, nil, err
	}
	course, err := s.courses.FindCourseByID(c.Request.Context(), cert.CourseID)
	if err != nil {
		return nil, nil, err
	}
	return cert, course, nil
}

// handleCertificateRevokeForm: POST /staff/certificates/{id}/revoke (reason).
func (s *Server) handleCertificateRevokeForm(c *gin.Context) error {
	cert, course, err := s.certFromForm(c)
	if err != nil {
		return err
	}
	in := certificates.RevokeInput{CertificateID: cert.ID, Reason: c.PostForm("reason"), UserID: currentUser(c).ID}
	_, err = s.certs.Revoke(c.Request.Context(), in)
	if fe := s.fieldErrors(c, err); fe != nil {
		return s.renderCertificatesPage(c, http.StatusUnprocessableEntity, course,
			&certFormError{certID: cert.ID, msg: fe["reason"], reason: in.Reason})
	}
	if errors.Is(err, certificates.ErrNotValid) {
		s.flash(c, "cert.err.not_valid")
		return redirect(c, certsPath(course.ID))
	}
	if err != nil {
		return err
	}
	s.log.Info("certificate revoked", "certificate", cert.ID, "number", cert.Number, "user", in.UserID)
	s.flash(c, "cert.revoked_flash", cert.Number)
	return redirect(c, certsPath(course.ID)+"#cert-"+strconv.FormatInt(cert.ID, 10))
}

// handleCertificateReissueForm: POST /staff/certificates/{id}/reissue.
func (s *Server) handleCertificateReissueForm(c *gin.Context) error {
	cert, course, err := s.certFromForm(c)
	if err != nil {
		return err
	}
	n, err := s.certs.Reissue(c.Request.Context(), certificates.ReissueInput{CertificateID: cert.ID,
		UserID: currentUser(c).ID, VerifyBase: s.certVerifyBase(c)})
	if errs.CodeOf(err) == errs.Conflict {
		s.flash(c, "cert.err.superseded")
		return redirect(c, certsPath(course.ID))
	}
	if err != nil {
		return err
	}
	s.log.Info("certificate reissued", "old", cert.ID, "new", n.ID, "number", n.Number, "user", currentUser(c).ID)
	s.flash(c, "cert.reissued_flash", cert.Number, n.Number)
	return redirect(c, certsPath(course.ID)+"#cert-"+strconv.FormatInt(n.ID, 10))
}
