package evaluation_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/errs"
	"taphuan/evaluation"
	"taphuan/vn"
)

type scene struct {
	t      *testing.T
	db     *database.DB
	cs     *courses.Service
	ev     *evaluation.Service
	org    *accounts.Organization
	course *courses.Course
	mods   []int64
	now    time.Time
}

// newScene: a two-day course (4–5/12/2023) with two modules and four sessions; the clock
// stands at 14:00 on the last day, after the last session started.
func newScene(t *testing.T, opts ...func(*courses.Course)) *scene {
	t.Helper()
	db := dbtest.New(t)
	sc := &scene{t: t, db: db, cs: courses.New(db)}
	sc.ev = evaluation.New(db, sc.cs)
	sc.now = time.Date(2023, 12, 5, 14, 0, 0, 0, vn.Location)
	sc.ev.SetClock(func() time.Time { return sc.now })
	sc.org = coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	sc.course = coursestest.Course(t, db, sc.org.ID, opts...)
	sc.mods = []int64{
		coursestest.Module(t, db, sc.course.ID, "Quy định về thông tin cơ sở", "TS. Nguyễn Văn An"),
		coursestest.Module(t, db, sc.course.ID, "Đài truyền thanh cấp xã", "ThS. Trần Thị Bình"),
	}
	coursestest.Day(t, db, sc.course.ID, "2023-12-04")
	coursestest.Day(t, db, sc.course.ID, "2023-12-05")
	return sc
}

func (sc *scene) trainee(name string) *courses.Registration {
	return coursestest.Registration(sc.t, sc.db, sc.course.ID, coursestest.Person{FullName: name}, courses.RegConfirmed)
}

// openSurvey creates and opens the course's survey.
func (sc *scene) openSurvey() *evaluation.Survey {
	sc.t.Helper()
	ctx := context.Background()
	sv, err := sc.ev.CreateSurvey(ctx, sc.course.ID)
	if err != nil {
		sc.t.Fatal(err)
	}
	open := evaluation.Open
	sv, err = sc.ev.UpdateSurvey(ctx, sv.ID, evaluation.SurveyPatch{Status: &open})
	if err != nil {
		sc.t.Fatal(err)
	}
	return sv
}

func question(t *testing.T, sv *evaluation.Survey, kind, textPrefix string) evaluation.Question {
	t.Helper()
	for _, q := range sv.Questions {
		if !q.Retired && q.Kind == kind && strings.HasPrefix(q.Text, textPrefix) {
			return q
		}
	}
	t.Fatalf("no %s question %q", kind, textPrefix)
	return evaluation.Question{}
}

