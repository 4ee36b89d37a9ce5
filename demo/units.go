package demo

import (
	"context"
	"fmt"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/units"
	"taphuan/vn"
)

// UnitMail is the demo focal point's login (cán bộ đầu mối of UBND xã Cam Hải Tây).
const UnitMail = "daumoi@demo.taphuan.local"

// demoUnit is a sending unit of the demo province with the other ways people write it.
type demoUnit struct {
	name, short, kind, locality string
	aliases                     []string
	seats                       int // quota on the upcoming course (0: none)
}

// demoUnits are the sending units of the demo roster and the communes invited to the
// upcoming course. Spellings the match key already covers (abbreviations, no diacritics)
// need no alias; the aliases are the names people really use that the key cannot guess.
var demoUnits = []demoUnit{
	{name: "Đài Phát thanh và Truyền hình Khánh Hòa", short: "KTV", kind: units.KindPress, locality: "tỉnh Khánh Hòa",
		aliases: []string{"Đài PT-TH Khánh Hòa", "Đài Khánh Hòa"}},
	{name: "Báo Khánh Hòa", kind: units.KindPress, locality: "tỉnh Khánh Hòa", aliases: []string{"Báo Khánh Hòa điện tử"}},
	{name: "Phòng Văn hóa và Thông tin huyện Diên Khánh", kind: units.KindOffice, locality: "huyện Diên Khánh"},
	{name: "Phòng Văn hóa và Thông tin huyện Cam Lâm", kind: units.KindOffice, locality: "huyện Cam Lâm"},
	{name: "Phòng Văn hóa và Thông tin huyện Vạn Ninh", kind: units.KindOffice, locality: "huyện Vạn Ninh"},
	{name: "Phòng Văn hóa và Thông tin huyện Khánh Vĩnh", kind: units.KindOffice, locality: "huyện Khánh Vĩnh"},
	{name: "Phòng Văn hóa và Thông tin huyện Khánh Sơn", kind: units.KindOffice, locality: "huyện Khánh Sơn"},
	{name: "Phòng Văn hóa và Thông tin TP. Nha Trang", kind: units.KindOffice, locality: "thành phố Nha Trang"},
	{name: "Phòng Văn hóa và Thông tin TP. Cam Ranh", kind: units.KindOffice, locality: "thành phố Cam Ranh"},
	{name: "Phòng Văn hóa và Thông tin TX. Ninh Hòa", kind: units.KindOffice, locality: "thị xã Ninh Hòa"},
	{name: "Trung tâm Văn hóa - Thông tin và Thể thao huyện Cam Lâm", kind: units.KindCentre, locality: "huyện Cam Lâm"},
	{name: "Trung tâm Văn hóa - Thông tin và Thể thao huyện Khánh Sơn", kind: units.KindCentre, locality: "huyện Khánh Sơn"},
	{name: "Trung tâm Văn hóa - Thông tin và Thể thao huyện Diên Khánh", kind: units.KindCentre, locality: "huyện Diên Khánh"},
	{name: "Trung tâm Văn hóa - Thông tin và Thể thao huyện Vạn Ninh", kind: units.KindCentre, locality: "huyện Vạn Ninh"},
	{name: "Trung tâm Văn hóa - Thông tin và Thể thao huyện Khánh Vĩnh", kind: units.KindCentre, locality: "huyện Khánh Vĩnh"},
	{name: "Trung tâm Văn hóa - Thông tin và Thể thao TP. Nha Trang", kind: units.KindCentre, locality: "thành phố Nha Trang"},
	{name: "Trung tâm Văn hóa - Thông tin và Thể thao TP. Cam Ranh", kind: units.KindCentre, locality: "thành phố Cam Ranh"},
	{name: "Trung tâm Văn hóa - Thông tin và Thể thao TX. Ninh Hòa", kind: units.KindCentre, locality: "thị xã Ninh Hòa"},
	{name: "UBND xã Cam Hải Tây", kind: units.KindCommune, locality: "huyện Cam Lâm", seats: 3,
		aliases: []string{"Đài truyền thanh xã Cam Hải Tây", "Xã Cam Hải Tây"}},
	{name: "UBND xã Cam An Bắc", kind: units.KindCommune, locality: "huyện Cam Lâm", seats: 3,
		aliases: []string{"Đài truyền thanh xã Cam An Bắc"}},
	{name: "UBND xã Ninh Xuân", kind: units.KindCommune, locality: "thị xã Ninh Hòa", seats: 2,
		aliases: []string{"Đài truyền thanh xã Ninh Xuân"}},
	{name: "UBND xã Ninh Ích", kind: units.KindCommune, locality: "thị xã Ninh Hòa", seats: 2,
		aliases: []string{"Đài truyền thanh xã Ninh Ích"}},
	{name: "UBND phường Cam Nghĩa", kind: units.KindCommune, locality: "thành phố Cam Ranh", seats: 2,
		aliases: []string{"Đài truyền thanh phường Cam Nghĩa"}},
	{name: "UBND phường Vĩnh Hòa", kind: units.KindCommune, locality: "thành phố Nha Trang", seats: 2,
		aliases: []string{"Đài truyền thanh phường Vĩnh Hòa"}},
	{name: "UBND xã Suối Tiên", kind: units.KindCommune, locality: "huyện Diên Khánh", seats: 2,
		aliases: []string{"Đài truyền thanh xã Suối Tiên"}},
	{name: "UBND xã Khánh Bình", kind: units.KindCommune, locality: "huyện Khánh Vĩnh", seats: 2,
		aliases: []string{"Đài truyền thanh xã Khánh Bình"}},
	{name: "UBND xã Sơn Hiệp", kind: units.KindCommune, locality: "huyện Khánh Sơn", seats: 2,
		aliases: []string{"Đài truyền thanh xã Sơn Hiệp"}},
	{name: "UBND xã Vạn Thắng", kind: units.KindCommune, locality: "huyện Vạn Ninh", seats: 2,
		aliases: []string{"Đài truyền thanh xã Vạn Thắng"}},
	{name: "UBND xã Vạn Phước", kind: units.KindCommune, locality: "huyện Vạn Ninh", seats: 2,
		aliases: []string{"Đài truyền thanh xã Vạn Phước"}},
}

