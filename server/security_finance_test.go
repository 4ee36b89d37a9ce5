package server

import (
	"context"
	"fmt"
	"testing"

	"taphuan/finance"
)

// The money area's rows of the authorization matrix, and its object: a lecturer of the home
// organization with a tax code and bank account.
func init() {
	secAreas = append(secAreas, secArea{
		setup: func(t *testing.T, sc *secScene) {
			l, err := sc.a.srv.finance.CreateLecturer(context.Background(), finance.LecturerInput{
				OrganizationID: sc.home.ID, FullName: "Phan Văn Giảng", Title: "ThS.", Tier: finance.TierProvincial,
				TaxCode: "4201234567", BankAccount: "0123456789012"})
			if err != nil {
				t.Fatal(err)
			}
			sc.vars["lecturer"] = itoa(l.ID)
		},
		rows: func(sc *secScene) []secRow {
			none := secBody{}
			home := fmt.Sprint(sc.home.ID)
			rows := []secRow{
				{"GET", "/api/v1/lecturers", none, signedIn},
				{"GET", "/api/v1/lecturers?organization_id={org}", none, orgView},
				{"POST", "/api/v1/lecturers", jsonBody(`{"organization_id": ` + home + `, "full_name": ""}`), orgManage},
				{"GET", "/api/v1/lecturers/{lecturer}", none, orgView},
				{"PATCH", "/api/v1/lecturers/{lecturer}", jsonBody(`{"full_name": ""}`), orgManage},
				{"GET", "/api/v1/organizations/{org}/rates", none, orgView},
				{"PUT", "/api/v1/organizations/{org}/rates", jsonBody(`{"items": [{"item": "khong-co"}]}`), orgManage},
				{"GET", "/api/v1/courses/{course}/estimate/plan", none, orgManage},
				{"PUT", "/api/v1/courses/{course}/estimate/plan", jsonBody(`{"expected_trainees": -1}`), orgManage},
				{"GET", "/staff/lecturers", none, signedIn},
				{"POST", "/staff/lecturers", formBody("full_name", ""), organizers},
				{"GET", "/staff/lecturers/{lecturer}/edit", none, orgManage},
				{"POST", "/staff/lecturers/{lecturer}", formBody("full_name", ""), orgManage},
				{"GET", "/staff/rates", none, signedIn},
				{"POST", "/staff/rates", formBody("rows", "1", "items.0.item", "khong-co"), organizers},
				{"GET", "/staff/courses/{course}/money", none, orgView},
				{"POST", "/staff/courses/{course}/money", formBody("expected_trainees", "-1"), orgManage},
			}
			for _, kind := range finance.Kinds() {
				want := orgManage // payments carry what people are paid: organizers only (issue 10)
				for _, suffix := range []string{"", ".pdf", ".xlsx"} {
					rows = append(rows, secRow{"GET", "/api/v1/courses/{course}/reports/" + kind + suffix, none, want})
				}
			}
			return rows
		},
	})
}
