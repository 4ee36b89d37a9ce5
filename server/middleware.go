package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/errs"
	"taphuan/limits"
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
			if r == http.ErrAbortHandler {
				panic(r) // a handler cutting a streamed answer: net/http drops the connection
			}
			s.log.Error("panic", "path", redactPath(c.Request.URL.Path), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
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
	s.log.Info("request", "method", c.Request.Method, "path", redactPath(c.Request.URL.Path),
		"status", c.Writer.Status(), "ms", float64(time.Since(start).Microseconds())/1000,
		"ip", c.ClientIP())
}

// secretSegments are the path segments that are secrets of their own (whoever knows a
// ticket code can cancel the ticket; an import token names an uploaded file): a request
// log keeps the segment before them and replaces them by "…".
var secretSegments = map[string]bool{"tickets": true, "import": true}

// redactPath is the path as the request log writes it: /tickets/ABCD…/cancel becomes
// /tickets/…/cancel.
func redactPath(p string) string {
	parts := strings.Split(p, "/")
	for i := 1; i < len(parts); i++ {
		if secretSegments[parts[i-1]] && parts[i] != "" {
			parts[i] = "…"
		}
	}
	return strings.Join(parts, "/")
}

// admitWriters lets requests that change data (every method but GET and HEAD) in first
// come, first served, a few at a time. All writes share one SQLite connection, and
// database/sql hands a freed connection to a random waiter: with fifty clients queued on
// it, an unlucky request waited for dozens of turns (the registration burst's p99 was
// 4–5 times its median). Waiting here instead, in a channel's FIFO queue of senders, keeps
// the queue at the connection short, so a request waits about as long as the ones before it.
//
// An upload (multipart) is not admitted here: reading and parsing a file must never hold a
// writer's place while registrations and check-ins wait. Its handler takes a place with
// s.admit only around the database work.
func (s *Server) admitWriters(c *gin.Context) {
	if m := c.Request.Method; m == http.MethodGet || m == http.MethodHead ||
		strings.HasPrefix(c.ContentType(), "multipart/") || admitsItself[c.FullPath()] {
		c.Next()
		return
	}
	release, ok := s.admit(c)
	if !ok {
		c.AbortWithStatus(http.StatusServiceUnavailable)
		return
	}
	defer release()
	c.Next()
}

// admitsItself are the routes that parse a stored file before they write: they take their
// writer's place themselves, after parsing.
var admitsItself = map[string]bool{"/staff/courses/:id/registrations/import/:token": true}

