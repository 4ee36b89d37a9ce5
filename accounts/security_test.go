package accounts_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/database/dbtest"
	"taphuan/errs"
)

// TestParallelGuessesAreCountedFirst: 25 guesses sent at once for one account from one
// address; only 5 are checked against the password (the rest are throttled before), where
// checking the count before writing the failure let 8 through.
func TestParallelGuessesAreCountedFirst(t *testing.T) {
	s := accounts.New(dbtest.New(t))
	ctx := t.Context()
	if _, err := s.CreateUser(ctx, accounts.UserInput{Email: "a@example.vn", Name: "A", Role: accounts.RoleAdmin, Password: "dung-mat-khau"}); err != nil {
		t.Fatal(err)
	}
	var tried, throttled atomic.Int32
	var wg sync.WaitGroup
	for range 25 {
		wg.Go(func() {
			_, err := s.Authenticate(context.Background(), "a@example.vn", "doan-thu", "203.0.113.9")
			switch {
			case errors.Is(err, accounts.ErrBadCredentials):
				tried.Add(1)
			case errors.Is(err, accounts.ErrThrottled):
				throttled.Add(1)
			default:
				t.Errorf("guess: %v", err)
			}
		})
	}
	wg.Wait()
	if tried.Load() != 5 || throttled.Load() != 20 {
		t.Errorf("%d guesses checked, %d throttled; want 5 and 20", tried.Load(), throttled.Load())
	}
}

// TestRoleIsNormalizedBeforeTheDecision: an organizer sending " admin", "ADMIN", "organizer"
// or an administrator of another organization is refused (nothing stored); sending
// " staff " creates a staff member of the organizer's own organization whatever
// organization was sent; the command line's " Admin " is stored as admin.
func TestRoleIsNormalizedBeforeTheDecision(t *testing.T) {
	s := accounts.New(dbtest.New(t))
	ctx := t.Context()
	home, _ := s.CreateOrganization(ctx, accounts.OrganizationInput{Name: "Sở A"})
	other, _ := s.CreateOrganization(ctx, accounts.OrganizationInput{Name: "Sở B"})
	org, err := s.CreateUser(ctx, accounts.UserInput{Email: "org@example.vn", Name: "Tổ chức", Role: accounts.RoleOrganizer,
		OrganizationID: home.ID, Password: "dung-mat-khau"})
	if err != nil {
		t.Fatal(err)
	}
	for i, role := range []string{" admin", "ADMIN", "admin\t", " Organizer", "ad min"} {
		_, err := s.CreateUserAs(ctx, org, accounts.UserInput{Email: "x" + string(rune('a'+i)) + "@example.vn", Name: "X",
			Role: role, OrganizationID: other.ID, Password: "dung-mat-khau"})
		if !errors.Is(err, accounts.ErrNotPermitted) {
			t.Errorf("organizer creating role %q: %v, want ErrNotPermitted", role, err)
		}
	}
	if n, _ := s.CountUsers(ctx); n != 1 {
		t.Errorf("%d users after the refused attempts, want 1", n)
	}
	u, err := s.CreateUserAs(ctx, org, accounts.UserInput{Email: "staff@example.vn", Name: "Điểm danh", Role: " staff ",
		OrganizationID: other.ID, Password: "dung-mat-khau"})
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := s.FindUserByID(ctx, u.ID); stored.Role != accounts.RoleStaff || stored.OrganizationID != home.ID {
		t.Errorf("stored %q of organization %d, want staff of %d", stored.Role, stored.OrganizationID, home.ID)
	}
	a, err := s.CreateUserAs(ctx, nil, accounts.UserInput{Email: "root@example.vn", Name: "Root", Role: " Admin ", Password: "dung-mat-khau"})
	if err != nil || a.Role != accounts.RoleAdmin {
		t.Errorf("command line ' Admin ': %v %v", a, err)
	}
	// An organizer cannot edit their staff into an organizer either.
	if _, err := s.UpdateUser(ctx, org, accounts.UserEdit{ID: u.ID, Email: u.Email, Name: u.Name, Role: "Organizer "}); !errors.Is(err, accounts.ErrNotPermitted) {
		t.Errorf("organizer promoting staff: %v", err)
	}
	if _, err := s.UpdateUser(ctx, org, accounts.UserEdit{ID: a.ID, Email: a.Email, Name: "x", Role: "admin"}); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("organizer editing an admin: %v, want not found", err)
	}
}

