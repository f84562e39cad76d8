package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fixture is a small source tree shaped like web/, with a fake Go root
// and a fake wasm, so the tests do not depend on the real page.
type fixture struct {
	root string
	c    config
}

// fakeWasmExec is over 1 KiB even minified, so the worker gets compressed.
var fakeWasmExec = "globalThis.Go = class { constructor() { this.importObject = {}; } run() {} };\n" +
	"globalThis.GoTable = [" + strings.Repeat(`"go wasm glue",`, 100) + "];\n"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{root: root, c: config{
		web:    filepath.Join(root, "web"),
		wasm:   filepath.Join(root, "build", "emotion.wasm"),
		out:    filepath.Join(root, "static"),
		goroot: filepath.Join(root, "goroot"),
		brotli: 11,
	}}
	f.write(t, "goroot/lib/wasm/wasm_exec.js", fakeWasmExec)
	css := "body {\n  margin: 0;\n  color: #333333;\n}\n"
	for i := range 80 {
		css += fmt.Sprintf(".w%d { width: %d%%; }\n", i, i)
	}
	f.write(t, "web/worker.js", `import 'go-wasm-exec';
const go = new Go();
const wasm = new URL(EMOTION_WASM_URL, import.meta.url);
onmessage = (e) => postMessage({ wasm: String(wasm), echo: e.data, run: typeof go.run });
`)
	f.write(t, "web/app.js", `import { card } from './card.js';
const worker = new Worker(new URL(EMOTION_WORKER_URL, import.meta.url), { type: 'module' });
worker.onmessage = (e) => document.body.append(card(e.data.wasm));
`)
	f.write(t, "web/card.js", `export function card(text) {
  const li = document.createElement('li');
  li.textContent = 'loaded ' + text;
  return li;
}
`)
	f.write(t, "web/style.css", css)
	f.write(t, "web/index.html", `<!doctype html>
<html lang="en">
<head>
<link rel="stylesheet" href="style.css">
<link rel="preload" href='./emotion.wasm' as="fetch" crossorigin>
<script type="module" src=app.js></script>
<link rel="icon" href="data:,">
</head>
<body><a href="https://example.org/app.js">elsewhere</a> <a href="#top">top</a></body>
</html>
`)
	// The embedding and offline files, small stand-ins for the real ones.
	f.write(t, "web/lib/capture-worklet.js", "registerProcessor('capture', class extends AudioWorkletProcessor { process() { return true; } });\n")
	f.write(t, "web/emotion.js", "export const worker = new URL(EMOTION_WORKER_URL, import.meta.url);\n")
	f.write(t, "web/element.js", "import { worker } from './emotion.js';\ncustomElements.define('x-e', class extends HTMLElement { w = worker; });\n")
	f.write(t, "web/manifest.webmanifest", `{"name": "x", "icons": [{"src": "icons/icon.svg"}]}`+"\n")
	f.write(t, "web/icons/icon.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`+"\n")
	f.write(t, "web/sw.js", "const files = Object.values(EMOTION_MANIFEST);\nself.oninstall = () => console.log(files);\n")
	f.setWasm(t, 1)
	return f
}

