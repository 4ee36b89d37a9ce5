package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/errs"
	"taphuan/finance"
	"taphuan/vn"
)

// The staff pages of the money of a course: the lecturers of an organization, its cost
// norms, and a course's money page (the estimate editor, the four lists with their flags
// and downloads).

// pageOrg is the organization a staff page is about: the user's own; an administrator picks
// one with ?organization_id= (else the first).
func (s *Server) pageOrg(c *gin.Context, raw string) (*accounts.Organization, []option, error) {
	u := currentUser(c)
	ctx := c.Request.Context()
	if !u.IsAdmin() {
		org, err := s.accounts.FindOrganizationByID(ctx, u.OrganizationID)
		return org, nil, err
	}
	orgs, err := s.accounts.ListOrganizations(ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(orgs) == 0 {
		return nil, nil, errNotFound
	}
	pick := orgs[0]
	if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
		for _, o := range orgs {
			if o.ID == id {
				pick = o
			}
		}
	}
	opts := make([]option, len(orgs))
	for i, o := range orgs {
		opts[i] = option{Value: itoa64(o.ID), Label: o.Name, Selected: o.ID == pick.ID}
	}
	return &pick, opts, nil
}

func (s *Server) tierOptions(c *gin.Context, selected string) []option {
	lang := langOf(c)
	out := []option{{Value: "", Label: s.tr(lang, "finance.tier.none"), Selected: selected == ""}}
	custom := selected != ""
	for _, t := range finance.StandardTiers() {
		out = append(out, option{Value: t, Label: s.tr(lang, "finance.tier."+t), Selected: t == selected})
		if t == selected {
			custom = false
		}
	}
	if custom {
		out = append(out, option{Value: selected, Label: selected, Selected: true})
	}
	return out
}

func (s *Server) tierLabel(c *gin.Context, t string) string {
	for _, st := range finance.StandardTiers() {
		if st == t {
			return s.tr(langOf(c), "finance.tier."+t)
		}
	}
	return t
}

// lecturersPerPage is the length of a page of the lecturers list.
const lecturersPerPage = 50

// lecturersData is the lecturers page.
type lecturersData struct {
	Org         *accounts.Organization
	Orgs        []option
	Items       []finance.Lecturer
	Pager       Pager
	Tiers       map[string]string
	CanManage   bool
	Form        finance.LecturerInput
	TierOptions []option
	Edit        *finance.Lecturer
}

func readLecturerForm(c *gin.Context) finance.LecturerInput {
	in := finance.LecturerInput{FullName: c.PostForm("full_name"), Title: c.PostForm("title"), Position: c.PostForm("position"),
		Workplace: c.PostForm("workplace"), Tier: c.PostForm("tier"), Phone: c.PostForm("phone"), Email: c.PostForm("email"),
		TaxCode: c.PostForm("tax_code"), IDNumber: c.PostForm("id_number"), BankAccount: c.PostForm("bank_account"),
		BankName: c.PostForm("bank_name")}
	if custom := strings.TrimSpace(c.PostForm("tier_custom")); custom != "" {
		in.Tier = custom
	}
	return in
}

func (s *Server) renderLecturers(c *gin.Context, status int, org *accounts.Organization, orgs []option, form finance.LecturerInput, edit *finance.Lecturer, fe map[string]string) error {
	u := currentUser(c)
	d := lecturersData{Org: org, Orgs: orgs, CanManage: u.CanManage(org.ID), Form: form, Edit: edit, Tiers: map[string]string{}}
	all, err := s.finance.ListLecturers(c.Request.Context(), org.ID)
	if err != nil {
		return err
	}
	ls, pager, err := pageOf(c, lecturersPerPage, func(limit, offset int) ([]finance.Lecturer, int, error) {
		n := len(all)
		return all[min(offset, n):min(offset+limit, n)], n, nil
	})
	if err != nil {
		return err
	}
	d.Pager = pager
	for i := range ls {
		ls[i] = lecturerView(c, ls[i])
		d.Tiers[ls[i].Tier] = s.tierLabel(c, ls[i].Tier)
	}
	d.Items = ls
	d.TierOptions = s.tierOptions(c, finance.NormalizeTier(form.Tier))
	page := "lecturers"
	if edit != nil {
		page = "lecturer_edit"
	}
	return s.render(c, status, page, view{Section: "lecturers", Title: s.tr(langOf(c), "finance.lecturers.title"),
		Errors: fe, Data: d})
}

