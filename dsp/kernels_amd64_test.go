package dsp

import (
	"testing"

	"emotion/dsp/internal/avx2"
)

// BenchmarkKernelGroups measures each group of AVX2 kernels alone: the
// portable Go set with only that group replaced, on the 3 s clip and the
// reference configuration. This is the benchmark that decided which
// loops got assembly.
func BenchmarkKernelGroups(b *testing.B) {
	if !avx2.Supported {
		b.Skip("no AVX2")
	}
	only := func(f func(k *kernelSet)) kernelSet { k := goKernels; f(&k); return k }
	a := avxKernels
	groups := []struct {
		name string
		k    kernelSet
	}{
		{"none", goKernels},
		{"fft", only(func(k *kernelSet) { k.power, k.window = a.power, a.window })},
		{"log", only(func(k *kernelSet) { k.sqrtLog, k.log = a.sqrtLog, a.log })},
		{"bank", only(func(k *kernelSet) { k.bank = a.bank })},
		{"image", only(func(k *kernelSet) {
			k.relDB, k.affine, k.accFirst, k.accAdd, k.accOut = a.relDB, a.affine, a.accFirst, a.accAdd, a.accOut
		})},
		{"all", a},
	}
	x := speechLike(3 * 16000)
	for _, g := range groups {
		b.Run(g.name, func(b *testing.B) {
			defer func(old kernelSet) { kern = old }(kern)
			kern = g.k
			p, err := NewPlan(Reference())
			if err != nil {
				b.Fatal(err)
			}
			var f Features
			p.Compute(x, &f)
			b.ResetTimer()
			for b.Loop() {
				p.Compute(x, &f)
			}
			reportSpeed(b, 3)
		})
	}
}
