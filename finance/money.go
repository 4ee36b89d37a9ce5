package finance

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"taphuan/errs"
)

// Money is an amount (or a count) as it arrives: JSON number or string, or form text. It
// never fails to decode, so that a fractional or negative amount becomes a message on its
// field rather than a malformed body. Valid amounts are whole, non-negative đồng.
type Money struct {
	V   int64
	bad string // translation key of the problem; "" when fine
	set bool
}

// M is a valid amount.
func M(v int64) Money { return Money{V: v, set: true} }

// ParseMoney reads form text: digits, optionally grouped by "." or spaces the Vietnamese way
// ("1.500.000"). Empty is unset. "1,5", "1.5", "-3", "12abc" are refused.
func ParseMoney(s string) Money {
	s = strings.TrimSpace(s)
	if s == "" {
		return Money{}
	}
	if strings.HasPrefix(s, "-") {
		return Money{bad: "finance.err.negative", set: true}
	}
	if strings.ContainsAny(s, ",") {
		return Money{bad: "finance.err.fraction", set: true}
	}
	plain := strings.NewReplacer(" ", "", "\u00a0", "").Replace(s)
	if strings.Contains(plain, ".") {
		groups := strings.Split(plain, ".")
		for i, g := range groups {
			if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return Money{bad: "finance.err.fraction", set: true}
			}
		}
		plain = strings.Join(groups, "")
	}
	v, err := strconv.ParseInt(plain, 10, 64)
	if err != nil || v < 0 || v > maxAmount {
		return Money{bad: "finance.err.amount", set: true}
	}
	return Money{V: v, set: true}
}

// maxAmount bounds every amount (a thousand billion đồng): far above any course, far below
// an overflow when multiplied by counts.
const maxAmount = 1_000_000_000_000

// UnmarshalJSON takes a JSON integer, or a string that ParseMoney accepts; 1.5, 1e3 and -1
// become invalid values.
func (m *Money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*m = Money{}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			*m = Money{bad: "finance.err.amount", set: true}
			return nil
		}
		*m = ParseMoney(s)
		return nil
	}
	s := string(b)
	switch {
	case strings.HasPrefix(s, "-"):
		*m = Money{bad: "finance.err.negative", set: true}
	case strings.ContainsAny(s, ".eE"):
		*m = Money{bad: "finance.err.fraction", set: true}
	default:
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v > maxAmount {
			*m = Money{bad: "finance.err.amount", set: true}
			return nil
		}
		*m = Money{V: v, set: true}
	}
	return nil
}

// MarshalJSON writes the value.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(strconv.FormatInt(m.V, 10)), nil }

// Set reports whether a value was given.
func (m Money) Set() bool { return m.set }

// check adds the problem of m, if any, on field; required adds one when unset.
func (m Money) check(f errs.Fields, field string, required bool) {
	switch {
	case m.bad != "":
		f.Add(field, m.bad)
	case required && !m.set:
		f.Add(field, "err.required")
	case m.V < 0:
		f.Add(field, "finance.err.negative")
	}
}

// checkCount is check for a count (trainees, nights, a quantity): the messages speak of a
// whole number rather than of đồng.
func (m Money) checkCount(f errs.Fields, field string, required bool) {
	if m.bad != "" && m.bad != "finance.err.negative" {
		f.Add(field, "finance.err.whole_number")
		return
	}
	m.check(f, field, required)
}

// ptr is the value as a nullable column.
func (m Money) ptr() *int64 {
	if !m.set || m.bad != "" {
		return nil
	}
	v := m.V
	return &v
}

// taxOf is the personal income tax withheld from a payment: rateBP (basis points: 1000 =
// 10%) of gross, rounded half up to the đồng, when gross reaches the threshold.
func taxOf(gross int64, rateBP, threshold int64) int64 {
	if gross < threshold || gross <= 0 {
		return 0
	}
	return (gross*rateBP + 5000) / 10000
}
