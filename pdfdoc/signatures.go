package pdfdoc

// Signatures draws the date line over the last column and the signers' titles side by
// side, with room to sign ("(Ký, ghi rõ họ tên)"), on a new page if the block would not
// fit: the foot of the official lists and reports. An empty dateLine draws none.
func (d *Doc) Signatures(dateLine string, titles ...string) {
	const need = 45
	if d.SpaceLeft() < need {
		d.AddPage()
	}
	d.Ln(4)
	w := d.ContentWidth() / float64(len(titles))
	left, _, _, _ := d.Margins()
	_, y := d.GetXY()
	if dateLine != "" {
		// Centred over the last signer, as wide as the line needs, inside the margins.
		d.SetFont(Italic, 12)
		cw := d.ContentWidth()
		dw := min(max(w, d.StringWidth(dateLine)+4), cw)
		x := min(left+w*(float64(len(titles))-0.5)-dw/2, left+cw-dw)
		d.SetXY(x, y)
		d.Paragraph(dw, dateLine, Center)
		_, y = d.GetXY()
	}
	d.SetFont(Bold, 12)
	for i, t := range titles {
		d.SetXY(left+w*float64(i), y)
		d.Paragraph(w, t, Center)
	}
	d.SetFont(Italic, 11)
	_, y2 := d.GetXY()
	for i := range titles {
		d.SetXY(left+w*float64(i), y2)
		d.Paragraph(w, "(Ký, ghi rõ họ tên)", Center)
	}
	d.SetFont(Regular, 12)
	d.Ln(25)
}
