package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/database"
)

// TestTokenListRevokeExpires: token create -expires 90d, token list (never the token
// itself), token revoke: the revoked token stops authenticating at once; a bad -expires is
// refused.
func TestTokenListRevokeExpires(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tok.db")
	if code, _, stderr := runCLI(t, "user", "add", "-db", db, "-email", "a@example.vn", "-name", "A", "-role", " Admin", "-password", "dung-mat-khau"); code != 0 {
		t.Fatal(stderr)
	}
	code, tok, stderr := runCLI(t, "token", "create", "-db", db, "-email", "a@example.vn", "-expires", "90d")
	if code != 0 {
		t.Fatal(stderr)
	}
	tok = strings.TrimSpace(tok)
	_, second, _ := runCLI(t, "token", "create", "-db", db, "-email", "a@example.vn")
	if code, _, stderr := runCLI(t, "token", "create", "-db", db, "-email", "a@example.vn", "-expires", "90"); code != 1 || !strings.Contains(stderr, "90d") {
		t.Errorf("-expires 90: exit %d %q", code, stderr)
	}
	code, out, stderr := runCLI(t, "token", "list", "-db", db, "-email", "a@example.vn")
	if code != 0 {
		t.Fatal(stderr)
	}
	if strings.Contains(out, tok) || strings.Contains(out, strings.TrimSpace(second)) || strings.Contains(out, "th_") {
		t.Errorf("token list shows a token: %s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[2], "a@example.vn") ||
		!regexp.MustCompile(`^1\s+a@example.vn\s+\S+\s+20\d\d-`).MatchString(lines[2]) || !strings.Contains(lines[1], " - ") {
		t.Errorf("token list:\n%s\nwant a header, the newest without expiry, the first with an expiry date", out)
	}
	if code, out, stderr := runCLI(t, "token", "revoke", "-db", db, "-id", "1"); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: %d %s %s", code, out, stderr)
	}
	if code, _, _ := runCLI(t, "token", "revoke", "-db", db, "-id", "99"); code != 1 {
		t.Errorf("revoking an unknown token: exit %d", code)
	}
	d, err := database.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	acc := accounts.New(d)
	if _, err := acc.UserByToken(t.Context(), tok); err == nil {
		t.Error("the revoked token still authenticates")
	}
	if u, err := acc.UserByToken(t.Context(), strings.TrimSpace(second)); err != nil || u.Role != accounts.RoleAdmin {
		t.Errorf("the other token: %v %v (role stored from ' Admin')", u, err)
	}
	_, out, _ = runCLI(t, "token", "list", "-db", db)
	if !strings.Contains(out, "revoked") {
		t.Errorf("token list after revoke: %s", out)
	}
}
