package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// writeSite writes files into out, then removes everything else but the
// kept files. Each file replaces the old one atomically and the page and
// manifest come last, so a server running during a rebuild never sends a
// page that names an asset not yet written.
func writeSite(out string, files []file) error {
	want := map[string]bool{}
	for _, f := range files {
		for _, w := range []struct {
			suffix string
			data   []byte
		}{{".br", f.br}, {".gz", f.gz}, {"", f.data}} {
			if w.data == nil && w.suffix != "" {
				continue
			}
			name := f.name + w.suffix
			want[name] = true
			p := filepath.Join(out, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := writeAtomic(p, w.data); err != nil {
				return err
			}
		}
	}
	return removeStale(out, want)
}

// removeStale deletes the files of out that are neither wanted nor kept,
// then the folders left empty.
func removeStale(out string, want map[string]bool) error {
	var dirs []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case d.IsDir():
			dirs = append(dirs, p)
		case !want[rel] && !keep[rel]:
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("removing stale files from %s: %w", out, err)
	}
	slices.Reverse(dirs) // children before parents
	for _, d := range dirs {
		if des, err := os.ReadDir(d); err == nil && len(des) == 0 {
			if err := os.Remove(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeAtomic writes data to a temporary file beside p and renames it over p.
func writeAtomic(p string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-"+filepath.Base(p)+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// printSizes prints each file's size as is and as sent compressed, and
// the totals (a file without a sibling counts at its own size).
func printSizes(w io.Writer, out string, files []file) {
	width := len("total")
	for _, f := range files {
		width = max(width, len(f.name))
	}
	row := func(name string, raw, br, gz int) {
		fmt.Fprintf(w, "%-*s %10d %10d %10d\n", width, name, raw, br, gz)
	}
	fmt.Fprintf(w, "%-*s %10s %10s %10s\n", width, strings.TrimSuffix(out, "/")+"/", "raw", "br", "gz")
	var raw, br, gz int
	for _, f := range files {
		b, g := sent(f.br, f.data), sent(f.gz, f.data)
		raw, br, gz = raw+len(f.data), br+b, gz+g
		row(f.name, len(f.data), b, g)
	}
	row("total", raw, br, gz)
}

func sent(z, data []byte) int {
	if z != nil {
		return len(z)
	}
	return len(data)
}
