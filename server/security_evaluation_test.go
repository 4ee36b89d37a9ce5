package server

import (
	"context"
	"testing"
	"time"

	"taphuan/evaluation"
)

// The evaluation area's rows of the authorization matrix: an open survey (answers taken
// now) and a knowledge test on the scene's home course.
func init() {
	secAreas = append(secAreas, secArea{setup: secEvaluationSetup, rows: secEvaluationRows})
}

func secEvaluationSetup(t *testing.T, sc *secScene) {
	ctx := context.Background()
	ev := sc.a.srv.eval
	sv, err := ev.CreateSurvey(ctx, sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	open := evaluation.Open
	from, to := time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour)
	if sv, err = ev.UpdateSurvey(ctx, sv.ID, evaluation.SurveyPatch{Status: &open, OpensAt: &from, ClosesAt: &to}); err != nil {
		t.Fatal(err)
	}
	if _, err := ev.SetTest(ctx, sc.course.ID, evaluation.TestInput{Questions: []evaluation.TestQuestionInput{
		{Text: "Luật Thư viện có hiệu lực từ năm nào?", Options: []string{"2019", "2020"}, Correct: 2}}}); err != nil {
		t.Fatal(err)
	}
	sc.vars["survey"] = itoa(sv.ID)
	sc.vars["survey-q"] = itoa(sv.Questions[0].ID)
}

func secEvaluationRows(sc *secScene) []secRow {
	none := secBody{}
	return []secRow{
		{"POST", "/api/v1/courses/{course}/survey", none, orgManage}, // it exists: 409
		{"GET", "/api/v1/courses/{course}/survey", none, orgView},
		{"GET", "/api/v1/surveys/{survey}", none, orgView},
		{"PATCH", "/api/v1/surveys/{survey}", jsonBody(`{"status": "bogus"}`), orgManage},
		{"POST", "/api/v1/surveys/{survey}/responses", jsonBody(`{"ticket_code": "khong-co", "answers": []}`), public},
		{"POST", "/api/v1/surveys/{survey}/paper", jsonBody(`{"answers": []}`), orgManage},
		{"GET", "/api/v1/surveys/{survey}/results", none, orgView},
		{"GET", "/api/v1/surveys/{survey}/results.pdf", none, orgView},
		{"GET", "/api/v1/surveys/{survey}/results.xlsx", none, orgView},
		{"GET", "/api/v1/reports/lecturers", none, signedIn},
		{"GET", "/api/v1/courses/{course}/knowledge-test", none, orgView},
		{"PUT", "/api/v1/courses/{course}/knowledge-test", jsonBody(`{"questions": []}`), orgManage},
		{"GET", "/api/v1/courses/{course}/knowledge-test/results", none, orgView},
		{"GET", "/staff/courses/{course}/survey", none, orgView},
		{"POST", "/staff/courses/{course}/survey", none, orgManage},
		{"POST", "/staff/surveys/{survey}/settings", formBody("status", "bogus", "close_after_days", "0"), orgManage},
		{"GET", "/staff/surveys/{survey}/questions", none, orgManage},
		{"POST", "/staff/surveys/{survey}/questions", formBody("n", "1", "q0_id", "999999", "q0_text", "x"), orgManage},
		{"GET", "/staff/surveys/{survey}/paper", none, orgManage},
		{"POST", "/staff/surveys/{survey}/paper", none, orgManage},
		{"GET", "/staff/surveys/{survey}/projector", none, orgView},
		{"GET", "/staff/courses/{course}/knowledge-test", none, orgView},
		{"POST", "/staff/courses/{course}/knowledge-test", formBody("questions", "", "min_post_percent", "0"), orgManage},
		{"GET", "/staff/lecturer-ratings", none, signedIn},
		{"GET", "/surveys/{survey}", none, public},
		{"POST", "/surveys/{survey}", formBody("ticket_code", "khong-co"), public},
		{"GET", "/tickets/{ticket}/survey", none, public},
		{"POST", "/tickets/{ticket}/survey", formBody("s", "0", "a_"+sc.vars["survey-q"], "9"), public},
		{"GET", "/tickets/{ticket}/test", none, public},
		{"POST", "/tickets/{ticket}/test", none, public},
	}
}
