package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	mp3 "emotion/dsp/audio/internal/gomp3"
)

// maxBadFrames is the share of frames go-mp3 may fail on (error or panic)
// before the file is rejected rather than decoded with silent gaps.
const maxBadFrames = 0.1

// decodeLayer3 runs go-mp3 over the frames the walker accepts from start,
// downmixing its 16-bit stereo output on the fly into a buffer of exactly
// n mono samples after skipping the first skip. frames is the count the
// header walk found; output never exceeds what it implies.
//
// A frame go-mp3 fails on, with an error or a panic, becomes silence and
// decoding restarts at the next frame (losing only the bit reservoir), so
// one bad frame does not lose a recording; too many fail the file.
func decodeLayer3(audio []byte, start int, h0 mpegHeader, skip, n, frames int) ([]float32, []string, error) {
	out := make([]float32, 0, n)
	spf := h0.samples()
	pos := 0 // position in the untrimmed timeline, in samples
	emit := func(v float32) {
		if pos >= skip && len(out) < n {
			out = append(out, v)
		}
		pos++
	}

	s := &frameStream{w: newFrameWalker(audio, start, h0)}
	buf := make([]byte, 4*1152)
	bad, badAt := 0, -1
	for len(out) < n {
		dec, err := newDecoder(s)
		if err == nil {
			for len(out) < n {
				var k int
				k, err = readDecoder(dec, buf)
				for i := 0; i+4 <= k; i += 4 {
					l := int16(binary.LittleEndian.Uint16(buf[i:]))
					r := int16(binary.LittleEndian.Uint16(buf[i+2:]))
					emit(float32(int32(l)+int32(r)) * (1.0 / 65536))
				}
				if err != nil {
					break
				}
			}
		}
		if err == nil || errors.Is(err, io.EOF) && len(s.cur) == 0 && s.w.pos >= len(s.w.data) {
			break
		}
		// go-mp3 failed inside frame s.frames-1: make it silence and
		// start a fresh decoder at the next frame.
		bad++
		if badAt < 0 {
			badAt = s.off
		}
		if bad > 3 && float64(bad) > maxBadFrames*float64(frames) {
			return nil, nil, errorf(ErrInvalid, "corrupt MP3 frame data at byte %d (%d bad frames)", badAt, bad)
		}
		s.cur = nil
		for pos < s.frames*spf {
			emit(0)
		}
	}
	if len(out) == 0 && bad > 0 {
		return nil, nil, errorf(ErrInvalid, "corrupt MP3 frame data at byte %d", badAt)
	}
	var warns []string
	if bad > 0 {
		warns = append(warns, fmt.Sprintf("%d corrupt frames replaced by silence, first at byte %d", bad, badAt))
	}
	return out, warns, nil
}

// errPanic carries a panic out of go-mp3 as an ordinary error.
type errPanic struct{ v any }

// onDecoderPanic lets tests see recovered go-mp3 panics.
var onDecoderPanic = func(v any) {}

func (e errPanic) Error() string { return fmt.Sprint("go-mp3 panic: ", e.v) }

func newDecoder(r io.Reader) (d *mp3.Decoder, err error) {
	defer func() {
		if v := recover(); v != nil {
			onDecoderPanic(v)
			d, err = nil, errPanic{v}
		}
	}()
	return mp3.NewDecoder(r)
}

func readDecoder(d *mp3.Decoder, p []byte) (n int, err error) {
	defer func() {
		if v := recover(); v != nil {
			onDecoderPanic(v)
			n, err = 0, errPanic{v}
		}
	}()
	return d.Read(p)
}
