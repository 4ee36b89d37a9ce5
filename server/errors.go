package server

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/errs"
)

var (
	errNotFound     = errs.New(errs.NotFound, "err.not_found")
	errForbidden    = errs.New(errs.Forbidden, "err.forbidden")
	errUnauthorized = errs.New(errs.Unauthorized, "err.unauthorized")
	errBadJSON      = errs.New(errs.Invalid, "err.bad_json")
)

// handler is an HTTP action that returns its error to the funnel.
type handler func(c *gin.Context) error

// h wraps a public handler with the error funnel.
func (s *Server) h(fn handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			s.fail(c, err)
		}
	}
}

func statusOf(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict, errs.Full, errs.Closed:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Throttled:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

func asInvalid(err error) (*errs.Error, bool) {
	var e *errs.Error
	if errors.As(err, &e) && e.Code == errs.Invalid {
		return e, true
	}
	return nil, false
}

// apiError is the JSON error body of API.md.
type apiError struct {
	Code    errs.Code         `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// detailedError is an error whose JSON answer says more than its code, message and field
// messages (API.md: the registration a duplicate phone number holds, the person at the
// door who is not confirmed): the funnel adds details to the error object.
type detailedError struct {
	err     error
	details gin.H
}

func (d *detailedError) Error() string { return d.err.Error() }
func (d *detailedError) Unwrap() error { return d.err }

// withDetails gives err more members of its JSON error object.
func withDetails(err error, details gin.H) error { return &detailedError{err: err, details: details} }

// fail is the one funnel: it maps err to a status, logs what the user must not see, and
// answers in JSON (API) or with a friendly page (HTML).
func (s *Server) fail(c *gin.Context, err error) {
	lang := langOf(c)
	var e *errs.Error
	if !errors.As(err, &e) {
		e = errs.New(errs.Internal, "err.internal")
	}
	status := statusOf(e.Code)
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request.Method, "path", redactPath(c.Request.URL.Path), "err", err)
		e = errs.New(errs.Internal, "err.internal")
	} else {
		s.log.Debug("request refused", "path", redactPath(c.Request.URL.Path), "err", err)
	}
	if c.Writer.Written() {
		return
	}
	body := apiError{Code: e.Code, Message: s.trMsg(lang, e.Msg)}
	if len(e.Fields) > 0 {
		body.Fields = make(map[string]string, len(e.Fields))
		for k, m := range e.Fields {
			body.Fields[k] = s.trMsg(lang, m)
		}
	}
	if isAPI(c) {
		if d, ok := errors.AsType[*detailedError](err); ok && status < 500 {
			out := gin.H{"code": body.Code, "message": body.Message}
			if body.Fields != nil {
				out["fields"] = body.Fields
			}
			maps.Copy(out, d.details)
			c.AbortWithStatusJSON(status, gin.H{"error": out})
			return
		}
		c.AbortWithStatusJSON(status, gin.H{"error": body})
		return
	}
	if e.Code == errs.Unauthorized && c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	msg := body.Message
	for _, f := range body.Fields {
		msg += " " + f
	}
	rerr := s.render(c, status, "error", view{Title: s.tr(lang, "error.heading."+string(e.Code)),
		Data: map[string]string{"Heading": s.tr(lang, "error.heading."+string(e.Code)), "Message": msg}})
	if rerr != nil {
		s.log.Error("render error page", "err", rerr)
		c.String(status, body.Message)
	}
	c.Abort()
}

func (s *Server) denyCrossOrigin(w http.ResponseWriter, r *http.Request) {
	s.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "sec-fetch-site", r.Header.Get("Sec-Fetch-Site"))
	lang := "vi"
	if ck, err := r.Cookie(langCookie); err == nil && ck.Value == "en" {
		lang = "en"
	}
	msg := s.tr(lang, "err.cross_origin")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":{"code":"forbidden","message":` + strconv.Quote(msg) + `}}`))
		return
	}
	http.Error(w, msg, http.StatusForbidden)
}

// list answers a JSON list as in API.md.
func list[T any](c *gin.Context, items []T, total int) error {
	if items == nil {
		items = []T{}
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total})
	return nil
}

// errText is the translated message of err with its field messages, for a form or a flash;
// a server fault gives the generic message.
func (s *Server) errText(c *gin.Context, err error) string {
	var e *errs.Error
	if !errors.As(err, &e) || statusOf(e.Code) >= 500 {
		return s.tr(langOf(c), "err.internal")
	}
	msg := s.trMsg(langOf(c), e.Msg)
	for _, m := range e.Fields {
		msg += " " + s.trMsg(langOf(c), m)
	}
	return msg
}

// codedError returns the coded error in err's chain.
func codedError(err error) (*errs.Error, bool) {
	var e *errs.Error
	if err == nil || !errors.As(err, &e) {
		return nil, false
	}
	return e, true
}
