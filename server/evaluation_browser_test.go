package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/evaluation"
)

// evalScene: a course whose last session started an hour ago, two modules, a confirmed
// trainee, and its survey open.
type evalScene struct {
	a         *testApp
	course    *courses.Course
	organizer *accounts.User
	yen       *courses.Registration
	survey    *evaluation.Survey
}

func newEvalScene(t *testing.T) *evalScene {
	t.Helper()
	a := newTestApp(t)
	org := a.org("Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	sc := &evalScene{a: a, organizer: a.user(accounts.RoleOrganizer, org.ID)}
	now := time.Now()
	sc.course = coursestest.Course(t, a.db, org.ID, func(c *courses.Course) {
		c.StartsOn, c.EndsOn = now.AddDate(0, 0, -1).Format("2006-01-02"), now.Format("2006-01-02")
	})
	coursestest.Module(t, a.db, sc.course.ID, "Quy định về thông tin cơ sở", "TS. Nguyễn Văn An")
	coursestest.Module(t, a.db, sc.course.ID, "Đài truyền thanh cấp xã", "ThS. Trần Thị Bình")
	coursestest.Session(t, a.db, sc.course.ID, now.Add(-26*time.Hour), 3*time.Hour, "Hội trường A")
	coursestest.Session(t, a.db, sc.course.ID, now.Add(-time.Hour), 3*time.Hour, "Hội trường A")
	sc.yen = coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Nguyễn Thị Hải Yến"}, courses.RegConfirmed)
	ctx := context.Background()
	sv, err := a.srv.eval.CreateSurvey(ctx, sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	open := evaluation.Open
	if sc.survey, err = a.srv.eval.UpdateSurvey(ctx, sv.ID, evaluation.SurveyPatch{Status: &open}); err != nil {
		t.Fatal(err)
	}
	if !sc.survey.Accepting {
		t.Fatalf("the survey does not accept answers: %+v", sc.survey)
	}
	return sc
}

// TestBrowserSurveyFromTicket: on a 390×844 phone a trainee opens the survey from the
// ticket page, answers it section by section (4 everywhere, "Phù hợp", a suggestion),
// comes back from the ticket and corrects the first question to 2; the organizer then
// sees the results with the corrected value.
func TestBrowserSurveyFromTicket(t *testing.T) {
	sc := newEvalScene(t)
	a := sc.a
	ctx := newBrowser(t)
	first := sc.survey.Sections()[0].Questions[0]
	nSections := len(sc.survey.Sections())

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(a.ts.URL+"/tickets/"+sc.yen.Code),
		chromedp.WaitVisible(chromedp.CSS("#ticket-survey")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#ticket-survey"); got != "Trả lời phiếu khảo sát" {
		t.Errorf("ticket link %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#ticket-survey")), chromedp.WaitVisible(chromedp.CSS("#answer-form"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "survey_answer")
	// A full-page screenshot leaves the DOM nodes stale; load the page again.
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#answer-form"))); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
	if err != nil || width > 390 {
		t.Errorf("the survey is %d px wide on a 390 px phone (%v)", width, err)
	}
	for i := 0; i < nSections; i++ {
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#answer-progress"))); err != nil {
			t.Fatal(err)
		}
		if got, want := textOf(t, ctx, "#answer-progress"), fmt.Sprintf("Phần %d/%d", i+1, nSections); got != want {
			t.Errorf("progress %q, want %q", got, want)
		}
		for _, q := range sc.survey.Sections()[i].Questions {
			var act chromedp.Action[chromedp.Void]
			switch q.Kind {
			case evaluation.Rating:
				act = chromedp.Click(chromedp.CSS(fmt.Sprintf(`#q-%d input[value="4"]`, q.ID)))
			case evaluation.Choice:
				act = chromedp.Click(chromedp.CSS(fmt.Sprintf(`#q-%d input[value="2"]`, q.ID)))
			default:
				act = chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#q-%d textarea`, q.ID)), "Cần thêm <b>thực hành</b>")
			}
			if err := chromedp.Do(ctx, act); err != nil {
				t.Fatal(err)
			}
		}
		next := fmt.Sprintf(`#answer-form input[name="s"][value="%d"]`, i+1)
		if i == nSections-1 {
			next = "#answer-done"
		}
		wait := chromedp.WaitReady(chromedp.CSS(next))
		if i == nSections-1 {
			wait = chromedp.WaitVisible(chromedp.CSS(next))
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#answer-next")), wait); err != nil {
			t.Fatalf("section %d: %v", i, err)
		}
	}
	screenshot(t, ctx, "survey_done")
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#answer-back"))); err != nil {
		t.Fatal(err)
	}

	// Back on the ticket: the survey is answered; correct the first question.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#answer-back")),
		chromedp.WaitVisible(chromedp.CSS("#ticket-survey")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#ticket-survey"); got != "Xem và sửa câu trả lời" {
		t.Errorf("ticket link after answering %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#ticket-survey")),
		chromedp.WaitVisible(chromedp.CSS("#answer-form")),
	)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('input[name="a_%d"][value="4"]').checked`, first.ID)))
	if err != nil {
		t.Fatal(err)
	}
	if !checked {
		t.Error("the trainee's earlier answer is not shown checked")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="a_%d"][value="2"]`, first.ID))),
		chromedp.Click(chromedp.CSS("#answer-next")),
		chromedp.WaitReady(chromedp.CSS(`#answer-form input[name="s"][value="1"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}

	// The organizer sees one response, the corrected 2 and no 4 for that question.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(a.ts.URL+"/login?next=/staff/courses/"+itoa(sc.course.ID)+"/survey"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), sc.organizer.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#survey-rate")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#survey-rate"); !strings.HasPrefix(got, "1/1 học viên đã trả lời (100%)") {
		t.Errorf("rate %q", got)
	}
	sel := fmt.Sprintf("#result-%d", first.ID)
	if got := textOf(t, ctx, sel+" .survey-mean"); got != "Điểm TB 2,00 ·" {
		t.Errorf("mean of the corrected question %q, want 2,00", got)
	}
	if got := textOf(t, ctx, sel+" .dist tr:nth-child(2) td.num"); got != "1" {
		t.Errorf("count of 2 · Không hài lòng: %q, want 1", got)
	}
	if got := textOf(t, ctx, sel+" .dist tr:nth-child(4) td.num"); got != "0" {
		t.Errorf("count of 4 · Hài lòng: %q, want 0 after the correction", got)
	}
	// The open answer is shown as text, never as markup.
	bold, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.open-answers b').length`))
	if bold != 0 || !strings.Contains(textOf(t, ctx, ".open-answers"), "Cần thêm <b>thực hành</b>") {
		t.Errorf("open answers %q (%d <b>)", textOf(t, ctx, ".open-answers"), bold)
	}
	screenshot(t, ctx, "survey_results")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#survey-rate"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "survey_results_phone")
	if width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth")); err != nil || width > 390 {
		t.Errorf("the results are %d px wide on a 390 px phone (%v)", width, err)
	}

	// After the answers, rewording the first question makes a new one; the old keeps its answer.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(a.ts.URL+"/staff/surveys/"+itoa(sc.survey.ID)+"/questions"),
		chromedp.WaitVisible(chromedp.CSS("#questions-versioned")),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "survey_questions")
	err = chromedp.Do(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#q0-text")),
		chromedp.SetValue(chromedp.CSS("#q0-text"), "Nội dung chương trình sát với nhiệm vụ được giao"),
		chromedp.Click(chromedp.CSS("#questions-save")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.Navigate(a.ts.URL+"/staff/courses/"+itoa(sc.course.ID)+"/survey"),
		chromedp.WaitVisible(chromedp.CSS("#survey-rate")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, sel+" .survey-mean"); got != "Điểm TB 2,00 ·" {
		t.Errorf("the reworded question's old answers: %q", got)
	}
	if got := textOf(t, ctx, "body"); !strings.Contains(got, "Nội dung chương trình sát với nhiệm vụ được giao") || !strings.Contains(got, "(câu hỏi cũ, đã sửa)") {
		t.Error("the results do not show the new wording and the retired question")
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(a.ts.URL+"/staff/surveys/"+itoa(sc.survey.ID)+"/paper"),
		chromedp.WaitVisible(chromedp.CSS("#paper-form"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "survey_paper")

	// The API agrees.
	st, body := a.call("GET", "/api/v1/surveys/"+itoa(sc.survey.ID)+"/results", a.token(sc.organizer), nil)
	if st != 200 {
		t.Fatalf("results: %d %s", st, body)
	}
	var res struct {
		Responses int `json:"responses"`
		Questions []struct {
			ID     int64          `json:"id"`
			Counts map[string]int `json:"counts"`
		} `json:"questions"`
	}
	json.Unmarshal(body, &res)
	for _, q := range res.Questions {
		if q.ID == first.ID && (q.Counts["2"] != 1 || q.Counts["4"] != 0) {
			t.Errorf("API counts of the corrected question %v", q.Counts)
		}
	}
	if res.Responses != 1 {
		t.Errorf("API responses %d", res.Responses)
	}
}

// TestBrowserKnowledgeTest: the organizer writes a two-question test with a 50% minimum on
// a 1366×900 screen; the trainee takes the post-test from the ticket on a phone and sees
// the score; the certificates preview gives the reason when it is below the minimum.
func TestBrowserKnowledgeTest(t *testing.T) {
	sc := newEvalScene(t)
	a := sc.a
	ctx := newBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(a.ts.URL+"/login?next=/staff/courses/"+itoa(sc.course.ID)+"/knowledge-test"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), sc.organizer.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#test-form")),
		chromedp.SendKeys(chromedp.CSS("#f-questions"), "Luật Tiếp cận thông tin có hiệu lực từ năm nào?\n2016\n* 2018\n2020\n\nĐài truyền thanh cấp xã thuộc cơ quan nào?\n* UBND cấp xã\nSở Thông tin và Truyền thông\n"),
		chromedp.SetValue(chromedp.CSS("#f-min_post_percent"), "50"),
		chromedp.Click(chromedp.CSS("#test-save")),
		chromedp.WaitVisible(chromedp.CSS("#test-results")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, ".flash"); got != "Đã lưu." {
		t.Errorf("flash %q", got)
	}
	screenshot(t, ctx, "knowledge_test")
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(a.ts.URL+"/tickets/"+sc.yen.Code),
		chromedp.WaitVisible(chromedp.CSS("#ticket-test")),
		chromedp.Click(chromedp.CSS("#ticket-test")),
		chromedp.WaitVisible(chromedp.CSS("#test-take")),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "knowledge_test_phone")
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#test-take")),
		chromedp.Click(chromedp.CSS(`#test-take fieldset:nth-of-type(1) input[value="1"]`)), // wrong
		chromedp.Click(chromedp.CSS(`#test-take fieldset:nth-of-type(2) input[value="2"]`)), // wrong
		chromedp.Click(chromedp.CSS("#test-submit")),
		chromedp.WaitVisible(chromedp.CSS("#test-score")),
	); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#test-score"); got != "Kết quả của anh/chị: 0/2 (0%)" {
		t.Errorf("score %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(a.ts.URL+"/staff/courses/"+itoa(sc.course.ID)+"/certificates"),
		chromedp.WaitVisible(chromedp.CSS("#eligibility")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#reg-"+itoa(sc.yen.ID)+" .cert-reason"); !strings.Contains(got, "điểm kiểm tra cuối khóa 0%, dưới mức tối thiểu") {
		t.Errorf("certificate reason %q", got)
	}
}
