package server

import (
	"errors"
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

// maxWriters is how many requests that change data run at once; the others wait their turn
// in arrival order.
const maxWriters = 4

// admitWriters lets requests that change data (every method but GET and HEAD) in first
// come, first served, a few at a time. All writes share one SQLite connection, and
// database/sql hands a freed connection to a random waiter: with fifty clients queued on
// it, an unlucky request waited for dozens of turns (the registration burst's p99 was
// 4–5 times its median). Waiting here instead, in a channel's FIFO queue of senders, keeps
// the queue at the connection short, so a request waits about as long as the ones before it.
func (s *Server) admitWriters(c *gin.Context) {
	if m := c.Request.Method; m == http.MethodGet || m == http.MethodHead {
		c.Next()
		return
	}
	select {
	case s.writers <- struct{}{}:
	case <-c.Request.Context().Done():
		c.AbortWithStatus(http.StatusServiceUnavailable)
		return
	}
	defer func() { <-s.writers }()
	c.Next()
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
		if !ok {
			s.fail(c, errUnauthorized)
			return
		}
		u, err := s.accounts.UserByToken(c.Request.Context(), strings.TrimSpace(token))
		if err != nil {
			// A bad token is a 401; the database failing to answer is the server's fault.
			if !errors.Is(err, accounts.ErrUnauthorized) {
				s.fail(c, err)
				return
			}
			s.fail(c, errUnauthorized)
			return
		}
		c.Set(ctxUser, u)
		c.Next()
		return
	}
	if ck, err := c.Request.Cookie(sessionCookie); err == nil && ck.Value != "" {
		u, err := s.accounts.UserBySession(c.Request.Context(), ck.Value)
		switch {
		case err == nil:
			c.Set(ctxUser, u)
		case !errors.Is(err, accounts.ErrUnauthorized):
			s.fail(c, err)
			return
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
