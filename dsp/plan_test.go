package dsp

import (
	"errors"
	"math"
	"path/filepath"
	"testing"
)

func mustPlan(tb testing.TB, c Config) *Plan {
	tb.Helper()
	p, err := NewPlan(c)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestRowMapRule(t *testing.T) {
	for _, tc := range []struct{ src, dst int }{{513, 128}, {128, 128}, {12, 128}, {12, 100}, {128, 200}, {513, 100}, {7, 3}} {
		m := newRowMap(tc.src, tc.dst)
		for r := 0; r < tc.dst; r++ {
			w := m.w[m.off[r]:m.off[r+1]]
			var sum float64
			for _, v := range w {
				sum += float64(v)
			}
			if math.Abs(sum-1) > 1e-6 {
				t.Errorf("%d→%d row %d: weights sum to %g", tc.src, tc.dst, r, sum)
			}
			switch {
			case tc.src == tc.dst:
				if m.start[r] != r || len(w) != 1 {
					t.Errorf("%d→%d row %d: not identity", tc.src, tc.dst, r)
				}
			case tc.src < tc.dst:
				if want := r * tc.src / tc.dst; m.start[r] != want || len(w) != 1 {
					t.Errorf("%d→%d row %d: repeats %d, want %d", tc.src, tc.dst, r, m.start[r], want)
				}
			default:
				// Area rule in float64: overlap of [i, i+1) with
				// [r·s/d, (r+1)·s/d), divided by s/d.
				k := float64(tc.src) / float64(tc.dst)
				lo, hi := float64(r)*k, float64(r+1)*k
				for j, v := range w {
					i := float64(m.start[r] + j)
					want := (math.Min(hi, i+1) - math.Max(lo, i)) / k
					if math.Abs(float64(v)-want) > 1e-6 {
						t.Errorf("%d→%d row %d bin %g: weight %g, want %g", tc.src, tc.dst, r, i, v, want)
					}
				}
				if m.start[r] != int(math.Floor(lo)) || m.start[r]+len(w) != int(math.Ceil(hi)) {
					t.Errorf("%d→%d row %d: bins [%d,%d), want [%g,%g)", tc.src, tc.dst, r,
						m.start[r], m.start[r]+len(w), math.Floor(lo), math.Ceil(hi))
				}
			}
		}
	}
	// 12 → 128: every chroma class fills 10 or 11 consecutive rows, in order.
	m := newRowMap(12, 128)
	count := make([]int, 12)
	for r := 0; r < 128; r++ {
		count[m.start[r]]++
		if r > 0 && m.start[r] < m.start[r-1] {
			t.Fatal("chroma rows out of order")
		}
	}
	for c, n := range count {
		if n != 10 && n != 11 {
			t.Errorf("chroma class %d repeated %d times", c, n)
		}
	}
}

// TestImageLayout checks the NCHW layout, channel order, scaling and row
// rules of Features.Image against the feature matrices directly.
func TestImageLayout(t *testing.T) {
	dir := goldenDir(t)
	x := readWAV(t, filepath.Join(dir, "03-01-05-02-01-01-01.wav"))
	for _, h := range []int{128, 100, 200} {
		cfg := Reference()
		cfg.Height = h
		p := mustPlan(t, cfg)
		var f Features
		if err := p.Compute(x, &f); err != nil {
			t.Fatal(err)
		}
		F := f.Frames
		if F != 257 || len(f.Image) != 3*h*F {
			t.Fatalf("H=%d: %d frames, image %d, want 257, %d", h, F, len(f.Image), 3*h*F)
		}
		at := func(c, r, t int) float64 { return float64(f.Image[(c*h+r)*F+t]) }
		for i, v := range f.Image {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("H=%d: image[%d] = %g outside [0,1]", h, i, v)
			}
		}
		top := cfg.TopDB
		for r := 0; r < h; r++ {
			for tt := 0; tt < F; tt++ {
				// Channel 0: log-mel, area-averaged or repeated onto h rows.
				var want float64
				m := newRowMap(cfg.NMels, h)
				for j, w := range m.w[m.off[r]:m.off[r+1]] {
					want += float64(w) * float64(f.LogMel[(m.start[r]+j)*F+tt])
				}
				want = (want + top) / top
				if math.Abs(at(0, r, tt)-want) > 1e-6 {
					t.Fatalf("H=%d: log-mel channel row %d frame %d = %g, want %g", h, r, tt, at(0, r, tt), want)
				}
				// Channel 1: chroma row ⌊r·12/h⌋, exactly.
				if got, want := f.Image[(1*h+r)*F+tt], f.Chroma[(r*12/h)*F+tt]; got != want {
					t.Fatalf("H=%d: chroma channel row %d frame %d = %g, want %g", h, r, tt, got, want)
				}
				// Channel 2: log-STFT area average over bins
				// [r·513/h, (r+1)·513/h), computed here in float64.
				k := 513.0 / float64(h)
				lo, hi := float64(r)*k, float64(r+1)*k
				want = 0
				for i := int(lo); float64(i) < hi; i++ {
					ov := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
					want += ov / k * float64(f.LogSTFT[i*F+tt])
				}
				want = (want + top) / top
				if math.Abs(at(2, r, tt)-want) > 1e-6 {
					t.Fatalf("H=%d: log-STFT channel row %d frame %d = %g, want %g", h, r, tt, at(2, r, tt), want)
				}
			}
		}
	}
	// NormNone copies dB values: the log-mel channel is LogMel itself.
	cfg := Reference()
	cfg.Norm = NormNone
	var f Features
	if err := mustPlan(t, cfg).Compute(x, &f); err != nil {
		t.Fatal(err)
	}
	for i, v := range f.LogMel {
		if f.Image[i] != v {
			t.Fatalf("NormNone: image[%d] = %g, want log-mel %g", i, f.Image[i], v)
		}
	}
}

