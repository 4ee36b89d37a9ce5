package evaluation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"

	"github.com/jmoiron/sqlx"
)

// Test phases: before the first session and from the start of the last one.
const (
	Pre  = "pre"
	Post = "post"
)

// KnowledgeTest is a course's optional multiple-choice test (the same form before and
// after). The correct answers never leave through the trainees' pages.
type KnowledgeTest struct {
	ID             int64               `db:"id" json:"id"`
	CourseID       int64               `db:"course_id" json:"course_id"`
	MinPostPercent int                 `db:"min_post_percent" json:"min_post_percent"`
	CreatedAt      database.Time       `db:"created_at" json:"created_at"`
	Questions      []KnowledgeQuestion `db:"-" json:"questions"`
}

// KnowledgeQuestion is one multiple-choice question; Correct counts the options from 1.
type KnowledgeQuestion struct {
	ID       int64    `db:"id" json:"id"`
	TestID   int64    `db:"test_id" json:"-"`
	Position int      `db:"position" json:"position"`
	Text     string   `db:"text" json:"text"`
	OptJSON  string   `db:"options" json:"-"`
	Correct  int      `db:"correct" json:"correct"`
	Options  []string `db:"-" json:"options"`
}

// TestInput sets a course's test: its questions (the whole list) and the minimum post-test
// percent for the certificate (0: no such rule).
type TestInput struct {
	MinPostPercent int
	Questions      []TestQuestionInput
}

// TestQuestionInput is a question as an organizer writes it; Correct from 1.
type TestQuestionInput struct {
	Text    string
	Options []string
	Correct int
}

// Normalize cleans the text.
func (in *TestInput) Normalize() {
	for i := range in.Questions {
		q := &in.Questions[i]
		q.Text = vn.Clean(q.Text)
		opts := []string{}
		for _, o := range q.Options {
			if o = vn.Clean(o); o != "" {
				opts = append(opts, o)
			}
		}
		q.Options = opts
	}
}

// Validate checks every field (questions.N.field).
func (in TestInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.MinPostPercent >= 0 && in.MinPostPercent <= 100, "min_post_percent", "eval.err.percent")
	f.Check(len(in.Questions) >= 1 && len(in.Questions) <= 100, "questions", "eval.err.test_size")
	for i, q := range in.Questions {
		name := fmt.Sprintf("questions.%d.", i)
		f.Check(q.Text != "", name+"text", "err.required")
		f.Check(utf8.RuneCountInString(q.Text) <= 500, name+"text", "err.too_long", 500)
		f.Check(len(q.Options) >= 2 && len(q.Options) <= 8, name+"options", "eval.err.options")
		f.Check(q.Correct >= 1 && q.Correct <= len(q.Options), name+"correct", "eval.err.correct")
	}
	return f.Err()
}

