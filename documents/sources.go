package documents

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"taphuan/evaluation"
)

// Sources are the figures of other areas the documents quote where they exist. Each is a
// small interface so the documents do not depend on how those areas are built; a nil
// field leaves its part out (the plan says "theo dự toán được duyệt", the report has no
// evaluation or settlement section).
type Sources struct {
	Estimate   EstimateSource
	Evaluation EvaluationSource
	Settlement SettlementSource
}

// EstimateSource gives the total of a course's approved estimate, in đồng; ok false when
// the course has none.
type EstimateSource interface {
	EstimateTotal(ctx context.Context, courseID int64) (total int64, ok bool, err error)
}

// EvaluationSource gives the summary of a course's evaluation as short sentences
// ("Số phiếu thu về: 152/160", "Mức độ hài lòng chung: 4,6/5"); ok false when there is none.
type EvaluationSource interface {
	EvaluationSummary(ctx context.Context, courseID int64) (lines []string, ok bool, err error)
}

// SettlementSource gives the settled total of a course, in đồng; ok false when not
// settled yet.
type SettlementSource interface {
	SettlementTotal(ctx context.Context, courseID int64) (total int64, ok bool, err error)
}

// SurveySummaries is what the evaluation package tells of a course's survey.
type SurveySummaries interface {
	CourseSummary(ctx context.Context, courseID int64) (evaluation.Summary, bool, error)
}

// EvaluationOf turns the evaluation package's figures into the sentences of the report.
func EvaluationOf(src SurveySummaries) EvaluationSource { return surveySentences{src} }

type surveySentences struct{ src SurveySummaries }

func (s surveySentences) EvaluationSummary(ctx context.Context, courseID int64) ([]string, bool, error) {
	sum, ok, err := s.src.CourseSummary(ctx, courseID)
	if err != nil || !ok || sum.Responses == 0 {
		return nil, false, err
	}
	lines := []string{fmt.Sprintf("Số phiếu đánh giá thu về: %d/%d học viên", sum.Responses, sum.Invited)}
	if sum.Ratings > 0 {
		lines = append(lines, fmt.Sprintf("Mức độ hài lòng chung: %s/5 (trung bình của %d câu trả lời theo thang 5 mức)",
			strings.Replace(strconv.FormatFloat(sum.Mean, 'f', 2, 64), ".", ",", 1), sum.Ratings))
	}
	return lines, true, nil
}
