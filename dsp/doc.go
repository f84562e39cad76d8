// Package dsp turns 16 kHz mono float32 samples into the 3-channel image
// the emotion CNN sees: log-mel spectrogram, chromagram and log-STFT
// magnitude, computed to match librosa 0.11 (see Reference for the exact
// calls). The same code runs natively (training features, CLI) and under
// WebAssembly in the browser.
//
// # Use
//
//	p, err := dsp.NewPlan(dsp.Reference()) // once; tables and scratch
//	var f dsp.Features                      // reused across calls
//	err = p.Compute(samples, &f)            // f.Image is the CNN input
//
// The Config travels inside the model file as JSON (Config.MarshalJSON,
// ParseConfig) with a "version" field, so the browser computes exactly what
// the model was trained on. A Plan is reusable sequentially but not safe
// for concurrent use; use one Plan per goroutine.
//
// # Pipeline
//
// One real FFT per frame feeds all three channels. Frames are NFFT samples
// centred on t·Hop (t = 0 … len/Hop), zero outside the signal
// (librosa center=True, pad_mode="constant"), times a periodic Hann
// window; the power spectrum P = |X|² has NFFT/2+1 bins. Then
//
//	STFT    = √P
//	Mel     = Slaney mel bank (MelFilters) · P
//	LogMel  = 10·log10(max(Mel, AminPower)) - 10·log10(max(max Mel, AminPower)), floored at -TopDB
//	Chroma  = chroma bank (ChromaFilters) · P, each frame divided by its maximum
//	LogSTFT = 20·log10(max(STFT, AminAmp)) - 20·log10(max(max STFT, AminAmp)), floored at -TopDB
//
// The maxima are over the whole clip (ref=np.max), so the loudest cell of
// each dB matrix is 0 dB.
//
// # Image layout
//
// Features.Image is one NCHW tensor with N = 1: [3][Height][Frames],
// row-major, frames along the last axis, row 0 the lowest frequency (chroma
// class C for the chroma channel). Channels, in order:
//
//	0  log-mel    NMels rows mapped to Height
//	1  chroma     NChroma rows mapped to Height
//	2  log-STFT   NFFT/2+1 rows (the lowest Config.STFTBins if set) mapped to Height
//
// Row mapping (fixed, deterministic, cheap): with B source rows and H image
// rows,
//
//   - B == H: rows are copied (log-mel, 128 → 128).
//   - B > H: area averaging (log-STFT, 513 → 128). Source row i covers
//     [i, i+1), image row r covers [r·B/H, (r+1)·B/H); the weight of i in r
//     is their overlap divided by B/H. The values averaged are dB values,
//     i.e. a geometric mean of magnitudes, which keeps quiet bands visible
//     rather than letting one loud bin dominate.
//   - B < H: repetition (chroma, 12 → 128). Image row r copies source row
//     ⌊r·B/H⌋; for 12 → 128 that gives classes 2, 5, 8 and 11 (D, F, G#,
//     B) 10 rows and the other eight 11 rows.
//
// Scaling (Config.Norm): NormUnit maps a dB value x in [-TopDB, 0] to
// (x+TopDB)/TopDB in [0, 1], applied before the row mapping, and leaves
// chroma (already in [0, 1]) as is; every image value is in [0, 1].
// NormNone copies dB values and chroma unchanged.
//
// Centring (Config.Center, off in the reference): Plan.CenterRows, run
// after ComputeImage, subtracts from each log-mel and log-STFT image row
// its mean over the clip, so the image holds how the spectrum moves, not
// the long-term spectrum of the talker and the microphone. It is a
// separate step so that a picture of the clip can still be drawn from the
// uncentred image.
//
// # Edge cases
//
//   - Silence (every power at or below amin): librosa returns 0 dB in every
//     cell, which would show digital silence as the loudest possible image.
//     We return -TopDB instead, so silence is an all-zero image; chroma is
//     all zero, as in librosa. No NaN or ±Inf is ever produced.
//   - Shorter than NFFT: frames are zero-padded like edge frames; 500
//     samples give 2 frames, exactly as librosa.
//   - Empty input: Compute returns ErrNoSamples. Non-finite samples are
//     rejected with an error.
//
// # Precision and speed
//
// The FFT, filter banks and logarithms are computed in float64 and stored
// as float32. Against the librosa goldens the results agree to ≤ 2.1e-7 of
// the maximum (STFT magnitude, mel power), ≤ 1.6e-5 dB (log-mel, log-STFT)
// and ≤ 1.1e-6 (chroma): librosa's own float32 rounding (see
// golden_test.go).
//
// The FFT is this package's own (fft.go): a Stockham radix-4 complex FFT of
// NFFT/2 points plus a split step. On 1024 points it is 3–5× faster than
// gonum's dsp/fourier natively and 4–14× under WebAssembly
// (BenchmarkFFT/own vs BenchmarkFFT/gonum). It runs in float64: scalar Go
// and WebAssembly do float32 arithmetic no faster (BenchmarkFFT/own32), and
// float64 is exact to 1e-15 where float32 errs by up to 5e-4 dB on bins
// 60–80 dB down (TestFFTAccuracy). Filter banks are stored as runs of
// non-zero weights (the chroma bank trimmed of weights below 1e-7 of its
// largest: 2951 of 6156 kept, no change beyond one float32 ulp), the
// logarithm is a table-driven log10 accurate to 1e-12 that avoids
// math.Log10, and hot loops avoid the float max/min builtins, which Go's
// WebAssembly backend turns into runtime calls. Frames are computed in
// blocks of 16 into a small frame-major scratch and written out row by row,
// and the dB-to-image pass makes each dB row relative just before the row
// map reads it, so every output matrix is written in contiguous runs rather
// than one cache line per value; TestBitIdentical holds all of this to a
// frozen copy of the straightforward per-frame code, bit for bit. Compute
// allocates nothing once Features has grown to the clip length.
//
// On amd64 with AVX2 the hot loops (FFT stages, split step, windowing,
// logarithm, filter banks, image pass) run as assembly
// (internal/avx2, kernels_amd64.go) that performs the same IEEE operations
// in the same order, four lanes at a time and without fused multiply-add,
// so its output is bit-identical to the Go code; TestBitIdentical and
// TestKernelsAgree run both. Under WebAssembly the same loops run as a
// small hand-written SIMD module (internal/wasmsimd, kernels_wasm.go),
// also bit-identical, which Go imports through go:wasmimport; the host
// must provide its imports (web/lib/go-kernels.js), and without
// WebAssembly SIMD the portable Go runs. Kernels reports which set runs.
package dsp
