package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	gowav "github.com/go-audio/wav"
)

// chunk is one RIFF chunk for buildWAV. size overrides the written size
// when non-nil; odd bodies get a pad byte unless noPad.
type chunk struct {
	id    string
	body  []byte
	size  *uint32
	noPad bool
}

type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func sz(n uint32) *uint32 { return &n }

// buildWAV assembles a WAV file by hand; magic is RIFF, RIFX, RF64...
func buildWAV(magic string, chunks ...chunk) []byte {
	var order byteOrder = binary.LittleEndian
	if magic == "RIFX" {
		order = binary.BigEndian
	}
	var b bytes.Buffer
	b.WriteString(magic + "\x00\x00\x00\x00WAVE")
	for _, c := range chunks {
		b.WriteString(c.id)
		n := uint32(len(c.body))
		if c.size != nil {
			n = *c.size
		}
		b.Write(order.AppendUint32(nil, n))
		b.Write(c.body)
		if len(c.body)%2 == 1 && !c.noPad {
			b.WriteByte(0)
		}
	}
	out := b.Bytes()
	order.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// fmtBody is a 16-byte fmt chunk.
func fmtBody(order byteOrder, tag, ch, rate, bits int) []byte {
	width := (bits + 7) / 8
	b := order.AppendUint16(nil, uint16(tag))
	b = order.AppendUint16(b, uint16(ch))
	b = order.AppendUint32(b, uint32(rate))
	b = order.AppendUint32(b, uint32(rate*ch*width))
	b = order.AppendUint16(b, uint16(ch*width))
	return order.AppendUint16(b, uint16(bits))
}

// fmtExt is a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk (little-endian).
func fmtExt(subtag, ch, rate, bits, valid int) []byte {
	le := binary.LittleEndian
	b := fmtBody(le, 0xFFFE, ch, rate, bits)
	b = le.AppendUint16(b, 22)
	b = le.AppendUint16(b, uint16(valid))
	b = le.AppendUint32(b, 0)
	b = le.AppendUint16(b, uint16(subtag))
	return append(b, ksGUIDTail...)
}

func pcm16LE(samples ...int16) []byte {
	var b []byte
	for _, s := range samples {
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	return b
}

// simpleWAV is 16-bit PCM with the given interleaved samples.
func simpleWAV(ch, rate int, samples ...int16) []byte {
	return buildWAV("RIFF",
		chunk{id: "fmt ", body: fmtBody(binary.LittleEndian, 1, ch, rate, 16)},
		chunk{id: "data", body: pcm16LE(samples...)})
}

// soxRef decodes path with sox (or ffmpeg) to float32 and averages channels.
func toolRef(t *testing.T, tool, path string, ch int) []float32 {
	t.Helper()
	var raw []byte
	switch tool {
	case "sox":
		raw = run(t, "sox", path, "-t", "f32", "-L", "-")
	case "ffmpeg":
		raw = run(t, "ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-")
	}
	frames := len(raw) / 4 / ch
	ref := make([]float32, frames)
	for i := range ref {
		s := 0.0
		for c := range ch {
			s += float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*(i*ch+c):])))
		}
		ref[i] = float32(s / float64(ch))
	}
	return ref
}

// sameSamples fails t unless got and want agree within tol.
func sameSamples(t *testing.T, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d samples, reference has %d", len(got), len(want))
	}
	worst, at := 0.0, 0
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); d > worst {
			worst, at = d, i
		}
	}
	if worst > tol {
		t.Fatalf("sample %d: got %g, reference %g (diff %g > %g)", at, got[at], want[at], worst, tol)
	}
}

// sines returns sox synth arguments for n distinct sine channels.
func sines(n int, secs string) []string {
	args := []string{"synth", secs}
	for c := range n {
		args = append(args, "sine", fmt.Sprint(300+110*c))
	}
	return args
}

