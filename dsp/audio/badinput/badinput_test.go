package badinput

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// codes are the error codes a kind may expect: audio.Code's and the
// pipeline's (model.Code).
var codes = []string{"empty", "not_audio", "truncated", "invalid", "unsupported", "no_samples",
	"too_large", "too_long", "no_speech", "too_short"}

func TestKinds(t *testing.T) {
	kinds := Kinds()
	if len(kinds) < 40 {
		t.Fatalf("%d kinds, want at least 40", len(kinds))
	}
	seen := map[string]bool{}
	families := map[string]int{}
	for _, k := range kinds {
		if seen[k.Name] || seen[k.File] {
			t.Errorf("%s: name or file %q used twice", k.Name, k.File)
		}
		seen[k.Name], seen[k.File] = true, true
		families[k.Family]++
		if !strings.HasPrefix(k.File, k.Name+".") || k.What == "" {
			t.Errorf("%s: file %q, what %q", k.Name, k.File, k.What)
		}
		if k.Want != Result && !strings.Contains(" "+strings.Join(codes, " ")+" ", " "+k.Want+" ") {
			t.Errorf("%s: want %q is not a result or a known code", k.Name, k.Want)
		}
	}
	if len(families) != 3 || families["wav"] < 10 || families["mp3"] < 10 || families["other"] < 10 {
		t.Errorf("families %v", families)
	}
}

// TestBytesStable checks that every kind gives the same bytes on every
// call and through every accessor, and that the large kinds stream.
func TestBytesStable(t *testing.T) {
	for _, k := range Kinds() {
		h1, h2 := sha256.New(), sha256.New()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		n, err := k.WriteTo(h1)
		runtime.ReadMemStats(&m1)
		if err != nil || n != k.Size() {
			t.Errorf("%s: WriteTo %d bytes, %v; Size %d", k.Name, n, err, k.Size())
		}
		if n > 1<<20 {
			// Streamed in blocks: generating it allocates a small part of its size.
			if a := m1.TotalAlloc - m0.TotalAlloc; a > uint64(n)/8 {
				t.Errorf("%s: writing %d bytes allocated %d", k.Name, n, a)
			}
			continue
		}
		h2.Write(k.Bytes())
		if !bytes.Equal(h1.Sum(nil), h2.Sum(nil)) {
			t.Errorf("%s: Bytes and WriteTo differ", k.Name)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corpus")
	man, err := Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var read []ManifestEntry
	if err := json.Unmarshal(b, &read); err != nil || len(read) != len(Kinds()) || len(man) != len(read) {
		t.Fatalf("manifest: %d entries (returned %d), %v", len(read), len(man), err)
	}
	for i, k := range Kinds() {
		e := read[i]
		f, err := os.Open(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		h1, h2 := sha256.New(), sha256.New()
		n, _ := io.Copy(h1, f)
		f.Close()
		k.WriteTo(h2)
		if e.Name != k.Name || e.Want != k.Want || n != e.Bytes || !bytes.Equal(h1.Sum(nil), h2.Sum(nil)) {
			t.Errorf("entry %d %+v: file holds %d bytes, kind %s", i, e, n, k.Name)
		}
	}
}
