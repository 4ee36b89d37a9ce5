package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/limits"
)

// recoveryView is the "Tìm lại vé" form of the public course page.
type recoveryView struct {
	Phone     string
	BirthDate string
	Errors    map[string]string // phone, birth_date, _ (the whole form)
	Open      bool              // show the form opened (after a submit)
}

// The ticket-recovery limits: per client address and per phone number of a course, in an
// hour (counted by package limits, in the database). The phone is keyed by a hash, so the
// counters hold no phone number.
var (
	recoveryAddrRule  = limits.Rule{Bucket: "recover_addr", Max: 10, Window: time.Hour}
	recoveryPhoneRule = limits.Rule{Bucket: "recover_phone", Max: 3, Window: time.Hour}
)

// ticketRecoveryLimit counts one request of this client for the tickets of phone; over
// either limit it is limits.ErrLimited (429).
func (s *Server) ticketRecoveryLimit(c *gin.Context, courseID int64, phone string) error {
	if err := s.limit(c, recoveryAddrRule, c.ClientIP()); err != nil {
		return err
	}
	h := sha256.Sum256([]byte(itoa64(courseID) + "\x00" + phone))
	return s.limit(c, recoveryPhoneRule, hex.EncodeToString(h[:12]))
}

// handleTicketRecovery: POST /courses/{id}/ticket-recovery (phone, birth_date) — the
// ticket links of the matching registrations go to the e-mail address on file. The answer
// is the same whether or not anything matched, so the form tells nobody who registered;
// only a malformed phone or date is pointed at, and too many tries get 429.
func (s *Server) handleTicketRecovery(c *gin.Context) error {
	course, err := s.publicCourseParam(c)
	if err != nil {
		return err
	}
	var form struct {
		Phone     string `form:"phone"`
		BirthDate string `form:"birth_date"`
	}
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	rv := &recoveryView{Phone: form.Phone, BirthDate: form.BirthDate, Open: true, Errors: map[string]string{}}
	check := courses.RegisterInput{Phone: form.Phone, BirthDate: form.BirthDate}
	check.Normalize()
	fe := s.fieldErrors(c, check.Validate())
	for _, k := range []string{"phone", "birth_date"} {
		if fe[k] != "" {
			rv.Errors[k] = fe[k]
		}
	}
	if len(rv.Errors) > 0 {
		return s.renderCoursePublicWith(c, http.StatusUnprocessableEntity, course, nil, nil, rv)
	}
	if err := s.ticketRecoveryLimit(c, course.ID, check.Phone); errors.Is(err, limits.ErrLimited) {
		rv.Errors["_"] = s.tr(langOf(c), "notify.recovery.too_many")
		return s.renderCoursePublicWith(c, http.StatusTooManyRequests, course, nil, nil, rv)
	} else if err != nil {
		return err
	}
	if err := s.notify.RecoverTicket(c.Request.Context(), course.ID, check.Phone, check.BirthDate); err != nil {
		return err
	}
	s.flash(c, "notify.recovery.sent")
	return redirect(c, "/courses/"+itoa64(course.ID)) // the notice shows at the top
}
