package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// config says where the build reads and writes.
type config struct {
	web    string // the page's sources
	wasm   string // the Go build of ./wasm
	out    string // the site folder
	cache  string // compressed files kept between builds; "" for none
	goroot string // Go root providing lib/wasm/wasm_exec.js
	brotli int    // brotli quality: 11 ships; lower only to iterate faster
}

// kind is how an entry's source becomes its served bytes.
type kind int

const (
	asis       kind = iota // copied byte for byte
	script                 // bundled with its imports and minified: an ES2020 module
	stylesheet             // bundled with its @imports and minified
	page                   // HTML whose src/href references are rewritten to served names
)

// entry is one file of the site.
type entry struct {
	name   string // logical name: manifest key, and source path under web/ unless src is set
	src    string // source file outside web/, if any
	kind   kind
	hashed bool   // served as name.<hash>.ext (cached forever) rather than as name (revalidated)
	define string // constant through which later scripts learn its served name
}

// site lists the files of the site in dependency order: a file that names
// another (by a define or a page reference) comes after it, so its bytes,
// and hence its hash, change when the other's name does.
//
// More files are one line each: a module API with a stable name
// ({name: "emotion.js", kind: script}), a service worker at the scope root
// placed last so EMOTION_MANIFEST lists every asset ({name: "sw.js",
// kind: script}), or a file copied as is ({name: "icon.svg", kind: asis}).
func site(c config) []entry {
	return []entry{
		{name: "emotion.wasm", src: c.wasm, kind: asis, hashed: true, define: "EMOTION_WASM_URL"},
		{name: "worker.js", kind: script, hashed: true, define: "EMOTION_WORKER_URL"},
		{name: "capture.js", src: filepath.Join(c.web, "lib/capture-worklet.js"), kind: script, hashed: true, define: "EMOTION_CAPTURE_URL"},
		{name: "app.js", kind: script, hashed: true},
		{name: "style.css", kind: stylesheet, hashed: true},
		// Before the page, which links them (stable names: the installed app
		// and the browser keep asking for them by name).
		{name: "icons/icon.svg", kind: asis},
		{name: "manifest.webmanifest", kind: asis},
		{name: "index.html", kind: page},
		// For other sites: the module API and the custom element, under
		// stable names (revalidated) so that embedders' links keep working.
		{name: "emotion.js", kind: script},
		{name: "emotion-element.js", src: filepath.Join(c.web, "element.js"), kind: script},
		// Last, so that its EMOTION_MANIFEST lists every file to precache.
		{name: "sw.js", kind: script},
	}
}

// manifestDefine is the constant every script may use for the manifest of
// the files built before it (logical name -> name relative to the script),
// e.g. a service worker's precache list.
const manifestDefine = "EMOTION_MANIFEST"

// manifestName is the manifest's own name in the site.
const manifestName = "manifest.json"

// keep are files of the output folder that are not build output.
var keep = map[string]bool{"README.md": true, ".gitignore": true}

// file is one output file with its precompressed siblings (nil when the
// type does not compress or the file is small).
type file struct {
	name   string // served name: path under the output folder, slash-separated
	data   []byte
	br, gz []byte
}

// build assembles the site into c.out and returns what it wrote.
func build(c config) ([]file, error) {
	entries := site(c)
	if err := checkEntries(entries); err != nil {
		return nil, err
	}
	if err := checkOut(c.out, c.web); err != nil {
		return nil, err
	}
	files, err := assemble(c, entries)
	if err != nil {
		return nil, err
	}
	cache := newCache(c.cache)
	if err := compressAll(files, cache, c.brotli); err != nil {
		return nil, err
	}
	if err := writeSite(c.out, files); err != nil {
		return nil, err
	}
	return files, cache.prune()
}

