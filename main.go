// Command taphuan runs the training-course management system: the web server (default),
// and the administrative commands of API.md (migrate, user add, token create, demo, backup).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"taphuan/accounts"
	"taphuan/database"
	"taphuan/demo"
	"taphuan/errs"
	"taphuan/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `taphuan — quản lý lớp tập huấn / training course management

Usage:
  taphuan [serve] [-addr 127.0.0.1:8080] [-db taphuan.db] [-base-url http://localhost:8080] [-demo]
                  [-smtp smtp://user:pass@host:587] [-mail-from no-reply@example.gov.vn] [-mail-lease 2m] [-mail-backoff 30s]
                  [-trusted-proxies 10.0.0.1,192.168.0.0/16]
  taphuan migrate  -db FILE
  taphuan user add -db FILE -email E -name N -role admin|organizer|staff|unit [-org ID] [-unit ID] [-password P]
  taphuan token create -db FILE -email E [-expires 90d]
  taphuan token list   -db FILE [-email E]
  taphuan token revoke -db FILE -id N
  taphuan demo     -db FILE
  taphuan backup   -db FILE|URL -out FILE
  taphuan copy     -from FILE.db -to postgres://user:pass@host:5432/db?sslmode=disable

-db is a SQLite file (the default, taphuan.db) or a postgres:// URL; several serve processes
may share one PostgreSQL database. copy moves a whole SQLite database into an empty
PostgreSQL one; backup of PostgreSQL runs pg_dump.

Environment: TAPHUAN_ADDR, TAPHUAN_DB, TAPHUAN_BASE_URL, TAPHUAN_SMTP_URL, TAPHUAN_MAIL_FROM,
TAPHUAN_TRUSTED_PROXIES stand for the flags.
`

// errUsage marks bad command-line arguments (exit code 2).
var errUsage = errors.New("usage")

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if !database.CgoEnabled() {
		fmt.Fprintln(stderr, "taphuan:", database.ErrNoCgo)
		return 1
	}
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, args, stderr)
	case "migrate":
		err = cmdMigrate(ctx, args, stdout, stderr)
	case "user":
		if len(args) == 0 || args[0] != "add" {
			err = fmt.Errorf("%w: taphuan user add …", errUsage)
			break
		}
		err = cmdUserAdd(ctx, args[1:], stdout, stderr)
	case "token":
		switch {
		case len(args) > 0 && args[0] == "create":
			err = cmdTokenCreate(ctx, args[1:], stdout, stderr)
		case len(args) > 0 && args[0] == "list":
			err = cmdTokenList(ctx, args[1:], stdout, stderr)
		case len(args) > 0 && args[0] == "revoke":
			err = cmdTokenRevoke(ctx, args[1:], stdout, stderr)
		default:
			err = fmt.Errorf("%w: taphuan token create|list|revoke …", errUsage)
		}
	case "demo":
		err = cmdDemo(ctx, args, stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, args, stdout, stderr)
	case "copy":
		err = cmdCopy(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "taphuan: %v\n\n%s", err, usage)
		return 2
	default:
		fmt.Fprintln(stderr, "taphuan:", describe(err))
		return 1
	}
}

// describe turns a domain error into a sentence for the terminal.
func describe(err error) string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	parts := []string{}
	switch e.Code {
	case errs.Invalid:
		for field, m := range e.Fields {
			parts = append(parts, fmt.Sprintf("-%s: %s", strings.NewReplacer("organization_id", "org", "unit_id", "unit").Replace(field), cliMessages[m.Key]))
		}
	default:
		parts = append(parts, cliMessages[e.Msg.Key])
	}
	if len(parts) == 0 || parts[0] == "" {
		return err.Error()
	}
	return strings.Join(parts, "; ")
}

// cliMessages are the terminal's words for the errors a command can meet.
var cliMessages = map[string]string{
	"err.required":        "required / bắt buộc",
	"err.email":           "not a valid e-mail address / thư điện tử không hợp lệ",
	"err.role":            "unknown role; use admin, organizer, staff or unit / vai trò không hợp lệ",
	"err.unit_required":   "a focal point (role unit) needs -unit ID / cần -unit",
	"err.unknown_unit":    "unknown unit / không có đơn vị này",
	"err.org_required":    "organizers and staff need -org ID / cần -org",
	"err.unknown_org":     "unknown organization / không có đơn vị này",
	"err.password_short":  "password too short (at least 10) / mật khẩu quá ngắn (ít nhất 10 ký tự)",
	"err.password_common": "one of the commonest passwords; choose another / mật khẩu quá phổ biến",
	"err.duration":        "use a number of days, hours or minutes like 90d, 12h, 30m / dạng 90d, 12h, 30m",
	"err.forbidden":       "not permitted / không được phép",
	"err.too_long":        "too long / quá dài",
	"err.duplicate_email": "a user with this e-mail exists / thư điện tử đã có tài khoản",
	"err.not_found":       "not found / không tìm thấy",
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", env("TAPHUAN_DB", "taphuan.db"), "SQLite database file, or postgres:// URL")
	return fs, db
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, dbPath := newFlags("serve", stderr)
	addr := fs.String("addr", env("TAPHUAN_ADDR", "127.0.0.1:8080"), "listen address")
	baseURL := fs.String("base-url", env("TAPHUAN_BASE_URL", ""), "public address (default http://ADDR)")
	withDemo := fs.Bool("demo", false, "load the demo data on first start")
	smtpURL := fs.String("smtp", env("TAPHUAN_SMTP_URL", ""),
		"mail server: smtp://[user:pass@]host:port (STARTTLS when offered) or smtps://… (implicit TLS); empty: messages wait in the outbox")
	mailFrom := fs.String("mail-from", env("TAPHUAN_MAIL_FROM", ""), "sender address of the messages, e.g. no-reply@example.gov.vn")
	mailLease := fs.Duration("mail-lease", 0, "how long a sender's claim on a message holds before another may retry it (default 2m)")
	mailBackoff := fs.Duration("mail-backoff", 0, "wait after a first failed delivery, ×4 after each next (default 30s)")
	proxies := fs.String("trusted-proxies", env("TAPHUAN_TRUSTED_PROXIES", ""),
		"comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *baseURL == "" {
		*baseURL = "http://" + strings.Replace(*addr, "0.0.0.0", "localhost", 1)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	db, err := database.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	acc := accounts.New(db)
	email, password, err := acc.EnsureFirstAdmin(ctx)
	if err != nil {
		return err
	}
	if *withDemo {
		if err := loadDemoOnce(ctx, db, *baseURL, stderr); err != nil {
			return err
		}
	}
	if *smtpURL != "" && *mailFrom == "" {
		return fmt.Errorf("%w: -smtp needs -mail-from (or TAPHUAN_MAIL_FROM)", errUsage)
	}
	srv, err := server.New(server.Config{Addr: *addr, BaseURL: *baseURL, Logger: logger,
		SMTP: *smtpURL, MailFrom: *mailFrom, MailLease: *mailLease, MailBackoff: *mailBackoff,
		TrustedProxies: strings.Split(*proxies, ",")}, db)
	if err != nil {
		return err
	}
	return srv.Run(ctx, func(listen string) {
		logger.Info("taphuan is serving", "addr", listen, "db", database.Redact(*dbPath), "base_url", *baseURL)
		if email != "" {
			fmt.Fprintf(stderr, "\n  First start — lần chạy đầu tiên:\n"+
				"    open / mở      %s/login\n"+
				"    e-mail         %s\n"+
				"    password / mật khẩu  %s\n"+
				"  (shown only now; change it later or add users with `taphuan user add`)\n\n",
				*baseURL, email, password)
		}
	})
}

func loadDemoOnce(ctx context.Context, db *database.DB, baseURL string, stderr io.Writer) error {
	logins, err := demo.Load(ctx, db, baseURL)
	if errors.Is(err, demo.ErrAlreadyLoaded) {
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprint(stderr, logins.String())
	return nil
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDB(ctx, *dbPath, func(*database.DB) error {
		fmt.Fprintf(stdout, "database %s is up to date\n", database.Redact(*dbPath))
		return nil
	})
}

func cmdUserAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("user add", stderr)
	var in accounts.UserInput
	fs.StringVar(&in.Email, "email", "", "e-mail (the login)")
	fs.StringVar(&in.Name, "name", "", "full name")
	fs.StringVar(&in.Role, "role", "", "admin, organizer, staff or unit")
	fs.Int64Var(&in.OrganizationID, "org", 0, "organization id (organizer and staff)")
	fs.Int64Var(&in.UnitID, "unit", 0, "sending unit id (unit: the unit's focal point)")
	fs.StringVar(&in.Password, "password", "", "password (default: generated and printed)")
	if err := parse(fs, args); err != nil {
		return err
	}
	generated := in.Password == ""
	if generated {
		in.Password = accounts.GeneratePassword()
	}
	return withDB(ctx, *dbPath, func(db *database.DB) error {
		u, err := accounts.New(db).CreateUserAs(ctx, nil, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %d %s (%s) created\n", u.ID, u.Email, u.Role)
		if generated {
			fmt.Fprintf(stdout, "password: %s\n", in.Password)
		}
		return nil
	})
}

func cmdTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("token create", stderr)
	email := fs.String("email", "", "the user's e-mail")
	expires := fs.String("expires", "", "lifetime: 90d, 12h, 30m (default: until revoked)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%w: -email is required", errUsage)
	}
	ttl, err := accounts.ParseLifetime(*expires)
	if err != nil {
		return err
	}
	return withDB(ctx, *dbPath, func(db *database.DB) error {
		token, err := accounts.New(db).CreateTokenExpiring(ctx, *email, ttl)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, token)
		return nil
	})
}

// cmdTokenList prints the tokens (of one user with -email): id, user, created, expires,
// last used, state — never the token, which is not kept.
func cmdTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("token list", stderr)
	email := fs.String("email", "", "only this user's tokens")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDB(ctx, *dbPath, func(db *database.DB) error {
		acc := accounts.New(db)
		var uid int64
		if *email != "" {
			u, err := acc.FindUserByEmail(ctx, *email)
			if err != nil {
				return err
			}
			uid = u.ID
		}
		ts, err := acc.ListTokens(ctx, uid)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSER\tCREATED\tEXPIRES\tLAST USED\tSTATE")
		now := time.Now()
		for _, t := range ts {
			state := "active"
			switch {
			case t.RevokedAt != "":
				state = "revoked " + t.RevokedAt
			case !t.Active(now):
				state = "expired"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Email, t.CreatedAt, dash(t.ExpiresAt), dash(t.LastUsedAt), state)
		}
		return tw.Flush()
	})
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// cmdTokenRevoke makes a token stop working at once.
func cmdTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("token revoke", stderr)
	id := fs.Int64("id", 0, "the token's id (see token list)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return fmt.Errorf("%w: -id is required", errUsage)
	}
	return withDB(ctx, *dbPath, func(db *database.DB) error {
		if err := accounts.New(db).RevokeToken(ctx, *id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "token %d revoked\n", *id)
		return nil
	})
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("demo", stderr)
	baseURL := fs.String("base-url", env("TAPHUAN_BASE_URL", demo.DefaultBaseURL), "public address the certificates' QR codes point to")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDB(ctx, *dbPath, func(db *database.DB) error {
		logins, err := demo.Load(ctx, db, *baseURL)
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, logins.String())
		return nil
	})
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("backup", stderr)
	out := fs.String("out", "", "the copy to write (must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: -out is required", errUsage)
	}
	if !database.IsPostgresURL(*dbPath) {
		if _, err := os.Stat(*dbPath); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	return withDB(ctx, *dbPath, func(db *database.DB) error {
		if err := db.Backup(ctx, *out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup written to %s\n", *out)
		return nil
	})
}

// cmdCopy copies a SQLite file into an empty PostgreSQL database.
func cmdCopy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "SQLite database file to copy")
	to := fs.String("to", "", "empty PostgreSQL database (postgres:// URL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *from == "" || *to == "":
		return fmt.Errorf("%w: -from and -to are required", errUsage)
	case database.IsPostgresURL(*from):
		return fmt.Errorf("%w: -from is a SQLite file", errUsage)
	case !database.IsPostgresURL(*to):
		return fmt.Errorf("%w: -to is a postgres:// URL", errUsage)
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	return withDB(ctx, *from, func(src *database.DB) error {
		return withDB(ctx, *to, func(dst *database.DB) error {
			rep, err := database.Copy(ctx, src, dst)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(w, "table\tSQLite\tPostgreSQL\t")
			var total int64
			for _, t := range rep.Tables {
				fmt.Fprintf(w, "%s\t%d\t%d\t\n", t.Table, t.Source, t.Target)
				total += t.Target
			}
			w.Flush()
			fmt.Fprintf(stdout, "copied %d rows of %d tables into %s; %d certificate PDFs checked by SHA-256\n",
				total, len(rep.Tables), database.Redact(*to), rep.Certificates)
			return nil
		})
	})
}

// withDB opens the database at path (applying pending migrations), runs fn and closes it.
func withDB(ctx context.Context, path string, fn func(*database.DB) error) error {
	db, err := database.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}
