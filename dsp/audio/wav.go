package audio

import (
	"encoding/binary"
	"fmt"
)

// WAV is decoded by a small chunk walker over the byte slice, not by
// github.com/go-audio/wav. That decoder reads one sample at a time through
// io.Reader and an interface into []int (about 40× slower here, see
// BenchmarkDecodeWAV), rounds the data chunk up to an even size, ignores a
// short read of a chunk size (riff: `err != err`), trusts header sizes and
// has no float, A-law/µ-law, extensible, RF64 or big-endian support.
// The tests still use go-audio/wav as an independent cross-check for the
// plain PCM it does handle.

// wavFormat is a validated fmt chunk.
type wavFormat struct {
	codec     string // "pcm", "float", "alaw", "mulaw"
	channels  int
	rate      int
	align     int // bytes per frame
	width     int // bytes per sample in the stream
	bits      int // significant bits, reported as Info.BitDepth
	bigEndian bool
}

const (
	wavMaxChannels = 32  // 22.2 surround or 4th-order ambisonics fit; beyond is a broken header
	floatLimit     = 1e6 // float samples beyond ±floatLimit are clamped (see convertWAV)
)

// wavFormatNames names common non-PCM format tags for ErrUnsupported.
var wavFormatNames = map[uint16]string{
	0x0000: "unknown",
	0x0002: "Microsoft ADPCM",
	0x0010: "OKI ADPCM",
	0x0011: "IMA ADPCM",
	0x0022: "TrueSpeech",
	0x0031: "GSM 6.10",
	0x0040: "G.721 ADPCM",
	0x0042: "G.723",
	0x0045: "G.726 ADPCM",
	0x0050: "MPEG-1 Layer I/II",
	0x0055: "MPEG Layer III",
	0x0092: "Dolby AC-3 SPDIF",
	0x00FF: "AAC",
	0x0161: "Windows Media Audio",
	0x0162: "Windows Media Audio Pro",
	0x0163: "Windows Media Audio Lossless",
	0x1610: "HE-AAC",
	0x2000: "Dolby AC-3",
	0x2001: "DTS",
	0x6750: "Ogg Vorbis",
	0xF1AC: "FLAC",
}

// KSDATAFORMAT_SUBTYPE_* GUIDs are a format tag plus this fixed tail.
const (
	ksGUIDTail   = "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71" // after a LE uint16 tag
	ksGUIDTailBE = "\x00\x00\x00\x10\x80\x00\x00\xAA\x00\x38\x9B\x71"         // after 00 00 and a BE uint16 tag
)

