package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"taphuan/notify"
	"taphuan/notify/notifytest"
)

// Issuing certificates queues certificate_issued, in the issuing transaction, to the
// trainees who gave an address; the message has the download and verification links.
func TestCertificateIssuedMessage(t *testing.T) {
	sc := newCertScene(t)
	a := sc.a
	smtp := notifytest.New(t)
	snd, err := notify.ParseSMTP(smtp.URL(), "no-reply@taphuan.example.vn", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if status, b := a.call(http.MethodPost, sc.path("courses/{}/certificates/issue", sc.course.ID), a.token(sc.organizer), nil); status != http.StatusOK && status != http.StatusCreated {
		t.Fatalf("issue: %d %s", status, b)
	}
	cert, err := a.srv.certs.FindValidByRegistration(t.Context(), sc.yen.ID)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _, err := a.srv.notify.ListMessages(t.Context(), notify.MessageFilter{CourseID: sc.course.ID})
	if err != nil || len(msgs) != 1 || msgs[0].Kind != notify.KindCertificate || msgs[0].To != "yen@example.vn" {
		t.Fatalf("outbox %+v %v (only Yến has an address, Đức has none)", msgs, err)
	}
	if _, err := a.srv.notify.SendDue(t.Context(), snd, "test"); err != nil {
		t.Fatal(err)
	}
	m := smtp.Wait(1, 10*time.Second)[0]
	if !strings.HasPrefix(m.Subject, "Giấy chứng nhận: ") || !strings.Contains(m.Text, a.ts.URL+"/verify/"+cert.Code) ||
		!strings.Contains(m.Text, a.ts.URL+"/tickets/"+sc.yen.Code+"/certificate.pdf") {
		t.Fatalf("message %q\n%s", m.Subject, m.Text)
	}
}
