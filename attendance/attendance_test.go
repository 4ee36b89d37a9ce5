package attendance_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/errs"
	"taphuan/vn"
)

func TestSetMarkLockAndLog(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	now := time.Now()
	// Ended 4 days ago: locked for staff. Ended yesterday: still open.
	old := sc.sessionAt(now.Add(-4*24*time.Hour-4*time.Hour), 3*time.Hour)
	recent := sc.sessionAt(now.Add(-28*time.Hour), 3*time.Hour)
	yen := sc.trainee("Nguyễn Thị Hải Yến")

	set := func(sess *courses.Session, userID int64, status string) (string, error) {
		return sc.svc.SetMark(ctx, attendance.MarkInput{SessionID: sess.ID, RegistrationID: yen.ID, Status: status,
			Source: attendance.SourceTap, UserID: userID})
	}

	t.Run("staff marks an open session, every change logged", func(t *testing.T) {
		if prev, err := set(recent, sc.staff.ID, attendance.Present); err != nil || prev != "" {
			t.Fatalf("first mark: prev %q, err %v", prev, err)
		}
		if prev, err := set(recent, sc.staff.ID, attendance.Late); err != nil || prev != attendance.Present {
			t.Fatalf("second mark: prev %q, err %v", prev, err)
		}
		// Unchanged: nothing written.
		if _, err := set(recent, sc.staff.ID, attendance.Late); err != nil {
			t.Fatal(err)
		}
		log, total, err := sc.svc.ListLog(ctx, attendance.LogFilter{SessionID: recent.ID})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(log) != 2 {
			t.Fatalf("log has %d entries, want 2: %+v", total, log)
		}
		// Newest first.
		if got := log[0]; got.OldStatus != attendance.Present || got.NewStatus != attendance.Late ||
			got.Source != attendance.SourceTap || got.UserID == nil || *got.UserID != sc.staff.ID ||
			got.UserName != sc.staff.Name || got.FullName != "Nguyễn Thị Hải Yến" || got.At.IsZero() {
			t.Errorf("latest log entry %+v", got)
		}
		if got := log[1]; got.OldStatus != "" || got.NewStatus != attendance.Present {
			t.Errorf("first log entry %+v", got)
		}
	})

	t.Run("ErrLocked for staff after LockDays", func(t *testing.T) {
		if !attendance.Locked(old, now) || attendance.Locked(recent, now) {
			t.Fatalf("Locked: old %v recent %v", attendance.Locked(old, now), attendance.Locked(recent, now))
		}
		_, err := set(old, sc.staff.ID, attendance.Present)
		if !errors.Is(err, attendance.ErrLocked) || errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("staff on a locked session: %v, want ErrLocked (forbidden)", err)
		}
		if _, total, _ := sc.svc.ListLog(ctx, attendance.LogFilter{SessionID: old.ID}); total != 0 {
			t.Errorf("a refused mark was logged (%d entries)", total)
		}
	})

	t.Run("organizer and admin correct a locked session, logged", func(t *testing.T) {
		if _, err := set(old, sc.organizer.ID, attendance.Excused); err != nil {
			t.Fatalf("organizer: %v", err)
		}
		if _, err := set(old, sc.admin.ID, attendance.Present); err != nil {
			t.Fatalf("admin: %v", err)
		}
		log, _, err := sc.svc.ListLog(ctx, attendance.LogFilter{CourseID: sc.course.ID, RegistrationID: yen.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 4 || *log[0].UserID != sc.admin.ID || log[0].OldStatus != attendance.Excused ||
			*log[1].UserID != sc.organizer.ID || log[1].SessionID != old.ID {
			t.Errorf("log of the course %+v", log)
		}
	})

	t.Run("ErrNotConfirmed", func(t *testing.T) {
		w := coursestest.Registration(t, sc.db, sc.course.ID, coursestest.Person{FullName: "Lê Văn Chờ"}, courses.RegWaitlisted)
		_, err := sc.svc.SetMark(ctx, attendance.MarkInput{SessionID: recent.ID, RegistrationID: w.ID, Status: attendance.Present, UserID: sc.staff.ID})
		if !errors.Is(err, attendance.ErrNotConfirmed) {
			t.Errorf("waitlisted: %v, want ErrNotConfirmed", err)
		}
	})

	t.Run("ErrNotFound for a trainee of another course", func(t *testing.T) {
		other := coursestest.Course(t, sc.db, sc.org.ID)
		r := coursestest.Registration(t, sc.db, other.ID, coursestest.Person{FullName: "Phạm Văn Khác"}, courses.RegConfirmed)
		_, err := sc.svc.SetMark(ctx, attendance.MarkInput{SessionID: recent.ID, RegistrationID: r.ID, Status: attendance.Present, UserID: sc.staff.ID})
		if !errors.Is(err, attendance.ErrNotFound) {
			t.Errorf("%v, want ErrNotFound", err)
		}
	})

	t.Run("invalid status and source", func(t *testing.T) {
		_, err := set(recent, sc.staff.ID, "here")
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Invalid || e.Fields["status"].Key != "attendance.err.status" {
			t.Errorf("bad status: %v", err)
		}
		_, err = sc.svc.SetMark(ctx, attendance.MarkInput{SessionID: recent.ID, RegistrationID: yen.ID, Status: attendance.Present, Source: "telepathy"})
		if !errors.As(err, &e) || e.Fields["source"].Key == "" {
			t.Errorf("bad source: %v", err)
		}
	})
}

func TestSetMarksPaper(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	sess := sc.sessionAt(time.Now().Add(-2*time.Hour), time.Hour)
	a, b, c := sc.trainee("Trần Văn An"), sc.trainee("Lê Thị Bình"), sc.trainee("Võ Văn Cường")
	sc.mark(sess, a, attendance.Present)
	changed, err := sc.svc.SetMarks(ctx, sess.ID, sc.staff.ID, attendance.SourcePaper,
		map[int64]string{a.ID: attendance.Present, b.ID: attendance.Late, c.ID: attendance.Absent})
	if err != nil || changed != 2 {
		t.Fatalf("SetMarks: changed %d, err %v; want 2 (one unchanged)", changed, err)
	}
	log, _, _ := sc.svc.ListLog(ctx, attendance.LogFilter{SessionID: sess.ID})
	paper := 0
	for _, e := range log {
		if e.Source == attendance.SourcePaper {
			paper++
		}
	}
	if paper != 2 {
		t.Errorf("%d log entries from paper, want 2", paper)
	}
	// One bad status refuses the whole sheet.
	_, err = sc.svc.SetMarks(ctx, sess.ID, sc.staff.ID, attendance.SourcePaper,
		map[int64]string{a.ID: attendance.Absent, b.ID: "maybe"})
	if errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("bad status in the sheet: %v", err)
	}
	ro, _ := sc.svc.SessionRoster(ctx, sess.ID)
	for _, e := range ro.Entries {
		if e.ID == a.ID && e.Mark != attendance.Present {
			t.Errorf("a refused sheet changed a mark: %s", e.Mark)
		}
	}
}

