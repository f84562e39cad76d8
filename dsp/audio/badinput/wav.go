package badinput

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"strconv"
)

// chunk is one RIFF chunk. size overrides the size field when set (a
// lie); pad=false leaves out the pad byte after an odd-sized body.
type chunk struct {
	id    string
	body  []byte
	size  *uint32
	nopad bool
}

func lie(n uint32) *uint32 { return &n }

// riff lays out a RIFF (or RIFX/RF64) WAVE file; the RIFF size is right
// unless riffSize is set.
func riff(magic string, riffSize *uint32, chunks ...chunk) []byte {
	var b bytes.Buffer
	for _, c := range chunks {
		b.WriteString(c.id)
		n := uint32(len(c.body))
		if c.size != nil {
			n = *c.size
		}
		var sz [4]byte
		if magic == "RIFX" {
			binary.BigEndian.PutUint32(sz[:], n)
		} else {
			binary.LittleEndian.PutUint32(sz[:], n)
		}
		b.Write(sz[:])
		b.Write(c.body)
		if len(c.body)%2 == 1 && !c.nopad {
			b.WriteByte(0)
		}
	}
	size := uint32(4 + b.Len())
	if riffSize != nil {
		size = *riffSize
	}
	out := make([]byte, 12, 12+b.Len())
	copy(out, magic)
	if magic == "RIFX" {
		binary.BigEndian.PutUint32(out[4:], size)
	} else {
		binary.LittleEndian.PutUint32(out[4:], size)
	}
	copy(out[8:], "WAVE")
	return append(out, b.Bytes()...)
}

// fmtBody is a 16-byte fmt chunk body; block align and byte rate follow
// from the other fields unless align is non-negative.
func fmtBody(order binary.ByteOrder, tag, channels uint16, rate uint32, bits uint16, align int) []byte {
	b := make([]byte, 16)
	if align < 0 {
		align = int(channels) * int((bits+7)/8)
	}
	order.PutUint16(b[0:], tag)
	order.PutUint16(b[2:], channels)
	order.PutUint32(b[4:], rate)
	order.PutUint32(b[8:], rate*uint32(align))
	order.PutUint16(b[12:], uint16(align))
	order.PutUint16(b[14:], bits)
	return b
}

func fmtLE(tag, channels uint16, rate uint32, bits uint16) chunk {
	return chunk{id: "fmt ", body: fmtBody(binary.LittleEndian, tag, channels, rate, bits, -1)}
}

// wav16 is a plain 16-bit PCM mono WAV of x at rate.
func wav16(rate uint32, x []float64) []byte {
	return riff("RIFF", nil, fmtLE(1, 1, rate, 16), chunk{id: "data", body: pcm16(x)})
}

// speechWAV is the corpus's reference clip: 2 s of speech at 16 kHz, 16-bit mono.
func speechWAV() []byte { return wav16(16000, speech(16000, 2)) }

// cut returns the first n bytes of b (n < 0 counts from the end).
func cut(b []byte, n int) []byte {
	if n < 0 {
		n += len(b)
	}
	return b[:n]
}

// withNonFinite returns x with NaN, +Inf and -Inf scattered through it.
func withNonFinite(x []float64) []float64 {
	y := append([]float64(nil), x...)
	bad := []float64{math.NaN(), math.Inf(1), math.Inf(-1)}
	for i := 0; i < len(y); i += 97 {
		y[i] = bad[(i/97)%3]
	}
	return y
}

func scaled(x []float64, g float64) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = g * v
	}
	return y
}

// extensibleFmt is a 40-byte WAVE_FORMAT_EXTENSIBLE fmt body with the
// given 16-byte subformat GUID.
func extensibleFmt(channels uint16, rate uint32, bits uint16, guid []byte) []byte {
	b := fmtBody(binary.LittleEndian, 0xFFFE, channels, rate, bits, -1)
	ext := make([]byte, 24)
	binary.LittleEndian.PutUint16(ext[0:], 22)   // cbSize
	binary.LittleEndian.PutUint16(ext[2:], bits) // valid bits
	binary.LittleEndian.PutUint32(ext[4:], 4)    // channel mask: front centre
	copy(ext[8:], guid)
	return append(b, ext...)
}

