package attendance

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/vn"
)

// CheckInInput checks a trainee in at the door by what they show: the ticket code (typed,
// from a keyboard-wedge scanner or the camera; the whole ticket URL is accepted too) or
// their phone number.
type CheckInInput struct {
	SessionID int64  `json:"-"`
	Code      string `json:"code"`
	Source    string `json:"source"` // scan (default) or self
	UserID    int64  `json:"-"`
	// TicketOnly refuses a phone number in place of the ticket code (self check-in, unless
	// the organizer allows phone numbers for the session).
	TicketOnly bool `json:"-"`
}

// CheckInResult is the trainee checked in and their mark now. Already is true when they
// were present or late before, which the mark then keeps (a second scan of the same ticket
// changes nothing).
type CheckInResult struct {
	RegistrationID int64  `json:"registration_id"`
	FullName       string `json:"full_name"`
	Organization   string `json:"organization"`
	Status         string `json:"status"`
	Already        bool   `json:"already"`
	// ByPhone: found by a phone number, not the ticket code. A self check-in by phone does
	// not show the name (whoever typed the number may not be its holder).
	ByPhone bool `json:"-"`
}

// ticketCode takes the ticket code out of what a scanner read: the QR on the ticket may
// hold the ticket's address (…/tickets/CODE) rather than the bare code.
func ticketCode(s string) string {
	s = strings.TrimSpace(vn.Clean(s))
	if i := strings.LastIndex(s, "/tickets/"); i >= 0 {
		s = s[i+len("/tickets/"):]
		if j := strings.IndexAny(s, "?#/"); j >= 0 {
			s = s[:j]
		}
	}
	return s
}

// findByCodeOrPhone finds the registration a trainee shows at a session of courseID.
// Returns ErrUnknownCode when nothing matches, ErrOtherCourse for a ticket of another
// course.
func (s *Service) findByCodeOrPhone(ctx context.Context, courseID int64, raw string, ticketOnly bool) (*courses.Registration, bool, error) {
	code := ticketCode(raw)
	if code == "" {
		return nil, false, fmt.Errorf("attendance: empty code: %w", ErrUnknownCode)
	}
	for _, c := range []string{code, strings.ToUpper(code), strings.ToLower(code)} {
		r, err := s.courses.FindRegistrationByCode(ctx, c)
		if errors.Is(err, courses.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if r.CourseID != courseID {
			return nil, false, fmt.Errorf("attendance: ticket %q is of course %d, not %d: %w", code, r.CourseID, courseID, ErrOtherCourse)
		}
		return r, false, nil
	}
	if ticketOnly {
		return nil, false, fmt.Errorf("attendance: code %q (phone numbers not taken): %w", code, ErrUnknownCode)
	}
	phone, err := vn.NormalizePhone(code)
	if err != nil {
		return nil, false, fmt.Errorf("attendance: code %q: %w", code, ErrUnknownCode)
	}
	regs, _, err := s.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: courseID, Query: phone,
		Statuses: []string{courses.RegConfirmed, courses.RegWaitlisted, courses.RegPending}})
	if err != nil {
		return nil, false, err
	}
	for i := range regs {
		if p, err := vn.NormalizePhone(regs[i].Phone); err == nil && p == phone {
			return &regs[i], true, nil
		}
	}
	return nil, false, fmt.Errorf("attendance: phone %s in course %d: %w", phone, courseID, ErrUnknownCode)
}

