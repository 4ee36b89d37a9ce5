package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make and drop the load's databases
)

// runPostgres measures registrations on PostgreSQL: one taphuan instance, then two on the same
// database with the clients spread over both (as behind a load balancer), next to the floor —
// the bare Gin + sqlx + pgx insert server — on the same PostgreSQL server in the same run.
// server is a superuser URL; the run makes its databases there and drops them at the end.
func (r *runner) runPostgres(server string) error {
	dir, err := os.MkdirTemp("", "taphuan-load-")
	if err != nil {
		return err
	}
	r.dir = dir
	r.engine = "pgx (PostgreSQL)"
	defer os.RemoveAll(dir)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer admin.Close()
	suffix := fmt.Sprint(os.Getpid())
	dbURL, err := makeDatabase(admin, server, "taphuan_load_"+suffix)
	if err != nil {
		return err
	}
	defer dropDatabase(admin, "taphuan_load_"+suffix)
	floorURL, err := makeDatabase(admin, server, "taphuan_floor_"+suffix)
	if err != nil {
		return err
	}
	defer dropDatabase(admin, "taphuan_floor_"+suffix)
	defer r.stopAll()

	if err := r.build(dbURL); err != nil {
		return err
	}
	var bases []string
	for range 2 {
		base, _, err := r.serveOn(r.bin, "serve", "-db", dbURL)
		if err != nil {
			return err
		}
		bases = append(bases, base)
	}
	floorBase, err := r.startFloor(floorURL)
	if err != nil {
		return err
	}
	for _, b := range append(bases, floorBase) {
		if err := waitReady(b); err != nil {
			return err
		}
	}
	r.base = bases[0]
	org, err := r.postJSON("/api/v1/organizations", map[string]any{"name": "Sở Thông tin và Truyền thông tỉnh Khánh Hòa", "short_name": "STTTT"})
	if err != nil {
		return err
	}
	orgID := int64(org["id"].(float64))
	var seq atomic.Int64
	one, err := r.registrations(orgID, bases[:1], &seq)
	if err != nil {
		return err
	}
	two, err := r.registrations(orgID, bases, &seq)
	if err != nil {
		return err
	}
	floorRes := r.floorBurst(floorBase, &seq)
	r.rows = append(r.rows,
		row{"PostgreSQL: registrations/s, one instance", one.rate(), floorRes.rate(), fmt.Sprintf("%.0f%% of the floor", 100*one.perSec()/floorRes.perSec())},
		row{"PostgreSQL: registration p50 / p99, one instance", one.latency(), floorRes.latency(), ""},
		row{"PostgreSQL: registrations/s, two instances", two.rate(), floorRes.rate(), fmt.Sprintf("%.0f%% of the floor", 100*two.perSec()/floorRes.perSec())},
		row{"PostgreSQL: registration p50 / p99, two instances", two.latency(), floorRes.latency(), ""},
	)
	r.print()
	return nil
}

// makeDatabase creates an empty database of byte-order collation and returns its URL.
func makeDatabase(admin *sql.DB, server, name string) (string, error) {
	if _, err := admin.ExecContext(context.Background(), `CREATE DATABASE "`+name+`" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'`); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func dropDatabase(admin *sql.DB, name string) {
	_, _ = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
}
