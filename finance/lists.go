package finance

import (
	"context"
	"slices"
	"strconv"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/errs"
	"taphuan/vn"
)

// SupportRow is one trainee of the support list: the days attended (present or late at one
// session at least) and the amount, each day at the meal rate in force that day.
type SupportRow struct {
	Registration courses.Registration `json:"-"`
	FullName     string               `json:"full_name"`
	Organization string               `json:"organization"`
	IDNumber     string               `json:"id_number,omitempty"`
	Days         int64                `json:"days"`
	Amount       int64                `json:"amount"`
}

// DayRate is the support rate of one course day and where it comes from.
type DayRate struct {
	Day    string `json:"day"`
	Label  string `json:"-"` // dd/mm/yyyy
	Amount int64  `json:"amount"`
	Basis  string `json:"basis"`
	Known  bool   `json:"known"`
}

// Support is the trainee support list (danh sách nhận tiền hỗ trợ) after the course.
type Support struct {
	Course       *courses.Course `json:"-"`
	Days         []DayRate       `json:"days"`
	Lines        []SupportRow    `json:"lines"`
	TotalDays    int64           `json:"total_days"`
	Total        int64           `json:"total"`
	TotalInWords string          `json:"total_in_words"`
	Flags        []Flag          `json:"-"`
	// byRate counts attended person-days per rate, for the settlement.
	byRate map[int64]int64
	// attendees counts trainees with an attended day.
	attendees int64
}

// dayRate is the support rate of a day: the organization's meal rate in force, else the
// course's own amount per day when one is set; else unknown (flagged, not paid).
func (sc *scene) dayRate(day string) DayRate {
	t, _ := vn.ParseDate(day)
	label := vn.FormatDate(t)
	if r, ok := sc.rates.rateAt(ItemMeal, "", day); ok {
		return DayRate{Day: day, Label: label, Amount: r.Amount, Basis: r.Basis, Known: true}
	}
	if sc.course.SupportAmountPerDay > 0 {
		return DayRate{Day: day, Label: label, Amount: sc.course.SupportAmountPerDay, Known: true}
	}
	return DayRate{Day: day, Label: label}
}

// Support computes the support list of a course from its attendance. Returns ErrNotFound
// for an unknown course.
func (s *Service) Support(ctx context.Context, courseID int64) (*Support, error) {
	sc, err := s.loadScene(ctx, courseID)
	if err != nil {
		return nil, err
	}
	mx, err := s.attend.Matrix(ctx, courseID)
	if err != nil {
		return nil, err
	}
	return sc.support(mx), nil
}

func (sc *scene) support(mx *attendance.Matrix) *Support {
	sp := &Support{Course: sc.course, Days: []DayRate{}, Lines: []SupportRow{}, Flags: []Flag{}, byRate: map[int64]int64{}}
	rates := map[string]DayRate{}
	for _, d := range sc.courseDays() {
		dr := sc.dayRate(d)
		rates[d] = dr
		sp.Days = append(sp.Days, dr)
		if !dr.Known {
			sp.Flags = append(sp.Flags, noRate("rates", ItemMeal, d))
		}
	}
	for _, row := range mx.Rows {
		var days []string
		for _, sess := range mx.Sessions {
			if d := dayOf(sess); attendance.Attended(row.Marks[sess.ID]) && !slices.Contains(days, d) {
				days = append(days, d)
			}
		}
		if len(days) == 0 {
			continue
		}
		sp.attendees++
		r := SupportRow{Registration: row.Registration, FullName: row.Registration.FullName,
			Organization: row.Registration.Organization, IDNumber: row.Registration.IDNumber}
		for _, d := range days {
			if dr := rates[d]; dr.Known {
				r.Days++
				r.Amount += dr.Amount
				sp.byRate[dr.Amount]++
			}
		}
		sp.Lines = append(sp.Lines, r)
		sp.TotalDays += r.Days
		sp.Total += r.Amount
	}
	sp.TotalInWords = vn.AmountInWords(sp.Total)
	return sp
}

// HonorariumRow is one lecturer of the honoraria list: the sessions taught, the gross
// amount (each session at the rate in force on its day), the tax withheld and the net.
type HonorariumRow struct {
	Lecturer   Lecturer `json:"-"`
	LecturerID int64    `json:"lecturer_id"`
	Name       string   `json:"name"`
	Tier       string   `json:"tier"`
	Workplace  string   `json:"workplace"`
	Sessions   int64    `json:"sessions"`
	Gross      int64    `json:"gross"`
	Tax        int64    `json:"tax"`
	Amount     int64    `json:"amount"` // net
}

