package server

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/vn"
)

// certVerifyBase is the public address a certificate's code is appended to in its QR code.
func (s *Server) certVerifyBase(c *gin.Context) string { return s.absURL(c, "/verify/") }

// certJSON is a certificate in the API (API.md: id, number, code, status, sha256,
// registration_id, and more).
type certJSON struct {
	*certificates.Certificate
	ReplacesID   *int64 `json:"replaces_id"`
	SupersededBy *int64 `json:"superseded_by"`
	PDFURL       string `json:"pdf_url"`
	VerifyURL    string `json:"verify_url"`
}

func (s *Server) certOut(c *gin.Context, cert *certificates.Certificate) certJSON {
	out := certJSON{Certificate: cert,
		PDFURL:    s.absURL(c, "/api/v1/certificates/"+strconv.FormatInt(cert.ID, 10)+".pdf"),
		VerifyURL: s.certVerifyBase(c) + cert.Code}
	if cert.ReplacesID.Valid {
		out.ReplacesID = &cert.ReplacesID.Int64
	}
	if cert.SupersededBy.Valid {
		out.SupersededBy = &cert.SupersededBy.Int64
	}
	return out
}

// certSessionLabel names a session as people do: "sáng 04/12/2023", "chiều 04/12/2023".
func (s *Server) certSessionLabel(lang string, ss courses.Session) string {
	t := ss.StartsAt.In(vn.Location)
	part := "cert.session.morning"
	switch h := t.Hour(); {
	case h >= 18:
		part = "cert.session.evening"
	case h >= 12:
		part = "cert.session.afternoon"
	}
	return s.tr(lang, part, vn.FormatDate(t))
}

func (s *Server) certSessionList(lang string, list []courses.Session) string {
	parts := make([]string, len(list))
	for i, ss := range list {
		parts[i] = s.certSessionLabel(lang, ss)
	}
	return strings.Join(parts, ", ")
}

// certReason says in words why a trainee is not eligible ("" when eligible).
func (s *Server) certReason(lang string, e *certificates.Eligibility, minPercent int) string {
	var parts []string
	for _, r := range e.Reasons {
		switch r {
		case certificates.ReasonAttendance:
			parts = append(parts, s.tr(lang, "cert.reason.attendance", e.Attended, e.Planned,
				certPercent(e.Percent), minPercent))
		case certificates.ReasonMandatory:
			parts = append(parts, s.tr(lang, "cert.reason.mandatory", s.certSessionList(lang, e.MandatoryMissed)))
		case certificates.ReasonNoSessions:
			parts = append(parts, s.tr(lang, "cert.reason.no_sessions"))
		case certificates.ReasonDenied:
			reason := ""
			if e.Override != nil {
				reason = e.Override.Reason
			}
			parts = append(parts, s.tr(lang, "cert.reason.denied", reason))
		case certificates.ReasonRevoked:
			parts = append(parts, s.tr(lang, "cert.reason.revoked"))
		case certificates.ReasonPostTest:
			if e.PostTest == nil {
				parts = append(parts, s.tr(lang, "eval.cert_reason_no_test"))
			} else {
				parts = append(parts, s.tr(lang, "eval.cert_reason_post_test", certPercent(*e.PostTest)))
			}
		}
	}
	return strings.Join(parts, "; ")
}

// certPercent writes a percent with one decimal only where it has one: "75%", "66,7%".
func certPercent(p float64) string {
	if p == math.Trunc(p) {
		return vn.FormatPercent(p, 0)
	}
	return vn.FormatPercent(p, 1)
}

// sendCertificateOf answers with the valid certificate of registration regID (404 when
// there is none), inline or as an attachment.
func (s *Server) sendCertificateOf(c *gin.Context, regID int64, attachment bool) error {
	cert, err := s.certs.FindValidByRegistration(c.Request.Context(), regID)
	if err != nil {
		return err
	}
	pdf, _, err := s.certs.PDF(c.Request.Context(), cert.ID)
	if err != nil {
		return err
	}
	c.Header("ETag", `"`+cert.SHA256+`"`)
	certSendPDF(c, certificates.FileName(cert.Number, cert.FullName), pdf, attachment)
	return nil
}

// certSendPDF answers with a PDF shown in the browser (inline) or saved (attachment).
func certSendPDF(c *gin.Context, name string, pdf []byte, attachment bool) {
	disp := "inline"
	if attachment {
		disp = "attachment"
	}
	c.Header("Content-Disposition", fmt.Sprintf("%s; filename=%q", disp, name))
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// certDay turns a stored YYYY-MM-DD date into dd/mm/yyyy ("" stays "").
func certDay(s string) string {
	t, err := vn.ParseDate(s)
	if err != nil {
		return s
	}
	return vn.FormatDate(t)
}

// certInstantDay formats an instant as dd/mm/yyyy in Vietnam, "" for the zero time.
func certInstantDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return vn.FormatDate(t)
}
