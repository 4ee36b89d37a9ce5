package notify

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/vn"
)

//go:embed messages/*.tmpl
var messageFS embed.FS

// parseTemplates parses the message templates of both languages (once, in New).
func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"date": func(t time.Time) string { return vn.FormatDate(t) },
		"hm":   func(t time.Time) string { return t.In(vn.Location).Format("15:04") },
		"day":  func(s string) string { t, _ := vn.ParseDate(s); return vn.FormatDate(t) },
	}
	out := map[string]*template.Template{}
	for _, lang := range []string{"vi", "en"} {
		t, err := template.New(lang).Funcs(funcs).ParseFS(messageFS, "messages/"+lang+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("notify: templates %s: %w", lang, err)
		}
		out[lang] = t
	}
	return out, nil
}

// view is what a message template sees.
type view struct {
	Name         string
	Course       *courses.Course
	Organization *accounts.Organization
	Sessions     []courses.Session
	Status       string
	Position     int
	TicketURL    string
	CalendarURL  string
	CourseURL    string
	VerifyURL    string
	CertURL      string
	P            params
}

// withCalendar are the kinds that carry the timetable as an ICS file and the ticket QR.
var withCalendar = map[string]bool{KindConfirmed: true, KindPromoted: true, KindApproved: true,
	KindReminder: true, KindSessionChanged: true}

// render makes the envelope of a message from what is stored now.
func (s *Service) render(ctx context.Context, m *Message) (*Envelope, error) {
	var p params
	if err := json.Unmarshal([]byte(m.Params), &p); err != nil {
		return nil, fmt.Errorf("notify: params of %d: %w", m.ID, err)
	}
	course, err := s.courses.FindCourseByID(ctx, m.CourseID)
	if err != nil {
		return nil, err
	}
	org, err := s.accounts.FindOrganizationByID(ctx, course.OrganizationID)
	if err != nil {
		return nil, err
	}
	sessions, err := s.courses.ListSessions(ctx, course.ID)
	if err != nil {
		return nil, err
	}
	v := view{Course: course, Organization: org, Sessions: sessions, P: p,
		CourseURL: fmt.Sprintf("%s/courses/%d", s.cfg.BaseURL, course.ID)}
	var reg *courses.Registration
	if m.RegistrationID != nil {
		if reg, err = s.courses.FindRegistrationByID(ctx, *m.RegistrationID); err != nil {
			return nil, err
		}
		v.Name, v.Status = reg.FullName, reg.Status
		if reg.WaitlistPosition != nil {
			v.Position = *reg.WaitlistPosition
		}
		v.TicketURL = s.cfg.BaseURL + "/tickets/" + reg.Code
		v.CalendarURL = v.TicketURL + "/calendar.ics"
		v.CertURL = v.TicketURL + "/certificate.pdf"
	}
	if p.CertificateCode != "" {
		v.VerifyURL = s.cfg.BaseURL + "/verify/" + p.CertificateCode
	}
	t := s.tpls[NormalizeLang(m.Lang)]
	var subj, body bytes.Buffer
	if err := t.ExecuteTemplate(&subj, m.Kind+".subject", v); err != nil {
		return nil, fmt.Errorf("notify: subject of %s: %w", m.Kind, err)
	}
	if err := t.ExecuteTemplate(&body, m.Kind+".body", v); err != nil {
		return nil, fmt.Errorf("notify: body of %s: %w", m.Kind, err)
	}
	set, err := s.FindOrgSettings(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	env := &Envelope{FromName: set.SenderName, ReplyTo: set.ReplyTo, To: m.To,
		Subject: strings.Join(strings.Fields(subj.String()), " "), Text: tidy(body.String()),
		MessageID: m.MessageID}
	if env.FromName == "" {
		env.FromName = org.Name
	}
	if reg != nil && withCalendar[m.Kind] && len(sessions) > 0 {
		ics, err := CourseCalendar(course, org, sessions, NormalizeLang(m.Lang))
		if err != nil {
			return nil, err
		}
		env.Attachments = append(env.Attachments, Attachment{Name: "lich-hoc.ics", ContentType: "text/calendar", Data: ics})
	}
	if reg != nil && (withCalendar[m.Kind] || m.Kind == KindTicketRecovery) {
		png, err := qrcode.Encode(reg.Code, qrcode.Medium, 320)
		if err != nil {
			return nil, fmt.Errorf("notify: QR: %w", err)
		}
		env.Attachments = append(env.Attachments, Attachment{Name: "ve-" + reg.Code + ".png", ContentType: "image/png", Data: png})
	}
	return env, nil
}

// tidy trims the lines of a rendered body and keeps at most one blank line in a row.
func tidy(s string) string {
	var b strings.Builder
	blank := 0
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}
