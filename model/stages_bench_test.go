package model

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"emotion/dsp/audio"
	"emotion/dsp/resample"
)

// BenchmarkStages splits the pipeline of a visitor's file into its stages,
// for a 3 s and a 30 s clip of speech as a phone or a recorder would hand
// it over (44.1 kHz stereo, 16-bit WAV and 128 kbit/s MP3):
//
//	decode_wav, decode_mp3  bytes → mono at 44.1 kHz (audio.DecodeNative)
//	resample                44.1 kHz → 16 kHz (what audio.Decode adds)
//	image                   trim silence + the 3-channel image (Plan.ComputeImage)
//	model                   every window through the model (Probabilities)
//	whole_wav, whole_mp3    bytes → Result (Classifier.Classify): the sum, as shipped
//
// The inputs are made from a RAVDESS clip with sox and lame. With
// $EMOTION_BENCH_CLIPS set they are kept in that folder, so that the
// WebAssembly run (which cannot start sox) reads the same files; without
// it and without sox (wasm), the benchmark is skipped.
func BenchmarkStages(b *testing.B) {
	c := newTestClassifier(b)
	lim := audio.DefaultLimits()
	for _, sec := range []int{3, 30} {
		name := map[int]string{3: "3s", 30: "30s"}[sec]
		wav, mp3 := stageInputs(b, name, sec)
		b.Run(name, func(b *testing.B) {
			native, err := audio.DecodeNative(wav, lim)
			if err != nil {
				b.Fatal(err)
			}
			rs, err := resample.New(native.Rate, audio.TargetRate)
			if err != nil {
				b.Fatal(err)
			}
			x := rs.Resample(native.Samples)
			b.Run("decode_wav", func(b *testing.B) {
				loop(b, func() error { _, err := audio.DecodeNative(wav, lim); return err })
			})
			b.Run("decode_mp3", func(b *testing.B) {
				loop(b, func() error { _, err := audio.DecodeNative(mp3, lim); return err })
			})
			b.Run("resample", func(b *testing.B) {
				loop(b, func() error {
					r, err := resample.New(native.Rate, audio.TargetRate)
					if err == nil {
						r.Resample(native.Samples)
					}
					return err
				})
			})
			b.Run("image", func(b *testing.B) {
				loop(b, func() error { return c.stageImage(x) })
			})
			b.Run("model", func(b *testing.B) {
				if err := c.stageImage(x); err != nil {
					b.Fatal(err)
				}
				loop(b, c.stageModel)
			})
			b.Run("whole_wav", func(b *testing.B) {
				loop(b, func() error { _, err := c.Classify(wav, lim); return err })
			})
			b.Run("whole_mp3", func(b *testing.B) {
				loop(b, func() error { _, err := c.Classify(mp3, lim); return err })
			})
		})
	}
}

// stageImage is the first half of ClassifySamplesEach: trim, then the image.
func (c *Classifier) stageImage(x []float32) error {
	la, lb, err := c.trim.Loud(x)
	if err != nil {
		return err
	}
	a, z := c.trim.Widen(la, lb, len(x))
	return c.plan.ComputeImage(x[a:z], &c.feat)
}

// stageModel is its second half: every window of the image in c.feat
// through the model.
func (c *Classifier) stageModel() error {
	width, hop := c.m.InputShape[3], c.m.WindowHop
	if hop == 0 {
		hop = width / 2
	}
	for _, s := range Windows(c.feat.Frames, width, hop) {
		c.window(s)
		if _, err := c.m.Probabilities(c.win); err != nil {
			return err
		}
	}
	return nil
}

// stageInputs returns the WAV and MP3 bytes of a sec-second clip, from
// $EMOTION_BENCH_CLIPS when it holds them, else made with sox and lame.
func stageInputs(b *testing.B, name string, sec int) (wav, mp3 []byte) {
	b.Helper()
	dir := os.Getenv("EMOTION_BENCH_CLIPS")
	if dir == "" {
		dir = b.TempDir()
	}
	wavPath := filepath.Join(dir, "stages-"+name+".wav")
	mp3Path := filepath.Join(dir, "stages-"+name+".mp3")
	wav, errW := os.ReadFile(wavPath)
	mp3, errM := os.ReadFile(mp3Path)
	if errW == nil && errM == nil {
		return wav, mp3
	}
	if _, err := exec.LookPath("sox"); err != nil {
		b.Skipf("no inputs in $EMOTION_BENCH_CLIPS (%q) and no sox to make them: %v", dir, errors.Join(errW, errM, err))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	src := filepath.Join(dir, "stages-"+name+"-16k.wav")
	speech := ravdessClip(b, "03-01-05-01-01-01-01.wav")
	if err := os.WriteFile(src, wavBytes(repeatTo(speech, sec*16000), 16000), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, cmd := range [][]string{
		{"sox", src, "-r", "44100", "-c", "2", "-b", "16", wavPath},
		{"lame", "--quiet", "-b", "128", wavPath, mp3Path},
	} {
		if out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", cmd, err, out)
		}
	}
	os.Remove(src)
	var err error
	if wav, err = os.ReadFile(wavPath); err != nil {
		b.Fatal(err)
	}
	if mp3, err = os.ReadFile(mp3Path); err != nil {
		b.Fatal(err)
	}
	return wav, mp3
}
