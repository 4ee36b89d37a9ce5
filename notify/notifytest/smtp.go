// Package notifytest runs a real SMTP server for tests: scripts/smtpsink.py on Debian's
// python3-aiosmtpd (scripts/test.sh installs it), one process per test on a free port,
// saving each message it accepts as a file the test reads back.
package notifytest

import (
	"bufio"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is an SMTP server process that can be stopped and started again on its port.
type Server struct {
	t     testing.TB
	Port  int
	Dir   string
	Delay time.Duration // before accepting a message's data (set before Start)
	// RcptDelay: before accepting each recipient, after writing Dir/inflight-<n> (set
	// before Start); see InFlight.
	RcptDelay time.Duration
	// TLS: "" plain, "starttls" (offered and required) or "implicit", with the PEM files
	// CertFile and KeyFile (set before Start).
	TLS, CertFile, KeyFile string
	cmd                    *exec.Cmd
}

// python returns an interpreter that has aiosmtpd: Debian's, where the package installs.
func python(t testing.TB) string {
	for _, p := range []string{os.Getenv("TAPHUAN_PYTHON"), "/usr/bin/python3", "python3"} {
		if p == "" {
			continue
		}
		if err := exec.Command(p, "-c", "import aiosmtpd").Run(); err == nil {
			return p
		}
	}
	t.Fatal("no python3 with aiosmtpd: apt-get install python3-aiosmtpd (scripts/test.sh does)")
	return ""
}

func script() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "scripts", "smtpsink.py")
}

// New starts a server on a free port; it is stopped when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, Port: ln.Addr().(*net.TCPAddr).Port, Dir: t.TempDir()}
	ln.Close()
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// NewStopped is New without starting it.
func NewStopped(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, Port: ln.Addr().(*net.TCPAddr).Port, Dir: t.TempDir()}
	ln.Close()
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's address for -smtp.
func (s *Server) URL() string { return "smtp://127.0.0.1:" + strconv.Itoa(s.Port) }

// Start runs the server and waits until it listens.
func (s *Server) Start() {
	s.t.Helper()
	args := []string{script(), "--dir", s.Dir, "--port", strconv.Itoa(s.Port),
		"--delay", strconv.FormatFloat(s.Delay.Seconds(), 'f', 3, 64),
		"--rcpt-delay", strconv.FormatFloat(s.RcptDelay.Seconds(), 'f', 3, 64)}
	if s.TLS != "" {
		args = append(args, "--tls", s.TLS, "--tls-cert", s.CertFile, "--tls-key", s.KeyFile)
	}
	cmd := exec.Command(python(s.t), args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	logf, err := os.OpenFile(filepath.Join(s.Dir, "smtpsink.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		s.t.Fatal(err)
	}
	defer logf.Close() // the child keeps its own descriptor
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		log, _ := os.ReadFile(filepath.Join(s.Dir, "smtpsink.log"))
		s.t.Fatalf("smtpsink did not start: %q\n%s", line, log)
	}
	go io.Copy(io.Discard, out)
	s.cmd = cmd
}

// Stop ends the server (its saved messages stay).
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// InFlight is how many messages have begun their recipient (RcptDelay): the last of them
// may be in flight, not yet accepted.
func (s *Server) InFlight() int {
	files, _ := filepath.Glob(filepath.Join(s.Dir, "inflight-*"))
	return len(files)
}

// SetBusy makes the server refuse for now (451) the recipients starting with "busy", or
// accept them again.
func (s *Server) SetBusy(busy bool) {
	s.t.Helper()
	name := filepath.Join(s.Dir, "busy")
	if !busy {
		_ = os.Remove(name)
		return
	}
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// Count is how many messages the server accepted so far.
func (s *Server) Count() int {
	files, _ := filepath.Glob(filepath.Join(s.Dir, "*.eml"))
	return len(files)
}

// Message is a saved message, parsed.
type Message struct {
	File        string
	Header      mail.Header
	Subject     string // decoded
	Text        string // the text/plain part, decoded
	Attachments map[string][]byte
}

// Messages returns what the server accepted so far, oldest first.
func (s *Server) Messages() []Message {
	s.t.Helper()
	files, _ := filepath.Glob(filepath.Join(s.Dir, "*.eml"))
	sort.Strings(files)
	out := []Message{}
	for _, f := range files {
		out = append(out, Parse(s.t, f))
	}
	return out
}

// Wait waits until the server holds at least n messages and returns them.
func (s *Server) Wait(n int, timeout time.Duration) []Message {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		files, _ := filepath.Glob(filepath.Join(s.Dir, "*.eml"))
		if len(files) >= n {
			return s.Messages()
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the SMTP server got %d messages, want %d", len(files), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Parse reads a saved message and its MIME parts.
func Parse(t testing.TB, file string) Message {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("%s: subject: %v", file, err)
	}
	msg := Message{File: file, Header: m.Header, Subject: subj, Attachments: map[string][]byte{}}
	walk(t, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body, &msg)
	return msg
}

func walk(t testing.TB, ctype, enc, disp string, body io.Reader, msg *Message) {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		t.Fatalf("content type %q: %v", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			walk(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p, msg)
		}
	}
	data := decode(t, enc, body)
	_, dp, _ := mime.ParseMediaType(disp)
	if name := dp["filename"]; name != "" {
		msg.Attachments[name] = data
		return
	}
	if mt == "text/plain" && msg.Text == "" {
		msg.Text = string(data)
	}
}

func decode(t testing.TB, enc string, r io.Reader) []byte {
	var rd io.Reader = r
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "base64":
		rd = base64.NewDecoder(base64.StdEncoding, newlineStripper{r})
	case "quoted-printable":
		rd = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatalf("decode %s: %v", enc, err)
	}
	return b
}

// newlineStripper drops line breaks, which base64 bodies carry every 76 characters.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
