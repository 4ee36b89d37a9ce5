package evaluation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// Survey is the questionnaire of one course.
type Survey struct {
	ID             int64         `db:"id" json:"id"`
	CourseID       int64         `db:"course_id" json:"course_id"`
	Stored         string        `db:"status" json:"-"`
	OpensAtSet     database.Time `db:"opens_at" json:"-"`
	ClosesAtSet    database.Time `db:"closes_at" json:"-"`
	CloseAfterDays int           `db:"close_after_days" json:"close_after_days"`
	Secret         string        `db:"secret" json:"-"`
	CreatedAt      database.Time `db:"created_at" json:"created_at"`
	UpdatedAt      database.Time `db:"updated_at" json:"updated_at"`

	// Computed by load.
	Status    string     `db:"-" json:"status"`    // draft, open or closed (closed once ClosesAt passed)
	OpensAt   *time.Time `db:"-" json:"opens_at"`  // nil: no session yet to open at
	ClosesAt  *time.Time `db:"-" json:"closes_at"` // nil: as OpensAt
	Accepting bool       `db:"-" json:"accepting"` // answers are taken now
	Answered  bool       `db:"-" json:"answered"`  // some answer exists: edits make new questions
	Questions []Question `db:"-" json:"questions"`
}

// Question is one question of a survey.
type Question struct {
	ID       int64         `db:"id" json:"id"`
	SurveyID int64         `db:"survey_id" json:"-"`
	Position int           `db:"position" json:"position"`
	Section  string        `db:"section" json:"section"`
	ModuleID sql.NullInt64 `db:"module_id" json:"-"`
	Lecturer string        `db:"lecturer" json:"lecturer"`
	Kind     string        `db:"kind" json:"kind"`
	Text     string        `db:"text" json:"text"`
	OptJSON  string        `db:"options" json:"-"`
	Retired  bool          `db:"retired" json:"retired"`
	Replaces sql.NullInt64 `db:"replaces" json:"-"`

	Options []string `db:"-" json:"options"`
	Module  *int64   `db:"-" json:"module_id"`
}

// Section is a run of questions with the same heading, one screen of the answering pages.
type Section struct {
	Title     string
	Questions []Question
}

// Sections groups the live questions by section, in order.
func (sv *Survey) Sections() []Section {
	var out []Section
	for _, q := range sv.Questions {
		if q.Retired {
			continue
		}
		if len(out) == 0 || out[len(out)-1].Title != q.Section {
			out = append(out, Section{Title: q.Section})
		}
		out[len(out)-1].Questions = append(out[len(out)-1].Questions, q)
	}
	return out
}

const surveyColumns = `id, course_id, status, opens_at, closes_at, close_after_days, secret, created_at, updated_at`
const questionColumns = `id, survey_id, position, section, module_id, lecturer, kind, text, options, retired, replaces`

// CreateSurvey makes the survey of a course from its organization's template — the general
// questions of the organization's latest survey, or the built-in default — with one block
// per module of the timetable. Returns ErrExists when the course has one.
func (s *Service) CreateSurvey(ctx context.Context, courseID int64) (*Survey, error) {
	course, err := s.courses.FindCourseByID(ctx, courseID)
	if err != nil {
		return nil, err
	}
	modules, err := s.courses.ListModules(ctx, courseID)
	if err != nil {
		return nil, err
	}
	tmpl, err := s.orgTemplate(ctx, course.OrganizationID)
	if err != nil {
		return nil, err
	}
	qs := buildQuestions(tmpl, modules)
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("evaluation: create survey: %w", err)
	}
	defer tx.Rollback()
	now := database.Now()
	var id int64
	err = tx.GetContext(ctx, &id, `INSERT INTO surveys (course_id, status, close_after_days, secret, created_at, updated_at)
		VALUES (?, 'draft', 7, ?, ?, ?) RETURNING id`, courseID, randomHex(32), now, now)
	if database.IsUniqueViolation(err) {
		return nil, fmt.Errorf("evaluation: survey of course %d: %w", courseID, ErrExists)
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation: create survey: %w", err)
	}
	for i, q := range qs {
		q.Position = i + 1
		if err := insertQuestion(ctx, tx, id, q); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("evaluation: create survey: %w", err)
	}
	return s.FindSurvey(ctx, id)
}

