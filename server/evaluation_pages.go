package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/skip2/go-qrcode"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/evaluation"
	"taphuan/vn"
)

// localMinute is the format of a datetime-local input.
const localMinute = "2006-01-02T15:04"

// hashKey shortens a ticket code for a limiter bucket, so the limits table holds no code.
func hashKey(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func qrDataURL(content string, size int) (template.URL, error) {
	png, err := qrcode.Encode(content, qrcode.Medium, size)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// ---- Staff: the survey tab of a course ----

// surveySection is one section of the results page.
type surveySection struct {
	Title     string
	Retired   bool
	Questions []surveyResultRow
}

type surveyResultRow struct {
	N      int
	Q      evaluation.QuestionResult
	Mean   string
	Levels []surveyLevel
}

type surveyLevel struct {
	Label   string
	Count   int
	Percent string
	Value   int // for <meter>: the percent, rounded
}

type surveyPageData struct {
	Course    *courses.Course
	CanManage bool
	Survey    *evaluation.Survey
	Results   *evaluation.Results
	Rate      string
	Sections  []surveySection
	Query     string
	Days      int
	Statuses  []option
	Window    string
	OpensAt   string // datetime-local values of the window
	ClosesAt  string
}

// when writes an instant as "13:30 ngày 05/12/2023".
func (s *Server) when(lang string, t time.Time) string {
	t = t.In(vn.Location)
	return s.tr(lang, "eval.at_time", t.Format("15:04"), t.Format("02/01/2006"))
}

func (s *Server) surveyResultsView(lang string, res *evaluation.Results) []surveySection {
	var out []surveySection
	for _, q := range res.Questions {
		if len(out) == 0 || out[len(out)-1].Title != q.Section || out[len(out)-1].Retired != q.Retired {
			out = append(out, surveySection{Title: q.Section, Retired: q.Retired})
		}
		row := surveyResultRow{N: len(out[len(out)-1].Questions) + 1, Q: q, Mean: "—"}
		if q.Mean != nil {
			row.Mean = evaluation.MeanText(*q.Mean)
		}
		if q.Kind != evaluation.Text {
			for _, l := range q.Levels() {
				label := l.Label
				if q.Kind == evaluation.Rating {
					label = fmt.Sprintf("%d · %s", l.Value, s.tr(lang, "eval.rating."+strconv.Itoa(l.Value)))
				}
				row.Levels = append(row.Levels, surveyLevel{Label: label, Count: l.Count,
					Percent: certPercent(l.Percent), Value: int(l.Percent + 0.5)})
			}
		}
		out[len(out)-1].Questions = append(out[len(out)-1].Questions, row)
	}
	return out
}

// handleSurveyPage: GET /staff/courses/{id}/survey?q= — the survey, its window and its
// results; the open answers filtered by q.
func (s *Server) handleSurveyPage(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	lang := langOf(c)
	d := &surveyPageData{Course: course, CanManage: currentUser(c).CanManage(course.OrganizationID), Query: c.Query("q")}
	sv, err := s.eval.FindSurveyByCourse(c.Request.Context(), course.ID)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
	case err != nil:
		return err
	default:
		d.Survey = sv
		d.Days = sv.CloseAfterDays
		if sv.OpensAt != nil && sv.ClosesAt != nil {
			d.Window = s.tr(lang, "eval.window", s.when(lang, *sv.OpensAt), s.when(lang, *sv.ClosesAt))
			d.OpensAt = sv.OpensAt.In(vn.Location).Format(localMinute)
			d.ClosesAt = sv.ClosesAt.In(vn.Location).Format(localMinute)
		}
		for _, st := range []string{evaluation.Draft, evaluation.Open, evaluation.Closed} {
			d.Statuses = append(d.Statuses, option{Value: st, Label: s.tr(lang, "eval.status."+st), Selected: st == sv.Stored})
		}
		res, err := s.eval.Results(c.Request.Context(), sv.ID, evaluation.ResultsFilter{Query: d.Query})
		if err != nil {
			return err
		}
		d.Results = res
		d.Rate = certPercent(res.Rate())
		d.Sections = s.surveyResultsView(lang, res)
	}
	return s.render(c, http.StatusOK, "survey", view{Title: s.tr(lang, "eval.title") + " · " + course.Title,
		Section: "courses", Tab: "survey", Data: d})
}

// handleSurveyCreateForm: POST /staff/courses/{id}/survey — make the survey.
func (s *Server) handleSurveyCreateForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	if _, err := s.eval.CreateSurvey(c.Request.Context(), course.ID); err != nil && !errors.Is(err, evaluation.ErrExists) {
		return err
	}
	s.flash(c, "eval.created")
	return redirect(c, fmt.Sprintf("/staff/courses/%d/survey", course.ID))
}

