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
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	p, err := s.courses.FindPersonByID(ctx, id)
	if err != nil {
		return err
	}
	hist, err := s.courses.PersonHistory(ctx, p.ID, orgScope(currentUser(c)))
	if err != nil {
		return err
	}
	if len(hist) == 0 && !currentUser(c).IsAdmin() {
		return errNotFound
	}
	if err := s.visiblePerson(c, p, hist); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "people_detail", view{Section: "people", Title: p.FullName,
		Data: personData{Person: p, History: hist}})
}

// handlePeopleAPI: GET /api/v1/people?q= — the directory as JSON (same scope).
func (s *Server) handlePeopleAPI(c *gin.Context) error {
	limit, offset := listParams(c)
	items, total, err := s.courses.ListPeople(c.Request.Context(), courses.PeopleFilter{Query: c.Query("q"),
		OrganizationID: orgScope(currentUser(c)), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return list(c, items, total)
}

// handlePersonAPI: GET /api/v1/people/{id} → {person, history}.
func (s *Server) handlePersonAPI(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.courses.FindPersonByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	hist, err := s.courses.PersonHistory(c.Request.Context(), p.ID, orgScope(currentUser(c)))
	if err != nil {
		return err
	}
	if len(hist) == 0 && !currentUser(c).IsAdmin() {
		return errNotFound
	}
	if err := s.visiblePerson(c, p, hist); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"person": p, "history": hist})
	return nil
}

// visiblePerson replaces, for a user who is not an administrator, the personal data of the
// directory entry (the latest given, maybe to another organization) by what the person
// gave to the user's organization in their latest registration there: personal data is
// seen only by the organization it was given to.
func (s *Server) visiblePerson(c *gin.Context, p *courses.Person, hist []courses.HistoryEntry) error {
	if currentUser(c).IsAdmin() || len(hist) == 0 {
		return nil
	}
	r, err := s.courses.FindRegistrationByID(c.Request.Context(), hist[0].RegistrationID)
	if err != nil {
		return err
	}
	p.FullName, p.Gender, p.BirthDate, p.Ethnicity = r.FullName, r.Gender, r.BirthDate, r.Ethnicity
	p.Position, p.Organization, p.Locality = r.Position, r.Organization, r.Locality
	p.Phone, p.Email, p.IDNumber = r.Phone, r.Email, r.IDNumber
	p.Courses = len(hist)
	return nil
}