// orgTemplate returns the general questions (not a module's) of the organization's latest
// survey, or nil.
func (s *Service) orgTemplate(ctx context.Context, orgID int64) ([]Question, error) {
	out := []Question{}
	err := s.db.R.SelectContext(ctx, &out, `SELECT q.id, q.survey_id, q.position, q.section, q.module_id,
			q.lecturer, q.kind, q.text, q.options, q.retired, q.replaces
		FROM survey_questions q
		WHERE q.survey_id = (SELECT sv.id FROM surveys sv JOIN courses c ON c.id = sv.course_id
			WHERE c.organization_id = ? ORDER BY sv.id DESC LIMIT 1)
		  AND q.module_id IS NULL AND q.retired = 0 ORDER BY q.position`, orgID)
	if err != nil {
		return nil, fmt.Errorf("evaluation: template of %d: %w", orgID, err)
	}
	for i := range out {
		_ = json.Unmarshal([]byte(out[i].OptJSON), &out[i].Options)
	}
	return out, nil
}

func insertQuestion(ctx context.Context, tx *sqlx.Tx, surveyID int64, q Question) error {
	opts, _ := json.Marshal(nonNil(q.Options))
	_, err := tx.ExecContext(ctx, `INSERT INTO survey_questions (survey_id, position, section, module_id, lecturer,
			kind, text, options, retired, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
		surveyID, q.Position, q.Section, q.ModuleID, q.Lecturer, q.Kind, q.Text, string(opts), q.Replaces)
	if err != nil {
		return fmt.Errorf("evaluation: question: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// FindSurvey returns ErrNotFound for an unknown id.
func (s *Service) FindSurvey(ctx context.Context, id int64) (*Survey, error) {
	return s.findSurvey(ctx, `id = ?`, id)
}

// FindSurveyByCourse returns the survey of a course, or ErrNotFound.
func (s *Service) FindSurveyByCourse(ctx context.Context, courseID int64) (*Survey, error) {
	return s.findSurvey(ctx, `course_id = ?`, courseID)
}

func (s *Service) findSurvey(ctx context.Context, where string, arg any) (*Survey, error) {
	var sv Survey
	err := s.db.R.GetContext(ctx, &sv, `SELECT `+surveyColumns+` FROM surveys WHERE `+where, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("evaluation: survey %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation: survey %v: %w", arg, err)
	}
	if err := s.complete(ctx, &sv); err != nil {
		return nil, err
	}
	return &sv, nil
}

// complete loads the questions and computes the window and the status.
func (s *Service) complete(ctx context.Context, sv *Survey) error {
	sv.Questions = []Question{}
	err := s.db.R.SelectContext(ctx, &sv.Questions, `SELECT `+questionColumns+` FROM survey_questions
		WHERE survey_id = ? ORDER BY retired, position, id`, sv.ID)
	if err != nil {
		return fmt.Errorf("evaluation: questions of %d: %w", sv.ID, err)
	}
	for i := range sv.Questions {
		q := &sv.Questions[i]
		q.Options = []string{}
		_ = json.Unmarshal([]byte(q.OptJSON), &q.Options)
		if q.ModuleID.Valid {
			id := q.ModuleID.Int64
			q.Module = &id
		}
	}
	n, err := s.countResponses(ctx, sv.ID)
	if err != nil {
		return err
	}
	sv.Answered = n > 0
	if !sv.OpensAtSet.IsZero() {
		t := sv.OpensAtSet.Time
		sv.OpensAt = &t
	} else {
		sessions, err := s.courses.ListSessions(ctx, sv.CourseID)
		if err != nil {
			return err
		}
		if len(sessions) > 0 {
			t := sessions[len(sessions)-1].StartsAt.Time
			sv.OpensAt = &t
		}
	}
	if !sv.ClosesAtSet.IsZero() {
		t := sv.ClosesAtSet.Time
		sv.ClosesAt = &t
	} else if sv.OpensAt != nil {
		t := sv.OpensAt.AddDate(0, 0, sv.CloseAfterDays)
		sv.ClosesAt = &t
	}
	now := s.now()
	sv.Status = sv.Stored
	if sv.Status == Open && sv.ClosesAt != nil && !now.Before(*sv.ClosesAt) {
		sv.Status = Closed
	}
	sv.Accepting = sv.Status == Open && sv.OpensAt != nil && !now.Before(*sv.OpensAt)
	return nil
}

// AcceptError says why sv refuses answers now: ErrClosed, ErrNotOpen, or nil.
func (s *Service) AcceptError(sv *Survey) error { return sv.acceptError() }

// acceptError says why an open-or-not survey refuses answers now (nil: it accepts).
func (sv *Survey) acceptError() error {
	switch {
	case sv.Accepting:
		return nil
	case sv.Status == Closed:
		return ErrClosed
	default:
		return ErrNotOpen
	}
}

// QuestionInput is a question as an organizer writes it. ID 0 adds a question.
type QuestionInput struct {
	ID       int64
	Section  string
	Kind     string
	Text     string
	Options  []string
	ModuleID *int64
}

// SurveyPatch changes a survey; nil fields are unchanged. Questions, when given, is the whole
// new list in order: listed ids are kept or changed, unlisted ones removed.
type SurveyPatch struct {
	Questions      *[]QuestionInput
	OpensAt        *time.Time
	ClosesAt       *time.Time
	CloseAfterDays *int
	Status         *string
}

// Normalize cleans the text and closes the enumerations.
func (p *SurveyPatch) Normalize() {
	if p.Status != nil {
		st := strings.ToLower(strings.TrimSpace(*p.Status))
		p.Status = &st
	}
	if p.Questions == nil {
		return
	}
	for i := range *p.Questions {
		q := &(*p.Questions)[i]
		q.Section = vn.Clean(q.Section)
		q.Text = vn.Clean(q.Text)
		q.Kind = strings.ToLower(strings.TrimSpace(q.Kind))
		opts := q.Options[:0:0]
		for _, o := range q.Options {
			if o = vn.Clean(o); o != "" {
				opts = append(opts, o)
			}
		}
		q.Options = opts
	}
}

// Validate checks every field; question fields are named questions.N.field (N from 0).
func (p SurveyPatch) Validate() error {
	f := errs.Fields{}
	if p.Status != nil {
		st := *p.Status
		f.Check(st == Draft || st == Open || st == Closed, "status", "eval.err.status")
	}
	if p.CloseAfterDays != nil {
		f.Check(*p.CloseAfterDays >= 1 && *p.CloseAfterDays <= 90, "close_after_days", "eval.err.days")
	}
	if p.OpensAt != nil && p.ClosesAt != nil {
		f.Check(p.ClosesAt.After(*p.OpensAt), "closes_at", "eval.err.window")
	}
	if p.Questions != nil {
		f.Check(len(*p.Questions) <= 200, "questions", "eval.err.too_many")
		for i, q := range *p.Questions {
			name := fmt.Sprintf("questions.%d.", i)
			f.Check(q.Kind == Rating || q.Kind == Choice || q.Kind == Text, name+"kind", "eval.err.kind")
			f.Check(q.Text != "", name+"text", "err.required")
			f.Check(utf8.RuneCountInString(q.Text) <= 500, name+"text", "err.too_long", 500)
			f.Check(q.Section != "", name+"section", "err.required")
			f.Check(utf8.RuneCountInString(q.Section) <= 300, name+"section", "err.too_long", 300)
			if q.Kind == Choice {
				f.Check(len(q.Options) >= 2 && len(q.Options) <= 10, name+"options", "eval.err.options")
			}
			for _, o := range q.Options {
				f.Check(utf8.RuneCountInString(o) <= 200, name+"options", "err.too_long", 200)
			}
		}
	}
	return f.Err()
}

// UpdateSurvey applies p. A question that already has answers is never changed in place:
// a change of its kind, text or options retires it and adds a new question in its place
// (its answers stay with the old wording, shown in the results as retired); removing it
// retires it. Questions without answers are changed or deleted.
func (s *Service) UpdateSurvey(ctx context.Context, id int64, p SurveyPatch) (*Survey, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	sv, err := s.FindSurvey(ctx, id)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("evaluation: update survey: %w", err)
	}
	defer tx.Rollback()
	if p.Questions != nil {
		if err := updateQuestions(ctx, tx, sv, *p.Questions); err != nil {
			return nil, err
		}
	}
	set := []string{}
	args := []any{}
	if p.Status != nil {
		set, args = append(set, "status = ?"), append(args, *p.Status)
	}
	if p.OpensAt != nil {
		set, args = append(set, "opens_at = ?"), append(args, database.FormatTime(*p.OpensAt))
	}
	if p.ClosesAt != nil {
		set, args = append(set, "closes_at = ?"), append(args, database.FormatTime(*p.ClosesAt))
	}
	if p.CloseAfterDays != nil {
		set, args = append(set, "close_after_days = ?"), append(args, *p.CloseAfterDays)
	}
	set, args = append(set, "updated_at = ?"), append(args, database.Now())
	args = append(args, id)
	if _, err := tx.ExecContext(ctx, `UPDATE surveys SET `+strings.Join(set, ", ")+` WHERE id = ?`, args...); err != nil {
		return nil, fmt.Errorf("evaluation: update survey %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("evaluation: update survey %d: %w", id, err)
	}
	return s.FindSurvey(ctx, id)
}

func updateQuestions(ctx context.Context, tx *sqlx.Tx, sv *Survey, in []QuestionInput) error {
	old := map[int64]Question{}
	for _, q := range sv.Questions {
		if !q.Retired {
			old[q.ID] = q
		}
	}
	answered := map[int64]bool{}
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, `SELECT DISTINCT a.question_id FROM survey_answers a
		JOIN survey_questions q ON q.id = a.question_id WHERE q.survey_id = ?`, sv.ID); err != nil {
		return fmt.Errorf("evaluation: answered questions: %w", err)
	}
	for _, id := range ids {
		answered[id] = true
	}
	f := errs.Fields{}
	kept := map[int64]bool{}
	for i, q := range in {
		if q.ID == 0 {
			continue
		}
		if _, ok := old[q.ID]; !ok || kept[q.ID] {
			f.Add(fmt.Sprintf("questions.%d.id", i), "eval.err.foreign_question")
		}
		kept[q.ID] = true
	}
	if err := f.Err(); err != nil {
		return err
	}
	retire := func(id int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE survey_questions SET retired = 1 WHERE id = ?`, id)
		return err
	}
	for id := range old {
		if kept[id] {
			continue
		}
		var err error
		if answered[id] {
			err = retire(id)
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM survey_questions WHERE id = ?`, id)
		}
		if err != nil {
			return fmt.Errorf("evaluation: remove question %d: %w", id, err)
		}
	}
	for i, q := range in {
		pos := i + 1
		nq := Question{Position: pos, Section: q.Section, Kind: q.Kind, Text: q.Text, Options: q.Options}
		if q.Kind != Choice {
			nq.Options = nil
		}
		if q.ModuleID != nil {
			nq.ModuleID = sql.NullInt64{Int64: *q.ModuleID, Valid: true}
		}
		if q.ID == 0 {
			if err := insertQuestion(ctx, tx, sv.ID, nq); err != nil {
				return err
			}
			continue
		}
		o := old[q.ID]
		nq.ModuleID, nq.Lecturer = o.ModuleID, o.Lecturer
		sameMeaning := o.Kind == nq.Kind && o.Text == nq.Text && strings.Join(o.Options, "\x00") == strings.Join(nonNil(nq.Options), "\x00")
		if answered[q.ID] && !sameMeaning {
			if err := retire(q.ID); err != nil {
				return fmt.Errorf("evaluation: retire question %d: %w", q.ID, err)
			}
			nq.Replaces = sql.NullInt64{Int64: q.ID, Valid: true}
			if err := insertQuestion(ctx, tx, sv.ID, nq); err != nil {
				return err
			}
			continue
		}
		opts, _ := json.Marshal(nonNil(nq.Options))
		_, err := tx.ExecContext(ctx, `UPDATE survey_questions SET position = ?, section = ?, kind = ?, text = ?, options = ?
			WHERE id = ?`, pos, nq.Section, nq.Kind, nq.Text, string(opts), q.ID)
		if err != nil {
			return fmt.Errorf("evaluation: question %d: %w", q.ID, err)
		}
	}
	return nil
}

// Input is the question as an organizer's input (to keep it in a patch).
func (q Question) Input() QuestionInput {
	return QuestionInput{ID: q.ID, Section: q.Section, Kind: q.Kind, Text: q.Text, Options: q.Options, ModuleID: q.Module}
}

// countResponses returns how many responses survey id has (online and paper).
func (s *Service) countResponses(ctx context.Context, id int64) (int, error) {
	var n int
	if err := s.db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM survey_responses WHERE survey_id = ?`, id); err != nil {
		return 0, fmt.Errorf("evaluation: survey %d: %w", id, err)
	}
	return n, nil
}
