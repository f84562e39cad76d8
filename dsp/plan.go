package dsp

import (
	"errors"
	"fmt"
	"math"
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
	fft    *realFFT[float64]
	mel    sparseBank
	chroma sparseBank
	melMap rowMap
	chrMap rowMap
	stMap  rowMap

	// Per-frame scratch.
	pw   []float64 // power spectrum, Bins
	melv []float64 // mel power, NMels
	chrv []float64 // chroma, NChroma
	db   []float64 // dB of pw or melv
	acc  []float64 // image row accumulator, grown to the longest clip
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
		stMap:  newRowMap(nb, cfg.Height),
		pw:     make([]float64, nb),
		melv:   make([]float64, cfg.NMels),
		chrv:   make([]float64, cfg.NChroma),
		db:     make([]float64, nb),
	}
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
	f.STFT = resize(f.STFT, nb*F)
	f.LogSTFT = resize(f.LogSTFT, nb*F)
	f.Mel = resize(f.Mel, nm*F)
	f.LogMel = resize(f.LogMel, nm*F)
	f.Chroma = resize(f.Chroma, nc*F)
	f.Image = resize(f.Image, 3*h*F)

	maxP, maxMel := p.spectra(samples, f)

	ampMin2 := c.AminAmp * c.AminAmp
	toRelDB(f.LogSTFT, powerDB(maxP, ampMin2), c.TopDB, maxP <= ampMin2)
	toRelDB(f.LogMel, powerDB(maxMel, c.AminPower), c.TopDB, maxMel <= c.AminPower)

	p.image(f)
	return nil
}

// spectra runs the per-frame stage over all frames and returns the maxima
// of power and mel power for the dB reference.
func (p *Plan) spectra(x []float32, f *Features) (maxP, maxMel float64) {
	for t := 0; t < f.Frames; t++ {
		mp, mm := p.frame(x, t, f)
		if mp > maxP {
			maxP = mp
		}
		if mm > maxMel {
			maxMel = mm
		}
	}
	return maxP, maxMel
}

// frame computes frame t: window, FFT, power, and from the one power
// spectrum the STFT magnitude, absolute log-STFT dB, mel power, absolute
// log-mel dB and normalised chroma, each written into column t. It returns
// the frame's largest power and mel power.
//
// It is a function of its own so that WebAssembly engines, which optimise
// a function only between calls (V8 has no on-stack replacement for wasm),
// get the optimised code from the second frame on, even for the first clip.
func (p *Plan) frame(x []float32, t int, f *Features) (maxP, maxMel float64) {
	c := &p.cfg
	F := f.Frames
	pw, db := p.pw, p.db
	p.powerFrame(x, t)

	powerDBs(db, pw, c.AminAmp*c.AminAmp)
	stft, lst := f.STFT[t:], f.LogSTFT[t:]
	for k, v := range pw {
		if v > maxP { // not max(): a runtime call under WebAssembly
			maxP = v
		}
		stft[k*F] = float32(math.Sqrt(v))
		lst[k*F] = float32(db[k])
	}

	p.mel.apply(p.melv, pw)
	powerDBs(db, p.melv, c.AminPower)
	mel, lmel := f.Mel[t:], f.LogMel[t:]
	for b, v := range p.melv {
		if v > maxMel {
			maxMel = v
		}
		mel[b*F] = float32(v)
		lmel[b*F] = float32(db[b])
	}

	p.chroma.apply(p.chrv, pw)
	var cm float64
	for _, v := range p.chrv {
		if v > cm {
			cm = v
		}
	}
	if cm < 0x1p-126 { // librosa.util.normalize: tiny maxima are left alone
		cm = 1
	}
	chr := f.Chroma[t:]
	for k, v := range p.chrv {
		chr[k*F] = float32(v / cm)
	}
	return maxP, maxMel
}

// powerFrame computes the power spectrum of frame t into p.pw: the NFFT
// samples centred on t·Hop, zero outside the signal (pad_mode="constant"),
// times the window, through the real FFT.
func (p *Plan) powerFrame(x []float32, t int) {
	n := p.cfg.NFFT
	win := p.win[:n]
	re, im := p.fft.input()
	re, im = re[:n/2], im[:n/2]
	start := t*p.cfg.Hop - n/2
	if start >= 0 && start+n <= len(x) {
		fr := x[start : start+n]
		for k := range re {
			re[k] = win[2*k] * float64(fr[2*k])
			im[k] = win[2*k+1] * float64(fr[2*k+1])
		}
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
	p.fft.power(p.pw)
}

// image fills f.Image from the dB and chroma matrices: channel 0 log-mel,
// 1 chroma, 2 log-STFT, each mapped to Height rows and scaled by Norm.
func (p *Plan) image(f *Features) {
	c := &p.cfg
	F, h := f.Frames, c.Height
	scale, shift := 1.0, 0.0
	if c.Norm == NormUnit {
		scale, shift = 1/c.TopDB, 1
	}
	if cap(p.acc) < F {
		p.acc = make([]float64, F)
	}
	ch := h * F
	p.melMap.apply(f.Image[:ch], f.LogMel, p.acc, F, scale, shift)
	p.chrMap.apply(f.Image[ch:2*ch], f.Chroma, p.acc, F, 1, 0)
	p.stMap.apply(f.Image[2*ch:3*ch], f.LogSTFT, p.acc, F, scale, shift)
	if c.Norm == NormUnit {
		// Rounding in the weighted sums can step a hair outside [0, 1].
		img := f.Image[:3*ch]
		for i, v := range img {
			if v < 0 {
				img[i] = 0
			} else if v > 1 {
				img[i] = 1
			}
		}
	}
}
