package notify

import (
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

// Every kind renders in both languages: a subject, a greeting, and no hole.
func TestEveryKindRenders(t *testing.T) {
	db := dbtest.New(t)
	cs := courses.New(db)
	s := New(db, cs, accounts.New(db), Config{BaseURL: "https://taphuan.example.vn"})
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, db, org.ID)
	coursestest.Day(t, db, course.ID, "2023-12-04")
	reg := coursestest.Registration(t, db, course.ID, coursestest.Person{FullName: "Trần Thị An", Email: "an@example.vn"}, courses.RegConfirmed)
	p := `{"reason":"Hết chỉ tiêu","subject":"Đổi phòng","body":"Phòng 305","certificate_code":"ABC",` +
		`"old_start":"2023-12-04T00:30:00Z","old_end":"2023-12-04T04:30:00Z","new_start":"2023-12-04T01:30:00Z","new_end":"2023-12-04T05:30:00Z","new_room":"305"}`
	kinds := []string{KindConfirmed, KindWaitlisted, KindPending, KindApproved, KindRejected, KindPromoted, KindCancelled,
		KindReminder, KindSessionChanged, KindCertificate, KindOrganizerNotice, KindTicketRecovery}
	greet := map[string]string{"vi": "Kính gửi Trần Thị An,", "en": "Dear Trần Thị An,"}
	for _, lang := range []string{"vi", "en"} {
		for _, kind := range kinds {
			m := &Message{ID: 1, CourseID: course.ID, RegistrationID: &reg.ID, To: "an@example.vn", Kind: kind, Lang: lang,
				Params: p, MessageID: "x@taphuan", CreatedAt: reg.CreatedAt}
			env, err := s.render(t.Context(), m)
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, kind, err)
			}
			if env.Subject == "" || !strings.HasPrefix(env.Text, greet[lang]) || strings.Contains(env.Text+env.Subject, "<no value>") {
				t.Errorf("%s/%s: %q\n%s", lang, kind, env.Subject, env.Text)
			}
			if strings.Contains(env.Text, "\n\n\n") {
				t.Errorf("%s/%s: more than one blank line", lang, kind)
			}
		}
	}
}
