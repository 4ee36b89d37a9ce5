package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/errs"
	"taphuan/units"
)

const unitsPerPage = 50

type unitsPageData struct {
	Items     []units.Unit
	Pager     Pager
	Q         string
	Kinds     []option
	Form      unitForm
	Unmatched []courses.UnmatchedText
	AllNames  []string // for the datalists (choose a unit by its name)
	CanEdit   bool
	Merges    []units.MergeRecord
}

// unitForm is a unit as typed in the directory's forms.
type unitForm struct {
	Name, ShortName, Kind, Locality, Parent, Aliases string
}

func (f unitForm) aliases() []string {
	var out []string
	for _, l := range strings.Split(f.Aliases, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (s *Server) kindOptions(lang, selected string) []option {
	var out []option
	for _, k := range units.Kinds() {
		out = append(out, option{Value: k, Label: s.tr(lang, "unit.kind."+k), Selected: k == selected})
	}
	return out
}

// requireStaff refuses callers that are not of the staff (the directory is the staff's).
func requireStaff(c *gin.Context) error {
	u := currentUser(c)
	if u == nil || u.IsUnit() {
		return errForbidden
	}
	return nil
}

// handleUnitsPage: GET /staff/units?q=&page= — the directory: search (names and aliases,
// without diacritics or abbreviation differences), the texts that matched no unit to map,
// a new unit, and the merge log.
func (s *Server) handleUnitsPage(c *gin.Context) error {
	return s.renderUnits(c, http.StatusOK, unitForm{Kind: units.KindCommune}, nil)
}

func (s *Server) renderUnits(c *gin.Context, status int, form unitForm, fe map[string]string) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	ctx := c.Request.Context()
	lang := langOf(c)
	d := unitsPageData{Q: strings.TrimSpace(c.Query("q")), Form: form, Kinds: s.kindOptions(lang, form.Kind),
		CanEdit: organizerOrAdmin(currentUser(c))}
	items, pager, err := pageOf(c, unitsPerPage, func(limit, offset int) ([]units.Unit, int, error) {
		return s.units.List(ctx, units.Filter{Query: d.Q, Limit: limit, Offset: offset})
	})
	if err != nil {
		return err
	}
	d.Items, d.Pager = items, pager
	if d.CanEdit {
		var orgs []int64 // an organizer maps the texts of its organization's courses
		if u := currentUser(c); !u.IsAdmin() {
			orgs = []int64{u.OrganizationID}
		}
		if d.Unmatched, err = s.courses.UnmatchedUnits(ctx, 0, orgs); err != nil {
			return err
		}
		if d.Merges, err = s.units.Merges(ctx); err != nil {
			return err
		}
	}
	if d.AllNames, err = s.unitNames(c); err != nil {
		return err
	}
	return s.render(c, status, "units", view{Section: "units", Title: s.tr(lang, "unit.dir.title"), Errors: fe, Data: d})
}

// unitNames lists the directory's names, for the choice of a unit by name.
func (s *Server) unitNames(c *gin.Context) ([]string, error) {
	all, _, err := s.units.List(c.Request.Context(), units.Filter{})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(all))
	for i, u := range all {
		names[i] = u.Name
	}
	return names, nil
}

// unitByName resolves a unit chosen by typing its name (datalist, or without JavaScript a
// plain input): its name, short name or alias by key.
func (s *Server) unitByName(c *gin.Context, text string) (int64, bool, error) {
	if id, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64); err == nil && id > 0 {
		if _, err := s.units.Find(c.Request.Context(), id); err == nil {
			return id, true, nil
		}
	}
	return s.units.Match(c.Request.Context(), text)
}

// unitInput reads the typed form; a parent that names no unit is invalid (on parent_id).
func (s *Server) unitInput(c *gin.Context, f unitForm) (units.Input, error) {
	in := units.Input{Name: f.Name, ShortName: f.ShortName, Kind: f.Kind, Locality: f.Locality, Aliases: f.aliases(),
		UserID: currentUser(c).ID}
	if strings.TrimSpace(f.Parent) != "" {
		id, ok, err := s.unitByName(c, f.Parent)
		if err != nil {
			return in, err
		}
		if !ok {
			return in, errs.Fields{"parent_id": {Key: "unit.err.parent"}}.Err()
		}
		in.ParentID = id
	}
	return in, nil
}

func unitFormOf(c *gin.Context) unitForm {
	return unitForm{Name: c.PostForm("name"), ShortName: c.PostForm("short_name"), Kind: c.PostForm("kind"),
		Locality: c.PostForm("locality"), Parent: c.PostForm("parent"), Aliases: c.PostForm("aliases")}
}

