// Command serve serves the built site (static/) on loopback.
//
// It sets the headers the page relies on: application/wasm for .wasm
// (needed by WebAssembly.instantiateStreaming), a strict
// Content-Security-Policy that allows nothing from other origins, and
// no-cache so a rebuilt site is picked up on reload.
package main

import (
	"flag"
	"log"
	"mime"
	"net/http"
	"os"
	"time"
)

// csp allows only this origin; 'wasm-unsafe-eval' is what compiling
// WebAssembly needs, and it grants no JS eval.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"worker-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"

func main() {
	dir := flag.String("dir", "static", "directory to serve")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		log.Fatalf("serve: %s is not a directory (run ./build.sh build first)", *dir)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           Handler(*dir),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("serving %s on http://%s", *dir, *addr)
	log.Fatal(srv.ListenAndServe())
}

// Handler serves files under dir with the site's headers.
// http.FileServer with http.Dir already refuses paths outside dir.
func Handler(dir string) http.Handler {
	_ = mime.AddExtensionType(".wasm", "application/wasm")
	_ = mime.AddExtensionType(".js", "text/javascript; charset=utf-8")
	fs := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		fs.ServeHTTP(w, r)
	})
}
