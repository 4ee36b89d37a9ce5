// Package notify tells trainees what happened to them. It owns the outbox
// (notify_messages): a row per message, written by the listener methods in the same write
// transaction as the registration or session change they report, so a message is never
// lost and never sent for a change that rolled back. A sender loop (Run) claims due rows
// with a lease in the database, so several instances never send one row at once and a row
// whose sender died is taken up again; each row has a Message-ID fixed at enqueue, so a
// retry is recognisable. Messages are rendered when sent, in the language the trainee
// registered in (notify_recipients), from the templates in messages/. It also owns the
// per-course reminder setting, the per-organization sender name and reply-to, the course
// calendars (ICS) and the ticket-recovery limit.
//
// Queue: a plain outbox table, not maragu.dev/goqite or riverqueue/river. Both can
// enqueue in the caller's *sql.Tx, but neither keeps what organizers must see (sent, or
// failed with the last error, and a resend): goqite deletes a finished job and hides one
// past its receive limit without an error; river keeps the state but brings its own
// migrator beside goose, a leader election and pollers that take turns on SQLite's one
// writer connection with the registrations. One table with a lease column gives the same
// guarantees in a few statements, on SQLite and PostgreSQL alike (UPDATE … RETURNING).
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"text/template"
	"time"

	"github.com/jmoiron/sqlx"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
)

// Kinds of message (API.md, Notifications).
const (
	KindConfirmed       = "registration_confirmed"
	KindWaitlisted      = "registration_waitlisted"
	KindPending         = "registration_pending"
	KindApproved        = "registration_approved"
	KindRejected        = "registration_rejected"
	KindPromoted        = "waitlist_promoted"
	KindCancelled       = "registration_cancelled"
	KindReminder        = "course_reminder"
	KindSessionChanged  = "session_changed"
	KindCertificate     = "certificate_issued"
	KindOrganizerNotice = "organizer_message"
	KindTicketRecovery  = "ticket_recovery"
)

// Statuses of a message.
const (
	StatusQueued = "queued"
	StatusSent   = "sent"
	StatusFailed = "failed"
)

// Errors of notify.
var (
	ErrNotFound    = errs.New(errs.NotFound, "err.not_found")
	ErrNotFailed   = errs.New(errs.Conflict, "notify.err.not_failed")
	ErrNoRecipient = errs.New(errs.Conflict, "notify.err.no_recipient")
)

// DefaultLease is how long a sender's claim on a message holds: longer than one delivery
// may take (the SMTP timeout is half of it), short enough that a crashed sender's messages
// go out soon after.
const DefaultLease = 2 * time.Minute

// Config is how messages are made and sent.
type Config struct {
	BaseURL     string        // public address for the links in messages
	From        string        // envelope and header From address (-mail-from)
	MaxAttempts int           // after this many failed attempts a message is failed; 0: 6
	Lease       time.Duration // how long a claim holds; 0: 2 minutes
	Poll        time.Duration // how often the sender looks for due messages; 0: 2 seconds
	Backoff     time.Duration // the wait after a first failed attempt, ×4 after each next; 0: 30 s
}

// Service holds the database and the services whose data the messages show.
type Service struct {
	db       *database.DB
	courses  *courses.Service
	accounts *accounts.Service
	cfg      Config
	host     string                        // for Message-IDs
	tpls     map[string]*template.Template // lang → the message templates
}

// New returns a Service. It does not send until Run is called with a Sender.
func New(db *database.DB, cs *courses.Service, as *accounts.Service, cfg Config) *Service {
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 6
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	host := "taphuan.local"
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	tpls, err := parseTemplates()
	if err != nil {
		panic(err) // the templates are embedded: a test parses them
	}
	return &Service{db: db, courses: cs, accounts: as, cfg: cfg, host: host, tpls: tpls}
}

// NormalizeLang brings a language to the closed set: "en", else "vi".
func NormalizeLang(lang string) string {
	if strings.EqualFold(strings.TrimSpace(lang), "en") {
		return "en"
	}
	return "vi"
}

// params are the facts of a change a message keeps from its moment.
type params struct {
	Reason    string `json:"reason,omitempty"`
	ByTrainee bool   `json:"by_trainee,omitempty"`
	From      string `json:"from,omitempty"` // previous status
	// session_changed
	SessionID int64     `json:"session_id,omitempty"`
	OldStart  time.Time `json:"old_start,omitzero"`
	OldEnd    time.Time `json:"old_end,omitzero"`
	OldRoom   string    `json:"old_room,omitempty"`
	NewStart  time.Time `json:"new_start,omitzero"`
	NewEnd    time.Time `json:"new_end,omitzero"`
	NewRoom   string    `json:"new_room,omitempty"`
	Module    string    `json:"module,omitempty"`
	// organizer_message
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body,omitempty"`
	// certificate_issued
	CertificateCode string `json:"certificate_code,omitempty"`
}

