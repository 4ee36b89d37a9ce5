package server

import (
	"context"
	"testing"

	"taphuan/accounts"
)

// The users pages' rows of the authorization matrix: a staff member of the home
// organization ({managed-user}) with an API token ({managed-token}). Organizers of the
// home organization and administrators manage them; other organizations' organizers do
// not see them (404); staff manage nobody (403).
func init() {
	secAreas = append(secAreas, secArea{
		setup: func(t *testing.T, sc *secScene) {
			u := sc.a.user(accounts.RoleStaff, sc.home.ID)
			sc.a.token(u)
			ts, err := sc.a.acc.ListTokens(context.Background(), u.ID)
			if err != nil || len(ts) != 1 {
				t.Fatalf("tokens: %v %v", ts, err)
			}
			sc.vars["managed-user"] = itoa(u.ID)
			sc.vars["managed-token"] = itoa(ts[0].ID)
		},
		rows: func(sc *secScene) []secRow {
			manage := policy{unauth, forbidden, notFound, forbidden, allow, allow, forbidden}
			none := secBody{}
			return []secRow{
				{"GET", "/admin/users/{managed-user}", none, manage},
				{"POST", "/admin/users/{managed-user}", formBody("email", ""), manage},
				{"POST", "/admin/users/{managed-user}/disable", formBody("disabled", "0"), manage},
				{"POST", "/admin/users/{managed-user}/reset-password", none, manage},
				{"POST", "/admin/users/{managed-user}/tokens/{managed-token}/revoke", none, manage},
				// Issue 10's other new routes.
				{"POST", "/staff/sessions/{session}/selfcheckin/phone", formBody("allowed", "0"), orgManage},
				{"POST", "/staff/courses/{course}/registrations/bursts/0123456789ab/cancel", formBody("reason", ""), orgManage},
			}
		},
	})
}
