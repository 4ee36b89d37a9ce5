package accounts

import (
	_ "embed"
	"strings"

	"taphuan/errs"
)

// commonPasswords are the commonest passwords (lower case, one a line), refused whatever
// their length: lists of leaked passwords are tried first by anyone guessing.
//
//go:embed common_passwords.txt
var commonPasswordsText string

func isCommonPassword(p string) bool {
	p = strings.ToLower(strings.TrimSpace(p))
	for line := range strings.SplitSeq(commonPasswordsText, "\n") {
		if strings.TrimSpace(line) == p {
			return true
		}
	}
	return false
}

// checkPassword adds to f what is wrong with a new password: at least minPasswordLength
// characters, at most bcrypt's 72 bytes, not one of the commonest.
func checkPassword(f errs.Fields, field, p string) {
	switch {
	case len([]rune(p)) < minPasswordLength:
		f.Add(field, "err.password_short", minPasswordLength)
	case len(p) > maxPasswordLength:
		f.Add(field, "err.too_long", maxPasswordLength)
	case isCommonPassword(p):
		f.Add(field, "err.password_common")
	}
}
