package dsp

// CenterRows subtracts from every row of the log-mel and log-STFT channels
// of f.Image that row's mean over the clip's frames, when the
// configuration asks for it (Config.Center); otherwise it does nothing.
// Chroma, already relative within each frame, is left as it is.
//
// Why: a row's mean over a clip is the long-term spectrum of the talker,
// the microphone and the room, which says more about who recorded the clip
// and how than about the emotion in it. Removed per clip (cepstral mean
// normalisation, done on the image), what is left is how the spectrum
// moves. The means are written to means (2·Height values: log-mel rows,
// then log-STFT rows) when it is not nil, for a baseline that wants them.
//
// It runs after ComputeImage and before the image is cut into model
// windows; a window narrower than the model's input is padded with zeros,
// which are then the clip's mean level rather than silence.
func (p *Plan) CenterRows(f *Features, means []float32) {
	if !p.cfg.Center {
		return
	}
	h, n := p.cfg.Height, f.Frames
	if n == 0 {
		return
	}
	for k, ch := range [2]int{0, 2} {
		for r := range h {
			row := f.Image[(ch*h+r)*n:][:n]
			var sum float64
			for _, v := range row {
				sum += float64(v)
			}
			m := float32(sum / float64(n))
			for i := range row {
				row[i] -= m
			}
			if means != nil {
				means[k*h+r] = m
			}
		}
	}
}