// handleSurveySettingsForm: POST /staff/surveys/{id}/settings {status, close_after_days}.
func (s *Server) handleSurveySettingsForm(c *gin.Context) error {
	sv, course, err := s.surveyParam(c, true)
	if err != nil {
		return err
	}
	st := c.PostForm("status")
	p := evaluation.SurveyPatch{Status: &st}
	days, err := strconv.Atoi(strings.TrimSpace(c.PostForm("close_after_days")))
	if err != nil {
		days = -1
	}
	p.CloseAfterDays = &days
	// The window: given only where it differs from the one in force (which may come from
	// the timetable, and then keeps following it).
	for _, w := range []struct {
		field string
		cur   *time.Time
		dst   **time.Time
	}{{"opens_at", sv.OpensAt, &p.OpensAt}, {"closes_at", sv.ClosesAt, &p.ClosesAt}} {
		v := strings.TrimSpace(c.PostForm(w.field))
		if v == "" || (w.cur != nil && w.cur.In(vn.Location).Format(localMinute) == v) {
			continue
		}
		t, err := time.ParseInLocation(localMinute, v, vn.Location)
		if err != nil {
			s.flash(c, "eval.err.instant_local")
			return redirect(c, fmt.Sprintf("/staff/courses/%d/survey", course.ID))
		}
		*w.dst = &t
	}
	if p.OpensAt != nil && p.ClosesAt == nil && sv.ClosesAt != nil && !sv.ClosesAt.After(*p.OpensAt) {
		s.flash(c, "eval.err.window")
		return redirect(c, fmt.Sprintf("/staff/courses/%d/survey", course.ID))
	}
	if _, err := s.eval.UpdateSurvey(c.Request.Context(), sv.ID, p); err != nil {
		if e, ok := asInvalid(err); ok {
			for _, m := range e.Fields {
				s.flash(c, m.Key, m.Args...)
				break
			}
			return redirect(c, fmt.Sprintf("/staff/courses/%d/survey", course.ID))
		}
		return err
	}
	s.flash(c, "eval.saved")
	return redirect(c, fmt.Sprintf("/staff/courses/%d/survey", course.ID))
}

// ---- Staff: editing the questions ----

type questionRow struct {
	N       int
	Q       evaluation.QuestionInput
	Options string // one per line
	Kinds   []option
	Errors  map[string]string
}

type questionsPageData struct {
	Course   *courses.Course
	Survey   *evaluation.Survey
	Rows     []questionRow
	Answered bool
}

