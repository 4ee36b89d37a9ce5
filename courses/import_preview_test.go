package courses_test

import (
	"strconv"
	"strings"
	"testing"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

func TestImportPreviewContent(t *testing.T) {
	db := dbtest.New(t)
	svc := courses.New(db)
	course := coursestest.Course(t, db, coursestest.Org(t, db, "Sở Nội vụ").ID)
	csv := "Họ và tên,Giới tính,Ngày sinh,Đơn vị công tác,Số điện thoại,Email\n" +
		"ĐỖ THỊ BÍCH,Nữ,12/05/1980,UBND xã Ninh Xuân,0912000001,bich@gmail\n" +
		"Lê Văn Cường,Nam,01/01/1979,UBND xã Ninh Ích,09120,\n" +
		"," + strings.Repeat("x", 300) + ",01/01/1979,UBND xã Ninh Ích,0912000003,\n"
	rows, err := courses.ParseRoster(strings.NewReader(csv), "ds.csv")
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Import(t.Context(), courses.ImportInput{CourseID: course.ID, Rows: rows, Mode: courses.ImportDryRun})
	if err != nil {
		t.Fatal(err)
	}
	byRow := map[string]courses.RowError{}
	for _, e := range res.Errors {
		byRow[e.Field+"@"+strconv.Itoa(e.Row)] = e
	}
	if e := byRow["email@2"]; e.Name != "Đỗ Thị Bích" || e.Value != "bich@gmail" {
		t.Errorf("email error %+v", e)
	}
	if e := byRow["phone@3"]; e.Name != "Lê Văn Cường" || e.Value != "09120" {
		t.Errorf("phone error %+v", e)
	}
	if e := byRow["gender@4"]; e.Name != "" || len([]rune(e.Value)) != 81 || !strings.HasSuffix(e.Value, "…") {
		t.Errorf("long value not cut: %+v", e)
	}
	if len(res.Sample) != 3 || res.Sample[0].Input.FullName != "Đỗ Thị Bích" || res.Sample[0].Line != 2 {
		t.Errorf("sample %+v", res.Sample)
	}
	if len(res.Recased) != 1 || res.Recased[0] != (courses.Recased{Row: 2, From: "ĐỖ THỊ BÍCH", To: "Đỗ Thị Bích"}) {
		t.Errorf("recased %+v", res.Recased)
	}
}
