package dsp

import "math"

// Fixed parameters of librosa.filters.chroma that Config does not expose:
// the reference configuration uses librosa's defaults.
const (
	chromaCtrOct   = 5.0 // centre of the octave weighting, octaves above 27.5 Hz, i.e. 880 Hz (librosa ctroct)
	chromaOctWidth = 2.0 // width of that Gaussian in octaves (librosa octwidth)
	chromaTuning   = 0.0 // tuning offset in fractions of a bin
)

// ChromaFilters returns librosa.filters.chroma(sr, n_fft, n_chroma,
// tuning=0, ctroct=5, octwidth=2, norm=2, base_c=True) as a dense
// [NChroma][Bins] matrix, row-major, rounded to float32 like librosa's.
//
// Each FFT bin is spread over the chroma classes by a Gaussian in pitch
// (width twice the bin's own width in chroma units), every column is
// normalised to unit L2 norm, then weighted by a Gaussian over octaves
// centred on ctroct, and rows are rolled so that row 0 is C.
func ChromaFilters(c Config) []float32 {
	n := c.NFFT
	nc := float64(c.NChroma)
	// frqbins: pitch of each FFT bin 1..n-1 in chroma units; bin 0 made up
	// as 1.5 octaves below bin 1.
	a440 := 440.0 * math.Pow(2, chromaTuning/nc)
	frq := make([]float64, n)
	step := float64(c.SampleRate) / float64(n) // np.linspace(0, sr, n, endpoint=False)
	for i := 1; i < n; i++ {
		f := float64(i) * step
		frq[i] = nc * math.Log2(f/(a440/16))
	}
	frq[0] = frq[1] - 1.5*nc
	width := make([]float64, n)
	for i := 0; i < n-1; i++ {
		width[i] = math.Max(frq[i+1]-frq[i], 1)
	}
	width[n-1] = 1
	half := math.RoundToEven(nc / 2)
	wts := make([]float64, c.NChroma*n)
	for i := 0; i < n; i++ {
		var ss float64
		for k := 0; k < c.NChroma; k++ {
			d := frq[i] - float64(k)
			d = math.Mod(d+half+10*nc, nc)
			if d < 0 { // numpy remainder takes the sign of the divisor
				d += nc
			}
			d -= half
			x := 2 * d / width[i]
			v := math.Exp(-0.5 * x * x)
			wts[k*n+i] = v
			ss += v * v
		}
		norm := math.Pow(ss, 0.5)
		if norm < 0x1p-1022 { // librosa.util.normalize leaves tiny columns alone
			norm = 1
		}
		o := (frq[i]/nc - chromaCtrOct) / chromaOctWidth
		oct := math.Exp(-0.5 * o * o)
		for k := 0; k < c.NChroma; k++ {
			wts[k*n+i] = wts[k*n+i] / norm * oct
		}
	}
	// base_c: roll rows by -3·(n_chroma/12) so that row 0 is C, and keep
	// the non-negative frequencies.
	nb := c.Bins()
	roll := 3 * (c.NChroma / 12)
	out := make([]float32, c.NChroma*nb)
	for k := 0; k < c.NChroma; k++ {
		src := (k + roll) % c.NChroma
		for i := 0; i < nb; i++ {
			out[k*nb+i] = float32(wts[src*n+i])
		}
	}
	return out
}

// chromaTrim is the weight, relative to the largest in the bank, at or
// below which a chroma filter weight is dropped (see sparseBank). librosa's filters are dense
// Gaussians, but away from each class's own pitches the weights fall to
// 1e-30 and below. Trimming at 1e-7 keeps 2951 of the 6156 weights (2.1×
// less work) and TestChromaTrim measures that it changes no golden chroma
// value by more than one float32 ulp; at 1e-5 the change reaches 1e-5, above the
// float32 noise of librosa's own result, so the threshold stays at 1e-7.
const chromaTrim = 1e-7

// newChromaBank is the sparse chroma bank of c, trimmed at chromaTrim.
func newChromaBank(c Config) sparseBank {
	return trimmedChromaBank(c, chromaTrim)
}

func trimmedChromaBank(c Config, trim float64) sparseBank {
	dense := ChromaFilters(c)
	var mx float32
	for _, v := range dense {
		mx = max(mx, v)
	}
	return newSparseBank(dense, c.NChroma, c.Bins(), trim*float64(mx))
}