// admit waits for a writer's place (see admitWriters); ok is false when the client went
// away first.
func (s *Server) admit(c *gin.Context) (release func(), ok bool) {
	select {
	case s.writers <- struct{}{}:
		return func() { <-s.writers }, true
	case <-c.Request.Context().Done():
		return nil, false
	}
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
	// The public pages that show a trainee's own data (the ticket, the self check-in
	// result) are not kept by a shared phone's browser or a proxy either.
	if p := c.Request.URL.Path; strings.HasPrefix(p, "/tickets/") || strings.HasPrefix(p, "/self/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// locale picks the language: the cookie set by the switch, else Vietnamese (the default for
// everyone; English only on request).
func (s *Server) locale(c *gin.Context) {
	lang := templates.DefaultLanguage
	if ck, err := c.Request.Cookie(langCookie); err == nil {
		for _, l := range templates.Languages() {
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
	return templates.DefaultLanguage
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

// page wraps a handler of a staff page: it needs a signed-in user (else a redirect to the
// login page that comes back here).
func (s *Server) page(fn handler) gin.HandlerFunc {
	return s.h(func(c *gin.Context) error {
		if currentUser(c) == nil {
			if c.Request.Method != http.MethodGet {
				return errUnauthorized
			}
			return redirect(c, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		}
		// Staff pages hold personal data (and, once, generated passwords): no copy of them
		// stays in a shared computer's browser cache or in a proxy.
		c.Header("Cache-Control", "no-store")
		if err := unitFence(c); err != nil {
			return err
		}
		if mustChange(c) {
			s.flash(c, "account.must_change")
			return redirect(c, "/account")
		}
		return fn(c)
	})
}

// api wraps a JSON API handler: it needs a user (token or session), else 401.
func (s *Server) api(fn handler) gin.HandlerFunc {
	return s.h(func(c *gin.Context) error {
		if currentUser(c) == nil {
			return errUnauthorized
		}
		if err := unitFence(c); err != nil {
			return err
		}
		// Answers of the API carry personal data: never cached.
		c.Header("Cache-Control", "no-store")
		if currentUser(c).MustChangePassword {
			return errMustChange
		}
		return fn(c)
	})
}

var errMustChange = errs.New(errs.Forbidden, "account.must_change")

// mustChange: a user with a reset (one-time) password may only change it, or sign out.
func mustChange(c *gin.Context) bool {
	u := currentUser(c)
	if u == nil || !u.MustChangePassword {
		return false
	}
	p := c.Request.URL.Path
	return p != "/account" && p != "/account/password"
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

// only wraps a handler that only the users allowed by rule may use: anyone else who is
// signed in gets 403 (page and api, around it, have refused the others already). Routes use
// onlyAdmin and onlyOrganizers; handlers keep the checks that change what they show.
func only(rule func(*accounts.User) bool, fn handler) handler {
	return func(c *gin.Context) error {
		if !rule(currentUser(c)) {
			return errForbidden
		}
		return fn(c)
	}
}

// onlyAdmin: only an administrator (the organizations, the program tree).
func onlyAdmin(fn handler) handler { return only((*accounts.User).IsAdmin, fn) }

// onlyOrganizers: only an organizer or an administrator (users, the people directory, the
// upkeep of the directory of sending units; see organizerOrAdmin).
func onlyOrganizers(fn handler) handler { return only(organizerOrAdmin, fn) }

// The limits of the public POSTs (package limits keeps the counters in the database, so
// several instances agree). Each is per client address (the real one behind a trusted
// proxy, see Config.TrustedProxies) and, where a burst on one object is the harm, per
// object too. They are generous for people (a whole commune office registering from one
// address, a hall of trainees on one Wi-Fi checking themselves in) and tight for machines.
var (
	registerAddrRule   = limits.Rule{Bucket: "register_addr", Max: 30, Window: 10 * time.Minute}
	registerCourseRule = limits.Rule{Bucket: "register_course", Max: 120, Window: time.Minute}
	cancelAddrRule     = limits.Rule{Bucket: "ticket_cancel_addr", Max: 20, Window: 10 * time.Minute}
	// Self check-in: wrong guesses only (a right code and ticket is given back).
	selfAddrRule    = limits.Rule{Bucket: "self_addr", Max: 30, Window: 10 * time.Minute}
	selfSessionRule = limits.Rule{Bucket: "self_session", Max: 200, Window: 10 * time.Minute}
	selfTicketRule  = limits.Rule{Bucket: "self_ticket", Max: 8, Window: 10 * time.Minute}
)

// rateLimit is a middleware limiting a route per client address: at most max requests per
// window under bucket, else 429 with Retry-After. Other areas use it on their public
// routes: e.POST("/x", s.rateLimit("x_addr", 20, 10*time.Minute), s.h(…)).
func (s *Server) rateLimit(bucket string, max int, window time.Duration) gin.HandlerFunc {
	rule := limits.Rule{Bucket: bucket, Max: max, Window: window}
	return func(c *gin.Context) {
		if err := s.limit(c, rule, c.ClientIP()); err != nil {
			s.fail(c, err)
			return
		}
		c.Next()
	}
}

// limit counts one attempt of key under rule; over the limit it sets Retry-After and
// returns limits.ErrLimited (429 through the funnel). For one call inside a handler.
func (s *Server) limit(c *gin.Context, rule limits.Rule, key string) error {
	d, err := s.limits.Hit(c.Request.Context(), rule, key)
	if err != nil {
		return err
	}
	if !d.Allowed {
		c.Header("Retry-After", strconv.Itoa(max(1, int(d.RetryAfter.Seconds()))))
		s.log.Warn("rate limited", "bucket", rule.Bucket, "count", d.Count, "ip", c.ClientIP())
		return limits.ErrLimited.With(max(1, int(d.RetryAfter.Seconds())))
	}
	return nil
}

// limitAll is limit under several rules, each with its key; all are counted.
func (s *Server) limitAll(c *gin.Context, keyed ...keyedRule) error {
	var first error
	for _, k := range keyed {
		if err := s.limit(c, k.rule, k.key); err != nil && first == nil {
			first = err
		}
	}
	return first
}

type keyedRule struct {
	rule limits.Rule
	key  string
}

// refund gives back the attempts counted by limitAll (the attempt was right).
func (s *Server) refund(c *gin.Context, keyed ...keyedRule) error {
	for _, k := range keyed {
		if err := s.limits.Refund(c.Request.Context(), k.rule, k.key); err != nil {
			return err
		}
	}
	return nil
}

func isLimited(err error) bool { return errors.Is(err, limits.ErrLimited) }
