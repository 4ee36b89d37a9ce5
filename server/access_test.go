package server

import (
	"slices"
	"testing"

	"taphuan/accounts"
	"taphuan/courses"
)

func TestCourseScopeHelpers(t *testing.T) {
	t.Parallel()
	const home, other = 1, 2
	course := &courses.Course{OrganizationID: home}
	users := map[string]*accounts.User{
		"admin":           {Role: accounts.RoleAdmin},
		"organizer":       {Role: accounts.RoleOrganizer, OrganizationID: home},
		"staff":           {Role: accounts.RoleStaff, OrganizationID: home},
		"other organizer": {Role: accounts.RoleOrganizer, OrganizationID: other},
		"other staff":     {Role: accounts.RoleStaff, OrganizationID: other},
		"nobody":          nil,
	}
	for _, tc := range []struct {
		who                      string
		see, change, create, all bool
		orgs                     []int64
	}{
		{"admin", true, true, true, true, nil},
		{"organizer", true, true, true, false, []int64{home}},
		{"staff", true, false, false, false, []int64{home}},
		{"other organizer", false, false, true, false, []int64{other}},
		{"other staff", false, false, false, false, []int64{other}},
		{"nobody", false, false, false, false, nil},
	} {
		u := users[tc.who]
		if got := orgAccess(u, course.OrganizationID, false) == nil; got != tc.see {
			t.Errorf("%s sees: %v", tc.who, got)
		}
		if got := orgAccess(u, course.OrganizationID, true) == nil; got != tc.change {
			t.Errorf("%s changes: %v", tc.who, got)
		}
		if got := canCreateCourses(u, 0); got != tc.create {
			t.Errorf("%s creates: %v", tc.who, got)
		}
		f := courseScope(u)
		if f.AllOrganizations != tc.all || !slices.Equal(f.OrgIDs, tc.orgs) {
			t.Errorf("%s scope: all=%v orgs=%v", tc.who, f.AllOrganizations, f.OrgIDs)
		}
	}
	if canCreateCourses(users["organizer"], other) {
		t.Error("an organizer creates for another department")
	}
}

func TestNavForRoles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		u    *accounts.User
		want navView
	}{
		{&accounts.User{Role: accounts.RoleAdmin}, navView{People: true, Money: true, Settings: true, Users: true, Programs: true, Organizations: true}},
		{&accounts.User{Role: accounts.RoleOrganizer, OrganizationID: 1}, navView{People: true, Money: true, Settings: true, Users: true}},
		{&accounts.User{Role: accounts.RoleStaff, OrganizationID: 1}, navView{}},
		{&accounts.User{Role: accounts.RoleUnit, UnitID: 3}, navView{UnitHome: true}},
		{nil, navView{}},
	} {
		if got := navFor(tc.u); got != tc.want {
			t.Errorf("%+v: nav %+v, want %+v", tc.u, got, tc.want)
		}
	}
}
