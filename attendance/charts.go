package attendance

import (
	"fmt"
	"strings"

	"github.com/go-analyze/charts"
	"github.com/golang/freetype/truetype"

	"taphuan/pdfdoc"
	"taphuan/vn"
)

// The statistics charts are drawn on the server with github.com/go-analyze/charts (pure
// Go, SVG and PNG, no JavaScript): SVG for the page, PNG for the PDF, the same pictures.
// Text is in Liberation Serif, the font of the reports, which has every Vietnamese letter.

// Chart kinds, in the order the page and the PDF show them.
const (
	ChartSessions  = "sessions"  // present or late per session, with the expected
	ChartGender    = "gender"    // the trainees by gender
	ChartEthnicity = "ethnicity" // Kinh, minority, not given
	ChartOverTime  = "over_time" // registrations by the day (month) they were made
)

// chartKinds lists the chart kinds.
var chartKinds = []string{ChartSessions, ChartGender, ChartEthnicity, ChartOverTime}

// maxChartSessions: a range of many courses shows its last sessions only.
const maxChartSessions = 24

// Chart is one rendered chart.
type Chart struct {
	Kind  string
	Title string // Vietnamese, as printed in the PDF
	Data  []byte // SVG or PNG
	Empty bool   // nothing to draw (the page says so instead)
}

// ChartTitle is the Vietnamese title of a chart kind.
func ChartTitle(kind string) string {
	switch kind {
	case ChartSessions:
		return "Số học viên có mặt theo buổi"
	case ChartGender:
		return "Học viên theo giới tính"
	case ChartEthnicity:
		return "Học viên theo dân tộc"
	case ChartOverTime:
		return "Số đăng ký theo thời gian"
	}
	return kind
}

// chartFont parses the embedded Liberation Serif (a parse per call keeps no state between
// requests; it takes well under a millisecond).
func chartFont() (*truetype.Font, error) {
	f, err := truetype.Parse(pdfdoc.FontData(pdfdoc.Regular))
	if err != nil {
		return nil, fmt.Errorf("attendance: chart font: %w", err)
	}
	return f, nil
}

// Charts renders the charts of the statistics as SVG (svg true) or PNG. labels translates
// the few words drawn inside a chart (legend names) by key: "attended", "expected",
// "registrations"; nil keeps the Vietnamese ones.
func (st *Statistics) Charts(svg bool, labels map[string]string) ([]Chart, error) {
	font, err := chartFont()
	if err != nil {
		return nil, err
	}
	word := func(k, vi string) string {
		if v, ok := labels[k]; ok {
			return v
		}
		return vi
	}
	out := make([]Chart, 0, len(chartKinds))
	for _, kind := range chartKinds {
		ch := Chart{Kind: kind, Title: ChartTitle(kind)}
		var err error
		switch kind {
		case ChartSessions:
			ss := st.BySession
			if len(ss) > maxChartSessions {
				ss = ss[len(ss)-maxChartSessions:]
			}
			var names []string
			var came, expected []float64
			multi := len(st.Courses) > 1
			for _, s := range ss {
				n := s.Label()
				if multi {
					n = shortTitle(s.CourseTitle) + " " + n
				}
				names = append(names, n)
				came = append(came, float64(s.Attended))
				expected = append(expected, float64(s.Expected))
			}
			if len(ss) == 0 {
				ch.Empty = true
				break
			}
			ch.Data, err = barChart(font, svg, names, [][]float64{came, expected},
				[]string{word("attended", "Có mặt"), word("expected", "Dự kiến")})
		case ChartGender, ChartEthnicity:
			groups := st.ByGender
			if kind == ChartEthnicity {
				groups = st.ByEthnicity
			}
			var names []string
			var values []float64
			for _, g := range groups {
				if g.Trainees > 0 {
					names = append(names, labelOr(labels, g))
					values = append(values, float64(g.Trainees))
				}
			}
			if len(values) == 0 {
				ch.Empty = true
				break
			}
			ch.Data, err = pieChart(font, svg, names, values)
		case ChartOverTime:
			if len(st.OverTime) == 0 {
				ch.Empty = true
				break
			}
			var names []string
			var values []float64
			for _, p := range st.OverTime {
				names = append(names, p.Label)
				values = append(values, float64(p.Count))
			}
			ch.Data, err = barChart(font, svg, names, [][]float64{values}, []string{word("registrations", "Số đăng ký")})
		}
		if err != nil {
			return nil, fmt.Errorf("attendance: chart %s: %w", kind, err)
		}
		out = append(out, ch)
	}
	return out, nil
}

// labelOr translates a group's label through labels (keyed "group:"+key) when given.
func labelOr(labels map[string]string, g Group) string {
	if v, ok := labels["group:"+g.Key]; ok {
		return v
	}
	return g.Label
}

// shortTitle keeps a course title short enough for an axis label.
func shortTitle(s string) string {
	r := []rune(s)
	if len(r) > 14 {
		return strings.TrimSpace(string(r[:13])) + "…"
	}
	return s
}

const (
	chartWidth  = 720
	chartHeight = 360
)

func painter(font *truetype.Font, svg bool) *charts.Painter {
	format := charts.ChartOutputPNG
	if svg {
		format = charts.ChartOutputSVG
	}
	return charts.NewPainter(charts.PainterOptions{OutputFormat: format, Width: chartWidth, Height: chartHeight,
		Font: font, Theme: charts.GetTheme(charts.ThemeLight)})
}

func barChart(font *truetype.Font, svg bool, names []string, values [][]float64, series []string) ([]byte, error) {
	opt := charts.NewBarChartOptionWithData(values)
	opt.CategoryAxis.Labels = names
	opt.CategoryAxis.LabelFontStyle = charts.FontStyle{Font: font, FontSize: 14}
	if len(names) > 8 {
		opt.CategoryAxis.LabelRotation = charts.DegreesToRadians(45)
	}
	opt.Legend = charts.LegendOption{SeriesNames: series, Offset: charts.OffsetRight, FontStyle: charts.FontStyle{Font: font, FontSize: 15}}
	opt.Padding = charts.NewBoxEqual(16)
	top := 0.0
	for _, vs := range values {
		for _, v := range vs {
			top = max(top, v)
		}
	}
	// Counts: from 0, in whole steps (a scale of 4 people must not read 1, 2, 2, 3, 3).
	axis := charts.ValueAxisOption{Min: charts.Ptr(0.0), LabelFontStyle: charts.FontStyle{Font: font, FontSize: 14}}
	if top <= 10 {
		axis.Max, axis.Unit = charts.Ptr(max(top, 1)), 1
		axis.LabelCount = int(max(top, 1)) + 1
	}
	opt.ValueAxis = []charts.ValueAxisOption{axis}
	opt.ValueFormatter = func(f float64) string { return vn.FormatInt(int64(f + 0.5)) }
	p := painter(font, svg)
	if err := p.BarChart(opt); err != nil {
		return nil, err
	}
	return p.Bytes()
}

func pieChart(font *truetype.Font, svg bool, names []string, values []float64) ([]byte, error) {
	opt := charts.NewPieChartOptionWithData(values)
	opt.Padding = charts.NewBoxEqual(16)
	opt.Legend = charts.LegendOption{SeriesNames: names, Vertical: charts.Ptr(true),
		Offset: charts.OffsetStr{Left: charts.PositionLeft, Top: charts.PositionTop}, FontStyle: charts.FontStyle{Font: font, FontSize: 16}}
	p := painter(font, svg)
	if err := p.PieChart(opt); err != nil {
		return nil, err
	}
	return p.Bytes()
}
