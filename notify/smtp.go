package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP sends e-mail through one SMTP server with github.com/wneessen/go-mail.
type SMTP struct {
	host     string
	port     int
	implicit bool // smtps://: TLS from the first byte; else STARTTLS when the server offers it
	user     string
	pass     string
	from     string
	timeout  time.Duration
	tls      *tls.Config // nil: go-mail's default (the system's roots, ServerName = host)
}

// ParseSMTP reads -smtp: smtp://[user:pass@]host[:port] (port 587 by default; STARTTLS
// when offered) or smtps://[user:pass@]host[:port] (465; implicit TLS), and the -mail-from
// address. timeout bounds one delivery.
func ParseSMTP(raw, from string, timeout time.Duration) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the whole address, password included: say only what is wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("notify: -smtp is not an smtp:// or smtps:// address: %v", err)
	}
	s := &SMTP{host: u.Hostname(), timeout: timeout}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicit = 465, true
	default:
		return nil, fmt.Errorf("notify: -smtp %q: the scheme must be smtp:// or smtps://", u.Redacted())
	}
	if s.host == "" {
		return nil, fmt.Errorf("notify: -smtp %q: no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port <= 0 || s.port > 65535 {
			return nil, fmt.Errorf("notify: -smtp %q: bad port", u.Redacted())
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	a, err := mail.ParseAddress(from)
	if err != nil || from == "" {
		return nil, fmt.Errorf("notify: -mail-from %q is not an e-mail address", from)
	}
	s.from = a.Address
	if s.timeout <= 0 {
		s.timeout = 30 * time.Second
	}
	return s, nil
}

// Channel is "email".
func (s *SMTP) Channel() string { return "email" }

// message builds the MIME message of e.
func (s *SMTP) message(e *Envelope) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.FromFormat(e.FromName, s.from); err != nil {
		return nil, &PermanentError{fmt.Errorf("from: %w", err)}
	}
	if err := m.To(e.To); err != nil {
		return nil, &PermanentError{fmt.Errorf("to %q: %w", e.To, err)}
	}
	if e.ReplyTo != "" {
		if err := m.ReplyTo(e.ReplyTo); err != nil {
			return nil, &PermanentError{fmt.Errorf("reply-to: %w", err)}
		}
	}
	m.SetMessageIDWithValue(e.MessageID)
	m.SetDate()
	m.Subject(e.Subject)
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	for _, a := range e.Attachments {
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return m, nil
}

// Send delivers e. A server that cannot be reached (or greeted, or that refuses TLS or the
// login) is an UnavailableError; a refused recipient is a PermanentError.
func (s *SMTP) Send(ctx context.Context, e *Envelope) error {
	m, err := s.message(e)
	if err != nil {
		return err
	}
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.timeout)}
	if s.tls != nil {
		opts = append(opts, gomail.WithTLSConfig(s.tls))
	}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		return &UnavailableError{fmt.Errorf("smtp: %w", err)}
	}
	defer c.Close()
	if err := c.Send(m); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && !se.IsTemp() {
			return &PermanentError{fmt.Errorf("smtp: %w", err)}
		}
		return fmt.Errorf("smtp: %s", strings.TrimSpace(err.Error()))
	}
	return nil
}
