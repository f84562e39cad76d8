package model

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"codeberg.org/sbinet/npyio"
)

// readNPY reads a float32 .npy file from testdata.
func readNPY(t testing.TB, name string) ([]float32, []int) {
	t.Helper()
	// One read: npyio reads element by element, and under wasm each
	// read of a file is a call into JavaScript.
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := npyio.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var v []float32
	if err := r.Read(&v); err != nil {
		t.Fatal(err)
	}
	return v, r.Header.Descr.Shape
}

// testVectors returns the PyTorch test inputs, one slice per window, and
// the logits of the int8 and float models.
func testVectors(t testing.TB) (in, int8Logits, floatLogits [][]float32) {
	t.Helper()
	x, xs := readNPY(t, "testvec_input.npy")
	q, qs := readNPY(t, "testvec_logits_int8.npy")
	f, fs := readNPY(t, "testvec_logits_float.npy")
	if len(xs) != 4 || !slices.Equal(qs, fs) || len(qs) != 2 || qs[0] != xs[0] {
		t.Fatalf("test vector shapes %v %v %v", xs, qs, fs)
	}
	n := xs[0]
	split := func(v []float32) [][]float32 {
		var s [][]float32
		for c := range slices.Chunk(v, len(v)/n) {
			s = append(s, c)
		}
		return s
	}
	return split(x), split(q), split(f)
}

func maxAbsDiff(a, b []float32) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(float64(a[i])-float64(b[i])))
	}
	return d
}

func defaultModel(t testing.TB) *Model {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The Go model must compute what PyTorch computes with the dequantized
// int8 weights.
func TestParity(t *testing.T) {
	m := defaultModel(t)
	in, want, _ := testVectors(t)
	worst := 0.0
	for i := range in {
		got, err := m.Logits(in[i])
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want[i]) {
			t.Fatalf("vector %d: %d logits, want %d", i, len(got), len(want[i]))
		}
		d := maxAbsDiff(got, want[i])
		worst = max(worst, d)
		if d > 1e-4 {
			t.Errorf("vector %d: max |Δ| = %.3g\n got %v\nwant %v", i, d, got, want[i])
		}
	}
	t.Logf("max |Go - PyTorch int8| = %.3g", worst)
}

// The int8 path must be the one running: the float model's logits differ
// from the int8 model's by far more than the parity tolerance.
func TestInt8NotFloat(t *testing.T) {
	m := defaultModel(t)
	in, q, f := testVectors(t)
	for i := range in {
		got, err := m.Logits(in[i])
		if err != nil {
			t.Fatal(err)
		}
		dq, df := maxAbsDiff(got, q[i]), maxAbsDiff(got, f[i])
		t.Logf("vector %d: max |Δ| to int8 logits %.2g, to float logits %.2g", i, dq, df)
		if dq > 1e-4 || df < 100*dq || df < 1e-4 {
			t.Errorf("vector %d: |Δ| to int8 logits %.3g, to float logits %.3g", i, dq, df)
		}
	}
}

func TestMetadata(t *testing.T) {
	m := defaultModel(t)
	if !slices.Equal(m.Labels, Labels) {
		t.Errorf("labels %v, want %v", m.Labels, Labels)
	}
	if m.Features != FeatureConfig() {
		t.Errorf("features %+v, want %+v", m.Features, FeatureConfig())
	}
	if want := [4]int{1, 3, m.Features.Height, 128}; m.InputShape != want {
		t.Errorf("input shape %v, want %v", m.InputShape, want)
	}
	if m.InputLen() != 3*m.Features.Height*128 {
		t.Errorf("InputLen %d", m.InputLen())
	}
	if m.WindowHop < 1 || m.WindowHop > m.InputShape[3] {
		t.Errorf("window hop %d", m.WindowHop)
	}
	if m.Version == "" || m.License == "" || m.Metrics == nil {
		t.Errorf("version %q, license %q, metrics %s", m.Version, m.License, m.Metrics)
	}
	if len(m.Metadata) < 3 {
		t.Errorf("metadata %v", m.Metadata)
	}
}

// Each speed-up of the graph must leave the logits bit for bit as
// gorgonnx computes the file by itself.
func TestBuildOptionsExact(t *testing.T) {
	in, _, _ := testVectors(t)
	plain, err := load(embedded, buildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []buildOptions{{engine: true}, {poolFirst: true}, defaultBuild} {
		m, err := load(embedded, opt)
		if err != nil {
			t.Fatalf("%+v: %v", opt, err)
		}
		for i := range in {
			want, err := plain.Logits(in[i])
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.Logits(in[i])
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%+v, vector %d: %v, plain graph %v", opt, i, got, want)
			}
		}
	}
}
