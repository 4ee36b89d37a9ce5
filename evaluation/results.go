package evaluation

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/vn"
)

// Results are the figures of a survey — never who answered what: no registration, no
// ticket, no time is in them, and the open answers come in the order of the random ids.
type Results struct {
	SurveyID  int64            `json:"survey_id"`
	Responses int              `json:"responses"` // all responses, paper included
	Paper     int              `json:"paper"`
	Invited   int              `json:"invited"` // confirmed trainees of the course
	Questions []QuestionResult `json:"questions"`
}

// Rate is the response rate in percent (0 when nobody was invited).
func (r *Results) Rate() float64 {
	if r.Invited == 0 {
		return 0
	}
	return float64(r.Responses) * 100 / float64(r.Invited)
}

// QuestionResult is one question's figures. Counts maps the value ("1"…"5" for a rating,
// the option's number for a choice) to how many gave it; Mean is the mean rating.
type QuestionResult struct {
	ID       int64          `json:"id"`
	Section  string         `json:"section"`
	Kind     string         `json:"kind"`
	Text     string         `json:"text"`
	Options  []string       `json:"options"`
	Lecturer string         `json:"lecturer,omitempty"`
	Retired  bool           `json:"retired"`
	Count    int            `json:"count"`
	Mean     *float64       `json:"mean"`
	Counts   map[string]int `json:"counts"`
	Answers  []string       `json:"answers"`
}

// Levels returns the values 1..n of a rating or choice with their counts, for drawing.
func (q *QuestionResult) Levels() []Level {
	n := 5
	if q.Kind == Choice {
		n = len(q.Options)
	}
	out := make([]Level, n)
	for i := range out {
		v := strconv.Itoa(i + 1)
		out[i] = Level{Value: i + 1, Count: q.Counts[v]}
		if q.Kind == Choice {
			out[i].Label = q.Options[i]
		}
		if q.Count > 0 {
			out[i].Percent = float64(out[i].Count) * 100 / float64(q.Count)
		}
	}
	return out
}

// Level is one value of a question's distribution.
type Level struct {
	Value   int
	Label   string // a choice's text ("" for a rating: the page names the point)
	Count   int
	Percent float64
}

// ResultsFilter narrows the open answers: Query matches them without diacritics.
type ResultsFilter struct {
	Query string
}

// Results computes the figures of survey id. A retired question (edited after answers
// arrived) is kept with its own answers, after the live ones.
func (s *Service) Results(ctx context.Context, id int64, f ResultsFilter) (*Results, error) {
	sv, err := s.FindSurvey(ctx, id)
	if err != nil {
		return nil, err
	}
	res := &Results{SurveyID: sv.ID, Questions: []QuestionResult{}}
	res.Responses, err = s.countResponses(ctx, id)
	if err == nil {
		err = s.db.R.GetContext(ctx, &res.Paper, `SELECT COUNT(*) FROM survey_responses WHERE survey_id = ? AND paper = 1`, id)
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation: results of %d: %w", id, err)
	}
	_, res.Invited, err = s.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: sv.CourseID,
		Statuses: []string{courses.RegConfirmed}, Limit: 1})
	if err != nil {
		return nil, err
	}
	counts := []struct {
		QuestionID int64 `db:"question_id"`
		Value      int64 `db:"value"`
		N          int   `db:"n"`
	}{}
	err = s.db.R.SelectContext(ctx, &counts, `SELECT a.question_id, a.value, COUNT(*) AS n
		FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id
		WHERE q.survey_id = ? AND a.value IS NOT NULL GROUP BY a.question_id, a.value`, id)
	if err != nil {
		return nil, fmt.Errorf("evaluation: results of %d: %w", id, err)
	}
	texts := []struct {
		QuestionID int64  `db:"question_id"`
		Text       string `db:"text"`
	}{}
	err = s.db.R.SelectContext(ctx, &texts, `SELECT a.question_id, a.text
		FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id
		WHERE q.survey_id = ? AND q.kind = 'text' AND a.text <> '' ORDER BY a.response_id`, id)
	if err != nil {
		return nil, fmt.Errorf("evaluation: results of %d: %w", id, err)
	}
	byQ := map[int64]*QuestionResult{}
	for _, q := range sv.Questions {
		res.Questions = append(res.Questions, QuestionResult{ID: q.ID, Section: q.Section, Kind: q.Kind, Text: q.Text,
			Options: q.Options, Lecturer: q.Lecturer, Retired: q.Retired, Counts: map[string]int{}, Answers: []string{}})
	}
	for i := range res.Questions {
		byQ[res.Questions[i].ID] = &res.Questions[i]
	}
	sums := map[int64]int64{}
	for _, c := range counts {
		q := byQ[c.QuestionID]
		q.Counts[strconv.FormatInt(c.Value, 10)] += c.N
		q.Count += c.N
		sums[c.QuestionID] += c.Value * int64(c.N)
	}
	fq := vn.Fold(f.Query)
	for _, t := range texts {
		q := byQ[t.QuestionID]
		q.Count++
		if fq == "" || strings.Contains(vn.Fold(t.Text), fq) {
			q.Answers = append(q.Answers, t.Text)
		}
	}
	for i := range res.Questions {
		q := &res.Questions[i]
		if q.Kind == Rating && q.Count > 0 {
			m := float64(sums[q.ID]) / float64(q.Count)
			q.Mean = &m
		}
	}
	return res, nil
}

