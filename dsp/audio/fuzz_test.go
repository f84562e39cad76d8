package audio

import (
	"encoding/binary"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxSeconds: 2}

// wavSeeds are small valid WAVs of every kind the decoder handles: hand
// built layouts plus tiny files from sox and ffmpeg.
func wavSeeds(tb testing.TB) [][]byte {
	le := binary.LittleEndian
	pcm := pcm16LE(100, -200, 300, -400, 500, -600, 700, -800)
	seeds := [][]byte{
		simpleWAV(1, 16000, 1, -1, 1000, -1000),
		buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 2, 44100, 16)}, chunk{id: "junk", body: []byte("odd")}, chunk{id: "data", body: pcm}),
		buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16)}, chunk{id: "data", body: pcm, size: sz(0xFFFFFFFF)}),
		buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16)}, chunk{id: "data", body: pcm, size: sz(0)}),
		buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(3, 2, 48000, 32, 32)}, chunk{id: "data", body: pcm}),
		buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(7, 1, 8000, 8, 8)}, chunk{id: "data", body: pcm}),
		buildWAV("RIFX", chunk{id: "fmt ", body: fmtBody(binary.BigEndian, 1, 2, 16000, 24)}, chunk{id: "data", body: pcm[:12]}),
		rf64(pcm, 0xFFFFFFFF, uint64(len(pcm))),
	}
	fixtures, _ := filepath.Glob("testdata/*.wav")
	for _, name := range fixtures {
		seeds = append(seeds, readFile(tb, name))
	}
	dir := tb.TempDir()
	gen := []string{
		"-r 8000 -c 1 -b 8", "-r 16000 -c 2 -b 16", "-r 44100 -c 2 -b 24", "-r 48000 -c 1 -b 32",
		"-r 22050 -c 2 -e floating-point -b 32", "-r 16000 -c 1 -e floating-point -b 64",
		"-r 8000 -c 1 -e mu-law", "-r 8000 -c 2 -e a-law", "-r 16000 -c 6 -b 16", "-B -r 16000 -c 1 -b 16",
	}
	for i, opts := range gen {
		path := filepath.Join(dir, fmt.Sprint(i, ".wav"))
		args := append(append([]string{"-n"}, strings.Fields(opts)...), path, "synth", "0.005", "sine", "440")
		run(tb, "sox", args...)
		seeds = append(seeds, readFile(tb, path))
	}
	for i, opts := range [][]string{{"-c:a", "pcm_s16le", "-rf64", "always"}, {"-ac", "3", "-c:a", "pcm_s24le", "-metadata", "title=t"}} {
		path := filepath.Join(dir, fmt.Sprint("ff", i, ".wav"))
		args := append([]string{"-v", "error", "-f", "lavfi", "-i", "sine=d=0.005:r=16000"}, opts...)
		run(tb, "ffmpeg", append(args, path)...)
		seeds = append(seeds, readFile(tb, path))
	}
	return seeds
}

// checkDecoded fails t unless err wraps exactly one sentinel or the
// result is a sane, finite signal.
func checkDecoded(t *testing.T, in []byte, samples []float32, info Info, err error) {
	t.Helper()
	if err != nil {
		assertOneSentinel(t, err)
		return
	}
	if len(samples) == 0 {
		t.Fatal("no samples and no error")
	}
	for i, s := range samples {
		if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			t.Fatalf("sample %d is %g", i, s)
		}
	}
	if info.SampleRate < MinRate || info.SampleRate > MaxRate || info.Channels < 1 || info.Frames < 1 {
		t.Fatalf("info %+v", info)
	}
	if info.Container == "wav" || info.Container == "rf64" {
		if info.Frames > len(in) || info.Frames*info.Channels > len(in) {
			t.Fatalf("%d frames × %d channels from %d bytes", info.Frames, info.Channels, len(in))
		}
	}
}

func FuzzDecodeWAV(f *testing.F) {
	for _, s := range wavSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := decodeWAV(data, fuzzLimits)
		checkDecoded(t, data, d.mono, d.info, err)
		if err == nil && len(d.mono) != d.info.Frames {
			t.Fatalf("%d samples, %d frames", len(d.mono), d.info.Frames)
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, s := range wavSeeds(f) {
		f.Add(s)
	}
	// A couple of MP3 seeds so the whole pipeline is exercised.
	dir := f.TempDir()
	wav := filepath.Join(dir, "a.wav")
	run(f, "sox", "-n", "-r", "16000", "-c", "1", "-b", "16", wav, "synth", "0.05", "sine", "440")
	for i, opts := range [][]string{{"-b", "32"}, {"-V", "9", "--resample", "8"}} {
		mp3 := filepath.Join(dir, fmt.Sprint(i, ".mp3"))
		run(f, "lame", append(append([]string{"--quiet"}, opts...), wav, mp3)...)
		f.Add(readFile(f, mp3))
	}
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		clip, err := Decode(data, fuzzLimits)
		if err != nil {
			checkDecoded(t, data, nil, Info{}, err)
			return
		}
		if clip.Rate != TargetRate {
			t.Fatalf("rate %d", clip.Rate)
		}
		checkDecoded(t, data, clip.Samples, clip.Info, nil)
	})
}