// CheckIn marks the trainee who shows a ticket code or phone number present at the
// session, unless they are present or late already (then the mark stays). Returns
// ErrNotFound for an unknown session, ErrUnknownCode (not found) when no registration of
// the course matches, ErrOtherCourse (conflict) for a ticket of another course,
// ErrNotConfirmed for a place that is not confirmed, and the errors of SetMark.
func (s *Service) CheckIn(ctx context.Context, in CheckInInput) (*CheckInResult, error) {
	if in.Source == "" {
		in.Source = SourceScan
	}
	sess, err := s.courses.FindSessionByID(ctx, in.SessionID)
	if err != nil {
		return nil, notFound(err)
	}
	r, byPhone, err := s.findByCodeOrPhone(ctx, sess.CourseID, in.Code, in.TicketOnly)
	if err != nil {
		return nil, err
	}
	if r.Status != courses.RegConfirmed {
		return nil, &NotConfirmedError{RegistrationID: r.ID, FullName: r.FullName, Organization: r.Organization,
			Status: r.Status, WaitlistPosition: r.WaitlistPosition}
	}
	res := &CheckInResult{RegistrationID: r.ID, FullName: r.FullName, Organization: r.Organization, Status: Present, ByPhone: byPhone}
	cur, err := s.markOf(ctx, sess.ID, r.ID)
	if err != nil {
		return nil, err
	}
	if Attended(cur) {
		res.Status, res.Already = cur, true
		return res, nil
	}
	if _, err := s.SetMark(ctx, MarkInput{SessionID: sess.ID, RegistrationID: r.ID, Status: Present,
		Source: in.Source, UserID: in.UserID}); err != nil {
		return nil, err
	}
	return res, nil
}

// markOf returns the current mark ("" when none).
func (s *Service) markOf(ctx context.Context, sessionID, regID int64) (string, error) {
	var st string
	err := s.db.R.GetContext(ctx, &st, `SELECT status FROM attendance_marks WHERE session_id = ? AND registration_id = ?`,
		sessionID, regID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("attendance: mark of %d at %d: %w", regID, sessionID, err)
	}
	return st, nil
}

