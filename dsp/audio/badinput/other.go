package badinput

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"time"
)

// Files of other formats, mostly named .wav the way a visitor's would be
// after a careless rename: the decoder must go by the bytes and, for other
// audio, say which format it was.

// oggPage is one Ogg page (beginning of stream) holding packet, with its CRC.
func oggPage(packet []byte) []byte {
	p := []byte("OggS\x00\x02")
	p = append(p, make([]byte, 8)...)              // granule position
	p = append(p, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) // serial 1, page 0, CRC placeholder
	p = append(p, 1, byte(len(packet)))            // one segment
	p = append(p, packet...)
	binary.LittleEndian.PutUint32(p[22:], oggCRC(p))
	return p
}

// oggCRC is the Ogg page checksum: CRC-32, polynomial 0x04C11DB7, not reflected.
func oggCRC(b []byte) uint32 {
	var crc uint32
	for _, c := range b {
		crc ^= uint32(c) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

func vorbisID() []byte {
	b := []byte("\x01vorbis\x00\x00\x00\x00\x01")
	b = binary.LittleEndian.AppendUint32(b, 16000)
	b = append(b, make([]byte, 12)...) // bitrates: unset
	return append(b, 0xB8, 1)          // block sizes 256/2048, framing
}

func opusHead() []byte {
	b := []byte("OpusHead\x01\x01")
	b = binary.LittleEndian.AppendUint16(b, 312) // pre-skip
	b = binary.LittleEndian.AppendUint32(b, 48000)
	return append(b, 0, 0, 0)
}

// flacHeader is "fLaC" and a STREAMINFO block (16 kHz mono 16-bit), no frames.
func flacHeader() []byte {
	var w bitWriter
	w.put(1, 1)      // last metadata block
	w.put(0, 7)      // STREAMINFO
	w.put(34, 24)    // length
	w.put(4096, 16)  // min block size
	w.put(4096, 16)  // max block size
	w.put(0, 48)     // min, max frame size: unknown
	w.put(16000, 20) // sample rate
	w.put(0, 3)      // channels - 1
	w.put(15, 5)     // bits per sample - 1
	w.put(0, 36)     // total samples: unknown
	w.put(0, 64)     // MD5, first half
	w.put(0, 64)     // MD5, second half
	return append([]byte("fLaC"), w.b...)
}

// m4aHeader is an ftyp box for M4A and an empty mdat box.
func m4aHeader() []byte {
	b := []byte("\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A isom")
	return append(b, "\x00\x00\x00\x08mdat"...)
}

// webmHeader is an EBML header with DocType webm and the start of a
// Segment of unknown size.
func webmHeader() []byte {
	el := func(id []byte, data ...byte) []byte { return append(append(id, 0x80|byte(len(data))), data...) }
	var body []byte
	body = append(body, el([]byte{0x42, 0x86}, 1)...)                 // EBMLVersion
	body = append(body, el([]byte{0x42, 0xF7}, 1)...)                 // EBMLReadVersion
	body = append(body, el([]byte{0x42, 0xF2}, 4)...)                 // EBMLMaxIDLength
	body = append(body, el([]byte{0x42, 0xF3}, 8)...)                 // EBMLMaxSizeLength
	body = append(body, el([]byte{0x42, 0x82}, []byte("webm")...)...) // DocType
	body = append(body, el([]byte{0x42, 0x87}, 4)...)                 // DocTypeVersion
	body = append(body, el([]byte{0x42, 0x85}, 2)...)                 // DocTypeReadVersion
	b := append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x80 | byte(len(body))}, body...)
	return append(b, 0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF) // Segment, unknown size
}

// aiffHeader is a FORM/AIFF file: COMM (16 kHz mono 16-bit) and 4 frames of SSND.
func aiffHeader() []byte {
	comm := []byte{0, 1, 0, 0, 0, 4, 0, 16, 0x40, 0x0C, 0xFA, 0, 0, 0, 0, 0, 0, 0} // rate as 80-bit extended
	var b bytes.Buffer
	b.WriteString("COMM\x00\x00\x00\x12")
	b.Write(comm)
	b.WriteString("SSND\x00\x00\x00\x10")
	b.Write(make([]byte, 16))
	return append(append([]byte("FORM"), binary.BigEndian.AppendUint32(nil, uint32(4+b.Len()))...), append([]byte("AIFF"), b.Bytes()...)...)
}

