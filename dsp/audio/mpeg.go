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
	frameBytes int // 0 for free format
}

var (
	mpegRates = map[int][3]int{1: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 25: {11025, 12000, 8000}}
	// Layer III bitrates, kbit/s, by [MPEG-1 or not][index].
	l3Bitrates = [2][16]int{
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1},
	}
)

// parseMPEGHeader decodes a frame header at b[0:4]; ok is false when the
// bytes cannot be one (bad sync, reserved version/layer/rate/bitrate).
func parseMPEGHeader(b []byte) (h mpegHeader, ok bool) {
	if len(b) < 4 {
		return h, false
	}
	v := binary.BigEndian.Uint32(b)
	if v>>21 != 0x7FF {
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
	if ri == 3 {
		return h, false
	}
	h.rate = mpegRates[h.version][ri]
	bi := (v >> 12) & 15
	if bi == 15 {
		return h, false
	}
	h.padding = int((v >> 9) & 1)
	h.channels = 2
	if (v>>6)&3 == 3 {
		h.channels = 1
	}
	if h.layer == 3 {
		row := 0
		if h.version != 1 {
			row = 1
		}
		h.bitrate = l3Bitrates[row][bi]
		if h.bitrate > 0 {
			if h.version == 1 {
				h.frameBytes = 144000*h.bitrate/h.rate + h.padding
			} else {
				h.frameBytes = 72000*h.bitrate/h.rate + h.padding
			}
		}
	}
	return h, true
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
			// A single frame that fills the file: accept only at offset 0.
			if i == 0 && next <= len(data) {
				return i
			}
			continue
		}
		if h2, ok := parseMPEGHeader(data[next:]); ok && h2.layer == 3 && h2.version == h.version && h2.rate == h.rate {
			return i
		}
	}
	return -1
}

