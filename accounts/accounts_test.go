package accounts_test

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"taphuan/accounts"
	"taphuan/database/dbtest"
	"taphuan/errs"
)

func TestCreateUser(t *testing.T) {
	t.Parallel()
	s := accounts.New(dbtest.New(t))
	ctx := t.Context()
	org, err := s.CreateOrganization(ctx, accounts.OrganizationInput{Name: "  Sở  Tài chính  "})
	if err != nil {
		t.Fatal(err)
	}
	if org.Name != "Sở Tài chính" {
		t.Errorf("name not cleaned: %q", org.Name)
	}
	u, err := s.CreateUser(ctx, accounts.UserInput{Email: " Yen@Example.VN ", Name: "Nguyễn Thị Hải Yến",
		Role: accounts.RoleOrganizer, OrganizationID: org.ID, Password: "mot-hai-ba-bon"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "yen@example.vn" || strings.Contains(u.PasswordHash, "mot-hai") || !strings.HasPrefix(u.PasswordHash, "$2") {
		t.Errorf("user %+v: want a lower-case e-mail and a bcrypt hash", u)
	}
	t.Run("ErrDuplicateEmail", func(t *testing.T) {
		_, err := s.CreateUser(ctx, accounts.UserInput{Email: "yen@example.vn", Name: "X", Role: accounts.RoleAdmin, Password: "muoi-ky-tu-day"})
		if !errors.Is(err, accounts.ErrDuplicateEmail) {
			t.Errorf("err = %v, want ErrDuplicateEmail", err)
		}
	})
	t.Run("invalid fields", func(t *testing.T) {
		_, err := s.CreateUser(ctx, accounts.UserInput{Email: "not-mail", Name: "", Role: "boss", Password: "123"})
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Invalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		for _, f := range []string{"email", "name", "role", "password"} {
			if _, ok := e.Fields[f]; !ok {
				t.Errorf("no message on %s", f)
			}
		}
	})
	t.Run("unknown organization", func(t *testing.T) {
		_, err := s.CreateUser(ctx, accounts.UserInput{Email: "x@example.vn", Name: "X", Role: accounts.RoleStaff, OrganizationID: 999, Password: "muoi-ky-tu-day"})
		var e *errs.Error
		if !errors.As(err, &e) || e.Fields["organization_id"].Key != "err.unknown_org" {
			t.Errorf("err = %v, want unknown_org on organization_id", err)
		}
	})
}

func TestAuthenticateThrottle(t *testing.T) {
	t.Parallel()
	s := accounts.New(dbtest.New(t))
	ctx := t.Context()
	if _, err := s.CreateUser(ctx, accounts.UserInput{Email: "a@example.vn", Name: "A", Role: accounts.RoleAdmin, Password: "dung-mat-khau"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "a@example.vn", "dung-mat-khau", "10.0.0.1"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	for range 5 {
		if _, err := s.Authenticate(ctx, "A@example.vn", "sai", "10.0.0.1"); !errors.Is(err, accounts.ErrBadCredentials) {
			t.Fatalf("wrong password: %v, want ErrBadCredentials", err)
		}
	}
	if _, err := s.Authenticate(ctx, "a@example.vn", "dung-mat-khau", "10.0.0.1"); !errors.Is(err, accounts.ErrThrottled) {
		t.Errorf("after 5 failures from the address: %v, want ErrThrottled even with the right password", err)
	}
	// The owner elsewhere is not locked out by a guesser: the throttle is per account and address.
	if _, err := s.Authenticate(ctx, "a@example.vn", "dung-mat-khau", "10.0.0.2"); err != nil {
		t.Errorf("the right password from another address after 5 failures: %v, want signed in", err)
	}
	if _, err := s.Authenticate(ctx, "nobody@example.vn", "x", "10.0.0.3"); !errors.Is(err, accounts.ErrBadCredentials) {
		t.Errorf("unknown user: %v, want ErrBadCredentials (not a hint that the account is missing)", err)
	}
}

func TestFirstAdmin(t *testing.T) {
	t.Parallel()
	s := accounts.New(dbtest.New(t))
	ctx := t.Context()
	email, pw, err := s.EnsureFirstAdmin(ctx)
	if err != nil || email == "" || len(pw) < 8 {
		t.Fatalf("EnsureFirstAdmin: %q %q %v", email, pw, err)
	}
	u, err := s.Authenticate(ctx, email, pw, "127.0.0.1")
	if err != nil || !u.IsAdmin() {
		t.Fatalf("the printed credentials do not sign in: %v", err)
	}
	if e2, _, _ := s.EnsureFirstAdmin(ctx); e2 != "" {
		t.Error("a second administrator was created on a database that has users")
	}
}

// TestUnknownUserHashIsReal: the stand-in hash of unknown e-mails is a valid bcrypt hash at
// the real cost, so an unknown address takes as long to refuse as a wrong password.
func TestUnknownUserHashIsReal(t *testing.T) {
	t.Parallel()
	cost, err := bcrypt.Cost([]byte(accounts.UnknownUserHashForTest))
	if err != nil || cost != bcrypt.DefaultCost {
		t.Errorf("cost %d (%v), want %d", cost, err, bcrypt.DefaultCost)
	}
}
