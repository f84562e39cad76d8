package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// mp3Case is one way of making an MP3 and what decoding it must report.
type mp3Case struct {
	name     string
	rate, ch int      // source WAV
	lame     []string // lame options; nil means ffmpeg with ffmpeg options
	ffmpeg   []string
	mpeg     string
	outRate  int
	outCh    int
	vbr      bool
	gapless  bool // a LAME/Lavc tag: length must equal the source's
}

var mp3Cases = []mp3Case{
	{name: "cbr128", rate: 44100, ch: 2, lame: []string{"-b", "128"}, mpeg: "1", outRate: 44100, outCh: 2, gapless: true},
	{name: "vbr-V2", rate: 44100, ch: 2, lame: []string{"-V", "2"}, mpeg: "1", outRate: 44100, outCh: 2, vbr: true, gapless: true},
	{name: "mono", rate: 44100, ch: 1, lame: []string{"-m", "m", "-b", "64"}, mpeg: "1", outRate: 44100, outCh: 1, gapless: true},
	{name: "48k", rate: 48000, ch: 2, lame: []string{"-b", "192"}, mpeg: "1", outRate: 48000, outCh: 2, gapless: true},
	{name: "32k", rate: 32000, ch: 1, lame: []string{"-V", "4"}, mpeg: "1", outRate: 32000, outCh: 1, vbr: true, gapless: true},
	// 22.05 kHz at 32 kbps: padded frames go-mp3 sized one byte short,
	// and frames too small for a Xing tag (so no trimming, like ffmpeg).
	{name: "mpeg2-22k-32kbps", rate: 22050, ch: 1, lame: []string{"-b", "32"}, mpeg: "2", outRate: 22050, outCh: 1},
	{name: "mpeg2-22k-vbr", rate: 44100, ch: 2, lame: []string{"--resample", "22.05", "-V", "5"}, mpeg: "2", outRate: 22050, outCh: 2, vbr: true, gapless: true},
	{name: "mpeg2-16k", rate: 44100, ch: 2, lame: []string{"--resample", "16"}, mpeg: "2", outRate: 16000, outCh: 2, gapless: true},
	// 24 kHz mono at 48 kbps: frames too small for a Xing/LAME tag.
	{name: "mpeg2-24k-mono", rate: 24000, ch: 1, lame: []string{"-b", "48"}, mpeg: "2", outRate: 24000, outCh: 1},
	{name: "mpeg25-8k", rate: 8000, ch: 1, lame: []string{"-b", "16"}, mpeg: "2.5", outRate: 8000, outCh: 1},
	{name: "mpeg25-8k-stereo", rate: 44100, ch: 2, lame: []string{"--resample", "8"}, mpeg: "2.5", outRate: 8000, outCh: 2, gapless: true},
	{name: "mpeg25-11k", rate: 44100, ch: 2, lame: []string{"--resample", "11.025"}, mpeg: "2.5", outRate: 11025, outCh: 2, gapless: true},
	{name: "mpeg25-12k-vbr", rate: 44100, ch: 1, lame: []string{"--resample", "12", "-V", "4"}, mpeg: "2.5", outRate: 12000, outCh: 1, vbr: true, gapless: true},
	{name: "id3v2", rate: 44100, ch: 2, lame: []string{"-b", "128", "--add-id3v2", "--tt", "Title", "--ta", "Artist"}, mpeg: "1", outRate: 44100, outCh: 2, gapless: true},
	{name: "crc", rate: 44100, ch: 2, lame: []string{"-p", "-b", "160"}, mpeg: "1", outRate: 44100, outCh: 2, gapless: true},
	{name: "crc-mpeg2-mono", rate: 16000, ch: 1, lame: []string{"-p", "-V", "3"}, mpeg: "2", outRate: 16000, outCh: 1, vbr: true, gapless: true},
	{name: "id3v1", rate: 44100, ch: 1, lame: []string{"-b", "64", "--id3v1-only", "--tt", "Title"}, mpeg: "1", outRate: 44100, outCh: 1, gapless: true},
	{name: "ffmpeg-lavc", rate: 44100, ch: 2, ffmpeg: []string{"-c:a", "libmp3lame", "-b:a", "128k"}, mpeg: "1", outRate: 44100, outCh: 2, gapless: true},
	{name: "ffmpeg-no-xing", rate: 44100, ch: 2, ffmpeg: []string{"-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0"}, mpeg: "1", outRate: 44100, outCh: 2},
	{name: "ffmpeg-vbr-22k", rate: 22050, ch: 1, ffmpeg: []string{"-c:a", "libmp3lame", "-q:a", "4"}, mpeg: "2", outRate: 22050, outCh: 1, vbr: true, gapless: true},
}

