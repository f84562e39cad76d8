package dsp

import "math"

// Slaney mel scale (librosa htk=False): linear below 1 kHz, logarithmic
// above.
const (
	melFSP      = 200.0 / 3
	melMinLogHz = 1000.0
	melMinLog   = melMinLogHz / melFSP // 15
)

var melLogStep = math.Log(6.4) / 27

func hzToMel(f float64) float64 {
	if f >= melMinLogHz {
		return melMinLog + math.Log(f/melMinLogHz)/melLogStep
	}
	return f / melFSP
}

func melToHz(m float64) float64 {
	if m >= melMinLog {
		return melMinLogHz * math.Exp(melLogStep*(m-melMinLog))
	}
	return melFSP * m
}

// linspace is numpy.linspace(start, stop, num) with its rounding: i*step +
// start, and the last point exactly stop.
func linspace(start, stop float64, num int) []float64 {
	y := make([]float64, num)
	if num == 1 {
		y[0] = start
		return y
	}
	step := (stop - start) / float64(num-1)
	for i := range y {
		y[i] = float64(i)*step + start
	}
	y[num-1] = stop
	return y
}

// fftFrequencies is librosa.fft_frequencies (numpy.fft.rfftfreq).
func fftFrequencies(sr, nfft int) []float64 {
	val := 1.0 / (float64(nfft) * (1.0 / float64(sr)))
	f := make([]float64, nfft/2+1)
	for i := range f {
		f[i] = float64(i) * val
	}
	return f
}

// MelFilters returns librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax,
// htk=False, norm="slaney") as a dense [NMels][Bins] matrix, row-major.
// Values are rounded to float32 in the same two steps as librosa's float32
// result (triangle, then area normalisation), so they equal it bit for bit
// up to libm differences.
func MelFilters(c Config) []float32 {
	nb := c.Bins()
	fftf := fftFrequencies(c.SampleRate, c.NFFT)
	mels := linspace(hzToMel(c.FMin), hzToMel(c.FMax), c.NMels+2)
	melf := make([]float64, len(mels))
	for i, m := range mels {
		melf[i] = melToHz(m)
	}
	w := make([]float32, c.NMels*nb)
	for i := 0; i < c.NMels; i++ {
		fdl, fdu := melf[i+1]-melf[i], melf[i+2]-melf[i+1]
		enorm := 2.0 / (melf[i+2] - melf[i])
		for k, f := range fftf {
			lower := -(melf[i] - f) / fdl
			upper := (melf[i+2] - f) / fdu
			v := math.Max(0, math.Min(lower, upper))
			w[i*nb+k] = float32(float64(float32(v)) * enorm)
		}
	}
	return w
}

// sparseBank stores a filter bank by its runs of non-zero weights: segment
// j adds Σ_i w[off[j]+i]·x[start[j]+i] to output row[j]. Each mel triangle
// is one run of a few bins, so the mel bank costs 1009 multiply-adds per
// frame instead of 128·513; each chroma row is one run per octave.
type sparseBank struct {
	rows  int
	row   []int
	start []int
	off   []int // len(row)+1
	w     []float64
}

// newSparseBank keeps the weights of dense ([rows][cols], row-major) whose
// magnitude is above thr, in runs; runs separated by fewer than 4 dropped
// weights are merged, a zero multiply being cheaper than a new run.
func newSparseBank(dense []float32, rows, cols int, thr float64) sparseBank {
	const minGap = 4
	b := sparseBank{rows: rows, off: []int{0}}
	for r := 0; r < rows; r++ {
		row := dense[r*cols : (r+1)*cols]
		keep := func(k int) bool { return row[k] != 0 && math.Abs(float64(row[k])) > thr }
		for k := 0; k < cols; {
			if !keep(k) {
				k++
				continue
			}
			end, gap := k, 0 // run is [k, end]
			for i := k + 1; i < cols && gap < minGap; i++ {
				if keep(i) {
					end, gap = i, 0
				} else {
					gap++
				}
			}
			b.row = append(b.row, r)
			b.start = append(b.start, k)
			for i := k; i <= end; i++ {
				v := float64(row[i])
				if !keep(i) {
					v = 0
				}
				b.w = append(b.w, v)
			}
			b.off = append(b.off, len(b.w))
			k = end + 1
		}
	}
	return b
}

// apply computes dst[r] = Σ_k w[r,k] x[k] for every row. The dot product
// is written out here rather than called: calls are costly under
// WebAssembly and there are 128 to 230 runs per frame. Four accumulators
// keep the additions from waiting on each other (one accumulator runs at
// the add latency, 4 cycles).
func (b *sparseBank) apply(dst []float64, x []float64) {
	dst = dst[:b.rows]
	clear(dst)
	off := b.off[:len(b.row)+1]
	start := b.start[:len(b.row)]
	for j, r := range b.row {
		w := b.w[off[j]:off[j+1]]
		xs := x[start[j]:]
		xs = xs[:len(w)]
		var a0, a1, a2, a3 float64
		i := 0
		for ; i+4 <= len(w); i += 4 {
			ww, xx := w[i:i+4:i+4], xs[i:i+4:i+4]
			a0 += ww[0] * xx[0]
			a1 += ww[1] * xx[1]
			a2 += ww[2] * xx[2]
			a3 += ww[3] * xx[3]
		}
		for ; i < len(w); i++ {
			a0 += w[i] * xs[i]
		}
		dst[r] += (a0 + a1) + (a2 + a3)
	}
}

// apply2 is apply on two inputs at once, d0 = b·x0 and d1 = b·x1, each
// summed exactly as apply sums it. Sharing the loop over runs and the
// weight loads between two frames matters under WebAssembly, where the
// bank products were the largest cost of a frame.
func (b *sparseBank) apply2(d0, d1, x0, x1 []float64) {
	d0, d1 = d0[:b.rows], d1[:b.rows]
	clear(d0)
	clear(d1)
	off := b.off[:len(b.row)+1]
	start := b.start[:len(b.row)]
	for j, r := range b.row {
		w := b.w[off[j]:off[j+1]]
		xs, ys := x0[start[j]:], x1[start[j]:]
		xs, ys = xs[:len(w)], ys[:len(w)]
		var a0, a1, a2, a3, b0, b1, b2, b3 float64
		i := 0
		for ; i+4 <= len(w); i += 4 {
			ww, xx, yy := w[i:i+4:i+4], xs[i:i+4:i+4], ys[i:i+4:i+4]
			a0 += ww[0] * xx[0]
			b0 += ww[0] * yy[0]
			a1 += ww[1] * xx[1]
			b1 += ww[1] * yy[1]
			a2 += ww[2] * xx[2]
			b2 += ww[2] * yy[2]
			a3 += ww[3] * xx[3]
			b3 += ww[3] * yy[3]
		}
		for ; i < len(w); i++ {
			a0 += w[i] * xs[i]
			b0 += w[i] * ys[i]
		}
		d0[r] += (a0 + a1) + (a2 + a3)
		d1[r] += (b0 + b1) + (b2 + b3)
	}
}
