package pdfdoc

// FontData returns the TrueType bytes of the embedded Liberation Serif in a style (nil for
// an unknown style), for other renderers that must draw the same Vietnamese letters — the
// statistics charts.
func FontData(s Style) []byte { return fontFor(s) }
