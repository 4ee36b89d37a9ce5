package courses_test

import (
	"errors"
	"fmt"
	"testing"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
	"taphuan/errs"
)

func fieldOf(t *testing.T, err error, field string) string {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid {
		t.Fatalf("want an invalid error on %s, got %v", field, err)
	}
	return e.Fields[field].Key
}

func TestBulk(t *testing.T) {
	db := dbtest.New(t)
	svc := courses.New(db)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông")
	ctx := t.Context()

	t.Run("ApproveAllMatchingTheFilter", func(t *testing.T) {
		c := coursestest.Course(t, db, org.ID, coursestest.Upcoming, func(c *courses.Course) { c.Capacity = 150; c.RegistrationMode = courses.ModeApproval })
		var first int64
		for i := range 160 {
			r := coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: fmt.Sprintf("Nguyễn Văn An %c", 'A'+i%26)}, courses.RegPending)
			if i == 0 {
				first = r.ID
			}
		}
		confirmed := coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Trần Thị Bình"}, courses.RegConfirmed)
		res, err := svc.Bulk(ctx, courses.BulkInput{CourseID: c.ID, Action: "APPROVE", All: true,
			Filter: courses.RegistrationFilter{Statuses: []string{courses.RegPending}}})
		if err != nil {
			t.Fatal(err)
		}
		// 149 seats were free: the earliest 149 applicants are confirmed, 11 wait in order.
		if got, want := res.Count(courses.RegConfirmed), 149; got != want {
			t.Errorf("confirmed %d, want %d", got, want)
		}
		if got, want := res.Count(courses.RegWaitlisted), 11; got != want {
			t.Errorf("waitlisted %d, want %d", got, want)
		}
		if len(res.Skipped) != 0 {
			t.Errorf("skipped %v", res.Skipped)
		}
		counts, _ := svc.CountByStatus(ctx, c.ID)
		if counts[courses.RegConfirmed] != 150 || counts[courses.RegWaitlisted] != 11 || counts[courses.RegPending] != 0 {
			t.Errorf("counts %v", counts)
		}
		if reg, _ := svc.FindRegistrationByID(ctx, first); reg.Status != courses.RegConfirmed {
			t.Errorf("the first applicant is %s", reg.Status)
		}
		evs, _ := svc.RegistrationEvents(ctx, first)
		if n := len(evs); n == 0 || evs[n-1].Reason != courses.ReasonApproved {
			t.Errorf("history %+v", evs)
		}
		// The waiting list view lists them by position.
		wl, _, err := svc.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: c.ID,
			Statuses: []string{courses.RegWaitlisted}, ByPosition: true})
		if err != nil || len(wl) != 11 {
			t.Fatalf("waiting list %d %v", len(wl), err)
		}
		for i, r := range wl {
			if r.WaitlistPosition == nil || *r.WaitlistPosition != i+1 {
				t.Errorf("row %d has position %v", i, r.WaitlistPosition)
			}
		}
		// Cancelling the confirmed one by id gives the seat to position 1.
		res, err = svc.Bulk(ctx, courses.BulkInput{CourseID: c.ID, Action: courses.BulkCancel,
			Reason: "Đơn vị cử người khác", IDs: []int64{confirmed.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changed) != 1 || len(res.Promoted) != 1 || res.Promoted[0].ID != wl[0].ID {
			t.Errorf("cancel: %+v", res)
		}
	})

	t.Run("WaitlistDoesNotPromoteBack", func(t *testing.T) {
		c := coursestest.Course(t, db, org.ID, coursestest.Upcoming, func(c *courses.Course) { c.Capacity = 3 })
		a := coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Lê Văn Cường"}, courses.RegConfirmed)
		b := coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Phạm Thị Dung"}, courses.RegConfirmed)
		w := coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Hoàng Văn Em"}, courses.RegWaitlisted)
		res, err := svc.Bulk(ctx, courses.BulkInput{CourseID: c.ID, Action: courses.BulkWaitlist,
			Reason: "Chờ xác nhận của đơn vị", IDs: []int64{a.ID, b.ID, w.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changed) != 2 || len(res.Skipped) != 1 || res.Skipped[0].ID != w.ID {
			t.Errorf("changed %v skipped %v", res.Changed, res.Skipped)
		}
		if len(res.Promoted) != 1 || res.Promoted[0].ID != w.ID {
			t.Errorf("promoted %v, want only the one already waiting", res.Promoted)
		}
		for _, id := range []int64{a.ID, b.ID} {
			if reg, _ := svc.FindRegistrationByID(ctx, id); reg.Status != courses.RegWaitlisted {
				t.Errorf("%d is %s", id, reg.Status)
			}
		}
	})

	t.Run("OtherCourseIDsIgnored", func(t *testing.T) {
		c1 := coursestest.Course(t, db, org.ID, coursestest.Upcoming)
		c2 := coursestest.Course(t, db, org.ID, coursestest.Upcoming)
		other := coursestest.Registration(t, db, c2.ID, coursestest.Person{FullName: "Võ Thị Giang"}, courses.RegConfirmed)
		res, err := svc.Bulk(ctx, courses.BulkInput{CourseID: c1.ID, Action: courses.BulkCancel, Reason: "x", IDs: []int64{other.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changed) != 0 {
			t.Errorf("changed a registration of another course: %v", res.Changed)
		}
		if reg, _ := svc.FindRegistrationByID(ctx, other.ID); reg.Status != courses.RegConfirmed {
			t.Errorf("other course's registration is %s", reg.Status)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		c := coursestest.Course(t, db, org.ID, coursestest.Upcoming)
		_, err := svc.Bulk(ctx, courses.BulkInput{CourseID: c.ID, Action: "delete", IDs: []int64{1}})
		if got := fieldOf(t, err, "action"); got != "bulk.err.action" {
			t.Errorf("action: %s", got)
		}
		_, err = svc.Bulk(ctx, courses.BulkInput{CourseID: c.ID, Action: courses.BulkReject, IDs: []int64{1}})
		if got := fieldOf(t, err, "reason"); got != "reg.err.reason_required" {
			t.Errorf("reason: %s", got)
		}
		_, err = svc.Bulk(ctx, courses.BulkInput{CourseID: c.ID, Action: courses.BulkApprove})
		if got := fieldOf(t, err, "ids"); got != "bulk.err.none" {
			t.Errorf("ids: %s", got)
		}
		_, err = svc.Bulk(ctx, courses.BulkInput{CourseID: 999999, Action: courses.BulkApprove, IDs: []int64{1}})
		if !errors.Is(err, courses.ErrNotFound) {
			t.Errorf("unknown course: %v", err)
		}
	})
}

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"an.nv@gmail.com": true, "hv1@example.vn": true, "x@sub.khanhhoa.gov.vn": true, "a+b@mail.com": true,
		"an.nv@gmail": false, "an nv@gmail.com": false, "@gmail.com": false, "an@": false, "an@.com": false,
		"an@gmail..com": false, "an@gmail.c": false, "An <an@gmail.com>": false, ".an@gmail.com": false,
		"an@-gmail.com": false, "an@gmail.123": false, "an@@gmail.com": false,
	} {
		if got := courses.ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
	in := courses.RegisterInput{FullName: "NGUYỄN VĂN AN", Email: "an.nv@gmail"}
	in.Normalize()
	if in.FullName != "Nguyễn Văn An" {
		t.Errorf("capitals stored as %q", in.FullName)
	}
	if got := fieldOf(t, in.Validate(), "email"); got != "err.email" {
		t.Errorf("an.nv@gmail: %s", got)
	}
}