func (s *Server) questionRows(lang string, qs []evaluation.QuestionInput, errsByField map[string]string) []questionRow {
	rows := make([]questionRow, 0, len(qs)+1)
	qs = append(qs, evaluation.QuestionInput{Kind: evaluation.Rating})
	for i, q := range qs {
		r := questionRow{N: i, Q: q, Options: strings.Join(q.Options, "\n"), Errors: map[string]string{}}
		for _, k := range []string{evaluation.Rating, evaluation.Choice, evaluation.Text} {
			r.Kinds = append(r.Kinds, option{Value: k, Label: s.tr(lang, "eval.kind."+k), Selected: k == q.Kind})
		}
		for _, f := range []string{"text", "section", "kind", "options", "id"} {
			if m, ok := errsByField[fmt.Sprintf("questions.%d.%s", i, f)]; ok {
				r.Errors[f] = m
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// handleSurveyQuestionsPage: GET /staff/surveys/{id}/questions — every question in one form.
func (s *Server) handleSurveyQuestionsPage(c *gin.Context) error {
	sv, course, err := s.surveyParam(c, true)
	if err != nil {
		return err
	}
	var qs []evaluation.QuestionInput
	for _, q := range sv.Questions {
		if !q.Retired {
			qs = append(qs, q.Input())
		}
	}
	d := &questionsPageData{Course: course, Survey: sv, Rows: s.questionRows(langOf(c), qs, nil), Answered: sv.Answered}
	return s.render(c, http.StatusOK, "survey_questions", view{Title: s.tr(langOf(c), "eval.questions.title"),
		Section: "courses", Tab: "survey", Data: d})
}

// handleSurveyQuestionsForm: POST /staff/surveys/{id}/questions — the whole list: rows
// q{N}_id, _section, _kind, _text, _options (one per line), _delete; an empty last row
// with text adds a question.
func (s *Server) handleSurveyQuestionsForm(c *gin.Context) error {
	sv, course, err := s.surveyParam(c, true)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(c.PostForm("n"))
	if n < 0 || n > 201 {
		n = 0
	}
	var qs []evaluation.QuestionInput
	var modules = map[int64]*int64{}
	for _, q := range sv.Questions {
		modules[q.ID] = q.Module
	}
	for i := 0; i < n; i++ {
		p := fmt.Sprintf("q%d_", i)
		id, _ := strconv.ParseInt(c.PostForm(p+"id"), 10, 64)
		if c.PostForm(p+"delete") != "" {
			continue
		}
		text := c.PostForm(p + "text")
		if id == 0 && strings.TrimSpace(text) == "" {
			continue // the empty row for a new question
		}
		var opts []string
		for _, o := range strings.Split(c.PostForm(p+"options"), "\n") {
			opts = append(opts, strings.TrimSpace(o))
		}
		qs = append(qs, evaluation.QuestionInput{ID: id, Section: c.PostForm(p + "section"), Kind: c.PostForm(p + "kind"),
			Text: text, Options: opts, ModuleID: modules[id]})
	}
	if _, err = s.eval.UpdateSurvey(c.Request.Context(), sv.ID, evaluation.SurveyPatch{Questions: &qs}); err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			d := &questionsPageData{Course: course, Survey: sv, Rows: s.questionRows(langOf(c), qs, fe), Answered: sv.Answered}
			return s.render(c, status, "survey_questions", view{Title: s.tr(langOf(c), "eval.questions.title"),
				Section: "courses", Tab: "survey", Errors: fe, Data: d})
		})
	}
	s.flash(c, "eval.saved")
	return redirect(c, fmt.Sprintf("/staff/surveys/%d/questions", sv.ID))
}

// ---- Staff: typing in paper forms ----

type paperPageData struct {
	Course    *courses.Course
	Survey    *evaluation.Survey
	Questions []paperQuestion
	Paper     int
	Values    map[string]string
}

type paperQuestion struct {
	N    int
	Q    evaluation.Question
	Max  int // highest value (5, or the number of options); 0 for an open question
	Name string
}

func paperQuestions(sv *evaluation.Survey) []paperQuestion {
	var out []paperQuestion
	for _, q := range sv.Questions {
		if q.Retired {
			continue
		}
		pq := paperQuestion{N: len(out) + 1, Q: q, Name: fmt.Sprintf("a_%d", q.ID)}
		switch q.Kind {
		case evaluation.Rating:
			pq.Max = 5
		case evaluation.Choice:
			pq.Max = len(q.Options)
		}
		out = append(out, pq)
	}
	return out
}

func (s *Server) paperPage(c *gin.Context, status int, sv *evaluation.Survey, course *courses.Course, fe map[string]string, values map[string]string) error {
	res, err := s.eval.Results(c.Request.Context(), sv.ID, evaluation.ResultsFilter{})
	if err != nil {
		return err
	}
	d := &paperPageData{Course: course, Survey: sv, Questions: paperQuestions(sv), Paper: res.Paper, Values: values}
	return s.render(c, status, "survey_paper", view{Title: s.tr(langOf(c), "eval.paper.title"), Section: "courses",
		Tab: "survey", Errors: fe, Data: d})
}

// handleSurveyPaperPage: GET /staff/surveys/{id}/paper — one row per form, keyboard only.
func (s *Server) handleSurveyPaperPage(c *gin.Context) error {
	sv, course, err := s.surveyParam(c, true)
	if err != nil {
		return err
	}
	return s.paperPage(c, http.StatusOK, sv, course, nil, nil)
}

// handleSurveyPaperForm: POST /staff/surveys/{id}/paper {a_QID…} — one form; back to an
// empty row with the count.
func (s *Server) handleSurveyPaperForm(c *gin.Context) error {
	sv, course, err := s.surveyParam(c, true)
	if err != nil {
		return err
	}
	var answers []evaluation.AnswerInput
	values := map[string]string{}
	for _, pq := range paperQuestions(sv) {
		v := c.PostForm(pq.Name)
		values[pq.Name] = v
		if strings.TrimSpace(v) != "" {
			answers = append(answers, evaluation.AnswerInput{QuestionID: pq.Q.ID, Value: v})
		}
	}
	err = s.eval.AddPaper(c.Request.Context(), evaluation.PaperInput{SurveyID: sv.ID, Answers: answers})
	if fe := s.fieldErrors(c, err); fe != nil {
		out := map[string]string{}
		for k, m := range fe {
			out[strings.Replace(k, "answers.", "a_", 1)] = m
		}
		return s.paperPage(c, http.StatusUnprocessableEntity, sv, course, out, values)
	}
	if errors.Is(err, evaluation.ErrNotOpen) {
		return s.paperPage(c, http.StatusConflict, sv, course, map[string]string{"form": s.tr(langOf(c), "eval.err.paper_draft")}, values)
	}
	if err != nil {
		return err
	}
	s.flash(c, "eval.paper.saved")
	return redirect(c, fmt.Sprintf("/staff/surveys/%d/paper", sv.ID))
}

// handleSurveyProjector: GET /staff/surveys/{id}/projector — the QR to show at the last session.
func (s *Server) handleSurveyProjector(c *gin.Context) error {
	sv, course, err := s.surveyParam(c, false)
	if err != nil {
		return err
	}
	link := s.absURL(c, fmt.Sprintf("/surveys/%d", sv.ID))
	qr, err := qrDataURL(link, 480)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "survey_projector", view{Title: s.tr(langOf(c), "eval.projector.title"),
		Data: map[string]any{"Course": course, "Survey": sv, "QR": qr, "Link": link}})
}

