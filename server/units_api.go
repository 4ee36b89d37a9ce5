package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/units"
)

// The directory of sending units is shared by the deployment: anyone of the staff reads it;
// organizers (of any organization) and administrators maintain it.

// unitBody is the JSON of a unit to create or change (absent fields stay as they are).
type unitBody struct {
	Name      *string   `json:"name"`
	ShortName *string   `json:"short_name"`
	Kind      *string   `json:"kind"`
	Locality  *string   `json:"locality"`
	ParentID  *int64    `json:"parent_id"`
	Aliases   *[]string `json:"aliases"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// handleUnitList: GET /api/v1/units?q=&kind= → items {id, name, short_name, kind, locality,
// parent_id, aliases}; q matches names and aliases without diacritics, case or abbreviation
// differences.
func (s *Server) handleUnitList(c *gin.Context) error {
	limit, offset := listParams(c)
	items, total, err := s.units.List(c.Request.Context(), units.Filter{Query: c.Query("q"), Kind: c.Query("kind"),
		Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return list(c, items, total)
}

// handleUnitCreate: POST /api/v1/units → 201 the unit.
func (s *Server) handleUnitCreate(c *gin.Context) error {
	u := currentUser(c)
	var b unitBody
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	in := units.Input{Name: str(b.Name), ShortName: str(b.ShortName), Kind: str(b.Kind), Locality: str(b.Locality), UserID: u.ID}
	if b.ParentID != nil {
		in.ParentID = *b.ParentID
	}
	if b.Aliases != nil {
		in.Aliases = *b.Aliases
	}
	unit, err := s.units.Create(c.Request.Context(), in)
	if err != nil {
		return err
	}
	s.log.Info("unit created", "by", u.ID, "unit", unit.ID)
	c.JSON(http.StatusCreated, unit)
	return nil
}

// handleUnitPatch: PATCH /api/v1/units/{id} → the unit.
func (s *Server) handleUnitPatch(c *gin.Context) error {
	u := currentUser(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.units.Find(c.Request.Context(), id); err != nil {
		return err
	}
	var b unitBody
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	unit, err := s.units.Update(c.Request.Context(), id, units.Patch{Name: b.Name, ShortName: b.ShortName, Kind: b.Kind,
		Locality: b.Locality, ParentID: b.ParentID, Aliases: b.Aliases, UserID: u.ID})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, unit)
	return nil
}

// handleUnitMerge: POST /api/v1/units/{id}/merge {into} → the surviving unit; every
// registration, quota and alias of {id} moves to it, logged.
func (s *Server) handleUnitMerge(c *gin.Context) error {
	u := currentUser(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.units.Find(c.Request.Context(), id); err != nil {
		return err
	}
	var b struct {
		Into int64 `json:"into"`
	}
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	survivor, err := s.courses.MergeUnits(c.Request.Context(), id, b.Into, u.ID)
	if err != nil {
		return err
	}
	s.log.Info("units merged", "by", u.ID, "from", id, "into", b.Into)
	c.JSON(http.StatusOK, survivor)
	return nil
}

// quotaItemJSON is one unit's seats of PUT /api/v1/courses/{id}/quotas.
type quotaItemJSON struct {
	UnitID int64 `json:"unit_id"`
	Seats  *int  `json:"seats"`
}

// handleQuotaList: GET /api/v1/courses/{id}/quotas → items {unit_id, name, seats,
// confirmed, waitlisted, pending}: one row per unit whatever the spellings (unit_id 0: a
// text that matched no unit, to map).
func (s *Server) handleQuotaList(c *gin.Context) error {
	if currentUser(c).IsUnit() {
		return s.handleUnitAPIQuota(c)
	}
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	fill, err := s.courses.QuotaFill(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	return list(c, fill, len(fill))
}

// handleQuotaSet: PUT /api/v1/courses/{id}/quotas {items: [{unit_id, seats}]} (seats null
// removes a quota), all or nothing → {promoted: [ids], warnings: [{unit_id, seats,
// confirmed}]} (a quota below the seats its unit already holds).
func (s *Server) handleQuotaSet(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var body struct {
		Items []quotaItemJSON `json:"items"`
	}
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	items := make([]courses.QuotaItem, len(body.Items))
	for i, it := range body.Items {
		items[i] = courses.QuotaItem{UnitID: it.UnitID, Seats: it.Seats}
	}
	ids, warnings, err := s.courses.SetQuotas(c.Request.Context(), course.ID, items)
	if err != nil {
		return err
	}
	if ids == nil {
		ids = []int64{}
	}
	type warning struct {
		UnitID    int64  `json:"unit_id"`
		Name      string `json:"name"`
		Seats     int    `json:"seats"`
		Confirmed int    `json:"confirmed"`
	}
	ws := []warning{}
	for _, w := range warnings {
		ws = append(ws, warning{w.UnitID, w.Name, w.Seats, w.Confirmed})
	}
	c.JSON(http.StatusOK, gin.H{"promoted": ids, "warnings": ws})
	return nil
}
