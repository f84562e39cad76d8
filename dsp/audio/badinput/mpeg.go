package badinput

import (
	"math"
)

// MPEG audio is built here bit by bit rather than with lame, so that the
// corpus needs no tools and can be generated anywhere Go runs (a browser
// test included). The Layer III frames are real: a long-block granule
// whose spectrum holds a few lines coded with Huffman table 1 decodes to
// a tone; an all-zero granule decodes to silence.

// bitWriter appends bits most significant first.
type bitWriter struct {
	b []byte
	n int // bits written
}

func (w *bitWriter) put(v uint64, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.b = append(w.b, 0)
		}
		if v>>uint(i)&1 == 1 {
			w.b[len(w.b)-1] |= 0x80 >> uint(w.n%8)
		}
		w.n++
	}
}

// Frame headers used by the corpus (no CRC, mono).
var (
	hdrL3     = [4]byte{0xFF, 0xFB, 0x94, 0xC0} // MPEG-1 Layer III, 128 kbit/s, 48 kHz: 384-byte frames
	hdrL3Free = [4]byte{0xFF, 0xFB, 0x04, 0xC0} // the same with bitrate index 0: free format
	hdrL2     = [4]byte{0xFF, 0xFD, 0x84, 0xC0} // MPEG-1 Layer II, 128 kbit/s, 48 kHz: 384-byte frames
	hdrL1     = [4]byte{0xFF, 0xFF, 0x44, 0xC0} // MPEG-1 Layer I, 128 kbit/s, 48 kHz: 128-byte frames
	hdr25     = [4]byte{0xFF, 0xE3, 0x18, 0xC0} // MPEG-2.5 Layer III, 8 kbit/s, 8 kHz: 72-byte frames
)

const (
	l3Rate       = 48000
	l3FrameBytes = 384
	l3Granule    = 576 // samples per granule; an MPEG-1 frame has two
	l3SideInfo   = 17  // MPEG-1 mono side information, bytes
)

// granule is what one Layer III granule codes: a global gain and the
// quantised spectral lines (each -1, 0 or 1, from line 0 up).
type granule struct {
	gain  int
	lines []int
}

// layer3Frame builds one MPEG-1 Layer III mono frame holding two long-block
// granules, self-contained (main_data_begin 0), no scalefactors.
func layer3Frame(g [2]granule) []byte {
	var data [2]bitWriter
	for i := range g {
		huffman1(&data[i], g[i].lines)
	}
	var side bitWriter
	side.put(0, 9) // main_data_begin
	side.put(0, 5) // private bits
	side.put(0, 4) // scfsi
	for i := range g {
		pairs := (len(g[i].lines) + 1) / 2
		gain := g[i].gain
		if pairs == 0 {
			gain = 0
		}
		side.put(uint64(data[i].n), 12) // part2_3_length (no part 2)
		side.put(uint64(pairs), 9)      // big_values
		side.put(uint64(gain), 8)       // global_gain
		side.put(0, 4)                  // scalefac_compress: no scalefactor bits
		side.put(0, 1)                  // window_switching_flag: long blocks
		for range 3 {
			side.put(1, 5) // table_select: table 1 in every region
		}
		side.put(7, 4) // region0_count
		side.put(7, 3) // region1_count
		side.put(0, 3) // preflag, scalefac_scale, count1table_select
	}
	f := make([]byte, 0, l3FrameBytes)
	f = append(f, hdrL3[:]...)
	f = append(f, side.b...)
	var main bitWriter
	for i := range data {
		for j := 0; j < data[i].n; j++ {
			main.put(uint64(data[i].b[j/8]>>(7-uint(j%8))&1), 1)
		}
	}
	f = append(f, main.b...)
	return f[:l3FrameBytes] // the rest of the frame is zero ancillary data
}