// ---- Staff: lecturers across courses ----

// handleLecturerRatingsPage: GET /staff/lecturer-ratings?from=&to=&q= — ratings per lecturer.
func (s *Server) handleLecturerRatingsPage(c *gin.Context) error {
	f := courseScope(currentUser(c))
	f.From, f.To = c.Query("from"), c.Query("to")
	rows, err := s.eval.LecturerResults(c.Request.Context(), evaluation.LecturerFilter{Courses: f, Lecturer: c.Query("q")})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "lecturer_ratings", view{Title: s.tr(langOf(c), "eval.lecturers.title"), Section: "statistics",
		Data: map[string]any{"Rows": rows, "From": f.From, "To": f.To, "Q": c.Query("q")}})
}

// ---- Public: answering ----

// handleSurveyEntry: GET /surveys/{id} — from the projector's QR: the trainee types the
// ticket code (printed under the ticket's QR) and goes on to their survey.
func (s *Server) handleSurveyEntry(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	sv, err := s.eval.FindSurvey(c.Request.Context(), id)
	if err != nil || sv.Status == evaluation.Draft {
		return errNotFound
	}
	course, err := s.courses.FindCourseByID(c.Request.Context(), sv.CourseID)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "survey_entry", view{Title: s.tr(langOf(c), "eval.answer.title"),
		Data: map[string]any{"Course": course, "Survey": sv}})
}

