package audio

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	wav := simpleWAV(1, 16000, 1, 2)
	tests := []struct {
		name string
		data []byte
		want Format
	}{
		{"empty", nil, FormatUnknown},
		{"RIFF WAVE", wav, FormatWAV},
		{"RIFX", buildWAV("RIFX"), FormatWAV},
		{"RF64", buildWAV("RF64"), FormatWAV},
		{"BW64", buildWAV("BW64"), FormatWAV},
		{"RIFF cut at 6", wav[:6], FormatWAV},
		{"RIFF AVI", []byte("RIFF\x00\x00\x00\x00AVI LIST"), FormatUnknown},
		{"RIFF WEBP", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), FormatUnknown},
		{"ID3", []byte("ID3\x04\x00\x00\x00\x00\x00\x00"), FormatMP3},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), FormatUnknown},
		{"text", []byte("hello, world"), FormatUnknown},
	}
	for _, tt := range tests {
		if got := Sniff(tt.data); got != tt.want {
			t.Errorf("%s: Sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
	if FormatWAV.String() != "wav" || FormatMP3.String() != "mp3" || FormatUnknown.String() != "unknown" {
		t.Error("Format.String")
	}
}

// TestNotAudio: files that are not WAV or MP3 say what they look like.
func TestNotAudio(t *testing.T) {
	tests := []struct {
		name string
		data string
		kind error
		msg  string
	}{
		{"PNG", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ErrNotAudio, "PNG image"},
		{"JPEG", "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", ErrNotAudio, "JPEG image"},
		{"GIF", "GIF89a\x01\x00\x01\x00", ErrNotAudio, "GIF image"},
		{"PDF", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", ErrNotAudio, "PDF document"},
		{"ZIP", "PK\x03\x04\x14\x00\x00\x00\x08\x00", ErrNotAudio, "ZIP archive"},
		{"Ogg", "OggS\x00\x02\x00\x00\x00\x00\x00\x00", ErrUnsupported, "Ogg"},
		{"FLAC", "fLaC\x00\x00\x00\x22\x10\x00\x10\x00", ErrUnsupported, "FLAC"},
		{"M4A", "\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", ErrUnsupported, "MP4/M4A"},
		{"WebM", "\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01", ErrUnsupported, "WebM"},
		{"AIFF", "FORM\x00\x00\x00\x2EAIFFCOMM", ErrUnsupported, "AIFF"},
		{"AMR", "#!AMR\n\x3c\x00\x00", ErrUnsupported, "AMR"},
		{"AU", ".snd\x00\x00\x00\x18\xFF\xFF\xFF\xFF", ErrUnsupported, ".au"},
		{"RIFF AVI", "RIFF\x00\x00\x00\x00AVI LIST", ErrNotAudio, "RIFF file that is not WAVE"},
		{"text", "just some text, not audio at all", ErrNotAudio, "unrecognised"},
		{"1 byte", "R", ErrNotAudio, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeNative([]byte(tt.data), DefaultLimits())
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want %v naming %q", err, tt.kind, tt.msg)
			}
			assertOneSentinel(t, err)
			if nerr := notAudio([]byte(tt.data)); !errors.Is(nerr, tt.kind) {
				t.Errorf("notAudio: %v", nerr)
			}
		})
	}
}

func TestDecodeEmptyAndLarge(t *testing.T) {
	for _, data := range [][]byte{nil, {}} {
		if _, err := Decode(data, DefaultLimits()); !errors.Is(err, ErrEmpty) || err.Error() != "empty file" {
			t.Errorf("empty: %v", err)
		}
	}
	wav := simpleWAV(1, 16000, 1, 2, 3)
	_, err := Decode(wav, Limits{MaxBytes: int64(len(wav) - 1)})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "limit") {
		t.Errorf("too large: %v", err)
	}
	if _, err := Decode(wav, Limits{MaxBytes: int64(len(wav))}); err != nil {
		t.Errorf("exactly MaxBytes: %v", err)
	}
}

// TestDecode16k: at the target rate Decode returns DecodeNative's samples.
func TestDecode16k(t *testing.T) {
	wav := simpleWAV(2, TargetRate, 16384, 0, -16384, -16384, 32767, 32767)
	clip, err := Decode(wav, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if clip.Rate != TargetRate || clip.Info.SampleRate != TargetRate || clip.Info.Channels != 2 {
		t.Fatalf("clip %+v", clip)
	}
	sameSamples(t, clip.Samples, []float32{0.25, -0.5, 32767. / 32768}, 1e-7)
}

// TestDecodeResamples: other rates come out at 16 kHz with the same length
// in seconds and the same tone.
func TestDecodeResamples(t *testing.T) {
	for _, rate := range []int{8000, 22050, 44100, 48000, 96000} {
		const secs = 0.5
		n := int(secs * float64(rate))
		var pcm []byte
		for i := range n {
			s := int16(16384 * math.Sin(2*math.Pi*440*float64(i)/float64(rate)))
			pcm = binary.LittleEndian.AppendUint16(pcm, uint16(s))
		}
		wav := buildWAV("RIFF", chunk{id: "fmt ", body: fmtBody(binary.LittleEndian, 1, 1, rate, 16)}, chunk{id: "data", body: pcm})
		clip, err := Decode(wav, DefaultLimits())
		if err != nil {
			t.Fatalf("%d Hz: %v", rate, err)
		}
		if clip.Rate != TargetRate || clip.Info.SampleRate != rate {
			t.Fatalf("%d Hz: rate %d, info %d", rate, clip.Rate, clip.Info.SampleRate)
		}
		if want := secs * TargetRate; math.Abs(float64(len(clip.Samples))-want) > 2 {
			t.Errorf("%d Hz: %d samples, want about %g", rate, len(clip.Samples), want)
		}
		// Away from the edges, the output is the same sine at 16 kHz.
		worst := 0.0
		for k := 400; k < len(clip.Samples)-400; k++ {
			want := 0.5 * math.Sin(2*math.Pi*440*float64(k)/TargetRate)
			worst = max(worst, math.Abs(float64(clip.Samples[k])-want))
		}
		if worst > 2e-3 {
			t.Errorf("%d Hz: resampled sine off by %g", rate, worst)
		}
	}
}

func TestErrorType(t *testing.T) {
	err := errorf(ErrInvalid, "WAV fmt chunk: %d channels", 0)
	if err.Error() != "invalid audio header: WAV fmt chunk: 0 channels" {
		t.Errorf("Error() = %q", err)
	}
	if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrTruncated) {
		t.Error("errors.Is")
	}
	if (&Error{Kind: ErrEmpty}).Error() != "empty file" {
		t.Error("no detail")
	}
	assertOneSentinel(t, err)
}

func TestCheckDuration(t *testing.T) {
	lim := Limits{MaxSeconds: 10}
	if err := checkDuration(160000, 16000, lim); err != nil {
		t.Errorf("exactly 10 s: %v", err)
	}
	if err := checkDuration(160001, 16000, lim); !errors.Is(err, ErrTooLong) {
		t.Errorf("just over: %v", err)
	}
	if err := checkDuration(1<<40, 16000, Limits{}); err != nil {
		t.Errorf("no limit: %v", err)
	}
	if err := checkDuration(1<<40, 0, lim); err != nil {
		t.Errorf("zero rate is the decoder's problem: %v", err)
	}
	if d := DefaultLimits(); d.MaxBytes != 200<<20 || d.MaxSeconds != 600 {
		t.Errorf("DefaultLimits %+v", d)
	}
}
