package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/database"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	if code, _, stderr := runCLI(t, "migrate", "-db", db); code != 0 {
		t.Fatalf("migrate: exit %d: %s", code, stderr)
	}
	code, out, _ := runCLI(t, "user", "add", "-db", db, "-email", "Admin@Example.vn", "-name", "Quản trị", "-role", "admin")
	if code != 0 || !strings.Contains(out, "password: ") {
		t.Fatalf("user add admin: exit %d, %q", code, out)
	}

	t.Run("bad arguments", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			args []string
			code int
			want string
		}{
			{"unknown role", []string{"user", "add", "-db", db, "-email", "a@example.vn", "-name", "A", "-role", "boss"}, 1, "unknown role"},
			{"unknown organization", []string{"user", "add", "-db", db, "-email", "b@example.vn", "-name", "B", "-role", "staff", "-org", "42"}, 1, "unknown organization"},
			{"duplicate email", []string{"user", "add", "-db", db, "-email", "admin@example.vn", "-name", "C", "-role", "admin"}, 1, "exists"},
			{"organizer without org", []string{"user", "add", "-db", db, "-email", "d@example.vn", "-name", "D", "-role", "organizer"}, 1, "-org"},
			{"focal point without unit", []string{"user", "add", "-db", db, "-email", "e@example.vn", "-name", "E", "-role", "unit"}, 1, "-unit"},
			{"focal point of an unknown unit", []string{"user", "add", "-db", db, "-email", "f@example.vn", "-name", "F", "-role", "unit", "-unit", "42"}, 1, "unknown unit"},
			{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
			{"unknown flag", []string{"migrate", "-nope"}, 2, "flag provided but not defined"},
			{"token for nobody", []string{"token", "create", "-db", db, "-email", "nobody@example.vn"}, 1, "not found"},
			{"backup without out", []string{"backup", "-db", db}, 2, "-out"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, _, stderr := runCLI(t, tc.args...)
				if code != tc.code || !strings.Contains(stderr, tc.want) {
					t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, stderr, tc.code, tc.want)
				}
			})
		}
	})

	t.Run("token create prints the token alone", func(t *testing.T) {
		code, out, stderr := runCLI(t, "token", "create", "-db", db, "-email", "admin@example.vn")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !regexp.MustCompile(`^th_[A-Za-z0-9_-]{40,}\n$`).MatchString(out) {
			t.Fatalf("stdout %q is not a token alone on a line", out)
		}
		d, err := database.Open(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		u, err := accounts.New(d).UserByToken(t.Context(), strings.TrimSpace(out))
		if err != nil || u.Email != "admin@example.vn" {
			t.Errorf("the printed token does not authenticate: %v %v", u, err)
		}
	})

	t.Run("environment stands for the flag", func(t *testing.T) {
		t.Setenv("TAPHUAN_DB", db)
		if code, _, stderr := runCLI(t, "token", "create", "-email", "admin@example.vn"); code != 0 {
			t.Errorf("TAPHUAN_DB: exit %d: %s", code, stderr)
		}
	})

	t.Run("demo", func(t *testing.T) {
		code, out, stderr := runCLI(t, "demo", "-db", db)
		if code != 0 || !strings.Contains(out, "tochuc@demo.taphuan.local") || !strings.Contains(out, "daumoi@demo.taphuan.local") {
			t.Fatalf("demo: exit %d, %q %q", code, out, stderr)
		}
	})

	t.Run("backup", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "copy.db")
		if code, _, stderr := runCLI(t, "backup", "-db", db, "-out", out); code != 0 {
			t.Fatalf("backup: exit %d: %s", code, stderr)
		}
		d, err := database.Open(t.Context(), out)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		n, err := accounts.New(d).CountUsers(t.Context())
		if err != nil || n != 4 { // the administrator and the demo's organizer, staff and focal point
			t.Errorf("the backup has %d users (%v), want 4", n, err)
		}
		if code, _, _ := runCLI(t, "backup", "-db", db, "-out", out); code == 0 {
			t.Error("backup over an existing file succeeded")
		}
	})
}

// TestRefusesToStartWithoutCgo builds taphuan with CGO_ENABLED=0 (mattn/go-sqlite3 is then a
// stub) and checks that it refuses to start with a message that says what to do.
func TestRefusesToStartWithoutCgo(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "taphuan-nocgo")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build without cgo: %v\n%s", err, out)
	}
	db := filepath.Join(t.TempDir(), "nocgo.db")
	out, err := exec.Command(bin, "-db", db).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit: %v, want 1", err)
	}
	if !strings.Contains(string(out), "CGO_ENABLED=1") {
		t.Errorf("message %q does not say how to build it", out)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a database file was created by a binary that cannot use it")
	}
}
