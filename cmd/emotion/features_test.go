package main

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"codeberg.org/sbinet/npyio"
)

// goldenDir is where librosa's outputs live; build.sh sets EMOTION_GOLDEN.
func goldenDir(t *testing.T) string {
	d := os.Getenv("EMOTION_GOLDEN")
	if d == "" {
		d = "../../../shared/golden"
	}
	if _, err := os.Stat(filepath.Join(d, "README.md")); err != nil {
		t.Fatalf("librosa goldens not found at %s (set EMOTION_GOLDEN): %v", d, err)
	}
	return d
}

func readNPY(t *testing.T, path string) ([]float32, []int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := npyio.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var v []float32
	if err := r.Read(&v); err != nil {
		t.Fatal(err)
	}
	shape := r.Header.Descr.Shape
	if r.Header.Descr.Fortran && len(shape) == 2 {
		// Some goldens are stored column-major; give them in C order.
		c := make([]float32, len(v))
		for i := range shape[0] {
			for j := range shape[1] {
				c[i*shape[1]+j] = v[j*shape[0]+i]
			}
		}
		v = c
	}
	return v, shape
}

// The features command writes what librosa computes, at native resolution.
// Tight parity lives in package dsp's tests; this checks the plumbing
// (decoding, shapes, npy layout) with a tolerance far above float noise
// and far below any layout mistake.
func TestFeaturesMatchLibrosa(t *testing.T) {
	g := goldenDir(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	wav := filepath.Join(g, "03-01-05-02-01-01-01.wav")
	if st := run([]string{"features", wav, "-o", out}, &stdout, &stderr); st != 0 {
		t.Fatalf("status %d: %s", st, stderr.String())
	}
	for _, name := range []string{"logmel", "chroma", "logstft"} {
		got, gs := readNPY(t, filepath.Join(out, name+".npy"))
		want, ws := readNPY(t, filepath.Join(g, "03-01-05-02-01-01-01."+name+".npy"))
		if len(gs) != 2 || gs[0] != ws[0] || gs[1] != ws[1] {
			t.Fatalf("%s shape %v, librosa %v", name, gs, ws)
		}
		worst := 0.0
		for i := range got {
			worst = max(worst, math.Abs(float64(got[i]-want[i])))
		}
		if worst > 0.05 {
			t.Errorf("%s differs from librosa by up to %g", name, worst)
		}
	}
	img, shape := readNPY(t, filepath.Join(out, "image.npy"))
	if len(shape) != 3 || shape[0] != 3 || shape[1] != 128 || shape[2] != 257 || len(img) != 3*128*257 {
		t.Errorf("image.npy shape %v", shape)
	}
}

func TestImagePNG(t *testing.T) {
	g := goldenDir(t)
	out := filepath.Join(t.TempDir(), "sine.png")
	var stdout, stderr bytes.Buffer
	if st := run([]string{"image", filepath.Join(g, "sine440.wav"), "-o", out}, &stdout, &stderr); st != 0 {
		t.Fatalf("status %d: %s", st, stderr.String())
	}
	for _, p := range []string{out, filepath.Join(filepath.Dir(out), "sine-logmel.png"),
		filepath.Join(filepath.Dir(out), "sine-chroma.png"), filepath.Join(filepath.Dir(out), "sine-logstft.png")} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if b := img.Bounds(); b.Dx() != 63 || b.Dy() != 128 {
			t.Errorf("%s is %v, want 63×128 (frames × height)", p, b)
		}
	}
	// The chroma channel of a 440 Hz tone is brightest in the A row.
	f, _ := os.Open(filepath.Join(filepath.Dir(out), "sine-chroma.png"))
	img, _ := png.Decode(f)
	f.Close()
	bright := -1
	best := uint32(0)
	for y := range 128 {
		r, _, _, _ := img.At(31, y).RGBA()
		if r > best {
			best, bright = r, y
		}
	}
	row := 127 - bright // PNG row 0 is the top: the highest frequency
	if pitch := row * 12 / 128; pitch != 9 {
		t.Errorf("brightest chroma row %d maps to pitch class %d, want 9 (A)", row, pitch)
	}
	if st := run([]string{"image", filepath.Join(g, "nope.wav"), "-o", out}, &stdout, &stderr); st == 0 {
		t.Error("missing file: status 0")
	}
}