// makeMP3 encodes c from a fresh source and returns the MP3 and source paths.
func makeMP3(t testing.TB, dir string, c mp3Case, secs float64) (mp3Path, srcPath string) {
	t.Helper()
	src := mp3Source(t, dir, c.rate, c.ch, secs)
	dst := filepath.Join(dir, c.name+".mp3")
	if c.lame != nil {
		mp3Lame(t, src, dst, c.lame...)
	} else {
		run(t, "ffmpeg", append(append([]string{"-v", "error", "-y", "-i", src}, c.ffmpeg...), dst)...)
	}
	return dst, src
}

// TestMP3Encodings decodes MP3s from lame and ffmpeg and compares them with
// ffmpeg's gapless decode: same length, lag 0, correlation ≥ 0.999.
func TestMP3Encodings(t *testing.T) {
	for _, c := range mp3Cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path, src := makeMP3(t, dir, c, 2)
			clip, err := DecodeNative(readFile(t, path), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			in := clip.Info
			if in.Container != "mp3" || in.Codec != "mp3" || in.MPEG != c.mpeg || in.SampleRate != c.outRate || in.Channels != c.outCh || in.VBR != c.vbr {
				t.Errorf("info %+v; want MPEG %s, %d Hz, %d ch, VBR %v", in, c.mpeg, c.outRate, c.outCh, c.vbr)
			}
			if in.Frames != len(clip.Samples) || in.Bitrate <= 0 || len(in.Warnings) > 0 {
				t.Errorf("info %+v for %d samples", in, len(clip.Samples))
			}
			if c.gapless != (in.EncoderDelay > 0) {
				t.Errorf("encoder delay %d, padding %d; LAME tag expected: %v", in.EncoderDelay, in.Padding, c.gapless)
			}
			ref := mp3FFmpeg(t, path)
			lag := mp3BestLag(ref, clip.Samples, 3000)
			corr := mp3Corr(ref, clip.Samples, lag)
			t.Logf("%d samples (ffmpeg %d), lag %d, corr %.6f, %d kbps, delay %d, padding %d",
				len(clip.Samples), len(ref), lag, corr, in.Bitrate, in.EncoderDelay, in.Padding)
			if lag != 0 || corr < 0.999 || len(ref) != len(clip.Samples) {
				t.Errorf("vs ffmpeg: lag %d, corr %.6f, length %d vs %d", lag, corr, len(clip.Samples), len(ref))
			}
			if c.gapless {
				// Resampled sources: compare the duration instead.
				orig := mp3FFmpeg(t, src)
				want := len(orig) * c.outRate / c.rate
				if len(clip.Samples) != want {
					t.Errorf("length %d, source %d", len(clip.Samples), want)
				}
				if c.rate == c.outRate {
					t.Logf("vs source: corr %.4f at lag 0", mp3Corr(orig, clip.Samples, 0))
				}
			}
		})
	}
}

