package vn

import "testing"

func TestTitleCase(t *testing.T) {
	for in, want := range map[string]string{
		"NGUYỄN VĂN AN":      "Nguyễn Văn An",
		"ĐỖ THỊ BÍCH":        "Đỗ Thị Bích",
		"đặng văn đức":       "Đặng Văn Đức",
		"H'HEN NIÊ":          "H'Hen Niê",
		"Y-NGÔNG":            "Y-Ngông",
		"NGUYE\u0302\u0303N": "Nguyễn", // NFD from a keyboard
	} {
		if got := TitleCase(in); got != want {
			t.Errorf("TitleCase(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{"NGUYỄN VĂN AN": true, "Nguyễn Văn AN": false, "A": false, "ĐÀO": true, "H'HEN NIÊ": true} {
		if got := AllCaps(in); got != want {
			t.Errorf("AllCaps(%q) = %v", in, got)
		}
	}
}
