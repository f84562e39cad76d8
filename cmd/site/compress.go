package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/andybalholm/brotli"
)

// minCompressed is the size below which a file is sent as is: the saving
// would be a few hundred bytes at most.
const minCompressed = 1024

// compressible are the types that shrink (wasm code compresses about 8:1).
var compressible = map[string]bool{
	".wasm": true, ".js": true, ".mjs": true, ".css": true, ".html": true,
	".json": true, ".webmanifest": true, ".svg": true, ".txt": true,
}

// brotliWindow is the log2 window for n bytes: the smallest that holds
// them, up to 24, the largest every browser's decoder accepts. A window
// larger than the input gains nothing and costs memory (at quality 11,
// 8 bytes per window byte).
func brotliWindow(n int) int {
	w := 10
	for w < 24 && 1<<w-16 < n {
		w++
	}
	return w
}

// codec is one precompression.
type codec struct {
	ext      string // sibling suffix: ".br", ".gz"
	id       string // identifies the exact compressor, so a cache never mixes outputs
	compress func(io.Writer, []byte) error
	decode   func(io.Reader) (io.Reader, error)
}

// brotliCodec compresses at quality q: 11 (best) for what ships; lower
// ones only to iterate faster, since 11 takes minutes on the wasm.
func brotliCodec(q int) codec {
	return codec{
		ext: ".br",
		id:  fmt.Sprintf("br%d-%s", q, moduleVersion("github.com/andybalholm/brotli")),
		compress: func(w io.Writer, data []byte) error {
			bw := brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: q, LGWin: brotliWindow(len(data))})
			if _, err := bw.Write(data); err != nil {
				return err
			}
			return bw.Close()
		},
		decode: func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
}

var (
	gzCodec = codec{
		ext: ".gz",
		id:  "gz9-" + runtime.Version(),
		compress: func(w io.Writer, data []byte) error {
			// The zero header (no name, no time) keeps the output a function of data.
			gw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
			if err != nil {
				return err
			}
			if _, err := gw.Write(data); err != nil {
				return err
			}
			return gw.Close()
		},
		decode: func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	}
)

func moduleVersion(mod string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == mod {
				return d.Version
			}
		}
	}
	return "unknown"
}

// worthCompressing says whether a file gets .br and .gz siblings.
func worthCompressing(name string, size int) bool {
	return size >= minCompressed && compressible[path.Ext(name)]
}

// compressAll fills in the siblings of the files worth compressing, all
// in parallel (the wasm's brotli dominates). A sibling that would not be
// smaller than the file is dropped.
func compressAll(files []file, c *cache, brQuality int) error {
	brCodec := brotliCodec(brQuality)
	var wg sync.WaitGroup
	errs := make([]error, 2*len(files))
	for i := range files {
		f := &files[i]
		if !worthCompressing(f.name, len(f.data)) {
			continue
		}
		for j, cd := range []struct {
			codec
			dst *[]byte
		}{{brCodec, &f.br}, {gzCodec, &f.gz}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				z, err := c.compressed(cd.codec, f.name, f.data)
				if err != nil {
					errs[2*i+j] = fmt.Errorf("%s%s: %w", f.name, cd.ext, err)
					return
				}
				if len(z) < len(f.data) {
					*cd.dst = z
				}
			}()
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// decodes reports whether z decompresses with cd to exactly data.
func decodes(cd codec, z, data []byte) bool {
	r, err := cd.decode(bytes.NewReader(z))
	if err != nil {
		return false
	}
	got, err := io.ReadAll(io.LimitReader(r, int64(len(data))+1))
	return err == nil && bytes.Equal(got, data)
}

// cache keeps compressed files between builds in a folder, named by the
// SHA-256 of the input and the compressor, so an unchanged wasm is not
// compressed again. An entry is used only if it decompresses to the input.
type cache struct {
	dir  string
	mu   sync.Mutex
	used map[string]bool
}

func newCache(dir string) *cache { return &cache{dir: dir, used: map[string]bool{}} }

var cacheName = regexp.MustCompile(`^[0-9a-f]{64}\.[^/]+\.(br|gz)$`)

func (c *cache) compressed(cd codec, name string, data []byte) ([]byte, error) {
	if c.dir == "" {
		return compress(cd, name, data)
	}
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:]) + "." + cd.id + cd.ext
	c.mu.Lock()
	c.used[key] = true
	c.mu.Unlock()
	p := filepath.Join(c.dir, key)
	if z, err := os.ReadFile(p); err == nil && decodes(cd, z, data) {
		return z, nil
	}
	z, err := compress(cd, name, data)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return nil, err
	}
	return z, writeAtomic(p, z)
}

func compress(cd codec, name string, data []byte) ([]byte, error) {
	if len(data) >= 1<<20 {
		fmt.Fprintf(os.Stderr, "site: compressing %s (%.1f MB) with %s\n", name, float64(len(data))/1e6, cd.id)
	}
	var b bytes.Buffer
	if err := cd.compress(&b, data); err != nil {
		return nil, err
	}
	if !decodes(cd, b.Bytes(), data) {
		return nil, fmt.Errorf("%s output does not decompress to its input", cd.id)
	}
	return b.Bytes(), nil
}

// prune removes the cache entries this build did not use, so the cache
// holds one build's worth.
func (c *cache) prune() error {
	if c.dir == "" {
		return nil
	}
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return nil // nothing was cached
	}
	for _, de := range des {
		if cacheName.MatchString(de.Name()) && !c.used[de.Name()] {
			if err := os.Remove(filepath.Join(c.dir, de.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
