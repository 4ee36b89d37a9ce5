package server

import (
	"testing"

	"taphuan/notify"
)

// The notification routes in the authorization matrix. The scene gets one message in the
// home course's outbox ({message}): an organizer's notice to its confirmed trainees.
func init() {
	secAreas = append(secAreas, secArea{
		setup: func(t *testing.T, sc *secScene) {
			if _, err := sc.a.srv.notify.Broadcast(t.Context(), notify.BroadcastInput{CourseID: sc.course.ID,
				Subject: "Đổi phòng học", Body: "Lớp chuyển sang phòng 305."}); err != nil {
				t.Fatal(err)
			}
			msgs, _, err := sc.a.srv.notify.ListMessages(t.Context(), notify.MessageFilter{CourseID: sc.course.ID})
			if err != nil || len(msgs) == 0 {
				t.Fatalf("no message in the scene: %v", err)
			}
			sc.vars["message"] = itoa(msgs[0].ID)
		},
		rows: func(sc *secScene) []secRow {
			none := secBody{}
			return []secRow{
				{"GET", "/api/v1/courses/{course}/messages", none, orgManage},
				{"POST", "/api/v1/courses/{course}/messages", jsonBody(`{}`), orgManage},
				{"POST", "/api/v1/courses/{course}/messages/resend", none, orgManage},
				{"POST", "/api/v1/messages/{message}/resend", none, orgManage},
				{"GET", "/api/v1/courses/{course}/reminder", none, orgView},
				{"PUT", "/api/v1/courses/{course}/reminder", jsonBody(`{}`), orgManage},
				{"GET", "/api/v1/organizations/{org}/mail-settings", none, orgView},
				{"PUT", "/api/v1/organizations/{org}/mail-settings", jsonBody(`{"reply_to": "khong-phai-dia-chi"}`), orgManage},
				{"GET", "/staff/courses/{course}/messages", none, orgManage},
				{"POST", "/staff/courses/{course}/messages/broadcast", formBody("subject", ""), orgManage},
				{"POST", "/staff/courses/{course}/messages/resend", none, orgManage},
				{"POST", "/staff/courses/{course}/messages/reminder", formBody("days_before", "x"), orgManage},
				{"POST", "/staff/courses/{course}/messages/sender", formBody("reply_to", "khong-phai-dia-chi"), orgManage},
				{"POST", "/staff/messages/{message}/resend", none, orgManage},
				{"GET", "/courses/{course}/calendar.ics", none, public},
				{"GET", "/tickets/{ticket}/calendar.ics", none, public},
				{"POST", "/courses/{course}/ticket-recovery", formBody("phone", "x"), public},
			}
		},
	})
}