// TestWAVAgainstTools decodes files written by sox and ffmpeg and compares
// every sample with the tool's own decoding, channels averaged.
func TestWAVAgainstTools(t *testing.T) {
	const step = 1.0 / 32768
	withSines := func(ch int, opts ...string) func(string) (string, []string) {
		return func(out string) (string, []string) {
			args := append(append([]string{"-n"}, opts...), "-c", fmt.Sprint(ch), out)
			return "sox", append(args, sines(ch, "0.2")...)
		}
	}
	ffGen := func(ch int, opts ...string) func(string) (string, []string) {
		return func(out string) (string, []string) {
			args := []string{"-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=440:d=0.2:r=48000",
				"-f", "lavfi", "-i", "sine=f=1000:d=0.2:r=48000",
				"-filter_complex", fmt.Sprintf("[0][1]amerge=inputs=2,pan=%dc|%s[a]", ch, panSpec(ch)), "-map", "[a]"}
			return "ffmpeg", append(append(args, opts...), out)
		}
	}
	tests := []struct {
		name      string
		gen       func(out string) (tool string, args []string)
		ref       string // tool that decodes the reference
		container string
		codec     string
		ch, rate  int
		bits      int
		tol       float64
	}{
		{"pcm16 mono 16k", withSines(1, "-r", "16000", "-b", "16"), "sox", "wav", "pcm", 1, 16000, 16, step},
		{"pcm16 stereo 44k1", withSines(2, "-r", "44100", "-b", "16"), "sox", "wav", "pcm", 2, 44100, 16, step},
		{"pcm24 stereo 44k1 (extensible)", withSines(2, "-r", "44100", "-b", "24"), "sox", "wav", "pcm", 2, 44100, 24, step},
		{"pcm32 mono 48k", withSines(1, "-r", "48000", "-b", "32"), "sox", "wav", "pcm", 1, 48000, 32, step},
		{"pcm8 unsigned mono 8k", withSines(1, "-r", "8000", "-b", "8"), "sox", "wav", "pcm", 1, 8000, 8, step},
		{"pcm8 stereo 11k025", withSines(2, "-r", "11025", "-b", "8"), "sox", "wav", "pcm", 2, 11025, 8, step},
		{"float32 stereo 48k", withSines(2, "-r", "48000", "-e", "floating-point", "-b", "32"), "sox", "wav", "float", 2, 48000, 32, step},
		{"float64 mono 22k05", withSines(1, "-r", "22050", "-e", "floating-point", "-b", "64"), "sox", "wav", "float", 1, 22050, 64, step},
		{"mu-law 8k", withSines(1, "-r", "8000", "-e", "mu-law"), "sox", "wav", "mulaw", 1, 8000, 8, step},
		{"a-law stereo 8k", withSines(2, "-r", "8000", "-e", "a-law"), "sox", "wav", "alaw", 2, 8000, 8, step},
		{"big-endian RIFX pcm16", withSines(2, "-B", "-r", "16000", "-b", "16"), "sox", "wav", "pcm", 2, 16000, 16, step},
		{"big-endian RIFX pcm24", withSines(1, "-B", "-r", "32000", "-b", "24"), "sox", "wav", "pcm", 1, 32000, 24, step},
		{"3 ch 32k", withSines(3, "-r", "32000", "-b", "16"), "sox", "wav", "pcm", 3, 32000, 16, step},
		{"4 ch 96k", withSines(4, "-r", "96000", "-b", "16"), "sox", "wav", "pcm", 4, 96000, 16, step},
		{"5 ch 24 bit", withSines(5, "-r", "48000", "-b", "24"), "sox", "wav", "pcm", 5, 48000, 24, step},
		{"6 ch 192k", withSines(6, "-r", "192000", "-b", "16"), "sox", "wav", "pcm", 6, 192000, 16, step},
		{"7 ch float", withSines(7, "-r", "44100", "-e", "floating-point", "-b", "32"), "sox", "wav", "float", 7, 44100, 32, step},
		{"8 ch 8 bit", withSines(8, "-r", "16000", "-b", "8"), "sox", "wav", "pcm", 8, 16000, 8, step},
		{"8 ch 32 bit", withSines(8, "-r", "8000", "-b", "32"), "sox", "wav", "pcm", 8, 8000, 32, step},
		{"ffmpeg extensible 6 ch s16", ffGen(6, "-c:a", "pcm_s16le"), "ffmpeg", "wav", "pcm", 6, 48000, 16, step},
		{"ffmpeg extensible 3 ch f32", ffGen(3, "-c:a", "pcm_f32le"), "ffmpeg", "wav", "float", 3, 48000, 32, step},
		{"ffmpeg 24 bit stereo", ffGen(2, "-c:a", "pcm_s24le"), "ffmpeg", "wav", "pcm", 2, 48000, 24, step},
		{"ffmpeg u8", ffGen(1, "-c:a", "pcm_u8"), "ffmpeg", "wav", "pcm", 1, 48000, 8, step},
		{"ffmpeg f64 stereo", ffGen(2, "-c:a", "pcm_f64le"), "ffmpeg", "wav", "float", 2, 48000, 64, step},
		{"ffmpeg mu-law", ffGen(1, "-ar", "8000", "-c:a", "pcm_mulaw"), "ffmpeg", "wav", "mulaw", 1, 8000, 8, step},
		{"ffmpeg a-law", ffGen(2, "-ar", "16000", "-c:a", "pcm_alaw"), "ffmpeg", "wav", "alaw", 2, 16000, 8, step},
		{"ffmpeg LIST/INFO before data", ffGen(2, "-c:a", "pcm_s16le", "-metadata", "title=x", "-metadata", "artist=odd"), "ffmpeg", "wav", "pcm", 2, 48000, 16, step},
		{"ffmpeg RF64", ffGen(2, "-c:a", "pcm_s16le", "-rf64", "always"), "ffmpeg", "rf64", "pcm", 2, 48000, 16, step},
		{"ffmpeg RF64 24 bit 5 ch", ffGen(5, "-c:a", "pcm_s24le", "-rf64", "always"), "ffmpeg", "rf64", "pcm", 5, 48000, 24, step},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempPath(t, "in.wav")
			tool, args := tt.gen(path)
			run(t, tool, args...)
			data := readFile(t, path)
			clip, err := DecodeNative(data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			in := clip.Info
			if in.Container != tt.container || in.Codec != tt.codec || in.Channels != tt.ch ||
				in.SampleRate != tt.rate || in.BitDepth != tt.bits || clip.Rate != tt.rate {
				t.Errorf("info %+v, want %s %s %d ch %d Hz %d bit", in, tt.container, tt.codec, tt.ch, tt.rate, tt.bits)
			}
			if len(in.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", in.Warnings)
			}
			if in.Frames != len(clip.Samples) || math.Abs(in.Duration-float64(in.Frames)/float64(in.SampleRate)) > 1e-9 {
				t.Errorf("frames %d, duration %g for %d samples", in.Frames, in.Duration, len(clip.Samples))
			}
			sameSamples(t, clip.Samples, toolRef(t, tt.ref, path, tt.ch), tt.tol)
		})
	}
}