// kindOf names the message for a move of a registration ("" for none).
func kindOf(ch courses.RegistrationChange) string {
	switch ch.To {
	case courses.RegConfirmed:
		switch {
		case ch.From == "":
			return KindConfirmed
		case ch.Reason == courses.ReasonPromoted:
			return KindPromoted
		case ch.Reason == courses.ReasonApproved:
			return KindApproved
		}
		return KindConfirmed
	case courses.RegWaitlisted:
		return KindWaitlisted
	case courses.RegPending:
		return KindPending
	case courses.RegRejected:
		return KindRejected
	case courses.RegCancelled:
		return KindCancelled
	}
	return ""
}

// RegistrationChanged queues the message of a registration change (courses.Listener).
// A new registration also records the language the trainee registered in.
func (s *Service) RegistrationChanged(ctx context.Context, tx *sqlx.Tx, ch courses.RegistrationChange) error {
	lang := NormalizeLang(ch.Lang)
	// Only a language other than the default is recorded: most trainees register in
	// Vietnamese, and their registration then costs one row less.
	if ch.From == "" && lang != "vi" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notify_recipients (registration_id, lang) VALUES (?, ?)
			ON CONFLICT (registration_id) DO UPDATE SET lang = excluded.lang`, ch.RegistrationID, lang); err != nil {
			return fmt.Errorf("notify: language of registration %d: %w", ch.RegistrationID, err)
		}
	}
	kind := kindOf(ch)
	if kind == "" || ch.Email == "" {
		return nil
	}
	p := params{Reason: ch.Reason, ByTrainee: ch.ByTrainee, From: ch.From}
	if strings.HasPrefix(p.Reason, "auto:") {
		p.Reason = ""
	}
	return s.enqueue(ctx, tx, outMsg{CourseID: ch.CourseID, RegistrationID: ch.RegistrationID, Kind: kind,
		To: ch.Email, Params: p, LangKnown: ch.From == "", Lang: lang})
}

// SessionChanged queues session_changed to everyone registered in the course
// (courses.Listener).
func (s *Service) SessionChanged(ctx context.Context, tx *sqlx.Tx, ch courses.SessionChange) error {
	p := params{SessionID: ch.New.ID, OldStart: ch.Old.StartsAt.Time, OldEnd: ch.Old.EndsAt.Time, OldRoom: ch.Old.Room,
		NewStart: ch.New.StartsAt.Time, NewEnd: ch.New.EndsAt.Time, NewRoom: ch.New.Room, Module: ch.New.ModuleTitle}
	for _, r := range ch.Recipients {
		if err := s.enqueue(ctx, tx, outMsg{CourseID: ch.CourseID, RegistrationID: r.RegistrationID,
			Kind: KindSessionChanged, To: r.Email, Params: p}); err != nil {
			return err
		}
	}
	return nil
}

// CertificateIssued queues certificate_issued for a registration, in the transaction that
// registers the certificate.
func (s *Service) CertificateIssued(ctx context.Context, tx *sqlx.Tx, courseID, registrationID int64, email, code string) error {
	if email == "" {
		return nil
	}
	return s.enqueue(ctx, tx, outMsg{CourseID: courseID, RegistrationID: registrationID, Kind: KindCertificate,
		To: email, Params: params{CertificateCode: code}})
}

// outMsg is a message to queue.
type outMsg struct {
	CourseID       int64
	RegistrationID int64 // 0: none
	Kind           string
	To             string
	Params         params
	Lang           string
	LangKnown      bool   // Lang is the trainee's; else it is read from notify_recipients
	DedupeKey      string // "": none
}

func newToken() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// enqueue writes a queued message in tx. With a DedupeKey already queued it does nothing.
func (s *Service) enqueue(ctx context.Context, tx *sqlx.Tx, m outMsg) error {
	if !m.LangKnown {
		m.Lang = "vi"
		if m.RegistrationID != 0 {
			var lang string
			err := tx.GetContext(ctx, &lang, `SELECT lang FROM notify_recipients WHERE registration_id = ?`, m.RegistrationID)
			if err == nil {
				m.Lang = lang
			}
		}
	}
	b, err := json.Marshal(m.Params)
	if err != nil {
		return fmt.Errorf("notify: params: %w", err)
	}
	now := database.Now()
	var reg, dedupe any
	if m.RegistrationID != 0 {
		reg = m.RegistrationID
	}
	if m.DedupeKey != "" {
		dedupe = m.DedupeKey
	}
	msgID := newToken() + "@" + s.host
	_, err = tx.ExecContext(ctx, `INSERT INTO notify_messages (course_id, registration_id, kind, to_addr, lang, params,
		next_at, message_id, dedupe_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		m.CourseID, reg, m.Kind, m.To, NormalizeLang(m.Lang), string(b), now, msgID, dedupe, now)
	if err != nil {
		return fmt.Errorf("notify: queue %s: %w", m.Kind, err)
	}
	return nil
}

