package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/certificates"
	"taphuan/courses"
)

// ineligibleJSON is one trainee left out by an issue, with the reason in words.
type ineligibleJSON struct {
	RegistrationID int64    `json:"registration_id"`
	FullName       string   `json:"full_name"`
	Reason         string   `json:"reason"`
	Reasons        []string `json:"reasons"` // machine-readable: attendance, mandatory, no_sessions, denied, revoked
}

// handleCertificatesIssue: POST /api/v1/courses/{id}/certificates/issue, optional body
// {issued_on}. Organizers of the course's organization and admins.
func (s *Server) handleCertificatesIssue(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var in struct {
		IssuedOn string `json:"issued_on"`
	}
	if err := bindOptionalJSON(c, &in); err != nil {
		return err
	}
	res, err := s.certs.Issue(c.Request.Context(), certificates.IssueInput{CourseID: course.ID,
		UserID: currentUser(c).ID, IssuedOn: in.IssuedOn, VerifyBase: s.certVerifyBase(c)})
	if err != nil {
		return err
	}
	lang := langOf(c)
	out := make([]ineligibleJSON, len(res.Ineligible))
	for i := range res.Ineligible {
		e := &res.Ineligible[i]
		out[i] = ineligibleJSON{RegistrationID: e.RegistrationID, FullName: e.FullName,
			Reason: s.certReason(lang, e, course.MinAttendancePercent), Reasons: e.Reasons}
	}
	s.log.Info("certificates issued", "course", course.ID, "issued", len(res.Issued), "user", currentUser(c).ID)
	c.JSON(http.StatusOK, gin.H{"issued": res.Issued, "ineligible": out})
	return nil
}

// handleCertificatesList: GET /api/v1/courses/{id}/certificates?status= — the course's
// register, in number order.
func (s *Server) handleCertificatesList(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	limit, offset := listParams(c)
	f := certificates.Filter{CourseID: course.ID, Limit: limit, Offset: offset}
	if st := c.Query("status"); st != "" {
		f.Statuses = strings.Split(st, ",")
	}
	found, total, err := s.certs.List(c.Request.Context(), f)
	if err != nil {
		return err
	}
	items := make([]certJSON, len(found))
	for i := range found {
		items[i] = s.certOut(c, &found[i])
	}
	return list(c, items, total)
}

