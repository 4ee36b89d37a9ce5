package server

import (
	"html/template"
	"slices"
	"strconv"
	"strings"

	"taphuan/attendance"
	"taphuan/vn"
)

// uxFuncs are the template functions that keep Vietnamese words out of English pages:
// values of closed sets (gender, statistics groups) are translated, money is written the
// way the language writes it, and Vietnamese words that must stay as they are (the column
// headers of an import file, the wording of a document) are marked lang="vi".
func (s *Server) uxFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		// tv translates key with args that are Vietnamese on purpose, each in <span lang="vi">.
		"tv": func(key string, args ...string) template.HTML {
			marks := make([]any, len(args))
			for i := range args {
				marks[i] = "\x00" + strconv.Itoa(i) + "\x00"
			}
			out := template.HTMLEscapeString(s.tr(lang, key, marks...))
			for i, a := range args {
				out = strings.Replace(out, template.HTMLEscapeString(marks[i].(string)), `<span lang="vi">`+template.HTMLEscapeString(a)+`</span>`, 1)
			}
			return template.HTML(out) //nolint:gosec // every piece was escaped above
		},
		"money":  func(n any) string { return s.tr(lang, "ux.money", vn.FormatInt(toInt64(n))) },
		"gender": func(g string) string { return s.genderLabel(lang, g) },
		// groupLabel is the label of a statistics group: closed sets translated, data as is.
		"groupLabel": func(breakdown string, g attendance.Group) string {
			switch {
			case breakdown == "gender":
				return s.genderLabel(lang, g.Key)
			case breakdown == "ethnicity" || breakdown == "level":
				return s.tr(lang, "ux.stats."+breakdown+"."+orUnknown(g.Key))
			case breakdown == "age" && g.Key != attendance.AgeUnknown:
				// The age bands are a closed set; the reports keep attendance.AgeLabel.
				return s.tr(lang, "stats13.age."+g.Key)
			case g.Key == "" || g.Label == attendance.Unknown:
				return s.tr(lang, "ux.stats.unknown")
			}
			return g.Label
		},
		"list":       func(items ...string) []string { return items },
		"contains":   slices.Contains[[]string],
		"statsScope": func(st *attendance.Statistics) string { return s.statsScope(lang, st) },
	}
}

func orUnknown(key string) string {
	if key == "" {
		return "unknown"
	}
	return key
}

// genderLabel translates a stored gender (Nam, Nữ); anything else is shown as stored.
func (s *Server) genderLabel(lang, g string) string {
	switch g {
	case "Nam":
		return s.tr(lang, "reg.gender.male")
	case "Nữ":
		return s.tr(lang, "reg.gender.female")
	case "":
		return s.tr(lang, "ux.stats.unknown")
	}
	return g
}

// statsScope says what the statistics count, in lang (attendance's Scope is the
// Vietnamese of the reports).
func (s *Server) statsScope(lang string, st *attendance.Statistics) string {
	scope := s.statsDateScope(lang, st)
	if st.ProgramPath != "" {
		scope += " " + s.tr(lang, "ux.stats.scope_program", st.ProgramPath)
	}
	return scope
}

// statsDateScope is the courses part of statsScope: one course, or a range of dates.
func (s *Server) statsDateScope(lang string, st *attendance.Statistics) string {
	day := func(iso string) string {
		if t, err := vn.ParseDate(iso); err == nil {
			return vn.FormatDate(t)
		}
		return ""
	}
	if st.Filter.CourseID != 0 && len(st.Courses) == 1 {
		c := st.Courses[0]
		return s.tr(lang, "ux.stats.scope_course", c.Title, day(c.StartsOn), day(c.EndsOn))
	}
	from, to := day(st.Filter.From), day(st.Filter.To)
	switch {
	case from != "" && to != "":
		return s.tr(lang, "ux.stats.scope_between", from, to)
	case from != "":
		return s.tr(lang, "ux.stats.scope_from", from)
	case to != "":
		return s.tr(lang, "ux.stats.scope_to", to)
	}
	return s.tr(lang, "ux.stats.scope_all")
}
