// Package picture draws the 3-channel image the classifier sees as RGBA
// pixels, ready for a canvas: R = log-mel, G = chroma, B = log-STFT.
package picture

import (
	"emotion/dsp"
	"emotion/model"
)

// Channels names the image channels drawn as red, green and blue.
var Channels = [3]string{"log-mel", "chroma", "log-STFT"}

// Picture is one clip's image. RGBA holds Width×Height pixels, four bytes
// each, top row first; the top row is the highest frequency.
type Picture struct {
	Width, Height int
	RGBA          []byte
	Duration      float64 // seconds of audio in the clip
	SpeechStart   float64 // the trimmed part drawn, in seconds
	SpeechEnd     float64
}

// Maker computes pictures with a model's features and trimming. It keeps
// its buffers between calls, which must not overlap.
type Maker struct {
	cfg  dsp.Config
	plan *dsp.Plan
	trim dsp.TrimConfig
	feat dsp.Features
}

// New prepares a Maker for m, trimming as the model was trained to.
func New(m *model.Model) (*Maker, error) {
	plan, err := dsp.NewPlan(m.Features)
	if err != nil {
		return nil, err
	}
	trim, err := m.TrimConfig()
	if err != nil {
		return nil, err
	}
	return &Maker{cfg: m.Features, plan: plan, trim: trim}, nil
}

// Draw trims silence from x (mono, at the model's sample rate) and draws
// the image of what is left. With maxWidth > 0, an image wider than
// maxWidth frames is averaged down to maxWidth columns. It returns
// dsp.ErrNoSpeech for a silent clip.
func (mk *Maker) Draw(x []float32, maxWidth int) (*Picture, error) {
	rate := float64(mk.cfg.SampleRate)
	a, b, err := mk.trim.Trim(x)
	if err != nil {
		return nil, err
	}
	if err := mk.plan.ComputeImage(x[a:b], &mk.feat); err != nil {
		return nil, err
	}
	return Of(&mk.feat, mk.cfg, maxWidth, float64(len(x))/rate, float64(a)/rate, float64(b)/rate), nil
}

// Of draws features computed with cfg (the image of a clip of duration
// seconds, trimmed to [speechStart, speechEnd)), at most maxWidth columns
// wide when maxWidth > 0. The classifier's image hook hands it exactly
// these, so a page gets its picture without a second decode and image.
func Of(f *dsp.Features, cfg dsp.Config, maxWidth int, duration, speechStart, speechEnd float64) *Picture {
	p := &Picture{Duration: duration, SpeechStart: speechStart, SpeechEnd: speechEnd}
	p.Width, p.Height = f.Frames, cfg.Height
	if maxWidth > 0 && p.Width > maxWidth {
		p.Width = maxWidth
	}
	p.RGBA = Render(f.Image, f.Frames, cfg, p.Width)
	return p
}

// Render draws img, a dsp.Features.Image of frames columns computed with
// cfg, as width×cfg.Height RGBA pixels (width <= frames), averaging the
// frames that fall in each column.
func Render(img []float32, frames int, cfg dsp.Config, width int) []byte {
	h := cfg.Height
	out := make([]byte, 4*width*h)
	for i := 3; i < len(out); i += 4 {
		out[i] = 255
	}
	for c := range 3 {
		// Unit-normalised channels span [0, 1]; otherwise dB channels
		// are mapped from [-TopDB, 0] (chroma is in [0, 1] either way).
		scale, shift := 1.0, 0.0
		if cfg.Norm == dsp.NormNone && c != 1 {
			scale, shift = 1/cfg.TopDB, 1
		}
		for r := range h {
			src := img[(c*h+r)*frames:][:frames]
			dst := out[4*(h-1-r)*width:][:4*width]
			for col := range width {
				lo, hi := col*frames/width, (col+1)*frames/width
				s := 0.0
				for _, v := range src[lo:hi] {
					s += float64(v)
				}
				v := (s/float64(hi-lo))*scale + shift
				dst[4*col+c] = uint8(max(0, min(255, v*255+0.5)))
			}
		}
	}
	return out
}