func TestCreateSurveyFromDefaultWithModuleBlocks(t *testing.T) {
	sc := newScene(t)
	sv, err := sc.ev.CreateSurvey(context.Background(), sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sv.Status != evaluation.Draft {
		t.Errorf("status %q, want draft", sv.Status)
	}
	secs := sv.Sections()
	var titles []string
	for _, s := range secs {
		titles = append(titles, s.Title)
	}
	want := []string{"I. Nội dung chương trình và tính hữu ích", "II. Công tác tổ chức và cơ sở vật chất",
		"Chuyên đề 1: Quy định về thông tin cơ sở — TS. Nguyễn Văn An",
		"Chuyên đề 2: Đài truyền thanh cấp xã — ThS. Trần Thị Bình", "Ý kiến khác"}
	if got := strings.Join(titles, " | "); got != strings.Join(want, " | ") {
		t.Errorf("sections\n got %s\nwant %s", got, strings.Join(want, " | "))
	}
	if n := len(secs[2].Questions); n != 4 || secs[2].Questions[0].Lecturer != "TS. Nguyễn Văn An" ||
		secs[2].Questions[0].Module == nil || *secs[2].Questions[0].Module != sc.mods[0] {
		t.Errorf("module block: %d questions, first %+v", n, secs[2].Questions[0])
	}
	// Opens at the start of the last session (13:30 on 5/12), closes 7 days later.
	if want := time.Date(2023, 12, 5, 13, 30, 0, 0, vn.Location); sv.OpensAt == nil || !sv.OpensAt.Equal(want) {
		t.Errorf("opens at %v, want %v", sv.OpensAt, want)
	}
	if want := time.Date(2023, 12, 12, 13, 30, 0, 0, vn.Location); sv.ClosesAt == nil || !sv.ClosesAt.Equal(want) {
		t.Errorf("closes at %v, want %v", sv.ClosesAt, want)
	}
	if _, err := sc.ev.CreateSurvey(context.Background(), sc.course.ID); !errors.Is(err, evaluation.ErrExists) {
		t.Errorf("second survey: %v, want ErrExists", err)
	}

	// The next course of the organization starts from this one's general questions.
	ctx := context.Background()
	qs := []evaluation.QuestionInput{}
	for _, q := range sv.Questions {
		if q.Module == nil {
			qs = append(qs, q.Input())
		}
	}
	qs[0].Text = "Chương trình sát với nhiệm vụ của đơn vị"
	if _, err := sc.ev.UpdateSurvey(ctx, sv.ID, evaluation.SurveyPatch{Questions: &qs}); err != nil {
		t.Fatal(err)
	}
	c2 := coursestest.Course(t, sc.db, sc.org.ID)
	sv2, err := sc.ev.CreateSurvey(ctx, c2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := sv2.Questions[0].Text; got != "Chương trình sát với nhiệm vụ của đơn vị" {
		t.Errorf("template's first question %q", got)
	}
}

func TestEditAfterFirstAnswerMakesNewQuestion(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	sv := sc.openSurvey()
	q := question(t, sv, evaluation.Rating, "Nội dung chương trình")
	other := question(t, sv, evaluation.Rating, "Tài liệu")
	// Before any answer an edit changes the question in place.
	in := []evaluation.QuestionInput{}
	for _, x := range sv.Questions {
		in = append(in, x.Input())
	}
	in[0].Text = "Nội dung chương trình phù hợp"
	sv, err := sc.ev.UpdateSurvey(ctx, sv.ID, evaluation.SurveyPatch{Questions: &in})
	if err != nil {
		t.Fatal(err)
	}
	if sv.Questions[0].ID != q.ID || sv.Questions[0].Text != "Nội dung chương trình phù hợp" {
		t.Fatalf("edit before answers: %+v", sv.Questions[0])
	}
	reg := sc.trainee("Nguyễn Thị Hải Yến")
	if err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: reg.Code, Reader: "phone",
		Answers: []evaluation.AnswerInput{{QuestionID: q.ID, Value: "4"}}}); err != nil {
		t.Fatal(err)
	}
	in[0].Text = "Nội dung rất khác"
	in[1].Section = "I. Nội dung" // a new heading does not change the meaning
	in[1].Section = other.Section
	sv, err = sc.ev.UpdateSurvey(ctx, sv.ID, evaluation.SurveyPatch{Questions: &in})
	if err != nil {
		t.Fatal(err)
	}
	live := question(t, sv, evaluation.Rating, "Nội dung rất khác")
	if live.ID == q.ID {
		t.Fatal("an answered question was changed in place")
	}
	res, err := sc.ev.Results(ctx, sv.ID, evaluation.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Questions {
		if r.ID == q.ID && (!r.Retired || r.Text != "Nội dung chương trình phù hợp" || r.Count != 1) {
			t.Errorf("the old question in the results: %+v", r)
		}
		if r.ID == live.ID && r.Count != 0 {
			t.Errorf("the new question has %d answers, want 0", r.Count)
		}
	}
	// The trainee's old answer is not carried to the new wording.
	mine, _, _ := sc.ev.MyAnswers(ctx, sv.ID, reg.Code, "phone")
	if mine[q.ID] != "4" {
		t.Errorf("the answer to the retired question is %q, want 4", mine[q.ID])
	}
	if _, ok := mine[live.ID]; ok {
		t.Error("the old answer shows under the new question")
	}
}

func TestRespondBadInput(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	sv := sc.openSurvey()
	rating := question(t, sv, evaluation.Rating, "Nội dung chương trình")
	choice := question(t, sv, evaluation.Choice, "Thời lượng")
	reg := sc.trainee("Nguyễn Thị Hải Yến")

	// Another course's survey and question.
	c2 := coursestest.Course(t, sc.db, sc.org.ID)
	coursestest.Day(t, sc.db, c2.ID, "2023-12-05")
	sv2, _ := sc.ev.CreateSurvey(ctx, c2.ID)
	foreign := sv2.Questions[0]
	reg2 := coursestest.Registration(t, sc.db, c2.ID, coursestest.Person{FullName: "Lê Văn Tám"}, courses.RegConfirmed)

	cases := []struct {
		name  string
		code  string
		ans   []evaluation.AnswerInput
		field string
		key   string
	}{
		{"rating 6", reg.Code, []evaluation.AnswerInput{{QuestionID: rating.ID, Value: "6"}}, fmt.Sprintf("answers.%d", rating.ID), "eval.err.rating"},
		{"rating 0", reg.Code, []evaluation.AnswerInput{{QuestionID: rating.ID, Value: "0"}}, fmt.Sprintf("answers.%d", rating.ID), "eval.err.rating"},
		{"rating text", reg.Code, []evaluation.AnswerInput{{QuestionID: rating.ID, Value: "tốt"}}, fmt.Sprintf("answers.%d", rating.ID), "eval.err.rating"},
		{"choice 4 of 3", reg.Code, []evaluation.AnswerInput{{QuestionID: choice.ID, Value: "4"}}, fmt.Sprintf("answers.%d", choice.ID), "eval.err.choice"},
		{"another course's question", reg.Code, []evaluation.AnswerInput{{QuestionID: foreign.ID, Value: "3"}}, "answers.0", "eval.err.foreign_question"},
		{"another course's ticket", reg2.Code, []evaluation.AnswerInput{{QuestionID: rating.ID, Value: "3"}}, "ticket_code", "eval.err.ticket_course"},
		{"unknown ticket", "khong-co", []evaluation.AnswerInput{{QuestionID: rating.ID, Value: "3"}}, "ticket_code", "eval.err.ticket"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: c.code, Answers: c.ans})
			var e *errs.Error
			if !errors.As(err, &e) || e.Code != errs.Invalid || e.Fields[c.field].Key != c.key {
				t.Fatalf("got %v, want %s on %s", err, c.key, c.field)
			}
		})
	}
	res, _ := sc.ev.Results(ctx, sv.ID, evaluation.ResultsFilter{})
	if res.Responses != 0 {
		t.Errorf("%d responses stored after refused input", res.Responses)
	}

	// Choices by their text are accepted too.
	if err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: reg.Code, Reader: "phone",
		Answers: []evaluation.AnswerInput{{QuestionID: choice.ID, Value: "Phù hợp"}}}); err != nil {
		t.Fatal(err)
	}
	if mine, _, _ := sc.ev.MyAnswers(ctx, sv.ID, reg.Code, "phone"); mine[choice.ID] != "2" {
		t.Errorf("choice by text stored as %q, want 2", mine[choice.ID])
	}

	// Not yet open; closed after N days; a cancelled trainee.
	t.Run("ErrNotOpen", func(t *testing.T) {
		sc.now = time.Date(2023, 12, 5, 13, 0, 0, 0, vn.Location)
		defer func() { sc.now = time.Date(2023, 12, 5, 14, 0, 0, 0, vn.Location) }()
		err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: reg.Code,
			Answers: []evaluation.AnswerInput{{QuestionID: rating.ID, Value: "3"}}})
		if !errors.Is(err, evaluation.ErrNotOpen) {
			t.Errorf("before the last session: %v", err)
		}
	})
	t.Run("ErrClosed", func(t *testing.T) {
		sc.now = time.Date(2023, 12, 12, 13, 30, 0, 0, vn.Location)
		defer func() { sc.now = time.Date(2023, 12, 5, 14, 0, 0, 0, vn.Location) }()
		err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: reg.Code,
			Answers: []evaluation.AnswerInput{{QuestionID: rating.ID, Value: "3"}}})
		if !errors.Is(err, evaluation.ErrClosed) {
			t.Errorf("7 days after: %v", err)
		}
		if got, _ := sc.ev.FindSurvey(ctx, sv.ID); got.Status != evaluation.Closed {
			t.Errorf("status %q after closing", got.Status)
		}
	})
	t.Run("ErrNotTrainee", func(t *testing.T) {
		w := coursestest.Registration(t, sc.db, sc.course.ID, coursestest.Person{FullName: "Hồ Văn Chờ"}, courses.RegWaitlisted)
		err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: w.Code,
			Answers: []evaluation.AnswerInput{{QuestionID: rating.ID, Value: "3"}}})
		if !errors.Is(err, evaluation.ErrNotTrainee) {
			t.Errorf("waitlisted: %v", err)
		}
	})
	t.Run("draft", func(t *testing.T) {
		err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv2.ID, TicketCode: reg2.Code,
			Answers: []evaluation.AnswerInput{{QuestionID: foreign.ID, Value: "3"}}})
		if !errors.Is(err, evaluation.ErrNotOpen) {
			t.Errorf("draft survey: %v", err)
		}
	})
}