// panSpec gives each of ch outputs a different mix of two sines.
func panSpec(ch int) string {
	var parts []string
	for c := range ch {
		g := float64(c+1) / float64(ch+1)
		parts = append(parts, fmt.Sprintf("c%d=%.3f*c0+%.3f*c1", c, g*0.8, (1-g)*0.8))
	}
	return strings.Join(parts, "|")
}

// TestWAVCrossCheckGoAudio compares plain PCM with go-audio/wav's decoding.
func TestWAVCrossCheckGoAudio(t *testing.T) {
	for _, bits := range []int{16, 24, 32} {
		t.Run(fmt.Sprint(bits), func(t *testing.T) {
			path := tempPath(t, "in.wav")
			run(t, "sox", append([]string{"-n", "-r", "22050", "-c", "2", "-b", fmt.Sprint(bits), path}, sines(2, "0.1")...)...)
			data := readFile(t, path)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			buf, err := gowav.NewDecoder(f).FullPCMBuffer()
			if err != nil {
				t.Fatal(err)
			}
			want := make([]float32, len(buf.Data)/2)
			full := math.Ldexp(1, bits-1)
			for i := range want {
				want[i] = float32(float64(buf.Data[2*i]+buf.Data[2*i+1]) / 2 / full)
			}
			clip, err := DecodeNative(data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			sameSamples(t, clip.Samples, want, 1e-6)
		})
	}
}

// TestWAVLayouts covers chunk layouts the tools do not write.
func TestWAVLayouts(t *testing.T) {
	le := binary.LittleEndian
	fmt16 := chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16)}
	samples := pcm16LE(16384, -16384, 8192)
	want := []float32{0.5, -0.5, 0.25}
	tests := []struct {
		name string
		data []byte
		want []float32
		warn string // substring of a warning, "" for none
	}{
		{"plain", buildWAV("RIFF", fmt16, chunk{id: "data", body: samples}), want, ""},
		{"odd unknown chunk padded", buildWAV("RIFF", fmt16, chunk{id: "junk", body: []byte("abc")}, chunk{id: "data", body: samples}), want, ""},
		{"odd unknown chunk unpadded", buildWAV("RIFF", fmt16, chunk{id: "junk", body: []byte("abc"), noPad: true}, chunk{id: "data", body: samples}), want, "1 odd-sized chunks without a pad byte"},
		{"odd chunk before fmt", buildWAV("RIFF", chunk{id: "bext", body: []byte("x")}, fmt16, chunk{id: "data", body: samples}), want, ""},
		{"LIST INFO before data", buildWAV("RIFF", fmt16, chunk{id: "LIST", body: []byte("INFOINAM\x05\x00\x00\x00hello\x00")}, chunk{id: "data", body: samples}), want, ""},
		{"empty chunks", buildWAV("RIFF", chunk{id: "JUNK"}, fmt16, chunk{id: "fact", body: []byte{3, 0, 0, 0}}, chunk{id: "PAD "}, chunk{id: "data", body: samples}), want, ""},
		{"chunks after data", buildWAV("RIFF", fmt16, chunk{id: "data", body: samples}, chunk{id: "LIST", body: []byte("INFO")}), want, ""},
		{"data before fmt", buildWAV("RIFF", chunk{id: "data", body: samples}, fmt16, chunk{id: "data", body: samples}), want, ""},
		{"fmt with cbSize", buildWAV("RIFF", chunk{id: "fmt ", body: append(fmtBody(le, 1, 1, 16000, 16), 0, 0)}, chunk{id: "data", body: samples}), want, ""},
		{"streaming size 0xFFFFFFFF", buildWAV("RIFF", fmt16, chunk{id: "data", body: samples, size: sz(0xFFFFFFFF)}), want, "0xFFFFFFFF"},
		{"streaming size 0", buildWAV("RIFF", fmt16, chunk{id: "data", body: samples, size: sz(0)}), want, "size 0x0"},
		{"claims more than present", buildWAV("RIFF", fmt16, chunk{id: "data", body: samples, size: sz(1000)}), want, "claims 1000 bytes"},
		{"partial last frame", buildWAV("RIFF", fmt16, chunk{id: "data", body: append(samples, 7)}), want, "partial frame"},
		{"block align 0", buildWAV("RIFF", chunk{id: "fmt ", body: func() []byte { b := fmtBody(le, 1, 1, 16000, 16); b[12] = 0; return b }()}, chunk{id: "data", body: samples}), want, "block align 0"},
		{"second fmt ignored", buildWAV("RIFF", fmt16, chunk{id: "fmt ", body: fmtBody(le, 1, 2, 8000, 8)}, chunk{id: "data", body: samples}), want, "1 extra fmt chunks ignored"},
		{"extensible pcm 16", buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(1, 1, 16000, 16, 16)}, chunk{id: "data", body: samples}), want, ""},
		{"extensible valid bits 0", buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(1, 1, 16000, 16, 0)}, chunk{id: "data", body: samples}), want, ""},
		{"extensible 12 of 16 bits", buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(1, 1, 16000, 16, 12)}, chunk{id: "data", body: samples}), want, ""},
		{"old-style 12 bit pcm", buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 12)}, chunk{id: "data", body: samples}), want, ""},
		{"extensible mu-law", buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(7, 1, 8000, 8, 8)}, chunk{id: "data", body: []byte{0xFF, 0x7F, 0x00}}), []float32{0, 0, -32124. / 32768}, ""},
		{"extensible a-law", buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(6, 1, 8000, 8, 8)}, chunk{id: "data", body: []byte{0xD5, 0x55, 0xAA}}), []float32{8. / 32768, -8. / 32768, 32256. / 32768}, ""},
		{"RIFX pcm16", buildWAV("RIFX", chunk{id: "fmt ", body: fmtBody(binary.BigEndian, 1, 1, 16000, 16)}, chunk{id: "data", body: []byte{0x40, 0, 0xC0, 0, 0x20, 0}}), want, ""},
		{"RF64 with ds64", rf64(samples, 0xFFFFFFFF, uint64(len(samples))), want, ""},
		{"RF64 ds64 claims too much", rf64(samples, 0xFFFFFFFF, 1<<40), want, "claims"},
		{"RF64 no ds64 size", rf64(samples, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF), want, "0xFFFFFFFF"},
		{"BW64", func() []byte { b := rf64(samples, 0xFFFFFFFF, 6); copy(b, "BW64"); return b }(), want, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, err := DecodeNative(tt.data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			sameSamples(t, clip.Samples, tt.want, 1e-7)
			w := strings.Join(clip.Info.Warnings, "; ")
			if tt.warn == "" && w != "" || !strings.Contains(w, tt.warn) {
				t.Errorf("warnings %q, want %q", w, tt.warn)
			}
		})
	}
}

