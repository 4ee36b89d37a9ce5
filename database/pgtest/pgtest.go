// Package pgtest gives tests a PostgreSQL server: the one named by TAPHUAN_TEST_PG (the
// README's test command starts one cluster for the whole run and sets it), or else a
// throwaway cluster this test binary starts once — initdb in a temporary directory, a port of
// its own, as an unprivileged user — and that dies with the test binary.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to wait for the server
)

// EnvURL is the variable naming a running server as a URL of a superuser
// ("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable").
const EnvURL = "TAPHUAN_TEST_PG"

var (
	once   sync.Once
	server string
	failed error
)

// URL returns the URL of a PostgreSQL superuser connection to the maintenance database of
// the test server, starting the server if need be. It fails t when there is none and none
// can be started.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			server = u
			return
		}
		server, failed = start()
	})
	if failed != nil {
		t.Fatalf("pgtest: %v", failed)
	}
	return server
}

// binDir finds the PostgreSQL server programs: TAPHUAN_PG_BIN, the newest
// /usr/lib/postgresql/*/bin (Debian), or initdb on PATH.
func binDir() (string, error) {
	if d := os.Getenv("TAPHUAN_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no PostgreSQL server found: run scripts/test.sh (it installs postgresql-15), " +
		"or set " + EnvURL + " to a superuser URL of a running server")
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// start runs initdb and postgres as an unprivileged user (the "postgres" account when the
// tests run as root: the server refuses to run as root).
func start() (string, error) {
	bin, err := binDir()
	if err != nil {
		return "", err
	}
	removeStale()
	dir, err := os.MkdirTemp("", "taphuan-pg-")
	if err != nil {
		return "", err
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", fmt.Errorf("running as root, and there is no postgres user to run the server as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return "", fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	srv := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=400")
	srv.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return "", err
	}
	srv.Stdout, srv.Stderr = logf, logf
	// Pdeathsig follows the thread that started the server, not the process: start it from a
	// thread that lives as long as the test binary.
	started := make(chan error)
	go func() {
		runtime.LockOSThread()
		started <- srv.Start()
		select {}
	}()
	if err := <-started; err != nil {
		return "", fmt.Errorf("postgres: %w", err)
	}
	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if err := wait(url, 60*time.Second); err != nil {
		b, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		return "", fmt.Errorf("%v; server log: %s", err, b)
	}
	return url, nil
}

// removeStale removes the clusters of test binaries that have ended (their server died with
// them and left its directory): older than ten minutes, and no live postmaster.
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "taphuan-pg-*"))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil || time.Since(fi.ModTime()) < 10*time.Minute {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			line, _, _ := strings.Cut(string(b), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && syscall.Kill(pid, 0) == nil {
				continue
			}
		}
		_ = os.RemoveAll(d)
	}
}

// wait waits until a server answers at url.
func wait(url string, limit time.Duration) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no PostgreSQL at %s after %s: %w", url, limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