// TestOneResponsePerRegistrationUnderConcurrency: 30 submits of one ticket at once, and
// of 10 tickets 5 each, leave one response per registration.
func TestOneResponsePerRegistrationUnderConcurrency(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	sv := sc.openSurvey()
	q := question(t, sv, evaluation.Rating, "Nội dung chương trình")
	var regs []*courses.Registration
	for i := 0; i < 10; i++ {
		regs = append(regs, sc.trainee(fmt.Sprintf("Nguyễn Văn Số %d", i)))
	}
	var wg sync.WaitGroup
	errc := make(chan error, 100)
	submit := func(code string, v int) {
		defer wg.Done()
		errc <- sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: code, Replace: true,
			Answers: []evaluation.AnswerInput{{QuestionID: q.ID, Value: fmt.Sprint(v)}}})
	}
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go submit(regs[0].Code, 1+i%5)
	}
	for _, r := range regs[1:] {
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go submit(r.Code, 3)
		}
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	res, err := sc.ev.Results(ctx, sv.ID, evaluation.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Responses != 10 {
		t.Errorf("%d responses, want 10 (one per registration)", res.Responses)
	}
	var respondents, answers int
	sc.db.R.Get(&respondents, `SELECT COUNT(*) FROM survey_respondents WHERE survey_id = ?`, sv.ID)
	sc.db.R.Get(&answers, `SELECT COUNT(*) FROM survey_answers WHERE question_id = ?`, q.ID)
	if respondents != 10 || answers != 10 {
		t.Errorf("%d respondents, %d answers; want 10 and 10", respondents, answers)
	}
}

