package model

import (
	"math"
	"slices"
	"sync"
	"testing"
)

// Repeated runs on the one graph must give bit-identical logits whatever
// came before: gorgonnx ops that write into their inputs (as its Gemm
// does) would make a result depend on the previous call.
func TestRepeatable(t *testing.T) {
	m := defaultModel(t)
	in, _, _ := testVectors(t)
	first := make([][]float32, len(in))
	for i := range in {
		var err error
		if first[i], err = m.Logits(in[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, order := range [][]int{{3, 2, 1, 0}, {0, 0, 2, 2, 1, 3, 1}, {2, 0, 3, 1}} {
		for _, i := range order {
			got, err := m.Logits(in[i])
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, first[i]) {
				t.Errorf("order %v, vector %d: %v, first run %v", order, i, got, first[i])
			}
		}
	}
}

// Logits returns a copy that later calls do not overwrite, and does not
// keep the caller's input.
func TestLogitsCopies(t *testing.T) {
	m := defaultModel(t)
	in, _, _ := testVectors(t)
	x := slices.Clone(in[0])
	a, err := m.Logits(x)
	if err != nil {
		t.Fatal(err)
	}
	keep := slices.Clone(a)
	clear(x)
	if _, err := m.Logits(in[1]); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a, keep) {
		t.Errorf("logits changed by a later call: %v, was %v", a, keep)
	}
	if _, err := m.Logits(in[0][:10]); err == nil {
		t.Error("short input accepted")
	}
}

func TestProbabilities(t *testing.T) {
	m := defaultModel(t)
	in, _, _ := testVectors(t)
	for i := range in {
		l, err := m.Logits(in[i])
		if err != nil {
			t.Fatal(err)
		}
		p, err := m.Probabilities(in[i])
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for _, v := range p {
			if v < 0 || v > 1 {
				t.Fatalf("probability %v", v)
			}
			sum += float64(v)
		}
		if math.Abs(sum-1) > 1e-6 || slices.Index(p, slices.Max(p)) != slices.Index(l, slices.Max(l)) {
			t.Errorf("vector %d: sum %v, argmax differs: %v vs %v", i, sum, p, l)
		}
	}
	if p := Softmax([]float32{1000, 0, -1000}); p[0] != 1 || p[1] != 0 {
		t.Errorf("softmax of large logits: %v", p)
	}
}

// Concurrent calls are serialised and each gets its own answer.
func TestConcurrent(t *testing.T) {
	m := defaultModel(t)
	in, _, _ := testVectors(t)
	want := make([][]float32, len(in))
	for i := range in {
		want[i], _ = m.Logits(in[i])
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range 3 {
				i := (g + k) % len(in)
				got, err := m.Logits(in[i])
				if err != nil || !slices.Equal(got, want[i]) {
					t.Errorf("goroutine %d, vector %d: %v, %v", g, i, got, err)
				}
			}
		})
	}
	wg.Wait()
}
