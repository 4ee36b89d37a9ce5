package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/templates"
)

type loginData struct {
	Email, Next, Error string
	FirstRun           bool
}

// safeNext keeps a post-login redirect on this site: the target must parse as a bare path
// (no scheme, no host, not "//…" nor "/\\…" in any spelling), with no control character or
// backslash anywhere, raw or percent-encoded — browsers drop tabs and newlines and read
// "\\" as "/", so "/%09/evil.example" would leave the site. Anything else is "/".
func safeNext(next string) string {
	if next == "" || next[0] != '/' || len(next) > 2000 {
		return "/"
	}
	decoded, err := url.PathUnescape(next)
	if err != nil {
		return "/"
	}
	for _, s := range []string{next, decoded} {
		for _, r := range s {
			if r < 0x20 || r == 0x7f || r == '\\' || unicode.IsControl(r) || unicode.Is(unicode.Zs, r) {
				return "/"
			}
		}
		if strings.HasPrefix(s, "//") {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

func (s *Server) handleLoginForm(c *gin.Context) error {
	if currentUser(c) != nil {
		return redirect(c, safeNext(c.Query("next")))
	}
	return s.render(c, http.StatusOK, "login", view{Title: s.tr(langOf(c), "login.title"),
		Data: loginData{Next: c.Query("next"), FirstRun: s.firstRun(c)}})
}

// firstRun: only the generated administrator exists and has never signed in, so the login
// page tells where its password is.
func (s *Server) firstRun(c *gin.Context) bool {
	n, err := s.accounts.CountUsers(c.Request.Context())
	return err == nil && n == 1
}

func (s *Server) handleLogin(c *gin.Context) error {
	email, password := c.PostForm("email"), c.PostForm("password")
	next := safeNext(c.PostForm("next"))
	u, err := s.accounts.Authenticate(c.Request.Context(), email, password, c.ClientIP())
	if err != nil {
		status := http.StatusUnauthorized
		key := "err.bad_credentials"
		switch {
		case errors.Is(err, accounts.ErrThrottled):
			status, key = http.StatusTooManyRequests, "err.throttled"
			c.Header("Retry-After", "60")
			s.log.Warn("login throttled", "ip", c.ClientIP())
		case !errors.Is(err, accounts.ErrBadCredentials):
			return err
		}
		return s.render(c, status, "login", view{Title: s.tr(langOf(c), "login.title"),
			Data: loginData{Email: email, Next: next, Error: s.tr(langOf(c), key), FirstRun: s.firstRun(c)}})
	}
	token, err := s.accounts.CreateSession(c.Request.Context(), u.ID)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token, 14*24*3600)
	s.log.Info("signed in", "user", u.ID)
	if u.MustChangePassword {
		s.flash(c, "account.must_change")
		return redirect(c, "/account")
	}
	return redirect(c, next)
}

func (s *Server) handleLogout(c *gin.Context) error {
	if ck, err := c.Request.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.accounts.DeleteSession(c.Request.Context(), ck.Value); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, "", -1)
	s.flash(c, "login.signed_out")
	return redirect(c, "/login")
}

// handleLanguage switches the language and goes back to the page the user was on.
func (s *Server) handleLanguage(c *gin.Context) error {
	lang := c.Param("lang")
	ok := false
	for _, l := range templates.Languages() {
		ok = ok || l == lang
	}
	if !ok {
		return errNotFound
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	return redirect(c, safeNext(c.Query("next")))
}