// notFound turns the courses package's not-found into this package's.
func notFound(err error) error {
	if errors.Is(err, courses.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

// Self check-in. The projector shows a QR code (and the same short code in figures) that
// changes every minute: an HMAC of the minute under the session's secret, so it cannot be
// worked out from an old one and needs no state. A trainee who scans it (or types it) and
// gives their ticket code or phone number is marked present, while the session runs.
const (
	// SelfCodeDigits is the length of the short code.
	SelfCodeDigits = 6
	// SelfOpensBefore: self check-in opens this long before the session starts, as people
	// arrive and sit down.
	SelfOpensBefore = 30 * time.Minute
	// SelfClosesAfter: and closes this long after the session ends, for a slow phone.
	SelfClosesAfter = 10 * time.Minute
)

// SelfCode returns the self check-in code of the session for the minute holding t.
func SelfCode(secret string, sessionID int64, t time.Time) string {
	minute := t.Unix() / 60
	if t.Unix() < 0 && t.Unix()%60 != 0 {
		minute-- // floor, should a clock ever be that wrong
	}
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "taphuan self check-in|%d|%d", sessionID, minute)
	n := binary.BigEndian.Uint32(mac.Sum(nil)[:4]) % 1_000_000
	return fmt.Sprintf("%0*d", SelfCodeDigits, n)
}

// ValidSelfCode reports whether code is the session's code of the minute of now or of the
// minute before (a code read just before it changed still works). Spaces are ignored.
func ValidSelfCode(secret string, sessionID int64, code string, now time.Time) bool {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != SelfCodeDigits || secret == "" {
		return false
	}
	for _, t := range []time.Time{now, now.Add(-time.Minute)} {
		if hmac.Equal([]byte(code), []byte(SelfCode(secret, sessionID, t))) {
			return true
		}
	}
	return false
}

// SelfOpen reports whether self check-in is open for the session at now.
func SelfOpen(sess *courses.Session, now time.Time) bool {
	return !now.Before(sess.StartsAt.Add(-SelfOpensBefore)) && now.Before(sess.EndsAt.Add(SelfClosesAfter))
}

// SelfCheckin is what the projector page shows: the current code, until when it holds,
// and whether self check-in is open now.
type SelfCheckin struct {
	SessionID int64     `json:"session_id"`
	Code      string    `json:"code"`
	ValidFrom time.Time `json:"valid_from"`
	NextAt    time.Time `json:"next_at"` // the code changes then
	Open      bool      `json:"open"`
	OpensAt   time.Time `json:"opens_at"`
	ClosesAt  time.Time `json:"closes_at"`
}

// SelfCheckinCode returns the session's current self check-in code, from the secret courses
// keeps for the session.
func (s *Service) SelfCheckinCode(ctx context.Context, sessionID int64, now time.Time) (*SelfCheckin, error) {
	sess, err := s.courses.FindSessionByID(ctx, sessionID)
	if err != nil {
		return nil, notFound(err)
	}
	secret, err := s.selfSecret(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	from := now.Truncate(time.Minute)
	return &SelfCheckin{SessionID: sessionID, Code: SelfCode(secret, sessionID, now), ValidFrom: from,
		NextAt: from.Add(time.Minute), Open: SelfOpen(sess, now),
		OpensAt: sess.StartsAt.Add(-SelfOpensBefore), ClosesAt: sess.EndsAt.Add(SelfClosesAfter)}, nil
}

// selfSecret returns the session's check-in secret, which courses owns.
func (s *Service) selfSecret(ctx context.Context, sessionID int64) (string, error) {
	secret, err := s.courses.CheckinSecret(ctx, sessionID)
	if err != nil {
		return "", notFound(err)
	}
	return secret, nil
}

// SelfCheckInInput is a trainee checking themselves in from their phone: the code on the
// projector and their ticket code or phone number.
type SelfCheckInInput struct {
	SessionID int64
	Code      string // the projector's code
	Ticket    string // ticket code or phone number
}

// Validate checks that both codes are given.
func (in SelfCheckInInput) Validate() error {
	f := errs.Fields{}
	f.Check(strings.TrimSpace(in.Code) != "", "code", "err.required")
	f.Check(strings.TrimSpace(in.Ticket) != "", "ticket", "err.required")
	return f.Err()
}

// SelfCheckIn marks the trainee present (source self) at now. Returns ErrSelfClosed
// (closed) outside the window of SelfOpen, ErrSelfCode (invalid, on the field "code") for
// a code that is neither this minute's nor the last one's, and the errors of CheckIn.
func (s *Service) SelfCheckIn(ctx context.Context, in SelfCheckInInput, now time.Time) (*CheckInResult, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	sess, err := s.courses.FindSessionByID(ctx, in.SessionID)
	if err != nil {
		return nil, notFound(err)
	}
	if !SelfOpen(sess, now) {
		return nil, fmt.Errorf("attendance: session %d at %s: %w", sess.ID, now.Format(time.RFC3339), ErrSelfClosed)
	}
	secret, err := s.selfSecret(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	if !ValidSelfCode(secret, sess.ID, in.Code, now) {
		f := errs.Fields{}
		f.Add("code", ErrSelfCode.Msg.Key)
		return nil, f.Err()
	}
	phoneOK, err := s.courses.SelfPhoneAllowed(ctx, sess.ID)
	if err != nil {
		return nil, notFound(err)
	}
	res, err := s.CheckIn(ctx, CheckInInput{SessionID: sess.ID, Code: in.Ticket, Source: SourceSelf, TicketOnly: !phoneOK})
	if err == nil && res.ByPhone {
		// Only the ticket's holder is told whose ticket it is.
		res.FullName, res.Organization = "", ""
	}
	if errors.Is(err, ErrUnknownCode) || errors.Is(err, ErrOtherCourse) {
		// On the trainee's form the problem is the ticket field.
		f := errs.Fields{}
		f.Add("ticket", "attendance.err.unknown_ticket")
		return nil, errors.Join(f.Err(), err)
	}
	return res, err
}

// SessionLabel names a session the way a sign-in sheet does: "Buổi sáng" before noon,
// "Buổi chiều" until six, "Buổi tối" after, by the start in Vietnam time.
func SessionLabel(sess *courses.Session) string {
	switch h := sess.StartsAt.In(vn.Location).Hour(); {
	case h < 12:
		return "Buổi sáng"
	case h < 18:
		return "Buổi chiều"
	default:
		return "Buổi tối"
	}
}

// SessionLine is the session's day and time as printed: "Buổi sáng, ngày 04/12/2023
// (07:30 – 11:30)".
func SessionLine(sess *courses.Session) string {
	start, end := sess.StartsAt.In(vn.Location), sess.EndsAt.In(vn.Location)
	return SessionLabel(sess) + ", ngày " + vn.FormatDate(start) + " (" + start.Format("15:04") + " – " + end.Format("15:04") + ")"
}
