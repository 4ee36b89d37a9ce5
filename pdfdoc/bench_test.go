package pdfdoc_test

import (
	"testing"

	"taphuan/pdfdoc"
	"taphuan/pdfdoc/pdftest"
)

// BenchmarkDocPage is BenchmarkBareGofpdfPage through pdfdoc: new document,
// the regular font, one page of 40 lines, output.
func BenchmarkDocPage(b *testing.B) {
	for b.Loop() {
		d, err := pdfdoc.New(pdfdoc.Portrait, pdfdoc.WithCreationDate(issued))
		if err != nil {
			b.Fatal(err)
		}
		d.SetFont(pdfdoc.Regular, 12)
		d.AddPage()
		for _, l := range pdftest.FloorLines {
			d.Cell(0, 6, l, pdfdoc.Left)
			d.Ln(6)
		}
		if _, err := d.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDocCertificate is one certificate page: three faces (header
// bold, date italic), header block, shrunk name, QR code.
func BenchmarkDocCertificate(b *testing.B) {
	for b.Loop() {
		d, err := pdfdoc.New(pdfdoc.Landscape, pdfdoc.WithCreationDate(issued), pdfdoc.WithMargins(20, 15, 20, 15))
		if err != nil {
			b.Fatal(err)
		}
		d.AddPage()
		d.OfficialHeader(pdfdoc.Header{ParentAgency: "UBND tỉnh Khánh Hòa", Agency: "Sở Thông tin và Truyền thông",
			Number: "Số: 012/GCN-STTTT", Date: "Khánh Hòa, ngày 04 tháng 12 năm 2023"})
		d.SetFont(pdfdoc.Bold, 28)
		d.Paragraph(0, "GIẤY CHỨNG NHẬN", pdfdoc.Center)
		d.SetFont(pdfdoc.Bold, 26)
		d.FitText(180, "Nguyễn Thị Hải Yến Công Tôn Nữ Huyền Tôn Thất Mỹ Ước Nguyệt", pdfdoc.Center, 14)
		if err := d.QRCode("https://taphuan.khanhhoa.gov.vn/xac-minh/GCN-2023-012?k=8f3a9b2c41", 30, 150, 30); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDocSignInSheet120 is the 120-row sign-in sheet of the tests.
func BenchmarkDocSignInSheet120(b *testing.B) {
	names, _ := traineeNames()
	for b.Loop() {
		if _, err := signInSheet(b, names).Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
