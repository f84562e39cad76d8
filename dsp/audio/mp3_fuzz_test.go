package audio

import (
	"errors"
	"math"
	"path/filepath"
	"testing"
)

// FuzzDecodeMP3 feeds mutated MP3s to DecodeNative: it must never panic or
// hang, every error must be an *Error of a sentinel kind, and output must
// stay within the limits. Seeds are tiny MP3s made with lame at test time;
// crashers found so far live in testdata/fuzz/FuzzDecodeMP3.
func FuzzDecodeMP3(f *testing.F) {
	dir := f.TempDir()
	for i, c := range []struct {
		rate, ch int
		opts     []string
	}{
		{44100, 2, []string{"-b", "128"}},
		{22050, 1, []string{"-b", "32", "--add-id3v2", "--tt", "seed"}},
		{8000, 1, []string{"-V", "6", "--id3v1-only", "--tt", "seed"}},
		{48000, 2, []string{"-V", "0", "-m", "j"}},
	} {
		src := mp3Source(f, dir, c.rate, c.ch, 0.15)
		f.Add(mp3Lame(f, src, filepath.Join(dir, "seed"+string(rune('a'+i))+".mp3"), c.opts...))
	}
	lim := Limits{MaxBytes: 1 << 20, MaxSeconds: 5}
	f.Fuzz(func(t *testing.T, data []byte) {
		clip, err := DecodeNative(data, lim)
		if err != nil {
			mp3CheckErr(t, err)
			return
		}
		if len(clip.Samples) != clip.Info.Frames || clip.Rate != clip.Info.SampleRate {
			t.Fatalf("%d samples, Info.Frames %d, rate %d/%d", len(clip.Samples), clip.Info.Frames, clip.Rate, clip.Info.SampleRate)
		}
		if float64(len(clip.Samples)) > lim.MaxSeconds*float64(clip.Rate) {
			t.Fatalf("%d samples at %d Hz exceed the %v s limit", len(clip.Samples), clip.Rate, lim.MaxSeconds)
		}
		for i, v := range clip.Samples {
			if math.IsNaN(float64(v)) || math.Abs(float64(v)) > 1.01 {
				t.Fatalf("sample %d = %v", i, v)
			}
		}
	})
}

// mp3CheckErr fails t unless err is an *Error wrapping one sentinel.
func mp3CheckErr(t testing.TB, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
	for _, k := range []error{ErrEmpty, ErrNotAudio, ErrTruncated, ErrInvalid, ErrUnsupported, ErrNoSamples, ErrTooLarge, ErrTooLong} {
		if errors.Is(err, k) {
			return
		}
	}
	t.Fatalf("error wraps no sentinel: %v", err)
}
