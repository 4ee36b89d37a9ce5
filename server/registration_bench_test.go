package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
)

// benchClients is the number of concurrent API clients of the benchmarks.
const benchClients = 50

// runClients posts body(n) to path with b.N requests spread over benchClients goroutines,
// expecting the status want, and reports requests per second.
func runClients(b *testing.B, a *testApp, token, path string, want int, body func(n int64) []byte) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients * 2}}
	var seq atomic.Int64
	procs := max(1, benchClients/testingProcs())
	b.SetParallelism(procs)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, a.ts.URL+path, bytes.NewReader(body(seq.Add(1))))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkRegistrationAPI: POST /api/v1/courses/{id}/registrations under 50 concurrent
// clients — validation, the person upsert, the seat count and the insert in one
// BEGIN IMMEDIATE transaction, and the answer.
//
//	go test ./server/ -run '^$' -bench 'Registration|BareInsert' -benchtime 3000x
func BenchmarkRegistrationAPI(b *testing.B) {
	a := newTestApp(b)
	org := coursestest.Org(b, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(b, a.db, org.ID, func(c *courses.Course) { c.Capacity = 1_000_000 }, coursestest.Upcoming)
	token := a.token(a.user(accounts.RoleOrganizer, org.ID))
	runClients(b, a, token, fmt.Sprintf("/api/v1/courses/%d/registrations", course.ID), http.StatusCreated, func(n int64) []byte {
		body, _ := json.Marshal(regBody(int(n)))
		return body
	})
}

// BenchmarkBareInsert is the baseline of BenchmarkRegistrationAPI: the same request
// through the same stack (Gin, the middleware and token check, sqlx, the same database.DB
// and its single writer) into one INSERT of the body, with no domain logic.
func BenchmarkBareInsert(b *testing.B) {
	a := newTestApp(b)
	org := coursestest.Org(b, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	token := a.token(a.user(accounts.RoleOrganizer, org.ID))
	if _, err := a.db.W.Exec(`CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	a.srv.engine.POST("/api/v1/bench/insert", a.srv.api(func(c *gin.Context) error {
		var in map[string]string
		if err := bindJSON(c, &in); err != nil {
			return err
		}
		body, _ := json.Marshal(in)
		var id int64
		if err := a.db.W.GetContext(c.Request.Context(), &id, `INSERT INTO bench_rows (body, created_at) VALUES (?, ?) RETURNING id`,
			string(body), database.Now()); err != nil {
			return err
		}
		c.JSON(http.StatusCreated, gin.H{"id": id})
		return nil
	}))
	runClients(b, a, token, "/api/v1/bench/insert", http.StatusCreated, func(n int64) []byte {
		body, _ := json.Marshal(regBody(int(n)))
		return body
	})
}

func testingProcs() int { return runtime.GOMAXPROCS(0) }
