package server

import (
	"errors"
	"html"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// The HTML forms' shared pieces: the choices of select boxes, reading typed numbers and
// times, field messages in the user's language, the error summary at the top of a refused
// form, and formFailed, the one answer to a form that was refused.

// fieldInput is what the "field" partial draws.
type fieldInput struct {
	Name, Label, Type, Value, Error, Hint, Extra string
	Required                                     bool
	Options                                      []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// fieldErrors returns the translated field messages of an invalid error, or nil.
func (s *Server) fieldErrors(c *gin.Context, err error) map[string]string {
	e, ok := asInvalid(err)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for k, m := range e.Fields {
		out[k] = s.trMsg(langOf(c), m)
	}
	if len(out) == 0 {
		out["_"] = s.trMsg(langOf(c), e.Msg)
	}
	return out
}

// formInt reads a whole number typed in a form ("7.390" and "7 390" are 7390); a field that
// is not one gets a message.
func formInt(v, field string, f errs.Fields) int64 {
	v = strings.NewReplacer(".", "", " ", "", "\u00a0", "").Replace(strings.TrimSpace(v))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f.Add(field, "courses.err.number")
	}
	return n
}

// localInput is the value of a datetime-local input in Vietnam time.
const localInput = "2006-01-02T15:04"

// formLocalTime reads a datetime-local value as Vietnam time; "" is unset.
func formLocalTime(v, field string, f errs.Fields) database.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return database.Time{}
	}
	t, err := time.ParseInLocation(localInput, v, vn.Location)
	if err != nil {
		f.Add(field, "courses.err.datetime")
	}
	return database.Time{Time: t}
}

// translate turns field message keys into the user's language.
func (s *Server) translate(c *gin.Context, f errs.Fields) map[string]string {
	out := make(map[string]string, len(f))
	for k, m := range f {
		out[k] = s.trMsg(langOf(c), m)
	}
	return out
}

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
	for _, st := range courses.Statuses() {
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

// errorItem is one entry of the error summary at the top of a page that was refused: the
// message and, for a bad field, the id of its input (a link target) and its label.
type errorItem struct {
	Target, Label, Message string
	pos                    int
}

// formLevel reports whether an Errors key is a message about the whole form ("_", "form",
// "copy_form", "session_form"…) rather than about one field.
func formLevel(key string) bool {
	return key == "_" || key == "form" || strings.HasSuffix(key, "_form")
}

var labelText = regexp.MustCompile(`^[^>]*>([^<]*)`)

// errorSummary builds the summary of errs from the rendered page: each field's input is
// the element with id "f-NAME" (or, for a group of radio buttons, the first "f-NAME-…"),
// its label the text of <label for=…>. Form messages come first, then the fields in the
// order they appear; a field with no input on the page is listed without a link.
func errorSummary(page string, errs map[string]string) []errorItem {
	items := make([]errorItem, 0, len(errs))
	for key, msg := range errs {
		it := errorItem{Message: msg, pos: -1}
		if !formLevel(key) {
			it.pos = len(page) // after every field that was found
			id := "f-" + key
			if i := strings.Index(page, ` id="`+id+`"`); i >= 0 {
				it.Target, it.pos = id, i
			} else if i := strings.Index(page, ` id="`+id+`-`); i >= 0 {
				rest := page[i+len(` id="`):]
				it.Target, it.pos = rest[:strings.IndexByte(rest, '"')], i
			}
			if it.Target != "" {
				if i := strings.Index(page, `<label for="`+it.Target+`"`); i >= 0 {
					if m := labelText.FindStringSubmatch(page[i:]); m != nil {
						it.Label = strings.TrimSpace(html.UnescapeString(m[1]))
					}
				} else if i := strings.LastIndex(page[:it.pos], "<legend"); i >= 0 && !strings.Contains(page[i:it.pos], "</fieldset>") {
					if m := labelText.FindStringSubmatch(page[i:]); m != nil { // a group: its legend
						it.Label = strings.TrimSpace(html.UnescapeString(m[1]))
					}
				}
			}
		}
		if it.Label != "" && strings.HasPrefix(strings.ToLower(it.Message), strings.ToLower(it.Label)) {
			it.Label = "" // the message names its field already
		}
		items = append(items, it)
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].pos != items[j].pos {
			return items[i].pos < items[j].pos
		}
		return items[i].Message < items[j].Message
	})
	return items
}

// formFailure sorts the refusal of a submitted form: invalid input gives its field messages
// and 422; a phone number already registered in the course (a form that names a person)
// 409 on the phone; another refusal of what the user asked for (a conflict, a full course
// or quota, a closed window: 409; a rule such as a locked session or a unit without seats:
// 403) one message for the whole form ("_") with its status. ok is false for any other
// error (nil, not found, not signed in, a fault), which the handler returns to the funnel.
func (s *Server) formFailure(c *gin.Context, err error) (fe map[string]string, status int, ok bool) {
	if fe := s.fieldErrors(c, err); fe != nil {
		return fe, http.StatusUnprocessableEntity, true
	}
	if errors.Is(err, courses.ErrAlreadyRegistered) {
		return map[string]string{"phone": s.tr(langOf(c), "reg.err.phone_taken")}, http.StatusConflict, true
	}
	if e, ok := codedError(err); ok {
		if status := statusOf(e.Code); status == http.StatusConflict || status == http.StatusForbidden {
			return map[string]string{"_": s.errText(c, err)}, status, true
		}
	}
	return nil, 0, false
}

// formFailed is the one answer to a refused form: show draws the form again with the
// status and the messages of formFailure (the page's error summary lists them at the top,
// each field shows its own); any other error goes to the funnel.
func (s *Server) formFailed(c *gin.Context, err error, show func(status int, fe map[string]string) error) error {
	fe, status, ok := s.formFailure(c, err)
	if !ok {
		return err
	}
	return show(status, fe)
}

// prefixed renames the field messages for a form whose inputs carry a prefix ("copy_",
// "session_"…); the messages about the whole form keep their keys.
func prefixed(prefix string, fe map[string]string) map[string]string {
	out := make(map[string]string, len(fe))
	for k, v := range fe {
		if !formLevel(k) {
			k = prefix + k
		}
		out[k] = v
	}
	return out
}

// panelErrors places the messages of a refused form in a panel of a larger page (the copy,
// module and session forms of a course's page): its inputs are named with prefix, and its
// own message for the whole form goes to prefix+"form", shown in the panel.
func panelErrors(prefix string, fe map[string]string) map[string]string {
	out := prefixed(prefix, fe)
	if m, ok := out["_"]; ok {
		delete(out, "_")
		out[prefix+"form"] = m
	}
	return out
}
