// Package sgemm is a float32 matrix product (BLAS Sgemm) in pure Go,
// register-blocked over packed panels, for targets where gonum has no
// assembly: in WebAssembly gonum's Sgemm is a scalar dot product per
// element of C, which spends most of its time reloading operands.
//
// Implementation embeds gonum's BLAS, so every routine other than Sgemm
// is gonum's; install it with gorgonia.org/tensor's Use.
package sgemm

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's BLAS with a faster Sgemm.
type Implementation struct {
	gonum.Implementation
}

// The micro-kernel computes an mr×nr block of C from mr rows of A (read
// in place, or packed when A is transposed) and an nr-column panel of B
// packed k-major. Go's WebAssembly
// port has 16 float32 registers (amd64 15 usable): 4×2 keeps its 8
// accumulators and 6 operands in them, where 4×4 or 6×2 spill to the
// stack on every step (counted with cachegrind under node: 4×2 and 4×3
// about 10 instructions per multiply-add, 6×2 11, 4×4 14).
const (
	mr = 4
	nr = 2
	kc = 256 // depth of a block: four rows of A (4 KB) stay in L1
	nc = 512 // columns of B packed at once (512 KB at most)
)

// parallelWork is the number of multiply-adds above which Sgemm splits
// the rows of C between GOMAXPROCS goroutines.
const parallelWork = 1 << 20