// silence2h is two hours of 8 kHz 8-bit mono silence (57.6 MB), streamed.
func silence2h() Kind {
	const frames = 2 * 3600 * 8000
	hdr := riff("RIFF", lie(36+frames), fmtLE(1, 1, 8000, 8), chunk{id: "data", size: lie(frames)})
	return streamed("wav", "wav-silence-2h", ".wav", "too_long",
		"2 hours of 8 kHz 8-bit silence (57.6 MB): MaxSeconds rejects it from the header, before any sample buffer",
		len(hdr)+frames, func(w io.Writer) error {
			if _, err := w.Write(hdr); err != nil {
				return err
			}
			return repeat(w, bytes.Repeat([]byte{0x80}, 64<<10), frames)
		})
}

// repeat writes n bytes to w by repeating block.
func repeat(w io.Writer, block []byte, n int) error {
	for n > 0 {
		k := min(n, len(block))
		if _, err := w.Write(block[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

func wavKinds() []Kind {
	k := func(name, want, what string, make func() []byte) Kind {
		return fixed("wav", name, ".wav", want, what, make)
	}
	sp := func() []float64 { return speech(16000, 2) }
	data := func() chunk { return chunk{id: "data", body: pcm16(sp())} }
	fmt16 := fmtLE(1, 1, 16000, 16)
	badFmt := func(tag, ch uint16, rate uint32, bits uint16) func() []byte {
		return func() []byte { return riff("RIFF", nil, fmtLE(tag, ch, rate, bits), data()) }
	}
	list := func(body string, size *uint32, nopad bool) chunk {
		return chunk{id: "LIST", body: []byte("INFO" + body), size: size, nopad: nopad}
	}
	pcmGUID := []byte("\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71")
	kinds := []Kind{
		k("wav-speech", Result, "2 s of synthetic speech, 16 kHz 16-bit mono: the reference clip the others break", speechWAV),
		k("wav-header-only", "no_samples", "a 44-byte header whose data chunk is empty", func() []byte {
			return riff("RIFF", nil, fmt16, chunk{id: "data"})
		}),
	}
	// The reference clip cut short at offsets through its header and data.
	for _, c := range []struct {
		n          int
		want, what string
	}{
		{2, "not_audio", "2 bytes (\"RI\"): too little to recognise"},
		{4, "truncated", "\"RIFF\" and nothing else"},
		{11, "truncated", "inside the WAVE id"},
		{12, "truncated", "after \"WAVE\", before the fmt chunk"},
		{20, "truncated", "inside the fmt chunk"},
		{36, "truncated", "after the fmt chunk, before the data chunk"},
		{40, "truncated", "inside the data chunk header"},
		{44, "truncated", "after the data chunk header, no samples"},
		{45, "truncated", "one byte into the samples: not one whole frame"},
		{44 + 400, "too_short", "after 12.5 ms of samples"},
		{44 + 32000, Result, "halfway through the samples (1 s)"},
		{-1, Result, "one byte short: a partial last frame"},
	} {
		name := "wav-cut-" + strconv.Itoa(c.n)
		if c.n < 0 {
			name = "wav-cut-last-byte"
		}
		k := k(name, c.want, "the reference clip cut "+c.what, func() []byte { return cut(speechWAV(), c.n) })
		kinds = append(kinds, k)
	}
	kinds = append(kinds,
		// Chunk sizes that lie.
		k("wav-riff-size-ffffffff", Result, "RIFF size 0xFFFFFFFF (ignored: only the chunks count)", func() []byte {
			return riff("RIFF", lie(0xFFFFFFFF), fmt16, data())
		}),
		k("wav-riff-size-0", Result, "RIFF size 0", func() []byte { return riff("RIFF", lie(0), fmt16, data()) }),
		k("wav-data-size-past-end", Result, "data chunk claims 10× the bytes present: the present ones are decoded", func() []byte {
			return riff("RIFF", nil, fmt16, chunk{id: "data", body: pcm16(sp()), size: lie(640000)})
		}),
		k("wav-data-size-ffffffff", Result, "data chunk size 0xFFFFFFFF, as streaming writers leave it", func() []byte {
			return riff("RIFF", nil, fmt16, chunk{id: "data", body: pcm16(sp()), size: lie(0xFFFFFFFF)})
		}),
		k("wav-data-size-0", Result, "data chunk size 0 with samples after it (streaming writer)", func() []byte {
			return riff("RIFF", nil, fmt16, chunk{id: "data", body: pcm16(sp()), size: lie(0)})
		}),
		k("wav-data-size-odd", Result, "data chunk size odd (one byte less than present) for 16-bit samples", func() []byte {
			return riff("RIFF", nil, fmt16, chunk{id: "data", body: pcm16(sp()), size: lie(63999)})
		}),
		k("wav-list-odd-padded", Result, "an odd-sized LIST chunk with its pad byte before the data", func() []byte {
			return riff("RIFF", nil, fmt16, list("abc", nil, false), data())
		}),
		k("wav-list-odd-unpadded", Result, "an odd-sized LIST chunk without its pad byte", func() []byte {
			return riff("RIFF", nil, fmt16, list("abc", nil, true), data())
		}),
		k("wav-list-size-0", Result, "a LIST chunk of size 0", func() []byte {
			return riff("RIFF", nil, fmt16, chunk{id: "LIST"}, data())
		}),
		k("wav-list-size-past-end", "truncated", "a LIST chunk claiming more bytes than the file holds, before the data", func() []byte {
			return riff("RIFF", nil, fmt16, list("abcd", lie(1<<30), false), data())
		}),
		k("wav-list-size-ffffffff", "truncated", "a LIST chunk of size 0xFFFFFFFF before the data", func() []byte {
			return riff("RIFF", nil, fmt16, list("abcd", lie(0xFFFFFFFF), false), data())
		}),
		k("wav-fmt-size-0", "invalid", "fmt chunk of size 0", func() []byte {
			return riff("RIFF", nil, chunk{id: "fmt ", size: lie(0)}, data())
		}),
		k("wav-fmt-size-ffffffff", "truncated", "fmt chunk of size 0xFFFFFFFF", func() []byte {
			return riff("RIFF", nil, chunk{id: "fmt ", body: fmt16.body, size: lie(0xFFFFFFFF)}, data())
		}),
		k("wav-fmt-size-odd", Result, "fmt chunk of 17 bytes (one extra) with a pad byte", func() []byte {
			return riff("RIFF", nil, chunk{id: "fmt ", body: append(fmt16.body, 0)}, data())
		}),
		k("wav-data-before-fmt", "invalid", "data chunk (size 0xFFFFFFFF) before the fmt chunk", func() []byte {
			return riff("RIFF", nil, chunk{id: "data", body: pcm16(sp()), size: lie(0xFFFFFFFF)}, fmt16)
		}),
		k("wav-no-fmt", "truncated", "a data chunk and no fmt chunk", func() []byte { return riff("RIFF", nil, data()) }),
		// fmt fields out of range.
		k("wav-fmt-0-channels", "invalid", "fmt says 0 channels", badFmt(1, 0, 16000, 16)),
		k("wav-fmt-0-hz", "invalid", "fmt says 0 Hz", badFmt(1, 1, 0, 16)),
		k("wav-fmt-10-mhz", "invalid", "fmt says 10 MHz", badFmt(1, 1, 10_000_000, 16)),
		k("wav-fmt-1-bit", "unsupported", "fmt says 1-bit PCM", badFmt(1, 1, 16000, 1)),
		k("wav-fmt-64-channels", "unsupported", "fmt says 64 channels", badFmt(1, 64, 16000, 16)),
		k("wav-fmt-bad-align", "invalid", "block align 3 for 16-bit mono", func() []byte {
			return riff("RIFF", nil, chunk{id: "fmt ", body: fmtBody(binary.LittleEndian, 1, 1, 16000, 16, 3)}, data())
		}),
		k("wav-fmt-adpcm", "unsupported", "IMA ADPCM (format tag 0x0011)", badFmt(0x11, 1, 16000, 4)),
		k("wav-fmt-extensible-bad-guid", "unsupported", "WAVE_FORMAT_EXTENSIBLE with an unknown subformat GUID", func() []byte {
			return riff("RIFF", nil, chunk{id: "fmt ", body: extensibleFmt(1, 16000, 16, []byte("0123456789abcdef"))}, data())
		}),
		k("wav-extensible-pcm", Result, "WAVE_FORMAT_EXTENSIBLE PCM, 16 kHz 16-bit mono", func() []byte {
			return riff("RIFF", nil, chunk{id: "fmt ", body: extensibleFmt(1, 16000, 16, pcmGUID)}, data())
		}),
		// Float samples.
		k("wav-float-nan-inf", Result, "32-bit float speech with NaN, +Inf and -Inf every 97 samples (they become 0)", func() []byte {
			return riff("RIFF", nil, fmtLE(3, 1, 16000, 32), chunk{id: "data", body: float32LE(withNonFinite(sp()))})
		}),
		k("wav-float-all-nan", "no_speech", "32-bit float, every sample NaN", func() []byte {
			return riff("RIFF", nil, fmtLE(3, 1, 16000, 32), chunk{id: "data", body: float32LE(constant(32000, math.NaN()))})
		}),
		k("wav-float-huge", Result, "32-bit float speech scaled by 1e30 (clamped to ±1e6)", func() []byte {
			return riff("RIFF", nil, fmtLE(3, 1, 16000, 32), chunk{id: "data", body: float32LE(scaled(sp(), 1e30))})
		}),
		k("wav-float-loud", Result, "32-bit float speech scaled by 1000: far outside [-1, 1]", func() []byte {
			return riff("RIFF", nil, fmtLE(3, 1, 16000, 32), chunk{id: "data", body: float32LE(scaled(sp(), 1000))})
		}),
		k("wav-float64-inf", Result, "64-bit float speech with NaN and ±Inf every 97 samples", func() []byte {
			return riff("RIFF", nil, fmtLE(3, 1, 16000, 64), chunk{id: "data", body: float64LE(withNonFinite(sp()))})
		}),
		// Odd signals.
		k("wav-10ms", "too_short", "0.01 s of a loud 440 Hz tone", func() []byte { return wav16(16000, tone(16000, 0.01, 440, 0.5)) }),
		k("wav-one-sample", "too_short", "a single full-scale sample", func() []byte { return wav16(16000, []float64{0.9}) }),
		k("wav-silence-2s", "no_speech", "2 s of digital silence", func() []byte { return wav16(16000, make([]float64, 32000)) }),
		k("wav-near-silence", "no_speech", "2 s of a 300 Hz tone at -80 dBFS, below the speech floor", func() []byte {
			return wav16(16000, scaled(tone(16000, 2, 300, 1), 1e-4))
		}),
		k("wav-dc", Result, "2 s of pure DC at half scale", func() []byte { return wav16(16000, constant(32000, 0.5)) }),
		k("wav-square-clipping", Result, "2 s of a 150 Hz square wave on full scale", func() []byte {
			return wav16(16000, square(16000, 2, 150))
		}),
		k("wav-8bit-stereo-44k", Result, "speech as 44.1 kHz 8-bit stereo", func() []byte {
			return riff("RIFF", nil, fmtLE(1, 2, 44100, 8), chunk{id: "data", body: pcm8(stereo(speech(44100, 2)))})
		}),
		k("wav-rifx", Result, "speech as big-endian RIFX, 16 kHz 16-bit mono", func() []byte {
			return riff("RIFX", nil, chunk{id: "fmt ", body: fmtBody(binary.BigEndian, 1, 1, 16000, 16, -1)},
				chunk{id: "data", body: pcm16BE(sp())})
		}),
		silence2h(),
	)
	return kinds
}
