package picture

import (
	"errors"
	"math"
	"testing"

	"emotion/dsp"
	"emotion/model"
)

func TestRenderLayout(t *testing.T) {
	cfg := dsp.Reference()
	cfg.Height = 2
	// Channel c, row r, frame f holds (c + 1) * (r + 1) * (f + 1) / 100.
	const frames = 4
	img := make([]float32, 3*cfg.Height*frames)
	for c := range 3 {
		for r := range cfg.Height {
			for f := range frames {
				img[(c*cfg.Height+r)*frames+f] = float32((c+1)*(r+1)*(f+1)) / 100
			}
		}
	}
	px := func(b []byte, w, x, y, c int) byte { return b[4*(y*w+x)+c] }
	full := Render(img, frames, cfg, frames)
	if len(full) != 4*frames*cfg.Height {
		t.Fatalf("%d bytes", len(full))
	}
	// Row 0 (lowest frequency) is drawn at the bottom.
	if got, want := px(full, frames, 2, 1, 1), byte(math.Round(255*2*1*3/100.0)); got != want {
		t.Errorf("G at bottom row, frame 2: %d, want %d", got, want)
	}
	if got, want := px(full, frames, 3, 0, 2), byte(math.Round(255*3*2*4/100.0)); got != want {
		t.Errorf("B at top row, frame 3: %d, want %d", got, want)
	}
	if px(full, frames, 0, 0, 3) != 255 {
		t.Error("alpha not opaque")
	}
	// Two columns: each averages two frames.
	half := Render(img, frames, cfg, 2)
	if got, want := px(half, 2, 1, 1, 0), byte(math.Round(255*(3+4)/2/100.0)); got != want {
		t.Errorf("R averaged over frames 2-3: %d, want %d", got, want)
	}
}

func TestRenderDBChannelsWithoutNorm(t *testing.T) {
	cfg := dsp.Reference()
	cfg.Height, cfg.Norm = 1, dsp.NormNone
	img := []float32{-80, 0, 0.5, 1, -40, 0} // log-mel, chroma, log-STFT rows of 2 frames
	b := Render(img, 2, cfg, 2)
	want := []byte{0, 128, 128, 255, 255, 255, 255, 255}
	for i := range want {
		if b[i] != want[i] {
			t.Fatalf("pixels %v, want %v", b, want)
		}
	}
}

func TestDraw(t *testing.T) {
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	mk, err := New(m)
	if err != nil {
		t.Fatal(err)
	}
	rate := m.Features.SampleRate
	// 1 s of silence, 1.5 s of a tone, 1 s of silence.
	x := make([]float32, rate*7/2)
	for i := rate; i < rate*5/2; i++ {
		x[i] = float32(0.3 * math.Sin(2*math.Pi*220*float64(i)/float64(rate)))
	}
	p, err := mk.Draw(x, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Duration != 3.5 || p.SpeechStart < 0.8 || p.SpeechStart > 1 || p.SpeechEnd < 2.5 || p.SpeechEnd > 2.7 {
		t.Errorf("duration %g, speech %g-%g s", p.Duration, p.SpeechStart, p.SpeechEnd)
	}
	n := int((p.SpeechEnd - p.SpeechStart) * float64(rate))
	if p.Height != m.Features.Height || p.Width != m.Features.Frames(n) || len(p.RGBA) != 4*p.Width*p.Height {
		t.Errorf("%d×%d, %d bytes", p.Width, p.Height, len(p.RGBA))
	}
	small, err := mk.Draw(x, 50)
	if err != nil || small.Width != 50 || len(small.RGBA) != 4*50*p.Height {
		t.Errorf("max width 50: %v, %+v", err, small)
	}
	if _, err := mk.Draw(make([]float32, rate), 0); !errors.Is(err, dsp.ErrNoSpeech) {
		t.Errorf("silence: %v", err)
	}
}
