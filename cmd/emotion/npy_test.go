package main

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestWriteNPYRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, shape := range [][]int{{5}, {2, 3}, {3, 2, 4}} {
		n := 1
		for _, d := range shape {
			n *= d
		}
		data := make([]float32, n)
		for i := range data {
			data[i] = float32(i) - 0.5
		}
		p := filepath.Join(dir, "a.npy")
		if err := writeNPY(p, data, shape...); err != nil {
			t.Fatal(err)
		}
		got, gs := readNPY(t, p) // npyio's reader
		if !slices.Equal(gs, shape) || !slices.Equal(got, data) {
			t.Errorf("shape %v: read back %v %v", shape, gs, got)
		}
	}
	if err := writeNPY(filepath.Join(dir, "b.npy"), make([]float32, 5), 2, 3); err == nil {
		t.Error("mismatched shape accepted")
	}
}