// handleLecturersPage: GET /staff/lecturers[?organization_id=].
func (s *Server) handleLecturersPage(c *gin.Context) error {
	org, orgs, err := s.pageOrg(c, c.Query("organization_id"))
	if err != nil {
		return err
	}
	return s.renderLecturers(c, http.StatusOK, org, orgs, finance.LecturerInput{}, nil, nil)
}

// handleLecturerCreateForm: POST /staff/lecturers.
func (s *Server) handleLecturerCreateForm(c *gin.Context) error {
	org, orgs, err := s.pageOrg(c, c.PostForm("organization_id"))
	if err != nil {
		return err
	}
	if err := orgAccess(currentUser(c), org.ID, true); err != nil {
		return err
	}
	in := readLecturerForm(c)
	in.OrganizationID = org.ID
	if _, err := s.finance.CreateLecturer(c.Request.Context(), in); err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderLecturers(c, status, org, orgs, in, nil, fe)
		})
	}
	s.flash(c, "finance.flash.lecturer_added")
	return redirect(c, "/staff/lecturers?organization_id="+itoa64(org.ID))
}

func (s *Server) lecturerOfPage(c *gin.Context) (*finance.Lecturer, *accounts.Organization, error) {
	l, err := s.lecturerParam(c, true)
	if err != nil {
		return nil, nil, err
	}
	org, err := s.accounts.FindOrganizationByID(c.Request.Context(), l.OrganizationID)
	return l, org, err
}

// handleLecturerEdit: GET /staff/lecturers/{id}/edit (organizers).
func (s *Server) handleLecturerEdit(c *gin.Context) error {
	l, org, err := s.lecturerOfPage(c)
	if err != nil {
		return err
	}
	form := finance.LecturerInput{FullName: l.FullName, Title: l.Title, Position: l.Position, Workplace: l.Workplace,
		Tier: l.Tier, Phone: l.Phone, Email: l.Email, TaxCode: l.TaxCode, IDNumber: l.IDNumber,
		BankAccount: l.BankAccount, BankName: l.BankName}
	return s.renderLecturers(c, http.StatusOK, org, nil, form, l, nil)
}

// handleLecturerUpdateForm: POST /staff/lecturers/{id}.
func (s *Server) handleLecturerUpdateForm(c *gin.Context) error {
	l, org, err := s.lecturerOfPage(c)
	if err != nil {
		return err
	}
	in := readLecturerForm(c)
	_, err = s.finance.UpdateLecturer(c.Request.Context(), l.ID, finance.LecturerPatch{FullName: &in.FullName,
		Title: &in.Title, Position: &in.Position, Workplace: &in.Workplace, Tier: &in.Tier, Phone: &in.Phone,
		Email: &in.Email, TaxCode: &in.TaxCode, IDNumber: &in.IDNumber, BankAccount: &in.BankAccount, BankName: &in.BankName})
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderLecturers(c, status, org, nil, in, l, fe)
		})
	}
	s.flash(c, "finance.flash.lecturer_saved")
	return redirect(c, "/staff/lecturers?organization_id="+itoa64(org.ID))
}

// lecturerOptions are the records a module may point to.
func (s *Server) lecturerOptions(c *gin.Context, orgID int64, selected int64) ([]option, error) {
	ls, err := s.finance.ListLecturers(c.Request.Context(), orgID)
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: s.tr(langOf(c), "finance.module.no_record"), Selected: selected == 0}}
	for _, l := range ls {
		label := l.DisplayName()
		if l.Tier != "" {
			label += " (" + s.tierLabel(c, l.Tier) + ")"
		}
		out = append(out, option{Value: itoa64(l.ID), Label: label, Selected: l.ID == selected})
	}
	return out, nil
}

// rateRow is a line of the rates form as typed.
type rateRow struct {
	Item, Tier, Amount, ValidFrom, ValidTo, Basis string
	Items                                         []option
	N                                             int
}

type ratesData struct {
	Org       *accounts.Organization
	Orgs      []option
	CanManage bool
	Rows      []rateRow
	Rates     []finance.Rate
	TaxRate   string // percent
	Threshold string
}