// Honoraria is the lecturers' honoraria list (danh sách chi thù lao báo cáo viên).
type Honoraria struct {
	Course       *courses.Course `json:"-"`
	Tax          Tax             `json:"tax"`
	Lines        []HonorariumRow `json:"lines"`
	Sessions     int64           `json:"sessions"`
	Gross        int64           `json:"gross"`
	TaxTotal     int64           `json:"tax_total"`
	Total        int64           `json:"total"` // net paid
	TotalInWords string          `json:"total_in_words"`
	Flags        []Flag          `json:"-"`
	// taught lines, for the settlement: the estimate's honorarium lines, as taught.
	taught lineAdder
}

// Taught reports whether a session took place: somebody was marked present or late in it.
// A session nobody attended was not taught, whatever the timetable says.
func taught(mx *attendance.Matrix, sessID int64) bool {
	for _, row := range mx.Rows {
		if attendance.Attended(row.Marks[sessID]) {
			return true
		}
	}
	return false
}

// Honoraria computes the honoraria list from the sessions actually taught. Returns
// ErrNotFound for an unknown course.
func (s *Service) Honoraria(ctx context.Context, courseID int64) (*Honoraria, error) {
	sc, err := s.loadScene(ctx, courseID)
	if err != nil {
		return nil, err
	}
	mx, err := s.attend.Matrix(ctx, courseID)
	if err != nil {
		return nil, err
	}
	return sc.honoraria(mx), nil
}

func (sc *scene) honoraria(mx *attendance.Matrix) *Honoraria {
	h := &Honoraria{Course: sc.course, Tax: sc.rates.Tax, Lines: []HonorariumRow{}, Flags: []Flag{}}
	idx := map[int64]int{}
	for _, sess := range mx.Sessions {
		if !taught(mx, sess.ID) {
			continue
		}
		l, r, fl := sc.sessionPrice(sess)
		if fl != nil {
			h.Flags = append(h.Flags, *fl)
			continue
		}
		i, ok := idx[l.ID]
		if !ok {
			i = len(h.Lines)
			idx[l.ID] = i
			h.Lines = append(h.Lines, HonorariumRow{Lecturer: l, LecturerID: l.ID, Name: l.DisplayName(),
				Tier: l.Tier, Workplace: l.Workplace})
		}
		h.Lines[i].Sessions++
		h.Lines[i].Gross += r.Amount
		h.taught.add(honorariumLine(l.Tier, r, 1))
	}
	for i := range h.Lines {
		r := &h.Lines[i]
		r.Tax = taxOf(r.Gross, h.Tax.RateBP, h.Tax.Threshold)
		r.Amount = r.Gross - r.Tax
		h.Sessions += r.Sessions
		h.Gross += r.Gross
		h.TaxTotal += r.Tax
		h.Total += r.Amount
	}
	h.TotalInWords = vn.AmountInWords(h.Total)
	return h
}

// SettlementLine is one line of the settlement: estimated and actual amounts and the
// difference (actual − estimate). Known is false where the actual amount was not entered
// yet (flagged; counted as 0).
type SettlementLine struct {
	Key       string `json:"key"`
	Group     string `json:"group"`
	Label     string `json:"label"`
	Estimate  int64  `json:"estimate"`
	Actual    int64  `json:"actual"`
	Amount    int64  `json:"amount"` // the difference
	Known     bool   `json:"known"`
	Tier      string `json:"tier,omitempty"`
	UnitPrice int64  `json:"unit_price,omitempty"` // of honorarium and meal lines
}

// Settlement is the settlement (quyết toán) of a course: the estimate against what was
// actually paid, line by line.
type Settlement struct {
	Course        *courses.Course  `json:"-"`
	Lines         []SettlementLine `json:"lines"`
	EstimateTotal int64            `json:"estimate_total"`
	Total         int64            `json:"total"` // actual
	Difference    int64            `json:"difference"`
	TotalInWords  string           `json:"total_in_words"`
	Flags         []Flag           `json:"-"`
}

// Settlement compares the estimate with the actual: honoraria of the sessions taught,
// support of the days attended, materials for those who came, and what the organizer
// entered for lodging, travel and the manual lines. Returns ErrNotFound for an unknown
// course.
func (s *Service) Settlement(ctx context.Context, courseID int64) (*Settlement, error) {
	sc, err := s.loadScene(ctx, courseID)
	if err != nil {
		return nil, err
	}
	mx, err := s.attend.Matrix(ctx, courseID)
	if err != nil {
		return nil, err
	}
	return sc.settlement(mx), nil
}