// assemble produces every entry's served bytes, in order, then the manifest.
func assemble(c config, entries []entry) ([]file, error) {
	var files []file
	served := map[string]string{}  // logical name -> served name, of the entries built so far
	defines := map[string]string{} // define -> logical name
	for i, e := range entries {
		src := e.src
		if src == "" {
			src = filepath.Join(c.web, filepath.FromSlash(e.name))
		}
		if _, err := os.Stat(src); err != nil {
			return nil, fmt.Errorf("%s: source missing: %w", e.name, err)
		}
		var data []byte
		var err error
		switch e.kind {
		case asis:
			data, err = os.ReadFile(src)
			if err == nil && path.Ext(e.name) == ".wasm" && !bytes.HasPrefix(data, []byte("\x00asm")) {
				err = fmt.Errorf("%s is not a WebAssembly module (no \\0asm header)", src)
			}
		case script:
			data, err = bundleScript(src, c.web, c.goroot, scriptDefines(e.name, served, defines))
			if err == nil {
				err = checkLaterDefines(data, entries[i:])
			}
		case stylesheet:
			data, err = bundleStyles(src, c.web)
		case page:
			data, err = os.ReadFile(src)
			if err == nil {
				data, err = rewritePage(data, e.name, served, laterNames(entries[i:]))
			}
		default:
			err = fmt.Errorf("unknown kind %d", e.kind)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.name, err)
		}
		name := e.name
		if e.hashed {
			name = hashedName(e.name, data)
		}
		served[e.name] = name
		if e.define != "" {
			defines[e.define] = e.name
		}
		files = append(files, file{name: name, data: data})
	}
	m, err := json.MarshalIndent(served, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(files, file{name: manifestName, data: append(m, '\n')}), nil
}

// hashedName inserts the first 8 hex digits of the SHA-256 of data before
// name's extension: app.js -> app.1a2b3c4d.js.
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
}

// relative is the URL of target (a served name) from a file served as from.
func relative(from, target string) string {
	r, err := filepath.Rel(filepath.FromSlash(path.Dir(from)), filepath.FromSlash(target))
	if err != nil {
		return target // both are relative to the site root, so Rel cannot fail
	}
	return filepath.ToSlash(r)
}

// scriptDefines are the constants substituted in the script named name:
// each earlier entry's define, and the manifest so far, as JSON.
func scriptDefines(name string, served, defines map[string]string) map[string]string {
	d := map[string]string{}
	rel := map[string]string{}
	for logical, s := range served {
		rel[logical] = relative(name, s)
	}
	for def, logical := range defines {
		d[def] = jsonString(rel[logical])
	}
	m, _ := json.Marshal(rel) // a map of strings always marshals
	d[manifestDefine] = string(m)
	return d
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// checkLaterDefines fails when a bundle still mentions the define of
// itself or of an entry built after it: esbuild leaves an unknown constant
// as a global, which would only fail in the browser.
func checkLaterDefines(bundle []byte, notYet []entry) error {
	for _, e := range notYet {
		if e.define == "" {
			continue
		}
		if regexp.MustCompile(`\b` + e.define + `\b`).Match(bundle) {
			return fmt.Errorf("uses %s, the served name of %s, which is built after it; "+
				"move %s earlier in the site list (cmd/site/site.go)", e.define, e.name, e.name)
		}
	}
	return nil
}

func laterNames(notYet []entry) map[string]bool {
	m := map[string]bool{}
	for _, e := range notYet {
		m[e.name] = true
	}
	return m
}

// checkEntries catches mistakes in the site list before anything is built.
var defineName = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

func checkEntries(entries []entry) error {
	names := map[string]bool{manifestName: true}
	defines := map[string]bool{manifestDefine: true}
	for _, e := range entries {
		if e.name == "" || path.IsAbs(e.name) || path.Clean(e.name) != e.name || strings.HasPrefix(e.name, "../") {
			return fmt.Errorf("site list: bad name %q (want a clean relative path)", e.name)
		}
		if names[e.name] || keep[e.name] {
			return fmt.Errorf("site list: %s twice, or it clashes with a reserved file", e.name)
		}
		names[e.name] = true
		if e.define != "" {
			if !defineName.MatchString(e.define) || defines[e.define] {
				return fmt.Errorf("site list: bad or repeated define %q", e.define)
			}
			defines[e.define] = true
		}
	}
	return nil
}

// checkOut refuses an output folder whose cleaning would delete sources.
func checkOut(out, web string) error {
	ao, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	aw, err := filepath.Abs(web)
	if err != nil {
		return err
	}
	if r, err := filepath.Rel(ao, aw); err == nil && (r == "." || !strings.HasPrefix(r, "..")) {
		return fmt.Errorf("output folder %s holds the sources %s; stale-file removal would delete them", out, web)
	}
	for _, marker := range []string{"go.mod", ".git"} {
		if _, err := os.Lstat(filepath.Join(out, marker)); err == nil {
			return fmt.Errorf("output folder %s holds %s: it looks like a source tree, not a site", out, marker)
		}
	}
	return nil
}
