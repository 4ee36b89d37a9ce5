package server

// The bulk roster actions and the door actions (issue 13, part B) in the authorization
// matrix. The bodies act on the cancelled registration only, which every action skips, so
// an allowed request changes nothing the other rows rely on.
func init() {
	secAreas = append(secAreas, secArea{rows: func(sc *secScene) []secRow {
		return []secRow{
			{"POST", "/api/v1/courses/{course}/registrations/bulk", jsonBody(`{"action": "approve", "ids": [{cancelled}]}`), orgManage},
			{"POST", "/staff/courses/{course}/registrations/bulk", formBody("action", "approve", "ids", "{cancelled}"), orgManage},
		}
	}})
}
