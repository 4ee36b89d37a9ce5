package pdfdoc

import _ "embed"

// Liberation Serif 2.x (fonts-liberation2): metric-compatible with Times New
// Roman, which Decree 30/2020/NĐ-CP asks for, and unlike Liberation 1.x and
// the Go fonts it has every Vietnamese letter (ơ, ư, ă, đ and the stacked
// tone marks). Licence: fonts/LICENSE (SIL OFL 1.1).
var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	fontRegular []byte
	//go:embed fonts/LiberationSerif-Bold.ttf
	fontBold []byte
	//go:embed fonts/LiberationSerif-Italic.ttf
	fontItalic []byte
	//go:embed fonts/LiberationSerif-BoldItalic.ttf
	fontBoldItalic []byte
)

// fontFor returns the TrueType bytes for a style, or nil for an unknown style.
func fontFor(s Style) []byte {
	switch s {
	case Regular:
		return fontRegular
	case Bold:
		return fontBold
	case Italic:
		return fontItalic
	case BoldItalic:
		return fontBoldItalic
	}
	return nil
}
