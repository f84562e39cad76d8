package model

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The rewinding machine keeps its tensors between runs and must give, run
// after run, bit for bit what a machine that starts empty every time
// gives: on the test vectors, on noise, on silence and on extreme values,
// in an order that changes every tensor's contents from run to run.
func TestRewindingVMExact(t *testing.T) {
	fresh, err := load(embedded, buildOptions{engine: true, poolFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := load(embedded, defaultBuild)
	if err != nil {
		t.Fatal(err)
	}
	vm, ok := kept.vm.(*rewindingVM)
	if !ok {
		t.Fatalf("the shipped build runs on %T, want *rewindingVM", kept.vm)
	}
	vectors, _, _ := testVectors(t)
	rng := rand.New(rand.NewPCG(1, 2))
	n := kept.InputLen()
	inputs := [][]float32{make([]float32, n)} // zeros
	for _, scale := range []float32{1, 1e-3, 1e3} {
		x := make([]float32, n)
		for i := range x {
			x[i] = scale * float32(rng.NormFloat64())
		}
		inputs = append(inputs, x)
	}
	inputs = append(inputs, vectors...)
	for round := range 3 {
		for k := range inputs {
			x := inputs[(k*(round+2))%len(inputs)]
			want, err := fresh.Logits(x)
			if err != nil {
				t.Fatal(err)
			}
			got, err := kept.Logits(x)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("round %d, input %d: kept tensors give %v, an empty machine %v", round, k, got, want)
			}
		}
	}
	// And it does keep them: after a run, most of the machine's tensor
	// memory survives the reset (the im2col and product buffers).
	vm.Reset()
	var keptBytes, allBytes int
	kept.run()
	for _, v := range *vm.regs {
		if v != nil {
			allBytes += int(v.MemSize())
		}
	}
	vm.Reset()
	for _, v := range *vm.regs {
		if v != nil {
			keptBytes += int(v.MemSize())
		}
	}
	if keptBytes < allBytes/2 {
		t.Errorf("a reset keeps %d of %d bytes of tensors", keptBytes, allBytes)
	}
	t.Logf("a reset keeps %d of %d bytes of tensors", keptBytes, allBytes)
}