// handleUnitCreateForm: POST /staff/units — a new unit.
func (s *Server) handleUnitCreateForm(c *gin.Context) error {
	f := unitFormOf(c)
	show := func(status int, fe map[string]string) error { return s.renderUnits(c, status, f, fe) }
	in, err := s.unitInput(c, f)
	if err != nil {
		return s.formFailed(c, err, show)
	}
	u, err := s.units.Create(c.Request.Context(), in)
	if err != nil {
		return s.formFailed(c, err, show)
	}
	s.flash(c, "unit.flash.created", u.Name)
	return redirect(c, fmt.Sprintf("/staff/units/%d", u.ID))
}

type unitPageData struct {
	Unit     *units.Unit
	Parent   string
	Form     unitForm
	Kinds    []option
	AllNames []string
	Accounts []accounts.User
	Password string // generated for a new account, shown once
	Invite   string // a new invitation link, shown once
	CanEdit  bool
}

// handleUnitPage: GET /staff/units/{id} — a unit: edit, aliases, merge, focal points.
func (s *Server) handleUnitPage(c *gin.Context) error {
	return s.renderUnit(c, http.StatusOK, nil, nil, "", "")
}

func (s *Server) renderUnit(c *gin.Context, status int, form *unitForm, fe map[string]string, password, invite string) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	u, err := s.units.Find(ctx, id)
	if err != nil {
		return err
	}
	d := unitPageData{Unit: u, CanEdit: organizerOrAdmin(currentUser(c)), Password: password, Invite: invite}
	if u.ParentID != nil {
		if p, err := s.units.Find(ctx, *u.ParentID); err == nil {
			d.Parent = p.Name
		}
	}
	if form != nil {
		d.Form = *form
	} else {
		d.Form = unitForm{Name: u.Name, ShortName: u.ShortName, Kind: u.Kind, Locality: u.Locality, Parent: d.Parent,
			Aliases: strings.Join(u.Aliases, "\n")}
	}
	d.Kinds = s.kindOptions(langOf(c), d.Form.Kind)
	if d.AllNames, err = s.unitNames(c); err != nil {
		return err
	}
	if d.CanEdit {
		if d.Accounts, err = s.accounts.ListUnitUsers(ctx, u.ID); err != nil {
			return err
		}
	}
	return s.render(c, status, "unit", view{Section: "units", Title: u.Name, Errors: fe, Data: d})
}

// handleUnitUpdateForm: POST /staff/units/{id} — name, short name, kind, locality, parent,
// aliases (one a line). A new name keeps the old one as an alias.
func (s *Server) handleUnitUpdateForm(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.units.Find(c.Request.Context(), id); err != nil {
		return err
	}
	f := unitFormOf(c)
	show := func(status int, fe map[string]string) error { return s.renderUnit(c, status, &f, fe, "", "") }
	in, err := s.unitInput(c, f)
	if err != nil {
		return s.formFailed(c, err, show)
	}
	al := in.Aliases
	_, err = s.units.Update(c.Request.Context(), id, units.Patch{Name: &in.Name, ShortName: &in.ShortName, Kind: &in.Kind,
		Locality: &in.Locality, ParentID: &in.ParentID, Aliases: &al, UserID: in.UserID})
	if err != nil {
		return s.formFailed(c, err, show)
	}
	s.flash(c, "unit.flash.saved")
	return redirect(c, fmt.Sprintf("/staff/units/%d", id))
}

// handleUnitMergeForm: POST /staff/units/{id}/merge {into} — merges this unit into the one
// named (after a confirmation in the page); refused into itself or into its descendant.
func (s *Server) handleUnitMergeForm(c *gin.Context) error {
	u := currentUser(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.units.Find(c.Request.Context(), id); err != nil {
		return err
	}
	into, ok, err := s.unitByName(c, c.PostForm("into"))
	if err != nil {
		return err
	}
	var survivor *units.Unit
	if !ok {
		err = errs.Fields{"into": {Key: "unit.err.unknown"}}.Err()
	} else {
		survivor, err = s.courses.MergeUnits(c.Request.Context(), id, into, u.ID)
	}
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			if m, ok := fe["_"]; ok {
				fe["into"] = m // a refused merge: its message is the field's too
			}
			return s.renderUnit(c, status, nil, fe, "", "")
		})
	}
	s.log.Info("units merged", "by", u.ID, "from", id, "into", into)
	s.flash(c, "unit.flash.merged", survivor.Name)
	return redirect(c, fmt.Sprintf("/staff/units/%d", survivor.ID))
}

