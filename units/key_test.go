package units

import "testing"

func TestKeySameUnit(t *testing.T) {
	for _, group := range [][]string{
		{"UBND xã Cam Hải Tây", "Ủy ban nhân dân xã Cam Hải Tây", "uy ban nhan dan xa cam hai tay",
			"UBND X. Cam Hải Tây", "UBND x.Cam Hai Tay", "  ủy BAN nhân dân   xã CamHải Tây ", "U\u0309y ban nha\u0302n da\u0302n xa\u0303 Cam Ha\u0309i Ta\u0302y"},
		{"TT VH-TT-TT huyện Khánh Vĩnh", "Trung tâm Văn hóa - Thông tin - Thể thao huyện Khánh Vĩnh",
			"Trung tâm Văn hoá, Thông tin và Thể thao H. Khánh Vĩnh", "TT VH - TT - TT h. Khánh Vĩnh"},
		{"TP. Nha Trang", "thành phố Nha Trang", "Tp Nha Trang"},
		{"Phòng VH-TT thị xã Ninh Hòa", "Phòng Văn hóa và Thông tin TX. Ninh Hoà"},
		{"Sở TT&TT tỉnh Khánh Hòa", "Sở Thông tin và Truyền thông tỉnh Khánh Hòa"},
		{"Đài TT-TH huyện Vạn Ninh", "Đài Truyền thanh - Truyền hình huyện Vạn Ninh", "Đài TT-TH H. Vạn Ninh"},
		{"UBND P. Vĩnh Hòa", "Ủy ban nhân dân phường Vĩnh Hòa"},
		{"HĐND huyện Diên Khánh", "Hội đồng nhân dân huyện Diên Khánh"},
	} {
		want := Key(group[0])
		if want == "" {
			t.Fatalf("empty key for %q", group[0])
		}
		for _, s := range group[1:] {
			if got := Key(s); got != want {
				t.Errorf("Key(%q) = %q, want %q (as %q)", s, got, want, group[0])
			}
		}
	}
}

func TestKeyDifferentUnits(t *testing.T) {
	pairs := [][2]string{
		{"UBND xã Cam Hải Tây", "UBND xã Cam Hải Đông"},
		{"UBND xã Cam Hải Tây", "HĐND xã Cam Hải Tây"},
		{"TT VH-TT-TT huyện Khánh Vĩnh", "Phòng VH-TT huyện Khánh Vĩnh"},
		{"UBND xã Vĩnh Hòa", "UBND phường Vĩnh Hòa"},
	}
	for _, p := range pairs {
		if Key(p[0]) == Key(p[1]) {
			t.Errorf("%q and %q have the same key %q", p[0], p[1], Key(p[0]))
		}
	}
	if Key("  ") != "" || Key("-&-") != "" {
		t.Error("blank text has a key")
	}
}

func TestSimilarity(t *testing.T) {
	if s := similarity(Key("UBND xã Cam Hải Tây"), Key("UBND xã Cam Hai Tay")); s != 1 {
		t.Errorf("same key similarity %v", s)
	}
	close := similarity(Key("UBND xã Cam Hải Tây"), Key("UBND xã Cam Hả Tây"))
	far := similarity(Key("UBND xã Cam Hải Tây"), Key("Báo Khánh Hòa"))
	if close < 0.85 || far > 0.4 {
		t.Errorf("similarity close %v far %v", close, far)
	}
}
