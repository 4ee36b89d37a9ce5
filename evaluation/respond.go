package evaluation

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

const maxTextAnswer = 2000

// AnswerInput is one answer: the question and its value as typed or sent — "1"…"5" for a
// rating, the option's number from 1 (or its exact text) for a choice, free text for an
// open question. An empty value is no answer.
type AnswerInput struct {
	QuestionID int64
	Value      string
}

// ResponseInput is a trainee's answers, given with their ticket code. Replace: the answers
// replace all earlier ones (the API); otherwise they change only the questions given (one
// section of the answering pages at a time).
type ResponseInput struct {
	SurveyID   int64
	TicketCode string
	Answers    []AnswerInput
	Replace    bool
	// Reader, when given with the first answers, is the token of the device that may read
	// them back (MyAnswers); later answers never change it.
	Reader string
}

// answer is a checked answer, ready to store.
type answer struct {
	QuestionID int64
	Value      sql.NullInt64
	Text       string
}

// checkAnswers turns inputs into answers to live questions of sv. Fields are named
// answers.QUESTION_ID (answers.N for an unknown question at index N).
func checkAnswers(sv *Survey, in []AnswerInput) ([]answer, []int64, error) {
	byID := map[int64]*Question{}
	for i := range sv.Questions {
		if !sv.Questions[i].Retired {
			byID[sv.Questions[i].ID] = &sv.Questions[i]
		}
	}
	f := errs.Fields{}
	out := []answer{}
	var cleared []int64
	seen := map[int64]bool{}
	if len(in) > 500 {
		f.Add("answers", "eval.err.too_many")
	}
	for i, a := range in {
		q, ok := byID[a.QuestionID]
		if !ok {
			f.Add(fmt.Sprintf("answers.%d", i), "eval.err.foreign_question")
			continue
		}
		name := fmt.Sprintf("answers.%d", q.ID)
		if seen[q.ID] {
			f.Add(name, "eval.err.duplicate")
			continue
		}
		seen[q.ID] = true
		v := strings.TrimSpace(a.Value)
		if v == "" {
			cleared = append(cleared, q.ID)
			continue
		}
		switch q.Kind {
		case Rating:
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 5 {
				f.Add(name, "eval.err.rating")
				continue
			}
			out = append(out, answer{QuestionID: q.ID, Value: sql.NullInt64{Int64: int64(n), Valid: true}})
		case Choice:
			n, err := strconv.Atoi(v)
			if err != nil {
				n = 0
				for j, o := range q.Options {
					if o == vn.Clean(v) {
						n = j + 1
					}
				}
			}
			if n < 1 || n > len(q.Options) {
				f.Add(name, "eval.err.choice", len(q.Options))
				continue
			}
			out = append(out, answer{QuestionID: q.ID, Value: sql.NullInt64{Int64: int64(n), Valid: true}})
		case Text:
			t := vn.Clean(v)
			if utf8.RuneCountInString(t) > maxTextAnswer {
				f.Add(name, "err.too_long", maxTextAnswer)
				continue
			}
			out = append(out, answer{QuestionID: q.ID, Text: t})
		}
	}
	return out, cleared, f.Err()
}

// trainee finds the confirmed registration of the ticket in the survey's course.
func (s *Service) trainee(ctx context.Context, sv *Survey, code string) (*courses.Registration, error) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 64 {
		return nil, (errs.Fields{"ticket_code": {Key: "eval.err.ticket"}}).Err()
	}
	reg, err := s.courses.FindRegistrationByCode(ctx, code)
	if errs.CodeOf(err) == errs.NotFound {
		return nil, (errs.Fields{"ticket_code": {Key: "eval.err.ticket"}}).Err()
	}
	if err != nil {
		return nil, err
	}
	if reg.CourseID != sv.CourseID {
		return nil, (errs.Fields{"ticket_code": {Key: "eval.err.ticket_course"}}).Err()
	}
	if reg.Status != courses.RegConfirmed {
		return nil, fmt.Errorf("evaluation: registration %d is %s: %w", reg.ID, reg.Status, ErrNotTrainee)
	}
	return reg, nil
}

