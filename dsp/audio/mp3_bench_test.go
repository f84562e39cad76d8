package audio

import (
	"path/filepath"
	"testing"
)

// BenchmarkDecodeMP3 decodes 30 s of 44.1 kHz stereo 128 kbps MP3 and
// reports the speed as a multiple of real time.
func BenchmarkDecodeMP3(b *testing.B) {
	dir := b.TempDir()
	src := mp3Source(b, dir, 44100, 2, 30)
	data := mp3Lame(b, src, filepath.Join(dir, "bench.mp3"), "-b", "128")
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var secs float64
	for b.Loop() {
		clip, err := DecodeNative(data, DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		secs += clip.Info.Duration
	}
	b.ReportMetric(secs/b.Elapsed().Seconds(), "x_realtime")
}