func TestCheckIn(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	sess := sc.sessionAt(time.Now().Add(-10*time.Minute), 3*time.Hour)
	yen := sc.trainee("Nguyễn Thị Hải Yến", coursestest.Person{Phone: "0912345678"})
	duc := sc.trainee("Đặng Văn Đức")
	other := coursestest.Course(t, sc.db, sc.org.ID)
	stranger := coursestest.Registration(t, sc.db, other.ID, coursestest.Person{FullName: "Bùi Thị Lạ"}, courses.RegConfirmed)
	waiting := coursestest.Registration(t, sc.db, sc.course.ID, coursestest.Person{FullName: "Hồ Văn Chờ"}, courses.RegWaitlisted)

	check := func(code string) (*attendance.CheckInResult, error) {
		return sc.svc.CheckIn(ctx, attendance.CheckInInput{SessionID: sess.ID, Code: code, UserID: sc.staff.ID})
	}
	res, err := check("  " + yen.Code + "\n")
	if err != nil || res.RegistrationID != yen.ID || res.FullName != "Nguyễn Thị Hải Yến" || res.Status != attendance.Present || res.Already {
		t.Fatalf("by ticket code: %+v, %v", res, err)
	}
	// The QR may hold the ticket's address.
	res, err = check("https://taphuan.example.vn/tickets/" + duc.Code + "?lang=vi")
	if err != nil || res.RegistrationID != duc.ID {
		t.Fatalf("by ticket URL: %+v, %v", res, err)
	}
	// Late stays late on a second scan.
	sc.mark(sess, duc, attendance.Late)
	res, err = check(duc.Code)
	if err != nil || res.Status != attendance.Late || !res.Already {
		t.Errorf("second scan of a late trainee: %+v, %v", res, err)
	}
	t.Run("by phone", func(t *testing.T) {
		sc.mark(sess, yen, attendance.Absent)
		res, err := check("0912 345 678")
		if err != nil || res.RegistrationID != yen.ID || res.Status != attendance.Present {
			t.Errorf("by phone: %+v, %v", res, err)
		}
	})
	t.Run("ErrUnknownCode", func(t *testing.T) {
		for _, code := range []string{"KHONGCO", "", "0999999999"} {
			if _, err := check(code); !errors.Is(err, attendance.ErrUnknownCode) || errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%q: %v, want ErrUnknownCode (not_found)", code, err)
			}
		}
	})
	t.Run("ErrOtherCourse", func(t *testing.T) {
		if _, err := check(stranger.Code); !errors.Is(err, attendance.ErrOtherCourse) || errs.CodeOf(err) != errs.Conflict {
			t.Errorf("%v, want ErrOtherCourse (conflict)", err)
		}
	})
	t.Run("ErrNotConfirmed", func(t *testing.T) {
		if _, err := check(waiting.Code); !errors.Is(err, attendance.ErrNotConfirmed) {
			t.Errorf("%v, want ErrNotConfirmed", err)
		}
	})
	log, _, _ := sc.svc.ListLog(ctx, attendance.LogFilter{SessionID: sess.ID, RegistrationID: yen.ID})
	if len(log) == 0 || log[0].Source != attendance.SourceScan {
		t.Errorf("check-in logged as %+v, want source scan", log)
	}
}

