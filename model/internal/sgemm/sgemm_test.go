package sgemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

func randSlice(rnd *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rnd.Float32()*2 - 1
	}
	return s
}

// Every transpose, shapes around the block sizes, padded leading
// dimensions, and the alpha/beta cases, against gonum.
func TestSgemmMatchesGonum(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	trans := []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}
	sizes := []int{1, 3, 4, 5, 8, 17}
	shapes := [][3]int{{8192, 16, 27}, {130, 9, kc + 3}, {7, nc + 5, 11}}
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range sizes {
				shapes = append(shapes, [3]int{m, n, k})
			}
		}
	}
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		for _, tA := range trans {
			for _, tB := range trans {
				for _, ab := range [][2]float32{{1, 0}, {0.5, 1}, {-2, 0.25}} {
					alpha, beta := ab[0], ab[1]
					ar, ac := m, k
					if tA != blas.NoTrans {
						ar, ac = k, m
					}
					br, bc := k, n
					if tB != blas.NoTrans {
						br, bc = n, k
					}
					lda, ldb, ldc := ac+2, bc+1, n+3
					a := randSlice(rnd, (ar-1)*lda+ac)
					b := randSlice(rnd, (br-1)*ldb+bc)
					c := randSlice(rnd, (m-1)*ldc+n)
					want := append([]float32(nil), c...)
					if beta == 0 {
						c[0] = float32(math.NaN()) // must be ignored
					}
					Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					gonum.Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
					for i := range m {
						for j := range ldc {
							idx := i*ldc + j
							if idx >= len(c) {
								break
							}
							tol := float32(1e-5) * float32(k+1)
							if j >= n {
								tol = 0 // padding must be left alone
							}
							if d := c[idx] - want[idx]; !(d <= tol && d >= -tol) {
								t.Fatalf("%dx%dx%d tA=%c tB=%c alpha=%v beta=%v: C[%d][%d] = %v, gonum %v",
									m, n, k, tA, tB, alpha, beta, i, j, c[idx], want[idx])
							}
						}
					}
				}
			}
		}
	}
}

// Bad arguments panic with gonum's messages.
func TestSgemmPanics(t *testing.T) {
	a, b, c := make([]float32, 6), make([]float32, 6), make([]float32, 4)
	for _, tc := range []struct {
		name string
		call func()
	}{
		{"short A", func() { Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 4, 1, a, 4, b, 2, 0, c, 2) }},
		{"bad lda", func() { Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2) }},
		{"bad transpose", func() { Implementation{}.Sgemm('x', blas.NoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2) }},
		{"negative m", func() { Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, -1, 2, 3, 1, a, 3, b, 2, 0, c, 2) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.call()
		}()
	}
}

// The im2col products of the shipped model: rows of patches × filters.
var modelShapes = [][3]int{{8192, 16, 27}, {2048, 32, 144}, {512, 48, 288}, {128, 64, 432}}

func benchShapes(b *testing.B, impl blas.Float32) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, sh := range modelShapes {
		m, n, k := sh[0], sh[1], sh[2]
		a, w, c := randSlice(rnd, m*k), randSlice(rnd, n*k), make([]float32, m*n)
		b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
			for b.Loop() {
				impl.Sgemm(blas.NoTrans, blas.Trans, m, n, k, 1, a, k, w, k, 0, c, n)
			}
		})
	}
}

func BenchmarkSgemm(b *testing.B) { benchShapes(b, Implementation{}) }

// BenchmarkSgemmScalar is BenchmarkSgemm with Go's kernel where the
// WebAssembly SIMD kernel would run (the same as BenchmarkSgemm elsewhere).
func BenchmarkSgemmScalar(b *testing.B) {
	keep := simdRows
	simdRows = nil
	defer func() { simdRows = keep }()
	benchShapes(b, Implementation{})
}

func BenchmarkGonumSgemm(b *testing.B) { benchShapes(b, gonum.Implementation{}) }

// TestSIMDBitIdentical runs the products of the model's shapes, and
// others the SIMD kernel handles (depths over kc, both layouts of B),
// with and without the WebAssembly SIMD kernel, and requires the same
// bits. It runs where the kernel is loaded (GOOS=js under node).
func TestSIMDBitIdentical(t *testing.T) {
	if simdRows == nil {
		if runtime.GOARCH == "wasm" && os.Getenv("EXPECT_SIMD") == "1" {
			t.Fatal("EXPECT_SIMD=1 but the SIMD kernel did not load (run under web/tools/go_js_wasm_exec)")
		}
		t.Skip("no SIMD kernel on this platform")
	}
	rnd := rand.New(rand.NewPCG(7, 8))
	for _, s := range []struct{ m, n, k int }{
		{8192, 16, 27}, {2048, 32, 144}, {512, 48, 288}, {128, 64, 432}, {32, 8, 64},
		{4, 8, 1}, {12, 24, 600}, {8, 16, 256}, {8, 16, 257},
	} {
		for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			a := randSlice(rnd, s.m*s.k)
			b := randSlice(rnd, s.k*s.n)
			ldb := s.n
			if tB == blas.Trans {
				ldb = s.k
			}
			got, want := make([]float32, s.m*s.n), make([]float32, s.m*s.n)
			Implementation{}.Sgemm(blas.NoTrans, tB, s.m, s.n, s.k, 1, a, s.k, b, ldb, 0, got, s.n)
			keep := simdRows
			simdRows = nil
			Implementation{}.Sgemm(blas.NoTrans, tB, s.m, s.n, s.k, 1, a, s.k, b, ldb, 0, want, s.n)
			simdRows = keep
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%dx%dx%d tB=%c: C[%d] = %v with SIMD, %v without", s.m, s.n, s.k, tB, i, got[i], want[i])
				}
			}
		}
	}
}