// rf64 builds an RF64 file: 16-bit mono 16 kHz with a ds64 chunk.
func rf64(samples []byte, dataSize uint32, ds64Data uint64) []byte {
	le := binary.LittleEndian
	ds := le.AppendUint64(nil, 0xFFFFFFFFFFFFFFFF)
	ds = le.AppendUint64(ds, ds64Data)
	ds = le.AppendUint64(ds, uint64(len(samples)/2))
	ds = le.AppendUint32(ds, 0)
	b := buildWAV("RF64", chunk{id: "ds64", body: ds},
		chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16)},
		chunk{id: "data", body: samples, size: &dataSize})
	le.PutUint32(b[4:], 0xFFFFFFFF)
	return b
}

// TestWAVFixtures decodes the tiny files in testdata: two hand-built, one
// from sox (RIFX extensible 24-bit with an odd data chunk and its pad byte)
// and one from ffmpeg (RF64 float). Expected samples are the tools' own.
func TestWAVFixtures(t *testing.T) {
	tests := []struct {
		file      string
		container string
		codec     string
		ch, rate  int
		bits      int
		want      []float32
		warn      string
	}{
		{"odd-chunk-nopad.wav", "wav", "pcm", 2, 16000, 16,
			[]float32{0.25, -0.5, -1. / 65536, 4. / 65536}, "without a pad byte"},
		{"streaming-ffffffff.wav", "wav", "pcm", 1, 8000, 8,
			[]float32{0, 0.5, -0.5, 127. / 128, -1, 1. / 128}, "0xFFFFFFFF"},
		{"rifx-ext24.wav", "wav", "pcm", 1, 16000, 24,
			[]float32{0.016083479, 0.27706456, 0.48715234, 0.6686045, 0.6540297}, ""},
		{"rf64-f32.wav", "rf64", "float", 2, 48000, 32,
			[]float32{0, 0.011523285, 0.022873938, 0.033793006, 0.044172592, 0.05379691, 0.062471744, 0.070110776, 0.076519795, 0.08163406}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			clip, err := DecodeNative(readFile(t, "testdata/"+tt.file), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			in := clip.Info
			if in.Container != tt.container || in.Codec != tt.codec || in.Channels != tt.ch || in.SampleRate != tt.rate || in.BitDepth != tt.bits {
				t.Errorf("info %+v", in)
			}
			sameSamples(t, clip.Samples, tt.want, 1e-7)
			w := strings.Join(in.Warnings, "; ")
			if tt.warn == "" && w != "" || !strings.Contains(w, tt.warn) {
				t.Errorf("warnings %q, want %q", w, tt.warn)
			}
		})
	}
}

