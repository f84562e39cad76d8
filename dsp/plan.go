package dsp

import (
	"errors"
	"fmt"
)

// Features holds the output of Plan.Compute. Every matrix is row-major
// [rows][Frames] like librosa's [bins, frames], row 0 the lowest
// frequency (or chroma class C). The slices are reused by the next
// Compute into the same Features when their capacity allows, so a caller
// that keeps one Features allocates only while clips keep growing.
type Features struct {
	Frames int // number of frames (columns), 1 + len(samples)/Hop

	STFT    []float32 // STFT magnitude |X|, [Bins][Frames]
	Mel     []float32 // mel power, [NMels][Frames]
	LogMel  []float32 // power_to_db(Mel, ref=max), [NMels][Frames], in [-TopDB, 0]
	Chroma  []float32 // chroma, each frame divided by its maximum, [NChroma][Frames], in [0, 1]
	LogSTFT []float32 // amplitude_to_db(STFT, ref=max), [Bins][Frames], in [-TopDB, 0]
	Image   []float32 // CNN input, NCHW with N=1: [3][Height][Frames]; see doc.go
}

// ErrNoSamples is returned by Compute for an empty input.
var ErrNoSamples = errors.New("dsp: no samples")

// Plan holds everything derived from a Config that does not depend on the
// input: window, FFT tables, sparse filter banks, row maps and per-frame
// scratch. Build it once with NewPlan and reuse it.
//
// A Plan may be reused sequentially for any number of Compute calls, but
// it owns scratch buffers and is not safe for concurrent use: give each
// goroutine its own Plan (they are cheap, about 60 KB for the reference).
type Plan struct {
	cfg    Config
	win    []float64
	winE   []float64 // win[0], win[2], …
	winO   []float64 // win[1], win[3], …
	fft    *realFFT[float64]
	mel    sparseBank
	chroma sparseBank
	melMap rowMap
	chrMap rowMap
	stMap  rowMap

	// Per-frame scratch.
	pw, pw2     []float64 // power spectra of two frames, Bins
	melv, melv2 []float64 // mel power, NMels
	chrv, chrv2 []float64 // chroma, NChroma
	acc         []float64 // image row accumulator, grown to the longest clip

	// Block scratch, frame-major [blockFrames][rows] (see spectra).
	bSTFT, bLogSTFT, bMel, bLogMel, bChroma []float32

	all bool // the current call wants STFT and Mel too (Compute, not ComputeImage)
}

// NewPlan validates cfg and precomputes the tables for it.
func NewPlan(cfg Config) (*Plan, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	nb := cfg.Bins()
	p := &Plan{
		cfg:    cfg,
		win:    hann(cfg.NFFT),
		fft:    newRealFFT[float64](cfg.NFFT),
		mel:    newSparseBank(MelFilters(cfg), cfg.NMels, nb, 0),
		chroma: newChromaBank(cfg),
		melMap: newRowMap(cfg.NMels, cfg.Height),
		chrMap: newRowMap(cfg.NChroma, cfg.Height),
		stMap:  newRowMap(cfg.ImageSTFTBins(), cfg.Height),
		pw:     make([]float64, nb),
		pw2:    make([]float64, nb),
		melv:   make([]float64, cfg.NMels),
		melv2:  make([]float64, cfg.NMels),
		chrv:   make([]float64, cfg.NChroma),
		chrv2:  make([]float64, cfg.NChroma),
	}
	for i := 0; i < cfg.NFFT; i += 2 {
		p.winE = append(p.winE, p.win[i])
		p.winO = append(p.winO, p.win[i+1])
	}
	const B = blockFrames
	p.bSTFT, p.bLogSTFT = make([]float32, nb*B), make([]float32, nb*B)
	p.bMel, p.bLogMel = make([]float32, cfg.NMels*B), make([]float32, cfg.NMels*B)
	p.bChroma = make([]float32, cfg.NChroma*B)
	return p, nil
}

// Config returns the configuration the plan was built from.
func (p *Plan) Config() Config { return p.cfg }

