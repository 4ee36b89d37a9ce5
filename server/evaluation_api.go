package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/evaluation"
	"taphuan/limits"
)

// The survey's public submissions are limited per address and per ticket. The seam: the
// generic database-backed limiter replaces this one function at merge.
var (
	// A whole class behind one venue Wi-Fi answers section by section.
	evalAddrRule   = limits.Rule{Bucket: "survey_addr", Max: 600, Window: 10 * time.Minute}
	evalTicketRule = limits.Rule{Bucket: "survey_ticket", Max: 60, Window: 10 * time.Minute}
)

// evalMaxBody bounds a public survey submission before it is parsed: the longest survey's
// answers, open ones included, fit well within it.
const evalMaxBody = 1 << 20

func evalBound(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, evalMaxBody)
}

// evaluationLimit counts one public survey submission of this client (and ticket).
func (s *Server) evaluationLimit(c *gin.Context, ticket string) error {
	if err := s.limit(c, evalAddrRule, c.ClientIP()); err != nil {
		return err
	}
	if ticket != "" {
		return s.limit(c, evalTicketRule, hashKey(ticket))
	}
	return nil
}

// surveyParam loads the survey of the path (":id") and its course, to read or to change.
func (s *Server) surveyParam(c *gin.Context, manage bool) (*evaluation.Survey, *courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	sv, err := s.eval.FindSurvey(c.Request.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	course, err := s.loadCourse(c, sv.CourseID, manage)
	if err != nil {
		return nil, nil, err
	}
	return sv, course, nil
}

// handleSurveyCreate: POST /api/v1/courses/{id}/survey → 201 the survey (from the
// organization's template); 409 when the course has one.
func (s *Server) handleSurveyCreate(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	sv, err := s.eval.CreateSurvey(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, sv)
	return nil
}

// handleSurveyOfCourse: GET /api/v1/courses/{id}/survey.
func (s *Server) handleSurveyOfCourse(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	sv, err := s.eval.FindSurveyByCourse(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sv)
	return nil
}

// handleSurveyGet: GET /api/v1/surveys/{id}.
func (s *Server) handleSurveyGet(c *gin.Context) error {
	sv, _, err := s.surveyParam(c, false)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sv)
	return nil
}

type questionJSON struct {
	ID       int64    `json:"id"`
	Section  string   `json:"section"`
	ModuleID *int64   `json:"module_id"`
	Kind     string   `json:"kind"`
	Text     string   `json:"text"`
	Options  []string `json:"options"`
}

// handleSurveyPatch: PATCH /api/v1/surveys/{id} {questions, opens_at, closes_at,
// close_after_days, status}.
func (s *Server) handleSurveyPatch(c *gin.Context) error {
	sv, _, err := s.surveyParam(c, true)
	if err != nil {
		return err
	}
	var in struct {
		Questions      *[]questionJSON `json:"questions"`
		OpensAt        *string         `json:"opens_at"`
		ClosesAt       *string         `json:"closes_at"`
		CloseAfterDays *int            `json:"close_after_days"`
		Status         *string         `json:"status"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p := evaluation.SurveyPatch{CloseAfterDays: in.CloseAfterDays, Status: in.Status}
	f := errs.Fields{}
	parse := func(name string, v *string) *time.Time {
		if v == nil {
			return nil
		}
		t, err := time.Parse(time.RFC3339, *v)
		if err != nil {
			f.Add(name, "eval.err.instant")
			return nil
		}
		return &t
	}
	p.OpensAt, p.ClosesAt = parse("opens_at", in.OpensAt), parse("closes_at", in.ClosesAt)
	if err := f.Err(); err != nil {
		return err
	}
	if in.Questions != nil {
		qs := make([]evaluation.QuestionInput, len(*in.Questions))
		for i, q := range *in.Questions {
			qs[i] = evaluation.QuestionInput{ID: q.ID, Section: q.Section, ModuleID: q.ModuleID, Kind: q.Kind, Text: q.Text, Options: q.Options}
		}
		p.Questions = &qs
	}
	sv, err = s.eval.UpdateSurvey(c.Request.Context(), sv.ID, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sv)
	return nil
}

type answerJSON struct {
	QuestionID int64           `json:"question_id"`
	Value      json.RawMessage `json:"value"`
}

// answerInputs turns the JSON answers into inputs: a number or a string value.
func answerInputs(in []answerJSON) []evaluation.AnswerInput {
	out := make([]evaluation.AnswerInput, len(in))
	for i, a := range in {
		v := strings.TrimSpace(string(a.Value))
		var str string
		if json.Unmarshal(a.Value, &str) == nil {
			v = str
		} else if v == "null" {
			v = ""
		}
		out[i] = evaluation.AnswerInput{QuestionID: a.QuestionID, Value: v}
	}
	return out
}

// handleSurveyRespond: POST /api/v1/surveys/{id}/responses {ticket_code, answers} → 201.
// Public: the ticket code is the credential. Answering again replaces the answers while
// the survey is open.
func (s *Server) handleSurveyRespond(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		TicketCode string       `json:"ticket_code"`
		Answers    []answerJSON `json:"answers"`
	}
	evalBound(c)
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if err := s.evaluationLimit(c, in.TicketCode); err != nil {
		return err
	}
	err = s.eval.Respond(c.Request.Context(), evaluation.ResponseInput{SurveyID: id, TicketCode: in.TicketCode,
		Answers: answerInputs(in.Answers), Replace: true})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"survey_id": id, "status": "recorded"})
	return nil
}

// handleSurveyPaper: POST /api/v1/surveys/{id}/paper {answers} → 201: one paper form.
func (s *Server) handleSurveyPaper(c *gin.Context) error {
	sv, _, err := s.surveyParam(c, true)
	if err != nil {
		return err
	}
	var in struct {
		Answers []answerJSON `json:"answers"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if err := s.eval.AddPaper(c.Request.Context(), evaluation.PaperInput{SurveyID: sv.ID, Answers: answerInputs(in.Answers)}); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"survey_id": sv.ID, "status": "recorded"})
	return nil
}