func (sc *scene) settlement(mx *attendance.Matrix) *Settlement {
	est := sc.estimate()
	hon := sc.honoraria(mx)
	sup := sc.support(mx)
	st := &Settlement{Course: sc.course, Lines: []SettlementLine{}, Flags: []Flag{}}
	st.Flags = append(st.Flags, hon.Flags...)
	st.Flags = append(st.Flags, sup.Flags...)
	actual := map[string]int64{}
	known := map[string]bool{}
	var extra []Line // actual lines the estimate does not have
	put := func(l Line) {
		actual[l.Key] += l.Amount
		known[l.Key] = true
		if !slices.ContainsFunc(est.Lines, func(e Line) bool { return e.Key == l.Key }) &&
			!slices.ContainsFunc(extra, func(e Line) bool { return e.Key == l.Key }) {
			extra = append(extra, l)
		}
	}
	for _, l := range hon.taught.lines {
		put(l)
	}
	rates := make([]int64, 0, len(sup.byRate))
	for r := range sup.byRate {
		rates = append(rates, r)
	}
	slices.Sort(rates)
	for _, r := range rates {
		put(mealLine(Rate{Amount: r}, sup.byRate[r]))
	}
	if r, ok := sc.rates.rateAt(ItemMaterials, "", sc.course.StartsOn); ok && sup.attendees > 0 {
		put(Line{Key: "materials", Group: ItemMaterials, Label: "Tài liệu học viên", Amount: sup.attendees * r.Amount})
	}
	p := sc.plan
	if p.ActualLodging != nil {
		put(Line{Key: "lodging", Group: ItemLodging, Label: "Hỗ trợ tiền nghỉ học viên", Amount: *p.ActualLodging})
	}
	if p.ActualTravel != nil {
		put(Line{Key: "travel", Group: ItemTravel, Label: "Hỗ trợ tiền đi lại học viên", Amount: *p.ActualTravel})
	}
	for _, m := range p.Lines {
		if m.Actual != nil {
			put(Line{Key: "manual:" + strconv.FormatInt(m.ID, 10), Group: GroupManual, Label: m.Label, Amount: *m.Actual})
		}
	}
	add := func(src Line, label string, estimate int64) {
		key, group := src.Key, src.Group
		l := SettlementLine{Key: key, Group: group, Label: label, Estimate: estimate, Actual: actual[key], Known: known[key],
			Tier: src.Tier}
		if group == ItemHonorarium || group == ItemMeal {
			l.UnitPrice = src.UnitPrice
		}
		// Lines computed from attendance are known even when nothing was paid (0 attended).
		if group == ItemHonorarium || group == ItemMeal || group == ItemMaterials {
			l.Known = true
		}
		if !l.Known {
			field := "lines." + key
			st.Flags = append(st.Flags, Flag{Field: field, Msg: errs.Msg{Key: "finance.flag.no_actual", Args: []any{label}}})
		}
		l.Amount = l.Actual - l.Estimate
		st.Lines = append(st.Lines, l)
		st.EstimateTotal += l.Estimate
		st.Total += l.Actual
	}
	for _, l := range est.Lines {
		label := l.Label
		if l.Group == ItemHonorarium || l.Group == ItemMeal {
			label += " (" + vn.FormatInt(l.UnitPrice) + " đ)"
		}
		add(l, label, l.Amount)
	}
	for _, l := range extra {
		label := l.Label
		if l.Group == ItemHonorarium || l.Group == ItemMeal {
			label += " (" + vn.FormatInt(l.UnitPrice) + " đ)"
		}
		add(l, label, 0)
	}
	st.Difference = st.Total - st.EstimateTotal
	st.TotalInWords = vn.AmountInWords(st.Total)
	return st
}

// SettlementTotal is the actual total of a completed course that has an estimate; ok is
// false before the course is completed or without an estimate (the course's results
// report then says nothing of a settlement).
func (s *Service) SettlementTotal(ctx context.Context, courseID int64) (int64, bool, error) {
	if _, ok, err := s.EstimateTotal(ctx, courseID); err != nil || !ok {
		return 0, false, err
	}
	st, err := s.Settlement(ctx, courseID)
	if err != nil {
		return 0, false, err
	}
	if st.Course.Status != courses.StatusCompleted {
		return 0, false, nil
	}
	return st.Total, true, nil
}
