package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/vn"
)

var errNoRows = sql.ErrNoRows

// Limits of what organizers type.
const (
	maxSubject = 200
	maxBody    = 5000
)

// BroadcastInput is an organizer's message to every confirmed trainee of a course.
type BroadcastInput struct {
	CourseID int64
	Subject  string
	Body     string
}

// Normalize cleans the subject (one line) and the body (NFC, trimmed lines kept).
func (in *BroadcastInput) Normalize() {
	in.Subject = vn.Clean(in.Subject)
	lines := strings.Split(strings.ReplaceAll(norm.NFC.String(in.Body), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	in.Body = strings.TrimSpace(strings.Join(lines, "\n"))
}

// Validate checks the subject and the body.
func (in BroadcastInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.Subject != "", "subject", "err.required")
	f.Check(len([]rune(in.Subject)) <= maxSubject, "subject", "err.too_long", maxSubject)
	f.Check(in.Body != "", "body", "err.required")
	f.Check(len([]rune(in.Body)) <= maxBody, "body", "err.too_long", maxBody)
	return f.Err()
}

// Broadcast queues in to every confirmed trainee of the course that has an address, in
// one transaction, and returns how many were queued. Returns ErrNoRecipient when nobody
// confirmed has an address.
func (s *Service) Broadcast(ctx context.Context, in BroadcastInput) (int, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	rcpts, err := s.courses.ConfirmedRecipients(ctx, in.CourseID)
	if err != nil {
		return 0, err
	}
	if len(rcpts) == 0 {
		return 0, fmt.Errorf("notify: course %d: %w", in.CourseID, ErrNoRecipient)
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("notify: broadcast: %w", err)
	}
	defer tx.Rollback()
	for _, r := range rcpts {
		if err := s.enqueue(ctx, tx, outMsg{CourseID: in.CourseID, RegistrationID: r.RegistrationID,
			Kind: KindOrganizerNotice, To: r.Email, Params: params{Subject: in.Subject, Body: in.Body}}); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("notify: broadcast: %w", err)
	}
	return len(rcpts), nil
}

// DefaultReminderDays is how many days before its start a course's reminder goes.
const DefaultReminderDays = 1

// ReminderDays returns a course's reminder setting (days before the start; 0: none).
func (s *Service) ReminderDays(ctx context.Context, courseID int64) (int, error) {
	days := DefaultReminderDays
	err := s.db.R.GetContext(ctx, &days, `SELECT reminder_days_before FROM notify_course_settings WHERE course_id = ?`, courseID)
	if err != nil && !errors.Is(err, errNoRows) {
		return 0, fmt.Errorf("notify: reminder of course %d: %w", courseID, err)
	}
	return days, nil
}

// SetReminderDays sets how many days before its start a course's reminder goes (0..30;
// 0 turns it off).
func (s *Service) SetReminderDays(ctx context.Context, courseID int64, days int) error {
	if days < 0 || days > 30 {
		return errs.Fields{"days_before": {Key: "notify.err.days", Args: []any{0, 30}}}.Err()
	}
	if _, err := s.db.W.ExecContext(ctx, `INSERT INTO notify_course_settings (course_id, reminder_days_before) VALUES (?, ?)
		ON CONFLICT (course_id) DO UPDATE SET reminder_days_before = excluded.reminder_days_before`, courseID, days); err != nil {
		return fmt.Errorf("notify: reminder of course %d: %w", courseID, err)
	}
	return nil
}

// QueueReminders queues course_reminder for every confirmed trainee (with an address) of
// the courses whose reminder day has come by now and that have not started yet. Each
// registration gets one reminder per start date, however often this runs and on however
// many instances. Returns how many were newly queued.
func (s *Service) QueueReminders(ctx context.Context, now time.Time) (int, error) {
	today := now.In(vn.Location).Format("2006-01-02")
	horizon := now.In(vn.Location).AddDate(0, 0, 30).Format("2006-01-02")
	list, _, err := s.courses.ListCourses(ctx, courses.CourseFilter{AllOrganizations: true, From: today, To: horizon,
		Statuses: []string{courses.StatusOpen, courses.StatusClosed}})
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, c := range list {
		if c.StartsOn <= today {
			continue
		}
		days, err := s.ReminderDays(ctx, c.ID)
		if err != nil {
			return queued, err
		}
		if days == 0 || c.StartDate().AddDate(0, 0, -days).Format("2006-01-02") > today {
			continue
		}
		rcpts, err := s.courses.ConfirmedRecipients(ctx, c.ID)
		if err != nil {
			return queued, err
		}
		if len(rcpts) == 0 {
			continue
		}
		n, err := s.queueReminders(ctx, c, rcpts)
		queued += n
		if err != nil {
			return queued, err
		}
	}
	return queued, nil
}

func (s *Service) queueReminders(ctx context.Context, c courses.Course, rcpts []courses.Recipient) (int, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("notify: reminders: %w", err)
	}
	defer tx.Rollback()
	// The reminders queued are those the outbox has after minus before (the dedupe key keeps
	// a reminder already queued from being queued again).
	count := func() (int, error) {
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM notify_messages WHERE course_id = ? AND kind = ?`, c.ID, KindReminder); err != nil {
			return 0, fmt.Errorf("notify: reminders: %w", err)
		}
		return n, nil
	}
	before, err := count()
	if err != nil {
		return 0, err
	}
	for _, r := range rcpts {
		key := fmt.Sprintf("reminder:%d:%s", r.RegistrationID, c.StartsOn)
		if err := s.enqueue(ctx, tx, outMsg{CourseID: c.ID, RegistrationID: r.RegistrationID, Kind: KindReminder,
			To: r.Email, DedupeKey: key}); err != nil {
			return 0, err
		}
	}
	after, err := count()
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("notify: reminders: %w", err)
	}
	return after - before, nil
}

// OrgSettings is how an organization's messages are signed.
type OrgSettings struct {
	SenderName string `db:"sender_name" json:"sender_name"`
	ReplyTo    string `db:"reply_to" json:"reply_to"`
}

// Normalize cleans both fields; the address in lower case.
func (o *OrgSettings) Normalize() {
	o.SenderName = vn.Clean(o.SenderName)
	o.ReplyTo = strings.ToLower(vn.Clean(o.ReplyTo))
}

// Validate checks the lengths and that the reply-to is an address.
func (o OrgSettings) Validate() error {
	f := errs.Fields{}
	f.Check(len([]rune(o.SenderName)) <= 120, "sender_name", "err.too_long", 120)
	f.Check(!strings.ContainsAny(o.SenderName, "<>\"\r\n"), "sender_name", "notify.err.sender_name")
	if o.ReplyTo != "" {
		a, err := mail.ParseAddress(o.ReplyTo)
		f.Check(err == nil && a.Address == o.ReplyTo && len(o.ReplyTo) <= 254, "reply_to", "err.email")
	}
	return f.Err()
}

// FindOrgSettings returns an organization's settings (empty when never set).
func (s *Service) FindOrgSettings(ctx context.Context, orgID int64) (OrgSettings, error) {
	var o OrgSettings
	err := s.db.R.GetContext(ctx, &o, `SELECT sender_name, reply_to FROM notify_org_settings WHERE organization_id = ?`, orgID)
	if err != nil && !errors.Is(err, errNoRows) {
		return o, fmt.Errorf("notify: settings of organization %d: %w", orgID, err)
	}
	return o, nil
}

// SetOrgSettings stores an organization's sender name and reply-to.
func (s *Service) SetOrgSettings(ctx context.Context, orgID int64, o OrgSettings) (OrgSettings, error) {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return o, err
	}
	if _, err := s.db.W.ExecContext(ctx, `INSERT INTO notify_org_settings (organization_id, sender_name, reply_to) VALUES (?, ?, ?)
		ON CONFLICT (organization_id) DO UPDATE SET sender_name = excluded.sender_name, reply_to = excluded.reply_to`,
		orgID, o.SenderName, o.ReplyTo); err != nil {
		return o, fmt.Errorf("notify: settings of organization %d: %w", orgID, err)
	}
	return o, nil
}

// RecoverTicket queues the ticket links of the active registrations of a course that
// have this phone and birth date, to the address on file. It says nothing of whether any
// matched: the caller answers the same either way.
func (s *Service) RecoverTicket(ctx context.Context, courseID int64, phone, birthDate string) error {
	regs, err := s.courses.FindRegistrationsByPhoneBirth(ctx, courseID, phone, birthDate)
	if err != nil {
		return err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("notify: recovery: %w", err)
	}
	defer tx.Rollback()
	for _, r := range regs {
		if r.Email == "" {
			continue
		}
		if err := s.enqueue(ctx, tx, outMsg{CourseID: courseID, RegistrationID: r.ID, Kind: KindTicketRecovery, To: r.Email}); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("notify: recovery: %w", err)
	}
	return nil
}