// handleSurveyEntrySubmit: POST /surveys/{id} {ticket_code}.
func (s *Server) handleSurveyEntrySubmit(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	sv, err := s.eval.FindSurvey(c.Request.Context(), id)
	if err != nil || sv.Status == evaluation.Draft {
		return errNotFound
	}
	evalBound(c)
	code := strings.TrimSpace(c.PostForm("ticket_code"))
	if err := s.evaluationLimit(c, ""); err != nil {
		return err
	}
	reg, err := s.courses.FindRegistrationByCode(c.Request.Context(), code)
	if err != nil || reg.CourseID != sv.CourseID {
		course, cerr := s.courses.FindCourseByID(c.Request.Context(), sv.CourseID)
		if cerr != nil {
			return cerr
		}
		return s.render(c, http.StatusUnprocessableEntity, "survey_entry", view{Title: s.tr(langOf(c), "eval.answer.title"),
			Errors: map[string]string{"ticket_code": s.tr(langOf(c), "eval.err.ticket")},
			Data:   map[string]any{"Course": course, "Survey": sv, "Code": code}})
	}
	return redirect(c, "/tickets/"+reg.Code+"/survey")
}

// evalReaderCookie holds, on the phone that first answered a survey, the token that lets it
// see its answers again (evaluation.ResponseInput.Reader).
const evalReaderCookie = "taphuan_survey"

// surveyReader returns this device's reader token for the ticket's survey pages, making
// and setting one when create is true and there is none.
func (s *Server) surveyReader(c *gin.Context, code string, create bool) string {
	if ck, err := c.Request.Cookie(evalReaderCookie); err == nil && len(ck.Value) == 32 {
		return ck.Value
	}
	if !create {
		return ""
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return ""
	}
	tok := hex.EncodeToString(b)
	http.SetCookie(c.Writer, &http.Cookie{Name: evalReaderCookie, Value: tok, Path: "/tickets/" + code + "/survey",
		MaxAge: 90 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	return tok
}

type answerPageData struct {
	Course   *courses.Course
	Reg      *courses.Registration
	Survey   *evaluation.Survey
	Index    int // the section shown, from 0
	Count    int
	Section  evaluation.Section
	Values   map[int64]string
	Done     bool
	Closed   string // why answers are not taken now ("" when they are)
	Ratings  []option
	ClosesAt string
	Hidden   bool // answered from another device: the answers are not shown here
}

// ticketSurvey loads the ticket's registration, course and survey for the answering pages.
func (s *Server) ticketSurvey(c *gin.Context) (*courses.Registration, *courses.Course, *evaluation.Survey, error) {
	reg, err := s.courses.FindRegistrationByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		return nil, nil, nil, err
	}
	course, err := s.courses.FindCourseByID(c.Request.Context(), reg.CourseID)
	if err != nil {
		return nil, nil, nil, err
	}
	sv, err := s.eval.FindSurveyByCourse(c.Request.Context(), course.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	if sv.Status == evaluation.Draft {
		return nil, nil, nil, errNotFound
	}
	return reg, course, sv, nil
}

func (s *Server) answerPage(c *gin.Context, status int, reg *courses.Registration, course *courses.Course,
	sv *evaluation.Survey, index int, values map[int64]string, hidden bool, fe map[string]string) error {
	lang := langOf(c)
	secs := sv.Sections()
	d := &answerPageData{Course: course, Reg: reg, Survey: sv, Count: len(secs), Values: values, Hidden: hidden}
	if sv.ClosesAt != nil {
		d.ClosesAt = s.when(lang, *sv.ClosesAt)
	}
	if err := s.eval.AcceptError(sv); err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			d.Closed = s.trMsg(lang, e.Msg)
		}
	} else if reg.Status != courses.RegConfirmed {
		d.Closed = s.tr(lang, "eval.err.not_trainee")
	}
	if index >= len(secs) {
		d.Done = true
	} else {
		if index < 0 {
			index = 0
		}
		d.Index, d.Section = index, secs[index]
	}
	for v := 1; v <= 5; v++ {
		d.Ratings = append(d.Ratings, option{Value: strconv.Itoa(v), Label: s.tr(lang, "eval.rating."+strconv.Itoa(v))})
	}
	c.Header("Cache-Control", "no-store")
	return s.render(c, status, "survey_answer", view{Title: s.tr(lang, "eval.answer.title"), Errors: fe, Data: d})
}

