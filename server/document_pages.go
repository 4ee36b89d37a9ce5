package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/documents"
)

// docsPageData is the documents tab of a course (page "documents").
type docsPageData struct {
	Course      *courses.Course
	Items       []docItem // the documents of the whole course
	Letters     []docItem // the call-up letters of the units, a page of them
	Pager       Pager
	OwnSettings bool
	Settings    *documents.Settings
	Report      documents.ReportText
}

// docLettersPerPage: a province has a hundred communes or more, each a sending unit.
const docLettersPerPage = 20

// handleDocumentsPage: GET /staff/courses/{id}/documents.
func (s *Server) handleDocumentsPage(c *gin.Context) error {
	course, err := s.documentCourse(c)
	if err != nil {
		return err
	}
	rt, err := s.docs.ReportTexts(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	return s.renderDocumentsPage(c, http.StatusOK, course, rt, nil)
}

func (s *Server) renderDocumentsPage(c *gin.Context, status int, course *courses.Course, rt documents.ReportText, fe map[string]string) error {
	ctx := c.Request.Context()
	items, err := s.docs.List(ctx, course.ID)
	if err != nil {
		return err
	}
	st, own, err := s.docs.CourseSettings(ctx, course.ID, course.OrganizationID)
	if err != nil {
		return err
	}
	d := docsPageData{Course: course, OwnSettings: own, Settings: st, Report: rt}
	var letters []docItem
	for _, it := range docItems(course.ID, items) {
		if it.Kind == documents.KindSummons {
			letters = append(letters, it)
		} else {
			d.Items = append(d.Items, it)
		}
	}
	d.Letters, d.Pager, _ = pageOf(c, docLettersPerPage, func(limit, offset int) ([]docItem, int, error) {
		return letters[min(offset, len(letters)):min(offset+limit, len(letters))], len(letters), nil
	})
	return s.render(c, status, "documents", view{Section: "courses", Tab: "documents",
		Title: s.tr(langOf(c), "doc.title") + " · " + course.Title, Errors: fe, Data: d})
}

// handleDocumentReportForm: POST /staff/courses/{id}/documents/report — the report's
// assessment and proposals.
func (s *Server) handleDocumentReportForm(c *gin.Context) error {
	course, err := s.documentCourse(c)
	if err != nil {
		return err
	}
	in := documents.ReportText{Assessment: c.PostForm("assessment"), Proposals: c.PostForm("proposals")}
	saved, err := s.docs.SaveReportTexts(c.Request.Context(), course.ID, in)
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderDocumentsPage(c, status, course, saved, fe)
		})
	}
	s.flash(c, "doc.report.saved")
	return redirect(c, "/staff/courses/"+strconv.FormatInt(course.ID, 10)+"/documents#report-text")
}

// docGroupForm is one group of the settings form.
type docGroupForm struct {
	Name     string // "decision", …
	HasBases bool
	Settings documents.KindSettings
	Bases    string // one per line
	Recips   string
}

// docSettingsData is the settings form (page "doc_settings"), of an organization or of a
// course.
type docSettingsData struct {
	Organizations []accounts.Organization // admins choose the organization
	Org           *accounts.Organization
	Course        *courses.Course // the course's own settings; nil for the organization's
	Own           bool            // the course keeps its own copy
	Saved         bool            // the organization saved its defaults
	Action        string
	Settings      documents.Settings
	Groups        []docGroupForm
}

func docGroups(st documents.Settings) []docGroupForm {
	groups := documents.Groups()
	out := make([]docGroupForm, len(groups))
	for i, g := range groups {
		k := st.Group(g)
		out[i] = docGroupForm{Name: g, HasBases: documents.HasBases(g), Settings: *k,
			Bases: strings.Join(k.Bases, "\n"), Recips: strings.Join(k.Recipients, "\n")}
	}
	return out
}

// docSettingsForm reads the settings form.
func docSettingsForm(c *gin.Context) documents.Settings {
	st := documents.Settings{Symbol: c.PostForm("symbol"), Place: c.PostForm("place"), Authority: c.PostForm("authority"),
		Funding: c.PostForm("funding"), Assignments: c.PostForm("assignments"), Invitation: c.PostForm("invitation") == "1"}
	for _, g := range documents.Groups() {
		k := st.Group(g)
		k.SignerAuthority = c.PostForm(g + "_signer_authority")
		k.SignerTitle = c.PostForm(g + "_signer_title")
		k.SignerName = c.PostForm(g + "_signer_name")
		k.Recipients = strings.Split(c.PostForm(g+"_recipients"), "\n")
		k.Bases = strings.Split(c.PostForm(g+"_bases"), "\n")
	}
	return st
}

