package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// recoveryView is the "Tìm lại vé" form of the public course page.
type recoveryView struct {
	Phone     string
	BirthDate string
	Errors    map[string]string // phone, birth_date, _ (the whole form)
	Open      bool              // show the form opened (after a submit)
}

// The ticket-recovery limits: per client address and per phone number, in an hour.
const (
	recoveryPerClient = 10
	recoveryPerPhone  = 3
	recoveryWindow    = time.Hour
)

// ticketRecoveryLimit reports whether this client may ask again for the tickets of phone.
// The hits are kept in the database (notify's table), so the limit holds across restarts
// and instances. It is the seam where the generic limiter of the server goes when it
// exists: same question, same answer.
func (s *Server) ticketRecoveryLimit(c *gin.Context, courseID int64, phone string) (bool, error) {
	hash := func(parts ...string) string {
		h := sha256.New()
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		return hex.EncodeToString(h.Sum(nil)[:12])
	}
	ctx := c.Request.Context()
	ok, err := s.notify.Allow(ctx, []string{"recover-ip:" + hash(c.ClientIP())}, recoveryPerClient, recoveryWindow)
	if err != nil || !ok {
		return false, err
	}
	return s.notify.Allow(ctx, []string{"recover-phone:" + hash(itoa64(courseID), phone)}, recoveryPerPhone, recoveryWindow)
}

// handleTicketRecovery: POST /courses/{id}/ticket-recovery (phone, birth_date) — the
// ticket links of the matching registrations go to the e-mail address on file. The answer
// is the same whether or not anything matched, so the form tells nobody who registered;
// only a malformed phone or date is pointed at, and too many tries get 429.
func (s *Server) handleTicketRecovery(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	course, err := s.courses.FindCourseByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if course.Status == courses.StatusDraft && !currentUser(c).CanView(course.OrganizationID) {
		return errNotFound
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
	ok, err := s.ticketRecoveryLimit(c, course.ID, check.Phone)
	if err != nil {
		return err
	}
	if !ok {
		rv.Errors["_"] = s.tr(langOf(c), "notify.recovery.too_many")
		return s.renderCoursePublicWith(c, http.StatusTooManyRequests, course, nil, nil, rv)
	}
	if err := s.notify.RecoverTicket(c.Request.Context(), course.ID, check.Phone, check.BirthDate); err != nil {
		return err
	}
	s.flash(c, "notify.recovery.sent")
	return redirect(c, "/courses/"+itoa64(course.ID)) // the notice shows at the top
}
