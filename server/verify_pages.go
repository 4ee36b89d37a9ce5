package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/certificates"
)

// verifyData is what the public verification page shows: the minimum of DOMAIN.md (name,
// course, number, dates, status) and nothing else about the holder.
type verifyData struct {
	Found        bool
	Code         string
	V            *certificates.Verification
	IssuedOn     string // dd/mm/yyyy
	RevokedOn    string
	CourseDates  string
	Organization string
}

// handleVerifyPage: GET /verify/{code} — public, for whoever scanned the QR code. An
// unknown code answers 404 with a page that says the register has no such certificate.
func (s *Server) handleVerifyPage(c *gin.Context) error {
	code := c.Param("code")
	v, err := s.certs.Verify(c.Request.Context(), code)
	// Verification pages are nobody's business but the verifier's: keep them out of
	// search engines and of shared caches.
	c.Header("X-Robots-Tag", "noindex, nofollow")
	c.Header("Cache-Control", "no-store")
	lang := langOf(c)
	if errors.Is(err, certificates.ErrNotFound) {
		return s.render(c, http.StatusNotFound, "verify", view{Title: s.tr(lang, "cert.verify.title"),
			Data: verifyData{Code: code}})
	}
	if err != nil {
		return err
	}
	d := verifyData{Found: true, Code: code, V: v, IssuedOn: certDay(v.IssuedOn),
		RevokedOn: certInstantDay(v.RevokedAt.Time), CourseDates: v.CourseDates}
	return s.render(c, http.StatusOK, "verify", view{Title: s.tr(lang, "cert.verify.title"), Data: d})
}

// handleTicketCertificate: GET /tickets/{code}/certificate.pdf — public: whoever holds a
// ticket code downloads that trainee's valid certificate; 404 when there is none.
func (s *Server) handleTicketCertificate(c *gin.Context) error {
	reg, err := s.courses.FindRegistrationByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		return err
	}
	return s.sendCertificateOf(c, reg.ID, c.Query("download") != "")
}