func TestSelfCodeRotation(t *testing.T) {
	t.Parallel()
	const secret = "3f9a0c1d2e4b5a6978877665544332211"
	t0 := time.Date(2023, 12, 4, 7, 45, 10, 0, time.UTC)
	code := attendance.SelfCode(secret, 7, t0)
	if len(code) != attendance.SelfCodeDigits {
		t.Fatalf("code %q is not %d digits", code, attendance.SelfCodeDigits)
	}
	for _, tc := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"same minute", t0.Add(40 * time.Second), true},
		{"next minute (previous code)", t0.Add(time.Minute), true},
		{"two minutes later", t0.Add(2 * time.Minute), false},
		{"an hour later", t0.Add(time.Hour), false},
		{"the minute before (a future code)", t0.Add(-time.Minute), false},
	} {
		if got := attendance.ValidSelfCode(secret, 7, code, tc.at); got != tc.want {
			t.Errorf("%s: valid = %v, want %v", tc.name, got, tc.want)
		}
	}
	if attendance.ValidSelfCode(secret, 8, code, t0) && attendance.SelfCode(secret, 8, t0) != code {
		t.Error("a code of session 7 opens session 8")
	}
	if attendance.ValidSelfCode("another secret", 7, code, t0) && attendance.SelfCode("another secret", 7, t0) != code {
		t.Error("a code works under another secret")
	}
	// It changes every minute: over an hour nearly every code differs from the last.
	same := 0
	for i := 1; i <= 60; i++ {
		if attendance.SelfCode(secret, 7, t0.Add(time.Duration(i)*time.Minute)) == attendance.SelfCode(secret, 7, t0.Add(time.Duration(i-1)*time.Minute)) {
			same++
		}
	}
	if same > 1 {
		t.Errorf("the code stayed the same %d times in an hour", same)
	}
	if !attendance.ValidSelfCode(secret, 7, code[:3]+" "+code[3:], t0) {
		t.Error("a code typed with a space is refused")
	}
}

