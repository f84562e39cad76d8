package audio

import "encoding/binary"

// vbrTag is what a Xing/Info or VBRI header in the first frame says.
// That frame carries no audio and is never handed to the decoder.
type vbrTag struct {
	kind    string // "Xing", "Info" or "VBRI"
	frames  int    // audio frames after the tag frame; 0 if not given
	bytes   int    // stream bytes; 0 if not given
	lame    bool   // a LAME/Lavc tag gave delay and padding
	delay   int    // encoder delay, samples
	padding int    // end padding, samples
}

// decoderDelay is the delay of the Layer III synthesis filterbank that
// LAME's delay field does not include (ffmpeg: start_skip = delay + 529).
const decoderDelay = 529

// parseVBRTag looks for a Xing/Info or VBRI header in frame f (header
// included) and returns ok=false if there is none.
func parseVBRTag(f []byte, h mpegHeader) (t vbrTag, ok bool) {
	if h.layer != 3 {
		return t, false
	}
	// Xing/Info sits right after the side information. LAME does not
	// count a CRC (ffmpeg does not either), but allow for writers that do.
	x := 4 + h.sideInfoBytes()
	isXing := func(x int) bool {
		return len(f) >= x+8 && (string(f[x:x+4]) == "Xing" || string(f[x:x+4]) == "Info")
	}
	if !isXing(x) && h.crc && isXing(x+2) {
		x += 2
	}
	if isXing(x) {
		t.kind = string(f[x : x+4])
		flags := binary.BigEndian.Uint32(f[x+4:])
		p := x + 8
		field := func(bit uint32, size int) []byte {
			if flags&bit == 0 || p+size > len(f) {
				return nil
			}
			b := f[p : p+size]
			p += size
			return b
		}
		if b := field(1, 4); b != nil {
			t.frames = clampInt(binary.BigEndian.Uint32(b))
		}
		if b := field(2, 4); b != nil {
			t.bytes = clampInt(binary.BigEndian.Uint32(b))
		}
		field(4, 100) // seek table
		field(8, 4)   // quality
		// The LAME extension: 9-byte encoder string, ..., delay and
		// padding as two 12-bit fields at offset 21.
		if p+24 <= len(f) {
			switch string(f[p : p+4]) {
			case "LAME", "Lavf", "Lavc":
				v := int(f[p+21])<<16 | int(f[p+22])<<8 | int(f[p+23])
				t.lame, t.delay, t.padding = true, v>>12, v&0xFFF
			}
		}
		return t, true
	}
	// VBRI (Fraunhofer) sits 32 bytes after the header whatever the mode:
	// "VBRI", version, delay, quality, bytes, frames, then a seek table.
	const v = 4 + 32
	if len(f) >= v+18 && string(f[v:v+4]) == "VBRI" {
		t.kind = "VBRI"
		t.bytes = clampInt(binary.BigEndian.Uint32(f[v+10:]))
		t.frames = clampInt(binary.BigEndian.Uint32(f[v+14:]))
		return t, true
	}
	return t, false
}

// clampInt converts a header field to int, capping absurd values so that
// later arithmetic cannot overflow on 32-bit (wasm) targets.
func clampInt(u uint32) int {
	if u > 1<<30 {
		return 1 << 30
	}
	return int(u)
}