// TestPasswordPolicy: fewer than 10 characters and the commonest passwords are refused.
func TestPasswordPolicy(t *testing.T) {
	s := accounts.New(dbtest.New(t))
	ctx := t.Context()
	for pw, key := range map[string]string{"ngan-qua": "err.password_short", "1234567890": "err.password_common",
		"Password123": "err.password_common", "qwertyuiop": "err.password_common"} {
		_, err := s.CreateUser(ctx, accounts.UserInput{Email: "a@example.vn", Name: "A", Role: accounts.RoleAdmin, Password: pw})
		var e *errs.Error
		if !errors.As(err, &e) || e.Fields["password"].Key != key {
			t.Errorf("password %q: %v, want %s", pw, err, key)
		}
	}
}

// TestDisableResetAndTokens: disabling ends sessions, revokes tokens and refuses the
// login; a reset gives a one-time password that must be changed, and revokes tokens;
// changing the password revokes tokens; an expired or revoked token does not work.
func TestDisableResetAndTokens(t *testing.T) {
	s := accounts.New(dbtest.New(t))
	ctx := t.Context()
	home, _ := s.CreateOrganization(ctx, accounts.OrganizationInput{Name: "Sở A"})
	org, _ := s.CreateUser(ctx, accounts.UserInput{Email: "org@example.vn", Name: "O", Role: accounts.RoleOrganizer, OrganizationID: home.ID, Password: "dung-mat-khau"})
	st, _ := s.CreateUser(ctx, accounts.UserInput{Email: "st@example.vn", Name: "S", Role: accounts.RoleStaff, OrganizationID: home.ID, Password: "dung-mat-khau"})
	sess, _ := s.CreateSession(ctx, st.ID)
	tok, _ := s.CreateToken(ctx, st.Email)
	if _, err := s.UserByToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDisabled(ctx, org, st.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserBySession(ctx, sess); err == nil {
		t.Error("a disabled user's session still works")
	}
	if _, err := s.UserByToken(ctx, tok); err == nil {
		t.Error("a disabled user's token still works")
	}
	if _, err := s.Authenticate(ctx, st.Email, "dung-mat-khau", "10.1.1.1"); !errors.Is(err, accounts.ErrBadCredentials) {
		t.Errorf("a disabled user signs in: %v", err)
	}
	if _, err := s.SetDisabled(ctx, org, st.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, tok); err == nil {
		t.Error("enabling again brought a revoked token back")
	}
	tok2, _ := s.CreateToken(ctx, st.Email)
	pw, err := s.ResetPassword(ctx, org, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, tok2); err == nil {
		t.Error("a token survives a password reset")
	}
	u, err := s.Authenticate(ctx, st.Email, pw, "10.1.1.2")
	if err != nil || !u.MustChangePassword {
		t.Fatalf("one-time password: %+v %v, want signed in and told to change it", u, err)
	}
	tok3, _ := s.CreateToken(ctx, st.Email)
	if err := s.ChangePassword(ctx, st.ID, pw, "mat-khau-rieng-moi", ""); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.FindUserByID(ctx, st.ID); u.MustChangePassword {
		t.Error("still must change after changing")
	}
	if _, err := s.UserByToken(ctx, tok3); err == nil {
		t.Error("a token survives a password change")
	}
	if _, err := s.SetDisabled(ctx, org, org.ID, true); !errors.Is(err, accounts.ErrSelf) {
		t.Errorf("disabling oneself: %v", err)
	}

	exp, err := s.CreateTokenExpiring(ctx, org.Email, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if _, err := s.UserByToken(ctx, exp); err == nil {
		t.Error("an expired token works")
	}
	live, _ := s.CreateTokenExpiring(ctx, org.Email, 90*24*time.Hour)
	ts, _ := s.ListTokens(ctx, org.ID)
	if len(ts) != 2 || ts[0].ExpiresAt == "" || !ts[0].Active(time.Now()) || ts[1].Active(time.Now()) {
		t.Fatalf("tokens: %+v", ts)
	}
	if err := s.RevokeToken(ctx, ts[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, live); err == nil {
		t.Error("a revoked token works")
	}
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "12h": 12 * time.Hour, "": 0} {
		if d, err := accounts.ParseLifetime(in); err != nil || d != want {
			t.Errorf("ParseLifetime(%q) = %v %v", in, d, err)
		}
	}
	for _, in := range []string{"90", "-1d", "1y", "99999999d"} {
		if _, err := accounts.ParseLifetime(in); err == nil {
			t.Errorf("ParseLifetime(%q) accepted", in)
		}
	}
}