// TestAnonymity: nothing the package gives organizers — results, their JSON — and nothing
// in the response tables holds a registration, a ticket code or a time; the only link is
// the HMAC under the survey's secret.
func TestAnonymity(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	sv := sc.openSurvey()
	open := question(t, sv, evaluation.Text, "Đề xuất")
	reg := sc.trainee("Nguyễn Thị Hải Yến")
	if err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: reg.Code, Reader: "token-of-her-phone",
		Answers: []evaluation.AnswerInput{{QuestionID: open.ID, Value: "Cần thêm thời gian thực hành"}}}); err != nil {
		t.Fatal(err)
	}
	// The response tables: no column names a registration, a person or a ticket, and no
	// value equals the ticket code or the registration id.
	for _, table := range []string{"survey_responses", "survey_answers"} {
		rows, err := sc.db.R.Queryx(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for _, c := range cols {
			if strings.Contains(c, "registration") || strings.Contains(c, "person") || strings.Contains(c, "ticket") ||
				strings.HasSuffix(c, "_at") {
				t.Errorf("%s has a column %s", table, c)
			}
		}
		for rows.Next() {
			m := map[string]any{}
			if err := rows.MapScan(m); err != nil {
				t.Fatal(err)
			}
			for c, v := range m {
				s := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				if s == reg.Code || strings.Contains(s, reg.Code) || (c != "survey_id" && c != "question_id" && c != "value" && c != "paper" && s == fmt.Sprint(reg.ID)) {
					t.Errorf("%s.%s holds %q, which names the trainee", table, c, s)
				}
			}
		}
		rows.Close()
	}
	// The respondents table has no time, no row order and no response id.
	rows, err := sc.db.R.Queryx(`SELECT * FROM survey_respondents WHERE 0 = 1`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	rows.Close()
	if strings.Join(cols, ",") != "survey_id,registration_id" {
		t.Errorf("survey_respondents columns %v", cols)
	}
	res, err := sc.ev.Results(ctx, sv.ID, evaluation.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	dump := fmt.Sprintf("%+v", *res)
	for _, leak := range []string{reg.Code, reg.FullName, reg.Phone} {
		if strings.Contains(dump, leak) {
			t.Errorf("results hold %q", leak)
		}
	}
	// The ticket still finds its own answer — on the phone that answered; someone else who
	// knows the ticket code (an organizer) learns only that there is a response.
	mine, answered, err := sc.ev.MyAnswers(ctx, sv.ID, reg.Code, "token-of-her-phone")
	if err != nil || !answered || mine[open.ID] != "Cần thêm thời gian thực hành" {
		t.Errorf("MyAnswers = %v, %v, %v", mine, answered, err)
	}
	for _, reader := range []string{"", "another-device"} {
		if mine, answered, err := sc.ev.MyAnswers(ctx, sv.ID, reg.Code, reader); err != nil || !answered || len(mine) != 0 {
			t.Errorf("MyAnswers from %q = %v, %v, %v; want nothing shown", reader, mine, answered, err)
		}
	}
	// A correction from another device does not make it a reader.
	if err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: reg.Code, Reader: "another-device",
		Answers: []evaluation.AnswerInput{{QuestionID: open.ID, Value: "Sửa lại"}}}); err != nil {
		t.Fatal(err)
	}
	if mine, _, _ := sc.ev.MyAnswers(ctx, sv.ID, reg.Code, "another-device"); len(mine) != 0 {
		t.Errorf("another device reads %v after correcting", mine)
	}
	if done, _ := sc.ev.HasResponded(ctx, sv.ID, reg.ID); !done {
		t.Error("HasResponded false after answering")
	}
}

