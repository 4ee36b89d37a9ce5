package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/units"
)

// quotaRow is one unit of the bulk quota form.
type quotaRow struct {
	UnitID    int64
	Name      string
	Kind      string
	Locality  string
	Value     string // the seats as shown or as typed
	Confirmed int
	Waiting   int
	InCourse  bool // has a quota or people in the course
	Error     string
}

type quotaPageData struct {
	Course    *courses.Course
	InCourse  []quotaRow
	Others    []quotaRow
	Unmatched []courses.UnitFill
	Paste     string
	Warnings  []string
	Total     int // seats given by the quotas
}

// handleQuotaPage: GET /staff/courses/{id}/quotas — every unit's seats of a course in one
// form (the units of the course first, then the rest of the directory), or a plan's table
// pasted, saved at once.
func (s *Server) handleQuotaPage(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	d, err := s.quotaData(c, course, nil, nil)
	if err != nil {
		return err
	}
	return s.renderQuotas(c, http.StatusOK, d, nil)
}

func (s *Server) quotaData(c *gin.Context, course *courses.Course, typed map[int64]string, rowErrs map[int64]string) (*quotaPageData, error) {
	ctx := c.Request.Context()
	fill, err := s.courses.QuotaFill(ctx, course.ID)
	if err != nil {
		return nil, err
	}
	all, _, err := s.units.List(ctx, units.Filter{})
	if err != nil {
		return nil, err
	}
	d := &quotaPageData{Course: course}
	byID := map[int64]courses.UnitFill{}
	for _, f := range fill {
		if f.Unmatched() {
			d.Unmatched = append(d.Unmatched, f)
			continue
		}
		byID[f.UnitID] = f
		if f.Seats != nil {
			d.Total += *f.Seats
		}
	}
	for _, u := range all {
		r := quotaRow{UnitID: u.ID, Name: u.Name, Kind: u.Kind, Locality: u.Locality, Error: rowErrs[u.ID]}
		if f, ok := byID[u.ID]; ok {
			r.InCourse, r.Confirmed, r.Waiting = true, f.Confirmed, f.Waitlisted+f.Pending
			if f.Seats != nil {
				r.Value = strconv.Itoa(*f.Seats)
			}
		}
		if v, ok := typed[u.ID]; ok {
			r.Value = v
		}
		if r.InCourse || r.Value != "" {
			d.InCourse = append(d.InCourse, r)
		} else {
			d.Others = append(d.Others, r)
		}
	}
	return d, nil
}

func (s *Server) renderQuotas(c *gin.Context, status int, d *quotaPageData, fe map[string]string) error {
	return s.render(c, status, "quotas", view{Section: "courses", Tab: "registrations",
		Title: s.tr(langOf(c), "unit.quota.title") + " · " + d.Course.Title, Errors: fe, Data: d})
}

// handleQuotaForm: POST /staff/courses/{id}/quotas — the bulk form: seats_{unit id} for
// every unit shown (empty removes the quota) and paste, a plan's table whose units are
// matched by name or alias. All or nothing: a bad number or an unknown unit re-shows the
// form with the error at the field and nothing is saved. A quota set below the seats its
// unit already holds is saved with a warning (nobody is moved out).
func (s *Server) handleQuotaForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	lang := langOf(c)
	if err := c.Request.ParseForm(); err != nil {
		return errBadJSON.Wrap(err)
	}
	typed := map[int64]string{}
	rowErrs := map[int64]string{}
	var items []courses.QuotaItem
	for k, vs := range c.Request.PostForm {
		idText, ok := strings.CutPrefix(k, "seats_")
		if !ok || len(vs) == 0 {
			continue
		}
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		v := strings.TrimSpace(vs[0])
		typed[id] = v
		if v == "" {
			items = append(items, courses.QuotaItem{UnitID: id})
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			rowErrs[id] = s.tr(lang, "reg.err.seats")
			continue
		}
		items = append(items, courses.QuotaItem{UnitID: id, Seats: &n})
	}
	fe := map[string]string{}
	paste := c.PostForm("paste")
	if strings.TrimSpace(paste) != "" {
		rows, err := units.ParsePlanTable(paste)
		if e, ok := asInvalid(err); ok {
			fe["paste"] = s.trMsg(lang, e.Fields["paste"])
		} else if err != nil {
			return err
		}
		var unknown []string
		for _, r := range rows {
			id, ok, err := s.units.Match(ctx, r.Unit)
			if err != nil {
				return err
			}
			if !ok {
				unknown = append(unknown, s.tr(lang, "unit.err.paste_unknown", r.Line, r.Unit))
				continue
			}
			n := r.Seats
			// The pasted table wins over the same unit's field.
			kept := items[:0]
			for _, it := range items {
				if it.UnitID != id {
					kept = append(kept, it)
				}
			}
			items = append(kept, courses.QuotaItem{UnitID: id, Seats: &n})
			typed[id] = strconv.Itoa(n)
		}
		if len(unknown) > 0 {
			fe["paste"] = strings.Join(unknown, " ")
		}
	}
	if len(rowErrs) > 0 {
		fe["_"] = s.tr(lang, "form.has_errors")
	}
	reshow := func(status int, fe map[string]string) error {
		d, err := s.quotaData(c, course, typed, rowErrs)
		if err != nil {
			return err
		}
		d.Paste = paste
		return s.renderQuotas(c, status, d, fe)
	}
	if len(fe) > 0 {
		return reshow(http.StatusUnprocessableEntity, fe)
	}
	// Only what changed is written: an empty field of a unit that has no quota is no change.
	fill, err := s.courses.QuotaFill(ctx, course.ID)
	if err != nil {
		return err
	}
	current := map[int64]*int{}
	for _, f := range fill {
		if !f.Unmatched() {
			current[f.UnitID] = f.Seats
		}
	}
	var changed []courses.QuotaItem
	for _, it := range items {
		cur := current[it.UnitID]
		if (cur == nil) == (it.Seats == nil) && (cur == nil || *cur == *it.Seats) {
			continue
		}
		changed = append(changed, it)
	}
	promoted, warnings, err := s.courses.SetQuotas(ctx, course.ID, changed)
	if e, ok := asInvalid(err); ok {
		out := map[string]string{"_": s.trMsg(lang, e.Msg)}
		for k, m := range e.Fields {
			out[k] = s.trMsg(lang, m)
		}
		return reshow(http.StatusUnprocessableEntity, out)
	}
	if err != nil {
		return err
	}
	msg := s.tr(lang, "unit.quota.saved", len(changed), len(promoted))
	for _, w := range warnings {
		msg += " " + s.tr(lang, "unit.quota.below", w.Name, w.Seats, w.Confirmed)
	}
	s.flash(c, "reg.flash.text", msg)
	s.log.Info("quotas saved", "by", currentUser(c).ID, "course", course.ID, "changed", len(changed))
	return redirect(c, fmt.Sprintf("/staff/courses/%d/quotas", course.ID))
}