// TestWAVEmptyData: a real empty data chunk is not a streaming writer's.
func TestWAVEmptyData(t *testing.T) {
	fmt16 := chunk{id: "fmt ", body: fmtBody(binary.LittleEndian, 1, 1, 16000, 16)}
	for name, data := range map[string][]byte{
		"header only":         buildWAV("RIFF", fmt16, chunk{id: "data"}),
		"empty then LIST":     buildWAV("RIFF", fmt16, chunk{id: "data"}, chunk{id: "LIST", body: []byte("INFOISFT\x01\x00\x00\x00x")}),
		"one byte of a frame": buildWAV("RIFF", fmt16, chunk{id: "data", body: []byte{1}}),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeNative(data, DefaultLimits())
			if !errors.Is(err, ErrNoSamples) {
				t.Fatalf("got %v, want ErrNoSamples", err)
			}
		})
	}
}

// TestWAVFloatSpecials: NaN/Inf become 0, huge values are clamped.
func TestWAVFloatSpecials(t *testing.T) {
	var b32, b64 []byte
	vals := []float64{0.5, math.NaN(), math.Inf(1), math.Inf(-1), 3, 1e9, -1e30, -0.25}
	want := []float32{0.5, 0, 0, 0, 3, floatLimit, -floatLimit, -0.25}
	for _, v := range vals {
		b32 = binary.LittleEndian.AppendUint32(b32, math.Float32bits(float32(v)))
		b64 = binary.LittleEndian.AppendUint64(b64, math.Float64bits(v))
	}
	for name, data := range map[string][]byte{
		"float32": buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(binary.LittleEndian, 3, 1, 16000, 32)}, chunk{id: "data", body: b32}),
		"float64": buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(binary.LittleEndian, 3, 1, 16000, 64)}, chunk{id: "data", body: b64}),
	} {
		t.Run(name, func(t *testing.T) {
			clip, err := DecodeNative(data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			sameSamples(t, clip.Samples, want, 1e-7)
			w := strings.Join(clip.Info.Warnings, "; ")
			if !strings.Contains(w, "3 NaN or infinite") || !strings.Contains(w, "2 float samples beyond") {
				t.Errorf("warnings %q", w)
			}
		})
	}
}