// handleSurveyResults: GET /api/v1/surveys/{id}/results?q= — never who answered what.
func (s *Server) handleSurveyResults(c *gin.Context) error {
	sv, _, err := s.surveyParam(c, false)
	if err != nil {
		return err
	}
	res, err := s.eval.Results(c.Request.Context(), sv.ID, evaluation.ResultsFilter{Query: c.Query("q")})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"responses": res.Responses, "paper": res.Paper, "invited": res.Invited,
		"rate": res.Rate(), "questions": res.Questions})
	return nil
}

// handleSurveyReport: GET /api/v1/surveys/{id}/results.pdf and results.xlsx.
func (s *Server) handleSurveyReport(xlsx bool) handler {
	return func(c *gin.Context) error {
		sv, course, err := s.surveyParam(c, false)
		if err != nil {
			return err
		}
		iss, err := s.issuer(c, course.OrganizationID)
		if err != nil {
			return err
		}
		res, err := s.eval.Results(c.Request.Context(), sv.ID, evaluation.ResultsFilter{})
		if err != nil {
			return err
		}
		var b []byte
		var name string
		if xlsx {
			b, err = evaluation.ResultsXLSX(course, res)
			name = "danh-gia-lop-" + strconv.FormatInt(course.ID, 10) + ".xlsx"
			c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		} else {
			b, err = evaluation.ResultsPDF(evaluation.Issuer{Parent: iss.ParentName, Name: iss.Name}, course, res)
			name = "danh-gia-lop-" + strconv.FormatInt(course.ID, 10) + ".pdf"
			c.Header("Content-Type", "application/pdf")
		}
		if err != nil {
			return err
		}
		c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
		c.Header("Cache-Control", "no-store")
		_, err = bytes.NewReader(b).WriteTo(c.Writer)
		return err
	}
}

// handleLecturerRatings: GET /api/v1/reports/lecturers?from=&to=&q= — each lecturer's
// ratings across the courses of the caller's organizations in the period.
func (s *Server) handleLecturerRatings(c *gin.Context) error {
	f := courseScope(currentUser(c))
	f.From, f.To = c.Query("from"), c.Query("to")
	rows, err := s.eval.LecturerResults(c.Request.Context(), evaluation.LecturerFilter{Courses: f, Lecturer: c.Query("q")})
	if err != nil {
		return err
	}
	return list(c, rows, len(rows))
}

type testJSON struct {
	MinPostPercent int `json:"min_post_percent"`
	Questions      []struct {
		Text    string   `json:"text"`
		Options []string `json:"options"`
		Correct int      `json:"correct"`
	} `json:"questions"`
}

// handleTestGet: GET /api/v1/courses/{id}/knowledge-test.
func (s *Server) handleTestGet(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	t, err := s.eval.FindTest(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

// handleTestPut: PUT /api/v1/courses/{id}/knowledge-test {min_post_percent, questions:
// [{text, options, correct}]} (correct counts from 1).
func (s *Server) handleTestPut(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var in testJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	ti := evaluation.TestInput{MinPostPercent: in.MinPostPercent}
	for _, q := range in.Questions {
		ti.Questions = append(ti.Questions, evaluation.TestQuestionInput{Text: q.Text, Options: q.Options, Correct: q.Correct})
	}
	t, err := s.eval.SetTest(c.Request.Context(), course.ID, ti)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

// handleTestResults: GET /api/v1/courses/{id}/knowledge-test/results → {items: [{registration_id,
// full_name, pre, post, gain}], average_gain}.
func (s *Server) handleTestResults(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	r, err := s.eval.TestResultsOf(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": r.Items, "total": len(r.Items), "average_gain": r.AverageGain,
		"pre_mean": r.PreMean, "post_mean": r.PostMean, "min_post_percent": r.Test.MinPostPercent})
	return nil
}
