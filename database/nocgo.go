//go:build !cgo

package database

const cgoEnabled = false