// TestMP3ShortBlocks uses clicks, which make the encoder switch to short
// blocks, at 8 kHz (MPEG-2.5's own band table) and 22.05 kHz.
func TestMP3ShortBlocks(t *testing.T) {
	for _, rate := range []int{8000, 22050, 44100} {
		dir := t.TempDir()
		src := filepath.Join(dir, "clicks.wav")
		run(t, "sox", "-R", "-n", "-r", strconv.Itoa(rate), "-c", "1", "-b", "16", src, "synth", "2", "pinknoise", "synth", "square", "amod", "3", "vol", "0.5")
		path := filepath.Join(dir, "clicks.mp3")
		mp3Lame(t, src, path, "-V", "5")
		clip, err := DecodeNative(readFile(t, path), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		ref := mp3FFmpeg(t, path)
		lag := mp3BestLag(ref, clip.Samples, 3000)
		corr := mp3Corr(ref, clip.Samples, lag)
		t.Logf("%d Hz: lag %d, corr %.6f", rate, lag, corr)
		if lag != 0 || corr < 0.999 || len(ref) != len(clip.Samples) {
			t.Errorf("%d Hz vs ffmpeg: lag %d, corr %.6f, length %d vs %d", rate, lag, corr, len(clip.Samples), len(ref))
		}
	}
}

// plainMP3 is a 1 s CBR 128 kbps stereo MP3 with no Xing frame (lame -t),
// its frame offsets, and its decode.
func plainMP3(t testing.TB) (data []byte, frames []int, clip *Clip) {
	t.Helper()
	dir := t.TempDir()
	src := mp3Source(t, dir, 44100, 2, 1)
	data = mp3Lame(t, src, filepath.Join(dir, "plain.mp3"), "-t", "-b", "128")
	for off := 0; off+4 <= len(data); {
		h, ok := parseMPEGHeader(data[off:])
		if !ok {
			t.Fatalf("no frame at byte %d", off)
		}
		frames = append(frames, off)
		off += h.frameBytes
	}
	clip, err := DecodeNative(data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return data, frames, clip
}

// TestMP3VBRI builds a Fraunhofer VBRI frame in front of a CBR stream: it
// must be parsed and not decoded as audio.
func TestMP3VBRI(t *testing.T) {
	data, frames, plain := plainMP3(t)
	h, _ := parseMPEGHeader(data)
	f := make([]byte, h.frameBytes)
	copy(f, data[:4])
	v := f[36:]
	copy(v, "VBRI")
	binary.BigEndian.PutUint16(v[4:], 1)   // version
	binary.BigEndian.PutUint16(v[6:], 576) // delay
	binary.BigEndian.PutUint16(v[8:], 75)  // quality
	binary.BigEndian.PutUint32(v[10:], uint32(len(data)+len(f)))
	binary.BigEndian.PutUint32(v[14:], uint32(len(frames)))
	binary.BigEndian.PutUint16(v[20:], 1) // table scale; no table entries
	vbri := append(f, data...)

	clip, err := DecodeNative(vbri, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if !clip.Info.VBR || clip.Info.EncoderDelay != 0 || len(clip.Samples) != len(plain.Samples) {
		t.Fatalf("info %+v, %d samples; want VBR and %d samples", clip.Info, len(clip.Samples), len(plain.Samples))
	}
	if !equalSamples(clip.Samples, plain.Samples) {
		t.Error("samples differ from the stream without the VBRI frame")
	}
	if tag, ok := parseVBRTag(f, h); !ok || tag.kind != "VBRI" || tag.frames != len(frames) || tag.bytes != len(vbri) {
		t.Errorf("parsed %+v, %v", tag, ok)
	}
	path := filepath.Join(t.TempDir(), "vbri.mp3")
	os.WriteFile(path, vbri, 0o644)
	ref := mp3FFmpeg(t, path)
	lag := mp3BestLag(ref, clip.Samples, 3000)
	t.Logf("VBRI vs ffmpeg: lag %d, corr %.6f, %d vs %d samples", lag, mp3Corr(ref, clip.Samples, lag), len(clip.Samples), len(ref))
	if lag != 0 || len(ref) != len(clip.Samples) {
		t.Errorf("VBRI vs ffmpeg: lag %d, %d vs %d samples", lag, len(clip.Samples), len(ref))
	}
}

func equalSamples(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// id3Tag builds an ID3v2 tag with an APIC frame of picture bytes; v4 adds
// a footer.
func id3Tag(picture int, v4 bool) []byte {
	pic := make([]byte, picture)
	rand.New(rand.NewSource(1)).Read(pic)
	copy(pic, "\xFF\xD8\xFF\xE0") // JPEG magic: sync-like bytes inside the tag
	for i := 100; i+4 < len(pic); i += 5000 {
		copy(pic[i:], "\xFF\xFB\x90\x64") // and MPEG-looking headers
	}
	body := []byte("\x00image/jpeg\x00\x03\x00")
	body = append(body, pic...)
	var frame []byte
	frame = append(frame, "APIC"...)
	frame = binary.BigEndian.AppendUint32(frame, uint32(len(body)))
	if v4 {
		frame = append(frame[:4], syncsafeBytes(len(body))...)
	}
	frame = append(frame, 0, 0)
	frame = append(frame, body...)
	tag := []byte("ID3\x03\x00\x00")
	if v4 {
		tag = []byte("ID3\x04\x00\x10")
	}
	tag = append(tag, syncsafeBytes(len(frame))...)
	tag = append(tag, frame...)
	if v4 {
		tag = append(tag, "3DI\x04\x00\x10"...)
		tag = append(tag, syncsafeBytes(len(frame))...)
	}
	return tag
}

func syncsafeBytes(n int) []byte {
	return []byte{byte(n >> 21 & 127), byte(n >> 14 & 127), byte(n >> 7 & 127), byte(n & 127)}
}

// TestMP3LargeID3 puts a 1 MB cover picture in front (v2.3, and v2.4 with
// a footer) and behind (v2.4 appended) the audio.
func TestMP3LargeID3(t *testing.T) {
	data, _, plain := plainMP3(t)
	for name, file := range map[string][]byte{
		"v2.3 front":      append(id3Tag(1<<20, false), data...),
		"v2.4 footer":     append(id3Tag(1<<20, true), data...),
		"v2.4 appended":   append(append([]byte(nil), data...), id3Tag(1<<20, true)...),
		"v2.3 + v1 + APE": append(append(id3Tag(1000, false), data...), apeTag()...),
	} {
		clip, err := DecodeNative(file, DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !equalSamples(clip.Samples, plain.Samples) || len(clip.Info.Warnings) > 0 {
			t.Errorf("%s: %d samples (want %d), warnings %q", name, len(clip.Samples), len(plain.Samples), clip.Info.Warnings)
		}
	}
}

// apeTag is an APEv2 tag (header and footer) followed by an ID3v1 tag.
func apeTag() []byte {
	item := []byte("\x05\x00\x00\x00\x00\x00\x00\x00Title\x00hello")
	hdr := func(flags uint32) []byte {
		b := []byte("APETAGEX")
		b = binary.LittleEndian.AppendUint32(b, 2000)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(item)+32))
		b = binary.LittleEndian.AppendUint32(b, 1)
		b = binary.LittleEndian.AppendUint32(b, flags)
		return append(b, make([]byte, 8)...)
	}
	tag := append(hdr(1<<31|1<<29), item...)
	tag = append(tag, hdr(1<<31)...)
	v1 := make([]byte, 128)
	copy(v1, "TAGtitle")
	return append(tag, v1...)
}

// mp3Err decodes data and checks the error is kind, naming it in the test.
func mp3Err(t *testing.T, name string, data []byte, lim Limits, kind error, detail string) {
	t.Helper()
	_, err := DecodeNative(data, lim)
	if !errors.Is(err, kind) || !strings.Contains(fmtErr(err), detail) {
		t.Errorf("%s: got %v; want %v containing %q", name, err, kind, detail)
		return
	}
	mp3CheckErr(t, err)
	t.Logf("%s: %v", name, err)
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestMP3BadFiles covers files that must fail with a typed error.
func TestMP3BadFiles(t *testing.T) {
	data, frames, _ := plainMP3(t)
	dir := t.TempDir()
	lim := DefaultLimits()

	tag := id3Tag(5000, false)
	mp3Err(t, "ID3 only", tag, lim, ErrNoSamples, "ID3")
	mp3Err(t, "ID3 size past the end", append(id3Tag(5000, false), data[:3000]...)[:4000], lim, ErrTruncated, "ID3v2 tag")
	mp3Err(t, "ID3 + FLAC", append(id3Tag(100, false), "fLaC\x00\x00\x00\x22"...), lim, ErrUnsupported, "FLAC")
	mp3Err(t, "one cut frame", data[:300], lim, ErrTruncated, "cut off")
	mp3Err(t, "too long", data, Limits{MaxSeconds: 0.5}, ErrTooLong, "limit")
	mp3Err(t, "ID3 then noise", append(id3Tag(100, false), bytes.Repeat([]byte("noise!"), 1000)...), lim, ErrInvalid, "no MPEG audio frames")

	// Layer II, from ffmpeg, bare and after an ID3 tag.
	src := mp3Source(t, dir, 44100, 2, 1)
	mp2 := filepath.Join(dir, "x.mp2")
	run(t, "ffmpeg", "-v", "error", "-i", src, "-c:a", "mp2", "-b:a", "192k", mp2)
	mp3Err(t, "layer II", readFile(t, mp2), lim, ErrUnsupported, "layer II")
	mp3Err(t, "ID3 + layer II", append(id3Tag(100, false), readFile(t, mp2)...), lim, ErrUnsupported, "layer II")

	// Free format from lame.
	ff := filepath.Join(dir, "free.mp3")
	mp3Lame(t, src, ff, "--freeformat", "-b", "400")
	mp3Err(t, "free format", readFile(t, ff), lim, ErrUnsupported, "free-format")

	// ADTS AAC, bare and after an ID3 tag.
	aac := filepath.Join(dir, "x.aac")
	run(t, "ffmpeg", "-v", "error", "-i", src, "-c:a", "aac", "-f", "adts", aac)
	mp3Err(t, "ADTS", readFile(t, aac), lim, ErrUnsupported, "AAC")
	mp3Err(t, "ID3 + ADTS", append(id3Tag(100, false), readFile(t, aac)...), lim, ErrUnsupported, "AAC")

	// Frames whose main data is garbage: corrupt everywhere but the headers.
	bad := append([]byte(nil), data...)
	r := rand.New(rand.NewSource(2))
	for i, off := range frames {
		end := len(bad)
		if i+1 < len(frames) {
			end = frames[i+1]
		}
		r.Read(bad[off+4 : end])
	}
	if _, err := DecodeNative(bad, lim); err != nil {
		mp3CheckErr(t, err)
		t.Logf("random main data: %v", err)
	}
}

// TestMP3Truncated cuts a tagged file at many offsets: whole frames must
// decode, and only a cut before the first whole frame may fail.
func TestMP3Truncated(t *testing.T) {
	dir := t.TempDir()
	c := mp3Case{name: "t", rate: 44100, ch: 2, lame: []string{"-b", "128", "--add-id3v2", "--tt", "x"}}
	path, _ := makeMP3(t, dir, c, 1)
	data := readFile(t, path)
	full, err := DecodeNative(data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	first := firstMPEGFrame(data, len(data))
	h, _ := parseMPEGHeader(data[first:])
	audioStart := first + h.frameBytes // after the Info frame
	cuts := []int{1, 2, 3, 9, 10, 11, first - 1, first, first + 3, first + 100, audioStart - 1, audioStart + 10, audioStart + 417, audioStart + 836}
	for c := audioStart + 900; c < len(data); c += 997 {
		cuts = append(cuts, c)
	}
	cuts = append(cuts, len(data)-1)
	for _, n := range cuts {
		clip, err := DecodeNative(data[:n], DefaultLimits())
		if err != nil {
			mp3CheckErr(t, err)
			if n >= audioStart+836 { // two whole audio frames present
				t.Errorf("cut at %d: %v", n, err)
			}
			continue
		}
		if len(clip.Samples) > len(full.Samples) || !equalSamples(clip.Samples, full.Samples[:len(clip.Samples)]) {
			t.Errorf("cut at %d: %d samples are not a prefix of the full decode", n, len(clip.Samples))
		}
	}
}

// TestMP3Garbage puts junk between frames: decoding resyncs and warns, and
// everything before the junk decodes as without it.
func TestMP3Garbage(t *testing.T) {
	data, frames, plain := plainMP3(t)
	mid := frames[len(frames)/2]
	junk := bytes.Repeat([]byte("\xFF\xFB\x00junk\xFF\xF3"), 100) // sync-like junk
	withJunk := append(append(append([]byte(nil), data[:mid]...), junk...), data[mid:]...)
	clip, err := DecodeNative(withJunk, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(clip.Samples) != len(plain.Samples) || len(clip.Info.Warnings) != 1 || !strings.Contains(clip.Info.Warnings[0], "skipped 900 bytes") {
		t.Fatalf("%d samples (want %d), warnings %q", len(clip.Samples), len(plain.Samples), clip.Info.Warnings)
	}
	n := (len(frames) / 2) * 1152
	if !equalSamples(clip.Samples[:n], plain.Samples[:n]) {
		t.Error("samples before the junk differ")
	}
	t.Logf("after junk: corr %.4f with the clean decode", mp3Corr(plain.Samples[n:], clip.Samples[n:], 0))
}

// TestMP3TooLongAllocatesLittle checks the duration limit is applied from
// the header walk, before sample buffers are allocated.
func TestMP3TooLongAllocatesLittle(t *testing.T) {
	data, _, _ := plainMP3(t)
	var long []byte
	for range 60 { // ~1 minute
		long = append(long, data...)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := DecodeNative(long, Limits{MaxSeconds: 30})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLong) {
		t.Fatalf("got %v, want ErrTooLong", err)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 64<<10 {
		t.Errorf("allocated %d bytes before rejecting", a)
	}
}

// TestMP3PanicRegressions replays inputs that made go-mp3 panic (found by
// mutating lame output): the panic must be recovered inside decodeMP3 and
// the file decoded around the bad frame or rejected with a typed error.
//
// mp3-panic-mpeg2-scalefac.mp3: an MPEG-2 frame flagged as a mixed short
// block; go-mp3 reads 38 scalefactors and indexes the 39th.
func TestMP3PanicRegressions(t *testing.T) {
	paths, _ := filepath.Glob("testdata/mp3-panic-*.mp3")
	if len(paths) == 0 {
		t.Fatal("no regression files")
	}
	for _, p := range paths {
		panics := 0
		onDecoderPanic = func(any) { panics++ }
		clip, err := DecodeNative(readFile(t, p), DefaultLimits())
		onDecoderPanic = func(any) {}
		if err != nil {
			mp3CheckErr(t, err)
		}
		t.Logf("%s: %d recovered panics, err %v", p, panics, err)
		if clip != nil && (len(clip.Info.Warnings) == 0) != (panics == 0) {
			t.Errorf("%s: warnings %q after %d panics", p, clip.Info.Warnings, panics)
		}
	}
}

// TestMP3Decode16k runs the whole path, resampling included, for an
// MPEG-1, an MPEG-2 and an MPEG-2.5 file.
func TestMP3Decode16k(t *testing.T) {
	for _, c := range []mp3Case{mp3Cases[0], mp3Cases[6], mp3Cases[11]} {
		path, _ := makeMP3(t, t.TempDir(), c, 2)
		clip, err := Decode(readFile(t, path), DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if clip.Rate != TargetRate || clip.Info.SampleRate != c.outRate {
			t.Errorf("%s: rate %d, info %d", c.name, clip.Rate, clip.Info.SampleRate)
		}
		want := clip.Info.Frames * TargetRate / c.outRate
		if d := len(clip.Samples) - want; d < -2 || d > 2 {
			t.Errorf("%s: %d samples at 16 kHz, want about %d", c.name, len(clip.Samples), want)
		}
	}
}
