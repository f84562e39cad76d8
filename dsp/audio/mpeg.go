package audio

import "encoding/binary"

// mpegHeader is the decoded 4-byte header of an MPEG audio frame.
type mpegHeader struct {
	version    int // 1, 2, or 25 for 2.5
	layer      int // 1, 2 or 3
	bitrate    int // kbit/s; 0 for free format
	rate       int // Hz
	padding    int
	channels   int
	crc        bool // a 16-bit CRC follows the header
	frameBytes int  // whole frame incl. header; 0 for free format
}

var (
	mpegRates = map[int][3]int{1: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 25: {11025, 12000, 8000}}
	// Bitrates in kbit/s by [MPEG-1 or not][layer-1][index]; 15 is invalid.
	mpegBitrates = [2][3][15]int{
		{
			{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
			{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
			{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
		},
		{
			{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
			{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
			{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
		},
	}
)

// parseMPEGHeader decodes a frame header at b[0:4]; ok is false when the
// bytes cannot be one (bad sync, reserved version/layer/rate/bitrate or
// emphasis).
func parseMPEGHeader(b []byte) (h mpegHeader, ok bool) {
	if len(b) < 4 {
		return h, false
	}
	v := binary.BigEndian.Uint32(b)
	if v>>21 != 0x7FF || v&3 == 2 {
		return h, false
	}
	switch (v >> 19) & 3 {
	case 0:
		h.version = 25
	case 2:
		h.version = 2
	case 3:
		h.version = 1
	default:
		return h, false
	}
	switch (v >> 17) & 3 {
	case 1:
		h.layer = 3
	case 2:
		h.layer = 2
	case 3:
		h.layer = 1
	default:
		return h, false
	}
	ri := (v >> 10) & 3
	bi := (v >> 12) & 15
	if ri == 3 || bi == 15 {
		return h, false
	}
	h.rate = mpegRates[h.version][ri]
	h.crc = (v>>16)&1 == 0
	h.padding = int((v >> 9) & 1)
	h.channels = 2
	if (v>>6)&3 == 3 {
		h.channels = 1
	}
	row := 0
	if h.version != 1 {
		row = 1
	}
	h.bitrate = mpegBitrates[row][h.layer-1][bi]
	if h.bitrate > 0 {
		switch {
		case h.layer == 1:
			h.frameBytes = (12000*h.bitrate/h.rate + h.padding) * 4
		case h.layer == 3 && h.version != 1:
			h.frameBytes = 72000*h.bitrate/h.rate + h.padding
		default:
			h.frameBytes = 144000*h.bitrate/h.rate + h.padding
		}
	}
	return h, true
}

// samples is the number of sample frames one frame decodes to.
func (h mpegHeader) samples() int {
	switch {
	case h.layer == 1:
		return 384
	case h.layer == 3 && h.version != 1:
		return 576
	}
	return 1152
}

// sideInfoBytes is the size of the Layer III side information.
func (h mpegHeader) sideInfoBytes() int {
	switch {
	case h.version == 1 && h.channels == 2:
		return 32
	case h.version == 1 || h.channels == 2:
		return 17
	}
	return 9
}

// versionName is the MPEG version as Info.MPEG spells it.
func (h mpegHeader) versionName() string {
	switch h.version {
	case 1:
		return "1"
	case 2:
		return "2"
	}
	return "2.5"
}

// sameStream reports whether g can be a later frame of the stream h starts.
func (h mpegHeader) sameStream(g mpegHeader) bool {
	return g.version == h.version && g.layer == h.layer && g.rate == h.rate
}

// firstMPEGFrame returns the offset of the first of two consecutive
// plausible Layer III frame headers within the first limit bytes, or -1.
// Two in a row keeps random bytes from passing as MP3.
func firstMPEGFrame(data []byte, limit int) int {
	if limit > len(data) {
		limit = len(data)
	}
	for i := 0; i+4 <= limit; i++ {
		if data[i] != 0xFF {
			continue
		}
		h, ok := parseMPEGHeader(data[i:])
		if !ok || h.layer != 3 || h.frameBytes == 0 {
			continue
		}
		next := i + h.frameBytes
		if next+4 > len(data) {
			// A lone frame, whole or cut off, is only trusted at offset 0,
			// so that a file cut inside its first frame reads as truncated.
			if i == 0 {
				return i
			}
			continue
		}
		if h2, ok := parseMPEGHeader(data[next:]); ok && h.sameStream(h2) {
			return i
		}
	}
	return -1
}

// firstAnyMPEGFrame is firstMPEGFrame for any layer and free format: two
// headers of one stream a frame apart (or, for free format, three identical
// header words at one stride), so a Layer I/II or free-format file is
// recognised as MPEG audio and rejected by name.
func firstAnyMPEGFrame(data []byte, limit int) (int, mpegHeader) {
	if limit > len(data) {
		limit = len(data)
	}
	for i := 0; i+4 <= limit; i++ {
		if data[i] != 0xFF {
			continue
		}
		h, ok := parseMPEGHeader(data[i:])
		if !ok {
			continue
		}
		if h.frameBytes == 0 {
			// Free format: the frame length is unknown; look for the same
			// header twice more at a fixed stride (±1 padding byte).
			same := func(j int) bool {
				return j+4 <= len(data) && data[j] == 0xFF && data[j+1] == data[i+1] && data[j+2]&0xFD == data[i+2]&0xFD
			}
			for j := i + 24; j+4 <= len(data) && j < i+4000; j++ {
				if same(j) && (same(2*j-i) || same(2*j-i+1) || same(2*j-i-1)) {
					return i, h
				}
			}
			continue
		}
		next := i + h.frameBytes
		if next+4 > len(data) {
			if i == 0 { // as in firstMPEGFrame
				return i, h
			}
			continue
		}
		if h2, ok := parseMPEGHeader(data[next:]); ok && h.sameStream(h2) {
			return i, h
		}
	}
	return -1, mpegHeader{}
}
