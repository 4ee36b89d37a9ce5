package demo

import (
	"context"
	"testing"

	"taphuan/courses"
	"taphuan/database/dbtest"
	"taphuan/evaluation"
)

// TestDemoEvaluation: the demo course has a closed survey with a block per module, most
// trainees' answers, paper forms, means within 1–5 and some open answers.
func TestDemoEvaluation(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	logins, err := Load(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	ev := evaluation.New(db, courses.New(db))
	sv, err := ev.FindSurveyByCourse(ctx, logins.CourseID)
	if err != nil {
		t.Fatal(err)
	}
	if sv.Status != evaluation.Closed {
		t.Errorf("status %q, want closed", sv.Status)
	}
	modules := map[int64]bool{}
	for _, q := range sv.Questions {
		if q.Module != nil {
			modules[*q.Module] = true
		}
	}
	if len(modules) != 4 {
		t.Errorf("%d module blocks, want the 4 modules", len(modules))
	}
	res, err := ev.Results(ctx, sv.ID, evaluation.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Paper != 8 || res.Responses < res.Invited/2 || res.Rate() > 100 {
		t.Errorf("responses %d (paper %d) of %d invited", res.Responses, res.Paper, res.Invited)
	}
	texts := 0
	for _, q := range res.Questions {
		if q.Mean != nil && (*q.Mean < 2 || *q.Mean > 5) {
			t.Errorf("%s: mean %v", q.Text, *q.Mean)
		}
		texts += len(q.Answers)
	}
	if texts == 0 {
		t.Error("no open answers")
	}
	lr, err := ev.LecturerResults(ctx, evaluation.LecturerFilter{Courses: courses.CourseFilter{AllOrganizations: true}})
	if err != nil || len(lr) == 0 {
		t.Errorf("lecturer results %v %v", lr, err)
	}
}