// SetTest creates or replaces the course's test. Once a trainee has taken it, the
// questions are fixed (ErrTestTaken); the minimum can still change.
func (s *Service) SetTest(ctx context.Context, courseID int64, in TestInput) (*KnowledgeTest, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.courses.FindCourseByID(ctx, courseID); err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("evaluation: test: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.GetContext(ctx, &id, `INSERT INTO knowledge_tests (course_id, min_post_percent, created_at) VALUES (?, ?, ?)
		ON CONFLICT (course_id) DO UPDATE SET min_post_percent = excluded.min_post_percent RETURNING id`,
		courseID, in.MinPostPercent, database.Now())
	if err != nil {
		return nil, fmt.Errorf("evaluation: test: %w", err)
	}
	var taken int
	if err := tx.GetContext(ctx, &taken, `SELECT COUNT(*) FROM knowledge_attempts WHERE test_id = ?`, id); err != nil {
		return nil, fmt.Errorf("evaluation: test: %w", err)
	}
	old, err := testQuestions(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	same := len(old) == len(in.Questions)
	for i := 0; same && i < len(old); i++ {
		opts, _ := json.Marshal(in.Questions[i].Options)
		same = old[i].Text == in.Questions[i].Text && old[i].OptJSON == string(opts) && old[i].Correct == in.Questions[i].Correct
	}
	if !same {
		if taken > 0 {
			return nil, fmt.Errorf("evaluation: test %d: %w", id, ErrTestTaken)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM knowledge_questions WHERE test_id = ?`, id); err != nil {
			return nil, fmt.Errorf("evaluation: test: %w", err)
		}
		for i, q := range in.Questions {
			opts, _ := json.Marshal(q.Options)
			if _, err := tx.ExecContext(ctx, `INSERT INTO knowledge_questions (test_id, position, text, options, correct)
				VALUES (?, ?, ?, ?, ?)`, id, i+1, q.Text, string(opts), q.Correct); err != nil {
				return nil, fmt.Errorf("evaluation: test: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("evaluation: test: %w", err)
	}
	return s.FindTest(ctx, courseID)
}

// testQuestions is the one query of a test's questions, in order (the options as stored).
func testQuestions(ctx context.Context, q sqlx.QueryerContext, testID int64) ([]KnowledgeQuestion, error) {
	out := []KnowledgeQuestion{}
	if err := sqlx.SelectContext(ctx, q, &out, `SELECT id, test_id, position, text, options, correct
		FROM knowledge_questions WHERE test_id = ? ORDER BY position`, testID); err != nil {
		return nil, fmt.Errorf("evaluation: questions of test %d: %w", testID, err)
	}
	return out, nil
}

// FindTest returns the course's test, or ErrNotFound.
func (s *Service) FindTest(ctx context.Context, courseID int64) (*KnowledgeTest, error) {
	var t KnowledgeTest
	err := s.db.R.GetContext(ctx, &t, `SELECT id, course_id, min_post_percent, created_at FROM knowledge_tests WHERE course_id = ?`, courseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("evaluation: test of course %d: %w", courseID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation: test of course %d: %w", courseID, err)
	}
	if t.Questions, err = testQuestions(ctx, s.db.R, t.ID); err != nil {
		return nil, err
	}
	for i := range t.Questions {
		_ = json.Unmarshal([]byte(t.Questions[i].OptJSON), &t.Questions[i].Options)
	}
	return &t, nil
}

// TestPhase says which test a trainee can take now: Pre until the first session starts,
// Post from the start of the last session for as long as the survey window (7 days, or
// the survey's own setting); "" at other times.
func (s *Service) TestPhase(ctx context.Context, courseID int64) (string, error) {
	sessions, err := s.courses.ListSessions(ctx, courseID)
	if err != nil {
		return "", err
	}
	if len(sessions) == 0 {
		return "", nil
	}
	now := s.now()
	if now.Before(sessions[0].StartsAt.Time) {
		return Pre, nil
	}
	last := sessions[len(sessions)-1].StartsAt.Time
	days := 7
	if sv, err := s.FindSurveyByCourse(ctx, courseID); err == nil {
		days = sv.CloseAfterDays
	}
	if !now.Before(last) && now.Before(last.AddDate(0, 0, days)) {
		return Post, nil
	}
	return "", nil
}

// TestAnswers are a trainee's choices (question id → option number from 1, as typed).
type TestAnswers struct {
	CourseID   int64
	TicketCode string
	Answers    map[int64]string
}

// TakeTest scores the ticket holder's answers for the phase open now and records the
// score. One attempt per phase: a second is ErrTestTaken; outside a phase ErrTestNotNow.
// An unanswered question counts as wrong; an answer out of range is refused.
func (s *Service) TakeTest(ctx context.Context, in TestAnswers) (*Attempt, error) {
	t, err := s.FindTest(ctx, in.CourseID)
	if err != nil {
		return nil, err
	}
	reg, err := s.trainee(ctx, &Survey{CourseID: in.CourseID}, in.TicketCode)
	if err != nil {
		return nil, err
	}
	phase, err := s.TestPhase(ctx, in.CourseID)
	if err != nil {
		return nil, err
	}
	if phase == "" {
		return nil, ErrTestNotNow
	}
	f := errs.Fields{}
	correct := 0
	for _, q := range t.Questions {
		v := strings.TrimSpace(in.Answers[q.ID])
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > len(q.Options) {
			f.Add(fmt.Sprintf("answers.%d", q.ID), "eval.err.choice", len(q.Options))
			continue
		}
		if n == q.Correct {
			correct++
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	a := &Attempt{RegistrationID: reg.ID, Phase: phase, Correct: correct, Total: len(t.Questions)}
	_, err = s.db.W.ExecContext(ctx, `INSERT INTO knowledge_attempts (test_id, registration_id, phase, correct, total, submitted_at)
		VALUES (?, ?, ?, ?, ?, ?)`, t.ID, reg.ID, phase, correct, len(t.Questions), database.FormatTime(s.now()))
	if database.IsUniqueViolation(err) {
		return nil, fmt.Errorf("evaluation: test of %d: %w", reg.ID, ErrTestTaken)
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation: test: %w", err)
	}
	return a, nil
}

// Attempt is one trainee's score in one phase.
type Attempt struct {
	RegistrationID int64  `db:"registration_id" json:"registration_id"`
	Phase          string `db:"phase" json:"phase"`
	Correct        int    `db:"correct" json:"correct"`
	Total          int    `db:"total" json:"total"`
}

// Percent is the score in percent.
func (a *Attempt) Percent() float64 {
	if a == nil || a.Total == 0 {
		return 0
	}
	return float64(a.Correct) * 100 / float64(a.Total)
}

// MeetsMin reports whether the attempt scores at least minPercent: correct×100 ≥ min×total,
// integers, so exactly the minimum passes and no rounding decides. No attempt never meets
// a minimum above 0.
func MeetsMin(a *Attempt, minPercent int) bool {
	if minPercent <= 0 {
		return true
	}
	if a == nil || a.Total == 0 {
		return false
	}
	return a.Correct*100 >= minPercent*a.Total
}

// TestScore is one trainee's pre and post scores.
type TestScore struct {
	RegistrationID int64    `json:"registration_id"`
	FullName       string   `json:"full_name"`
	Pre            *Attempt `json:"pre"`
	Post           *Attempt `json:"post"`
	Gain           *float64 `json:"gain"` // post percent − pre percent, when both exist
}

// TestResults is the class's scores and its average gain (over trainees with both).
type TestResults struct {
	Test        *KnowledgeTest `json:"test"`
	Items       []TestScore    `json:"items"`
	AverageGain *float64       `json:"average_gain"`
	PreMean     *float64       `json:"pre_mean"`
	PostMean    *float64       `json:"post_mean"`
}

// attempts loads every attempt of a test by registration.
func (s *Service) attempts(ctx context.Context, testID int64) (map[int64][2]*Attempt, error) {
	rows := []Attempt{}
	if err := s.db.R.SelectContext(ctx, &rows, `SELECT registration_id, phase, correct, total FROM knowledge_attempts
		WHERE test_id = ?`, testID); err != nil {
		return nil, fmt.Errorf("evaluation: attempts of %d: %w", testID, err)
	}
	out := map[int64][2]*Attempt{}
	for i := range rows {
		a := &rows[i]
		p := out[a.RegistrationID]
		if a.Phase == Pre {
			p[0] = a
		} else {
			p[1] = a
		}
		out[a.RegistrationID] = p
	}
	return out, nil
}

// TestResultsOf returns the scores of every confirmed trainee (Vietnamese order).
func (s *Service) TestResultsOf(ctx context.Context, courseID int64) (*TestResults, error) {
	t, err := s.FindTest(ctx, courseID)
	if err != nil {
		return nil, err
	}
	byReg, err := s.attempts(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	regs, _, err := s.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: courseID, Statuses: []string{courses.RegConfirmed}})
	if err != nil {
		return nil, err
	}
	res := &TestResults{Test: t, Items: []TestScore{}}
	var gain, pre, post float64
	var ng, npre, npost int
	for _, r := range regs {
		p := byReg[r.ID]
		ts := TestScore{RegistrationID: r.ID, FullName: r.FullName, Pre: p[0], Post: p[1]}
		if p[0] != nil {
			pre += p[0].Percent()
			npre++
		}
		if p[1] != nil {
			post += p[1].Percent()
			npost++
		}
		if p[0] != nil && p[1] != nil {
			g := p[1].Percent() - p[0].Percent()
			ts.Gain = &g
			gain += g
			ng++
		}
		res.Items = append(res.Items, ts)
	}
	mean := func(sum float64, n int) *float64 {
		if n == 0 {
			return nil
		}
		m := sum / float64(n)
		return &m
	}
	res.AverageGain, res.PreMean, res.PostMean = mean(gain, ng), mean(pre, npre), mean(post, npost)
	return res, nil
}

// PostTestRule is the certificate's condition on the post-test (certificates.TestRule):
// the course's minimum percent (0: none, or no test) and, per registration, whether its
// post-test meets it and the score in percent (-1: not taken).
func (s *Service) PostTestRule(ctx context.Context, courseID int64) (int, map[int64]bool, map[int64]float64, error) {
	t, err := s.FindTest(ctx, courseID)
	if errs.CodeOf(err) == errs.NotFound {
		return 0, nil, nil, nil
	}
	if err != nil {
		return 0, nil, nil, err
	}
	if t.MinPostPercent == 0 {
		return 0, nil, nil, nil
	}
	byReg, err := s.attempts(ctx, t.ID)
	if err != nil {
		return 0, nil, nil, err
	}
	passed := map[int64]bool{}
	scores := map[int64]float64{}
	for id, p := range byReg {
		if p[1] != nil {
			passed[id] = MeetsMin(p[1], t.MinPostPercent)
			scores[id] = p[1].Percent()
		}
	}
	return t.MinPostPercent, passed, scores, nil
}

// MyAttempts returns the ticket holder's attempts (nil where not taken).
func (s *Service) MyAttempts(ctx context.Context, courseID, registrationID int64) (pre, post *Attempt, err error) {
	t, err := s.FindTest(ctx, courseID)
	if err != nil {
		return nil, nil, err
	}
	byReg, err := s.attempts(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	p := byReg[registrationID]
	return p[0], p[1], nil
}
