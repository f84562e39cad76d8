package audio

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	upstream "github.com/hajimehoshi/go-mp3"
)

// TestMP3MatchesUpstream checks that the patched, sped-up copy of go-mp3
// in internal/gomp3 decodes MPEG-1 (which upstream handles) like upstream
// v0.3.4: same sample count, within one 16-bit step.
func TestMP3MatchesUpstream(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []mp3Case{
		{name: "cbr", rate: 44100, ch: 2, lame: []string{"-t", "-b", "128"}},
		{name: "vbr-mono", rate: 48000, ch: 1, lame: []string{"-t", "-V", "3"}},
		{name: "320k", rate: 44100, ch: 2, lame: []string{"-t", "-b", "320"}},
	} {
		path, _ := makeMP3(t, dir, c, 1)
		data := readFile(t, path)
		d, err := upstream.NewDecoder(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		pcm, err := io.ReadAll(d)
		if err != nil {
			t.Fatal(err)
		}
		clip, err := DecodeNative(data, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if len(pcm)/4 != len(clip.Samples) {
			t.Fatalf("%s: %d samples, upstream %d", c.name, len(clip.Samples), len(pcm)/4)
		}
		var worst float64
		for i, v := range clip.Samples {
			l := int16(binary.LittleEndian.Uint16(pcm[4*i:]))
			r := int16(binary.LittleEndian.Uint16(pcm[4*i+2:]))
			want := float64(int32(l)+int32(r)) / 65536
			worst = max(worst, mp3Abs(float64(v)-want)*32768)
		}
		t.Logf("%s: max difference from upstream %.2f LSB", c.name, worst)
		if worst > 1 {
			t.Errorf("%s: differs from upstream by %.2f LSB", c.name, worst)
		}
	}
}

func mp3Abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
