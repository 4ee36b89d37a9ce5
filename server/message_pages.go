package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/notify"
)

// messagesPageData is the staff page of a course's messages.
type messagesPageData struct {
	Course         *courses.Course
	SMTPConfigured bool
	Counts         map[string]int
	Status         string // the filter: "", queued, sent, failed
	Filters        []messageFilter
	Items          []notify.Message
	Pager          Pager
	ReminderDays   int
	Sender         notify.OrgSettings
	Broadcast      broadcastBody // as typed, when refused
	Recipients     int           // confirmed trainees with an address
}

type messageFilter struct {
	Value, URL string
	Count      int
	Current    bool
}

func messagesPath(courseID int64) string { return "/staff/courses/" + itoa64(courseID) + "/messages" }

// handleMessagesPage: GET /staff/courses/{id}/messages?status=&page= — the outbox of the
// course for its organizers: status, attempts, last error, resend; the reminder setting;
// the organization's sender; a message to every confirmed trainee.
func (s *Server) handleMessagesPage(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	return s.renderMessagesPage(c, http.StatusOK, course, messagesTyped{}, nil)
}

// messagesTyped is what a refused form of the page had typed, shown again.
type messagesTyped struct {
	broadcast broadcastBody
	sender    *notify.OrgSettings
}

func (s *Server) renderMessagesPage(c *gin.Context, status int, course *courses.Course, typed messagesTyped, fe map[string]string) error {
	ctx := c.Request.Context()
	st := c.Query("status")
	switch st {
	case notify.StatusQueued, notify.StatusSent, notify.StatusFailed:
	default:
		st = ""
	}
	counts, err := s.notify.Counts(ctx, course.ID)
	if err != nil {
		return err
	}
	total := counts[notify.StatusQueued] + counts[notify.StatusSent] + counts[notify.StatusFailed]
	d := messagesPageData{Course: course, SMTPConfigured: s.mailer != nil, Counts: counts, Status: st, Broadcast: typed.broadcast}
	for _, f := range []struct {
		v string
		n int
	}{{"", total}, {notify.StatusQueued, counts[notify.StatusQueued]}, {notify.StatusSent, counts[notify.StatusSent]}, {notify.StatusFailed, counts[notify.StatusFailed]}} {
		u := messagesPath(course.ID)
		if f.v != "" {
			u += "?status=" + f.v
		}
		d.Filters = append(d.Filters, messageFilter{Value: f.v, URL: u, Count: f.n, Current: f.v == st})
	}
	n := total
	if st != "" {
		n = counts[st]
	}
	d.Pager = newPager(c, n, 50)
	if d.Items, _, err = s.notify.ListMessages(ctx, notify.MessageFilter{CourseID: course.ID, Status: st,
		Limit: d.Pager.PerPage, Offset: d.Pager.Offset()}); err != nil {
		return err
	}
	if d.ReminderDays, err = s.notify.ReminderDays(ctx, course.ID); err != nil {
		return err
	}
	if d.Sender, err = s.notify.FindOrgSettings(ctx, course.OrganizationID); err != nil {
		return err
	}
	if typed.sender != nil {
		d.Sender = *typed.sender
	}
	rcpts, err := s.courses.ConfirmedRecipients(ctx, course.ID)
	if err != nil {
		return err
	}
	d.Recipients = len(rcpts)
	return s.render(c, status, "messages", view{Title: s.tr(langOf(c), "notify.title"), Tab: "messages",
		Section: "courses", Errors: fe, Data: d})
}

// handleBroadcastForm: POST /staff/courses/{id}/messages/broadcast (subject, body).
func (s *Server) handleBroadcastForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var b broadcastBody
	if err := c.ShouldBind(&b); err != nil {
		return errBadJSON.Wrap(err)
	}
	n, err := s.notify.Broadcast(c.Request.Context(), notify.BroadcastInput{CourseID: course.ID, Subject: b.Subject, Body: b.Body})
	if err != nil { // notify.ErrNoRecipient (nobody to write to) too
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderMessagesPage(c, status, course, messagesTyped{broadcast: b}, fe)
		})
	}
	s.log.Info("broadcast queued", "course", course.ID, "recipients", n, "user", currentUser(c).ID)
	s.flash(c, "notify.broadcast.queued", n)
	return redirect(c, messagesPath(course.ID))
}

// handleResendFailedForm: POST /staff/courses/{id}/messages/resend — every failed message.
func (s *Server) handleResendFailedForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	n, err := s.notify.ResendFailed(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	s.flash(c, "notify.resent", n)
	return redirect(c, messagesPath(course.ID))
}

// handleResendForm: POST /staff/messages/{id}/resend — one failed message.
func (s *Server) handleResendForm(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.notify.FindMessageByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	course, err := s.loadCourse(c, m.CourseID, true)
	if err != nil {
		return err
	}
	if _, err := s.notify.Resend(c.Request.Context(), id); err != nil && !errors.Is(err, notify.ErrNotFailed) {
		return err
	}
	s.flash(c, "notify.resent", 1)
	return redirect(c, messagesPath(course.ID)+"#msg-"+itoa64(id))
}

// handleReminderForm: POST /staff/courses/{id}/messages/reminder (days_before).
func (s *Server) handleReminderForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	days, perr := strconv.Atoi(strings.TrimSpace(c.PostForm("days_before")))
	if perr != nil {
		err = errs.Fields{"days_before": {Key: "notify.err.days", Args: []any{0, 30}}}.Err()
	} else {
		err = s.notify.SetReminderDays(c.Request.Context(), course.ID, days)
	}
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderMessagesPage(c, status, course, messagesTyped{}, fe)
		})
	}
	s.flash(c, "notify.reminder.saved")
	return redirect(c, messagesPath(course.ID))
}

// handleSenderForm: POST /staff/courses/{id}/messages/sender (sender_name, reply_to) —
// the settings of the course's organization.
func (s *Server) handleSenderForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	in := notify.OrgSettings{SenderName: c.PostForm("sender_name"), ReplyTo: c.PostForm("reply_to")}
	_, err = s.notify.SetOrgSettings(c.Request.Context(), course.OrganizationID, in)
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderMessagesPage(c, status, course, messagesTyped{sender: &in}, fe)
		})
	}
	s.flash(c, "notify.sender.saved")
	return redirect(c, messagesPath(course.ID))
}