// adtsAAC is 20 frames of ADTS AAC headers with empty payloads.
func adtsAAC() []byte {
	var b []byte
	for range 20 {
		const n = 9 // frame length: 7-byte header + 2 bytes
		// MPEG-4 AAC LC, 16 kHz (index 8), mono, no CRC, buffer fullness 0x7FF.
		b = append(b, 0xFF, 0xF1, 0x60, 0x40|n>>11, byte(n>>3&0xFF), byte(n&7)<<5|0x1F, 0xFC, 0, 0)
	}
	return b
}

func tinyImage() image.Image {
	m := image.NewGray(image.Rect(0, 0, 4, 4))
	m.SetGray(1, 1, color.Gray{Y: 200})
	return m
}

func encoded(enc func(*bytes.Buffer) error) func() []byte {
	return func() []byte {
		var b bytes.Buffer
		enc(&b) // encoders writing to a bytes.Buffer fail only on bad input, and these are fixed
		return b.Bytes()
	}
}

func zipFile() []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.CreateHeader(&zip.FileHeader{Name: "song.wav", Method: zip.Deflate, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	w.Write(speechWAV()[:4096])
	z.Close()
	return b.Bytes()
}

func riffOther(form string, chunks ...chunk) []byte {
	b := riff("RIFF", nil, chunks...)
	copy(b[8:], form)
	return b
}

func otherKinds() []Kind {
	k := func(name, ext, want, what string, make func() []byte) Kind {
		return fixed("other", name, ext, want, what, make)
	}
	b := func(s string) func() []byte { return func() []byte { return []byte(s) } }
	return []Kind{
		k("empty", ".wav", "empty", "0 bytes", b("")),
		k("one-byte", ".wav", "not_audio", "1 byte (\"R\")", b("R")),
		k("one-byte-ff", ".mp3", "not_audio", "1 byte 0xFF (the start of an MPEG sync word)", b("\xFF")),
		k("zeros-4k", ".wav", "not_audio", "4096 zero bytes", func() []byte { return make([]byte, 4096) }),
		k("random-64k", ".wav", "not_audio", "64 KB of random bytes", func() []byte { return noise(64<<10, 1) }),
		k("text", ".mp3", "not_audio", "a line of text", b("this is not a song\n")),
		k("html", ".wav", "not_audio", "an HTML error page saved as the download",
			b("<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>\n")),
		k("ogg-vorbis-as-wav", ".wav", "unsupported", "an Ogg page with a Vorbis identification header", func() []byte { return oggPage(vorbisID()) }),
		k("ogg-opus-as-wav", ".wav", "unsupported", "an Ogg page with an OpusHead header", func() []byte { return oggPage(opusHead()) }),
		k("flac-as-wav", ".wav", "unsupported", "a FLAC STREAMINFO header, no frames", flacHeader),
		k("m4a-as-wav", ".wav", "unsupported", "an M4A ftyp box and an empty mdat", m4aHeader),
		k("webm-as-wav", ".wav", "unsupported", "a WebM EBML header and the start of a Segment", webmHeader),
		k("aiff-as-wav", ".wav", "unsupported", "an AIFF file (COMM and SSND chunks)", aiffHeader),
		k("aac-adts-as-mp3", ".mp3", "unsupported", "ADTS AAC frame headers", adtsAAC),
		k("png-as-wav", ".wav", "not_audio", "a 4×4 PNG image", encoded(func(w *bytes.Buffer) error { return png.Encode(w, tinyImage()) })),
		k("jpeg-as-mp3", ".mp3", "not_audio", "a 4×4 JPEG image", encoded(func(w *bytes.Buffer) error { return jpeg.Encode(w, tinyImage(), nil) })),
		k("gif-as-wav", ".wav", "not_audio", "a 4×4 GIF image", encoded(func(w *bytes.Buffer) error { return gif.Encode(w, tinyImage(), nil) })),
		k("pdf-as-wav", ".wav", "not_audio", "a minimal PDF document",
			b("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")),
		k("zip-as-wav", ".wav", "not_audio", "a ZIP archive holding part of a WAV", zipFile),
		k("riff-avi-as-wav", ".wav", "not_audio", "a RIFF AVI header", func() []byte {
			return riffOther("AVI ", chunk{id: "LIST", body: []byte("hdrlavih")})
		}),
		k("riff-webp-as-wav", ".wav", "not_audio", "a RIFF WebP header", func() []byte {
			return riffOther("WEBP", chunk{id: "VP8L", body: []byte{0x2F, 0, 0, 0, 0}})
		}),
	}
}