// decodeWAV decodes RIFF/RIFX/RF64/BW64 WAVE data to mono at its own rate.
func decodeWAV(data []byte, lim Limits) (decoded, error) {
	if len(data) < 4 {
		return decoded{}, notAudio(data)
	}
	var order binary.ByteOrder = binary.LittleEndian
	info := Info{Container: "wav"}
	switch string(data[:4]) {
	case "RIFF":
	case "RIFX":
		order = binary.BigEndian
	case "RF64", "BW64":
		info.Container = "rf64"
	default:
		return decoded{}, notAudio(data)
	}
	if len(data) < 12 {
		return decoded{}, errorf(ErrTruncated, "WAV header is %d bytes, needs 12", len(data))
	}
	if string(data[8:12]) != "WAVE" {
		return decoded{}, notAudio(data)
	}

	var (
		f        wavFormat
		haveFmt  bool
		payload  []byte
		claimed  int64 = -1 // data bytes the header claimed, when more than present
		ds64Data int64 = -1 // RF64 data size from the ds64 chunk
	)
	unpadded, extraFmt := 0, 0 // counted, so a crafted file cannot flood Warnings
	warn := func(format string, args ...any) {
		info.Warnings = append(info.Warnings, fmt.Sprintf(format, args...))
	}
	off, end := int64(12), int64(len(data))
	for found := false; !found; {
		if end-off < 8 {
			if !haveFmt {
				return decoded{}, errorf(ErrTruncated, "WAV file ends after %d bytes, before its fmt chunk", len(data))
			}
			return decoded{}, errorf(ErrTruncated, "WAV file ends after %d bytes, before its data chunk", len(data))
		}
		id := [4]byte(data[off : off+4])
		size := int64(order.Uint32(data[off+4:]))
		body := off + 8
		avail := end - body
		if id == [4]byte{'d', 'a', 't', 'a'} && haveFmt {
			n := size
			switch {
			case size == 0xFFFFFFFF && ds64Data >= 0:
				n = ds64Data
			case size == 0xFFFFFFFF || size == 0 && avail > 0 && !chunkChain(data[body:], order):
				// Streaming writers cannot seek back to fill in the size.
				n = avail
				warn("data chunk size 0x%X (streaming writer); used the %d bytes present", size, avail)
			}
			if n > avail {
				claimed, n = n, avail
				warn("data chunk claims %d bytes, only %d present; decoded those", claimed, n)
			}
			payload = data[body : body+n]
			found = true
			continue
		}
		if id == [4]byte{'d', 'a', 't', 'a'} && (size == 0 || size > avail) {
			// data before fmt is against the spec; it can be skipped only if its size is right.
			return decoded{}, errorf(ErrInvalid, "WAV data chunk of size %d before the fmt chunk", size)
		}
		if size > avail {
			return decoded{}, errorf(ErrTruncated, "WAV chunk %q at byte %d claims %d bytes, only %d remain", string(id[:]), off, size, avail)
		}
		switch string(id[:]) {
		case "fmt ":
			if haveFmt {
				extraFmt++
				break
			}
			var err error
			if f, err = parseWAVFormat(data[body:body+size], order, warn); err != nil {
				return decoded{}, err
			}
			haveFmt = true
		case "ds64":
			// RF64: 64-bit sizes replace the 0xFFFFFFFF placeholders.
			if info.Container == "rf64" && size >= 24 {
				if n := binary.LittleEndian.Uint64(data[body+8:]); n < 1<<62 {
					ds64Data = int64(n)
				}
			}
		}
		// Anything else (LIST/INFO, fact, bext, JUNK, cue...) is skipped.
		next := body + size
		if size&1 == 1 {
			next++ // pad byte after an odd-sized chunk
			// Some writers omit it: trust the layout that gives a chunk ID.
			if next+4 <= end && !isChunkID(data[next:next+4]) && isChunkID(data[next-1:next+3]) {
				next--
				unpadded++
			}
		}
		off = next
	}

	if unpadded > 0 {
		warn("%d odd-sized chunks without a pad byte", unpadded)
	}
	if extraFmt > 0 {
		warn("%d extra fmt chunks ignored", extraFmt)
	}
	info.Codec, info.SampleRate, info.Channels, info.BitDepth = f.codec, f.rate, f.channels, f.bits
	frames := len(payload) / f.align
	if frames == 0 {
		if claimed >= 0 {
			return decoded{}, errorf(ErrTruncated, "WAV data chunk claims %d bytes, only %d present: not one whole %d-byte frame", claimed, len(payload), f.align)
		}
		return decoded{}, errorf(ErrNoSamples, "WAV data chunk holds %d bytes, not one whole %d-byte frame", len(payload), f.align)
	}
	if rest := len(payload) % f.align; rest != 0 && claimed < 0 {
		warn("data ends with a partial frame of %d bytes; dropped", rest)
	}
	if err := checkDuration(int64(frames), f.rate, lim); err != nil {
		return decoded{}, err
	}
	mono := make([]float32, frames)
	nonFinite, clamped := convertWAV(mono, payload[:frames*f.align], &f)
	if nonFinite > 0 {
		warn("%d NaN or infinite float samples replaced by 0", nonFinite)
	}
	if clamped > 0 {
		warn("%d float samples beyond ±%g clamped", clamped, floatLimit)
	}
	info.Frames = frames
	info.Duration = float64(frames) / float64(f.rate)
	return decoded{mono: mono, info: info}, nil
}

