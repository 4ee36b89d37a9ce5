package demo

import (
	"context"
	"fmt"
	"testing"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

func TestLoadAttendance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	if _, err := Load(ctx, db, ""); err != nil {
		t.Fatal(err)
	}
	orgs, err := accounts.New(db).ListOrganizations(ctx)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("organizations %v, %v", orgs, err)
	}
	course := coursestest.Course(t, db, orgs[0].ID)
	coursestest.Day(t, db, course.ID, "2023-12-04")
	for i := range 200 {
		coursestest.Registration(t, db, course.ID, coursestest.Person{FullName: fmt.Sprintf("Nguyễn Văn Học Viên %d", i)}, courses.RegConfirmed)
	}
	coursestest.Registration(t, db, course.ID, coursestest.Person{FullName: "Trần Thị Chờ"}, courses.RegWaitlisted)

	if err := loadAttendance(ctx, db, course.ID); err != nil {
		t.Fatal(err)
	}
	mx, err := attendance.New(db, courses.New(db)).Matrix(ctx, course.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range mx.Rows {
		for _, s := range mx.Sessions {
			count[r.Marks[s.ID]]++
		}
	}
	if count[""] != 0 || count["present"] < 280 || count["present"] > 370 || count["late"] == 0 || count["excused"] == 0 || count["absent"] == 0 {
		t.Errorf("marks of 200 trainees × 2 sessions: %v, want every one marked, mostly present, some of each", count)
	}
	// Deterministic: loading again changes nothing.
	if err := loadAttendance(ctx, db, course.ID); err != nil {
		t.Fatal(err)
	}
	_, total, _ := attendance.New(db, courses.New(db)).ListLog(ctx, attendance.LogFilter{CourseID: course.ID})
	if total != 400 {
		t.Errorf("%d log entries after two loads, want 400 (the second load writes nothing)", total)
	}
}