func (s *Server) itemOptions(c *gin.Context, selected string) []option {
	lang := langOf(c)
	out := []option{{Value: "", Label: s.tr(lang, "finance.item.choose"), Selected: selected == ""}}
	for _, it := range finance.Items() {
		out = append(out, option{Value: it, Label: s.tr(lang, "finance.item."+it), Selected: it == selected})
	}
	return out
}

// blankRateRows are the empty lines offered for new rates.
const blankRateRows = 4

func (s *Server) renderRates(c *gin.Context, status int, org *accounts.Organization, orgs []option, rows []rateRow, taxRate, threshold string, fe map[string]string) error {
	t, err := s.finance.Rates(c.Request.Context(), org.ID)
	if err != nil {
		return err
	}
	d := ratesData{Org: org, Orgs: orgs, CanManage: currentUser(c).CanManage(org.ID), Rates: t.Items,
		TaxRate: taxRate, Threshold: threshold}
	if rows == nil {
		for _, r := range t.Items {
			rows = append(rows, rateRow{Item: r.Item, Tier: r.Tier, Amount: strconv.FormatInt(r.Amount, 10),
				ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, Basis: r.Basis})
		}
		for range blankRateRows {
			rows = append(rows, rateRow{})
		}
		d.TaxRate = strconv.FormatInt(t.Tax.RateBP/100, 10)
		if t.Tax.RateBP%100 != 0 {
			d.TaxRate = strconv.FormatFloat(float64(t.Tax.RateBP)/100, 'f', 2, 64)
		}
		d.Threshold = strconv.FormatInt(t.Tax.Threshold, 10)
	}
	for i := range rows {
		rows[i].N = i
		rows[i].Items = s.itemOptions(c, rows[i].Item)
	}
	d.Rows = rows
	return s.render(c, status, "rates", view{Section: "rates", Title: s.tr(langOf(c), "finance.rates.title"), Errors: fe, Data: d})
}

// handleRatesPage: GET /staff/rates[?organization_id=].
func (s *Server) handleRatesPage(c *gin.Context) error {
	org, orgs, err := s.pageOrg(c, c.Query("organization_id"))
	if err != nil {
		return err
	}
	return s.renderRates(c, http.StatusOK, org, orgs, nil, "", "", nil)
}

// handleRatesForm: POST /staff/rates — the whole table at once; lines left wholly empty are
// dropped, every other line is checked.
func (s *Server) handleRatesForm(c *gin.Context) error {
	org, orgs, err := s.pageOrg(c, c.PostForm("organization_id"))
	if err != nil {
		return err
	}
	if err := orgAccess(currentUser(c), org.ID, true); err != nil {
		return err
	}
	n, _ := strconv.Atoi(c.PostForm("rows"))
	n = min(max(n, 0), 500)
	var rows []rateRow
	var items []finance.RateInput
	for i := range n {
		p := "items." + strconv.Itoa(i) + "."
		r := rateRow{Item: c.PostForm(p + "item"), Tier: c.PostForm(p + "tier"), Amount: c.PostForm(p + "amount"),
			ValidFrom: c.PostForm(p + "valid_from"), ValidTo: c.PostForm(p + "valid_to"), Basis: c.PostForm(p + "basis")}
		if strings.TrimSpace(r.Item+r.Tier+r.Amount+r.ValidFrom+r.ValidTo+r.Basis) == "" {
			continue
		}
		rows = append(rows, r)
		items = append(items, finance.RateInput{Item: r.Item, Tier: r.Tier, Amount: finance.ParseMoney(r.Amount),
			ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, Basis: r.Basis})
	}
	taxRate, threshold := c.PostForm("tax_rate"), c.PostForm("tax_threshold")
	tax := &finance.TaxInput{}
	f := errs.Fields{}
	if pct := finance.ParseMoney(taxRate); pct.Set() {
		bp := finance.M(pct.V * 100)
		if pct.V > 100 {
			f.Add("tax_rate", "finance.err.rate_bp")
		}
		tax.RateBP = &bp
		if b, _ := pct.MarshalJSON(); string(b) == "0" && strings.TrimSpace(taxRate) != "0" {
			f.Add("tax_rate", "finance.err.percent")
		}
	}
	if th := finance.ParseMoney(threshold); th.Set() {
		tax.Threshold = &th
	}
	var fe map[string]string
	if len(f) == 0 {
		_, err = s.finance.ReplaceRates(c.Request.Context(), org.ID, items, tax)
		if err == nil {
			s.flash(c, "finance.flash.rates_saved")
			return redirect(c, "/staff/rates?organization_id="+itoa64(org.ID))
		}
		if fe = s.fieldErrors(c, err); fe == nil {
			return err
		}
		if v, ok := fe["tax.rate_bp"]; ok {
			fe["tax_rate"] = v
		}
		if v, ok := fe["tax.threshold"]; ok {
			fe["tax_threshold"] = v
		}
	} else {
		fe = s.translate(c, f)
	}
	for range blankRateRows {
		rows = append(rows, rateRow{})
	}
	return s.renderRates(c, http.StatusUnprocessableEntity, org, orgs, rows, taxRate, threshold, fe)
}

