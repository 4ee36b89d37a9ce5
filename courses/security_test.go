package courses_test

import (
	"errors"
	"testing"
	"time"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
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
	if n, _ := s.CountConfirmed(ctx, c.ID); n != 3 {
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
	c := coursestest.Course(t, db, org.ID)
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