// LecturerFilter selects the courses whose module blocks are counted.
type LecturerFilter struct {
	Courses  courses.CourseFilter // the organizations and the period (From, To)
	Lecturer string               // words of the name without diacritics; "" all
}

// LecturerResult is one lecturer's ratings over the courses of the filter.
type LecturerResult struct {
	Lecturer string          `json:"lecturer"`
	Courses  int             `json:"courses"`
	Count    int             `json:"count"` // ratings given
	Mean     float64         `json:"mean"`
	Criteria []CriterionMean `json:"criteria"`
}

// CriterionMean is the mean of one criterion (question text) for a lecturer.
type CriterionMean struct {
	Text  string  `json:"text"`
	Count int     `json:"count"`
	Mean  float64 `json:"mean"`
}

// LecturerResults gathers the ratings of the module blocks by lecturer (the name as it was
// when the block was made, compared without diacritics or case), across all courses of the
// filter and their periods; best mean first.
func (s *Service) LecturerResults(ctx context.Context, f LecturerFilter) ([]LecturerResult, error) {
	cf := f.Courses
	cf.Limit, cf.Offset = 0, 0
	list, _, err := s.courses.ListCourses(ctx, cf)
	if err != nil {
		return nil, err
	}
	out := []LecturerResult{}
	if len(list) == 0 {
		return out, nil
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	q, args, err := sqlx.In(`SELECT q.lecturer, q.text, sv.course_id, a.value
		FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id JOIN surveys sv ON sv.id = q.survey_id
		WHERE sv.course_id IN (?) AND q.kind = 'rating' AND q.lecturer <> '' AND a.value IS NOT NULL`, ids)
	if err != nil {
		return nil, fmt.Errorf("evaluation: lecturers: %w", err)
	}
	rows := []struct {
		Lecturer string        `db:"lecturer"`
		Text     string        `db:"text"`
		CourseID int64         `db:"course_id"`
		Value    sql.NullInt64 `db:"value"`
	}{}
	if err := s.db.R.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("evaluation: lecturers: %w", err)
	}
	type acc struct {
		res      LecturerResult
		sum      int64
		courses  map[int64]bool
		criteria map[string]*[2]int64 // count, sum
		order    []string
	}
	by := map[string]*acc{}
	var keys []string
	want := vn.Fold(f.Lecturer)
	for _, r := range rows {
		k := vn.Fold(r.Lecturer)
		if want != "" && !strings.Contains(k, want) {
			continue
		}
		a := by[k]
		if a == nil {
			a = &acc{res: LecturerResult{Lecturer: r.Lecturer}, courses: map[int64]bool{}, criteria: map[string]*[2]int64{}}
			by[k] = a
			keys = append(keys, k)
		}
		a.courses[r.CourseID] = true
		a.res.Count++
		a.sum += r.Value.Int64
		c := a.criteria[r.Text]
		if c == nil {
			c = &[2]int64{}
			a.criteria[r.Text] = c
			a.order = append(a.order, r.Text)
		}
		c[0]++
		c[1] += r.Value.Int64
	}
	for _, k := range keys {
		a := by[k]
		a.res.Courses = len(a.courses)
		a.res.Mean = float64(a.sum) / float64(a.res.Count)
		for _, t := range a.order {
			c := a.criteria[t]
			a.res.Criteria = append(a.res.Criteria, CriterionMean{Text: t, Count: int(c[0]), Mean: float64(c[1]) / float64(c[0])})
		}
		out = append(out, a.res)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Mean != out[j].Mean {
			return out[i].Mean > out[j].Mean
		}
		return vn.CompareNames(out[i].Lecturer, out[j].Lecturer) < 0
	})
	return out, nil
}

// Summary is the survey's figures in a few numbers, for the course's results report
// (documents): responses of invited, and the mean of all ratings. ok is false when the
// course has no survey.
type Summary struct {
	Responses int
	Invited   int
	Mean      float64 // over every rating answer of the live questions; 0 when none
	Ratings   int
}

// CourseSummary returns the Summary of a course's survey.
func (s *Service) CourseSummary(ctx context.Context, courseID int64) (sum Summary, ok bool, err error) {
	sv, err := s.FindSurveyByCourse(ctx, courseID)
	if errs.CodeOf(err) == errs.NotFound {
		return Summary{}, false, nil
	}
	if err != nil {
		return Summary{}, false, err
	}
	res, err := s.Results(ctx, sv.ID, ResultsFilter{})
	if err != nil {
		return Summary{}, false, err
	}
	sum.Responses, sum.Invited = res.Responses, res.Invited
	var total float64
	for _, q := range res.Questions {
		if q.Kind == Rating && !q.Retired && q.Mean != nil {
			total += *q.Mean * float64(q.Count)
			sum.Ratings += q.Count
		}
	}
	if sum.Ratings > 0 {
		sum.Mean = total / float64(sum.Ratings)
	}
	return sum, true, nil
}