// TestWAVBad: every broken file gives the right sentinel and a message
// naming the problem.
func TestWAVBad(t *testing.T) {
	le := binary.LittleEndian
	samples := pcm16LE(1, 2, 3, 4)
	withFmt := func(f []byte) []byte {
		return buildWAV("RIFF", chunk{id: "fmt ", body: f}, chunk{id: "data", body: samples})
	}
	fmtWith := func(off int, v uint32, n int) []byte {
		b := fmtBody(le, 1, 2, 16000, 16)
		if n == 2 {
			le.PutUint16(b[off:], uint16(v))
		} else {
			le.PutUint32(b[off:], v)
		}
		return b
	}
	ext := func(sub, bits, valid int) []byte {
		return withFmt(fmtExt(sub, 1, 16000, bits, valid))
	}
	badGUID := fmtExt(1, 1, 16000, 16, 16)
	badGUID[30] = 0x42
	tests := []struct {
		name string
		data []byte
		kind error
		msg  string
	}{
		{"0 channels", withFmt(fmtWith(2, 0, 2)), ErrInvalid, "0 channels"},
		{"64 channels", withFmt(fmtWith(2, 64, 2)), ErrUnsupported, "64 channels"},
		{"0 Hz", withFmt(fmtWith(4, 0, 4)), ErrInvalid, "sample rate 0 Hz"},
		{"7999 Hz", withFmt(fmtWith(4, 7999, 4)), ErrInvalid, "7999 Hz"},
		{"10 MHz", withFmt(fmtWith(4, 10_000_000, 4)), ErrInvalid, "10000000 Hz"},
		{"1 bit", withFmt(fmtWith(14, 1, 2)), ErrUnsupported, "1 bits"},
		{"0 bits", withFmt(fmtWith(14, 0, 2)), ErrUnsupported, "0 bits"},
		{"40 bit pcm", withFmt(fmtWith(14, 40, 2)), ErrUnsupported, "40 bits"},
		{"block align wrong", withFmt(fmtWith(12, 3, 2)), ErrInvalid, "block align 3"},
		{"float 16 bit", withFmt(fmtBody(le, 3, 1, 16000, 16)), ErrUnsupported, "float with 16 bits"},
		{"mu-law 16 bit", withFmt(fmtBody(le, 7, 1, 16000, 16)), ErrUnsupported, "mulaw with 16 bits"},
		{"ADPCM", withFmt(fmtBody(le, 2, 1, 16000, 4)), ErrUnsupported, "WAV format tag 0x0002 (Microsoft ADPCM)"},
		{"MP3 in WAV", withFmt(fmtBody(le, 0x55, 1, 16000, 0)), ErrUnsupported, "0x0055 (MPEG Layer III)"},
		{"unknown tag", withFmt(fmtBody(le, 0x1234, 1, 16000, 16)), ErrUnsupported, "0x1234"},
		{"extensible ADPCM", ext(2, 16, 16), ErrUnsupported, "0x0002"},
		{"extensible bad GUID", withFmt(badGUID), ErrUnsupported, "subformat GUID"},
		{"extensible short", withFmt(fmtExt(1, 1, 16000, 16, 16)[:18]), ErrInvalid, "needs 40"},
		{"extensible valid > container", ext(1, 16, 20), ErrInvalid, "20 valid bits"},
		{"fmt too short", withFmt(fmtBody(le, 1, 1, 16000, 16)[:14]), ErrInvalid, "needs 16"},
		{"fmt size beyond file", buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16), size: sz(100)}), ErrTruncated, `"fmt " at byte 12 claims 100`},
		{"unknown chunk beyond file", buildWAV("RIFF", chunk{id: "junk", body: []byte("ab"), size: sz(0xFFFFFFFF)}), ErrTruncated, "claims 4294967295"},
		{"unknown odd chunk beyond file", buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16)}, chunk{id: "LIST", body: []byte("abc"), size: sz(999)}), ErrTruncated, "LIST"},
		{"no fmt", buildWAV("RIFF", chunk{id: "LIST", body: []byte("INFO")}), ErrTruncated, "before its fmt"},
		{"no data", buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16)}), ErrTruncated, "before its data"},
		{"data before fmt, size beyond file", buildWAV("RIFF", chunk{id: "data", body: []byte{1, 2}, size: sz(64)}, chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16)}), ErrInvalid, "size 64 before the fmt"},
		{"data before fmt, size 0", buildWAV("RIFF", chunk{id: "data"}, chunk{id: "fmt ", body: fmtBody(le, 1, 1, 16000, 16)}), ErrInvalid, "before the fmt"},
		{"data claims more, no whole frame", buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 2, 16000, 16)}, chunk{id: "data", body: []byte{1, 2}, size: sz(400)}), ErrTruncated, "not one whole 4-byte frame"},
		{"header only", []byte("RIFF\x04\x00\x00\x00WAVE"), ErrTruncated, "before its fmt"},
		{"RIFF 8 bytes", []byte("RIFF\x04\x00\x00\x00"), ErrTruncated, "needs 12"},
		{"RIFF not WAVE", []byte("RIFF\x04\x00\x00\x00AVI LIST"), ErrNotAudio, "not WAVE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, err := DecodeNative(tt.data, DefaultLimits())
			if !errors.Is(err, tt.kind) {
				t.Fatalf("got %v (clip %v), want %v", err, clip != nil, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not mention %q", err, tt.msg)
			}
			assertOneSentinel(t, err)
		})
	}
}

