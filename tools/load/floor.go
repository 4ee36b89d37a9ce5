package main

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/database"
)

// serveFloor is the floor of the registration benchmark: Gin, sqlx and SQLite with the very
// settings of taphuan (database.Open: WAL, one writer connection, BEGIN IMMEDIATE), doing the
// least a registration must do — decode JSON and INSERT one row.
func serveFloor(addr, path string) error {
	db, err := database.Open(context.Background(), path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.W.Exec(`CREATE TABLE IF NOT EXISTS load_floor (
		id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, phone TEXT NOT NULL, organization TEXT NOT NULL)`); err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	e.POST("/floor", func(c *gin.Context) {
		var in struct {
			FullName     string `json:"full_name"`
			Phone        string `json:"phone"`
			Organization string `json:"organization"`
		}
		if err := c.ShouldBindJSON(&in); err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		var id int64
		err := db.W.QueryRowxContext(c.Request.Context(),
			`INSERT INTO load_floor (full_name, phone, organization) VALUES (?, ?, ?) RETURNING id`, in.FullName, in.Phone, in.Organization).Scan(&id)
		if err != nil {
			c.Status(http.StatusInternalServerError)
			return
		}
		c.JSON(http.StatusCreated, gin.H{"id": id})
	})
	return http.ListenAndServe(addr, e)
}