func resize(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// Compute computes all features of samples (mono, at Config.SampleRate,
// nominally in [-1, 1]) into f, reusing f's slices.
//
// It returns ErrNoSamples for an empty input and an error for a non-finite
// sample; f is then left unchanged. An input shorter than NFFT is fine: it
// is zero-padded like any frame at the edges (500 samples give 2 frames).
func (p *Plan) Compute(samples []float32, f *Features) error {
	return p.compute(samples, f, true)
}

// ComputeImage is Compute for callers that only want the image: it fills
// f.Frames, f.Image and the matrices the image is made from (LogMel,
// Chroma, LogSTFT), and sets f.STFT and f.Mel to empty, which saves the
// square roots and the writes of those two matrices. f.Image is bit for
// bit what Compute gives.
func (p *Plan) ComputeImage(samples []float32, f *Features) error {
	return p.compute(samples, f, false)
}

func (p *Plan) compute(samples []float32, f *Features, all bool) error {
	if len(samples) == 0 {
		return ErrNoSamples
	}
	for i, v := range samples {
		if v-v != 0 {
			return fmt.Errorf("dsp: sample %d is %g", i, v)
		}
	}
	c := &p.cfg
	nb, nm, nc, h := c.Bins(), c.NMels, c.NChroma, c.Height
	F := c.Frames(len(samples))
	f.Frames = F
	if all {
		f.STFT = resize(f.STFT, nb*F)
		f.Mel = resize(f.Mel, nm*F)
	} else {
		f.STFT, f.Mel = f.STFT[:0], f.Mel[:0]
	}
	f.LogSTFT = resize(f.LogSTFT, nb*F)
	f.LogMel = resize(f.LogMel, nm*F)
	f.Chroma = resize(f.Chroma, nc*F)
	f.Image = resize(f.Image, 3*h*F)

	p.all = all
	maxP, maxMel := p.spectra(samples, f)

	ampMin2 := c.AminAmp * c.AminAmp
	p.image(f,
		relDB{powerDB(maxMel, c.AminPower), c.TopDB, maxMel <= c.AminPower},
		relDB{powerDB(maxP, ampMin2), c.TopDB, maxP <= ampMin2})
	return nil
}

// blockFrames is the number of frames the per-frame stage computes before
// writing them out. Every output matrix is [rows][Frames], so one frame is
// one column: written straight into the outputs, each value would land on
// its own cache line (and, on long clips, its own page). Each frame of a
// block is written contiguously into a frame-major scratch
// ([blockFrames][rows]; a [rows][blockFrames] scratch was tried and missed
// L1 on every write), then flush writes the block into the outputs row by
// row, 64 contiguous bytes at a time. Measured with cachegrind on the 30 s
// clip: L1 write misses -65%, L2 read misses -48%; output bit-identical
// (TestBitIdentical).
const blockFrames = 16

// spectra runs the per-frame stage over all frames and returns the maxima
// of power and mel power for the dB reference. The dB values it stores are
// absolute; finish makes them relative.
func (p *Plan) spectra(x []float32, f *Features) (maxP, maxMel float64) {
	const B = blockFrames
	F := f.Frames
	for t0 := 0; t0 < F; t0 += B {
		n := min(B, F-t0)
		for j := 0; j < n; j += 2 {
			mp, mm := p.frames(x, t0+j, j, j+1 < n)
			if mp > maxP {
				maxP = mp
			}
			if mm > maxMel {
				maxMel = mm
			}
		}
		p.flush(f, t0, n)
	}
	return maxP, maxMel
}

// frames computes frame t, and frame t+1 if two: window, FFT, power, and
// from each power spectrum the STFT magnitude, absolute log-STFT dB, mel
// power, absolute log-mel dB and normalised chroma, written into rows j
// (and j+1) of the block scratch. It returns the largest power and mel
// power. Frames go in pairs so that the filter banks run over both at
// once (sparseBank.apply2).
//
// It is a function of its own so that WebAssembly engines, which optimise
// a function only between calls (V8 has no on-stack replacement for wasm),
// get the optimised code from the second call on, even for the first clip.
func (p *Plan) frames(x []float32, t, j int, two bool) (maxP, maxMel float64) {
	c := &p.cfg
	nm := len(p.melv)
	p.powerFrame(x, t, p.pw)
	maxP = p.stftDB(p.pw, j)
	if two {
		p.powerFrame(x, t+1, p.pw2)
		if mp := p.stftDB(p.pw2, j+1); mp > maxP {
			maxP = mp
		}
		kern.bank2(&p.mel, p.melv, p.melv2, p.pw, p.pw2)
		kern.bank2(&p.chroma, p.chrv, p.chrv2, p.pw, p.pw2)
	} else {
		kern.bank(&p.mel, p.melv, p.pw)
		kern.bank(&p.chroma, p.chrv, p.pw)
	}
	maxMel = kern.log(p.melv, p.bMel[j*nm:(j+1)*nm], p.bLogMel[j*nm:(j+1)*nm], c.AminPower)
	p.normChroma(p.chrv, j)
	if two {
		j++
		if mm := kern.log(p.melv2, p.bMel[j*nm:(j+1)*nm], p.bLogMel[j*nm:(j+1)*nm], c.AminPower); mm > maxMel {
			maxMel = mm
		}
		p.normChroma(p.chrv2, j)
	}
	return maxP, maxMel
}

// stftDB writes the STFT magnitude (Compute only) and absolute log-STFT
// dB of the power spectrum pw into row j of the block scratch and returns
// the largest power.
func (p *Plan) stftDB(pw []float64, j int) float64 {
	nb := len(pw)
	amin := p.cfg.AminAmp * p.cfg.AminAmp
	if p.all {
		return kern.sqrtLog(pw, p.bSTFT[j*nb:(j+1)*nb], p.bLogSTFT[j*nb:(j+1)*nb], amin)
	}
	// Same dB values and maximum; the power lands in the scratch instead
	// of its square root and is not written out.
	return kern.log(pw, p.bSTFT[j*nb:(j+1)*nb], p.bLogSTFT[j*nb:(j+1)*nb], amin)
}

// normChroma writes chroma chr divided by its maximum into row j of the
// block scratch (librosa.util.normalize: tiny maxima are left alone).
func (p *Plan) normChroma(chr []float64, j int) {
	var cm float64
	for _, v := range chr {
		if v > cm {
			cm = v
		}
	}
	if cm < 0x1p-126 {
		cm = 1
	}
	out := p.bChroma[j*len(chr):]
	out = out[:len(chr)]
	for k, v := range chr {
		out[k] = float32(v / cm)
	}
}

// flush writes the n frames of the block scratch into columns t0…t0+n-1
// of the outputs.
func (p *Plan) flush(f *Features, t0, n int) {
	F := f.Frames
	if p.all {
		flushRows(f.STFT[t0:], p.bSTFT, F, n)
		flushRows(f.Mel[t0:], p.bMel, F, n)
	}
	flushRows(f.LogSTFT[t0:], p.bLogSTFT, F, n)
	flushRows(f.LogMel[t0:], p.bLogMel, F, n)
	flushRows(f.Chroma[t0:], p.bChroma, F, n)
}

// flushRows copies the first n values of each blockFrames-long row of src
// into the rows of dst, which are F apart. A loop rather than copy: copy is
// a runtime call, costly under WebAssembly for 16 values.
func flushRows(dst, src []float32, F, n int) {
	rows := len(src) / blockFrames
	if n == blockFrames {
		// Full block: one slice per frame, so that the loop over rows
		// needs a single bounds check per row.
		s0, s1, s2, s3 := src[:rows], src[rows:2*rows], src[2*rows:3*rows], src[3*rows:4*rows]
		s4, s5, s6, s7 := src[4*rows:5*rows], src[5*rows:6*rows], src[6*rows:7*rows], src[7*rows:8*rows]
		s8, s9, s10, s11 := src[8*rows:9*rows], src[9*rows:10*rows], src[10*rows:11*rows], src[11*rows:12*rows]
		s12, s13, s14, s15 := src[12*rows:13*rows], src[13*rows:14*rows], src[14*rows:15*rows], src[15*rows:16*rows]
		for k := range s0 {
			d := dst[k*F : k*F+16 : k*F+16]
			d[0], d[1], d[2], d[3] = s0[k], s1[k], s2[k], s3[k]
			d[4], d[5], d[6], d[7] = s4[k], s5[k], s6[k], s7[k]
			d[8], d[9], d[10], d[11] = s8[k], s9[k], s10[k], s11[k]
			d[12], d[13], d[14], d[15] = s12[k], s13[k], s14[k], s15[k]
		}
		return
	}
	src = src[:n*rows]
	for k := 0; k < rows; k++ {
		d := dst[k*F : k*F+n]
		for i := range d {
			d[i] = src[i*rows+k]
		}
	}
}

// powerFrame computes the power spectrum of frame t into dst: the NFFT
// samples centred on t·Hop, zero outside the signal (pad_mode="constant"),
// times the window, through the real FFT.
func (p *Plan) powerFrame(x []float32, t int, dst []float64) {
	n := p.cfg.NFFT
	win := p.win[:n]
	re, im := p.fft.input()
	re, im = re[:n/2], im[:n/2]
	start := t*p.cfg.Hop - n/2
	if start >= 0 && start+n <= len(x) {
		kern.window(re, im, x[start:start+n], p.winE, p.winO)
	} else {
		for k := range re {
			i := start + 2*k
			var a, b float64
			if i >= 0 && i < len(x) {
				a = float64(x[i])
			}
			if i+1 >= 0 && i+1 < len(x) {
				b = float64(x[i+1])
			}
			re[k] = win[2*k] * a
			im[k] = win[2*k+1] * b
		}
	}
	kern.power(p.fft, dst)
}

// image makes the log-mel and log-STFT matrices relative (toRelDB with
// the given references) and fills f.Image from them and the chroma:
// channel 0 log-mel, 1 chroma, 2 log-STFT, each mapped to Height rows,
// scaled by Norm and, for NormUnit, clamped to [0, 1]. One pass per
// channel: each dB row is made relative just before the row map first
// reads it.
func (p *Plan) image(f *Features, mel, stft relDB) {
	c := &p.cfg
	F, h := f.Frames, c.Height
	scale, shift := 1.0, 0.0
	clamp := c.Norm == NormUnit // rounding in the weighted sums can step a hair outside [0, 1]
	if clamp {
		scale, shift = 1/c.TopDB, 1
	}
	if cap(p.acc) < F {
		p.acc = make([]float64, F)
	}
	ch := h * F
	p.melMap.apply(f.Image[:ch], f.LogMel, p.acc, F, scale, shift, &mel, clamp)
	p.chrMap.apply(f.Image[ch:2*ch], f.Chroma, p.acc, F, 1, 0, nil, clamp)
	p.stMap.apply(f.Image[2*ch:3*ch], f.LogSTFT, p.acc, F, scale, shift, &stft, clamp)
}