// handleUnitAccountForm: POST /staff/units/{id}/accounts {name, email} — a focal point
// account for the unit, with a generated password shown once.
func (s *Server) handleUnitAccountForm(c *gin.Context) error {
	u := currentUser(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.units.Find(c.Request.Context(), id); err != nil {
		return err
	}
	pw := accounts.GeneratePassword()
	created, err := s.accounts.CreateUser(c.Request.Context(), accounts.UserInput{Email: c.PostForm("email"),
		Name: c.PostForm("name"), Role: accounts.RoleUnit, UnitID: id, Password: pw})
	if err != nil {
		return s.formFailed(c, err, s.showUnitPerson(c, "account_"))
	}
	s.log.Info("unit account created", "by", u.ID, "user", created.ID, "unit", id)
	return s.renderUnit(c, http.StatusCreated, nil, nil, pw, "")
}

// handleUnitInviteForm: POST /staff/units/{id}/invitations {name, email} — a personal
// invitation link for the unit's focal point (shown once, to send), valid 14 days.
func (s *Server) handleUnitInviteForm(c *gin.Context) error {
	u := currentUser(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.units.Find(c.Request.Context(), id); err != nil {
		return err
	}
	token, err := s.accounts.CreateInvitation(c.Request.Context(), accounts.InvitationInput{UnitID: id,
		Email: c.PostForm("email"), Name: c.PostForm("name"), CreatedBy: u.ID})
	if err != nil {
		return s.formFailed(c, err, s.showUnitPerson(c, "invite_"))
	}
	s.log.Info("unit invitation created", "by", u.ID, "unit", id)
	return s.renderUnit(c, http.StatusCreated, nil, nil, "", s.absURL(c, "/invite/"+token))
}

// showUnitPerson shows the unit page again after a refused account or invitation form
// (its inputs named with prefix): a conflict is an address taken, shown on the address too.
func (s *Server) showUnitPerson(c *gin.Context, prefix string) func(int, map[string]string) error {
	return func(status int, fe map[string]string) error {
		fe = prefixed(prefix, fe)
		if status == http.StatusConflict {
			fe[prefix+"email"] = fe["_"]
		}
		return s.renderUnit(c, status, nil, fe, "", "")
	}
}

// handleUnitMapForm: POST /staff/unit-texts/map {text, unit} — a unit text that matched
// nothing is mapped to a unit (chosen by name): remembered as an alias, and every
// registration written that way gets the unit.
func (s *Server) handleUnitMapForm(c *gin.Context) error {
	text := c.PostForm("text")
	id, ok, err := s.unitByName(c, c.PostForm("unit"))
	if err != nil {
		return err
	}
	if !ok {
		s.flash(c, "unit.flash.map_unknown", c.PostForm("unit"))
		return redirect(c, "/staff/units#unmatched")
	}
	n, err := s.courses.MapUnitText(c.Request.Context(), text, id)
	if e, ok := codedError(err); ok && statusOf(e.Code) < 500 {
		s.flash(c, "reg.flash.text", s.errText(c, err))
		return redirect(c, "/staff/units#unmatched")
	}
	if err != nil {
		return err
	}
	s.flash(c, "unit.flash.mapped", text, n)
	return redirect(c, "/staff/units#unmatched")
}

// invitePageData is the public page of an invitation link.
type invitePageData struct {
	Token string
	Email string
	Name  string
	Unit  string
}

// handleInvitePage: GET /invite/{token} — the focal point chooses a password.
func (s *Server) handleInvitePage(c *gin.Context) error {
	return s.renderInvite(c, http.StatusOK, nil)
}

func (s *Server) renderInvite(c *gin.Context, status int, fe map[string]string) error {
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	token := c.Param("token")
	inv, err := s.accounts.FindInvitation(c.Request.Context(), token)
	if err != nil {
		return err
	}
	unit, err := s.units.Find(c.Request.Context(), inv.UnitID)
	if err != nil {
		return err
	}
	return s.render(c, status, "invite", view{Title: s.tr(langOf(c), "unit.invite.title"), Errors: fe,
		Data: invitePageData{Token: token, Email: inv.Email, Name: inv.Name, Unit: unit.Name}})
}

// handleInviteAccept: POST /invite/{token} {password} — makes the account and signs in.
func (s *Server) handleInviteAccept(c *gin.Context) error {
	u, err := s.accounts.AcceptInvitation(c.Request.Context(), c.Param("token"), c.PostForm("password"))
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderInvite(c, status, fe)
		})
	}
	token, err := s.accounts.CreateSession(c.Request.Context(), u.ID)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token, 14*24*3600)
	s.log.Info("unit invitation accepted", "user", u.ID, "unit", u.UnitID)
	return redirect(c, "/unit")
}
