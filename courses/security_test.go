package courses_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
	"taphuan/errs"
)

// TestRaisingCapacityPromotesTheWaitingList (issue 10): a full course of 2 with two
// waiting; the capacity is raised to 3. Before, the seat stayed free and the next newcomer
// was confirmed ahead of those who waited. Now the first in line is confirmed in the same
// transaction, the second still waits, and a newcomer joins the end of the list.
func TestRaisingCapacityPromotesTheWaitingList(t *testing.T) {
	db := dbtest.New(t)
	s := courses.New(db)
	ctx := t.Context()
	org := coursestest.Org(t, db, "Sở Văn hóa")
	c := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Capacity = 2; c.StartsOn, c.EndsOn = "2099-01-05", "2099-01-06" })
	var regs []*courses.Registration
	for i := range 4 {
		r, err := s.Register(ctx, valid(c.ID, 100+i))
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
	}
	if regs[2].Status != courses.RegWaitlisted || regs[3].Status != courses.RegWaitlisted {
		t.Fatalf("setup: %s %s", regs[2].Status, regs[3].Status)
	}
	capacity := 3
	if _, err := s.UpdateCourse(ctx, c.ID, courses.CoursePatch{Capacity: &capacity}); err != nil {
		t.Fatal(err)
	}
	first, _ := s.FindRegistrationByID(ctx, regs[2].ID)
	second, _ := s.FindRegistrationByID(ctx, regs[3].ID)
	if first.Status != courses.RegConfirmed || second.Status != courses.RegWaitlisted {
		t.Errorf("after raising the capacity: first in line %s, second %s; want confirmed, waitlisted", first.Status, second.Status)
	}
	late, err := s.Register(ctx, valid(c.ID, 200))
	if err != nil {
		t.Fatal(err)
	}
	if late.Status != courses.RegWaitlisted {
		t.Errorf("a newcomer after the raise: %s, want waitlisted behind those who waited", late.Status)
	}
	if n := coursestest.Confirmed(t, s, c.ID); n != 3 {
		t.Errorf("confirmed %d, want 3", n)
	}
}

// TestNoSelfCancelAfterStart (issue 10): once the first session has begun, the ticket's
// code cannot cancel (the trainee stays on the matrix, payments and statistics); an
// organizer still can, with a reason, which the history keeps.
func TestNoSelfCancelAfterStart(t *testing.T) {
	db := dbtest.New(t)
	s := courses.New(db)
	ctx := t.Context()
	org := coursestest.Org(t, db, "Sở Văn hóa")
	c := coursestest.Course(t, db, org.ID, coursestest.Upcoming)
	coursestest.Session(t, db, c.ID, time.Now().Add(-time.Hour), 3*time.Hour, "Phòng 1")
	a := coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Phạm Văn Hủy"}, courses.RegConfirmed)
	if _, _, err := s.Cancel(ctx, courses.CancelInput{Code: a.Code, Reason: "Bận"}); !errors.Is(err, courses.ErrCourseStarted) {
		t.Errorf("self-cancel after the start: %v, want ErrCourseStarted", err)
	}
	if r, _ := s.FindRegistrationByID(ctx, a.ID); r.Status != courses.RegConfirmed {
		t.Errorf("stored %s after a refused self-cancel", r.Status)
	}
	if _, _, err := s.Cancel(ctx, courses.CancelInput{ID: a.ID, UserID: 0}); err == nil {
		t.Error("an organizer's removal without a reason after the start was accepted")
	}
	if _, _, err := s.Cancel(ctx, courses.CancelInput{ID: a.ID, Reason: "Cử nhầm người"}); err != nil {
		t.Fatalf("organizer's removal with a reason: %v", err)
	}
	ev, _ := s.RegistrationEvents(ctx, a.ID)
	if len(ev) == 0 || ev[len(ev)-1].Reason != "Cử nhầm người" || ev[len(ev)-1].NewStatus != courses.RegCancelled {
		t.Errorf("history: %+v", ev)
	}
}

// TestClashWithAnotherOrganizationNamesNothingOfIt (issue 10): a room or lecturer taken by
// another organization's (draft) course is refused without its title, day or room.
func TestClashWithAnotherOrganizationNamesNothingOfIt(t *testing.T) {
	db := dbtest.New(t)
	s := courses.New(db)
	ctx := t.Context()
	home := coursestest.Org(t, db, "Sở A")
	other := coursestest.Org(t, db, "Sở B")
	secret := coursestest.Course(t, db, other.ID, func(c *courses.Course) {
		c.Title, c.Status, c.Venue = "Lớp bí mật của đơn vị khác", courses.StatusDraft, "Hội trường chung"
	})
	m := coursestest.Module(t, db, secret.ID, "Chuyên đề kín", "TS. Trần Văn Giảng")
	if _, err := s.CreateSession(ctx, secret.ID, courses.SessionInput{ModuleID: m, Room: "Phòng 301",
		StartsAt: vnTime(t, "2023-12-04 07:30"), EndsAt: vnTime(t, "2023-12-04 11:30")}); err != nil {
		t.Fatal(err)
	}
	mine := coursestest.Course(t, db, home.ID, func(c *courses.Course) { c.Venue = "Hội trường chung" })
	mm := coursestest.Module(t, db, mine.ID, "Chuyên đề của tôi", "ThS. Trần Văn Giảng")
	for _, tc := range []struct {
		in   courses.SessionInput
		want error
	}{
		{courses.SessionInput{Room: "Phòng 301", StartsAt: vnTime(t, "2023-12-04 08:00"), EndsAt: vnTime(t, "2023-12-04 10:00")}, courses.ErrRoomTakenElsewhere},
		{courses.SessionInput{ModuleID: mm, Room: "Phòng 101", StartsAt: vnTime(t, "2023-12-04 08:00"), EndsAt: vnTime(t, "2023-12-04 10:00")}, courses.ErrLecturerBusyElsewhere},
	} {
		_, err := s.CreateSession(ctx, mine.ID, tc.in)
		if !errors.Is(err, tc.want) {
			t.Fatalf("err %v, want %v", err, tc.want)
		}
		var e *errs.Error
		errors.As(err, &e)
		for _, a := range e.Msg.Args {
			if str := fmt.Sprint(a); strings.Contains(str, "bí mật") || strings.Contains(str, "04/12/2023") || (tc.want == courses.ErrLecturerBusyElsewhere && strings.Contains(str, "301")) {
				t.Errorf("the message names %q of the other organization", str)
			}
		}
	}
}
