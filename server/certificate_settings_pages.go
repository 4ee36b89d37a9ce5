package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/certificates"
	"taphuan/vn"
)

// ctxNumberPattern holds the number parts as typed, to show them again after a refusal.
const ctxNumberPattern = "cert.number_pattern"

// certSettingsData is the certificate settings page (page "cert_settings").
type certSettingsData struct {
	Organizations []accounts.Organization // admins choose the organization
	Org           *accounts.Organization
	Settings      *certificates.Settings
	Form          certificates.SettingsInput
	NumberExample string
	Pattern       certificates.NumberPattern // the number as prefix, digits, suffix
	Digits        []int                      // the choices of digits
}

// certSettingsOrg returns the organization whose settings the page is about: ?org= for
// admins, the user's own otherwise. Only organizers and admins may see the page; another
// organization is not found. An admin without ?org= gets nil (choose one first).
func (s *Server) certSettingsOrg(c *gin.Context, raw string) (*accounts.Organization, error) {
	u := currentUser(c)
	id := u.OrganizationID
	if raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return nil, errNotFound
		}
		id = n
	}
	if id == 0 && u.IsAdmin() {
		return nil, nil
	}
	if err := orgAccess(u, id, true); err != nil {
		return nil, err
	}
	return s.accounts.FindOrganizationByID(c.Request.Context(), id)
}

// handleCertificateSettingsPage: GET /staff/certificate-settings[?org=ID].
func (s *Server) handleCertificateSettingsPage(c *gin.Context) error {
	org, err := s.certSettingsOrg(c, c.Query("org"))
	if err != nil {
		return err
	}
	var form certificates.SettingsInput
	if org != nil {
		st, err := s.certs.Settings(c.Request.Context(), org.ID)
		if err != nil {
			return err
		}
		form = certificates.SettingsInput{NumberFormat: st.NumberFormat, PlaceName: st.PlaceName,
			SignerName: st.SignerName, SignerTitle: st.SignerTitle, SignerSubtitle: st.SignerSubtitle, Wording: st.Wording}
	}
	return s.renderCertSettings(c, http.StatusOK, org, form, nil)
}

func (s *Server) renderCertSettings(c *gin.Context, status int, org *accounts.Organization, form certificates.SettingsInput, fieldErrs map[string]string) error {
	d := certSettingsData{Org: org, Form: form}
	if currentUser(c).IsAdmin() {
		orgs, err := s.accounts.ListOrganizations(c.Request.Context())
		if err != nil {
			return err
		}
		d.Organizations = orgs
	}
	if org != nil {
		st, err := s.certs.Settings(c.Request.Context(), org.ID)
		if err != nil {
			return err
		}
		d.Settings = st
		d.NumberExample, _ = certificates.FormatNumber(form.NumberFormat, 12)
	}
	d.Pattern, _ = certificates.PatternOf(form.NumberFormat)
	if p, ok := c.Get(ctxNumberPattern); ok {
		d.Pattern = p.(certificates.NumberPattern) // as typed, after a refusal
	}
	for n := certificates.MinNumberDigits; n <= certificates.MaxNumberDigits; n++ {
		d.Digits = append(d.Digits, n)
	}
	return s.render(c, status, "cert_settings", view{Section: "certificates", Title: s.tr(langOf(c), "cert.settings.title"),
		Errors: fieldErrs, Data: d})
}

