package dsp

// rowMap maps src rows onto dst rows of an image channel, each output row
// a fixed weighted sum of input rows. It is the documented resizing rule
// (see doc.go):
//
//   - src == dst: identity.
//   - src > dst (log-STFT 513 → 128): area averaging. Input row i covers
//     [i, i+1) and output row r covers [r·src/dst, (r+1)·src/dst); the
//     weight of i in r is their overlap divided by src/dst, so weights sum
//     to 1. The values averaged are dB values.
//   - src < dst (chroma 12 → 128): repetition. Output row r copies input
//     row ⌊r·src/dst⌋, so input row i fills rows ⌈i·dst/src⌉ up to
//     ⌈(i+1)·dst/src⌉-1 (10 or 11 rows each for 12 → 128).
//
// Overlaps are computed in integer units of 1/dst, so the rule is exact
// and deterministic on every platform.
type rowMap struct {
	src, dst int
	start    []int     // first input row of output row r
	off      []int     // weights of r are w[off[r]:off[r+1]]
	w        []float64 // weights, applied to rows start[r], start[r]+1, ...
}

func newRowMap(src, dst int) rowMap {
	m := rowMap{src: src, dst: dst, start: make([]int, dst), off: make([]int, dst+1)}
	for r := 0; r < dst; r++ {
		switch {
		case src == dst:
			m.start[r] = r
			m.w = append(m.w, 1)
		case src < dst:
			m.start[r] = r * src / dst
			m.w = append(m.w, 1)
		default:
			// In units of 1/dst: output row r is [r·src, (r+1)·src), input
			// row i is [i·dst, (i+1)·dst).
			lo, hi := r*src, (r+1)*src
			first := lo / dst
			m.start[r] = first
			for i := first; i*dst < hi; i++ {
				ov := min(hi, (i+1)*dst) - max(lo, i*dst)
				m.w = append(m.w, float64(ov)/float64(src))
			}
		}
		m.off[r+1] = len(m.w)
	}
	return m
}

// relDB describes the conversion of a matrix of absolute dB values to
// relative ones (toRelDB), done row by row as rowMap.apply first reads each
// row, while it is in cache.
type relDB struct {
	ref, topDB float64
	silent     bool
}

// rows converts rows [from, to) of the frames-wide matrix in, exactly as
// toRelDB does.
func (d *relDB) rows(in []float32, from, to, frames int) {
	if from < to {
		toRelDB(in[from*frames:to*frames], d.ref, d.topDB, d.silent)
	}
}

// apply writes the dst×frames channel out from the src×frames matrix in,
// both row-major, as out[r] = Σ_j w_j·(scale·in[start_r+j] + shift). The
// affine map comes first so that a constant input (silence at -TopDB)
// gives exactly scale·v+shift, whatever the rounding of the weights.
//
// If rel is not nil, in holds absolute dB values: each row is first made
// relative in place (the stored float32 is what the image is computed
// from, as if toRelDB had run over the whole matrix first). If clamp is
// set, every output value is clamped to [0, 1] after rounding to float32.
//
// Arithmetic is in float64 and acc is a scratch row of frames values: Go's
// WebAssembly backend rounds every float32 operation through a float64
// conversion, which made this loop 8× slower there than natively.
func (m *rowMap) apply(out, in []float32, acc []float64, frames int, scale, shift float64, rel *relDB, clamp bool) {
	acc = acc[:frames]
	done := 0 // rows of in made relative
	for r := 0; r < m.dst; r++ {
		o := out[r*frames : (r+1)*frames]
		o = o[:len(acc)]
		w := m.w[m.off[r]:m.off[r+1]]
		s := m.start[r]
		if rel != nil && done < s+len(w) {
			rel.rows(in, done, s+len(w), frames)
			done = s + len(w)
		}
		row := in[s*frames : (s+1)*frames]
		if len(w) == 1 {
			kern.affine(o, row, scale, shift, clamp)
			continue
		}
		kern.accFirst(acc, row, w[0], scale, shift)
		for j := 1; j < len(w); j++ {
			kern.accAdd(acc, in[(s+j)*frames:(s+j+1)*frames], w[j], scale, shift)
		}
		kern.accOut(o, acc, clamp)
	}
	if rel != nil {
		// Every row of in, also any beyond src (STFT bins above
		// Config.STFTBins), which the caller gets as relative dB too.
		rel.rows(in, done, len(in)/frames, frames)
	}
}
