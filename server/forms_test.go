package server

import (
	"reflect"
	"testing"
)

// TestErrorSummaryOrderAndLabels: the summary lists the form's message first, then the
// fields in the order of the page with their labels (a radio group by its legend), and a
// field that is not on the page without a link.
func TestErrorSummaryOrderAndLabels(t *testing.T) {
	page := `<form><div><label for="f-phone">Số điện thoại <span>*</span></label><input id="f-phone"></div>
<fieldset><legend>Giới tính <span>*</span></legend><label><input type="radio" id="f-gender-nam"> Nam</label></fieldset>
<label for="f-email">E-mail &amp; thư</label><input id="f-email"></form>`
	got := errorSummary(page, map[string]string{"email": "sai", "gender": "trống", "phone": "Số điện thoại có 9 số", "_": "Đã đầy", "ghost": "x"})
	want := []errorItem{
		{Message: "Đã đầy", pos: -1},
		{Target: "f-phone", Message: "Số điện thoại có 9 số"}, // names its field: no label
		{Target: "f-gender-nam", Label: "Giới tính", Message: "trống"},
		{Target: "f-email", Label: "E-mail & thư", Message: "sai"},
		{Message: "x"},
	}
	for i := range got {
		got[i].pos = min(got[i].pos, 0) // positions are internal; keep only "form-level or not"
	}
	for i := range want {
		want[i].pos = min(want[i].pos, 0)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary\n got %+v\nwant %+v", got, want)
	}
}