// huffman1 codes lines in pairs with Huffman table 1 (values 0 and ±1):
// (0,0) "1", (1,0) "01", (0,1) "001", (1,1) "000", then a sign bit for
// each non-zero value.
func huffman1(w *bitWriter, lines []int) {
	for i := 0; i < len(lines); i += 2 {
		x, y := lines[i], 0
		if i+1 < len(lines) {
			y = lines[i+1]
		}
		switch {
		case x == 0 && y == 0:
			w.put(1, 1)
		case y == 0:
			w.put(1, 2)
		case x == 0:
			w.put(1, 3)
		default:
			w.put(0, 3)
		}
		for _, v := range [2]int{x, y} {
			if v < 0 {
				w.put(1, 1)
			} else if v > 0 {
				w.put(0, 1)
			}
		}
	}
}

// speechFrames returns about seconds of voice-like MPEG-1 Layer III:
// per granule, lines at the harmonics of a gliding pitch up to 3 kHz,
// with a syllable envelope in the global gain (as speech does).
func speechFrames(seconds float64) [][]byte {
	n := int(math.Ceil(seconds * l3Rate / (2 * l3Granule)))
	frames := make([][]byte, n)
	lineHz := float64(l3Rate) / 2 / l3Granule
	for f := range frames {
		var g [2]granule
		for i := range g {
			t := float64(2*f+i) * l3Granule / l3Rate
			s := math.Mod(t, 0.25) / 0.18
			if s >= 1 {
				continue // a pause between syllables: an empty granule
			}
			f0 := 140 + 40*math.Sin(2*math.Pi*0.7*t) + 30*s
			var lines []int
			for h := 1; float64(h)*f0 < 3000; h++ {
				k := int(float64(h) * f0 / lineHz) // line k spans [k, k+1) × lineHz
				for len(lines) <= k {
					lines = append(lines, 0)
				}
				lines[k] = 1
			}
			// 4 gain steps double the amplitude; the envelope spans about 24 dB.
			g[i] = granule{gain: 174 + int(16*math.Sin(math.Pi*s)), lines: lines}
		}
		frames[f] = layer3Frame(g)
	}
	return frames
}

// silentFrame is an MPEG-1 Layer III frame of two empty granules.
func silentFrame() []byte { return layer3Frame([2]granule{}) }

// silentFrame25 is an MPEG-2.5 Layer III frame (8 kHz, 8 kbit/s, 576
// samples) whose side information and main data are all zero: silence.
func silentFrame25() []byte {
	f := make([]byte, 72)
	copy(f, hdr25[:])
	return f
}

// emptyFrames returns n frames of the given header and size with zero
// bodies: valid Layer I/II frames (all bit allocations 0, silence) or
// free-format Layer III frames.
func emptyFrames(hdr [4]byte, size, n int) []byte {
	b := make([]byte, size*n)
	for i := 0; i < n; i++ {
		copy(b[i*size:], hdr[:])
	}
	return b
}

// join concatenates frames.
func join(frames [][]byte) []byte {
	var b []byte
	for _, f := range frames {
		b = append(b, f...)
	}
	return b
}

// id3v2 returns an ID3v2.3 tag holding frames (each id + body).
func id3v2(frames ...[2][]byte) []byte {
	var body []byte
	for _, f := range frames {
		n := len(f[1])
		body = append(body, f[0]...)
		body = append(body, byte(n>>24), byte(n>>16), byte(n>>8), byte(n), 0, 0)
		body = append(body, f[1]...)
	}
	return append(id3Header(len(body)), body...)
}

// id3Header is the 10-byte ID3v2.3 header for a body of n bytes (syncsafe size).
func id3Header(n int) []byte {
	return []byte{'I', 'D', '3', 3, 0, 0, byte(n >> 21 & 0x7F), byte(n >> 14 & 0x7F), byte(n >> 7 & 0x7F), byte(n & 0x7F)}
}

// textFrame is the body of an ID3v2 text frame (ISO-8859-1).
func textFrame(s string) []byte { return append([]byte{0}, s...) }
