package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/notify"
)

// setupNotify makes the outbox service, tells courses and certificates to write to it,
// and the SMTP sender when one is configured.
func (s *Server) setupNotify(db *database.DB) error {
	s.notify = notify.New(db, s.courses, s.accounts, notify.Config{BaseURL: s.cfg.BaseURL, From: s.cfg.MailFrom,
		Lease: s.cfg.MailLease, Poll: s.cfg.MailPoll, Backoff: s.cfg.MailBackoff})
	s.courses.SetListener(s.notify)
	s.certs.SetListener(s.notify)
	if s.cfg.SMTP == "" {
		return nil
	}
	lease := s.cfg.MailLease
	if lease <= 0 {
		lease = notify.DefaultLease
	}
	snd, err := notify.ParseSMTP(s.cfg.SMTP, s.cfg.MailFrom, lease/2)
	if err != nil {
		return err
	}
	s.mailer = snd
	return nil
}

// handleMessageList: GET /api/v1/courses/{id}/messages?status= — the outbox of a course,
// newest first, for its organizers.
func (s *Server) handleMessageList(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	limit, offset := listParams(c)
	items, total, err := s.notify.ListMessages(c.Request.Context(), notify.MessageFilter{CourseID: course.ID,
		Status: c.Query("status"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return list(c, items, total)
}

// handleMessageResend: POST /api/v1/messages/{id}/resend — a failed message goes back in
// the queue (409 unless it failed).
func (s *Server) handleMessageResend(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.notify.FindMessageByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if _, err := s.loadCourse(c, m.CourseID, true); err != nil {
		return err
	}
	m, err = s.notify.Resend(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, m)
	return nil
}

// handleMessageResendFailed: POST /api/v1/courses/{id}/messages/resend — every failed
// message of the course goes back in the queue → {requeued}.
func (s *Server) handleMessageResendFailed(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	n, err := s.notify.ResendFailed(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"requeued": n})
	return nil
}

// broadcastBody is POST /api/v1/courses/{id}/messages.
type broadcastBody struct {
	Subject string `json:"subject" form:"subject"`
	Body    string `json:"body" form:"body"`
}

// handleBroadcast: POST /api/v1/courses/{id}/messages {subject, body} — queued to every
// confirmed trainee with an address → 201 {queued}; 409 when there is nobody to write to.
func (s *Server) handleBroadcast(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var b broadcastBody
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	n, err := s.notify.Broadcast(c.Request.Context(), notify.BroadcastInput{CourseID: course.ID, Subject: b.Subject, Body: b.Body})
	if err != nil {
		return err
	}
	s.log.Info("broadcast queued", "course", course.ID, "recipients", n, "user", currentUser(c).ID)
	c.JSON(http.StatusCreated, gin.H{"queued": n})
	return nil
}

// reminderBody is PUT /api/v1/courses/{id}/reminder.
type reminderBody struct {
	DaysBefore *int `json:"days_before"`
}

// handleReminderGet: GET /api/v1/courses/{id}/reminder → {days_before}.
func (s *Server) handleReminderGet(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	days, err := s.notify.ReminderDays(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"days_before": days})
	return nil
}

// handleReminderPut: PUT /api/v1/courses/{id}/reminder {days_before: 0..30} — how many
// days before the start the reminder goes (0: none; the day before by default).
func (s *Server) handleReminderPut(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var b reminderBody
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	if b.DaysBefore == nil {
		return errs.Fields{"days_before": {Key: "err.required"}}.Err()
	}
	if err := s.notify.SetReminderDays(c.Request.Context(), course.ID, *b.DaysBefore); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"days_before": *b.DaysBefore})
	return nil
}

// handleMailSettingsGet: GET /api/v1/organizations/{id}/mail-settings → {sender_name, reply_to}.
func (s *Server) handleMailSettingsGet(c *gin.Context) error {
	id, err := s.orgParam(c, false)
	if err != nil {
		return err
	}
	o, err := s.notify.FindOrgSettings(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, o)
	return nil
}

// handleMailSettingsPut: PUT /api/v1/organizations/{id}/mail-settings {sender_name, reply_to}
// — how the organization's messages are signed.
func (s *Server) handleMailSettingsPut(c *gin.Context) error {
	id, err := s.orgParam(c, true)
	if err != nil {
		return err
	}
	var in notify.OrgSettings
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	o, err := s.notify.SetOrgSettings(c.Request.Context(), id, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, o)
	return nil
}
