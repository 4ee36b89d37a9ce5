package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

const peoplePerPage = 50

type peopleData struct {
	Q      string
	Items  []courses.Person
	Pager  Pager
	Offset int
}

// handlePeoplePage: GET /staff/people?q=&page= — the trainee directory: the people
// registered in the user's organization's courses (every one for an administrator).
func (s *Server) handlePeoplePage(c *gin.Context) error {
	ctx := c.Request.Context()
	d := peopleData{Q: strings.TrimSpace(c.Query("q"))}
	f := courses.PeopleFilter{Query: d.Q, OrganizationID: orgScope(currentUser(c))}
	items, pager, err := pageOf(c, peoplePerPage, func(limit, offset int) ([]courses.Person, int, error) {
		f.Limit, f.Offset = limit, offset
		return s.courses.ListPeople(ctx, f)
	})
	if err != nil {
		return err
	}
	d.Items, d.Pager, d.Offset = items, pager, pager.Offset()
	return s.render(c, http.StatusOK, "people", view{Section: "people", Title: s.tr(langOf(c), "reg.people.title"), Data: d})
}

type personData struct {
	Person  *courses.Person
	History []courses.HistoryEntry
}

// handlePersonPage: GET /staff/people/{id} — a person and their training history (the
// courses of the user's organization; all for an administrator). A person with no
// registration the user may see is not found.
func (s *Server) handlePersonPage(c *gin.Context) error {
	p, hist, err := s.personParam(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "people_detail", view{Section: "people", Title: p.FullName,
		Data: personData{Person: p, History: hist}})
}
