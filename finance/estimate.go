package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// Line groups: the items of the norms, and manual lines.
const GroupManual = "manual"

// Line is one line of an estimate (or of an actual list): quantity × unit price = amount.
type Line struct {
	Key       string `json:"key"`   // identifies the line across estimate and settlement
	Group     string `json:"group"` // an item of the norms, or "manual"
	Label     string `json:"label"`
	Unit      string `json:"unit"`
	Quantity  int64  `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
	Amount    int64  `json:"amount"`
	Basis     string `json:"basis,omitempty"`
	Tier      string `json:"tier,omitempty"` // of an honorarium line
}

// ManualLine is an organizer's own line (hall, banner, stationery, water …) with, after the
// course, what was actually spent (nil: not entered yet).
type ManualLine struct {
	ID        int64  `db:"id" json:"id"`
	Label     string `db:"label" json:"label"`
	Unit      string `db:"unit" json:"unit"`
	Quantity  int64  `db:"quantity" json:"quantity"`
	UnitPrice int64  `db:"unit_price" json:"unit_price"`
	Actual    *int64 `db:"actual" json:"actual"`
}

// Plan is what an organizer states for an estimate: expected trainees, lodging, travel,
// manual lines, and the actual amounts attendance cannot tell.
type Plan struct {
	ExpectedTrainees int64        `db:"expected_trainees" json:"expected_trainees"`
	LodgingTrainees  int64        `db:"lodging_trainees" json:"lodging_trainees"`
	LodgingNights    int64        `db:"lodging_nights" json:"lodging_nights"`
	TravelTrainees   int64        `db:"travel_trainees" json:"travel_trainees"`
	TravelTier       string       `db:"travel_tier" json:"travel_tier"`
	ActualLodging    *int64       `db:"actual_lodging" json:"actual_lodging"`
	ActualTravel     *int64       `db:"actual_travel" json:"actual_travel"`
	Lines            []ManualLine `db:"-" json:"lines"`
	Saved            bool         `db:"-" json:"saved"`
}

// PlanInput is a plan as sent; counts and amounts are Money so that a fractional or negative
// value is a message on its field.
type PlanInput struct {
	ExpectedTrainees Money             `json:"expected_trainees"`
	LodgingTrainees  Money             `json:"lodging_trainees"`
	LodgingNights    Money             `json:"lodging_nights"`
	TravelTrainees   Money             `json:"travel_trainees"`
	TravelTier       string            `json:"travel_tier"`
	ActualLodging    Money             `json:"actual_lodging"`
	ActualTravel     Money             `json:"actual_travel"`
	Lines            []ManualLineInput `json:"lines"`
}

// ManualLineInput is a manual line as sent.
type ManualLineInput struct {
	Label     string `json:"label"`
	Unit      string `json:"unit"`
	Quantity  Money  `json:"quantity"`
	UnitPrice Money  `json:"unit_price"`
	Actual    Money  `json:"actual"`
}

// maxCount bounds counts (trainees, nights): no course has more.
const maxCount = 100_000

// Validate checks every field; lines are "lines.N.field" (N from 0).
func (in *PlanInput) Validate() error {
	f := errs.Fields{}
	for name, m := range map[string]Money{"expected_trainees": in.ExpectedTrainees, "lodging_trainees": in.LodgingTrainees,
		"lodging_nights": in.LodgingNights, "travel_trainees": in.TravelTrainees} {
		m.checkCount(f, name, false)
		f.Check(m.V <= maxCount, name, "finance.err.count_max", maxCount)
	}
	in.ActualLodging.check(f, "actual_lodging", false)
	in.ActualTravel.check(f, "actual_travel", false)
	in.TravelTier = vn.Clean(in.TravelTier)
	f.Check(len([]rune(in.TravelTier)) <= 50, "travel_tier", "err.too_long", 50)
	if len(in.Lines) > 200 {
		f.Add("lines", "finance.err.too_many", 200)
	}
	for i := range in.Lines {
		l := &in.Lines[i]
		p := "lines." + strconv.Itoa(i) + "."
		l.Label, l.Unit = vn.Clean(l.Label), vn.Clean(l.Unit)
		f.Check(l.Label != "", p+"label", "err.required")
		f.Check(len([]rune(l.Label)) <= 300, p+"label", "err.too_long", 300)
		f.Check(len([]rune(l.Unit)) <= 50, p+"unit", "err.too_long", 50)
		l.Quantity.checkCount(f, p+"quantity", true)
		f.Check(l.Quantity.V <= maxCount, p+"quantity", "finance.err.count_max", maxCount)
		l.UnitPrice.check(f, p+"unit_price", true)
		l.Actual.check(f, p+"actual", false)
	}
	return f.Err()
}

// Plan returns the saved plan of a course (Saved false and zeros when none).
func (s *Service) Plan(ctx context.Context, courseID int64) (*Plan, error) {
	p := &Plan{Lines: []ManualLine{}}
	err := s.db.R.GetContext(ctx, p, `SELECT expected_trainees, lodging_trainees, lodging_nights, travel_trainees,
		travel_tier, actual_lodging, actual_travel FROM estimates WHERE course_id = ?`, courseID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("finance: estimate of %d: %w", courseID, err)
	default:
		p.Saved = true
	}
	if err := s.db.R.SelectContext(ctx, &p.Lines, `SELECT id, label, unit, quantity, unit_price, actual
		FROM estimate_lines WHERE course_id = ? ORDER BY position, id`, courseID); err != nil {
		return nil, fmt.Errorf("finance: estimate lines of %d: %w", courseID, err)
	}
	return p, nil
}

// SavePlan replaces the plan of a course, all or nothing. Returns ErrNotFound for an
// unknown course.
func (s *Service) SavePlan(ctx context.Context, courseID int64, in PlanInput) (*Plan, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.courses.FindCourseByID(ctx, courseID); err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("finance: save estimate of %d: %w", courseID, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO estimates (course_id, expected_trainees, lodging_trainees, lodging_nights, travel_trainees,
			travel_tier, actual_lodging, actual_travel, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (course_id) DO UPDATE SET expected_trainees = excluded.expected_trainees,
			lodging_trainees = excluded.lodging_trainees, lodging_nights = excluded.lodging_nights,
			travel_trainees = excluded.travel_trainees, travel_tier = excluded.travel_tier,
			actual_lodging = excluded.actual_lodging, actual_travel = excluded.actual_travel,
			updated_at = excluded.updated_at`,
		courseID, in.ExpectedTrainees.V, in.LodgingTrainees.V, in.LodgingNights.V, in.TravelTrainees.V,
		in.TravelTier, in.ActualLodging.ptr(), in.ActualTravel.ptr(), database.Now()); err != nil {
		return nil, fmt.Errorf("finance: save estimate of %d: %w", courseID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM estimate_lines WHERE course_id = ?`, courseID); err != nil {
		return nil, fmt.Errorf("finance: save estimate of %d: %w", courseID, err)
	}
	for i, l := range in.Lines {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO estimate_lines (course_id, position, label, unit, quantity, unit_price, actual)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, courseID, i+1, l.Label, l.Unit, l.Quantity.V, l.UnitPrice.V, l.Actual.ptr()); err != nil {
			return nil, fmt.Errorf("finance: save estimate of %d: %w", courseID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("finance: save estimate of %d: %w", courseID, err)
	}
	return s.Plan(ctx, courseID)
}

// scene is what every computation of a course reads: the course, its sessions, the
// organization's lecturers and rates.
type scene struct {
	course    *courses.Course
	sessions  []courses.Session
	lecturers map[int64]Lecturer
	rates     *RateTable
	plan      *Plan
}

func (s *Service) loadScene(ctx context.Context, courseID int64) (*scene, error) {
	c, err := s.courses.FindCourseByID(ctx, courseID)
	if err != nil {
		return nil, err
	}
	sc := &scene{course: c, lecturers: map[int64]Lecturer{}}
	if sc.sessions, err = s.courses.ListSessions(ctx, courseID); err != nil {
		return nil, err
	}
	ls, err := s.ListLecturers(ctx, c.OrganizationID)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		sc.lecturers[l.ID] = l
	}
	if sc.rates, err = s.Rates(ctx, c.OrganizationID); err != nil {
		return nil, err
	}
	if sc.plan, err = s.Plan(ctx, courseID); err != nil {
		return nil, err
	}
	return sc, nil
}

// dayOf is the Vietnam calendar day of a session.
func dayOf(sess courses.Session) string { return sess.StartsAt.In(vn.Location).Format("2006-01-02") }

// courseDays are the days with sessions, in order.
func (sc *scene) courseDays() []string {
	var days []string
	for _, sess := range sc.sessions {
		if d := dayOf(sess); !slices.Contains(days, d) {
			days = append(days, d)
		}
	}
	return days
}

// calendarDays are the days of the course from its first to its last, as planned (the
// estimate is made before the timetable may be complete).
func (sc *scene) calendarDays() []string {
	var days []string
	start, end := sc.course.StartDate(), sc.course.EndDate()
	for d := start; !d.After(end) && len(days) < 366; d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format("2006-01-02"))
	}
	return days
}

// sessionPrice prices one session's honorarium: the rate of its lecturer's tier in force on
// its day. A session without a lecturer record, a lecturer without a tier, or no rate in
// force is flagged.
func (sc *scene) sessionPrice(sess courses.Session) (Lecturer, Rate, *Flag) {
	if sess.LecturerID == 0 {
		return Lecturer{}, Rate{}, &Flag{Field: "lecturer_id", SessionID: sess.ID,
			Msg: errs.Msg{Key: "finance.flag.no_lecturer", Args: []any{sessionText(sess)}}}
	}
	l, ok := sc.lecturers[sess.LecturerID]
	if !ok {
		return Lecturer{}, Rate{}, &Flag{Field: "lecturer_id", SessionID: sess.ID,
			Msg: errs.Msg{Key: "finance.flag.no_lecturer", Args: []any{sessionText(sess)}}}
	}
	if l.Tier == "" {
		return l, Rate{}, &Flag{Field: "tier", SessionID: sess.ID,
			Msg: errs.Msg{Key: "finance.flag.no_tier", Args: []any{l.DisplayName(), sessionText(sess)}}}
	}
	r, ok := sc.rates.rateAt(ItemHonorarium, l.Tier, dayOf(sess))
	if !ok {
		return l, Rate{}, &Flag{Field: "rates", SessionID: sess.ID,
			Msg: errs.Msg{Key: "finance.flag.no_rate_tier", Args: []any{TierLabel(l.Tier), vn.FormatDate(sess.StartsAt.In(vn.Location))}}}
	}
	return l, r, nil
}

func sessionText(sess courses.Session) string {
	t := sess.StartsAt.In(vn.Location)
	s := vn.FormatDate(t) + " " + t.Format("15:04")
	if sess.ModuleTitle != "" {
		s += " – " + sess.ModuleTitle
	}
	return s
}

// Estimate is a course's estimate (dự toán): lines, total in figures and words, flags.
type Estimate struct {
	Course       *courses.Course `json:"-"`
	Plan         *Plan           `json:"plan"`
	Lines        []Line          `json:"lines"`
	Total        int64           `json:"total"`
	TotalInWords string          `json:"total_in_words"`
	Flags        []Flag          `json:"-"`
}

// lineAdder merges lines of the same key (e.g. every session of a tier at one rate).
type lineAdder struct{ lines []Line }

func (a *lineAdder) add(l Line) {
	for i := range a.lines {
		if a.lines[i].Key == l.Key {
			a.lines[i].Quantity += l.Quantity
			a.lines[i].Amount += l.Amount
			return
		}
	}
	a.lines = append(a.lines, l)
}

func honorariumLine(tier string, r Rate, n int64) Line {
	return Line{Key: "honorarium:" + vn.Fold(tier) + ":" + strconv.FormatInt(r.Amount, 10), Group: ItemHonorarium,
		Label: "Thù lao báo cáo viên – " + TierLabel(tier), Unit: "buổi", Quantity: n, UnitPrice: r.Amount,
		Amount: n * r.Amount, Basis: r.Basis, Tier: tier}
}

func mealLine(r Rate, n int64) Line {
	return Line{Key: "meal:" + strconv.FormatInt(r.Amount, 10), Group: ItemMeal,
		Label: "Hỗ trợ tiền ăn học viên", Unit: "người-ngày", Quantity: n, UnitPrice: r.Amount, Amount: n * r.Amount, Basis: r.Basis}
}

// Estimate computes the estimate of a course from its planned sessions and their
// lecturers' tiers, the expected trainees over the course days, lodging, travel, materials,
// and the manual lines. Returns ErrNotFound for an unknown course.
func (s *Service) Estimate(ctx context.Context, courseID int64) (*Estimate, error) {
	sc, err := s.loadScene(ctx, courseID)
	if err != nil {
		return nil, err
	}
	return sc.estimate(), nil
}

func (sc *scene) estimate() *Estimate {
	e := &Estimate{Course: sc.course, Plan: sc.plan, Flags: []Flag{}}
	var a lineAdder
	for _, sess := range sc.sessions {
		l, r, fl := sc.sessionPrice(sess)
		if fl != nil {
			e.Flags = append(e.Flags, *fl)
			continue
		}
		a.add(honorariumLine(l.Tier, r, 1))
	}
	p := sc.plan
	start := sc.course.StartsOn
	if n := p.ExpectedTrainees; n > 0 {
		for _, d := range sc.calendarDays() {
			r, ok := sc.rates.rateAt(ItemMeal, "", d)
			if !ok {
				if sc.course.SupportAmountPerDay > 0 {
					r = Rate{Amount: sc.course.SupportAmountPerDay}
				} else {
					e.Flags = append(e.Flags, noRate("meal", ItemMeal, d))
					continue
				}
			}
			a.add(mealLine(r, n))
		}
		if r, ok := sc.rates.rateAt(ItemMaterials, "", start); ok {
			a.add(Line{Key: "materials", Group: ItemMaterials, Label: "Tài liệu học viên", Unit: "bộ",
				Quantity: n, UnitPrice: r.Amount, Amount: n * r.Amount, Basis: r.Basis})
		}
	}
	if q := p.LodgingTrainees * p.LodgingNights; q > 0 {
		if r, ok := sc.rates.rateAt(ItemLodging, "", start); ok {
			a.add(Line{Key: "lodging", Group: ItemLodging, Label: "Hỗ trợ tiền nghỉ học viên", Unit: "người-đêm",
				Quantity: q, UnitPrice: r.Amount, Amount: q * r.Amount, Basis: r.Basis})
		} else {
			e.Flags = append(e.Flags, noRate("lodging_nights", ItemLodging, start))
		}
	}
	if q := p.TravelTrainees; q > 0 {
		if r, ok := sc.rates.rateAt(ItemTravel, p.TravelTier, start); ok {
			label := "Hỗ trợ tiền đi lại học viên"
			if p.TravelTier != "" {
				label += " (" + p.TravelTier + ")"
			}
			a.add(Line{Key: "travel", Group: ItemTravel, Label: label, Unit: "người",
				Quantity: q, UnitPrice: r.Amount, Amount: q * r.Amount, Basis: r.Basis})
		} else {
			e.Flags = append(e.Flags, noRate("travel_tier", ItemTravel, start))
		}
	}
	for _, m := range p.Lines {
		a.add(Line{Key: "manual:" + strconv.FormatInt(m.ID, 10), Group: GroupManual, Label: m.Label, Unit: m.Unit,
			Quantity: m.Quantity, UnitPrice: m.UnitPrice, Amount: m.Quantity * m.UnitPrice})
	}
	e.Lines = a.lines
	if e.Lines == nil {
		e.Lines = []Line{}
	}
	for _, l := range e.Lines {
		e.Total += l.Amount
	}
	e.TotalInWords = vn.AmountInWords(e.Total)
	return e
}

func noRate(field, item, day string) Flag {
	t, _ := vn.ParseDate(day)
	return Flag{Field: field, Msg: errs.Msg{Key: "finance.flag.no_rate." + item, Args: []any{vn.FormatDate(t)}}}
}

// EstimateTotal is the total of a course's estimate, for the official documents (package
// documents asks through its EstimateSource interface); ok is false while no plan has been
// saved for the course.
func (s *Service) EstimateTotal(ctx context.Context, courseID int64) (total int64, ok bool, err error) {
	e, err := s.Estimate(ctx, courseID)
	if err != nil {
		return 0, false, err
	}
	return e.Total, e.Plan.Saved, nil
}
