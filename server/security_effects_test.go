package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taphuan/accounts"
)

// The effects the authorization matrix asserts besides the status (issue 10): the role and
// organization a users form stored, the rows and fields a list returned, the columns an
// export holds. Keyed by the row's method, path and (for rows sharing a route) a word of
// its body; each runs after that row's request of every caller (who is the caller's index).
var secEffects = map[string]func(t *testing.T, sc *secScene, who int, resp secResponse){
	"POST /admin/users leo.thang@example.vn": func(t *testing.T, sc *secScene, who int, resp secResponse) {
		u, err := sc.a.acc.FindUserByEmail(context.Background(), "leo.thang@example.vn")
		switch {
		case who < idAdmin && err == nil:
			t.Errorf("POST /admin/users role \" admin\" as %s: stored a %s of organization %d", identityNames[who], u.Role, u.OrganizationID)
		case who == idAdmin && (err != nil || u.Role != accounts.RoleAdmin || u.OrganizationID != 0):
			t.Errorf("POST /admin/users role \" admin\" as admin: stored %+v (%v), want an administrator", u, err)
		}
	},
	"POST /admin/users duoc.tao@example.vn": func(t *testing.T, sc *secScene, who int, resp secResponse) {
		u, err := sc.a.acc.FindUserByEmail(context.Background(), "duoc.tao@example.vn")
		if who < idOtherOrganizer && err == nil {
			t.Errorf("POST /admin/users as %s stored %+v", identityNames[who], u)
		}
		// The first to be let in is the other organization's organizer, who sent the home
		// organization's id: the user is theirs, a staff member.
		if who >= idOtherOrganizer && (err != nil || u.Role != accounts.RoleStaff || u.OrganizationID != sc.other.ID) {
			t.Errorf("POST /admin/users \" staff \" for another organization, after %s: stored %+v (%v), want staff of the organizer's own organization %d",
				identityNames[who], u, err, sc.other.ID)
		}
	},
	"GET /api/v1/courses/{course}/registrations": func(t *testing.T, sc *secScene, who int, resp secResponse) {
		switch who {
		case idStaff:
			noPersonalData(t, "the registrations list as staff", resp.body)
			if !strings.Contains(resp.body, secTraineeName) || !strings.Contains(resp.body, sc.yen.Code) ||
				!strings.Contains(resp.body, "Thư viện huyện Diên Khánh") {
				t.Errorf("the registrations list as staff lacks what the door needs: %s", resp.body)
			}
		case idOrganizer:
			if !strings.Contains(resp.body, secPhone) || !strings.Contains(resp.body, secBirthDate) {
				t.Errorf("the registrations list as organizer lacks the phone or birth date")
			}
		}
	},
	"GET /api/v1/registrations/{reg}": func(t *testing.T, sc *secScene, who int, resp secResponse) {
		if who == idStaff {
			noPersonalData(t, "a registration as staff", resp.body)
			if !strings.Contains(resp.body, secTraineeName) {
				t.Errorf("a registration as staff lacks the name")
			}
		}
	},
	"GET /staff/courses/{course}/registrations": func(t *testing.T, sc *secScene, who int, resp secResponse) {
		if who == idStaff {
			noPersonalData(t, "the roster page as staff", resp.body)
			if strings.Contains(resp.body, "registrations.csv") || strings.Contains(resp.body, "/staff/people/") {
				t.Errorf("the roster page as staff links the export or the directory")
			}
		}
		if who == idOrganizer && (!strings.Contains(resp.body, secPhone) || !strings.Contains(resp.body, secBirthDay)) {
			t.Errorf("the roster page as organizer lacks the phone or birth date")
		}
	},
	"GET /api/v1/courses/{course}/registrations.csv": func(t *testing.T, sc *secScene, who int, resp secResponse) {
		if who == idOrganizer {
			for _, want := range []string{"Số CCCD", "Ngày sinh", "Số điện thoại", secIDNumber, secBirthDay, secPhone} {
				if !strings.Contains(resp.body, want) {
					t.Errorf("the CSV export as organizer lacks %q", want)
				}
			}
		}
	},
	"GET /api/v1/courses/{course}/registrations.xlsx": func(t *testing.T, sc *secScene, who int, resp secResponse) {
		if who != idOrganizer {
			return
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(resp.body)))
		if err != nil {
			t.Fatalf("the XLSX export: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil || len(rows) < 2 {
			t.Fatalf("the XLSX export: %v %v", rows, err)
		}
		header := strings.Join(rows[0], "|")
		for _, col := range []string{"Số CCCD", "Ngày sinh", "Số điện thoại", "Dân tộc"} {
			if !strings.Contains(header, col) {
				t.Errorf("the XLSX export lacks the column %q: %s", col, header)
			}
		}
	},
	"GET /api/v1/sessions/{session}/attendance": func(t *testing.T, sc *secScene, who int, resp secResponse) {
		if who == idStaff && resp.status == http.StatusOK {
			noPersonalData(t, "the session roster as staff", resp.body)
		}
	},
}

// secEffectKey names a row for secEffects: method and path, and for the users form the
// e-mail it sends (two rows share that route).
func secEffectKey(r secRow) string {
	k := r.method + " " + r.path
	if r.body.form != nil && r.path == "/admin/users" && r.body.form.Get("email") != "" {
		k += " " + r.body.form.Get("email")
	}
	return k
}

// noPersonalData fails when an answer to check-in staff holds the trainee's phone, birth
// date, ethnicity, e-mail or CCCD.
func noPersonalData(t *testing.T, what, body string) {
	t.Helper()
	for _, s := range []string{secPhone, secBirthDate, secBirthDay, secEthnicity, secEmail, secIDNumber} {
		if strings.Contains(body, s) {
			t.Errorf("%s shows %q", what, s)
		}
	}
}
