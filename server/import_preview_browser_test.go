package server

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

const previewRoster = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Đơn vị công tác,Địa phương,Số điện thoại,Email\n" +
	"NGUYỄN VĂN AN,Nam,12/05/1980,Kinh,Chủ tịch,UBND xã Ninh Xuân,Ninh Hòa,0912000001,an.nv@gmail\n" +
	"Trần Thị Bích,Nữ,31/02/1985,Kinh,Công chức,UBND xã Ninh Ích,Ninh Hòa,0912000002,\n" +
	"H'HEN NIÊ,Nữ,03/04/1990,Ê Đê,Cán bộ,Hội LHPN xã Ea Tân,Krông Năng,0912000003,hhen@example.vn\n" +
	"Lê Văn Cường,Nam,01/01/1979,Kinh,Phó Chủ tịch,UBND phường Ninh Hiệp,Ninh Hòa,0912000004,cuong@example.vn\n"

// TestBrowserImportPreviewShowsNamesValuesSample: the import preview names the person and
// repeats the bad value of every bad row ("an.nv@gmail" is refused), shows the first rows
// as they will be stored, and says which names in capitals become title case; importing
// stores them so. At 1366 and 390 wide.
func TestBrowserImportPreviewShowsNamesValuesSample(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID)
	file := filepath.Join(t.TempDir(), "danh-sach-xa.csv")
	if err := os.WriteFile(file, []byte(previewRoster), 0o644); err != nil {
		t.Fatal(err)
	}
	u := a.user(accounts.RoleOrganizer, org.ID)
	ctx := newBrowser(t)
	for _, size := range [][2]int64{{1366, 900}, {390, 844}} {
		if err := retryDo(ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
			t.Fatal(err)
		}
		if size[0] == 1366 {
			browserLogin(t, ctx, a, u)
		}
		if err := retryDo(ctx,
			chromedp.Navigate(fmt.Sprintf("%s/staff/courses/%d/registrations/import", a.ts.URL, course.ID)),
			chromedp.WaitVisible(chromedp.CSS("#f-file")),
			chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}),
			chromedp.Click(chromedp.CSS("#import-check")),
		); err != nil {
			t.Fatal(err)
		}
		waitAfterClick(t, ctx, "the preview", `!!document.querySelector("#import-sample")`)
		errorsText := jsText(t, ctx, "#import-errors")
		for _, want := range []string{"Nguyễn Văn An", "an.nv@gmail", "Trần Thị Bích", "31/02/1985"} {
			if !strings.Contains(errorsText, want) {
				t.Errorf("the bad rows do not show %q: %s", want, errorsText)
			}
		}
		sample := jsText(t, ctx, "#import-sample")
		for _, want := range []string{"H'Hen Niê", "Hội LHPN xã Ea Tân", "Krông Năng", "03/04/1990", "Lê Văn Cường"} {
			if !strings.Contains(sample, want) {
				t.Errorf("the sample does not show %q: %s", want, sample)
			}
		}
		if got := jsText(t, ctx, "#import-recased"); !strings.Contains(got, "NGUYỄN VĂN AN → Nguyễn Văn An") || !strings.Contains(got, "H'HEN NIÊ → H'Hen Niê") {
			t.Errorf("recased notice %q", got)
		}
		screenshot(t, ctx, fmt.Sprintf("import_preview_%d", size[0]))
	}
	if err := retryDo(ctx, chromedp.Click(chromedp.CSS("#import-confirm"))); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "the roster", `!!document.querySelector("#roster-table")`)
	regs, _, err := a.srv.courses.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: course.ID, Query: "0912000003"})
	if err != nil || len(regs) != 1 || regs[0].FullName != "H'Hen Niê" {
		t.Errorf("imported %+v %v", regs, err)
	}
}
