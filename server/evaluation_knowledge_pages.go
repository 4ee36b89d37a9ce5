package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/evaluation"
)

// The knowledge test is written as plain text, one question per block: its first line is
// the question, each further line an option, the correct one starting with "*".

func formatTest(t *evaluation.KnowledgeTest) string {
	var b strings.Builder
	for i, q := range t.Questions {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(q.Text + "\n")
		for j, o := range q.Options {
			if j+1 == q.Correct {
				b.WriteString("* ")
			}
			b.WriteString(o + "\n")
		}
	}
	return b.String()
}

func parseTest(text string) []evaluation.TestQuestionInput {
	var out []evaluation.TestQuestionInput
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		lines := []string{}
		for _, l := range strings.Split(block, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		q := evaluation.TestQuestionInput{Text: lines[0]}
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "*") {
				l = strings.TrimSpace(strings.TrimPrefix(l, "*"))
				q.Correct = len(q.Options) + 1
			}
			q.Options = append(q.Options, l)
		}
		out = append(out, q)
	}
	return out
}

type testPageData struct {
	Course    *courses.Course
	CanManage bool
	Text      string
	Min       string
	Results   *evaluation.TestResults
	Rows      []testRow
	Gain      string
}

type testRow struct {
	N                   int
	Name, Pre, Post, Up string
}

func scoreText(a *evaluation.Attempt) string {
	if a == nil {
		return "—"
	}
	return fmt.Sprintf("%d/%d (%s)", a.Correct, a.Total, certPercent(a.Percent()))
}

func (s *Server) testPage(c *gin.Context, status int, course *courses.Course, text, min string, fe map[string]string) error {
	d := &testPageData{Course: course, CanManage: currentUser(c).CanManage(course.OrganizationID), Text: text, Min: min}
	res, err := s.eval.TestResultsOf(c.Request.Context(), course.ID)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
	case err != nil:
		return err
	default:
		d.Results = res
		if fe == nil {
			d.Text, d.Min = formatTest(res.Test), strconv.Itoa(res.Test.MinPostPercent)
		}
		for i, it := range res.Items {
			r := testRow{N: i + 1, Name: it.FullName, Pre: scoreText(it.Pre), Post: scoreText(it.Post), Up: "—"}
			if it.Gain != nil {
				r.Up = fmt.Sprintf("%+.1f", *it.Gain)
			}
			d.Rows = append(d.Rows, r)
		}
		if res.AverageGain != nil {
			d.Gain = fmt.Sprintf("%+.1f", *res.AverageGain)
		}
	}
	if d.Min == "" {
		d.Min = "0"
	}
	return s.render(c, status, "knowledge_test", view{Title: s.tr(langOf(c), "eval.test.title"), Section: "courses",
		Tab: "survey", Errors: fe, Data: d})
}

// handleTestPage: GET /staff/courses/{id}/knowledge-test.
func (s *Server) handleTestPage(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	return s.testPage(c, http.StatusOK, course, "", "", nil)
}

// handleTestForm: POST /staff/courses/{id}/knowledge-test {questions, min_post_percent}.
func (s *Server) handleTestForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	text, minText := c.PostForm("questions"), strings.TrimSpace(c.PostForm("min_post_percent"))
	if len(text) > 100000 {
		text = text[:100000]
	}
	min, err := strconv.Atoi(minText)
	if err != nil {
		min = -1
	}
	_, err = s.eval.SetTest(c.Request.Context(), course.ID, evaluation.TestInput{MinPostPercent: min, Questions: parseTest(text)})
	if err != nil {
		// Every message but the pass mark's is the questions' (one text area); a test that
		// was taken already (evaluation.ErrTestTaken) may not change either.
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			out := map[string]string{}
			for k, m := range fe {
				if k != "min_post_percent" {
					k = "questions"
				}
				if _, ok := out[k]; !ok {
					out[k] = m
				}
			}
			return s.testPage(c, status, course, text, minText, out)
		})
	}
	s.flash(c, "eval.saved")
	return redirect(c, fmt.Sprintf("/staff/courses/%d/knowledge-test", course.ID))
}

type ticketTestData struct {
	Course  *courses.Course
	Reg     *courses.Registration
	Test    *evaluation.KnowledgeTest
	Phase   string
	Attempt *evaluation.Attempt
	Score   string
	Values  map[string]string
}

func (s *Server) ticketTest(c *gin.Context, status int, fe map[string]string, values map[string]string) error {
	ctx := c.Request.Context()
	reg, err := s.courses.FindRegistrationByCode(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	course, err := s.courses.FindCourseByID(ctx, reg.CourseID)
	if err != nil {
		return err
	}
	t, err := s.eval.FindTest(ctx, course.ID)
	if err != nil {
		return err
	}
	d := &ticketTestData{Course: course, Reg: reg, Test: t, Values: values}
	if d.Phase, err = s.eval.TestPhase(ctx, course.ID); err != nil {
		return err
	}
	pre, post, err := s.eval.MyAttempts(ctx, course.ID, reg.ID)
	if err != nil {
		return err
	}
	switch d.Phase {
	case evaluation.Pre:
		d.Attempt = pre
	case evaluation.Post:
		d.Attempt = post
	}
	if d.Attempt != nil {
		d.Score = scoreText(d.Attempt)
	}
	c.Header("Cache-Control", "no-store")
	return s.render(c, status, "ticket_test", view{Title: s.tr(langOf(c), "eval.test.title"), Errors: fe, Data: d})
}

// handleTicketTest: GET /tickets/{code}/test — the test open now, or the score.
func (s *Server) handleTicketTest(c *gin.Context) error {
	return s.ticketTest(c, http.StatusOK, nil, nil)
}

// handleTicketTestSubmit: POST /tickets/{code}/test {a_QID…} — one attempt per phase.
func (s *Server) handleTicketTestSubmit(c *gin.Context) error {
	code := c.Param("code")
	if err := s.evaluationLimit(c, code); err != nil {
		return err
	}
	evalBound(c)
	reg, err := s.courses.FindRegistrationByCode(c.Request.Context(), code)
	if err != nil {
		return err
	}
	t, err := s.eval.FindTest(c.Request.Context(), reg.CourseID)
	if err != nil {
		return err
	}
	answers := map[int64]string{}
	values := map[string]string{}
	for _, q := range t.Questions {
		name := fmt.Sprintf("a_%d", q.ID)
		answers[q.ID] = c.PostForm(name)
		values[name] = c.PostForm(name)
	}
	_, err = s.eval.TakeTest(c.Request.Context(), evaluation.TestAnswers{CourseID: reg.CourseID, TicketCode: code, Answers: answers})
	if fe := s.fieldErrors(c, err); fe != nil {
		out := map[string]string{}
		for k, m := range fe {
			out[strings.Replace(k, "answers.", "a_", 1)] = m
		}
		return s.ticketTest(c, http.StatusUnprocessableEntity, out, values)
	}
	switch {
	case errors.Is(err, evaluation.ErrTestTaken), errors.Is(err, evaluation.ErrTestNotNow), errors.Is(err, evaluation.ErrNotTrainee):
		s.flash(c, errMsgKey(err))
	case err != nil:
		return err
	default:
		s.flash(c, "eval.test.saved")
	}
	return redirect(c, "/tickets/"+code+"/test")
}

func errMsgKey(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Msg.Key
	}
	return "err.internal"
}
