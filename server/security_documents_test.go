package server

import (
	"net/url"
	"strings"
)

// The documents area's rows of the authorization matrix: drafts of official documents are
// for the organizers of the course's organization and admins; the door's staff get 403,
// another organization 404. The forms are sent invalid, so a granted post changes nothing.
func init() {
	secAreas = append(secAreas, secArea{rows: func(sc *secScene) []secRow {
		none := secBody{}
		unit := url.QueryEscape("Thư viện huyện Diên Khánh")
		return []secRow{
			{"GET", "/api/v1/courses/{course}/documents", none, orgManage},
			{"GET", "/api/v1/courses/{course}/documents/decision.pdf", none, orgManage},
			{"GET", "/api/v1/courses/{course}/documents/summons.docx?unit=" + unit, none, orgManage},
			{"GET", "/staff/courses/{course}/documents", none, orgManage},
			{"POST", "/staff/courses/{course}/documents/report", formBody("assessment", strings.Repeat("x", 8001)), orgManage},
			{"GET", "/staff/courses/{course}/documents/settings", none, orgManage},
			{"POST", "/staff/courses/{course}/documents/settings", formBody("symbol", ""), orgManage},
			{"POST", "/staff/courses/{course}/documents/settings/reset", none, orgManage},
			{"GET", "/staff/document-settings", none, organizers},
			{"GET", "/staff/document-settings?org={org}", none, orgManage},
			{"POST", "/staff/document-settings", formBody("org", "{org}", "symbol", ""), orgManage},
		}
	}})
}
