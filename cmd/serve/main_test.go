package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandlerHeadersAndConfinement(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "app.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	os.WriteFile(filepath.Join(site, "index.html"), []byte("<!doctype html><title>x</title>"), 0o644)
	os.WriteFile(filepath.Join(root, "secret.txt"), []byte("secret"), 0o644)
	srv := httptest.NewServer(Handler(site))
	defer srv.Close()

	get := func(path string) *http.Response {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := get("/app.wasm")
	if ct := resp.Header.Get("Content-Type"); ct != "application/wasm" {
		t.Errorf("wasm Content-Type = %q, want application/wasm", ct)
	}
	resp = get("/")
	if resp.StatusCode != 200 {
		t.Errorf("GET / status %d", resp.StatusCode)
	}
	c := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(c, "default-src 'self'") || strings.Contains(c, "unsafe-inline") || strings.Contains(c, "'unsafe-eval'") {
		t.Errorf("CSP not strict: %q", c)
	}
	for _, p := range []string{"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"} {
		if resp := get(p); resp.StatusCode == 200 {
			t.Errorf("GET %s served a file outside the site", p)
		}
	}
}
