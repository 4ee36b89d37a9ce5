package server

import (
	"strings"

	"taphuan/accounts"
	"taphuan/courses"
)

// The choices of the select boxes of the course pages, built here so that templates only
// draw them.

// programOptions lists the tree, indented by depth, after a first "none" choice.
func programOptions(all []courses.Program, selected, none string) []option {
	out := []option{{Value: "", Label: none, Selected: selected == "" || selected == "0"}}
	for _, p := range all {
		v := itoa64(p.ID)
		out = append(out, option{Value: v, Label: strings.Repeat("— ", p.Depth) + p.Name, Selected: v == selected})
	}
	return out
}

// statusOptions lists the course statuses in lifecycle order; all, if not "", comes first
// with the value "".
func (s *Server) statusOptions(lang, selected, all string) []option {
	var out []option
	if all != "" {
		out = append(out, option{Value: "", Label: all, Selected: selected == ""})
	}
	for _, st := range courses.Statuses {
		out = append(out, option{Value: st, Label: s.tr(lang, "courses.status."+st), Selected: st == selected})
	}
	return out
}

func (s *Server) modeOptions(lang, selected string) []option {
	var out []option
	for _, m := range []string{courses.ModeOpen, courses.ModeApproval} {
		out = append(out, option{Value: m, Label: s.tr(lang, "courses.mode."+m), Selected: m == selected})
	}
	return out
}

func orgOptions(orgs []accounts.Organization, selected, none string) []option {
	out := []option{{Value: "", Label: none, Selected: selected == ""}}
	for _, o := range orgs {
		v := itoa64(o.ID)
		out = append(out, option{Value: v, Label: o.Name, Selected: v == selected})
	}
	return out
}

func moduleOptions(modules []courses.Module, selected, none string) []option {
	out := []option{{Value: "", Label: none, Selected: selected == "" || selected == "0"}}
	for _, m := range modules {
		v := itoa64(m.ID)
		label := m.Title
		if m.Lecturer != "" {
			label += " — " + m.Lecturer
		}
		out = append(out, option{Value: v, Label: label, Selected: v == selected})
	}
	return out
}