// handleTicketSurvey: GET /tickets/{code}/survey?s=N — section N of the survey, with the
// ticket holder's own answers filled in; ?s=done the end.
func (s *Server) handleTicketSurvey(c *gin.Context) error {
	reg, course, sv, err := s.ticketSurvey(c)
	if err != nil {
		return err
	}
	index := 0
	if v := c.Query("s"); v == "done" {
		index = 1 << 20
	} else if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		index = n
	}
	values := map[int64]string{}
	hidden := false
	if reg.Status == courses.RegConfirmed {
		var answered bool
		if values, answered, err = s.eval.MyAnswers(c.Request.Context(), sv.ID, reg.Code, s.surveyReader(c, reg.Code, false)); err != nil {
			return err
		}
		hidden = answered && len(values) == 0
	}
	return s.answerPage(c, http.StatusOK, reg, course, sv, index, values, hidden, nil)
}

// handleTicketSurveySubmit: POST /tickets/{code}/survey {s, a_QID…} — saves one section
// (corrections included) and goes on to the next.
func (s *Server) handleTicketSurveySubmit(c *gin.Context) error {
	reg, course, sv, err := s.ticketSurvey(c)
	if err != nil {
		return err
	}
	if err := s.evaluationLimit(c, reg.Code); err != nil {
		return err
	}
	evalBound(c)
	index, _ := strconv.Atoi(c.PostForm("s"))
	secs := sv.Sections()
	if index < 0 || index >= len(secs) {
		return errNotFound
	}
	reader := s.surveyReader(c, reg.Code, true)
	hidden := false
	if reg.Status == courses.RegConfirmed {
		mine, answered, err := s.eval.MyAnswers(c.Request.Context(), sv.ID, reg.Code, reader)
		if err != nil {
			return err
		}
		hidden = answered && len(mine) == 0
	}
	var answers []evaluation.AnswerInput
	values := map[int64]string{}
	for _, q := range secs[index].Questions {
		v := c.PostForm(fmt.Sprintf("a_%d", q.ID))
		values[q.ID] = v
		// An emptied open answer clears it — only where the earlier one was shown.
		if v != "" || (q.Kind == evaluation.Text && !hidden) {
			answers = append(answers, evaluation.AnswerInput{QuestionID: q.ID, Value: v})
		}
	}
	err = s.eval.Respond(c.Request.Context(), evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: reg.Code, Answers: answers, Reader: reader})
	if fe := s.fieldErrors(c, err); fe != nil {
		out := map[string]string{}
		for k, m := range fe {
			out[strings.Replace(k, "answers.", "a_", 1)] = m
		}
		return s.answerPage(c, http.StatusUnprocessableEntity, reg, course, sv, index, values, hidden, out)
	}
	switch errs.CodeOf(err) {
	case errs.Closed, errs.Forbidden:
		return s.answerPage(c, http.StatusConflict, reg, course, sv, index, values, hidden, nil)
	}
	if err != nil {
		return err
	}
	next := strconv.Itoa(index + 1)
	if index+1 >= len(secs) {
		next = "done"
	}
	return redirect(c, "/tickets/"+reg.Code+"/survey?s="+next)
}

// ticketEvaluation adds the survey and the test to the ticket page.
func (s *Server) ticketEvaluation(c *gin.Context, d *ticketData) error {
	if d.Reg.Status != courses.RegConfirmed {
		return nil
	}
	ctx := c.Request.Context()
	sv, err := s.eval.FindSurveyByCourse(ctx, d.Course.ID)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
	case err != nil:
		return err
	case sv.Accepting:
		d.SurveyOpen = true
		if d.SurveyDone, err = s.eval.HasResponded(ctx, sv.ID, d.Reg.ID); err != nil {
			return err
		}
	}
	if _, err := s.eval.FindTest(ctx, d.Course.ID); err == nil {
		if d.TestPhase, err = s.eval.TestPhase(ctx, d.Course.ID); err != nil {
			return err
		}
	}
	return nil
}