// TestResultsArithmetic on known answers: ratings 5,4,4,3,1 (+ a paper form 2) give
// count 6, mean 19/6, the distribution {1:1, 2:1, 3:1, 4:2, 5:1}; 6 of 8 invited.
func TestResultsArithmetic(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	sv := sc.openSurvey()
	q := question(t, sv, evaluation.Rating, "Nội dung chương trình")
	choice := question(t, sv, evaluation.Choice, "Thời lượng")
	open := question(t, sv, evaluation.Text, "Đề xuất")
	lect := question(t, sv, evaluation.Rating, "Kiến thức chuyên môn")
	values := []string{"5", "4", "4", "3", "1"}
	texts := []string{"Cần thêm thời gian thực hành", "", "<script>alert(1)</script>", "Tài liệu in rõ hơn", ""}
	for i, v := range values {
		r := sc.trainee(fmt.Sprintf("Trần Văn Học %d", i))
		ans := []evaluation.AnswerInput{{QuestionID: q.ID, Value: v}, {QuestionID: choice.ID, Value: fmt.Sprint(1 + i%2)},
			{QuestionID: open.ID, Value: texts[i]}, {QuestionID: lect.ID, Value: v}}
		if err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: r.Code, Answers: ans}); err != nil {
			t.Fatal(err)
		}
	}
	sc.trainee("Không Trả Lời")
	sc.trainee("Không Trả Lời Hai")
	if err := sc.ev.AddPaper(ctx, evaluation.PaperInput{SurveyID: sv.ID,
		Answers: []evaluation.AnswerInput{{QuestionID: q.ID, Value: "2"}}}); err != nil {
		t.Fatal(err)
	}
	res, err := sc.ev.Results(ctx, sv.ID, evaluation.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Responses != 6 || res.Paper != 1 || res.Invited != 7 {
		t.Errorf("responses %d paper %d invited %d, want 6, 1, 7", res.Responses, res.Paper, res.Invited)
	}
	if got, want := res.Rate(), 600.0/7; math.Abs(got-want) > 1e-9 {
		t.Errorf("rate %v, want %v", got, want)
	}
	for _, r := range res.Questions {
		switch r.ID {
		case q.ID:
			if r.Count != 6 || r.Mean == nil || math.Abs(*r.Mean-19.0/6) > 1e-9 {
				t.Errorf("rating: count %d mean %v, want 6 and 19/6", r.Count, r.Mean)
			}
			if got := fmt.Sprint(r.Counts); got != "map[1:1 2:1 3:1 4:2 5:1]" {
				t.Errorf("distribution %s", got)
			}
			lv := r.Levels()
			if len(lv) != 5 || lv[3].Count != 2 || math.Abs(lv[3].Percent-100.0/3) > 1e-9 {
				t.Errorf("levels %+v", lv)
			}
		case choice.ID:
			if r.Count != 5 || r.Counts["1"] != 3 || r.Counts["2"] != 2 || r.Mean != nil {
				t.Errorf("choice: %+v", r)
			}
		case open.ID:
			if r.Count != 3 || len(r.Answers) != 3 {
				t.Errorf("open answers: count %d, %q", r.Count, r.Answers)
			}
		}
	}
	// The course's summary for its results report: all ratings of live questions.
	sum, ok, err := sc.ev.CourseSummary(ctx, sc.course.ID)
	if err != nil || !ok || sum.Responses != 6 || sum.Invited != 7 || sum.Ratings != 11 ||
		math.Abs(sum.Mean-(19.0+17)/11) > 1e-9 {
		t.Errorf("summary %+v %v %v, want 11 ratings of mean 36/11", sum, ok, err)
	}
	// Open answers are searchable without diacritics.
	res, _ = sc.ev.Results(ctx, sv.ID, evaluation.ResultsFilter{Query: "thuc hanh"})
	for _, r := range res.Questions {
		if r.ID == open.ID && (len(r.Answers) != 1 || r.Answers[0] != "Cần thêm thời gian thực hành") {
			t.Errorf("search: %q", r.Answers)
		}
	}
	// Per lecturer, across courses: a second course with the same lecturer (written
	// without the title's dot) adds its ratings.
	c2 := coursestest.Course(t, sc.db, sc.org.ID, func(c *courses.Course) { c.StartsOn, c.EndsOn = "2024-03-04", "2024-03-04" })
	coursestest.Module(t, sc.db, c2.ID, "Kỹ năng viết tin", "TS. Nguyễn Văn An")
	coursestest.Day(t, sc.db, c2.ID, "2023-12-05")
	sv2, _ := sc.ev.CreateSurvey(ctx, c2.ID)
	st := evaluation.Open
	sv2, _ = sc.ev.UpdateSurvey(ctx, sv2.ID, evaluation.SurveyPatch{Status: &st})
	l2 := question(t, sv2, evaluation.Rating, "Kiến thức chuyên môn")
	r2 := coursestest.Registration(t, sc.db, c2.ID, coursestest.Person{FullName: "Lê Thị Mới"}, courses.RegConfirmed)
	if err := sc.ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv2.ID, TicketCode: r2.Code,
		Answers: []evaluation.AnswerInput{{QuestionID: l2.ID, Value: "5"}}}); err != nil {
		t.Fatal(err)
	}
	lr, err := sc.ev.LecturerResults(ctx, evaluation.LecturerFilter{Courses: courses.CourseFilter{OrgIDs: []int64{sc.org.ID}}, Lecturer: "nguyen van an"})
	if err != nil {
		t.Fatal(err)
	}
	// 5,4,4,3,1 in the first course and 5 in the second: 22/6 over 2 courses.
	if len(lr) != 1 || lr[0].Courses != 2 || lr[0].Count != 6 || math.Abs(lr[0].Mean-22.0/6) > 1e-9 {
		t.Errorf("lecturer results %+v", lr)
	}
	lr, _ = sc.ev.LecturerResults(ctx, evaluation.LecturerFilter{Courses: courses.CourseFilter{OrgIDs: []int64{sc.org.ID}, From: "2024-01-01"}})
	if len(lr) != 1 || lr[0].Count != 1 {
		t.Errorf("lecturer results of 2024: %+v", lr)
	}
}