func TestComputeDeterministicAndReusable(t *testing.T) {
	dir := goldenDir(t)
	a := readWAV(t, filepath.Join(dir, "03-01-04-01-02-02-02.wav"))
	b := readWAV(t, filepath.Join(dir, "short3200.wav"))
	p := mustPlan(t, Reference())
	var f1, f2 Features
	if err := p.Compute(a, &f1); err != nil {
		t.Fatal(err)
	}
	first := append([]float32(nil), f1.Image...)
	// Reuse the same Features for a shorter clip, then the first again.
	if err := p.Compute(b, &f1); err != nil {
		t.Fatal(err)
	}
	if f1.Frames != 13 || len(f1.Image) != 3*128*13 {
		t.Fatalf("short clip: %d frames, %d image values", f1.Frames, len(f1.Image))
	}
	if err := p.Compute(a, &f1); err != nil {
		t.Fatal(err)
	}
	// And a fresh plan into fresh Features.
	if err := mustPlan(t, Reference()).Compute(a, &f2); err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if f1.Image[i] != first[i] || f2.Image[i] != first[i] {
			t.Fatalf("image[%d]: %g, %g, %g differ", i, first[i], f1.Image[i], f2.Image[i])
		}
	}
	allocs := testing.AllocsPerRun(5, func() { p.Compute(a, &f1) })
	if allocs != 0 {
		t.Errorf("Compute into sized Features allocates %g times", allocs)
	}
}

func TestSilence(t *testing.T) {
	p := mustPlan(t, Reference())
	var f Features
	if err := p.Compute(make([]float32, 8000), &f); err != nil {
		t.Fatal(err)
	}
	if f.Frames != 32 {
		t.Fatalf("%d frames, want 32", f.Frames)
	}
	check := func(name string, x []float32, want float32) {
		for i, v := range x {
			if v != want {
				t.Fatalf("silence: %s[%d] = %g, want %g", name, i, v, want)
			}
		}
	}
	check("STFT", f.STFT, 0)
	check("Mel", f.Mel, 0)
	check("LogMel", f.LogMel, -80)
	check("LogSTFT", f.LogSTFT, -80)
	check("Chroma", f.Chroma, 0)
	check("Image", f.Image, 0)
}

func TestShortAndEmpty(t *testing.T) {
	p := mustPlan(t, Reference())
	var f Features
	x := make([]float32, 500)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*1000*float64(i)/16000))
	}
	if err := p.Compute(x, &f); err != nil || f.Frames != 2 {
		t.Fatalf("500 samples: %d frames, %v", f.Frames, err)
	}
	if err := p.Compute([]float32{0.25}, &f); err != nil || f.Frames != 1 {
		t.Fatalf("1 sample: %d frames, %v", f.Frames, err)
	}
	for _, v := range f.Image {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("1 sample: image value %g", v)
		}
	}
	f.Frames = 99
	if err := p.Compute(nil, &f); !errors.Is(err, ErrNoSamples) {
		t.Errorf("empty input: error %v, want ErrNoSamples", err)
	}
	if f.Frames != 99 {
		t.Error("empty input modified Features")
	}
	x[7] = float32(math.NaN())
	if err := p.Compute(x, &f); err == nil {
		t.Error("NaN sample accepted")
	}
	x[7] = float32(math.Inf(-1))
	if err := p.Compute(x, &f); err == nil {
		t.Error("-Inf sample accepted")
	}
}

// TestChromaRows pins the documented repetition counts for 12 → 128.
func TestChromaRows(t *testing.T) {
	m := newRowMap(12, 128)
	count := make([]int, 12)
	for _, s := range m.start {
		count[s]++
	}
	want := []int{11, 11, 10, 11, 11, 10, 11, 11, 10, 11, 11, 10}
	for c := range want {
		if count[c] != want[c] {
			t.Errorf("counts %v, want %v", count, want)
			break
		}
	}
}
