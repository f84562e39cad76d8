// Command serve serves the built site (static/).
//
//	serve -dir static -addr 127.0.0.1:8080 [-cors ORIGIN|*]
//
// It sends what the page relies on: application/wasm for .wasm (needed by
// WebAssembly.instantiateStreaming); the .br or .gz file that cmd/site
// wrote beside a file, with Content-Encoding, when the browser accepts it;
// Cache-Control that keeps hashed names (app.1a2b3c4d.js) for a year and
// revalidates stable ones (index.html); and a strict Content-Security-Policy.
// It never lists folders and serves nothing outside -dir, nor dotfiles.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// csp allows nothing from other origins and no inline code; the page's
// wasm needs 'wasm-unsafe-eval', which grants no JS eval. frame-ancestors
// limits framing the page; it does not affect embedding by a script tag,
// which loads the module and worker as resources.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"worker-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'self'"

func main() {
	dir := flag.String("dir", "static", "directory to serve")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	cors := flag.String("cors", "", "origin (scheme://host:port) or * allowed to fetch the files cross-origin")
	flag.Parse()
	h, err := newHandler(*dir, *cors)
	if err != nil {
		log.Fatalf("serve: %v", err)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("serving %s on http://%s", *dir, *addr)
	log.Fatal(srv.ListenAndServe())
}

// handler serves the files of one folder.
type handler struct {
	root *os.Root // confines every open to the folder, symlinks included
	cors string   // Access-Control-Allow-Origin value, or ""
}

func newHandler(dir, cors string) (*handler, error) {
	if err := checkOrigin(cors); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("%v (run ./build.sh build first)", err)
	}
	return &handler{root: root, cors: cors}, nil
}

// checkOrigin accepts "", "*" or an origin: scheme://host[:port] only.
func checkOrigin(o string) error {
	if o == "" || o == "*" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("-cors %q: want * or an origin such as http://127.0.0.1:8081", o)
	}
	return nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	// Other origins may load the files (embedding); CORS below decides
	// whether their scripts may read them.
	hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	hd.Set("Cache-Control", "no-cache")
	if h.cors != "" {
		hd.Set("Access-Control-Allow-Origin", h.cors)
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodOptions:
		hd.Set("Allow", "GET, HEAD, OPTIONS")
		if h.cors != "" && r.Header.Get("Access-Control-Request-Method") != "" {
			hd.Set("Access-Control-Allow-Methods", "GET, HEAD")
			hd.Set("Access-Control-Allow-Headers", "Range")
			hd.Set("Access-Control-Max-Age", "86400")
		}
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		hd.Set("Allow", "GET, HEAD, OPTIONS")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := fileName(r.URL.Path)
	if !ok || h.isSibling(name) {
		http.NotFound(w, r)
		return
	}
	f, st, err := h.open(name)
	if err != nil {
		http.NotFound(w, r) // missing, a folder, or outside the root
		return
	}
	defer func() { f.Close() }()

	hd.Set("Content-Type", contentType(name))
	if hashed.MatchString(path.Base(name)) {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	// Send the precompressed sibling the browser prefers, if any.
	var offers []string
	for _, c := range codings {
		if st, err := h.root.Stat(filepath.FromSlash(name + c.ext)); err == nil && st.Mode().IsRegular() {
			offers = append(offers, c.name)
		}
	}
	encoding := chooseEncoding(r.Header.Get("Accept-Encoding"), offers)
	if encoding != "" {
		zf, zst, err := h.open(name + codingExt(encoding))
		if err != nil {
			http.NotFound(w, r) // removed by a rebuild since the Stat
			return
		}
		f.Close()
		f, st = zf, zst
	}
	if len(offers) > 0 {
		hd.Add("Vary", "Accept-Encoding")
	}
	suffix := ""
	if encoding != "" {
		hd.Set("Content-Encoding", encoding)
		suffix = "-" + encoding
		// ServeContent leaves out Content-Length when Content-Encoding is set.
		w = &lengthWriter{ResponseWriter: w, n: st.Size()}
	}
	// Each representation (encoding) has its own validator.
	hd.Set("ETag", fmt.Sprintf(`"%x-%x%s"`, st.Size(), st.ModTime().UnixNano(), suffix))
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// fileName maps a URL path to a file name under the root: "/" and "x/"
// to their index.html. Dot segments are refused (.gitignore, temporary
// files of a build in progress).
func fileName(p string) (string, bool) {
	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	if name == "" || strings.HasSuffix(p, "/") {
		name = path.Join(name, "index.html")
	}
	for seg := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return "", false
		}
	}
	return name, !strings.ContainsAny(name, "\\\x00")
}

// isSibling reports whether name is the .br or .gz form of a file: those
// are sent only as an encoding of the file itself.
func (h *handler) isSibling(name string) bool {
	for _, c := range codings {
		if base, ok := strings.CutSuffix(name, c.ext); ok {
			if st, err := h.root.Stat(filepath.FromSlash(base)); err == nil && st.Mode().IsRegular() {
				return true
			}
		}
	}
	return false
}

// open opens a regular file (not a folder) under the root.
func (h *handler) open(name string) (*os.File, fs.FileInfo, error) {
	f, err := h.root.Open(filepath.FromSlash(name))
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = errors.New("not a regular file")
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// lengthWriter sets Content-Length on a full response.
type lengthWriter struct {
	http.ResponseWriter
	n int64
}

func (w *lengthWriter) WriteHeader(code int) {
	if code == http.StatusOK && w.Header().Get("Content-Length") == "" {
		w.Header().Set("Content-Length", strconv.FormatInt(w.n, 10))
	}
	w.ResponseWriter.WriteHeader(code)
}

// ReadFrom keeps the connection's sendfile path for the body.
func (w *lengthWriter) ReadFrom(r io.Reader) (int64, error) { return io.Copy(w.ResponseWriter, r) }

func (w *lengthWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// hashed matches the names cmd/site stamps with a content hash.
var hashed = regexp.MustCompile(`^.+\.[0-9a-f]{8}\.[A-Za-z0-9]+$`)

// types are set here rather than taken from the system's mime.types,
// which varies between machines.
var types = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// codings are the precompressed siblings, in order of preference.
var codings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

func codingExt(name string) string {
	for _, c := range codings {
		if c.name == name {
			return c.ext
		}
	}
	return ""
}

// chooseEncoding picks from offers (in order of preference) the coding
// Accept-Encoding ranks highest, or "" for the file as is: when nothing
// offered is acceptable (q=0 or not listed), or identity is listed with a
// higher q.
func chooseEncoding(accept string, offers []string) string {
	q := parseAccept(accept)
	best, bestQ := "", 0.0
	for _, o := range offers {
		v, ok := q[o]
		if !ok {
			v = q["*"] // 0 when absent
		}
		if v > bestQ {
			best, bestQ = o, v
		}
	}
	if id, ok := q["identity"]; ok && id > bestQ {
		return ""
	}
	return best
}

// parseAccept maps each coding of an Accept-Encoding value to its q.
func parseAccept(accept string) map[string]float64 {
	q := map[string]float64{}
	for part := range strings.SplitSeq(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if name == "x-gzip" {
			name = "gzip"
		}
		v := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, val, ok := strings.Cut(p, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0 // a malformed weight accepts nothing
				}
				v = f
			}
		}
		q[name] = v
	}
	return q
}