// Respond stores a trainee's answers. The ticket's first answers make its response (and
// record that the registration has responded); later ones correct it while the survey is
// open. However many arrive at once, a registration has one response: the writes go one
// by one through the writer's transaction, and both the response key and the respondent's
// row are unique. Returns ErrNotOpen / ErrClosed outside the window, ErrNotTrainee for a
// ticket that is not confirmed, *errs.Error Invalid for a bad ticket or answers.
func (s *Service) Respond(ctx context.Context, in ResponseInput) error {
	sv, err := s.FindSurvey(ctx, in.SurveyID)
	if err != nil {
		return err
	}
	if err := sv.acceptError(); err != nil {
		return err
	}
	reg, err := s.trainee(ctx, sv, in.TicketCode)
	if err != nil {
		return err
	}
	answers, cleared, err := checkAnswers(sv, in.Answers)
	if err != nil {
		return err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("evaluation: respond: %w", err)
	}
	defer tx.Rollback()
	key := responseKey(sv.Secret, reg.Code)
	// One response per ticket: the insert does nothing when the key has one already (or
	// waits for the one a concurrent submit is writing), then the response is read back.
	fresh := randomHex(16)
	var reader any
	if in.Reader != "" {
		reader = readerHash(in.Reader)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO survey_responses (id, survey_id, response_key, reader, paper, submitted_on)
		VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (response_key) DO NOTHING`, fresh, sv.ID, key, reader, s.today()); err != nil {
		return fmt.Errorf("evaluation: respond: %w", err)
	}
	var rid string
	if err := tx.GetContext(ctx, &rid, `SELECT id FROM survey_responses WHERE response_key = ?`, key); err != nil {
		return fmt.Errorf("evaluation: respond: %w", err)
	}
	if rid == fresh {
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_respondents (survey_id, registration_id) VALUES (?, ?)
			ON CONFLICT DO NOTHING`, sv.ID, reg.ID); err != nil {
			return fmt.Errorf("evaluation: respond: %w", err)
		}
	}
	if in.Replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM survey_answers WHERE response_id = ?`, rid); err != nil {
			return fmt.Errorf("evaluation: respond: %w", err)
		}
	}
	if err := storeAnswers(ctx, tx, rid, answers, cleared); err != nil {
		return err
	}
	return tx.Commit()
}

func storeAnswers(ctx context.Context, tx *sqlx.Tx, rid string, answers []answer, cleared []int64) error {
	for _, id := range cleared {
		if _, err := tx.ExecContext(ctx, `DELETE FROM survey_answers WHERE response_id = ? AND question_id = ?`, rid, id); err != nil {
			return fmt.Errorf("evaluation: answers: %w", err)
		}
	}
	for _, a := range answers {
		_, err := tx.ExecContext(ctx, `INSERT INTO survey_answers (response_id, question_id, value, text) VALUES (?, ?, ?, ?)
			ON CONFLICT (response_id, question_id) DO UPDATE SET value = excluded.value, text = excluded.text`,
			rid, a.QuestionID, a.Value, a.Text)
		if err != nil {
			return fmt.Errorf("evaluation: answers: %w", err)
		}
	}
	return nil
}

func (s *Service) today() string { return s.now().In(vn.Location).Format("2006-01-02") }

func readerHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// MyAnswers returns the ticket holder's own answers (question id → value as typed), for
// them to see and correct, when reader is the token of the device that first answered;
// otherwise (another device, or an organizer who knows the ticket code) none, with
// answered telling whether there is a response to correct.
func (s *Service) MyAnswers(ctx context.Context, surveyID int64, ticketCode, reader string) (values map[int64]string, answered bool, err error) {
	sv, err := s.FindSurvey(ctx, surveyID)
	if err != nil {
		return nil, false, err
	}
	reg, err := s.trainee(ctx, sv, ticketCode)
	if err != nil {
		return nil, false, err
	}
	var stored sql.NullString
	err = s.db.R.GetContext(ctx, &stored, `SELECT reader FROM survey_responses WHERE response_key = ?`, responseKey(sv.Secret, reg.Code))
	if errors.Is(err, sql.ErrNoRows) {
		return map[int64]string{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("evaluation: answers: %w", err)
	}
	if reader == "" || !stored.Valid || !hmac.Equal([]byte(stored.String), []byte(readerHash(reader))) {
		return map[int64]string{}, true, nil
	}
	rows := []struct {
		QuestionID int64         `db:"question_id"`
		Value      sql.NullInt64 `db:"value"`
		Text       string        `db:"text"`
	}{}
	err = s.db.R.SelectContext(ctx, &rows, `SELECT a.question_id, a.value, a.text FROM survey_answers a
		JOIN survey_responses r ON r.id = a.response_id WHERE r.response_key = ?`, responseKey(sv.Secret, reg.Code))
	if err != nil {
		return nil, false, fmt.Errorf("evaluation: answers: %w", err)
	}
	out := map[int64]string{}
	for _, r := range rows {
		if r.Value.Valid {
			out[r.QuestionID] = strconv.FormatInt(r.Value.Int64, 10)
		} else {
			out[r.QuestionID] = r.Text
		}
	}
	return out, true, nil
}

// HasResponded reports whether the registration has answered the survey.
func (s *Service) HasResponded(ctx context.Context, surveyID, registrationID int64) (bool, error) {
	var n int
	err := s.db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM survey_respondents WHERE survey_id = ? AND registration_id = ?`,
		surveyID, registrationID)
	if err != nil {
		return false, fmt.Errorf("evaluation: respondent: %w", err)
	}
	return n > 0, nil
}

// PaperInput is one paper form typed in by an organizer. It has no ticket: it counts as a
// response, marked paper, and is linked to no one.
type PaperInput struct {
	SurveyID int64
	Answers  []AnswerInput
}

// AddPaper stores a paper form. Paper forms are accepted while the survey is open and after
// it closed (forms collected in the room are typed in later), never in a draft.
func (s *Service) AddPaper(ctx context.Context, in PaperInput) error {
	sv, err := s.FindSurvey(ctx, in.SurveyID)
	if err != nil {
		return err
	}
	if sv.Status == Draft {
		return ErrNotOpen
	}
	answers, _, err := checkAnswers(sv, in.Answers)
	if err != nil {
		return err
	}
	if len(answers) == 0 {
		return (errs.Fields{"answers": {Key: "eval.err.empty_form"}}).Err()
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("evaluation: paper: %w", err)
	}
	defer tx.Rollback()
	rid := randomHex(16)
	if _, err := tx.ExecContext(ctx, `INSERT INTO survey_responses (id, survey_id, response_key, paper, submitted_on)
		VALUES (?, ?, NULL, 1, ?)`, rid, sv.ID, s.today()); err != nil {
		return fmt.Errorf("evaluation: paper: %w", err)
	}
	if err := storeAnswers(ctx, tx, rid, answers, nil); err != nil {
		return err
	}
	return tx.Commit()
}

var _ = database.Now
