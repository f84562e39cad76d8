package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/tensor"

	"emotion/dsp/audio"
	"emotion/model/internal/sgemm"
)

// Speed targets of issue 6 (docs/PERFORMANCE.md, "Model"; current figures in docs/BENCHMARKS.md): one window
// ≤ 80 ms in WebAssembly under node.
//
// Besides ns/op (wall time), the benchmarks report cpu-ms/op, the CPU
// time of the process per operation: on a machine shared with other
// work, wall time also counts the time the benchmark waits for a core.

// loop runs f b.N times and reports cpu-ms/op.
func loop(b *testing.B, f func() error) {
	b.Helper()
	b.ReportAllocs()
	var start time.Duration
	n := 0
	for b.Loop() {
		if n == 0 {
			start = cpuTime()
		}
		if err := f(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
	}
}

func BenchmarkLoad(b *testing.B) {
	loop(b, func() error { _, err := Load(embedded); return err })
}

// BenchmarkLogits measures one window, the unit of work per hop.
func BenchmarkLogits(b *testing.B) {
	m := defaultModel(b)
	in, _, _ := testVectors(b)
	loop(b, func() error { _, err := m.Logits(in[0]); return err })
}

// BenchmarkLogitsVariants measures one window with each speed-up of this
// package alone, against gorgonnx as it comes (gonum's BLAS, gorgonia's
// engine, the graph as exported) and as shipped on this platform (our
// Sgemm only in WebAssembly), so that their ratios come from one run.
func BenchmarkLogitsVariants(b *testing.B) {
	in, _, _ := testVectors(b)
	shipped := tensor.WhichBLAS()
	defer tensor.Use(shipped)
	for _, v := range []struct {
		name string
		blas tensor.BLAS
		opt  buildOptions
	}{
		{"gorgonnx", gonum.Implementation{}, buildOptions{}},
		{"sgemm", sgemm.Implementation{}, buildOptions{}},
		{"engine", gonum.Implementation{}, buildOptions{engine: true}},
		{"poolfirst", gonum.Implementation{}, buildOptions{poolFirst: true}},
		{"keepregs", gonum.Implementation{}, buildOptions{keepRegs: true}},
		{"shipped-fresh", shipped, buildOptions{engine: true, poolFirst: true}},
		{"shipped", shipped, defaultBuild},
	} {
		b.Run(v.name, func(b *testing.B) {
			tensor.Use(v.blas)
			m, err := load(embedded, v.opt)
			if err != nil {
				b.Fatal(err)
			}
			loop(b, func() error { _, err := m.Logits(in[0]); return err })
		})
	}
}

// BenchmarkShapes times one window of each synthetic model written by
// model/bench/shapes.py into $EMOTION_SHAPES, to relate the time per
// window to a model's shape. Skipped when the variable is unset.
func BenchmarkShapes(b *testing.B) {
	dir := os.Getenv("EMOTION_SHAPES")
	if dir == "" {
		b.Skip("EMOTION_SHAPES not set (see model/bench/shapes.py)")
	}
	index, err := os.ReadFile(filepath.Join(dir, "shapes.json"))
	if err != nil {
		b.Fatal(err)
	}
	var shapes []struct{ Name string }
	if err := json.Unmarshal(index, &shapes); err != nil {
		b.Fatal(err)
	}
	for _, s := range shapes {
		b.Run(s.Name, func(b *testing.B) {
			file, err := os.ReadFile(filepath.Join(dir, s.Name+".onnx"))
			if err != nil {
				b.Fatal(err)
			}
			m, err := Load(file)
			if err != nil {
				b.Fatal(err)
			}
			in := make([]float32, m.InputLen())
			for i := range in {
				in[i] = float32(i%97) / 97
			}
			loop(b, func() error { _, err := m.Logits(in); return err })
		})
	}
}

// BenchmarkClassify runs the whole pipeline, WAV bytes to Result, on a
// RAVDESS clip repeated to 3 s and to 30 s.
func BenchmarkClassify(b *testing.B) {
	c := newTestClassifier(b)
	speech := ravdessClip(b, "03-01-05-01-01-01-01.wav")
	for _, sec := range []int{3, 30} {
		wav := wavBytes(repeatTo(speech, sec*16000), 16000)
		b.Run(fmt.Sprintf("%ds", sec), func(b *testing.B) {
			loop(b, func() error { _, err := c.Classify(wav, audio.DefaultLimits()); return err })
		})
	}
}

// repeatTo concatenates copies of x up to n samples.
func repeatTo(x []float32, n int) []float32 {
	out := make([]float32, 0, n)
	for len(out) < n {
		out = append(out, x[:min(len(x), n-len(out))]...)
	}
	return out
}

// wavBytes encodes mono samples as a 16-bit PCM WAV file.
func wavBytes(x []float32, rate int) []byte {
	var buf bytes.Buffer
	le := func(v any) { binary.Write(&buf, binary.LittleEndian, v) }
	buf.WriteString("RIFF")
	le(uint32(36 + 2*len(x)))
	buf.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1)) // PCM
	le(uint16(1)) // mono
	le(uint32(rate))
	le(uint32(2 * rate))
	le(uint16(2))
	le(uint16(16))
	buf.WriteString("data")
	le(uint32(2 * len(x)))
	for _, v := range x {
		le(int16(math.Round(float64(max(-1, min(1, v))) * 32767)))
	}
	return buf.Bytes()
}
