package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/finance"
)

// The money of a course (API.md, Money): lecturers, the organization's rates, the estimate's
// plan and the four reports. Lecturers' tax code, ID number and bank account go to
// organizers (and administrators) only; check-in staff get the records without them. The
// reports other than the support list (which the attendance payments list always was) are
// for organizers.

// orgOfQuery is the organization a list is about: the user's own, or for an administrator
// the one named by organization_id (required then).
func orgOfQuery(c *gin.Context, raw string) (int64, error) {
	u := currentUser(c)
	if raw == "" {
		if u.IsAdmin() {
			f := errs.Fields{}
			f.Add("organization_id", "err.required")
			return 0, f.Err()
		}
		return u.OrganizationID, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || !u.CanView(id) {
		return 0, errNotFound
	}
	return id, nil
}

// lecturerView is what the user may see of a lecturer.
func lecturerView(c *gin.Context, l finance.Lecturer) finance.Lecturer {
	if currentUser(c).CanManage(l.OrganizationID) {
		return l
	}
	return l.Public()
}

// handleLecturerList: GET /api/v1/lecturers[?organization_id=] → items.
func (s *Server) handleLecturerList(c *gin.Context) error {
	orgID, err := orgOfQuery(c, c.Query("organization_id"))
	if err != nil {
		return err
	}
	ls, err := s.finance.ListLecturers(c.Request.Context(), orgID)
	if err != nil {
		return err
	}
	for i := range ls {
		ls[i] = lecturerView(c, ls[i])
	}
	limit, offset := listParams(c)
	total := len(ls)
	return list(c, ls[min(offset, total):min(offset+limit, total)], total)
}

// handleLecturerCreate: POST /api/v1/lecturers {full_name, title, position, workplace, tier,
// phone, email, tax_code, id_number, bank_account, bank_name[, organization_id]} → 201.
func (s *Server) handleLecturerCreate(c *gin.Context) error {
	var in finance.LecturerInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	if in.OrganizationID == 0 && !u.IsAdmin() {
		in.OrganizationID = u.OrganizationID
	}
	if in.OrganizationID != 0 {
		if err := orgAccess(u, in.OrganizationID, true); err != nil {
			return err
		}
	}
	l, err := s.finance.CreateLecturer(c.Request.Context(), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, l)
	return nil
}

// lecturerParam loads the lecturer of the path for the current user.
func (s *Server) lecturerParam(c *gin.Context, manage bool) (*finance.Lecturer, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	l, err := s.finance.FindLecturerByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := orgAccess(currentUser(c), l.OrganizationID, manage); err != nil {
		return nil, err
	}
	return l, nil
}

// handleLecturerGet: GET /api/v1/lecturers/{id}.
func (s *Server) handleLecturerGet(c *gin.Context) error {
	l, err := s.lecturerParam(c, false)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, lecturerView(c, *l))
	return nil
}

// handleLecturerPatch: PATCH /api/v1/lecturers/{id} — any field of the record.
func (s *Server) handleLecturerPatch(c *gin.Context) error {
	l, err := s.lecturerParam(c, true)
	if err != nil {
		return err
	}
	var p finance.LecturerPatch
	if err := bindJSON(c, &p); err != nil {
		return err
	}
	updated, err := s.finance.UpdateLecturer(c.Request.Context(), l.ID, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, updated)
	return nil
}

