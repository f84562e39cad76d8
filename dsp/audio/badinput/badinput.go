// Package badinput generates the bad-input corpus: files a visitor might
// drop on the page that are broken, hostile, mislabelled or merely odd,
// each with the outcome the whole pipeline (bytes → result) must give.
//
// Every file is built in Go at run time (no binary blobs, no external
// tools), deterministically, so the same corpus can drive the native
// tests, the fuzzers' seeds and, written to disk with Write (or
// `emotion badinput -o DIR`), the browser tests.
package badinput

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Result is Kind.Want for a file that must be classified.
const Result = "result"

// Kind is one entry of the corpus.
type Kind struct {
	Name   string // unique, e.g. "wav-fmt-0-channels"
	File   string // suggested file name: Name with the extension a visitor's file would have (it often lies)
	Family string // "wav", "mp3" or "other": what the bytes are, or claim to be
	What   string // what the bytes hold, for a person
	// Want is Result, or the error code (model.Code, which includes
	// audio.Code) the pipeline must return under audio.DefaultLimits.
	Want string

	size  int                   // exact size when known up front, so Bytes allocates once
	write func(io.Writer) error // streams the bytes
}

// WriteTo streams the kind's bytes to w; large kinds are generated in
// blocks, never held whole.
func (k Kind) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := k.write(cw)
	return cw.n, err
}

// Bytes returns a fresh copy of the kind's bytes.
func (k Kind) Bytes() []byte {
	var b bytes.Buffer
	b.Grow(k.size)
	k.WriteTo(&b) // bytes.Buffer writes cannot fail
	return b.Bytes()
}

// Size returns the length of the kind's bytes, without keeping them.
func (k Kind) Size() int64 {
	if k.size > 0 {
		return int64(k.size)
	}
	n, _ := k.WriteTo(io.Discard)
	return n
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Kinds returns the whole corpus, WAV kinds first, then MP3, then the rest.
func Kinds() []Kind {
	var all []Kind
	all = append(all, wavKinds()...)
	all = append(all, mp3Kinds()...)
	all = append(all, otherKinds()...)
	return all
}

// fixed makes a Kind whose bytes come from make, called on each use (the
// small kinds are cheap to rebuild and callers may modify what they get).
func fixed(family, name, ext, want, what string, make func() []byte) Kind {
	return Kind{Name: name, File: name + ext, Family: family, What: what, Want: want,
		write: func(w io.Writer) error { _, err := w.Write(make()); return err }}
}

// streamed makes a large Kind of a known size.
func streamed(family, name, ext, want, what string, size int, write func(io.Writer) error) Kind {
	return Kind{Name: name, File: name + ext, Family: family, What: what, Want: want, size: size, write: write}
}

// ManifestEntry describes one written file; manifest.json is a list of them.
type ManifestEntry struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Family string `json:"family"`
	Bytes  int64  `json:"bytes"`
	Want   string `json:"want"` // "result" or an error code
	What   string `json:"what"`
}

// ManifestName is the file Write lists the corpus in.
const ManifestName = "manifest.json"

// Write writes every kind of the corpus into dir (created if missing) under
// its File name, plus manifest.json, and returns the manifest.
func Write(dir string) ([]ManifestEntry, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var man []ManifestEntry
	for _, k := range Kinds() {
		n, err := writeFile(filepath.Join(dir, k.File), k)
		if err != nil {
			return nil, fmt.Errorf("badinput: %s: %w", k.Name, err)
		}
		man = append(man, ManifestEntry{Name: k.Name, File: k.File, Family: k.Family, Bytes: n, Want: k.Want, What: k.What})
	}
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, err
	}
	return man, os.WriteFile(filepath.Join(dir, ManifestName), append(b, '\n'), 0o644)
}

func writeFile(path string, k Kind) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := k.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}
