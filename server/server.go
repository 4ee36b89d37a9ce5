// Package server is the web layer: the Gin engine, its routes and middleware (logging,
// security headers, cross-origin protection, language, authentication), the HTML pages and
// the JSON API of API.md, and the one funnel that turns errors into responses. It is the only
// package that sees HTTP; the domain packages get a context and plain input structs.
package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/documents"
	"taphuan/evaluation"
	"taphuan/finance"
	"taphuan/limits"
	"taphuan/notify"
	"taphuan/units"
)

// Config is what the server needs to know about its surroundings.
type Config struct {
	Addr    string       // listen address, e.g. 127.0.0.1:8080
	BaseURL string       // public address, used in QR codes and links; https → Secure cookies
	Logger  *slog.Logger // nil: slog.Default()
	// Mail: SMTP is -smtp (smtp://[user:pass@]host:port or smtps://…); "" leaves messages
	// waiting in the outbox. MailFrom is -mail-from; MailLease how long a sender's claim
	// on a message holds (0: notify's default).
	SMTP        string
	MailFrom    string
	MailLease   time.Duration
	MailPoll    time.Duration
	MailBackoff time.Duration // the wait after a first failed delivery (0: notify's default)
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose X-Forwarded-For
	// (or X-Real-IP) names the client; from anyone else those headers are ignored. Empty:
	// the peer's address is the client's.
	TrustedProxies []string
}

// Server holds the services and the parsed pages.
type Server struct {
	cfg      Config
	log      *slog.Logger
	accounts *accounts.Service
	courses  *courses.Service
	attend   *attendance.Service
	certs    *certificates.Service
	eval     *evaluation.Service
	docs     *documents.Service
	notify   *notify.Service
	mailer   notify.Sender // nil: no SMTP configured, messages wait
	units    *units.Service
	limits   *limits.Limiter
	finance  *finance.Service
	pages    map[string]map[string]*template.Template // lang → page → template
	catalogs map[string]map[string]string             // lang → key → text
	engine   *gin.Engine
	handler  http.Handler
	writers  chan struct{} // admission of requests that write: see admitWriters
}

// New builds the server over db.
func New(cfg Config, db *database.DB) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	s := &Server{
		cfg:      cfg,
		log:      cfg.Logger,
		accounts: accounts.New(db),
		courses:  courses.New(db),
		units:    units.New(db),
		limits:   limits.New(db, nil),
		writers:  make(chan struct{}, db.Writers()),
	}
	s.attend = attendance.New(db, s.courses)
	s.certs = certificates.New(db, s.courses, s.attend, s.accounts)
	s.eval = evaluation.New(db, s.courses)
	s.certs.SetTestRule(s.eval)
	s.finance = finance.New(db, s.courses, s.attend)
	s.courses.UseLecturers(s.finance)
	s.courses.UseSessionRecords(s.attend)
	s.docs = documents.New(db, s.courses, s.attend, s.certs, s.accounts, documents.Sources{
		Estimate:   s.finance,
		Evaluation: documents.EvaluationOf(s.eval),
		Settlement: s.finance,
	})
	if err := s.setupNotify(db); err != nil {
		return nil, err
	}
	// Units made from text quotas by the migration get their full match keys, and the
	// registrations whose text now names a unit get it (idempotent, cheap when current).
	if _, err := s.courses.ReconcileUnits(context.Background()); err != nil {
		return nil, err
	}
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	var proxies []string
	for _, p := range cfg.TrustedProxies {
		if p = strings.TrimSpace(p); p != "" {
			proxies = append(proxies, p)
		}
	}
	if err := e.SetTrustedProxies(proxies); err != nil {
		return nil, fmt.Errorf("server: trusted proxies: %w", err)
	}
	e.HandleMethodNotAllowed = true
	e.Use(s.recoverer, s.logRequests, securityHeaders, s.locale, s.admitWriters, s.authenticate)
	s.engine = e
	s.routes()
	e.NoRoute(s.h(func(c *gin.Context) error { return errNotFound }))
	e.NoMethod(s.h(func(c *gin.Context) error { return errNotFound }))

	// Browsers say where a request comes from (Sec-Fetch-Site, Origin); a cross-site form
	// post or fetch is refused with 403 before it reaches a handler. Clients without those
	// headers (curl, the API with a token) pass.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.denyCrossOrigin))
	s.handler = cop.Handler(e)
	return s, nil
}

// Run serves on cfg.Addr until ctx ends, then shuts down gracefully. ready, if not nil, is
// called once the listener is open.
func (s *Server) Run(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: listen %s: %w", s.cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // imports upload files
		WriteTimeout:      5 * time.Minute, // bulk PDFs
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// The sender loop of the outbox: it stops with ctx, and Run waits for it so that the
	// database is not closed under a send.
	mailCtx, stopMail := context.WithCancel(ctx)
	mailDone := make(chan struct{})
	go func() { s.notify.Run(mailCtx, s.mailer, s.log); close(mailDone) }()
	defer func() { stopMail(); <-mailDone }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}

// secureCookies reports whether cookies get the Secure flag: when the public address is
// https, or this request came over TLS.
func (s *Server) secureCookies(c *gin.Context) bool {
	return strings.HasPrefix(s.cfg.BaseURL, "https://") || c.Request.TLS != nil
}

// absURL returns the public address of path.
func (s *Server) absURL(c *gin.Context, path string) string {
	base := s.cfg.BaseURL
	if base == "" {
		scheme := "http"
		if c.Request.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + c.Request.Host
	}
	return base + path
}
