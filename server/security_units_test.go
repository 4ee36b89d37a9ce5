package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/units"
)

// The sending units' part of the security scene: a unit whose focal point is the matrix's
// seventh caller, a course of the home organization that gives the unit seats, one of its
// people there (with a certificate) and a person of another unit in the same course.
type unitScene struct {
	unit, otherUnit *units.Unit
	course          *courses.Course
	nominee         *courses.Registration // of the unit, confirmed, certified
	otherNominee    *courses.Registration // of the other unit
	invite          string
}

const (
	secUnitName      = "UBND xã Cam Hải Tây"
	secUnitCourse    = "Lớp bồi dưỡng cán bộ đầu mối thông tin cơ sở"
	secNomineeName   = "Phan Văn Đầu"
	secOtherNominee  = "Lý Thị Khác Đơn Vị"
	secOtherNomPhone = "0977333444"
)

// newUnitUser makes the directory's units and the focal point of the first (run while the
// scene's callers are made).
func (sc *secScene) newUnitUser(t *testing.T) *accounts.User {
	t.Helper()
	sc.unit = &unitScene{
		unit:      coursestest.Unit(t, sc.a.db, secUnitName, "Ủy ban nhân dân xã Cam Hải Tây"),
		otherUnit: coursestest.Unit(t, sc.a.db, "UBND xã Cam Hải Đông"),
	}
	u, err := sc.a.acc.CreateUser(context.Background(), accounts.UserInput{Email: "daumoi-camhaitay@example.vn",
		Name: "Đầu mối Cam Hải Tây", Role: accounts.RoleUnit, UnitID: sc.unit.unit.ID, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func init() {
	secAreas = append(secAreas, secArea{setup: setupUnitScene, rows: unitSecurityRows})
}

func setupUnitScene(t *testing.T, sc *secScene) {
	ctx := context.Background()
	us := sc.unit
	start := time.Now().AddDate(0, 0, 10)
	us.course = coursestest.Course(t, sc.a.db, sc.home.ID, func(c *courses.Course) {
		c.Title, c.StartsOn, c.EndsOn = secUnitCourse, start.Format("2006-01-02"), start.Format("2006-01-02")
	})
	coursestest.Quota(t, sc.a.db, us.course.ID, us.unit.ID, 3)
	in := courses.RegisterInput{CourseID: us.course.ID, FullName: secNomineeName, Gender: "Nam", BirthDate: "02/03/1980",
		Phone: "0977111222", Source: courses.SourceWeb}
	var err error
	if us.nominee, err = sc.a.srv.courses.Nominate(ctx, courses.NominateInput{RegisterInput: in, UnitID: us.unit.ID}); err != nil {
		t.Fatal(err)
	}
	us.otherNominee = coursestest.Registration(t, sc.a.db, us.course.ID, coursestest.Person{FullName: secOtherNominee,
		Phone: secOtherNomPhone, Organization: "UBND X. Cam Hải Đông"}, courses.RegConfirmed)
	if us.otherNominee.UnitID == nil || *us.otherNominee.UnitID != us.otherUnit.ID {
		t.Fatalf("the other unit's person is not matched: %+v", us.otherNominee)
	}
	m, af := coursestest.Day(t, sc.a.db, us.course.ID, start.Format("2006-01-02"))
	for _, ss := range []*courses.Session{m, af} {
		if _, err := sc.a.srv.attend.SetMark(ctx, attendance.MarkInput{SessionID: ss.ID, RegistrationID: us.nominee.ID,
			Status: attendance.Present, Source: attendance.SourceTap}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := sc.a.srv.certs.Issue(ctx, certificates.IssueInput{CourseID: us.course.ID, VerifyBase: sc.a.ts.URL + "/verify/"})
	if err != nil || len(res.Issued) == 0 {
		t.Fatalf("certificate of the nominee: %+v %v", res, err)
	}
	if us.invite, err = sc.a.acc.CreateInvitation(ctx, accounts.InvitationInput{UnitID: us.otherUnit.ID,
		Email: "daumoi-camhaidong@example.vn", Name: "Đầu mối Cam Hải Đông"}); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"unit": itoa(us.unit.ID), "unit-course": itoa(us.course.ID),
		"unit-nominee": itoa(us.nominee.ID), "other-unit-reg": itoa(us.otherNominee.ID), "invite": us.invite} {
		sc.vars[k] = v
	}
}

var (
	// unitOnly: the focal point's own pages; everybody else of the staff 403.
	unitOnly = policy{unauth, forbidden, forbidden, forbidden, forbidden, forbidden, allow}
	// unitNotFound: a focal point's page about another unit's person or a course without
	// seats for its unit.
	unitNotFound = policy{unauth, forbidden, forbidden, forbidden, forbidden, forbidden, notFound}
	// orgViewAndUnit: the organization's people, and the focal point of a unit the course
	// gives seats (its own people only).
	orgViewAndUnit = policy{unauth, notFound, notFound, allow, allow, allow, allow}
	// orgManageAndUnit: adding people is the organizers' and the unit's (staff add walk-ins
	// at the door instead).
	orgManageAndUnit = policy{unauth, notFound, notFound, forbidden, allow, allow, allow}
)

func unitSecurityRows(sc *secScene) []secRow {
	none := secBody{}
	return []secRow{
		{"GET", "/api/v1/units?q=cam+hai", none, signedIn},
		{"POST", "/api/v1/units", jsonBody(`{}`), organizers},
		{"PATCH", "/api/v1/units/{unit}", jsonBody(`{"name": ""}`), organizers},
		{"POST", "/api/v1/units/{unit}/merge", jsonBody(`{"into": {unit}}`), organizers}, // into itself: 409
		{"GET", "/staff/units", none, signedIn},
		{"POST", "/staff/units", formBody("name", ""), organizers},
		{"GET", "/staff/units/{unit}", none, signedIn},
		{"POST", "/staff/units/{unit}", formBody("name", ""), organizers},
		{"POST", "/staff/units/{unit}/merge", formBody("into", "{unit}"), organizers},
		{"POST", "/staff/units/{unit}/accounts", formBody("email", ""), organizers},
		{"POST", "/staff/units/{unit}/invitations", formBody("email", ""), organizers},
		{"POST", "/staff/unit-texts/map", formBody("text", "", "unit", ""), organizers},
		{"GET", "/staff/courses/{course}/quotas", none, orgManage},
		{"GET", "/staff/sessions/{session}/substitute", none, orgView},
		{"POST", "/staff/sessions/{session}/substitute", formBody("for", "0"), orgView}, // door staff record substitutes
		{"GET", "/invite/{invite}", none, public},
		{"POST", "/invite/{invite}", formBody("password", "x"), public},
		{"POST", "/api/v1/courses/{unit-course}/registrations", jsonBody(`{}`), orgManageAndUnit},
		{"GET", "/api/v1/courses/{unit-course}/registrations", none, orgViewAndUnit},
		{"GET", "/api/v1/courses/{unit-course}/quotas", none, orgViewAndUnit},
		{"GET", "/unit", none, unitOnly},
		{"GET", "/unit/courses/{unit-course}", none, unitOnly},
		{"GET", "/unit/courses/{course}", none, unitNotFound},
		{"GET", "/unit/courses/{other-course}", none, unitNotFound},
		{"POST", "/unit/courses/{unit-course}/nominees", formBody("full_name", ""), unitOnly},
		{"POST", "/unit/courses/{course}/nominees", formBody("full_name", ""), unitNotFound},
		{"POST", "/unit/registrations/{unit-nominee}/substitute", formBody("full_name", ""), unitOnly},
		{"POST", "/unit/registrations/{other-unit-reg}/substitute", formBody("full_name", ""), unitNotFound},
		{"POST", "/unit/registrations/{reg}/substitute", formBody("full_name", ""), unitNotFound},
		{"GET", "/unit/registrations/{unit-nominee}/certificate.pdf", none, unitOnly},
		{"GET", "/unit/registrations/{other-unit-reg}/certificate.pdf", none, unitNotFound},
	}
}

// TestUnitFocalPointSeesOnlyItsUnit: the focal point's course page shows its own people
// and quota, never another unit's person; what the matrix allowed changed nothing.
func TestUnitFocalPointSeesOnlyItsUnit(t *testing.T) {
	sc := newSecScene(t)
	who := sc.ids[idUnit]
	resp := sc.request(t, who, "GET", "/unit/courses/"+itoa(sc.unit.course.ID), secBody{})
	if resp.status != 200 || !strings.Contains(resp.body, secNomineeName) || !strings.Contains(resp.body, "1 / 3") {
		t.Fatalf("own course page: %d, nominee or quota missing", resp.status)
	}
	for _, s := range []string{secOtherNominee, secOtherNomPhone, secTraineeName} {
		if strings.Contains(resp.body, s) {
			t.Errorf("the focal point's page shows %q", s)
		}
	}
	home := sc.request(t, who, "GET", "/unit", secBody{})
	if !strings.Contains(home.body, secUnitCourse) || strings.Contains(home.body, secCourseTitle) {
		t.Errorf("home lists the wrong courses")
	}
	pdf := sc.request(t, who, "GET", "/unit/registrations/"+itoa(sc.unit.nominee.ID)+"/certificate.pdf", secBody{})
	if pdf.status != 200 || pdf.contentType != "application/pdf" {
		t.Errorf("certificate: %d %s", pdf.status, pdf.contentType)
	}
	api := sc.request(t, who, "GET", "/api/v1/courses/"+itoa(sc.unit.course.ID)+"/registrations", secBody{})
	if api.status != 200 || !strings.Contains(api.body, secNomineeName) || strings.Contains(api.body, secOtherNominee) {
		t.Errorf("API list of a focal point: %d %s", api.status, api.body)
	}
	created := sc.request(t, who, "POST", "/api/v1/courses/"+itoa(sc.unit.course.ID)+"/registrations",
		jsonBody(`{"full_name": "Võ Văn Hai", "gender": "Nam", "birth_date": "1981-01-01", "phone": "0977111333", "organization": "Báo Khánh Hòa"}`))
	if created.status != 201 || !strings.Contains(created.body, `"unit_id":`+itoa(sc.unit.unit.ID)) || !strings.Contains(created.body, `"status":"confirmed"`) {
		t.Errorf("API nomination: %d %s", created.status, created.body)
	}
	quota := sc.request(t, who, "GET", "/api/v1/courses/"+itoa(sc.unit.course.ID)+"/quotas", secBody{})
	if quota.status != 200 || !strings.Contains(quota.body, `"confirmed":2`) || !strings.Contains(quota.body, `"total":1`) {
		t.Errorf("API quota: %d %s", quota.status, quota.body)
	}
	dash := sc.request(t, who, "GET", "/", secBody{})
	if dash.status != 303 || dash.location != "/unit" {
		t.Errorf("dashboard of a focal point: %d → %s", dash.status, dash.location)
	}
}