// parseWAVFormat validates a fmt chunk body.
func parseWAVFormat(b []byte, order binary.ByteOrder, warn func(string, ...any)) (wavFormat, error) {
	if len(b) < 16 {
		return wavFormat{}, errorf(ErrInvalid, "WAV fmt chunk is %d bytes, needs 16", len(b))
	}
	tag := order.Uint16(b[0:])
	f := wavFormat{
		channels:  int(order.Uint16(b[2:])),
		align:     int(order.Uint16(b[12:])),
		bits:      int(order.Uint16(b[14:])),
		bigEndian: order == binary.BigEndian,
	}
	rate := order.Uint32(b[4:])
	container := f.bits // bits per sample slot in the stream
	if tag == 0xFFFE {
		// WAVE_FORMAT_EXTENSIBLE: the real tag is in the subformat GUID.
		if len(b) < 40 {
			return wavFormat{}, errorf(ErrInvalid, "WAV extensible fmt chunk is %d bytes, needs 40", len(b))
		}
		if v := int(order.Uint16(b[18:])); v != 0 {
			f.bits = v // wValidBitsPerSample; 0 means "same as container"
		}
		guid := b[24:40]
		switch {
		case string(guid[2:]) == ksGUIDTail:
			tag = order.Uint16(guid) // sox writes RIFX GUIDs so: only the tag swapped
		case f.bigEndian && guid[0]|guid[1] == 0 && string(guid[4:]) == ksGUIDTailBE:
			tag = binary.BigEndian.Uint16(guid[2:])
		default:
			return wavFormat{}, errorf(ErrUnsupported, "WAV extensible subformat GUID %X", guid)
		}
		if f.bits > container {
			return wavFormat{}, errorf(ErrInvalid, "WAV extensible fmt chunk: %d valid bits in a %d-bit sample", f.bits, container)
		}
	}
	switch {
	case f.channels == 0:
		return wavFormat{}, errorf(ErrInvalid, "WAV fmt chunk: 0 channels")
	case f.channels > wavMaxChannels:
		return wavFormat{}, errorf(ErrUnsupported, "WAV with %d channels (at most %d)", f.channels, wavMaxChannels)
	case rate < MinRate || rate > MaxRate:
		return wavFormat{}, errorf(ErrInvalid, "WAV sample rate %d Hz (must be %d..%d)", rate, MinRate, MaxRate)
	}
	f.rate = int(rate)

	switch tag {
	case 1:
		f.codec = "pcm"
		// Old-style PCM may name 12 or 20 significant bits in a 16- or 24-bit slot.
		if container < 8 || container > 32 {
			return wavFormat{}, errorf(ErrUnsupported, "WAV PCM with %d bits per sample", container)
		}
		f.width = (container + 7) / 8
		if f.bits < 1 {
			f.bits = container
		}
	case 3:
		f.codec = "float"
		if container != 32 && container != 64 {
			return wavFormat{}, errorf(ErrUnsupported, "WAV float with %d bits per sample", container)
		}
		f.width = container / 8
	case 6, 7:
		f.codec = "alaw"
		if tag == 7 {
			f.codec = "mulaw"
		}
		if container != 8 {
			return wavFormat{}, errorf(ErrUnsupported, "WAV %s with %d bits per sample", f.codec, container)
		}
		f.width = 1
	default:
		if name, ok := wavFormatNames[tag]; ok {
			return wavFormat{}, errorf(ErrUnsupported, "WAV format tag 0x%04X (%s)", tag, name)
		}
		return wavFormat{}, errorf(ErrUnsupported, "WAV format tag 0x%04X", tag)
	}
	if want := f.channels * f.width; f.align != want {
		if f.align != 0 {
			return wavFormat{}, errorf(ErrInvalid, "WAV block align %d, but %d channels × %d bytes = %d", f.align, f.channels, f.width, want)
		}
		warn("block align 0; used %d channels × %d bytes", f.channels, f.width)
		f.align = want
	}
	return f, nil
}

// isChunkID reports whether b looks like a RIFF chunk ID (printable ASCII).
func isChunkID(b []byte) bool {
	for _, c := range b[:4] {
		if c < ' ' || c > '~' {
			return false
		}
	}
	return true
}

// chunkChain reports whether b is a sequence of well-formed chunks that
// ends exactly at the end of b: then a 0-sized data chunk really is empty
// rather than written by a streaming writer.
func chunkChain(b []byte, order binary.ByteOrder) bool {
	for off := int64(0); ; {
		rest := int64(len(b)) - off
		if rest == 0 || rest == 1 && off > 0 {
			return true
		}
		if rest < 8 || !isChunkID(b[off:off+4]) {
			return false
		}
		size := int64(order.Uint32(b[off+4:]))
		if size > rest-8 {
			return false
		}
		off += 8 + size + size&1
	}
}
