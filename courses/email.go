package courses

import (
	"net/mail"
	"strings"
)

// ValidEmail reports whether s is an e-mail address one can write to: a bare address
// (net/mail parses it as itself, no display name, no spaces) whose domain has at least two
// labels ("an.nv@gmail" is a typo of "an.nv@gmail.com", not an address), each label of
// letters, digits and inner hyphens, and a top-level label of two letters or more.
func ValidEmail(s string) bool {
	if s == "" || len(s) > maxEmailLen || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r > 127) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if r >= '0' && r <= '9' {
			return false
		}
	}
	return true
}
