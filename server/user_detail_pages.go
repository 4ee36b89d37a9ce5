package server

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/database"
	"taphuan/vn"
)

// The page of one user (issue 13, item 8): edit, disable or enable, a one-time password
// reset (the user must choose their own at the next login), and their API tokens with
// revoke. Administrators manage everyone, organizers the check-in staff of their own
// organization; the rules are in accounts (CanAdminister), the page only shows them.

type userPageData struct {
	Target   *accounts.User
	Form     accounts.UserEdit
	Roles    []option
	Orgs     []option
	OrgName  string
	Tokens   []tokenRow
	Password string // the one-time password just set, shown once
	IsSelf   bool
	Disabled string // since when, in Vietnam time
}

// tokenRow is a token as the page writes it: instants in Vietnam time.
type tokenRow struct {
	ID                             int64
	CreatedAt, ExpiresAt, LastUsed string
	Revoked, Expired               bool
}

// localTime writes a stored instant as dd/mm/yyyy hh:mm in Vietnam time ("" stays "").
func localTime(s string) string {
	if s == "" {
		return ""
	}
	t, err := database.ParseTime(s)
	if err != nil {
		return s
	}
	return t.In(vn.Location).Format("02/01/2006 15:04")
}

func (s *Server) userParam(c *gin.Context) (*accounts.User, error) {
	actor := currentUser(c)
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	u, err := s.accounts.FindUserByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if !actor.IsAdmin() && u.OrganizationID != actor.OrganizationID {
		return nil, errNotFound
	}
	if !actor.CanAdminister(u) {
		return nil, errForbidden
	}
	return u, nil
}

func (s *Server) renderUser(c *gin.Context, status int, target *accounts.User, form accounts.UserEdit, fe map[string]string, password string) error {
	actor := currentUser(c)
	lang := langOf(c)
	ctx := c.Request.Context()
	d := userPageData{Target: target, Form: form, Password: password, IsSelf: actor.ID == target.ID}
	roles := []string{accounts.RoleStaff}
	if actor.IsAdmin() {
		// Focal points (role unit) are made and kept on their unit's page, where the unit
		// is chosen.
		roles = []string{accounts.RoleAdmin, accounts.RoleOrganizer, accounts.RoleStaff}
	}
	for _, r := range roles {
		d.Roles = append(d.Roles, option{Value: r, Label: s.tr(lang, "role."+r), Selected: r == form.Role})
	}
	orgs, err := s.accounts.ListOrganizations(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.ID == target.OrganizationID {
			d.OrgName = o.Name
		}
		if actor.CanView(o.ID) {
			d.Orgs = append(d.Orgs, option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: o.ID == form.OrganizationID})
		}
	}
	tokens, err := s.accounts.TokensOf(ctx, actor, target.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, tk := range tokens {
		d.Tokens = append(d.Tokens, tokenRow{ID: tk.ID, CreatedAt: localTime(tk.CreatedAt), ExpiresAt: localTime(tk.ExpiresAt),
			LastUsed: localTime(tk.LastUsedAt), Revoked: tk.RevokedAt != "", Expired: tk.RevokedAt == "" && !tk.Active(now)})
	}
	d.Disabled = localTime(target.DisabledAt)
	return s.render(c, status, "user", view{Section: "users", Title: target.Name + " · " + s.tr(lang, "users.title"),
		Errors: fe, Data: d})
}

func editOf(u *accounts.User) accounts.UserEdit {
	return accounts.UserEdit{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, OrganizationID: u.OrganizationID}
}

// handleUserPage: GET /admin/users/{id}.
func (s *Server) handleUserPage(c *gin.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	return s.renderUser(c, http.StatusOK, u, editOf(u), nil, "")
}

// handleUserUpdateForm: POST /admin/users/{id} {name, email, role, organization_id}.
func (s *Server) handleUserUpdateForm(c *gin.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	in := accounts.UserEdit{ID: u.ID, Email: c.PostForm("email"), Name: c.PostForm("name"), Role: c.PostForm("role"),
		OrganizationID: u.OrganizationID}
	if v := c.PostForm("organization_id"); v != "" {
		in.OrganizationID, _ = strconv.ParseInt(v, 10, 64)
	}
	updated, err := s.accounts.UpdateUser(c.Request.Context(), currentUser(c), in)
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderUser(c, status, u, in, fe, "")
		})
	}
	s.log.Info("user updated", "by", currentUser(c).ID, "user", updated.ID, "role", updated.Role, "org", updated.OrganizationID)
	s.flash(c, "users.saved")
	return redirect(c, fmt.Sprintf("/admin/users/%d", u.ID))
}

// handleUserDisableForm: POST /admin/users/{id}/disable {disabled: 1|0}. Disabling signs
// the user out everywhere and revokes their tokens.
func (s *Server) handleUserDisableForm(c *gin.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	disable := c.PostForm("disabled") != "0"
	if _, err := s.accounts.SetDisabled(c.Request.Context(), currentUser(c), u.ID, disable); err != nil {
		return err
	}
	s.log.Info("user disabled", "by", currentUser(c).ID, "user", u.ID, "disabled", disable)
	if disable {
		s.flash(c, "users.disabled_done")
	} else {
		s.flash(c, "users.enabled_done")
	}
	return redirect(c, fmt.Sprintf("/admin/users/%d", u.ID))
}

// handleUserResetForm: POST /admin/users/{id}/reset-password — a one-time password, shown
// once on the answer; the user must change it at the next login.
func (s *Server) handleUserResetForm(c *gin.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	pw, err := s.accounts.ResetPassword(c.Request.Context(), currentUser(c), u.ID)
	if err != nil {
		return err
	}
	s.log.Info("password reset", "by", currentUser(c).ID, "user", u.ID)
	u, err = s.accounts.FindUserByID(c.Request.Context(), u.ID)
	if err != nil {
		return err
	}
	return s.renderUser(c, http.StatusOK, u, editOf(u), nil, pw)
}

// handleUserTokenRevokeForm: POST /admin/users/{id}/tokens/{tid}/revoke.
func (s *Server) handleUserTokenRevokeForm(c *gin.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	tid, err := paramID(c, "tid")
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeTokenAs(c.Request.Context(), currentUser(c), u.ID, tid); err != nil {
		return err
	}
	s.log.Info("token revoked", "by", currentUser(c).ID, "user", u.ID, "token", tid)
	s.flash(c, "users.token_revoked")
	return redirect(c, fmt.Sprintf("/admin/users/%d", u.ID))
}
