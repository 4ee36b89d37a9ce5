package server

import "taphuan/courses"

// doorView is what check-in staff see of a registration: what the door needs (the name,
// position and unit to recognise the trainee, the ticket code, the status) and nothing
// else — no phone, birth date, ethnicity, CCCD or e-mail, which are for organizers.
type doorView struct {
	ID               int64  `json:"id"`
	CourseID         int64  `json:"course_id"`
	Code             string `json:"code"`
	Status           string `json:"status"`
	WaitlistPosition *int   `json:"waitlist_position"`
	FullName         string `json:"full_name"`
	Position         string `json:"position"`
	Organization     string `json:"organization"`
}

func doorViewOf(r courses.Registration) doorView {
	return doorView{ID: r.ID, CourseID: r.CourseID, Code: r.Code, Status: r.Status, WaitlistPosition: r.WaitlistPosition,
		FullName: r.FullName, Position: r.Position, Organization: r.Organization}
}

func doorViews(regs []courses.Registration) []doorView {
	out := make([]doorView, len(regs))
	for i, r := range regs {
		out[i] = doorViewOf(r)
	}
	return out
}