// TestCertificatePostTestMinimum: with a minimum of 60% on a five-question post-test,
// 3 right (exactly 60%) passes, 2 right fails, no post-test fails; the eligibility
// preview says so.
func TestCertificatePostTestMinimum(t *testing.T) {
	sc := newScene(t, func(c *courses.Course) { c.MinAttendancePercent = 0 })
	ctx := context.Background()
	in := evaluation.TestInput{MinPostPercent: 60}
	for i := 0; i < 5; i++ {
		in.Questions = append(in.Questions, evaluation.TestQuestionInput{Text: fmt.Sprintf("Câu %d", i+1),
			Options: []string{"A", "B", "C"}, Correct: 2})
	}
	test, err := sc.ev.SetTest(ctx, sc.course.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	answers := func(right int) map[int64]string {
		m := map[int64]string{}
		for i, q := range test.Questions {
			if i < right {
				m[q.ID] = "2"
			} else {
				m[q.ID] = "1"
			}
		}
		return m
	}
	exact, below, none, pre := sc.trainee("Đúng Ba Câu"), sc.trainee("Đúng Hai Câu"), sc.trainee("Không Làm Bài"), sc.trainee("Có Bài Trước")
	// Pre-test before the first session.
	sc.now = time.Date(2023, 12, 4, 7, 0, 0, 0, vn.Location)
	if _, err := sc.ev.TakeTest(ctx, evaluation.TestAnswers{CourseID: sc.course.ID, TicketCode: pre.Code, Answers: answers(1)}); err != nil {
		t.Fatal(err)
	}
	sc.now = time.Date(2023, 12, 4, 9, 0, 0, 0, vn.Location)
	if _, err := sc.ev.TakeTest(ctx, evaluation.TestAnswers{CourseID: sc.course.ID, TicketCode: exact.Code, Answers: answers(3)}); !errors.Is(err, evaluation.ErrTestNotNow) {
		t.Errorf("during the course: %v, want ErrTestNotNow", err)
	}
	sc.now = time.Date(2023, 12, 5, 16, 0, 0, 0, vn.Location)
	for _, c := range []struct {
		r     *courses.Registration
		right int
	}{{exact, 3}, {below, 2}, {pre, 5}} {
		if _, err := sc.ev.TakeTest(ctx, evaluation.TestAnswers{CourseID: sc.course.ID, TicketCode: c.r.Code, Answers: answers(c.right)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sc.ev.TakeTest(ctx, evaluation.TestAnswers{CourseID: sc.course.ID, TicketCode: below.Code, Answers: answers(5)}); !errors.Is(err, evaluation.ErrTestTaken) {
		t.Errorf("second post-test: %v, want ErrTestTaken", err)
	}
	bad := answers(5)
	bad[test.Questions[0].ID] = "4"
	if _, err := sc.ev.TakeTest(ctx, evaluation.TestAnswers{CourseID: sc.course.ID, TicketCode: none.Code, Answers: bad}); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("answer 4 of 3: %v, want invalid", err)
	}

	tr, err := sc.ev.TestResultsOf(ctx, sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Only "Có Bài Trước" has both: 20% → 100%, a gain of 80 points.
	if tr.AverageGain == nil || math.Abs(*tr.AverageGain-80) > 1e-9 {
		t.Errorf("average gain %v, want 80", tr.AverageGain)
	}
	if tr.PostMean == nil || math.Abs(*tr.PostMean-(60+40+100)/3.0) > 1e-9 {
		t.Errorf("post mean %v", tr.PostMean)
	}

	att := attendance.New(sc.db, sc.cs)
	certs := certificates.New(sc.db, sc.cs, att, accounts.New(sc.db))
	certs.SetTestRule(sc.ev)
	p, err := certs.Eligibility(ctx, sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.MinPostTest != 60 {
		t.Errorf("MinPostTest %d", p.MinPostTest)
	}
	want := map[int64]bool{exact.ID: true, below.ID: false, none.ID: false, pre.ID: true}
	for _, row := range p.Rows {
		if row.Eligible != want[row.RegistrationID] {
			t.Errorf("%s eligible %v, reasons %v", row.FullName, row.Eligible, row.Reasons)
		}
		if !row.Eligible && (len(row.Reasons) != 1 || row.Reasons[0] != certificates.ReasonPostTest) {
			t.Errorf("%s reasons %v, want post_test", row.FullName, row.Reasons)
		}
	}
	// At 61% the three right answers no longer pass.
	in.MinPostPercent = 61
	if _, err := sc.ev.SetTest(ctx, sc.course.ID, in); err != nil {
		t.Fatal(err)
	}
	p, _ = certs.Eligibility(ctx, sc.course.ID)
	for _, row := range p.Rows {
		if row.RegistrationID == exact.ID && row.Eligible {
			t.Error("3 of 5 passes a minimum of 61%")
		}
	}
	// The questions cannot change once taken; the minimum can.
	in.Questions[0].Text = "Câu khác"
	if _, err := sc.ev.SetTest(ctx, sc.course.ID, in); !errors.Is(err, evaluation.ErrTestTaken) {
		t.Errorf("changing a taken test: %v", err)
	}
}