// Message is a row of the outbox as organizers see it.
type Message struct {
	ID             int64         `db:"id" json:"id"`
	CourseID       int64         `db:"course_id" json:"-"`
	RegistrationID *int64        `db:"registration_id" json:"registration_id"`
	To             string        `db:"to_addr" json:"to"`
	Kind           string        `db:"kind" json:"kind"`
	Channel        string        `db:"channel" json:"-"`
	Lang           string        `db:"lang" json:"-"`
	Params         string        `db:"params" json:"-"`
	Status         string        `db:"status" json:"status"`
	Attempts       int           `db:"attempts" json:"attempts"`
	LastError      string        `db:"last_error" json:"last_error"`
	MessageID      string        `db:"message_id" json:"-"`
	CreatedAt      database.Time `db:"created_at" json:"created_at"`
	SentAt         *string       `db:"-" json:"sent_at"`
	SentAtRaw      string        `db:"sent_at" json:"-"`
}

const messageColumns = `id, course_id, registration_id, to_addr, kind, channel, lang, params, status, attempts,
	last_error, message_id, created_at, sent_at`

func (m *Message) fill() {
	if m.SentAtRaw != "" {
		v := m.SentAtRaw
		m.SentAt = &v
	}
}

// MessageFilter selects the messages of a course.
type MessageFilter struct {
	CourseID int64
	Status   string // "" all; else queued, sent or failed (anything else: invalid)
	Limit    int
	Offset   int
}

// ListMessages returns a course's messages, newest first, and how many match.
func (s *Service) ListMessages(ctx context.Context, f MessageFilter) ([]Message, int, error) {
	where, args := `course_id = ?`, []any{f.CourseID}
	switch f.Status {
	case "":
	case StatusQueued, StatusSent, StatusFailed:
		where += ` AND status = ?`
		args = append(args, f.Status)
	default:
		return nil, 0, errs.Fields{"status": {Key: "notify.err.status"}}.Err()
	}
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM notify_messages WHERE `+where, args...); err != nil {
		return nil, 0, fmt.Errorf("notify: count messages: %w", err)
	}
	q := `SELECT ` + messageColumns + ` FROM notify_messages WHERE ` + where + ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	out := []Message{}
	if err := s.db.R.SelectContext(ctx, &out, q, args...); err != nil {
		return nil, 0, fmt.Errorf("notify: messages: %w", err)
	}
	for i := range out {
		out[i].fill()
	}
	return out, total, nil
}

// Counts returns a course's messages by status.
func (s *Service) Counts(ctx context.Context, courseID int64) (map[string]int, error) {
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := s.db.R.SelectContext(ctx, &rows, `SELECT status, COUNT(*) AS n FROM notify_messages
		WHERE course_id = ? GROUP BY status`, courseID); err != nil {
		return nil, fmt.Errorf("notify: counts: %w", err)
	}
	out := map[string]int{StatusQueued: 0, StatusSent: 0, StatusFailed: 0}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// FindMessageByID returns ErrNotFound for an unknown id.
func (s *Service) FindMessageByID(ctx context.Context, id int64) (*Message, error) {
	var m Message
	err := s.db.R.GetContext(ctx, &m, `SELECT `+messageColumns+` FROM notify_messages WHERE id = ?`, id)
	if errors.Is(err, errNoRows) {
		return nil, fmt.Errorf("notify: message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("notify: message %d: %w", id, err)
	}
	m.fill()
	return &m, nil
}

// Resend puts a failed message back in the queue with a fresh count of attempts. Its
// Message-ID stays. Returns ErrNotFailed unless it failed.
func (s *Service) Resend(ctx context.Context, id int64) (*Message, error) {
	res, err := s.db.W.ExecContext(ctx, `UPDATE notify_messages SET status = 'queued', attempts = 0, next_at = ?,
		lease_owner = '', lease_until = '' WHERE id = ? AND status = 'failed'`, database.Now(), id)
	if err != nil {
		return nil, fmt.Errorf("notify: resend %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.FindMessageByID(ctx, id); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("notify: resend %d: %w", id, ErrNotFailed)
	}
	return s.FindMessageByID(ctx, id)
}

// ResendFailed puts every failed message of a course back in the queue; returns how many.
func (s *Service) ResendFailed(ctx context.Context, courseID int64) (int, error) {
	res, err := s.db.W.ExecContext(ctx, `UPDATE notify_messages SET status = 'queued', attempts = 0, next_at = ?,
		lease_owner = '', lease_until = '' WHERE course_id = ? AND status = 'failed'`, database.Now(), courseID)
	if err != nil {
		return 0, fmt.Errorf("notify: resend failed of course %d: %w", courseID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