// handleCertificateSettingsForm: POST /staff/certificate-settings (multipart: the fields,
// an optional PNG logo, remove_logo).
func (s *Server) handleCertificateSettingsForm(c *gin.Context) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, certificates.MaxLogoBytes+(1<<20))
	org, err := s.certSettingsOrg(c, c.PostForm("org"))
	if err != nil {
		return err
	}
	if org == nil {
		return errNotFound
	}
	in := certificates.SettingsInput{OrganizationID: org.ID, NumberFormat: c.PostForm("number_format"),
		PlaceName: c.PostForm("place_name"), SignerName: c.PostForm("signer_name"), SignerTitle: c.PostForm("signer_title"),
		SignerSubtitle: c.PostForm("signer_subtitle"), Wording: c.PostForm("wording"), RemoveLogo: c.PostForm("remove_logo") != ""}
	lang := langOf(c)
	if fh, err := c.FormFile("logo"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, certificates.MaxLogoBytes+1))
		if err != nil {
			return err
		}
		in.Logo = b
	} else if err != nil && !errors.Is(err, http.ErrMissingFile) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return s.renderCertSettings(c, http.StatusUnprocessableEntity, org, in,
				map[string]string{"logo": s.tr(lang, "cert.err.logo_size", certificates.MaxLogoBytes>>10)})
		}
		return errBadJSON.Wrap(err)
	}
	if _, ok := c.GetPostForm("number_digits"); ok {
		// The clerk's form: the number as prefix, digits and suffix.
		digits, _ := strconv.Atoi(c.PostForm("number_digits"))
		p := certificates.NumberPattern{Prefix: c.PostForm("number_prefix"), Digits: digits, Suffix: c.PostForm("number_suffix")}
		p.Normalize()
		c.Set(ctxNumberPattern, p)
		if err := p.Validate(); err != nil {
			in.Normalize()
			return s.formFailed(c, err, func(status int, fe map[string]string) error {
				return s.renderCertSettings(c, status, org, in, fe)
			})
		}
		in.NumberFormat = p.Format()
	}
	if _, err = s.certs.SaveSettings(c.Request.Context(), in); err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			if msg, ok := fe["number_format"]; ok {
				fe["number_suffix"] = msg // the parts make the format: show it on the form's fields
			}
			in.Normalize()
			return s.renderCertSettings(c, status, org, in, fe)
		})
	}
	s.log.Info("certificate settings saved", "organization", org.ID, "user", currentUser(c).ID)
	s.flash(c, "cert.settings.saved")
	return redirect(c, "/staff/certificate-settings?org="+strconv.FormatInt(org.ID, 10))
}

// handleCertificateSettingsLogo: GET /staff/certificate-settings/logo.png?org=ID — the
// stored logo, for the settings page.
func (s *Server) handleCertificateSettingsLogo(c *gin.Context) error {
	org, err := s.certSettingsOrg(c, c.Query("org"))
	if err != nil {
		return err
	}
	if org == nil {
		return errNotFound
	}
	st, err := s.certs.Settings(c.Request.Context(), org.ID)
	if err != nil {
		return err
	}
	if !st.HasLogo {
		return errNotFound
	}
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "image/png", st.LogoPNG)
	return nil
}

// handleCertificateSettingsSample: GET /staff/certificate-settings/sample.pdf?org=ID — a
// specimen certificate with the saved settings, to look at before issuing; it is not
// registered and its QR code leads nowhere.
func (s *Server) handleCertificateSettingsSample(c *gin.Context) error {
	org, err := s.certSettingsOrg(c, c.Query("org"))
	if err != nil {
		return err
	}
	if org == nil {
		return errNotFound
	}
	st, err := s.certs.Settings(c.Request.Context(), org.ID)
	if err != nil {
		return err
	}
	number, err := certificates.FormatNumber(st.NumberFormat, 12)
	if err != nil {
		return err
	}
	today := time.Now().In(vn.Location).Format("2006-01-02")
	pdf, err := certificates.Render(certificates.Content{
		ParentAgency: org.ParentName, Agency: org.Name, Number: number, Gender: "Nữ",
		FullName: "Nguyễn Thị Hải Yến", BirthDate: "1985-03-15", Unit: "Phòng Văn hóa và Thông tin huyện Diên Khánh",
		Wording: st.Wording, CourseTitle: s.tr("vi", "cert.settings.sample_course"), StartsOn: today, EndsOn: today,
		Place: st.PlaceName, IssuedOn: today, SignerTitle: st.SignerTitle, SignerSub: st.SignerSubtitle,
		SignerName: st.SignerName, Logo: st.LogoPNG, VerifyURL: s.certVerifyBase(c) + "MAU-XEM-THU",
	})
	if err != nil {
		return err
	}
	certSendPDF(c, "giay-chung-nhan-mau.pdf", pdf, false)
	return nil
}