// Sgemm computes C = alpha·op(A)·op(B) + beta·C, as the BLAS routine does.
// Invalid arguments and the trivial cases go to gonum, which panics with
// its usual messages for the former.
func (impl Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !valid(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) || m == 0 || n == 0 || k == 0 || alpha == 0 {
		impl.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	p := product{
		aTrans: tA != blas.NoTrans, bTrans: tB != blas.NoTrans,
		m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
	}
	workers := min(runtime.GOMAXPROCS(0), (m+mr-1)/mr)
	if workers < 2 || m*n*k < parallelWork {
		p.rows(0, m)
		return
	}
	// Row bands of C are independent; each worker packs its own panels.
	band := (m + workers - 1) / workers
	band = (band + mr - 1) / mr * mr
	var wg sync.WaitGroup
	for i0 := 0; i0 < m; i0 += band {
		wg.Go(func() { p.rows(i0, min(i0+band, m)) })
	}
	wg.Wait()
}

// valid reports whether the arguments satisfy the BLAS preconditions.
func valid(tA, tB blas.Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) bool {
	okTrans := func(t blas.Transpose) bool { return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans }
	if !okTrans(tA) || !okTrans(tB) || m < 0 || n < 0 || k < 0 || ldc < max(1, n) {
		return false
	}
	ar, ac := m, k // rows and columns of A as stored
	if tA != blas.NoTrans {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB != blas.NoTrans {
		br, bc = n, k
	}
	if lda < max(1, ac) || ldb < max(1, bc) {
		return false
	}
	if m == 0 || n == 0 {
		return true
	}
	return (ar == 0 || len(a) >= (ar-1)*lda+ac) && (br == 0 || len(b) >= (br-1)*ldb+bc) && len(c) >= (m-1)*ldc+n
}

type product struct {
	aTrans, bTrans bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int
}

// scratch holds packing buffers between calls.
var scratch = sync.Pool{New: func() any { return new(buffers) }}

type buffers struct{ a, b []float32 }

// simdRows, when set (simd_wasm.go), computes rows [i0, i1) of C with
// WebAssembly SIMD and reports whether the product's shape allowed it.
var simdRows func(p *product, i0, i1 int) bool

// rows computes rows [i0, i1) of C.
func (p *product) rows(i0, i1 int) {
	if simdRows != nil && simdRows(p, i0, i1) {
		return
	}
	buf := scratch.Get().(*buffers)
	defer scratch.Put(buf)
	for jc := 0; jc < p.n; jc += nc {
		nb := min(nc, p.n-jc)
		for pc := 0; pc < p.k; pc += kc {
			kb := min(kc, p.k-pc)
			beta := p.beta
			if pc > 0 {
				beta = 1 // later depth blocks accumulate into C
			}
			buf.b = p.packB(buf.b, pc, kb, jc, nb, nr)
			for i := i0; i < i1; i += mr {
				mb := min(mr, i1-i)
				var r [mr][]float32
				if p.aTrans || mb < mr {
					buf.a = p.packA(buf.a, i, mb, pc, kb)
					for q := range r {
						r[q] = buf.a[q*kb : (q+1)*kb]
					}
				} else {
					// Rows of A are read in place: packing them cost a
					// fifth of the kernel's time for the first layer.
					for q := range r {
						r[q] = p.a[(i+q)*p.lda+pc:][:kb]
					}
				}
				for j := 0; j < nb; j += nr {
					bp := buf.b[j*kb : (j+nr)*kb]
					acc := kernel(r[0], r[1], r[2], r[3], bp)
					p.store(&acc, i, mb, jc+j, min(nr, nb-j), beta)
				}
			}
		}
	}
}

// packA copies rows [i, i+mb) and columns [pc, pc+kb) of op(A) row-major
// into dst, mr rows of kb, rows past mb zero.
func (p *product) packA(dst []float32, i, mb, pc, kb int) []float32 {
	dst = grow(dst, mr*kb)
	clear(dst[mb*kb:])
	for r := range mb {
		row := dst[r*kb : (r+1)*kb]
		if p.aTrans {
			for l := range row {
				row[l] = p.a[(pc+l)*p.lda+i+r]
			}
		} else {
			copy(row, p.a[(i+r)*p.lda+pc:][:kb])
		}
	}
	return dst
}

// packB copies rows [pc, pc+kb) and columns [jc, jc+nb) of op(B) into
// panels of w columns (nr for the Go kernel, simdWidth for the SIMD one),
// each k-major: panel q holds dst[q*w*kb + l*w + s] = op(B)[pc+l][jc+q*w+s],
// columns past nb zero.
func (p *product) packB(dst []float32, pc, kb, jc, nb, w int) []float32 {
	panels := (nb + w - 1) / w
	dst = grow(dst, panels*w*kb)
	if nb%w != 0 {
		clear(dst[(panels-1)*w*kb:])
	}
	for j := range nb {
		q, s := j/w, j%w
		panel := dst[q*w*kb:][:w*kb]
		if p.bTrans {
			col := p.b[(jc+j)*p.ldb+pc:][:kb]
			for l, v := range col {
				panel[l*w+s] = v
			}
		} else {
			for l := range kb {
				panel[l*w+s] = p.b[(pc+l)*p.ldb+jc+j]
			}
		}
	}
	return dst
}

// store writes C[i+r][j+s] = alpha·acc[r][s] + beta·C[i+r][j+s] for the
// mb×nb part of the block that lies inside C. A zero beta ignores C, so
// NaNs there do not propagate, as BLAS specifies.
func (p *product) store(acc *[mr * nr]float32, i, mb, j, nb int, beta float32) {
	if p.alpha == 1 && beta == 0 && nb == nr {
		// gorgonia's products: plain stores.
		for r := range mb {
			row := p.c[(i+r)*p.ldc+j:][:nr]
			row[0], row[1] = acc[r*nr], acc[r*nr+1]
		}
		return
	}
	for r := range mb {
		row := p.c[(i+r)*p.ldc+j:][:nb]
		for s := range row {
			v := p.alpha * acc[r*nr+s]
			if beta != 0 {
				v += beta * row[s]
			}
			row[s] = v
		}
	}
}

// kernel returns the mr×nr product of four rows of A (the same length)
// and a packed B panel of that depth. Four steps per iteration cut the
// loop's bookkeeping: in WebAssembly (cachegrind under node) the four
// products of the shipped model take 227 M instructions, against 303 M
// with one step per iteration and 244 M with two.
func kernel(r0, r1, r2, r3, b []float32) (acc [mr * nr]float32) {
	r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
	var c00, c01, c10, c11, c20, c21, c30, c31 float32
	k := 0
	for ; k+3 < len(r0) && len(b) >= 4*nr; k += 4 {
		var a0, a1, a2, a3, b0, b1 float32
		a0, a1, a2, a3 = r0[k+0], r1[k+0], r2[k+0], r3[k+0]
		b0, b1 = b[0], b[1]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		a0, a1, a2, a3 = r0[k+1], r1[k+1], r2[k+1], r3[k+1]
		b0, b1 = b[2], b[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		a0, a1, a2, a3 = r0[k+2], r1[k+2], r2[k+2], r3[k+2]
		b0, b1 = b[4], b[5]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		a0, a1, a2, a3 = r0[k+3], r1[k+3], r2[k+3], r3[k+3]
		b0, b1 = b[6], b[7]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		b = b[4*nr:]
	}
	for ; k < len(r0) && len(b) >= nr; k++ {
		a0, a1, a2, a3 := r0[k], r1[k], r2[k], r3[k]
		b0, b1 := b[0], b[1]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		b = b[nr:]
	}
	return [mr * nr]float32{c00, c01, c10, c11, c20, c21, c30, c31}
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}
