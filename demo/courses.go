package demo

import (
	"context"
	"fmt"
	"time"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/vn"
)

// demoCourse is a course of the demo with its modules and sessions.
type demoCourse struct {
	input   courses.CourseInput
	modules []courses.ModuleInput
	// sessions: day offset from the start, "HH:MM" start and end, index into modules
	sessions []demoSession
	room     string
}

type demoSession struct {
	day        int
	start, end string
	module     int
}

// loadCourses builds the program tree and two courses of orgID through the courses
// service, both open for registration: the Khánh Hòa grassroots-information workshop of
// 4–5/12/2023 (DOMAIN.md), whose id it returns, and an upcoming course for poverty-reduction
// officials some weeks ahead, so that the demo always has a course to register for.
func loadCourses(ctx context.Context, db *database.DB, orgID int64) (int64, error) {
	cs := courses.New(db)
	tree := map[string]int64{}
	for _, n := range []struct{ key, parent, name string }{
		{"ctmtqg", "", "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021–2025"},
		{"da6", "ctmtqg", "Dự án 6: Truyền thông và giảm nghèo về thông tin"},
		{"tda1", "da6", "Tiểu dự án 1: Giảm nghèo về thông tin"},
		{"tda2", "da6", "Tiểu dự án 2: Truyền thông về giảm nghèo đa chiều"},
		{"da7", "ctmtqg", "Dự án 7: Nâng cao năng lực và giám sát, đánh giá Chương trình"},
		{"kh", "", "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức hằng năm của tỉnh"},
	} {
		p, err := cs.CreateProgram(ctx, courses.ProgramInput{ParentID: tree[n.parent], Name: n.name})
		if err != nil {
			return 0, fmt.Errorf("demo: program %q: %w", n.name, err)
		}
		tree[n.key] = p.ID
	}

	workshop := demoCourse{
		input: courses.CourseInput{
			OrganizationID: orgID,
			Title:          "Tập huấn nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023",
			CoOrganizer:    "Cục Thông tin cơ sở",
			ProgramID:      tree["tda1"],
			Venue:          "Khách sạn Hoàng Yến, 42 Trần Phú, thành phố Nha Trang",
			PlaceName:      "Khánh Hòa",
			StartsOn:       "2023-12-04", EndsOn: "2023-12-05",
			Capacity: 200, RegistrationMode: courses.ModeOpen, MinAttendancePercent: 75,
			SupportAmountPerDay: 150000,
			TargetAudience: "Công chức văn hóa - xã hội, cán bộ phụ trách đài truyền thanh cấp xã; viên chức " +
				"Trung tâm Văn hóa - Thông tin - Thể thao các huyện, thị xã, thành phố; phóng viên, biên tập " +
				"viên các cơ quan báo chí trên địa bàn tỉnh.",
			Description: "Lớp tập huấn cập nhật quy định mới về thông tin cơ sở, Chiến lược phát triển thông tin " +
				"cơ sở giai đoạn 2021–2025 và kỹ năng vận hành đài truyền thanh ứng dụng công nghệ thông tin - " +
				"viễn thông.\nHọc viên tham dự đủ thời lượng được cấp giấy chứng nhận.",
		},
		modules: []courses.ModuleInput{
			{Title: "Quy định và những vấn đề cơ bản về hoạt động thông tin cơ sở", Lecturer: "ThS. Nguyễn Văn Hùng", DurationMinutes: 240},
			{Title: "Chiến lược phát triển thông tin cơ sở giai đoạn 2021–2025", Lecturer: "TS. Trần Thị Mai", DurationMinutes: 210},
			{Title: "Định hướng phát triển đài truyền thanh cấp huyện đến năm 2025", Lecturer: "Lê Quang Vinh", DurationMinutes: 240},
			{Title: "Đài truyền thanh cấp xã và vận hành đài truyền thanh ứng dụng công nghệ thông tin - viễn thông", Lecturer: "KS. Phạm Minh Tuấn", DurationMinutes: 210},
		},
		sessions: []demoSession{
			{0, "07:30", "11:30", 0}, {0, "13:30", "17:00", 1},
			{1, "07:30", "11:30", 2}, {1, "13:30", "17:00", 3},
		},
		room: "Hội trường tầng 2",
	}
	workshopID, err := createDemoCourse(ctx, cs, workshop)
	if err != nil {
		return 0, err
	}

	// The upcoming course: the first Tuesday at least three weeks from today.
	start := time.Now().In(vn.Location).AddDate(0, 0, 21)
	for start.Weekday() != time.Tuesday {
		start = start.AddDate(0, 0, 1)
	}
	closes := time.Date(start.Year(), start.Month(), start.Day(), 17, 0, 0, 0, vn.Location).AddDate(0, 0, -5)
	upcoming := demoCourse{
		input: courses.CourseInput{
			OrganizationID: orgID,
			Title:          fmt.Sprintf("Bồi dưỡng kỹ năng truyền thông về giảm nghèo đa chiều cho cán bộ làm công tác giảm nghèo cấp xã năm %d", start.Year()),
			CoOrganizer:    "Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa",
			ProgramID:      tree["tda2"],
			Venue:          "Hội trường Trường Chính trị tỉnh Khánh Hòa, thành phố Nha Trang",
			PlaceName:      "Khánh Hòa",
			StartsOn:       start.Format("2006-01-02"), EndsOn: start.AddDate(0, 0, 1).Format("2006-01-02"),
			Capacity: 160, RegistrationMode: courses.ModeApproval, MinAttendancePercent: 80,
			SupportAmountPerDay:  150000,
			RegistrationClosesAt: database.Time{Time: closes},
			TargetAudience:       "Công chức làm công tác giảm nghèo, lao động - thương binh và xã hội cấp xã; trưởng thôn, tổ dân phố.",
			Description: "Nâng cao kỹ năng truyền thông về giảm nghèo đa chiều, rà soát hộ nghèo, hộ cận nghèo " +
				"và xây dựng, nhân rộng các mô hình sinh kế.\nĐăng ký được ban tổ chức xét duyệt theo chỉ tiêu của từng xã.",
		},
		modules: []courses.ModuleInput{
			{Title: "Xây dựng và nhân rộng mô hình, dự án hỗ trợ phát triển sinh kế", Lecturer: "ThS. Đỗ Thị Hạnh", DurationMinutes: 240},
			{Title: "Quy trình rà soát hộ nghèo, hộ cận nghèo hằng năm", Lecturer: "Võ Văn Thành", DurationMinutes: 210},
			{Title: "Chuẩn nghèo đa chiều và kỹ năng truyền thông về giảm nghèo", Lecturer: "TS. Ngô Minh Châu", DurationMinutes: 240},
		},
		sessions: []demoSession{{0, "08:00", "11:30", 0}, {0, "13:30", "17:00", 1}, {1, "08:00", "11:30", 2}},
		room:     "Phòng hội thảo số 1",
	}
	if _, err := createDemoCourse(ctx, cs, upcoming); err != nil {
		return 0, err
	}
	return workshopID, nil
}