// handleCertificateGet: GET /api/v1/certificates/{id} and /api/v1/certificates/{id}.pdf
// (one route: the router cannot tell "{id}.pdf" from "{id}"). The PDF is the stored file,
// exactly as issued; its SHA-256 is the certificate's sha256 and its ETag.
func (s *Server) handleCertificateGet(c *gin.Context) error {
	raw, isPDF := strings.CutSuffix(c.Param("id"), ".pdf")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	cert, err := s.certByID(c, id, false)
	if err != nil {
		return err
	}
	if !isPDF {
		c.JSON(http.StatusOK, s.certOut(c, cert))
		return nil
	}
	pdf, _, err := s.certs.PDF(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.Header("ETag", `"`+cert.SHA256+`"`)
	certSendPDF(c, certificates.FileName(cert.Number, cert.FullName), pdf, c.Query("download") != "")
	return nil
}

// handleCertificateRevoke: POST /api/v1/certificates/{id}/revoke {reason}.
func (s *Server) handleCertificateRevoke(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.certByID(c, id, true); err != nil {
		return err
	}
	var in certificates.RevokeInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.CertificateID, in.UserID = id, currentUser(c).ID
	cert, err := s.certs.Revoke(c.Request.Context(), in)
	if err != nil {
		return err
	}
	s.log.Info("certificate revoked", "certificate", id, "number", cert.Number, "user", in.UserID)
	c.JSON(http.StatusOK, s.certOut(c, cert))
	return nil
}

// handleCertificateReissue: POST /api/v1/certificates/{id}/reissue, optional body
// {issued_on} → 201 with the new certificate.
func (s *Server) handleCertificateReissue(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.certByID(c, id, true); err != nil {
		return err
	}
	var in struct {
		IssuedOn string `json:"issued_on"`
	}
	if err := bindOptionalJSON(c, &in); err != nil {
		return err
	}
	cert, err := s.certs.Reissue(c.Request.Context(), certificates.ReissueInput{CertificateID: id,
		UserID: currentUser(c).ID, IssuedOn: in.IssuedOn, VerifyBase: s.certVerifyBase(c)})
	if err != nil {
		return err
	}
	s.log.Info("certificate reissued", "old", id, "new", cert.ID, "number", cert.Number, "user", currentUser(c).ID)
	c.JSON(http.StatusCreated, s.certOut(c, cert))
	return nil
}

// handleCertificatesCombined: GET /api/v1/courses/{id}/certificates.pdf — every valid
// certificate of the course in one file, for printing.
func (s *Server) handleCertificatesCombined(c *gin.Context) error {
	// Every certificate of the course at once (names and birth dates): organizers only.
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	pdf, err := s.certs.CombinedPDF(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	certSendPDF(c, "giay-chung-nhan-lop-"+strconv.FormatInt(course.ID, 10)+".pdf", pdf, c.Query("download") != "")
	return nil
}

// handleCertificatesZIP: GET /api/v1/courses/{id}/certificates.zip — the valid
// certificates as single files named by number and name.
func (s *Server) handleCertificatesZIP(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	// Streamed, one stored PDF at a time: twelve parallel downloads built in memory took
	// 2.4 GB. Whether there is anything to send is asked first, so an empty course is a
	// clean 404; a failure half-way (rare: the files are stored) cuts the download, which
	// the client sees as incomplete, and is logged.
	_, valid, err := s.certs.List(c.Request.Context(), certificates.Filter{CourseID: course.ID,
		Statuses: []string{certificates.Valid}, Limit: 1})
	if err != nil {
		return err
	}
	if valid == 0 {
		return certificates.ErrNotFound
	}
	c.Header("Content-Disposition", `attachment; filename="giay-chung-nhan-lop-`+strconv.FormatInt(course.ID, 10)+`.zip"`)
	c.Header("Content-Type", "application/zip")
	c.Status(http.StatusOK)
	if _, err := s.certs.WriteZIP(c.Request.Context(), course.ID, c.Writer); err != nil {
		s.log.Error("certificates zip cut off", "course", course.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// eligibilityJSON is one trainee of the preview, with the reason in words.
type eligibilityJSON struct {
	*certificates.Eligibility
	Reason          string   `json:"reason"`
	Missed          []int64  `json:"missed"`
	MandatoryMissed []int64  `json:"mandatory_missed"`
	Certificate     *certRef `json:"certificate"`
}

type certRef struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
}

// handleEligibility: GET /api/v1/courses/{id}/eligibility — who is eligible and why not.
func (s *Server) handleEligibility(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	p, err := s.certs.Eligibility(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	lang := langOf(c)
	items := make([]eligibilityJSON, len(p.Rows))
	for i := range p.Rows {
		e := &p.Rows[i]
		items[i] = eligibilityJSON{Eligibility: e, Reason: s.certReason(lang, e, p.MinPercent),
			Missed: certSessionIDs(e.Missed), MandatoryMissed: certSessionIDs(e.MandatoryMissed)}
		if e.Certificate != nil {
			items[i].Certificate = &certRef{ID: e.Certificate.ID, Number: e.Certificate.Number}
		}
	}
	c.JSON(http.StatusOK, gin.H{"min_attendance_percent": p.MinPercent, "planned": len(p.Sessions),
		"items": items, "total": len(items)})
	return nil
}

func certSessionIDs(list []courses.Session) []int64 {
	ids := make([]int64, len(list))
	for i, ss := range list {
		ids[i] = ss.ID
	}
	return ids
}

// handleEligibilityOverride: PUT /api/v1/courses/{id}/eligibility/{registration_id}
// {decision: grant|deny|clear, reason}.
func (s *Server) handleEligibilityOverride(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	rid, err := paramID(c, "rid")
	if err != nil {
		return err
	}
	var in certificates.OverrideInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.CourseID, in.RegistrationID, in.UserID = course.ID, rid, currentUser(c).ID
	if err := s.certs.SetOverride(c.Request.Context(), in); err != nil {
		return err
	}
	s.log.Info("eligibility override", "course", course.ID, "registration", rid, "decision", in.Decision, "user", in.UserID)
	c.JSON(http.StatusOK, gin.H{"registration_id": rid, "decision": in.Decision})
	return nil
}

// handleCertificateSettingsGet: GET /api/v1/organizations/{id}/certificate-settings.
func (s *Server) handleCertificateSettingsGet(c *gin.Context) error {
	id, err := s.orgParam(c, false)
	if err != nil {
		return err
	}
	st, err := s.certs.Settings(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, st)
	return nil
}

// handleCertificateSettingsPut: PUT /api/v1/organizations/{id}/certificate-settings
// {number_format, place_name, signer_name, signer_title, signer_subtitle, wording,
// remove_logo}; the logo is uploaded on the settings page.
func (s *Server) handleCertificateSettingsPut(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := orgAccess(currentUser(c), id, true); err != nil {
		return err
	}
	var in certificates.SettingsInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.OrganizationID = id
	st, err := s.certs.SaveSettings(c.Request.Context(), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, st)
	return nil
}
