package server

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/templates"
)

const (
	sessionCookie = "taphuan_session"
	langCookie    = "taphuan_lang"
	ctxUser       = "user"
	ctxLang       = "lang"
)

func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "path", c.Request.URL.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			s.fail(c, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	if c.Request.URL.Path == "/healthz" || strings.HasPrefix(c.Request.URL.Path, "/static/") {
		return
	}
	s.log.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path,
		"status", c.Writer.Status(), "ms", float64(time.Since(start).Microseconds())/1000,
		"ip", c.ClientIP())
}

// contentSecurityPolicy allows only our own scripts and styles (no inline script), images
// from ourselves and data: URLs (QR codes), and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
	c.Next()
}

// locale picks the language: the cookie set by the switch, else Vietnamese (the default for
// everyone; English only on request).
func (s *Server) locale(c *gin.Context) {
	lang := templates.Languages[0]
	if ck, err := c.Request.Cookie(langCookie); err == nil {
		for _, l := range templates.Languages {
			if ck.Value == l {
				lang = l
			}
		}
	}
	c.Set(ctxLang, lang)
	c.Next()
}

func langOf(c *gin.Context) string {
	if l := c.GetString(ctxLang); l != "" {
		return l
	}
	return templates.Languages[0]
}

// authenticate finds the user from a Bearer token (API) or the session cookie. A request
// that sends a bad token is refused at once: it asked to be someone and is not.
func (s *Server) authenticate(c *gin.Context) {
	if auth := c.GetHeader("Authorization"); auth != "" {
		token, ok := strings.CutPrefix(auth, "Bearer ")
		u, err := s.accounts.UserByToken(c.Request.Context(), strings.TrimSpace(token))
		if !ok || err != nil {
			s.fail(c, errUnauthorized)
			return
		}
		c.Set(ctxUser, u)
		c.Next()
		return
	}
	if ck, err := c.Request.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if u, err := s.accounts.UserBySession(c.Request.Context(), ck.Value); err == nil {
			c.Set(ctxUser, u)
		}
	}
	c.Next()
}

// currentUser returns the signed-in user, or nil.
func currentUser(c *gin.Context) *accounts.User {
	if v, ok := c.Get(ctxUser); ok {
		return v.(*accounts.User)
	}
	return nil
}

func (s *Server) setSessionCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
}