// TestWAVTruncated cuts a real file at every offset of its header and at
// frame and non-frame boundaries in its data.
func TestWAVTruncated(t *testing.T) {
	path := tempPath(t, "in.wav")
	run(t, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=d=0.05:r=16000", "-ac", "2", "-metadata", "title=abc", "-c:a", "pcm_s16le", path)
	data := readFile(t, path)
	dataAt := bytes.Index(data, []byte("data")) + 8
	for cut := 0; cut < len(data); cut++ {
		if cut > dataAt+40 && cut%97 != 0 {
			continue
		}
		clip, err := DecodeNative(data[:cut], DefaultLimits())
		switch {
		case cut == 0:
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("cut %d: %v", cut, err)
			}
		case cut < 4:
			if !errors.Is(err, ErrNotAudio) && !errors.Is(err, ErrTruncated) {
				t.Fatalf("cut %d: %v", cut, err)
			}
		case cut < dataAt+4: // not one whole stereo frame
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("cut %d: %v, want ErrTruncated", cut, err)
			}
		default:
			if err != nil {
				t.Fatalf("cut %d: %v", cut, err)
			}
			if want := (cut - dataAt) / 4; len(clip.Samples) != want {
				t.Fatalf("cut %d: %d frames, want %d", cut, len(clip.Samples), want)
			}
			if len(clip.Info.Warnings) != 1 || !strings.Contains(clip.Info.Warnings[0], "claims") {
				t.Fatalf("cut %d: warnings %q", cut, clip.Info.Warnings)
			}
		}
	}
}

