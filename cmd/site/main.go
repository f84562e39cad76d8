// Command site builds the deployable site (static/) from the page's sources
// (web/) and the Go WebAssembly build of ./wasm.
//
//	go run ./cmd/site -web web -wasm build/site/emotion.wasm -out static
//
// It bundles and minifies the scripts and styles with esbuild's Go API,
// stamps each asset's name with a hash of its final bytes, rewrites the
// page's references to those names, writes manifest.json (logical name ->
// served name), precompresses large text and wasm files (.br and .gz), and
// removes what earlier builds left in the output folder. The contract with
// the sources is in web/README.md; the files and their order are in site.go.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

func main() {
	var c config
	flag.StringVar(&c.web, "web", "web", "folder of the page's sources")
	flag.StringVar(&c.wasm, "wasm", "", "the GOOS=js GOARCH=wasm build of ./wasm (required)")
	flag.StringVar(&c.out, "out", "static", "site folder to write; earlier build outputs in it are removed")
	flag.StringVar(&c.cache, "cache", "", "folder keeping compressed files between builds (optional; brotli at best quality takes minutes on the wasm)")
	flag.StringVar(&c.goroot, "goroot", "", "Go root whose lib/wasm/wasm_exec.js is bundled (default: `go env GOROOT`)")
	flag.IntVar(&c.brotli, "brotli-quality", 11, "brotli quality 0-11; below 11 only to iterate faster (11 takes minutes on the wasm)")
	quiet := flag.Bool("q", false, "do not print the size table")
	flag.Parse()
	if flag.NArg() > 0 {
		fail(fmt.Errorf("unexpected arguments %q", flag.Args()))
	}
	if c.wasm == "" {
		fail(fmt.Errorf("-wasm is required: the GOOS=js GOARCH=wasm build of ./wasm"))
	}
	if c.goroot == "" {
		out, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			fail(fmt.Errorf("finding GOROOT for wasm_exec.js (pass -goroot): %v", err))
		}
		c.goroot = strings.TrimSpace(string(out))
	}
	files, err := build(c)
	if err != nil {
		fail(err)
	}
	if !*quiet {
		printSizes(os.Stdout, c.out, files)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "site:", err)
	os.Exit(1)
}