func TestSelfCheckIn(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	now := time.Now()
	running := sc.sessionAt(now.Add(-20*time.Minute), 2*time.Hour)
	over := sc.sessionAt(now.Add(-5*time.Hour), 2*time.Hour)
	yen := sc.trainee("Nguyễn Thị Hải Yến", coursestest.Person{Phone: "0987654321"})

	cur, err := sc.svc.SelfCheckinCode(ctx, running.ID, now)
	if err != nil || !cur.Open || len(cur.Code) != 6 || !cur.NextAt.After(now) {
		t.Fatalf("SelfCheckinCode: %+v, %v", cur, err)
	}
	t.Run("wrong code", func(t *testing.T) {
		wrong := "000000"
		if cur.Code == wrong {
			wrong = "111111"
		}
		_, err := sc.svc.SelfCheckIn(ctx, attendance.SelfCheckInInput{SessionID: running.ID, Code: wrong, Ticket: yen.Code}, now)
		var e *errs.Error
		if !errors.As(err, &e) || e.Fields["code"].Key != "attendance.err.self_code" {
			t.Errorf("%v, want the code field refused", err)
		}
	})
	t.Run("unknown ticket", func(t *testing.T) {
		_, err := sc.svc.SelfCheckIn(ctx, attendance.SelfCheckInInput{SessionID: running.ID, Code: cur.Code, Ticket: "0900000000"}, now)
		var e *errs.Error
		if !errors.As(err, &e) || e.Fields["ticket"].Key == "" {
			t.Errorf("%v, want the ticket field refused", err)
		}
	})
	t.Run("by phone, logged as self", func(t *testing.T) {
		// Issue 10: only the ticket code unless the organizer allows phone numbers.
		if _, err := sc.svc.SelfCheckIn(ctx, attendance.SelfCheckInInput{SessionID: running.ID, Code: cur.Code, Ticket: "0987 654 321"}, now); err == nil {
			t.Fatal("a phone number was taken by default")
		}
		if err := courses.New(sc.db).SetSelfPhoneAllowed(ctx, running.ID, true); err != nil {
			t.Fatal(err)
		}
		res, err := sc.svc.SelfCheckIn(ctx, attendance.SelfCheckInInput{SessionID: running.ID, Code: cur.Code, Ticket: "0987 654 321"}, now)
		if err != nil || res.RegistrationID != yen.ID || res.Status != attendance.Present || res.FullName != "" {
			t.Fatalf("%+v, %v (want no name for a phone number)", res, err)
		}
		log, _, _ := sc.svc.ListLog(ctx, attendance.LogFilter{SessionID: running.ID})
		if len(log) != 1 || log[0].Source != attendance.SourceSelf || log[0].UserID != nil {
			t.Errorf("log %+v, want one entry from self without a user", log)
		}
	})
	t.Run("ErrSelfClosed after the session", func(t *testing.T) {
		c, err := sc.svc.SelfCheckinCode(ctx, over.ID, now)
		if err != nil || c.Open {
			t.Fatalf("%+v, %v: want closed", c, err)
		}
		_, err = sc.svc.SelfCheckIn(ctx, attendance.SelfCheckInInput{SessionID: over.ID, Code: c.Code, Ticket: yen.Code}, now)
		if !errors.Is(err, attendance.ErrSelfClosed) {
			t.Errorf("%v, want ErrSelfClosed", err)
		}
	})
	t.Run("a session without a secret gets one", func(t *testing.T) {
		if _, err := sc.db.W.Exec(`UPDATE sessions SET checkin_secret = '' WHERE id = ?`, running.ID); err != nil {
			t.Fatal(err)
		}
		a, err := sc.svc.SelfCheckinCode(ctx, running.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := sc.svc.SelfCheckinCode(ctx, running.ID, now)
		if a.Code != b.Code {
			t.Error("the new secret changed between two reads")
		}
	})
}

func TestMatrix(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	m1, a1 := coursestest.Day(t, sc.db, sc.course.ID, "2023-12-04")
	m2, a2 := coursestest.Day(t, sc.db, sc.course.ID, "2023-12-05")
	yen, duc := sc.trainee("Nguyễn Thị Hải Yến"), sc.trainee("Đặng Văn Đức")
	sc.trainee("Bùi Thị Ánh") // never marked
	sc.mark(m1, yen, attendance.Present)
	sc.mark(a1, yen, attendance.Late)
	sc.mark(m2, yen, attendance.Excused)
	sc.mark(a2, yen, attendance.Present)
	sc.mark(m1, duc, attendance.Absent)

	mx, err := sc.svc.Matrix(ctx, sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(mx.Sessions) != 4 || len(mx.Rows) != 3 {
		t.Fatalf("%d sessions × %d rows", len(mx.Sessions), len(mx.Rows))
	}
	// Vietnamese order: Ánh, Đức, Yến.
	if mx.Rows[0].Registration.FullName != "Bùi Thị Ánh" || mx.Rows[2].Registration.ID != yen.ID {
		t.Errorf("order %s, %s, %s", mx.Rows[0].Registration.FullName, mx.Rows[1].Registration.FullName, mx.Rows[2].Registration.FullName)
	}
	if r := mx.Rows[2]; r.Percent != 75 || r.Attended != 3 {
		t.Errorf("Yến: %d attended, %v%%, want 3 and 75", r.Attended, r.Percent)
	}
	if got := attendance.PercentText(mx.Rows[2].Percent); got != "75%" {
		t.Errorf("PercentText = %q", got)
	}
	if got := attendance.PercentText(200.0 / 3); got != "66,7%" {
		t.Errorf("PercentText(66.67) = %q", got)
	}
	if c := mx.AttendedCount(); c[m1.ID] != 1 || c[a1.ID] != 1 || c[m2.ID] != 0 {
		t.Errorf("AttendedCount %v", c)
	}
	b, err := json.Marshal(mx)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Sessions []struct {
			ID       int64  `json:"id"`
			StartsAt string `json:"starts_at"`
		} `json:"sessions"`
		Items []struct {
			RegistrationID int64             `json:"registration_id"`
			FullName       string            `json:"full_name"`
			Marks          map[string]string `json:"marks"`
			Percent        float64           `json:"percent"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Sessions[0].ID != m1.ID || got.Sessions[0].StartsAt != "2023-12-04T07:30:00+07:00" {
		t.Errorf("sessions JSON %+v", got.Sessions[0])
	}
	it := got.Items[2]
	if it.RegistrationID != yen.ID || it.FullName != "Nguyễn Thị Hải Yến" || it.Percent != 75 ||
		it.Marks[strconv.FormatInt(m2.ID, 10)] != attendance.Excused || len(it.Marks) != 4 {
		t.Errorf("item JSON %+v", it)
	}
	if len(got.Items[0].Marks) != 0 || got.Items[0].Marks == nil {
		t.Errorf("an unmarked trainee's marks: %#v, want {}", got.Items[0].Marks)
	}
}

// TestSessionCountsFollowTheRoster: the live count of a check-in page counts the present
// and late marks of confirmed trainees only; a trainee cancelled after checking in drops out
// of both figures.
func TestSessionCountsFollowTheRoster(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	sess := coursestest.Session(t, sc.db, sc.course.ID, time.Now().In(vn.Location), 4*time.Hour, "Hội trường A")
	var regs []*courses.Registration
	for _, n := range []string{"Lê Văn An", "Trần Thị Bình", "Phạm Văn Cường"} {
		regs = append(regs, coursestest.Registration(t, sc.db, sc.course.ID, coursestest.Person{FullName: n}, courses.RegConfirmed))
	}
	for i, st := range []string{attendance.Present, attendance.Late, attendance.Absent} {
		if _, err := sc.svc.SetMark(t.Context(), attendance.MarkInput{SessionID: sess.ID, RegistrationID: regs[i].ID, Status: st, UserID: sc.organizer.ID}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := sc.svc.SessionCounts(t.Context(), sess.ID)
	if err != nil || got.Expected != 3 || got.Attended != 2 {
		t.Fatalf("counts %+v (%v), want 2 attended of 3", got, err)
	}
	if _, _, err := courses.New(sc.db).Cancel(t.Context(), courses.CancelInput{ID: regs[0].ID, Reason: "ốm"}); err != nil {
		t.Fatal(err)
	}
	got, err = sc.svc.SessionCounts(t.Context(), sess.ID)
	if err != nil || got.Expected != 2 || got.Attended != 1 {
		t.Errorf("after cancelling a present trainee: %+v (%v), want 1 attended of 2", got, err)
	}
}

func TestLevelOf(t *testing.T) {
	t.Parallel()
	for loc, want := range map[string]string{
		"tỉnh Khánh Hòa":          attendance.LevelProvince,
		"Thành phố Hà Nội":        attendance.LevelProvince,
		"thành phố Nha Trang":     attendance.LevelDistrict,
		"huyện Khánh Vĩnh":        attendance.LevelDistrict,
		"thị xã Ninh Hòa":         attendance.LevelDistrict,
		"xã Ninh Xuân":            attendance.LevelCommune,
		"phường Cam Nghĩa":        attendance.LevelCommune,
		"đặc khu Trường Sa":       attendance.LevelCommune,
		"thị trấn Vạn Giã":        attendance.LevelCommune,
		"Khánh Hòa":               attendance.LevelUnknown,
		"":                        attendance.LevelUnknown,
		"  XÃ   Ninh Ích  ":       attendance.LevelCommune,
		"Xa\u0303 Ninh Phu\u0301": attendance.LevelCommune, // NFD
	} {
		if got := attendance.LevelOf(loc); got != want {
			t.Errorf("LevelOf(%q) = %q, want %q", loc, got, want)
		}
	}
}
