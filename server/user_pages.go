package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
)

// userForm is the new-user form as posted.
type userForm struct {
	Email          string `form:"email"`
	Name           string `form:"name"`
	Role           string `form:"role"`
	OrganizationID int64  `form:"organization_id"`
	UnitID         int64  `form:"unit_id"` // role unit only
	Password       string `form:"password"`
}

func (f userForm) input() accounts.UserInput {
	return accounts.UserInput{Email: f.Email, Name: f.Name, Role: f.Role,
		OrganizationID: f.OrganizationID, UnitID: f.UnitID, Password: f.Password}
}

type usersData struct {
	Items    []accounts.User
	OrgNames map[int64]string
	Form     accounts.UserInput
	Roles    []option
	Orgs     []option
	Password string // a generated password, shown once after creating a user
}

func (s *Server) handleUsersPage(c *gin.Context) error {
	return s.renderUsers(c, http.StatusOK, accounts.UserInput{Role: accounts.RoleStaff}, nil, "")
}

func (s *Server) renderUsers(c *gin.Context, status int, form accounts.UserInput, fieldErrs map[string]string, password string) error {
	u := currentUser(c)
	lang := langOf(c)
	users, err := s.accounts.ListUsers(c.Request.Context(), orgScope(u))
	if err != nil {
		return err
	}
	orgs, err := s.accounts.ListOrganizations(c.Request.Context())
	if err != nil {
		return err
	}
	d := usersData{Items: users, OrgNames: map[int64]string{}, Form: form, Password: password}
	for _, o := range orgs {
		d.OrgNames[o.ID] = o.Name
		if u.CanView(o.ID) {
			d.Orgs = append(d.Orgs, option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: o.ID == form.OrganizationID})
		}
	}
	roles := []string{accounts.RoleStaff}
	if u.IsAdmin() {
		roles = append(roles, accounts.RoleOrganizer, accounts.RoleAdmin)
	}
	for _, r := range roles {
		d.Roles = append(d.Roles, option{Value: r, Label: s.tr(lang, "role."+r), Selected: r == form.Role})
	}
	return s.render(c, status, "users", view{Section: "users", Title: s.tr(lang, "users.title"), Errors: fieldErrs, Data: d})
}

func (s *Server) handleUserCreateForm(c *gin.Context) error {
	u := currentUser(c)
	var form userForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	in := form.input()
	generated := ""
	if in.Password == "" {
		generated = accounts.GeneratePassword()
		in.Password = generated
	}
	// The service normalizes the role before it decides: an organizer creates check-in staff
	// of their own organization only, whatever was sent (" admin" included).
	created, err := s.accounts.CreateUserAs(c.Request.Context(), u, in)
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			in.Password = ""
			return s.renderUsers(c, status, in, fe, "")
		})
	}
	s.log.Info("user created", "by", u.ID, "user", created.ID, "role", created.Role)
	return s.renderUsers(c, http.StatusCreated, accounts.UserInput{Role: accounts.RoleStaff}, nil, generated)
}

func (s *Server) handleAccountPage(c *gin.Context) error {
	return s.render(c, http.StatusOK, "account", view{Title: s.tr(langOf(c), "account.title")})
}

func (s *Server) handlePasswordChange(c *gin.Context) error {
	keep := ""
	if ck, err := c.Request.Cookie(sessionCookie); err == nil {
		keep = ck.Value
	}
	err := s.accounts.ChangePassword(c.Request.Context(), currentUser(c).ID, c.PostForm("current"), c.PostForm("password"), keep)
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.render(c, status, "account", view{Title: s.tr(langOf(c), "account.title"), Errors: fe})
		})
	}
	s.flash(c, "account.changed")
	return redirect(c, "/account")
}
