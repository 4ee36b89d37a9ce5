package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"taphuan/evaluation"
)

// TestEvaluationPagesRender: every evaluation page answers 200 in Vietnamese and English
// with no template gaps (no "%!", no raw "eval." keys), for the organizer and the trainee.
func TestEvaluationPagesRender(t *testing.T) {
	sc := newEvalScene(t)
	a := sc.a
	ctx := context.Background()
	if _, err := a.srv.eval.SetTest(ctx, sc.course.ID, evaluation.TestInput{MinPostPercent: 60,
		Questions: []evaluation.TestQuestionInput{{Text: "Câu 1", Options: []string{"A", "B"}, Correct: 1}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.srv.eval.AddPaper(ctx, evaluation.PaperInput{SurveyID: sc.survey.ID,
		Answers: []evaluation.AnswerInput{{QuestionID: sc.survey.Questions[0].ID, Value: "5"}}}); err != nil {
		t.Fatal(err)
	}
	sid, cid := itoa(sc.survey.ID), itoa(sc.course.ID)
	staff := []string{"/staff/courses/" + cid + "/survey", "/staff/courses/" + cid + "/survey?q=th%E1%BB%B1c",
		"/staff/surveys/" + sid + "/questions", "/staff/surveys/" + sid + "/paper", "/staff/surveys/" + sid + "/projector",
		"/staff/courses/" + cid + "/knowledge-test", "/staff/lecturer-ratings", "/staff/lecturer-ratings?from=2020-01-01&q=an",
		"/staff/courses/" + cid + "/certificates"}
	public := []string{"/surveys/" + sid, "/tickets/" + sc.yen.Code, "/tickets/" + sc.yen.Code + "/survey",
		"/tickets/" + sc.yen.Code + "/survey?s=2", "/tickets/" + sc.yen.Code + "/survey?s=done", "/tickets/" + sc.yen.Code + "/test"}
	for _, lang := range []string{"vi", "en"} {
		org := a.login(sc.organizer)
		anon := a.browserClient()
		a.get(org, "/lang/"+lang+"?next="+url.QueryEscape("/"))
		a.get(anon, "/lang/"+lang+"?next="+url.QueryEscape("/"))
		check := func(who string, paths []string, get func(string) (int, string)) {
			for _, p := range paths {
				st, body := get(p)
				if st != 200 {
					t.Errorf("%s %s %s: %d", lang, who, p, st)
					continue
				}
				for _, bad := range []string{"%!", `"eval.`, ">eval.", "coursenav.survey"} {
					if strings.Contains(body, bad) {
						i := strings.Index(body, bad)
						t.Errorf("%s %s %s holds %q: …%s…", lang, who, p, bad, body[max(0, i-60):min(len(body), i+60)])
					}
				}
			}
		}
		check("organizer", staff, func(p string) (int, string) { r, b := a.get(org, p); return r.StatusCode, b })
		check("trainee", public, func(p string) (int, string) { r, b := a.get(anon, p); return r.StatusCode, b })
		_, body := a.get(anon, "/tickets/"+sc.yen.Code+"/test")
		if lang == "en" && !strings.Contains(body, "Knowledge test") {
			t.Errorf("English test page: %s", body)
		}
	}
	// The ticket links to the survey and the post-test.
	_, body := a.get(a.browserClient(), "/tickets/"+sc.yen.Code)
	for _, id := range []string{`id="ticket-survey"`, `id="ticket-test"`} {
		if !strings.Contains(body, id) {
			t.Errorf("ticket page lacks %s", id)
		}
	}
	// A bad paper row is refused with the message at its cell, and nothing stored.
	org := a.login(sc.organizer)
	q := sc.survey.Questions[0].ID
	resp, page := a.postFormBody(org, "/staff/surveys/"+sid+"/paper", url.Values{fmt.Sprintf("a_%d", q): {"7"}})
	if resp.StatusCode != 422 || !strings.Contains(page, "Chọn điểm từ 1 đến 5.") || !strings.Contains(page, `value="7"`) {
		t.Errorf("bad paper row: %d", resp.StatusCode)
	}
	res, _ := a.srv.eval.Results(ctx, sc.survey.ID, evaluation.ResultsFilter{})
	if res.Paper != 1 {
		t.Errorf("%d paper forms after a refused one, want 1", res.Paper)
	}
	resp = a.postForm(org, "/staff/surveys/"+sid+"/paper", url.Values{fmt.Sprintf("a_%d", q): {"3"}})
	if resp.StatusCode != 303 {
		t.Errorf("paper row: %d", resp.StatusCode)
	}
	if res, _ = a.srv.eval.Results(ctx, sc.survey.ID, evaluation.ResultsFilter{}); res.Paper != 2 {
		t.Errorf("%d paper forms, want 2", res.Paper)
	}
	// The window and the days from the settings form; unchanged fields stay derived.
	resp = a.postForm(org, "/staff/surveys/"+sid+"/settings", url.Values{"status": {"open"}, "close_after_days": {"3"},
		"closes_at": {"2030-01-02T17:30"}})
	if resp.StatusCode != 303 {
		t.Fatalf("settings: %d", resp.StatusCode)
	}
	got, _ := a.srv.eval.FindSurvey(ctx, sc.survey.ID)
	if got.CloseAfterDays != 3 || got.ClosesAt == nil || got.ClosesAt.UTC().Format("2006-01-02 15:04") != "2030-01-02 10:30" ||
		!got.OpensAtSet.IsZero() {
		t.Errorf("settings saved as %+v", got)
	}
	resp = a.postForm(org, "/staff/surveys/"+sid+"/settings", url.Values{"status": {"bogus"}, "close_after_days": {"3"}})
	if got, _ := a.srv.eval.FindSurvey(ctx, sc.survey.ID); resp.StatusCode != 303 || got.Stored != evaluation.Open {
		t.Errorf("a bad status changed the survey: %d %q", resp.StatusCode, got.Stored)
	}
	// A bad answer on the phone page: shown at the field, 422.
	resp, page = a.postFormBody(a.browserClient(), "/tickets/"+sc.yen.Code+"/survey", url.Values{"s": {"0"}, fmt.Sprintf("a_%d", q): {"9"}})
	if resp.StatusCode != 422 || !strings.Contains(page, "Chọn điểm từ 1 đến 5.") || !strings.Contains(page, `role="alert"`) {
		t.Errorf("bad answer page: %d", resp.StatusCode)
	}
}