// planForm is the estimate editor as typed.
type planForm struct {
	ExpectedTrainees, LodgingTrainees, LodgingNights, TravelTrainees, TravelTier, ActualLodging, ActualTravel string
	Lines                                                                                                     []planLine
}

type planLine struct {
	N                                        int
	Label, Unit, Quantity, UnitPrice, Actual string
}

type flagView struct {
	Field, Message string
}

type moneyData struct {
	Course     *courses.Course
	CanManage  bool
	Form       planForm
	Estimate   *finance.Estimate
	Support    *finance.Support
	Honoraria  *finance.Honoraria
	Settlement *finance.Settlement
	Flags      map[string][]flagView
	Tiers      map[string]string
}

const blankPlanLines = 3

func i64(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func p64(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func formOfPlan(p *finance.Plan) planForm {
	f := planForm{ExpectedTrainees: i64(p.ExpectedTrainees), LodgingTrainees: i64(p.LodgingTrainees),
		LodgingNights: i64(p.LodgingNights), TravelTrainees: i64(p.TravelTrainees), TravelTier: p.TravelTier,
		ActualLodging: p64(p.ActualLodging), ActualTravel: p64(p.ActualTravel)}
	for _, l := range p.Lines {
		f.Lines = append(f.Lines, planLine{Label: l.Label, Unit: l.Unit, Quantity: strconv.FormatInt(l.Quantity, 10),
			UnitPrice: strconv.FormatInt(l.UnitPrice, 10), Actual: p64(l.Actual)})
	}
	return f
}

func (s *Server) renderMoney(c *gin.Context, status int, course *courses.Course, form *planForm, fe map[string]string) error {
	ctx := c.Request.Context()
	d := moneyData{Course: course, CanManage: currentUser(c).CanManage(course.OrganizationID), Flags: map[string][]flagView{},
		Tiers: map[string]string{}}
	for _, t := range finance.StandardTiers() {
		d.Tiers[t] = s.tierLabel(c, t)
	}
	var err error
	if d.Support, err = s.finance.Support(ctx, course.ID); err != nil {
		return err
	}
	addFlags := func(kind string, fl []finance.Flag) {
		for _, f := range fl {
			d.Flags[kind] = append(d.Flags[kind], flagView{Field: f.Field, Message: s.trMsg(langOf(c), f.Msg)})
		}
	}
	addFlags("support", d.Support.Flags)
	if d.CanManage {
		if d.Estimate, err = s.finance.Estimate(ctx, course.ID); err != nil {
			return err
		}
		if d.Honoraria, err = s.finance.Honoraria(ctx, course.ID); err != nil {
			return err
		}
		if d.Settlement, err = s.finance.Settlement(ctx, course.ID); err != nil {
			return err
		}
		if langOf(c) != "vi" {
			for i := range d.Estimate.Lines {
				l := &d.Estimate.Lines[i]
				if l.Group != finance.GroupManual {
					l.Label, l.Unit = s.lineLabel(c, l.Group, l.Tier, 0), s.tr(langOf(c), "finance.unit."+l.Group)
				}
			}
			for i := range d.Settlement.Lines {
				l := &d.Settlement.Lines[i]
				if l.Group != finance.GroupManual {
					l.Label = s.lineLabel(c, l.Group, l.Tier, l.UnitPrice)
				}
			}
		}
		addFlags("estimate", d.Estimate.Flags)
		addFlags("honoraria", d.Honoraria.Flags)
		addFlags("settlement", d.Settlement.Flags)
		if form == nil {
			f := formOfPlan(d.Estimate.Plan)
			form = &f
		}
		for range blankPlanLines {
			form.Lines = append(form.Lines, planLine{})
		}
		for i := range form.Lines {
			form.Lines[i].N = i
		}
		d.Form = *form
	}
	return s.render(c, status, "course_money", view{Section: "courses", Tab: "money",
		Title: s.tr(langOf(c), "finance.money.title") + " · " + course.Title, Errors: fe, Data: d})
}

// lineLabel names a computed line in the page's language (the documents stay Vietnamese).
func (s *Server) lineLabel(c *gin.Context, group, tier string, unitPrice int64) string {
	label := s.tr(langOf(c), "finance.line."+group)
	if group == finance.ItemHonorarium {
		label += " – " + s.tierLabel(c, tier)
	}
	if unitPrice > 0 {
		label += " (" + s.tr(langOf(c), "ux.money", vn.FormatInt(unitPrice)) + ")"
	}
	return label
}

// handleMoneyPage: GET /staff/courses/{id}/money.
func (s *Server) handleMoneyPage(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	return s.renderMoney(c, http.StatusOK, course, nil, nil)
}

// handleMoneyPlanForm: POST /staff/courses/{id}/money — saves the estimate's plan.
func (s *Server) handleMoneyPlanForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	form := planForm{ExpectedTrainees: c.PostForm("expected_trainees"), LodgingTrainees: c.PostForm("lodging_trainees"),
		LodgingNights: c.PostForm("lodging_nights"), TravelTrainees: c.PostForm("travel_trainees"),
		TravelTier: c.PostForm("travel_tier"), ActualLodging: c.PostForm("actual_lodging"), ActualTravel: c.PostForm("actual_travel")}
	in := finance.PlanInput{ExpectedTrainees: finance.ParseMoney(form.ExpectedTrainees),
		LodgingTrainees: finance.ParseMoney(form.LodgingTrainees), LodgingNights: finance.ParseMoney(form.LodgingNights),
		TravelTrainees: finance.ParseMoney(form.TravelTrainees), TravelTier: form.TravelTier,
		ActualLodging: finance.ParseMoney(form.ActualLodging), ActualTravel: finance.ParseMoney(form.ActualTravel)}
	n, _ := strconv.Atoi(c.PostForm("lines"))
	n = min(max(n, 0), 200)
	kept := 0
	fieldOf := map[string]string{} // the domain's line index → the form's
	for i := range n {
		p := "lines." + strconv.Itoa(i) + "."
		l := planLine{Label: c.PostForm(p + "label"), Unit: c.PostForm(p + "unit"), Quantity: c.PostForm(p + "quantity"),
			UnitPrice: c.PostForm(p + "unit_price"), Actual: c.PostForm(p + "actual")}
		if strings.TrimSpace(l.Label+l.Unit+l.Quantity+l.UnitPrice+l.Actual) == "" {
			continue
		}
		fieldOf["lines."+strconv.Itoa(kept)+"."] = "lines." + strconv.Itoa(len(form.Lines)) + "."
		kept++
		form.Lines = append(form.Lines, l)
		in.Lines = append(in.Lines, finance.ManualLineInput{Label: l.Label, Unit: l.Unit, Quantity: finance.ParseMoney(l.Quantity),
			UnitPrice: finance.ParseMoney(l.UnitPrice), Actual: finance.ParseMoney(l.Actual)})
	}
	if _, err := s.finance.SavePlan(c.Request.Context(), course.ID, in); err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			out := map[string]string{} // the lines kept are renumbered: back to the form's rows
			for k, v := range fe {
				for from, to := range fieldOf {
					if strings.HasPrefix(k, from) {
						k = to + strings.TrimPrefix(k, from)
						break
					}
				}
				out[k] = v
			}
			return s.renderMoney(c, status, course, &form, out)
		})
	}
	s.flash(c, "finance.flash.plan_saved")
	return redirect(c, "/staff/courses/"+itoa64(course.ID)+"/money")
}
