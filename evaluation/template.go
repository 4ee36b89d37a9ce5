package evaluation

import (
	"database/sql"
	"fmt"

	"taphuan/courses"
)

// The built-in questionnaire, after the headings of Circular 10/2017/TT-BNV: the programme's
// content and usefulness, the organization and facilities, each module and its lecturer, and
// open suggestions. The wording is the organization's to change; it is data, in Vietnamese.
const (
	sectionContent      = "I. Nội dung chương trình và tính hữu ích"
	sectionOrganization = "II. Công tác tổ chức và cơ sở vật chất"
	sectionOpen         = "Ý kiến khác"
)

func defaultGeneral() []Question {
	return []Question{
		{Section: sectionContent, Kind: Rating, Text: "Nội dung chương trình phù hợp với yêu cầu công việc"},
		{Section: sectionContent, Kind: Rating, Text: "Tài liệu được cung cấp đầy đủ, hữu ích"},
		{Section: sectionContent, Kind: Rating, Text: "Có thể áp dụng kiến thức, kỹ năng đã học vào công việc"},
		{Section: sectionContent, Kind: Choice, Text: "Thời lượng của lớp học",
			Options: []string{"Quá ngắn", "Phù hợp", "Quá dài"}},
		{Section: sectionOrganization, Kind: Rating, Text: "Công tác tổ chức, phục vụ lớp học"},
		{Section: sectionOrganization, Kind: Rating, Text: "Hội trường, trang thiết bị, tài liệu"},
		{Section: sectionOrganization, Kind: Rating, Text: "Thời gian và địa điểm tổ chức"},
		{Section: sectionOpen, Kind: Text, Text: "Nội dung anh/chị thấy hữu ích nhất"},
		{Section: sectionOpen, Kind: Text, Text: "Đề xuất, kiến nghị để các lớp sau tốt hơn"},
	}
}

// moduleQuestions are the four criteria asked of every module and its lecturer.
var moduleQuestions = []string{
	"Kiến thức chuyên môn của báo cáo viên",
	"Phương pháp truyền đạt",
	"Bảo đảm thời gian",
	"Tính thực tiễn của nội dung",
}

// buildQuestions puts the general questions (the template's, or the default) around one
// block per module: the content and organization sections first, the modules, then the
// open questions (a template's text questions go last too).
func buildQuestions(tmpl []Question, modules []courses.Module) []Question {
	general := tmpl
	if len(general) == 0 {
		general = defaultGeneral()
	}
	var head, tail, out []Question
	for _, q := range general {
		q.ID, q.SurveyID, q.Retired, q.Replaces = 0, 0, false, sql.NullInt64{}
		if q.Kind == Text {
			tail = append(tail, q)
		} else {
			head = append(head, q)
		}
	}
	out = append(out, head...)
	for i, m := range modules {
		section := fmt.Sprintf("Chuyên đề %d: %s", i+1, m.Title)
		if m.Lecturer != "" {
			section += " — " + m.Lecturer
		}
		for _, text := range moduleQuestions {
			out = append(out, Question{Section: section, Kind: Rating, Text: text, Lecturer: m.Lecturer,
				ModuleID: sql.NullInt64{Int64: m.ID, Valid: true}})
		}
	}
	return append(out, tail...)
}
