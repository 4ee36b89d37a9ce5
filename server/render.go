package server

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/errs"
	"taphuan/evaluation"
	"taphuan/templates"
	"taphuan/vn"
)

// navView says which entries of the main navigation the signed-in user has, decided here
// from the rules of access.go, so that templates test booleans and never compare roles.
type navView struct {
	UnitHome      bool // a focal point: its unit's page instead of the staff navigation
	People        bool // the people directory
	Money         bool // lecturers and cost norms
	Settings      bool // the certificate and document settings
	Users         bool
	Programs      bool
	Organizations bool
}

func navFor(u *accounts.User) navView {
	if u != nil && u.Role == accounts.RoleUnit {
		return navView{UnitHome: true}
	}
	org, admin := organizerOrAdmin(u), u.IsAdmin()
	return navView{People: org, Money: org, Settings: org, Users: org, Programs: admin, Organizations: admin}
}

// view is what every page template receives.
type view struct {
	Page    string // template name, also a body class
	Section string // highlighted navigation entry
	Tab     string // highlighted tab of a course's pages (partial "course-nav")
	Title   string
	Path    string // current path and query, for the language switch
	User    *accounts.User
	Nav     navView // the main navigation's entries for User
	Flash   string
	Errors  map[string]string // field → translated message
	// ErrorList is the error summary at the top of the page, made by render from Errors:
	// the form's messages first, then one entry per bad field in the order of the page.
	ErrorList []errorItem
	Data      any
}

func (s *Server) loadTemplates() error {
	s.pages = map[string]map[string]*template.Template{}
	s.catalogs = map[string]map[string]string{}
	for _, lang := range templates.Languages() {
		cat, err := templates.Messages(lang)
		if err != nil {
			return err
		}
		s.catalogs[lang] = cat
		pages, err := templates.Parse(s.funcs(lang))
		if err != nil {
			return err
		}
		s.pages[lang] = pages
	}
	return nil
}

// tr translates key into lang; a missing key shows itself, so a gap is visible (and the
// catalog test catches it).
func (s *Server) tr(lang, key string, args ...any) string {
	msg, ok := s.catalogs[lang][key]
	if !ok {
		msg, ok = s.catalogs[templates.DefaultLanguage][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// trMsg translates a domain message.
func (s *Server) trMsg(lang string, m errs.Msg) string { return s.tr(lang, m.Key, m.Args...) }

func (s *Server) funcs(lang string) template.FuncMap {
	fm := template.FuncMap{
		"lang": func() string { return lang },
		"t":    func(key string, args ...any) string { return s.tr(lang, key, args...) },
		// field builds the input of the "field" partial: (field . name labelKey type value required).
		"field": func(v view, name, labelKey, typ string, value any, required bool) fieldInput {
			f := fieldInput{Name: name, Label: s.tr(lang, labelKey), Type: typ, Required: required}
			if value != nil {
				f.Value = fmt.Sprint(value)
			}
			f.Error = v.Errors[name]
			return f
		},
		"date":    func(t time.Time) string { return vn.FormatDate(t.In(vn.Location)) },
		"time":    func(t time.Time) string { return t.In(vn.Location).Format("15:04") },
		"num":     func(n any) string { return vn.FormatInt(toInt64(n)) },
		"percent": func(p float64) string { return vn.FormatPercent(p, 1) },
		"isodate": func(t time.Time) string { return t.In(vn.Location).Format("2006-01-02") },
		"add":     func(a, b int) int { return a + b },
		"join":    strings.Join,
		"query":   url.QueryEscape,
		"mean":    evaluation.MeanText,
	}
	for k, f := range s.uxFuncs(lang) {
		fm[k] = f
	}
	return fm
}

func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case float64:
		return int64(v)
	}
	return 0
}

// render writes page with status. The page is rendered to a buffer first so that a
// template error becomes a clean 500, not half a page.
func (s *Server) render(c *gin.Context, status int, page string, v view) error {
	lang := langOf(c)
	t, ok := s.pages[lang][page]
	if !ok {
		return fmt.Errorf("server: no page %q", page)
	}
	v.Page = page
	v.User = currentUser(c)
	v.Nav = navFor(v.User)
	v.Path = c.Request.URL.RequestURI()
	if v.Flash == "" {
		v.Flash = s.takeFlash(c)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("server: render %s: %w", page, err)
	}
	if len(v.Errors) > 0 {
		// The summary links each message to its field, labelled and in the page's order,
		// which only the rendered page knows: render again with the list.
		v.ErrorList = errorSummary(buf.String(), v.Errors)
		buf.Reset()
		if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
			return fmt.Errorf("server: render %s: %w", page, err)
		}
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

const flashCookie = "taphuan_flash"

// flash stores a message shown once on the next page (post/redirect/get).
func (s *Server) flash(c *gin.Context, key string, args ...any) {
	msg := s.tr(langOf(c), key, args...)
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/",
		MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
}

func (s *Server) takeFlash(c *gin.Context) string {
	ck, err := c.Request.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	msg, _ := url.QueryUnescape(ck.Value)
	return msg
}

// redirect answers a form post with 303 See Other.
func redirect(c *gin.Context, to string) error {
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

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
