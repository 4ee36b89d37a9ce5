package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/evaluation"
)

// demoSuggestions are open answers as trainees write them.
var demoSuggestions = []string{
	"Cần thêm thời gian thực hành vận hành đài truyền thanh ứng dụng CNTT - viễn thông.",
	"Tài liệu nên gửi trước để học viên đọc trước khi đến lớp.",
	"Đề nghị tổ chức thêm lớp cho cán bộ cấp xã mới nhận nhiệm vụ.",
	"Báo cáo viên trình bày dễ hiểu, nhiều ví dụ thực tế.",
	"Hội trường hơi nóng vào buổi chiều.",
}

// loadEvaluation gives the demo course its survey, answered on the trainees' phones at the
// last session by most of them (ratings spread 2–5, a few suggestions) plus a handful of
// paper forms; it has been closed since, so its results are final.
func loadEvaluation(ctx context.Context, db *database.DB, courseID int64) error {
	cs := courses.New(db)
	ev := evaluation.New(db, cs)
	sv, err := ev.CreateSurvey(ctx, courseID)
	if err != nil {
		return fmt.Errorf("demo: survey: %w", err)
	}
	if sv.OpensAt == nil {
		return fmt.Errorf("demo: survey of %d has no sessions", courseID)
	}
	// Answers arrive during the last session: the clock stands there while they are stored.
	at := sv.OpensAt.Add(2 * time.Hour)
	ev.SetClock(func() time.Time { return at })
	open := evaluation.Open
	if sv, err = ev.UpdateSurvey(ctx, sv.ID, evaluation.SurveyPatch{Status: &open}); err != nil {
		return fmt.Errorf("demo: survey: %w", err)
	}
	regs, _, err := cs.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: courseID, Statuses: []string{courses.RegConfirmed}})
	if err != nil {
		return err
	}
	answers := func(n int) []evaluation.AnswerInput {
		var out []evaluation.AnswerInput
		for j, q := range sv.Questions {
			switch q.Kind {
			case evaluation.Rating:
				// Mostly 4 and 5, some 3, rarely 2: a deterministic spread.
				v := []int{5, 4, 4, 5, 3, 4, 5, 4, 2, 4, 5, 3}[(n*7+j*5)%12]
				out = append(out, evaluation.AnswerInput{QuestionID: q.ID, Value: strconv.Itoa(v)})
			case evaluation.Choice:
				out = append(out, evaluation.AnswerInput{QuestionID: q.ID, Value: strconv.Itoa([]int{2, 2, 2, 1, 2, 3}[n%6])})
			case evaluation.Text:
				if n%9 == j%2 {
					out = append(out, evaluation.AnswerInput{QuestionID: q.ID, Value: demoSuggestions[(n/9+j)%len(demoSuggestions)]})
				}
			}
		}
		return out
	}
	for i, r := range regs {
		if i%6 == 5 { // one in six did not answer
			continue
		}
		if err := ev.Respond(ctx, evaluation.ResponseInput{SurveyID: sv.ID, TicketCode: r.Code, Answers: answers(i)}); err != nil {
			return fmt.Errorf("demo: response: %w", err)
		}
	}
	for i := 0; i < 8; i++ {
		if err := ev.AddPaper(ctx, evaluation.PaperInput{SurveyID: sv.ID, Answers: answers(1000 + i)}); err != nil {
			return fmt.Errorf("demo: paper form: %w", err)
		}
	}
	closed := evaluation.Closed
	if _, err := ev.UpdateSurvey(ctx, sv.ID, evaluation.SurveyPatch{Status: &closed}); err != nil {
		return fmt.Errorf("demo: survey: %w", err)
	}
	return nil
}