// createDemoCourse creates d with its modules and sessions and opens registration.
func createDemoCourse(ctx context.Context, cs *courses.Service, d demoCourse) (int64, error) {
	c, err := cs.CreateCourse(ctx, d.input)
	if err != nil {
		return 0, fmt.Errorf("demo: course %q: %w", d.input.Title, err)
	}
	var moduleIDs []int64
	for _, m := range d.modules {
		got, err := cs.CreateModule(ctx, c.ID, m)
		if err != nil {
			return 0, fmt.Errorf("demo: module %q: %w", m.Title, err)
		}
		moduleIDs = append(moduleIDs, got.ID)
	}
	day0, err := time.ParseInLocation("2006-01-02", c.StartsOn, vn.Location)
	if err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	at := func(day int, clock string) database.Time {
		t, _ := time.Parse("15:04", clock)
		d := day0.AddDate(0, 0, day)
		return database.Time{Time: time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, vn.Location)}
	}
	for _, s := range d.sessions {
		_, err := cs.CreateSession(ctx, c.ID, courses.SessionInput{ModuleID: moduleIDs[s.module],
			StartsAt: at(s.day, s.start), EndsAt: at(s.day, s.end), Room: d.room})
		if err != nil {
			return 0, fmt.Errorf("demo: session of %q: %w", d.input.Title, err)
		}
	}
	if _, err := cs.SetStatus(ctx, c.ID, courses.StatusOpen); err != nil {
		return 0, fmt.Errorf("demo: open %q: %w", d.input.Title, err)
	}
	return c.ID, nil
}
