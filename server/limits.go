package server

import (
	"errors"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/limits"
)

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
