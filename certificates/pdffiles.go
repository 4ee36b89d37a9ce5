package certificates

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// This file rearranges whole pages of PDF files with pdfcpu, without drawing anything
// again:
//
//   - concatPDF joins stored certificates into one file for printing;
//   - splitPDF cuts a document of many certificates into one file per page, so that a
//     batch is drawn in one document and the fonts are parsed, subset and compressed once
//     for the batch instead of once per certificate.
//
// pdfcpu writes the time of writing as the files' creation and modification dates and
// derives the file identifier from it; it offers no way to set them. A certificate file
// is therefore not the same bytes twice: it is written once, at issue, and stored with
// its SHA-256, which is what keeps it unchanging.

// pdfInfo is what a file's information dictionary says besides pdfcpu's own entries.
type pdfInfo struct {
	Title, Author string
}

var disableConfigDir sync.Once

// pdfConf returns a pdfcpu configuration for work in memory. pdfcpu otherwise creates a
// configuration directory, with fonts and certificates, in the user's home.
func pdfConf(cmd model.CommandMode) *model.Configuration {
	disableConfigDir.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.Cmd = cmd
	// A classic cross-reference table, as pdfdoc writes: compressing the few small
	// dictionaries of a certificate into object streams costs more time than it saves bytes.
	conf.WriteObjectStream = false
	conf.WriteXRefStream = false
	return conf
}

// concatPDF joins PDF files into one whose pages are theirs, in order, with their page
// content, fonts and images unchanged: the combined file prints exactly the certificates
// that were issued. Resources that are the same in several files (the fonts of one issued
// batch) are kept once.
func concatPDF(files [][]byte, info pdfInfo) ([]byte, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("certificates: combine: no file")
	}
	// api.MergeRaw does this, but keeps the first file's title; the steps are its own.
	conf := pdfConf(model.MERGECREATE)
	conf.CreateBookmarks = false
	dest, err := api.ReadAndValidate(bytes.NewReader(files[0]), conf)
	if err != nil {
		return nil, fmt.Errorf("certificates: combine file 1: %w", err)
	}
	dest.EnsureVersionForWriting()
	for i, f := range files[1:] {
		src, err := api.ReadAndValidate(bytes.NewReader(f), conf)
		if err != nil {
			return nil, fmt.Errorf("certificates: combine file %d: %w", i+2, err)
		}
		if err := pdfcpu.MergeXRefTables("", src, dest, false, false); err != nil {
			return nil, fmt.Errorf("certificates: combine file %d: %w", i+2, err)
		}
	}
	if err := api.OptimizeContext(dest); err != nil {
		return nil, fmt.Errorf("certificates: combine: %w", err)
	}
	return writePDF(dest, info)
}

// splitPDF returns one file per page of pdf: each holds its page and what that page uses
// (fonts, images). infos[i] describes page i's file.
func splitPDF(pdf []byte, infos []pdfInfo) ([][]byte, error) {
	// pdfdoc writes every font and image once: there is nothing for pdfcpu to optimize.
	ctx, err := api.ReadAndValidate(bytes.NewReader(pdf), pdfConf(model.SPLIT))
	if err != nil {
		return nil, fmt.Errorf("certificates: split: %w", err)
	}
	if ctx.PageCount != len(infos) {
		return nil, fmt.Errorf("certificates: split: %d pages, %d descriptions", ctx.PageCount, len(infos))
	}
	out := make([][]byte, len(infos))
	for i := range infos {
		page, err := pdfcpu.ExtractPages(ctx, []int{i + 1}, false)
		if err != nil {
			return nil, fmt.Errorf("certificates: split page %d: %w", i+1, err)
		}
		if out[i], err = writePDF(page, infos[i]); err != nil {
			return nil, fmt.Errorf("certificates: split page %d: %w", i+1, err)
		}
	}
	return out, nil
}

// writePDF writes ctx with info's title and author.
func writePDF(ctx *model.Context, info pdfInfo) ([]byte, error) {
	props := map[string]string{"Creator": "taphuan"}
	if info.Title != "" {
		props["Title"] = info.Title
	}
	if info.Author != "" {
		props["Author"] = info.Author
	}
	if err := pdfcpu.PropertiesAdd(ctx, props); err != nil {
		return nil, fmt.Errorf("information: %w", err)
	}
	var b bytes.Buffer
	if err := api.WriteContext(ctx, &b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