// TestWAVNamedMP3: sniffing goes by content, so a WAV named .mp3 decodes.
func TestWAVNamedMP3(t *testing.T) {
	dir := t.TempDir()
	run(t, "sox", "-n", "-r", "16000", "-c", "1", "-b", "16", dir+"/a.wav", "synth", "0.1", "sine", "440")
	if err := os.Rename(dir+"/a.wav", dir+"/song.mp3"); err != nil {
		t.Fatal(err)
	}
	clip, err := Decode(readFile(t, dir+"/song.mp3"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if clip.Info.Container != "wav" || len(clip.Samples) != 1600 {
		t.Fatalf("info %+v, %d samples", clip.Info, len(clip.Samples))
	}
}

// TestWAVLimits: a header's claims never drive allocation; real length does.
func TestWAVLimits(t *testing.T) {
	le := binary.LittleEndian
	// Claims 2 hours of 44.1 kHz stereo 16-bit; holds 1 second.
	body := make([]byte, 44100*4)
	claim := buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 2, 44100, 16)},
		chunk{id: "data", body: body, size: sz(2 * 3600 * 44100 * 4)})
	var before, after runtimeMem
	before.read()
	clip, err := DecodeNative(claim, DefaultLimits())
	after.read()
	if err != nil {
		t.Fatal(err)
	}
	if clip.Info.Frames != 44100 || len(clip.Info.Warnings) != 1 {
		t.Fatalf("frames %d, warnings %q", clip.Info.Frames, clip.Info.Warnings)
	}
	if got := after.total - before.total; got > 2*44100*4+64<<10 {
		t.Errorf("allocated %d bytes for 1 s of output", got)
	}

	// A real 11 s file against a 10 s limit.
	long := buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 1, 8000, 8)}, chunk{id: "data", body: make([]byte, 11*8000)})
	if _, err := DecodeNative(long, Limits{MaxSeconds: 10}); !errors.Is(err, ErrTooLong) || !strings.Contains(err.Error(), "11.0 s") {
		t.Errorf("long file: %v", err)
	}
	if _, err := DecodeNative(long, Limits{MaxBytes: 1000}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("large file: %v", err)
	}
	if _, err := DecodeNative(long, Limits{}); err != nil {
		t.Errorf("zero Limits mean unlimited: %v", err)
	}
}

// TestWAVAllocs: one output slice and a few small values, whatever the format.
func TestWAVAllocs(t *testing.T) {
	le := binary.LittleEndian
	frames := 4096
	for name, data := range map[string][]byte{
		"pcm16 stereo": buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(le, 1, 2, 16000, 16)}, chunk{id: "data", body: make([]byte, frames*4)}),
		"pcm24 8 ch":   buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(1, 8, 48000, 24, 24)}, chunk{id: "data", body: make([]byte, frames*24)}),
		"float64 4 ch": buildWAV("RIFF", chunk{id: "fmt ", body: fmtExt(3, 4, 48000, 64, 64)}, chunk{id: "data", body: make([]byte, frames*32)}),
		"RIFX 24 bit":  buildWAV("RIFX", chunk{id: "fmt ", body: fmtBody(binary.BigEndian, 1, 2, 16000, 24)}, chunk{id: "data", body: make([]byte, frames*6)}),
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtimeMem
			before.read()
			allocs := testing.AllocsPerRun(5, func() {
				if _, err := DecodeNative(data, DefaultLimits()); err != nil {
					t.Fatal(err)
				}
			})
			after.read()
			if allocs > 3 { // Clip, samples, RIFX scratch
				t.Errorf("%v allocations per decode", allocs)
			}
			perRun := (after.total - before.total) / 6
			if limit := uint64(frames*4 + 70<<10); perRun > limit {
				t.Errorf("%d bytes per decode, want <= %d", perRun, limit)
			}
		})
	}
}

// assertOneSentinel fails t unless err is an *Error wrapping exactly one sentinel.
func assertOneSentinel(t testing.TB, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%v (%T) is not an *Error", err, err)
	}
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%v wraps %d sentinels", err, n)
	}
}

// runtimeMem snapshots the bytes allocated so far.
type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.total = s.TotalAlloc
}

var sentinels = []error{ErrEmpty, ErrNotAudio, ErrTruncated, ErrInvalid, ErrUnsupported, ErrNoSamples, ErrTooLarge, ErrTooLong}

// BenchmarkDecodeWAV decodes 30 s of 44.1 kHz stereo 16-bit and reports
// speed as multiples of real time. "goaudio" is go-audio/wav's
// FullPCMBuffer plus a downmix, for comparison.
func BenchmarkDecodeWAV(b *testing.B) {
	const secs = 30.0
	path := tempPath(b, "bench.wav")
	run(b, "sox", "-n", "-r", "44100", "-c", "2", "-b", "16", path, "synth", "30", "sine", "440", "pinknoise")
	data := readFile(b, path)
	report := func(b *testing.B) {
		b.ReportMetric(secs*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
	}
	b.Run("native", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := DecodeNative(data, DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("resample16k", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := Decode(data, DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("goaudio", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			buf, err := gowav.NewDecoder(bytes.NewReader(data)).FullPCMBuffer()
			if err != nil {
				b.Fatal(err)
			}
			mono := make([]float32, len(buf.Data)/2)
			for i := range mono {
				mono[i] = float32(buf.Data[2*i]+buf.Data[2*i+1]) / 65536
			}
		}
		report(b)
	})
}