func (f *fixture) write(t *testing.T, name, content string) {
	t.Helper()
	p := filepath.Join(f.root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// setWasm writes a 4 KiB fake module whose bytes depend on v.
func (f *fixture) setWasm(t *testing.T, v byte) {
	t.Helper()
	b := []byte("\x00asm\x01\x00\x00\x00")
	for i := 0; len(b) < 4096; i++ {
		b = append(b, byte(i%7)+v)
	}
	f.write(t, "build/emotion.wasm", string(b))
}

func (f *fixture) build(t *testing.T) map[string]string {
	t.Helper()
	if _, err := build(f.c); err != nil {
		t.Fatal(err)
	}
	return f.manifest(t)
}

func (f *fixture) manifest(t *testing.T) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal(f.read(t, manifestName), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fixture) read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.c.out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tree lists the output folder: name -> bytes.
func (f *fixture) tree(t *testing.T) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(f.c.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(f.c.out, p)
		m[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func keys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}

func TestBuildNamesEveryAssetByItsHash(t *testing.T) {
	f := newFixture(t)
	m := f.build(t)
	if got, want := keys(m), []string{"app.js", "capture.js", "emotion-element.js", "emotion.js", "emotion.wasm", "icons/icon.svg",
		"index.html", "manifest.webmanifest", "style.css", "sw.js", "worker.js"}; !slices.Equal(got, want) {
		t.Fatalf("manifest keys %v, want %v", got, want)
	}
	hashed := regexp.MustCompile(`^(app|capture|emotion|style|worker)\.[0-9a-f]{8}\.(js|wasm|css)$`)
	for logical, served := range m {
		data := f.read(t, served)
		switch logical {
		case "index.html", "emotion.js", "emotion-element.js", "manifest.webmanifest", "icons/icon.svg", "sw.js":
			// Named by other sites, the browser or the install: stable names.
			if served != logical {
				t.Errorf("%s served as %s, want its stable name", logical, served)
			}
			continue
		}
		sum := sha256.Sum256(data)
		if !hashed.MatchString(served) || !strings.Contains(served, "."+hex.EncodeToString(sum[:4])+".") {
			t.Errorf("%s served as %s, want its name with the first 8 hex digits of SHA-256 %x", logical, served, sum[:4])
		}
	}
	wasm, _ := os.ReadFile(f.c.wasm)
	if !bytes.Equal(f.read(t, m["emotion.wasm"]), wasm) {
		t.Error("the wasm was not copied byte for byte")
	}
	worker := string(f.read(t, m["worker.js"]))
	if !strings.Contains(worker, `"`+m["emotion.wasm"]+`"`) || strings.Contains(worker, "EMOTION_WASM_URL") {
		t.Errorf("worker bundle does not embed the wasm's served name:\n%s", worker)
	}
	if !strings.Contains(worker, "globalThis.Go=class") {
		t.Errorf("worker bundle lacks the Go root's wasm_exec.js:\n%s", worker)
	}
	app := string(f.read(t, m["app.js"]))
	if !strings.Contains(app, `"`+m["worker.js"]+`"`) || !strings.Contains(app, "loaded ") {
		t.Errorf("app bundle lacks the worker's served name or its import:\n%s", app)
	}
	if strings.Contains(app, "import ") || strings.Contains(app, "\n  ") {
		t.Errorf("app bundle is not bundled and minified:\n%s", app)
	}
	// The element bundles the module API, which names the worker; the
	// service worker lists every file built before it.
	if element := string(f.read(t, "emotion-element.js")); !strings.Contains(element, `"`+m["worker.js"]+`"`) {
		t.Errorf("element bundle lacks the worker's served name:\n%s", element)
	}
	sw := string(f.read(t, "sw.js"))
	for logical, served := range m {
		if logical != "sw.js" && !strings.Contains(sw, `"`+served+`"`) {
			t.Errorf("sw.js does not list %s (%s) to precache:\n%s", logical, served, sw)
		}
	}
	css := string(f.read(t, m["style.css"]))
	if !strings.HasPrefix(css, "body{margin:0;color:#333}") {
		t.Errorf("stylesheet not minified: %.60q", css)
	}
}

func TestPageReferencesAreRewritten(t *testing.T) {
	f := newFixture(t)
	m := f.build(t)
	page := string(f.read(t, "index.html"))
	for _, want := range []string{
		`href="` + m["style.css"] + `"`,
		`href='` + m["emotion.wasm"] + `'`,
		`src=` + m["app.js"] + `>`,
		`href="https://example.org/app.js"`, // other origins untouched
		`href="#top"`,
		`href="data:,"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s:\n%s", want, page)
		}
	}
}

func TestRewriteRef(t *testing.T) {
	built := map[string]string{"app.js": "app.11111111.js", "img/a.svg": "img/a.22222222.svg", "index.html": "index.html"}
	later := map[string]bool{"sw.js": true}
	for _, c := range []struct{ page, ref, want, err string }{
		{"index.html", "app.js", "app.11111111.js", ""},
		{"index.html", "./app.js?v=1#x", "app.11111111.js?v=1#x", ""},
		{"index.html", "img/a.svg", "img/a.22222222.svg", ""},
		{"img/page.html", "a.svg", "a.22222222.svg", ""},
		{"img/page.html", "../app.js", "../app.11111111.js", ""},
		{"index.html", "https://example.org/x.js", "https://example.org/x.js", ""},
		{"index.html", "//cdn.example/x.js", "//cdn.example/x.js", ""},
		{"index.html", "mailto:a@b", "mailto:a@b", ""},
		{"index.html", "#main", "#main", ""},
		{"index.html", "./", "./", ""},
		{"index.html", "index.html#top", "index.html#top", ""},
		{"index.html", "/app.js", "", "absolute"},
		{"index.html", "apps.js", "", "names no file"},
		{"index.html", "sw.js", "", "built after the page"},
	} {
		got, err := rewriteRef(c.ref, c.page, built, later)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("rewriteRef(%q from %s) error %v, want one containing %q", c.ref, c.page, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("rewriteRef(%q from %s) = %q, %v; want %q", c.ref, c.page, got, err, c.want)
		}
	}
}

// A changed wasm changes the name of every file that leads to it, and of
// no other: the worker names the wasm, the app names the worker, the page
// names the app.
func TestHashesChainThroughDependencies(t *testing.T) {
	f := newFixture(t)
	before := f.build(t)
	page := f.read(t, "index.html")
	f.setWasm(t, 2)
	after := f.build(t)
	for _, name := range []string{"emotion.wasm", "worker.js", "app.js"} {
		if before[name] == after[name] {
			t.Errorf("%s kept its served name %s after the wasm changed", name, before[name])
		}
	}
	if before["style.css"] != after["style.css"] {
		t.Errorf("style.css renamed %s -> %s though it did not change", before["style.css"], after["style.css"])
	}
	if bytes.Equal(page, f.read(t, "index.html")) {
		t.Error("index.html unchanged after the app's name changed")
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	f := newFixture(t)
	f.build(t)
	first := f.tree(t)
	g := *f
	g.c.out = filepath.Join(f.root, "static2")
	g.build(t)
	second := g.tree(t)
	if !slices.Equal(keys(first), keys(second)) {
		t.Fatalf("two builds wrote different files:\n%v\n%v", keys(first), keys(second))
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two builds of the same sources", name)
		}
	}
}

func TestStaleOutputsAreRemoved(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{
		"static/README.md", "static/.gitignore", // kept
		"static/app.deadbeef.js", "static/app.deadbeef.js.br", "static/wasm_exec.js", "static/emotion.wasm",
		"static/old/icons/x.png", "static/.tmp-index.html-123",
	} {
		f.write(t, name, "old")
	}
	m := f.build(t)
	var want []string
	for _, served := range m {
		want = append(want, served)
		if worthCompressing(served, len(f.read(t, served))) {
			want = append(want, served+".br", served+".gz")
		}
	}
	want = append(want, manifestName, "README.md", ".gitignore")
	slices.Sort(want)
	if got := keys(f.tree(t)); !slices.Equal(got, want) {
		t.Errorf("output holds\n%v\nwant\n%v", got, want)
	}
	if _, err := os.Stat(filepath.Join(f.c.out, "old")); !os.IsNotExist(err) {
		t.Errorf("emptied folder old/ not removed: %v", err)
	}
	if string(f.read(t, "README.md")) != "old" {
		t.Error("README.md was overwritten")
	}
}

func TestSiblingsDecompressToTheirFile(t *testing.T) {
	f := newFixture(t)
	f.build(t)
	tree := f.tree(t)
	n := 0
	for name, data := range tree {
		for _, cd := range []codec{brotliCodec(11), gzCodec} {
			z, ok := tree[name+cd.ext]
			if worthCompressing(name, len(data)) != ok {
				t.Errorf("%s (%d bytes): has %s sibling = %v", name, len(data), cd.ext, ok)
			}
			if !ok {
				continue
			}
			n++
			if !decodes(cd, z, data) {
				t.Errorf("%s%s does not decompress to %s", name, cd.ext, name)
			}
			if len(z) >= len(data) {
				t.Errorf("%s%s (%d bytes) is not smaller than %s (%d)", name, cd.ext, len(z), name, len(data))
			}
		}
	}
	if n < 6 { // wasm, worker, css: each .br and .gz
		t.Errorf("only %d compressed siblings", n)
	}
}

func TestWorthCompressing(t *testing.T) {
	for _, c := range []struct {
		name string
		size int
		want bool
	}{
		{"a.wasm", 1024, true}, {"a.wasm", 1023, false}, {"a.js", 5000, true}, {"a.css", 5000, true},
		{"index.html", 5000, true}, {"manifest.json", 5000, true}, {"i.svg", 5000, true},
		{"i.png", 5000, false}, {"README", 5000, false},
	} {
		if got := worthCompressing(c.name, c.size); got != c.want {
			t.Errorf("worthCompressing(%s, %d) = %v", c.name, c.size, got)
		}
	}
}

// The cache gives the same bytes as compressing afresh, ignores an entry
// that does not decode to its input, and keeps only the last build's.
func TestCompressionCache(t *testing.T) {
	f := newFixture(t)
	f.c.cache = filepath.Join(f.root, "cache")
	f.build(t)
	fresh := f.tree(t)
	des, _ := os.ReadDir(f.c.cache)
	if len(des) != 6 {
		t.Fatalf("cache holds %d files, want 6 (.br and .gz of wasm, worker, css)", len(des))
	}
	for _, de := range des {
		if !cacheName.MatchString(de.Name()) {
			t.Errorf("cache file %s not named by hash", de.Name())
		}
		os.WriteFile(filepath.Join(f.c.cache, de.Name()), []byte("corrupt"), 0o644)
	}
	f.write(t, "cache/unrelated.txt", "not ours")
	f.build(t)
	for name, b := range f.tree(t) {
		if !bytes.Equal(b, fresh[name]) {
			t.Errorf("%s differs when built over a corrupt cache", name)
		}
	}
	f.setWasm(t, 3)
	f.build(t)
	des, _ = os.ReadDir(f.c.cache)
	if len(des) != 7 {
		t.Errorf("cache holds %d files after a rebuild, want the 6 in use and unrelated.txt", len(des))
	}
}

func TestBuildFailsClearly(t *testing.T) {
	for _, c := range []struct {
		name   string
		break_ func(*testing.T, *fixture)
		want   []string
	}{
		{"missing wasm", func(t *testing.T, f *fixture) { os.Remove(f.c.wasm) }, []string{"emotion.wasm: source missing"}},
		{"not wasm", func(t *testing.T, f *fixture) { f.write(t, "build/emotion.wasm", "<html>") }, []string{"not a WebAssembly module"}},
		{"missing source", func(t *testing.T, f *fixture) { os.Remove(filepath.Join(f.c.web, "app.js")) }, []string{"app.js: source missing"}},
		{"syntax error", func(t *testing.T, f *fixture) { f.write(t, "web/card.js", "export function card( {\n") },
			[]string{"app.js: esbuild found", "card.js:2:"}},
		{"missing import", func(t *testing.T, f *fixture) {
			f.write(t, "web/card.js", "import './nope.js';\nexport const card = 1;\n")
		},
			[]string{"Could not resolve", "./nope.js"}},
		{"npm import", func(t *testing.T, f *fixture) {
			f.write(t, "web/card.js", "import 'left-pad';\nexport const card = 1;\n")
		},
			[]string{`cannot import "left-pad"`}},
		{"no wasm_exec.js", func(t *testing.T, f *fixture) { os.Remove(filepath.Join(f.c.goroot, "lib/wasm/wasm_exec.js")) },
			[]string{"wasm_exec.js is missing"}},
		{"warning", func(t *testing.T, f *fixture) {
			f.write(t, "web/card.js", "export const card = (x) => x === -0 ? {a: 1, a: 2} : x;\n")
		},
			[]string{"warning", "Duplicate key"}},
		{"define used too early", func(t *testing.T, f *fixture) {
			f.write(t, "web/worker.js", "import 'go-wasm-exec';\npostMessage(EMOTION_WORKER_URL);\n")
		}, []string{"worker.js: uses EMOTION_WORKER_URL"}},
		{"page names a missing file", func(t *testing.T, f *fixture) {
			f.write(t, "web/index.html", `<script type="module" src="main.js"></script>`)
		}, []string{`index.html: reference "main.js" names no file`}},
		{"output is a source tree", func(t *testing.T, f *fixture) { f.write(t, "static/go.mod", "module x\n") },
			[]string{"looks like a source tree"}},
		{"output holds the sources", func(t *testing.T, f *fixture) { f.c.out = f.root }, []string{"holds the sources"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.write(t, "static/README.md", "mine")
			c.break_(t, f)
			_, err := build(f.c)
			if err == nil {
				t.Fatal("build succeeded")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
			if _, err := os.Stat(filepath.Join(f.root, "static/README.md")); err != nil {
				t.Errorf("a failed build touched the output folder: %v", err)
			}
		})
	}
}

func TestSiteListIsValid(t *testing.T) {
	entries := site(config{wasm: "x.wasm"})
	if err := checkEntries(entries); err != nil {
		t.Fatal(err)
	}
	// The defines the page's sources rely on (web/README.md).
	defs := map[string]string{}
	for _, e := range entries {
		defs[e.define] = e.name
	}
	if defs["EMOTION_WASM_URL"] != "emotion.wasm" || defs["EMOTION_WORKER_URL"] != "worker.js" {
		t.Errorf("defines %v do not match web/README.md", defs)
	}
	for _, bad := range [][]entry{
		{{name: "a.js"}, {name: "a.js"}},
		{{name: "../a.js"}},
		{{name: "README.md"}},
		{{name: "a.js", define: "X"}, {name: "b.js", define: "X"}},
		{{name: "a.js", define: "EMOTION_MANIFEST"}},
	} {
		if err := checkEntries(bad); err == nil {
			t.Errorf("checkEntries(%v) accepted it", bad)
		}
	}
}

func TestEveryScriptGetsTheManifestSoFar(t *testing.T) {
	d := scriptDefines("sub/sw.js", map[string]string{"app.js": "app.1.js", "index.html": "index.html"},
		map[string]string{"EMOTION_APP": "app.js"})
	if d["EMOTION_APP"] != `"../app.1.js"` {
		t.Errorf("EMOTION_APP = %s", d["EMOTION_APP"])
	}
	if d[manifestDefine] != `{"app.js":"../app.1.js","index.html":"../index.html"}` {
		t.Errorf("%s = %s", manifestDefine, d[manifestDefine])
	}
}

// The page's real sources build and meet the contract of web/README.md.
func TestWebSourcesMeetTheContract(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	f := newFixture(t) // for its fake wasm only
	f.c.web = filepath.Join("..", "..", "web")
	f.c.goroot = strings.TrimSpace(string(goroot))
	m := f.build(t)
	for _, name := range []string{"index.html", "app.js", "worker.js", "style.css", "emotion.wasm"} {
		if m[name] == "" {
			t.Errorf("manifest lacks %s: %v", name, m)
		}
	}
	worker := string(f.read(t, m["worker.js"]))
	if !strings.Contains(worker, `"`+m["emotion.wasm"]+`"`) || !strings.Contains(worker, "_makeFuncWrapper") {
		t.Error("the worker bundle lacks the wasm's served name or the Go toolchain's wasm_exec.js")
	}
	// web/lib/go-kernels.js: the SIMD kernels' import modules, without
	// which the Go wasm does not instantiate.
	for _, s := range []string{`"dspsimd"`, `"sgemmsimd"`, "new WebAssembly.Instance("} {
		if !strings.Contains(worker, s) {
			t.Errorf("the worker bundle lacks web/lib/go-kernels.js (the Go wasm's kernel imports): no %s", s)
		}
	}
	if app := string(f.read(t, m["app.js"])); !strings.Contains(app, `"`+m["worker.js"]+`"`) {
		t.Error("the app bundle lacks the worker's served name")
	}
	page := string(f.read(t, "index.html"))
	for _, name := range []string{"app.js", "style.css"} {
		if !strings.Contains(page, `"`+m[name]+`"`) {
			t.Errorf("index.html does not reference %s as %s", name, m[name])
		}
	}
}
