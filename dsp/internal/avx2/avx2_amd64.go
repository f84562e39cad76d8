package avx2

// Supported reports whether the CPU and OS support AVX2 (the OS saves
// the YMM registers).
var Supported = supported()

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

func supported() bool {
	max, _, _, _ := cpuid(0, 0)
	if max < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if c1&osxsave == 0 || c1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // XMM and YMM state enabled
		return false
	}
	_, b7, _, _ := cpuid(7, 0)
	return b7&(1<<5) != 0
}

// The kernels take pointers and counts; the dsp wrappers check lengths.

// Radix4First is the first radix-4 Stockham stage (stride 1) of a complex
// FFT of 4·q4 points, q4 a multiple of 4: x[p + j·q4] -> y[4p + j]. tw
// holds the twiddles as six arrays of q4: w1r, w1i, w2r, w2i, w3r, w3i.
//
//go:noescape
func Radix4First(xr, xi, yr, yi, tw *float64, q4 int)

// Radix4 is a radix-4 Stockham stage of quarter length q4 and stride s, s
// a multiple of 4: x[q + s(p + j·q4)] -> y[q + s(4p + j)]. tw holds the
// twiddles of p as six consecutive values w1r, w1i, w2r, w2i, w3r, w3i;
// those of p = 0 are not applied (they are 1).
//
//go:noescape
func Radix4(xr, xi, yr, yi, tw *float64, q4, s int)

// Radix2 is the last stage when log2 of the length is odd: x[q], x[q+s]
// -> y[q] = x[q]+x[q+s], y[q+s] = x[q]-x[q+s], s a multiple of 4.
//
//go:noescape
func Radix2(xr, xi, yr, yi *float64, s int)

// SplitPower writes |X[k]|² and |X[m-k]|² for k = 1 … m/2 from Z, the
// complex FFT of m points of a real sequence packed as z = x_even + i
// x_odd, with split twiddles sr + i si; m/2 is a multiple of 4. dst[m/2]
// is the value computed as X[m-k].
//
//go:noescape
func SplitPower(dst, zr, zi, sr, si *float64, m int)

// Window de-interleaves 2n float32 samples into re (even) and im (odd),
// converted to float64 and multiplied by we and wo; n is a multiple of 4.
//
//go:noescape
func Window(re, im *float64, x *float32, we, wo *float64, n int)

// LogConst is the constant table of the logarithm kernels, each value
// repeated in four lanes: amin, 2^52+1023, -0.25, 1/3, -0.5, 1,
// log10(2), 1/ln(10), 10, then the integer masks 2^52-1 (mantissa),
// 1023<<52 (exponent of 1), 127 (table index) and 0x433<<52 (2^52).
type LogConst [13][4]uint64

// SqrtLog processes n power values (n a multiple of 4): mag[k] =
// float32(√v), db[k] = float32(10·log10(max(v, amin))) with the table
// logarithm of dsp (tab: 128 entries of c, 1/c, log10 c). It returns the
// largest v, or 0.
//
//go:noescape
func SqrtLog(pw *float64, mag, db *float32, n int, tab *float64, k *LogConst) float64

// Log is SqrtLog with mag[k] = float32(v).
//
//go:noescape
func Log(pw *float64, mag, db *float32, n int, tab *float64, k *LogConst) float64

// Bank computes the sparse filter-bank product of dsp: for each run j,
// dst[row[j]] += Σ w[off[j]+i]·x[start[j]+i] summed in four interleaved
// accumulators, the tail added to the first, combined as (a0+a1)+(a2+a3).
// dst must be zeroed by the caller.
//
//go:noescape
func Bank(dst, x, w *float64, row, start, off *int, runs int)

// Image-pass kernels over rows of n values, n a multiple of 4.

// RelDB sets x = float32(max(float64(x) - ref, floor)).
//
//go:noescape
func RelDB(x *float32, n int, ref, floor float64)

// Affine sets out = float32(scale·float64(in) + shift), then clamps it to
// [0, 1] if clamp.
//
//go:noescape
func Affine(out, in *float32, n int, scale, shift float64, clamp bool)

// AccFirst sets acc = w·(scale·float64(in) + shift).
//
//go:noescape
func AccFirst(acc *float64, in *float32, n int, w, scale, shift float64)

// AccAdd adds w·(scale·float64(in) + shift) to acc.
//
//go:noescape
func AccAdd(acc *float64, in *float32, n int, w, scale, shift float64)

// AccOut sets out = float32(acc), then clamps it to [0, 1] if clamp.
//
//go:noescape
func AccOut(out *float32, acc *float64, n int, clamp bool)
