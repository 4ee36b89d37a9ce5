package certificates

import "testing"

func TestNumberPattern(t *testing.T) {
	for _, c := range []struct {
		p      NumberPattern
		format string
		ex     string
	}{
		{NumberPattern{Digits: 3, Suffix: "/GCN-STTTT"}, "%03d/GCN-STTTT", "012/GCN-STTTT"},
		{NumberPattern{Prefix: "GCN-", Digits: 4}, "GCN-%04d", "GCN-0012"},
		{NumberPattern{Prefix: "50%", Digits: 1, Suffix: "/QĐ"}, "50%%%01d/QĐ", "50%12/QĐ"},
	} {
		if got := c.p.Format(); got != c.format {
			t.Errorf("%+v.Format() = %q, want %q", c.p, got, c.format)
		}
		if got := c.p.Example(); got != c.ex {
			t.Errorf("%+v.Example() = %q, want %q", c.p, got, c.ex)
		}
		back, ok := PatternOf(c.format)
		if !ok || back != c.p {
			t.Errorf("PatternOf(%q) = %+v %v, want %+v", c.format, back, ok, c.p)
		}
	}
	if p, ok := PatternOf("%d/GCN"); !ok || p.Digits != 1 || p.Suffix != "/GCN" {
		t.Errorf("PatternOf(%%d/GCN) = %+v", p)
	}
	if _, ok := PatternOf("%s"); ok {
		t.Error("a bad format splits")
	}
	if err := (NumberPattern{Digits: 9}).Validate(); err == nil {
		t.Error("9 digits accepted")
	}
}
