package audio

import (
	"encoding/binary"
	"math"
)

// convertWAV writes the mean over channels of each frame in src (whole
// frames only) to dst, scaled to [-1, 1). Each sample format has its own
// loop straight over the bytes: no per-sample calls through an interface,
// no channels×frames buffer.
//
// Float samples: NaN and ±Inf become 0; finite values pass through,
// clamped to ±floatLimit so that downstream filters and power sums stay
// finite. Integer formats cannot produce either.
func convertWAV(dst []float32, src []byte, f *wavFormat) (nonFinite, clamped int) {
	if f.bigEndian && f.width > 1 {
		return convertSwapped(dst, src, f)
	}
	ch := f.channels
	switch f.codec {
	case "pcm":
		switch f.width {
		case 1:
			pcm8(dst, src, ch)
		case 2:
			pcm16(dst, src, ch)
		case 3:
			pcm24(dst, src, ch)
		case 4:
			pcm32(dst, src, ch)
		}
	case "float":
		if f.width == 4 {
			return float32s(dst, src, ch)
		}
		return float64s(dst, src, ch)
	case "alaw":
		g711(dst, src, ch, &alawTable)
	case "mulaw":
		g711(dst, src, ch, &mulawTable)
	}
	return 0, 0
}

// convertSwapped decodes big-endian (RIFX) data by byte-swapping a bounded
// block at a time into a scratch buffer and reusing the little-endian loops.
func convertSwapped(dst []float32, src []byte, f *wavFormat) (nonFinite, clamped int) {
	le := *f
	le.bigEndian = false
	block := max(1, (64<<10)/f.align) // frames per block
	buf := make([]byte, min(len(src), block*f.align))
	for i := 0; i < len(dst); i += block {
		n := min(block, len(dst)-i)
		b := buf[:n*f.align]
		copy(b, src[i*f.align:])
		for s := 0; s+f.width <= len(b); s += f.width {
			w := b[s : s+f.width]
			for l, r := 0, len(w)-1; l < r; l, r = l+1, r-1 {
				w[l], w[r] = w[r], w[l]
			}
		}
		nf, cl := convertWAV(dst[i:i+n], b, &le)
		nonFinite += nf
		clamped += cl
	}
	return nonFinite, clamped
}

// pcm8 is unsigned with 128 as zero.
func pcm8(dst []float32, src []byte, ch int) {
	scale := 1 / (128 * float32(ch))
	if ch == 1 {
		src = src[:len(dst)]
		for i, b := range src {
			dst[i] = float32(int32(b)-128) * scale
		}
		return
	}
	for i := range dst {
		fr := src[i*ch : i*ch+ch]
		s := int32(0)
		for _, b := range fr {
			s += int32(b) - 128
		}
		dst[i] = float32(s) * scale
	}
}

func pcm16(dst []float32, src []byte, ch int) {
	scale := 1 / (32768 * float32(ch))
	switch ch {
	case 1:
		src = src[:2*len(dst)]
		for i := range dst {
			dst[i] = float32(int16(binary.LittleEndian.Uint16(src[2*i:]))) * scale
		}
	case 2:
		src = src[:4*len(dst)]
		for i := range dst {
			fr := src[4*i : 4*i+4]
			l := int16(uint16(fr[0]) | uint16(fr[1])<<8)
			r := int16(uint16(fr[2]) | uint16(fr[3])<<8)
			dst[i] = float32(int32(l)+int32(r)) * scale
		}
	default:
		stride := 2 * ch
		for i := range dst {
			fr := src[i*stride : i*stride+stride]
			s := int32(0)
			for c := 0; c+1 < len(fr); c += 2 {
				s += int32(int16(uint16(fr[c]) | uint16(fr[c+1])<<8))
			}
			dst[i] = float32(s) * scale
		}
	}
}

func pcm24(dst []float32, src []byte, ch int) {
	scale := 1 / (8388608 * float32(ch))
	stride := 3 * ch
	for i := range dst {
		fr := src[i*stride : i*stride+stride]
		s := int32(0)
		for c := 0; c+2 < len(fr); c += 3 {
			// Build the sample in the top 24 bits, then sign-extend.
			s += int32(uint32(fr[c])<<8|uint32(fr[c+1])<<16|uint32(fr[c+2])<<24) >> 8
		}
		dst[i] = float32(s) * scale
	}
}

func pcm32(dst []float32, src []byte, ch int) {
	scale := 1 / (2147483648 * float64(ch))
	stride := 4 * ch
	for i := range dst {
		fr := src[i*stride : i*stride+stride]
		s := int64(0)
		for c := 0; c+3 < len(fr); c += 4 {
			s += int64(int32(binary.LittleEndian.Uint32(fr[c:])))
		}
		dst[i] = float32(float64(s) * scale)
	}
}

func float32s(dst []float32, src []byte, ch int) (nonFinite, clamped int) {
	inv := 1 / float32(ch)
	stride := 4 * ch
	for i := range dst {
		fr := src[i*stride : i*stride+stride]
		s := float32(0)
		for c := 0; c+3 < len(fr); c += 4 {
			v := math.Float32frombits(binary.LittleEndian.Uint32(fr[c:]))
			if !(v >= -floatLimit && v <= floatLimit) { // also true for NaN
				switch {
				case v != v || v > math.MaxFloat32 || v < -math.MaxFloat32:
					v = 0
					nonFinite++
				case v > 0:
					v = floatLimit
					clamped++
				default:
					v = -floatLimit
					clamped++
				}
			}
			s += v
		}
		dst[i] = s * inv
	}
	return nonFinite, clamped
}

func float64s(dst []float32, src []byte, ch int) (nonFinite, clamped int) {
	inv := 1 / float64(ch)
	stride := 8 * ch
	for i := range dst {
		fr := src[i*stride : i*stride+stride]
		s := 0.0
		for c := 0; c+7 < len(fr); c += 8 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(fr[c:]))
			if !(v >= -floatLimit && v <= floatLimit) {
				switch {
				case math.IsNaN(v) || math.IsInf(v, 0):
					v = 0
					nonFinite++
				case v > 0:
					v = floatLimit
					clamped++
				default:
					v = -floatLimit
					clamped++
				}
			}
			s += v
		}
		dst[i] = float32(s * inv)
	}
	return nonFinite, clamped
}

func g711(dst []float32, src []byte, ch int, table *[256]float32) {
	inv := 1 / float32(ch)
	for i := range dst {
		fr := src[i*ch : i*ch+ch]
		s := float32(0)
		for _, b := range fr {
			s += table[b]
		}
		dst[i] = s * inv
	}
}

// G.711 expansion tables (ITU-T G.711), scaled so that 32768 maps to 1.
var alawTable, mulawTable = g711Tables()

func g711Tables() (alaw, mulaw [256]float32) {
	for i := range 256 {
		// A-law: even bits inverted; sign bit set means positive.
		a := i ^ 0x55
		t := (a & 0x0F) << 4
		switch seg := (a & 0x70) >> 4; seg {
		case 0:
			t += 8
		case 1:
			t += 0x108
		default:
			t = (t + 0x108) << (seg - 1)
		}
		if a&0x80 == 0 {
			t = -t
		}
		alaw[i] = float32(t) / 32768

		// µ-law: all bits inverted, bias 0x84.
		u := ^i & 0xFF
		m := (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
		if u&0x80 != 0 {
			m = 0x84 - m
		} else {
			m -= 0x84
		}
		mulaw[i] = float32(m) / 32768
	}
	return alaw, mulaw
}
