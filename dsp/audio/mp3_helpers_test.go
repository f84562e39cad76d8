package audio

import (
	"encoding/binary"
	"math"
	"path/filepath"
	"strconv"
	"testing"
)

// Helpers for the MP3 tests: inputs are made at test time with sox, lame
// and ffmpeg, and ffmpeg's gapless decode is the reference.

// mp3Source writes a non-periodic test signal (a sweep on the left, pink
// noise on the right, so cross-correlation has one clear peak) and returns
// its path.
func mp3Source(t testing.TB, dir string, rate, channels int, secs float64) string {
	t.Helper()
	src := filepath.Join(dir, "src.wav")
	args := []string{"-R", "-n", "-r", strconv.Itoa(rate), "-c", strconv.Itoa(channels), "-b", "16", src, "synth", strconv.FormatFloat(secs, 'f', -1, 64), "sine", "200-3000"}
	if channels == 2 {
		args = append(args, "pinknoise")
	}
	args = append(args, "vol", "0.5")
	run(t, "sox", args...)
	return src
}

// mp3Lame encodes src with lame and the given options.
func mp3Lame(t testing.TB, src, dst string, opts ...string) []byte {
	t.Helper()
	run(t, "lame", append(append([]string{"--quiet"}, opts...), src, dst)...)
	return readFile(t, dst)
}

// mp3FFmpeg decodes any file with ffmpeg to mono float32 at its own rate;
// for MP3 with a LAME tag ffmpeg trims delay and padding.
func mp3FFmpeg(t testing.TB, path string) []float32 {
	t.Helper()
	raw := run(t, "ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-ac", "1", "-")
	out := make([]float32, len(raw)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}

// mp3BestLag returns the lag (b shifted right by lag matches a) within
// ±maxLag that maximises the correlation over a central window.
func mp3BestLag(a, b []float32, maxLag int) int {
	n := min(len(a), len(b))
	lo, hi := maxLag, n-maxLag
	if hi-lo > 20000 {
		mid := (lo + hi) / 2
		lo, hi = mid-10000, mid+10000
	}
	best, lagAt := math.Inf(-1), 0
	for lag := -maxLag; lag <= maxLag; lag++ {
		var s float64
		for i := lo; i < hi; i++ {
			if j := i - lag; j >= 0 && j < len(b) {
				s += float64(a[i]) * float64(b[j])
			}
		}
		if s > best {
			best, lagAt = s, lag
		}
	}
	return lagAt
}

// mp3Corr is the normalised correlation of a[i] with b[i-lag] where both exist.
func mp3Corr(a, b []float32, lag int) float64 {
	var ab, aa, bb float64
	for i := range a {
		j := i - lag
		if j < 0 || j >= len(b) {
			continue
		}
		x, y := float64(a[i]), float64(b[j])
		ab += x * y
		aa += x * x
		bb += y * y
	}
	if aa == 0 || bb == 0 {
		return 0
	}
	return ab / math.Sqrt(aa*bb)
}
