// Package errs is taphuan's one error type: a code that the server maps to an HTTP status
// (the codes of API.md), a user-facing message given as a translation key (so the domain
// packages never hold Vietnamese or English text), and per-field messages for invalid input.
// Causes wrapped inside stay in the log and never reach the user.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code is the machine-readable kind of an error, as in API.md.
type Code string

// The codes of API.md.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Forbidden    Code = "forbidden"
	Unauthorized Code = "unauthorized"
	Full         Code = "full"
	Closed       Code = "closed"
	Throttled    Code = "throttled"
	Internal     Code = "internal"
)

// Msg is a message to translate: a key of templates/i18n and its fmt arguments.
type Msg struct {
	Key  string
	Args []any
}

// Error is the one error type.
type Error struct {
	Code   Code
	Msg    Msg
	Fields map[string]Msg // invalid input: field name → message
	Err    error          // the cause, for the log only
	// origin is the sentinel this error was copied from by Wrap or With (nil for a
	// sentinel itself): errors.Is compares origins, see Is.
	origin *Error
}

// New returns an error with a code and a message key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Msg: Msg{Key: key, Args: args}}
}

// Wrap returns a copy of e that wraps cause (e.g. to add details for the log).
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.Err = cause
	c.origin = e.sentinel()
	return &c
}

// With returns a copy of e whose message has other arguments (e.g. the clashing session).
func (e *Error) With(args ...any) *Error {
	c := *e
	c.Msg.Args = args
	c.origin = e.sentinel()
	return &c
}

func (e *Error) sentinel() *Error {
	if e.origin != nil {
		return e.origin
	}
	return e
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Code, e.Msg.Key)
	if len(e.Msg.Args) > 0 {
		fmt.Fprintf(&b, " %v", e.Msg.Args)
	}
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k].Key)
		}
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes two errors the same when they come from the same sentinel: a copy made by Wrap
// or With matches the sentinel it was made from (and other copies of it), and nothing else.
// Two packages' sentinels are different errors even when they share a code and a message
// key (courses.ErrNotFound is not accounts.ErrNotFound): a caller that asks whether a course
// was missing must not be told yes because a user was. To ask about the kind of failure
// across packages, compare CodeOf(err) instead.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && e.sentinel() == t.sentinel()
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Fields collects field messages while validating an input; Err returns nil when none.
type Fields map[string]Msg

// Add records msg for field unless the field already has a message (the first problem
// found is the one shown).
func (f Fields) Add(field, key string, args ...any) {
	if _, ok := f[field]; !ok {
		f[field] = Msg{Key: key, Args: args}
	}
}

// Check adds the message when ok is false.
func (f Fields) Check(ok bool, field, key string, args ...any) {
	if !ok {
		f.Add(field, key, args...)
	}
}

// Err returns an Invalid *Error holding the fields, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Msg: Msg{Key: "err.invalid"}, Fields: f}
}
