// Package coursestest writes fixture rows (organizations, courses, sessions, registrations)
// straight into a test database, so that tests of the packages built on courses (attendance,
// certificates, server) can set up a scene in a line. The rows are what the real services
// would write; the services' own tests go through the services.
package coursestest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/units"
	"taphuan/vn"
)

var seq atomic.Int64

// Org creates an organization.
func Org(t testing.TB, db *database.DB, name string) *accounts.Organization {
	t.Helper()
	o, err := accounts.New(db).CreateOrganization(context.Background(), accounts.OrganizationInput{Name: name, ShortName: "STTTT", ParentName: "UBND TỈNH KHÁNH HÒA"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// Course inserts an open course of orgID, 4–5/12/2023 in Khánh Hòa with 200 seats, changed by
// the options.
func Course(t testing.TB, db *database.DB, orgID int64, opts ...func(*courses.Course)) *courses.Course {
	t.Helper()
	c := &courses.Course{
		OrganizationID: orgID, Title: "Tập huấn nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023",
		Venue: "Hội trường Sở Thông tin và Truyền thông", PlaceName: "Khánh Hòa",
		StartsOn: "2023-12-04", EndsOn: "2023-12-05", Capacity: 200, RegistrationMode: courses.ModeOpen,
		MinAttendancePercent: 75, SupportAmountPerDay: 150000, Status: courses.StatusOpen,
	}
	for _, o := range opts {
		o(c)
	}
	now := database.Now()
	var id int64
	err := db.W.QueryRowxContext(context.Background(), `INSERT INTO courses (organization_id, title, title_folded, co_organizer, program, venue,
		place_name, starts_on, ends_on, capacity, registration_mode, min_attendance_percent,
		support_amount_per_day, description, target_audience, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.OrganizationID, c.Title, vn.Fold(c.Title), c.CoOrganizer, c.Program, c.Venue, c.PlaceName,
		c.StartsOn, c.EndsOn, c.Capacity, c.RegistrationMode, c.MinAttendancePercent,
		c.SupportAmountPerDay, c.Description, c.TargetAudience, c.Status, now, now).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := courses.New(db).FindCourseByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Module inserts a module.
func Module(t testing.TB, db *database.DB, courseID int64, title, lecturer string) int64 {
	t.Helper()
	var id int64
	err := db.W.QueryRowxContext(context.Background(), `INSERT INTO modules (course_id, title, lecturer, position) VALUES (?, ?, ?, ?) RETURNING id`,
		courseID, title, lecturer, seq.Add(1)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Session inserts a session starting at start (give it in vn.Location) lasting dur.
func Session(t testing.TB, db *database.DB, courseID int64, start time.Time, dur time.Duration, room string) *courses.Session {
	t.Helper()
	var id int64
	err := db.W.QueryRowxContext(context.Background(), `INSERT INTO sessions (course_id, starts_at, ends_at, room, checkin_secret) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		courseID, database.FormatTime(start), database.FormatTime(start.Add(dur)), room, randomHex(16)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	s, err := courses.New(db).FindSessionByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Day inserts the usual two sessions of a course day: morning 07:30–11:30 and afternoon
// 13:30–17:00 Vietnam time on date (YYYY-MM-DD).
func Day(t testing.TB, db *database.DB, courseID int64, date string) (morning, afternoon *courses.Session) {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", date, vn.Location)
	if err != nil {
		t.Fatal(err)
	}
	morning = Session(t, db, courseID, d.Add(7*time.Hour+30*time.Minute), 4*time.Hour, "Hội trường A")
	afternoon = Session(t, db, courseID, d.Add(13*time.Hour+30*time.Minute), 3*time.Hour+30*time.Minute, "Hội trường A")
	return morning, afternoon
}

// Person is the personal data of a fixture registration.
type Person struct {
	FullName, Gender, BirthDate, Ethnicity, Position, Organization, Locality, Phone, Email string
}

// Registration inserts a person and their registration in courseID with status.
func Registration(t testing.TB, db *database.DB, courseID int64, p Person, status string) *courses.Registration {
	t.Helper()
	n := seq.Add(1)
	if p.Phone == "" {
		p.Phone = fmt.Sprintf("09%08d", n)
	}
	if p.Gender == "" {
		p.Gender = "Nữ"
	}
	if p.Ethnicity == "" {
		p.Ethnicity = "Kinh"
	}
	if p.BirthDate == "" {
		p.BirthDate = "1985-03-15"
	}
	name := vn.Clean(p.FullName)
	now := database.Now()
	var personID int64
	err := db.W.QueryRowxContext(context.Background(), `INSERT INTO people (full_name, name_folded, sort_key, gender, birth_date, ethnicity,
		position, organization, locality, phone, email, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, name, vn.Fold(name), vn.SortKey(name, ""),
		p.Gender, p.BirthDate, p.Ethnicity, p.Position, p.Organization, p.Locality, p.Phone, p.Email, now, now).Scan(&personID)
	if err != nil {
		t.Fatal(err)
	}
	var waitSeq any
	if status == courses.RegWaitlisted {
		waitSeq = n
	}
	var id int64
	err = db.W.QueryRowxContext(context.Background(), `INSERT INTO registrations (course_id, person_id, code, status, waitlist_seq, full_name,
		name_folded, sort_key, gender, birth_date, ethnicity, position, organization, unit_folded, locality,
		phone, email, source, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'api', ?, ?) RETURNING id`,
		courseID, personID, randomHex(8), status, waitSeq, name, vn.Fold(name), vn.SortKey(name, ""),
		p.Gender, p.BirthDate, p.Ethnicity, p.Position, p.Organization, vn.Fold(p.Organization), p.Locality,
		p.Phone, p.Email, now, now).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	if unitID, ok, err := units.New(db).Match(context.Background(), p.Organization); err != nil {
		t.Fatal(err)
	} else if ok {
		if _, err := db.W.Exec(`UPDATE registrations SET unit_id = ? WHERE id = ?`, unitID, id); err != nil {
			t.Fatal(err)
		}
	}
	r, err := courses.New(db).FindRegistrationByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Confirmed is the seats taken in the course, as its stored counter says.
func Confirmed(t testing.TB, s *courses.Service, courseID int64) int {
	t.Helper()
	c, err := s.FindCourseByID(context.Background(), courseID)
	if err != nil {
		t.Fatal(err)
	}
	return c.ConfirmedCount
}

// Unit adds a sending unit to the directory with its aliases.
func Unit(t testing.TB, db *database.DB, name string, aliases ...string) *units.Unit {
	t.Helper()
	u, err := units.New(db).Create(context.Background(), units.Input{Name: name, Kind: units.KindCommune, Aliases: aliases})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Quota sets a unit's seats in a course.
func Quota(t testing.TB, db *database.DB, courseID, unitID int64, seats int) {
	t.Helper()
	if _, _, err := courses.New(db).SetQuotas(context.Background(), courseID, []courses.QuotaItem{{UnitID: unitID, Seats: &seats}}); err != nil {
		t.Fatal(err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Upcoming is an option of Course: the course starts in a month (for two days), so that
// the calendar keeps its registration open now.
func Upcoming(c *courses.Course) {
	d := time.Now().In(vn.Location).AddDate(0, 1, 0)
	c.StartsOn, c.EndsOn = d.Format("2006-01-02"), d.AddDate(0, 0, 1).Format("2006-01-02")
}
