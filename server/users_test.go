package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taphuan/accounts"
)

func TestUsersPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org := a.org("Sở Lao động - Thương binh và Xã hội")
	other := a.org("Sở Y tế")
	organizer := a.user(accounts.RoleOrganizer, org.ID)
	c := a.login(organizer)

	t.Run("organizer adds staff to their own organization", func(t *testing.T) {
		resp := a.postForm(c, "/admin/users", url.Values{"name": {"Lò Thị Mai"}, "email": {"mai@example.vn"},
			"role": {"staff"}, "organization_id": {itoa(other.ID)}})
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("status %d, want 201", resp.StatusCode)
		}
		u, err := a.acc.FindUserByEmail(context.Background(), "mai@example.vn")
		if err != nil || u.OrganizationID != org.ID || u.Role != accounts.RoleStaff {
			t.Errorf("created %+v (%v): want staff of the organizer's own organization", u, err)
		}
	})
	t.Run("organizer may not create an administrator", func(t *testing.T) {
		resp := a.postForm(c, "/admin/users", url.Values{"name": {"X"}, "email": {"x@example.vn"}, "role": {"admin"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", resp.StatusCode)
		}
	})
	t.Run("invalid e-mail shows on the field", func(t *testing.T) {
		resp, body := a.postFormBody(c, "/admin/users", url.Values{"name": {"Y"}, "email": {"khong-hop-le"}, "role": {"staff"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Thư điện tử không hợp lệ") {
			t.Errorf("status %d, want 422 with the message on the e-mail field", resp.StatusCode)
		}
	})
	t.Run("staff may not manage users", func(t *testing.T) {
		staff := a.login(a.user(accounts.RoleStaff, org.ID))
		if resp, _ := a.get(staff, "/admin/users"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", resp.StatusCode)
		}
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	u := a.user(accounts.RoleAdmin, 0)
	c := a.login(u)
	other := a.login(u) // a second session of the same user
	if resp := a.postForm(c, "/account/password", url.Values{"current": {"sai"}, "password": {"mat-khau-moi-456"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current password: %d, want 422", resp.StatusCode)
	}
	if resp := a.postForm(c, "/account/password", url.Values{"current": {testPassword}, "password": {"mat-khau-moi-456"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d, want 303", resp.StatusCode)
	}
	if _, err := a.acc.Authenticate(context.Background(), u.Email, "mat-khau-moi-456", "127.0.0.9"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	if resp, _ := a.get(c, "/"); resp.StatusCode != http.StatusOK {
		t.Errorf("this session was ended: %d", resp.StatusCode)
	}
	if resp, _ := a.get(other, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session survived the password change: %d", resp.StatusCode)
	}
}