func (s *Server) renderDocSettings(c *gin.Context, status int, d docSettingsData, fe map[string]string) error {
	d.Groups = docGroups(d.Settings)
	if d.Course == nil && currentUser(c).IsAdmin() {
		orgs, err := s.accounts.ListOrganizations(c.Request.Context())
		if err != nil {
			return err
		}
		d.Organizations = orgs
	}
	v := view{Section: "documents", Title: s.tr(langOf(c), "doc.settings.title"), Errors: fe, Data: d}
	if d.Course != nil {
		v.Section, v.Tab = "courses", "documents"
		v.Title = s.tr(langOf(c), "doc.course_settings.title") + " · " + d.Course.Title
	}
	return s.render(c, status, "doc_settings", v)
}

// handleDocumentSettingsPage: GET /staff/document-settings[?org=ID] — an organization's
// defaults (organizers of it and admins; admins choose the organization).
func (s *Server) handleDocumentSettingsPage(c *gin.Context) error {
	org, err := s.certSettingsOrg(c, c.Query("org"))
	if err != nil {
		return err
	}
	d := docSettingsData{Org: org}
	if org != nil {
		st, saved, err := s.docs.OrgSettings(c.Request.Context(), org.ID)
		if err != nil {
			return err
		}
		d.Settings, d.Saved = *st, saved
		d.Action = "/staff/document-settings"
	}
	return s.renderDocSettings(c, http.StatusOK, d, nil)
}

// handleDocumentSettingsForm: POST /staff/document-settings.
func (s *Server) handleDocumentSettingsForm(c *gin.Context) error {
	org, err := s.certSettingsOrg(c, c.PostForm("org"))
	if err != nil {
		return err
	}
	if org == nil {
		return errNotFound
	}
	in := docSettingsForm(c)
	if _, err = s.docs.SaveOrgSettings(c.Request.Context(), org.ID, in); err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			in.Normalize()
			return s.renderDocSettings(c, status, docSettingsData{Org: org, Settings: in, Action: "/staff/document-settings"}, fe)
		})
	}
	s.log.Info("document settings saved", "organization", org.ID, "user", currentUser(c).ID)
	s.flash(c, "doc.settings.saved")
	return redirect(c, "/staff/document-settings?org="+strconv.FormatInt(org.ID, 10))
}

func courseSettingsAction(id int64) string {
	return "/staff/courses/" + strconv.FormatInt(id, 10) + "/documents/settings"
}

// handleDocumentCourseSettingsPage: GET /staff/courses/{id}/documents/settings — what this
// course's documents say, changed before drafting.
func (s *Server) handleDocumentCourseSettingsPage(c *gin.Context) error {
	course, err := s.documentCourse(c)
	if err != nil {
		return err
	}
	st, own, err := s.docs.CourseSettings(c.Request.Context(), course.ID, course.OrganizationID)
	if err != nil {
		return err
	}
	return s.renderDocSettings(c, http.StatusOK, docSettingsData{Course: course, Own: own, Settings: *st,
		Action: courseSettingsAction(course.ID)}, nil)
}

// handleDocumentCourseSettingsForm: POST /staff/courses/{id}/documents/settings.
func (s *Server) handleDocumentCourseSettingsForm(c *gin.Context) error {
	course, err := s.documentCourse(c)
	if err != nil {
		return err
	}
	in := docSettingsForm(c)
	if _, err = s.docs.SaveCourseSettings(c.Request.Context(), course.ID, in); err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			in.Normalize()
			_, own, _ := s.docs.CourseSettings(c.Request.Context(), course.ID, course.OrganizationID)
			return s.renderDocSettings(c, status, docSettingsData{Course: course, Own: own,
				Settings: in, Action: courseSettingsAction(course.ID)}, fe)
		})
	}
	s.flash(c, "doc.course_settings.saved")
	return redirect(c, "/staff/courses/"+strconv.FormatInt(course.ID, 10)+"/documents")
}

// handleDocumentCourseSettingsReset: POST /staff/courses/{id}/documents/settings/reset —
// the course follows its organization's settings again.
func (s *Server) handleDocumentCourseSettingsReset(c *gin.Context) error {
	course, err := s.documentCourse(c)
	if err != nil {
		return err
	}
	if err := s.docs.ResetCourseSettings(c.Request.Context(), course.ID); err != nil {
		return err
	}
	s.flash(c, "doc.course_settings.reset_done")
	return redirect(c, "/staff/courses/"+strconv.FormatInt(course.ID, 10)+"/documents")
}
