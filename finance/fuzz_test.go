package finance_test

import (
	"encoding/json"
	"testing"

	"taphuan/finance"
	"taphuan/vn"
)

// FuzzParseMoney: whatever is typed or sent, an amount is a whole, non-negative number of
// đồng or a message; a valid amount written the Vietnamese way reads back the same, and the
// JSON and form readings agree on digits.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1.500.000", "50000", "1 500 000", "1.5", "1,5", "-3", "12.34.567", "", "0", "9999999999999", "١٢٣", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := finance.ParseMoney(s)
		if m.V < 0 {
			t.Fatalf("ParseMoney(%q) = %d", s, m.V)
		}
		if m.V > 0 {
			if back := finance.ParseMoney(vn.FormatInt(m.V)); back.V != m.V {
				t.Fatalf("%q → %d → %q → %d", s, m.V, vn.FormatInt(m.V), back.V)
			}
		}
		var j finance.Money
		quoted, _ := json.Marshal(s)
		if err := json.Unmarshal(quoted, &j); err != nil {
			t.Fatalf("a JSON string failed to decode: %v", err)
		}
		if j.V != m.V {
			t.Fatalf("JSON %q → %d, form → %d", s, j.V, m.V)
		}
		var raw finance.Money
		_ = json.Unmarshal([]byte(s), &raw) // never panics; may be a syntax error
		if raw.V < 0 {
			t.Fatalf("JSON %s → %d", s, raw.V)
		}
	})
}
