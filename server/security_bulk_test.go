package server

// The bulk roster actions and the door actions (issue 13, part B) in the authorization
// matrix. The bodies act on the cancelled registration only, which every action skips, so
// an allowed request changes nothing the other rows rely on.
func init() {
	secAreas = append(secAreas, secArea{rows: func(sc *secScene) []secRow {
		none := secBody{}
		return []secRow{
			{"POST", "/api/v1/courses/{course}/registrations/bulk", jsonBody(`{"action": "approve", "ids": [{cancelled}]}`), orgManage},
			{"POST", "/staff/courses/{course}/registrations/bulk", formBody("action", "approve", "ids", "{cancelled}"), orgManage},
			// The door: staff of the course's organization may admit (a cancelled one is
			// refused with 409 / a flash) and register walk-ins (an empty form is invalid).
			{"POST", "/api/v1/sessions/{session}/admit", jsonBody(`{"registration_id": {cancelled}}`), orgView},
			{"POST", "/api/v1/sessions/{session}/walkin", jsonBody(`{}`), orgView},
			{"GET", "/staff/sessions/{session}/door", none, orgView},
			{"POST", "/staff/sessions/{session}/door/admit", formBody("registration_id", "{cancelled}"), orgView},
			{"POST", "/staff/sessions/{session}/door/walkin", formBody("full_name", ""), orgView},
			// A course's own certificate signers: organizers of the course's organization.
			{"GET", "/staff/courses/{course}/certificates/signers", none, orgManage},
			{"POST", "/staff/courses/{course}/certificates/signers", formBody("co_name", "Ai đó"), orgManage},
		}
	}})
}
