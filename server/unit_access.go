package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/errs"
)

// A sending unit's focal point (role unit) sees its own unit's seats and people on its own
// pages (/unit/…) and nothing of the organizers' pages or API: every staff page and every
// API route answers 403 to it, whatever the route's own rule, except the few that any
// signed-in user has (the dashboard, which sends it to its page, and its account). This is
// the one place that decides it, so a new staff route cannot leak to focal points.
var unitOpenRoutes = map[string]bool{
	"GET /":                  true,
	"GET /account":           true,
	"POST /account/password": true,
	// The API of API.md's role unit: its own unit's people and quota, on courses that give
	// its unit seats (the handlers branch to unit_api.go for a focal point).
	"POST /api/v1/courses/:id/registrations": true,
	"GET /api/v1/courses/:id/registrations":  true,
	"GET /api/v1/courses/:id/quotas":         true,
}

// unitFence refuses a focal point on the staff pages and the API.
func unitFence(c *gin.Context) error {
	u := currentUser(c)
	if u == nil || u.Role != accounts.RoleUnit {
		return nil
	}
	if unitOpenRoutes[c.Request.Method+" "+c.FullPath()] {
		return nil
	}
	return errForbidden
}

// unitPage wraps a focal point's page: signed in (else the login page), role unit only (403
// for everybody else: organizers use their own pages), no caching.
func (s *Server) unitPage(fn handler) gin.HandlerFunc {
	return s.h(func(c *gin.Context) error {
		u := currentUser(c)
		if u == nil {
			if c.Request.Method != http.MethodGet {
				return errUnauthorized
			}
			return redirect(c, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		}
		if !u.IsUnit() {
			return errForbidden
		}
		c.Header("Cache-Control", "no-store")
		return fn(c)
	})
}

// codedError returns the coded error in err's chain.
func codedError(err error) (*errs.Error, bool) {
	var e *errs.Error
	if err == nil || !errors.As(err, &e) {
		return nil, false
	}
	return e, true
}
