package documents

import "context"

// Sources are the figures of other areas the documents quote where they exist. Each is a
// small interface so the documents do not depend on how those areas are built; a nil
// field leaves its part out (the plan says "theo dự toán được duyệt", the report has no
// evaluation or settlement section).
type Sources struct {
	Estimate   EstimateSource
	Evaluation EvaluationSource
	Settlement SettlementSource
	Units      UnitSource
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

// UnitSource resolves a unit id of the units directory to the unit's name, by which the
// quotas and registrations of the course are matched. Returns an error with code
// not_found for an unknown id.
type UnitSource interface {
	UnitName(ctx context.Context, unitID int64) (string, error)
}