// loadUnits fills the directory of sending units, so that the roster imported next is
// matched to units (one row per unit in the statistics whatever the spelling).
func loadUnits(ctx context.Context, db *database.DB) error {
	us := units.New(db)
	for _, d := range demoUnits {
		if _, err := us.Create(ctx, units.Input{Name: d.name, ShortName: d.short, Kind: d.kind, Locality: d.locality,
			Aliases: d.aliases}); err != nil {
			return fmt.Errorf("demo: unit %q: %w", d.name, err)
		}
	}
	return nil
}

// loadUnitQuotas gives the communes their seats on the upcoming course (the call-up letter's
// table), makes the focal point of UBND xã Cam Hải Tây, who has named one person already,
// and adds the focal point to the printed logins.
func loadUnitQuotas(ctx context.Context, db *database.DB, orgID int64, logins *Logins) error {
	cs, us := courses.New(db), units.New(db)
	up, _, err := cs.ListCourses(ctx, courses.CourseFilter{OrgIDs: []int64{orgID}, Statuses: []string{courses.StatusOpen},
		From: time.Now().In(vn.Location).Format("2006-01-02"), Ascending: true, Limit: 1})
	if err != nil || len(up) == 0 {
		return fmt.Errorf("demo: the upcoming course: %d %w", len(up), err)
	}
	var items []courses.QuotaItem
	var focal int64
	for _, d := range demoUnits {
		if d.seats == 0 {
			continue
		}
		id, ok, err := us.Match(ctx, d.name)
		if err != nil || !ok {
			return fmt.Errorf("demo: unit %q: %v", d.name, err)
		}
		if focal == 0 {
			focal = id
		}
		n := d.seats
		items = append(items, courses.QuotaItem{UnitID: id, Seats: &n})
	}
	if _, _, err := cs.SetQuotas(ctx, up[0].ID, items); err != nil {
		return fmt.Errorf("demo: quotas: %w", err)
	}
	if _, err := accounts.New(db).CreateUser(ctx, accounts.UserInput{Email: UnitMail, Name: "Lê Thị Thu Hà",
		Role: accounts.RoleUnit, UnitID: focal, Password: Password}); err != nil {
		return fmt.Errorf("demo: focal point: %w", err)
	}
	logins.Accounts = append(logins.Accounts, Login{Role: accounts.RoleUnit, Email: UnitMail, Password: Password})
	_, err = cs.Nominate(ctx, courses.NominateInput{UnitID: focal, RegisterInput: courses.RegisterInput{CourseID: up[0].ID,
		FullName: "Nguyễn Văn Tài", Gender: courses.GenderMale, BirthDate: "12/08/1986", Ethnicity: "Kinh",
		Position: "Công chức Văn hóa - Xã hội", Phone: "0935486120", Source: courses.SourceWeb}})
	if err != nil {
		return fmt.Errorf("demo: nominee: %w", err)
	}
	return nil
}
