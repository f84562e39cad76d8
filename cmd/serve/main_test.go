package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// site is a small built site: hashed and stable names, precompressed
// siblings for some, a folder, a dotfile, and a secret beside it.
type site struct {
	dir   string
	files map[string][]byte // name -> bytes as is
}

func newSite(t *testing.T) *site {
	t.Helper()
	root := t.TempDir()
	s := &site{dir: filepath.Join(root, "static"), files: map[string][]byte{}}
	big := func(prefix string) []byte {
		return []byte(prefix + strings.Repeat("0123456789abcdef ", 200))
	}
	s.put(t, "index.html", big("<!doctype html><title>x</title>"), true)
	s.put(t, "app.1a2b3c4d.js", big("console.log(1);//"), true)
	s.put(t, "emotion.0badc0de.wasm", append([]byte("\x00asm\x01\x00\x00\x00"), big("")...), true)
	s.put(t, "style.9f8e7d6c.css", []byte("body{margin:0}"), false)
	s.put(t, "manifest.json", []byte(`{"app.js":"app.1a2b3c4d.js"}`), false)
	s.put(t, "site.webmanifest", []byte(`{"name":"x"}`), false)
	s.put(t, "icon.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), false)
	s.put(t, "sub/page.txt", []byte("in a folder"), false)
	s.put(t, "data.bin", []byte{1, 2, 3}, false)
	s.put(t, ".gitignore", []byte("*\n"), false)
	if err := os.WriteFile(filepath.Join(root, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(s.dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	return s
}

// put writes name, with .br and .gz siblings when compress is set.
func (s *site) put(t *testing.T, name string, data []byte, compress bool) {
	t.Helper()
	write := func(name string, data []byte) {
		p := filepath.Join(s.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s.files[name] = data
	write(name, data)
	if !compress {
		return
	}
	var b bytes.Buffer
	bw := brotli.NewWriterLevel(&b, brotli.BestCompression)
	bw.Write(data)
	bw.Close()
	write(name+".br", bytes.Clone(b.Bytes()))
	b.Reset()
	gw := gzip.NewWriter(&b)
	gw.Write(data)
	gw.Close()
	write(name+".gz", b.Bytes())
}

func (s *site) sibling(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// server serves the site; its client neither asks for nor undoes
// compression by itself, so the tests see exactly what was sent.
func (s *site) server(t *testing.T, cors string) (*httptest.Server, *http.Client) {
	t.Helper()
	h, err := newHandler(s.dir, cors)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, &http.Client{Transport: &http.Transport{DisableCompression: true}}
}

type response struct {
	*http.Response
	body []byte
}

func do(t *testing.T, c *http.Client, method, url string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp, b}
}

func TestContentTypes(t *testing.T) {
	s := newSite(t)
	srv, c := s.server(t, "")
	for path, want := range map[string]string{
		"/":                      "text/html; charset=utf-8",
		"/index.html":            "text/html; charset=utf-8",
		"/app.1a2b3c4d.js":       "text/javascript; charset=utf-8",
		"/style.9f8e7d6c.css":    "text/css; charset=utf-8",
		"/emotion.0badc0de.wasm": "application/wasm",
		"/manifest.json":         "application/json",
		"/site.webmanifest":      "application/manifest+json",
		"/icon.svg":              "image/svg+xml",
		"/data.bin":              "application/octet-stream",
	} {
		for _, ae := range []string{"", "br"} { // the type is the file's, whatever the encoding
			r := do(t, c, "GET", srv.URL+path, "Accept-Encoding", ae)
			if r.StatusCode != 200 || r.Header.Get("Content-Type") != want {
				t.Errorf("GET %s (Accept-Encoding %q): %d, Content-Type %q; want 200, %q",
					path, ae, r.StatusCode, r.Header.Get("Content-Type"), want)
			}
		}
	}
}

// Every response, errors included, carries the security headers.
func TestSecurityHeaders(t *testing.T) {
	s := newSite(t)
	srv, c := s.server(t, "")
	for _, r := range []response{
		do(t, c, "GET", srv.URL+"/"),
		do(t, c, "GET", srv.URL+"/emotion.0badc0de.wasm", "Accept-Encoding", "br"),
		do(t, c, "GET", srv.URL+"/missing.js"),
		do(t, c, "POST", srv.URL+"/"),
	} {
		where := fmt.Sprintf("%s %s (%d)", r.Request.Method, r.Request.URL.Path, r.StatusCode)
		p := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval';",
			"worker-src 'self'", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(p, want) {
				t.Errorf("%s: CSP lacks %q: %s", where, want, p)
			}
		}
		for _, bad := range []string{"'unsafe-inline'", " 'unsafe-eval'", "http:", "https:", " *", "data: ;"} {
			if strings.Contains(p, bad) {
				t.Errorf("%s: CSP allows %q: %s", where, bad, p)
			}
		}
		for k, want := range map[string]string{
			"X-Content-Type-Options":       "nosniff",
			"Referrer-Policy":              "no-referrer",
			"Cross-Origin-Resource-Policy": "cross-origin",
		} {
			if got := r.Header.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", where, k, got, want)
			}
		}
		if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Origin %q without -cors", where, got)
		}
	}
}

func TestCacheControl(t *testing.T) {
	s := newSite(t)
	srv, c := s.server(t, "")
	const forever = "public, max-age=31536000, immutable"
	for path, want := range map[string]string{
		"/app.1a2b3c4d.js":       forever,
		"/emotion.0badc0de.wasm": forever,
		"/style.9f8e7d6c.css":    forever,
		"/":                      "no-cache",
		"/index.html":            "no-cache",
		"/manifest.json":         "no-cache",
		"/site.webmanifest":      "no-cache",
	} {
		for _, ae := range []string{"", "br", "gzip"} {
			r := do(t, c, "GET", srv.URL+path, "Accept-Encoding", ae)
			if got := r.Header.Get("Cache-Control"); got != want {
				t.Errorf("GET %s (Accept-Encoding %q): Cache-Control %q, want %q", path, ae, got, want)
			}
		}
	}
}

func TestEncodingNegotiation(t *testing.T) {
	s := newSite(t)
	srv, c := s.server(t, "")
	decode := map[string]func([]byte) ([]byte, error){
		"":   func(b []byte) ([]byte, error) { return b, nil },
		"br": func(b []byte) ([]byte, error) { return io.ReadAll(brotli.NewReader(bytes.NewReader(b))) },
		"gzip": func(b []byte) ([]byte, error) {
			z, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return io.ReadAll(z)
		},
	}
	for _, tc := range []struct{ accept, want string }{
		{"gzip, deflate, br, zstd", "br"}, // Chromium's
		{"br", "br"},
		{"BR;Q=1", "br"},
		{"gzip, deflate", "gzip"},
		{"x-gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"br;q=0.4, gzip;q=0.5", "gzip"},
		{"br;q=0.5, gzip;q=0.5", "br"}, // a tie goes to the smaller file
		{"*", "br"},
		{"*;q=0.1, br;q=0", "gzip"},
		{"", ""},
		{"identity", ""},
		{"deflate", ""},
		{"*;q=0", ""},
		{"br;q=0, gzip;q=0", ""},
		{"br;q=0.5, identity", ""},
		{"br;q=nonsense", ""},
	} {
		for _, name := range []string{"emotion.0badc0de.wasm", "app.1a2b3c4d.js", "index.html"} {
			r := do(t, c, "GET", srv.URL+"/"+name, "Accept-Encoding", tc.accept)
			where := fmt.Sprintf("GET /%s, Accept-Encoding %q", name, tc.accept)
			if got := r.Header.Get("Content-Encoding"); got != tc.want {
				t.Errorf("%s: Content-Encoding %q, want %q", where, got, tc.want)
				continue
			}
			if got := r.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("%s: Vary %q, want Accept-Encoding", where, got)
			}
			if r.ContentLength != int64(len(r.body)) || r.Header.Get("Content-Length") == "" {
				t.Errorf("%s: Content-Length %q for %d bytes", where, r.Header.Get("Content-Length"), len(r.body))
			}
			plain, err := decode[tc.want](r.body)
			if err != nil || !bytes.Equal(plain, s.files[name]) {
				t.Errorf("%s: body does not decode to the file (%v)", where, err)
			}
			if tc.want != "" && len(r.body) >= len(s.files[name]) {
				t.Errorf("%s: %d bytes sent for a %d-byte file", where, len(r.body), len(s.files[name]))
			}
		}
	}
	// A file without siblings is sent as is, and does not vary.
	r := do(t, c, "GET", srv.URL+"/style.9f8e7d6c.css", "Accept-Encoding", "br, gzip")
	if r.Header.Get("Content-Encoding") != "" || r.Header.Get("Vary") != "" || string(r.body) != "body{margin:0}" {
		t.Errorf("file without siblings: Content-Encoding %q, Vary %q, body %q",
			r.Header.Get("Content-Encoding"), r.Header.Get("Vary"), r.body)
	}
}

// Ranges and validators apply to the representation sent.
func TestRangesAndValidators(t *testing.T) {
	s := newSite(t)
	srv, c := s.server(t, "")
	const name = "emotion.0badc0de.wasm"
	br := s.sibling(t, name+".br")
	r := do(t, c, "GET", srv.URL+"/"+name, "Accept-Encoding", "br", "Range", "bytes=2-9")
	if r.StatusCode != 206 || !bytes.Equal(r.body, br[2:10]) || r.Header.Get("Content-Encoding") != "br" ||
		r.Header.Get("Content-Range") != fmt.Sprintf("bytes 2-9/%d", len(br)) || r.ContentLength != 8 {
		t.Errorf("range of the br file: %d, Content-Range %q, Content-Length %d, body %q",
			r.StatusCode, r.Header.Get("Content-Range"), r.ContentLength, r.body)
	}
	r = do(t, c, "GET", srv.URL+"/"+name, "Range", "bytes=0-3")
	if r.StatusCode != 206 || string(r.body) != "\x00asm" {
		t.Errorf("range of the file as is: %d, %q", r.StatusCode, r.body)
	}

	brTag := do(t, c, "GET", srv.URL+"/"+name, "Accept-Encoding", "br").Header.Get("ETag")
	gzTag := do(t, c, "GET", srv.URL+"/"+name, "Accept-Encoding", "gzip").Header.Get("ETag")
	idTag := do(t, c, "GET", srv.URL+"/"+name).Header.Get("ETag")
	if brTag == "" || brTag == gzTag || brTag == idTag || gzTag == idTag {
		t.Errorf("ETags of the three representations: %q %q %q, want distinct", brTag, gzTag, idTag)
	}
	r = do(t, c, "GET", srv.URL+"/"+name, "Accept-Encoding", "br", "If-None-Match", brTag)
	if r.StatusCode != 304 || len(r.body) != 0 {
		t.Errorf("If-None-Match with the br ETag: %d, %d bytes", r.StatusCode, len(r.body))
	}
	r = do(t, c, "GET", srv.URL+"/"+name, "If-None-Match", brTag)
	if r.StatusCode != 200 {
		t.Errorf("the br ETag matched the file as is: %d", r.StatusCode)
	}
	r = do(t, c, "GET", srv.URL+"/"+name, "Accept-Encoding", "br", "If-Match", `"other"`)
	if r.StatusCode != 412 || len(r.body) != 0 {
		t.Errorf("If-Match mismatch: %d, %d bytes", r.StatusCode, len(r.body))
	}

	r = do(t, c, "HEAD", srv.URL+"/"+name, "Accept-Encoding", "br")
	if r.StatusCode != 200 || r.ContentLength != int64(len(br)) || len(r.body) != 0 {
		t.Errorf("HEAD with br: %d, Content-Length %d (want %d), %d body bytes",
			r.StatusCode, r.ContentLength, len(br), len(r.body))
	}
}

func TestRefusals(t *testing.T) {
	s := newSite(t)
	srv, c := s.server(t, "")
	for _, p := range []string{
		"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/sub/../../secret.txt", "/%2e%2e%5csecret.txt",
		"/link.txt",     // a symlink out of the folder
		"/sub/", "/sub", // no listings
		"/.gitignore", "/sub/.hidden", // dotfiles
		"/app.1a2b3c4d.js.br", "/index.html.gz", // siblings are only sent as an encoding
		"/missing.js", "/app.1a2b3c4d.js/", "/x%00.js",
	} {
		req, err := http.NewRequest("GET", srv.URL+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = p // sent exactly as written, not cleaned by the client
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || bytes.Contains(b, []byte("secret")) || bytes.Contains(b, []byte("page.txt")) {
			t.Errorf("GET %s: %d %q, want 404", p, resp.StatusCode, b)
		}
	}
	if r := do(t, c, "GET", srv.URL+"/sub/page.txt"); r.StatusCode != 200 || string(r.body) != "in a folder" {
		t.Errorf("GET /sub/page.txt: %d %q", r.StatusCode, r.body)
	}
	r := do(t, c, "POST", srv.URL+"/index.html")
	if r.StatusCode != 405 || r.Header.Get("Allow") != "GET, HEAD, OPTIONS" {
		t.Errorf("POST: %d, Allow %q", r.StatusCode, r.Header.Get("Allow"))
	}
}

func TestCORS(t *testing.T) {
	s := newSite(t)
	for _, origin := range []string{"*", "http://127.0.0.1:8081"} {
		srv, c := s.server(t, origin)
		for _, p := range []string{"/emotion.0badc0de.wasm", "/app.1a2b3c4d.js", "/missing"} {
			r := do(t, c, "GET", srv.URL+p, "Origin", "http://127.0.0.1:8081", "Accept-Encoding", "br")
			if got := r.Header.Get("Access-Control-Allow-Origin"); got != origin {
				t.Errorf("-cors %s, GET %s: Access-Control-Allow-Origin %q", origin, p, got)
			}
		}
		r := do(t, c, "OPTIONS", srv.URL+"/emotion.0badc0de.wasm", "Origin", "http://127.0.0.1:8081",
			"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "range")
		if r.StatusCode != 204 || r.Header.Get("Access-Control-Allow-Origin") != origin ||
			!strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "GET") ||
			!strings.EqualFold(r.Header.Get("Access-Control-Allow-Headers"), "range") {
			t.Errorf("-cors %s: preflight %d %v", origin, r.StatusCode, r.Header)
		}
	}
	for _, bad := range []string{"127.0.0.1:8081", "http://x/path", "ftp://x", "http://", "http://x?y", "**"} {
		if _, err := newHandler(s.dir, bad); err == nil {
			t.Errorf("-cors %q accepted", bad)
		}
	}
	if _, err := newHandler(filepath.Join(s.dir, "missing"), ""); err == nil {
		t.Error("a missing folder accepted")
	}
}

func TestChooseEncoding(t *testing.T) {
	for _, tc := range []struct {
		accept string
		offers []string
		want   string
	}{
		{"br, gzip", []string{"gzip"}, "gzip"}, // only .gz on disk
		{"br", []string{"gzip"}, ""},
		{"gzip;q=1.5", []string{"gzip"}, ""}, // out of range
		{" gzip ; q = 0.8 ", []string{"br", "gzip"}, "gzip"},
		{"br, gzip", nil, ""},
	} {
		if got := chooseEncoding(tc.accept, tc.offers); got != tc.want {
			t.Errorf("chooseEncoding(%q, %v) = %q, want %q", tc.accept, tc.offers, got, tc.want)
		}
	}
}
