package attendance_test

import (
	"errors"
	"testing"
	"time"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

func TestDoor(t *testing.T) {
	sc := newScene(t)
	ctx := t.Context()
	cs := courses.New(sc.db)
	course := coursestest.Course(t, sc.db, sc.org.ID, func(c *courses.Course) { c.Capacity = 2 })
	sess := coursestest.Session(t, sc.db, course.ID, time.Now().Add(-10*time.Minute), 3*time.Hour, "Hội trường A")
	a := coursestest.Registration(t, sc.db, course.ID, coursestest.Person{FullName: "Nguyễn Văn An"}, courses.RegConfirmed)
	wait := coursestest.Registration(t, sc.db, course.ID, coursestest.Person{FullName: "Trần Thị Bình", Phone: "0905111222"}, courses.RegWaitlisted)
	pend := coursestest.Registration(t, sc.db, course.ID, coursestest.Person{FullName: "Lê Văn Cường"}, courses.RegPending)
	_ = a

	t.Run("ScanNamesTheWaitlisted", func(t *testing.T) {
		_, err := sc.svc.CheckIn(ctx, attendance.CheckInInput{SessionID: sess.ID, Code: "0905 111 222", UserID: sc.staff.ID})
		nc, ok := errors.AsType[*attendance.NotConfirmedError](err)
		if !ok || !errors.Is(err, attendance.ErrNotConfirmed) || nc.FullName != "Trần Thị Bình" || nc.Status != courses.RegWaitlisted {
			t.Fatalf("scan of a waitlisted phone: %v", err)
		}
	})

	t.Run("AdmitWithAFreeSeat", func(t *testing.T) {
		res, err := sc.svc.AdmitAtDoor(ctx, attendance.DoorInput{SessionID: sess.ID, RegistrationID: wait.ID, UserID: sc.staff.ID})
		if err != nil {
			t.Fatal(err)
		}
		if res.FullName != "Trần Thị Bình" || res.Status != attendance.Present {
			t.Errorf("result %+v", res)
		}
		reg, _ := cs.FindRegistrationByID(ctx, wait.ID)
		if reg.Status != courses.RegConfirmed || reg.StatusReason != courses.ReasonDoor {
			t.Errorf("registration %s %q", reg.Status, reg.StatusReason)
		}
		log, _, err := sc.svc.ListLog(ctx, attendance.LogFilter{SessionID: sess.ID})
		if err != nil || len(log) != 1 || log[0].Source != attendance.SourceDoor || log[0].NewStatus != attendance.Present {
			t.Errorf("edit log %+v %v", log, err)
		}
		evs, _ := cs.RegistrationEvents(ctx, wait.ID)
		if n := len(evs); n == 0 || evs[n-1].Reason != courses.ReasonDoor || evs[n-1].UserName == "" {
			t.Errorf("history %+v", evs)
		}
	})

	t.Run("FullStaffRefusedOrganizerOverrides", func(t *testing.T) {
		_, err := sc.svc.AdmitAtDoor(ctx, attendance.DoorInput{SessionID: sess.ID, RegistrationID: pend.ID, UserID: sc.staff.ID})
		if !errors.Is(err, courses.ErrCourseFull) {
			t.Fatalf("staff admitting beyond capacity: %v, want ErrCourseFull", err)
		}
		if reg, _ := cs.FindRegistrationByID(ctx, pend.ID); reg.Status != courses.RegPending {
			t.Errorf("a refused admission left %s", reg.Status)
		}
		if _, err := sc.svc.AdmitAtDoor(ctx, attendance.DoorInput{SessionID: sess.ID, RegistrationID: pend.ID, Override: true, UserID: sc.organizer.ID}); err != nil {
			t.Fatal(err)
		}
		counts, _ := cs.CountByStatus(ctx, course.ID)
		if counts[courses.RegConfirmed] != 3 {
			t.Errorf("confirmed %d, want 3 (one beyond the capacity of 2)", counts[courses.RegConfirmed])
		}
		_, err = sc.svc.AdmitAtDoor(ctx, attendance.DoorInput{SessionID: sess.ID, RegistrationID: pend.ID, Override: true, UserID: sc.organizer.ID})
		if !errors.Is(err, courses.ErrBadTransition) {
			t.Errorf("admitting twice: %v", err)
		}
	})

	t.Run("WalkIn", func(t *testing.T) {
		person := courses.RegisterInput{FullName: "Phạm Thị Dung", Gender: "nữ", BirthDate: "02/09/1990",
			Organization: "UBND xã Ninh Xuân", Phone: "0987 654 321"}
		_, err := sc.svc.WalkIn(ctx, attendance.WalkInInput{SessionID: sess.ID, Person: person, UserID: sc.staff.ID})
		if !errors.Is(err, courses.ErrCourseFull) {
			t.Fatalf("staff walk-in into a full course: %v", err)
		}
		bad := person
		bad.Phone = "0987"
		_, err = sc.svc.WalkIn(ctx, attendance.WalkInInput{SessionID: sess.ID, Person: bad, Override: true, UserID: sc.organizer.ID})
		if _, ok := errors.AsType[*courses.DuplicateError](err); ok || err == nil {
			t.Fatalf("bad phone: %v", err)
		}
		res, err := sc.svc.WalkIn(ctx, attendance.WalkInInput{SessionID: sess.ID, Person: person, Override: true, UserID: sc.organizer.ID})
		if err != nil {
			t.Fatal(err)
		}
		reg, _ := cs.FindRegistrationByID(ctx, res.RegistrationID)
		if reg.Status != courses.RegConfirmed || reg.Source != courses.SourceDoor || reg.Phone != "0987654321" || reg.StatusReason != "" {
			t.Errorf("walk-in %+v", reg)
		}
		evs, _ := cs.RegistrationEvents(ctx, reg.ID)
		if len(evs) != 1 || evs[0].Reason != courses.ReasonWalkIn || evs[0].NewStatus != courses.RegConfirmed {
			t.Errorf("walk-in history %+v", evs)
		}
		ro, _ := sc.svc.SessionRoster(ctx, sess.ID)
		found := false
		for _, e := range ro.Entries {
			found = found || (e.ID == reg.ID && e.Mark == attendance.Present)
		}
		if !found {
			t.Error("the walk-in is not present on the session's roster")
		}
		_, err = sc.svc.WalkIn(ctx, attendance.WalkInInput{SessionID: sess.ID, Person: person, Override: true, UserID: sc.organizer.ID})
		if dup, ok := errors.AsType[*courses.DuplicateError](err); !ok || dup.ExistingID != reg.ID {
			t.Errorf("the same phone again: %v", err)
		}
	})
}