// handleRatesGet: GET /api/v1/organizations/{id}/rates → {items, tax}.
func (s *Server) handleRatesGet(c *gin.Context) error {
	id, err := s.orgParam(c, false)
	if err != nil {
		return err
	}
	t, err := s.finance.Rates(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

// handleRatesPut: PUT /api/v1/organizations/{id}/rates {items: [{item, tier, amount,
// valid_from, valid_to, basis}], tax: {rate_bp, threshold}} replaces the table, all or
// nothing; overlapping periods of an item and tier are refused on the field.
func (s *Server) handleRatesPut(c *gin.Context) error {
	id, err := s.orgParam(c, true)
	if err != nil {
		return err
	}
	var body struct {
		Items []finance.RateInput `json:"items"`
		Tax   *finance.TaxInput   `json:"tax"`
	}
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	t, err := s.finance.ReplaceRates(c.Request.Context(), id, body.Items, body.Tax)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

// handleEstimatePlanGet: GET /api/v1/courses/{id}/estimate/plan.
func (s *Server) handleEstimatePlanGet(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	p, err := s.finance.Plan(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, p)
	return nil
}

// handleEstimatePlanPut: PUT /api/v1/courses/{id}/estimate/plan {expected_trainees,
// lodging_trainees, lodging_nights, travel_trainees, travel_tier, actual_lodging,
// actual_travel, lines: [{label, unit, quantity, unit_price, actual}]}.
func (s *Server) handleEstimatePlanPut(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var in finance.PlanInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.finance.SavePlan(c.Request.Context(), course.ID, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, p)
	return nil
}

// flagJSON is a flag as the API answers it.
type flagJSON struct {
	Field     string `json:"field"`
	SessionID int64  `json:"session_id,omitempty"`
	Message   string `json:"message"`
}

func (s *Server) flagsJSON(c *gin.Context, fl []finance.Flag) []flagJSON {
	out := make([]flagJSON, len(fl))
	for i, f := range fl {
		out[i] = flagJSON{Field: f.Field, SessionID: f.SessionID, Message: s.trMsg(langOf(c), f.Msg)}
	}
	return out
}

// moneyCourse loads the course of a money report, for its organizers: what people are paid
// is not the door's business (the support list included, as the payments list before it).
func (s *Server) moneyCourse(c *gin.Context, kind string) (*courses.Course, error) {
	return s.courseParam(c, true)
}

// handleMoneyReport: GET /api/v1/courses/{id}/reports/{kind} (JSON {lines, total,
// total_in_words, flags, …}).
func (s *Server) handleMoneyReport(kind string) handler {
	return func(c *gin.Context) error {
		course, err := s.moneyCourse(c, kind)
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		var body any
		switch kind {
		case finance.KindEstimate:
			e, err := s.finance.Estimate(ctx, course.ID)
			if err != nil {
				return err
			}
			body = struct {
				*finance.Estimate
				Flags []flagJSON `json:"flags"`
			}{e, s.flagsJSON(c, e.Flags)}
		case finance.KindSupport:
			sp, err := s.finance.Support(ctx, course.ID)
			if err != nil {
				return err
			}
			if !currentUser(c).CanManage(course.OrganizationID) {
				for i := range sp.Lines {
					sp.Lines[i].IDNumber = "" // ID numbers are for organizers
				}
			}
			body = struct {
				*finance.Support
				Flags []flagJSON `json:"flags"`
			}{sp, s.flagsJSON(c, sp.Flags)}
		case finance.KindHonoraria:
			h, err := s.finance.Honoraria(ctx, course.ID)
			if err != nil {
				return err
			}
			body = struct {
				*finance.Honoraria
				Flags []flagJSON `json:"flags"`
			}{h, s.flagsJSON(c, h.Flags)}
		case finance.KindSettlement:
			st, err := s.finance.Settlement(ctx, course.ID)
			if err != nil {
				return err
			}
			body = struct {
				*finance.Settlement
				Flags []flagJSON `json:"flags"`
			}{st, s.flagsJSON(c, st.Flags)}
		default:
			return errNotFound
		}
		c.JSON(http.StatusOK, body)
		return nil
	}
}

// reportOptions reads the optional columns of the support list: ?cccd=1&bank=1.
func reportOptions(c *gin.Context) finance.ReportOptions {
	on := func(k string) bool { v := strings.ToLower(c.Query(k)); return v == "1" || v == "true" || v == "on" }
	return finance.ReportOptions{IDNumber: on("cccd"), BankAccount: on("bank")}
}

// handleMoneyReportFile: GET /api/v1/courses/{id}/reports/{kind}.pdf|.xlsx (and the former
// payments.pdf|.xlsx, which is the support list).
func (s *Server) handleMoneyReportFile(kind, format string) handler {
	return func(c *gin.Context) error {
		course, err := s.moneyCourse(c, kind)
		if err != nil {
			return err
		}
		iss, err := s.issuer(c, course.OrganizationID)
		if err != nil {
			return err
		}
		opt := reportOptions(c)
		if !currentUser(c).CanManage(course.OrganizationID) {
			opt.IDNumber = false // ID numbers are for organizers
		}
		r, err := s.finance.ReportFile(c.Request.Context(), iss, course.ID, kind, format, opt)
		if err != nil {
			return err
		}
		return sendReport(c, r)
	}
}
