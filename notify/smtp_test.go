package notify

import (
	"strings"
	"testing"
	"time"
)

func TestParseSMTP(t *testing.T) {
	for _, tc := range []struct {
		url, from string
		host      string
		port      int
		implicit  bool
		user      string
		err       string
	}{
		{"smtp://mail.example.vn", "no-reply@example.vn", "mail.example.vn", 587, false, "", ""},
		{"smtp://u%40x:p%3Aw@mail.example.vn:2525", "Lớp <no-reply@example.vn>", "mail.example.vn", 2525, false, "u@x", ""},
		{"smtps://mail.example.vn", "no-reply@example.vn", "mail.example.vn", 465, true, "", ""},
		{"http://mail.example.vn", "no-reply@example.vn", "", 0, false, "", "scheme"},
		{"smtp://:25", "no-reply@example.vn", "", 0, false, "", "no host"},
		{"smtp://mail.example.vn:99999", "no-reply@example.vn", "", 0, false, "", "bad port"},
		{"smtp://mail.example.vn", "", "", 0, false, "", "-mail-from"},
		{"smtp://user:secret@mail.example.vn:bad", "no-reply@example.vn", "", 0, false, "", "smtp"},
	} {
		s, err := ParseSMTP(tc.url, tc.from, time.Second)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: error %v, want one about %q without the password", tc.url, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		if s.host != tc.host || s.port != tc.port || s.implicit != tc.implicit || s.user != tc.user || s.from != "no-reply@example.vn" {
			t.Errorf("%s: %+v", tc.url, s)
		}
	}
}
