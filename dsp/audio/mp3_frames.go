package audio

import (
	"fmt"
	"io"
)

// frameWalker splits the audio part of an MP3 into Layer III frames of one
// stream (same version and rate as the first), skipping anything between
// them. The decoder is only ever handed whole frames this walker accepts,
// so it never has to resync, tags never reach it, and a cut-off last frame
// is dropped instead of misdecoded.
type frameWalker struct {
	data []byte // audio part: trailing tags already cut off
	pos  int
	ref  mpegHeader

	skipped   int // bytes of garbage skipped between frames
	skipAt    int // offset of the first skip, -1 if none
	truncated int // offset of a cut-off last frame, -1 if none
}

func newFrameWalker(data []byte, start int, ref mpegHeader) *frameWalker {
	return &frameWalker{data: data, pos: start, ref: ref, skipAt: -1, truncated: -1}
}

// next returns the next whole frame, or ok=false at the end of the audio.
func (w *frameWalker) next() (off int, h mpegHeader, ok bool) {
	for w.pos+4 <= len(w.data) {
		h, ok := w.header(w.pos)
		if ok && w.pos+h.frameBytes <= len(w.data) {
			off = w.pos
			w.pos += h.frameBytes
			return off, h, true
		}
		if ok && w.isLast(w.pos) {
			w.truncated = w.pos
			w.pos = len(w.data)
			break
		}
		// Not a frame: find the next header that is followed by another.
		from := w.pos
		w.pos = w.resync(from + 1)
		if w.skipAt < 0 {
			w.skipAt = from
		}
		w.skipped += w.pos - from
	}
	if w.pos < len(w.data) {
		// Fewer than 4 bytes left, too few for a header: count as garbage.
		if w.skipAt < 0 {
			w.skipAt = w.pos
		}
		w.skipped += len(w.data) - w.pos
		w.pos = len(w.data)
	}
	return 0, mpegHeader{}, false
}

// header parses a header at off and checks it belongs to the stream.
func (w *frameWalker) header(off int) (mpegHeader, bool) {
	if w.data[off] != 0xFF {
		return mpegHeader{}, false
	}
	h, ok := parseMPEGHeader(w.data[off:])
	if !ok || !w.ref.sameStream(h) || h.frameBytes == 0 {
		return h, false
	}
	return h, true
}

// isLast reports whether a valid header at off starts a frame cut off by
// the end of the data (no other frame header follows inside it).
func (w *frameWalker) isLast(off int) bool {
	for i := off + 4; i+4 <= len(w.data); i++ {
		if _, ok := w.header(i); ok {
			return false
		}
	}
	return true
}

// resync returns the offset of the first header at or after from whose
// frame ends where another header starts (or exactly at the end of the
// data), or len(data) if there is none.
func (w *frameWalker) resync(from int) int {
	for i := from; i+4 <= len(w.data); i++ {
		h, ok := w.header(i)
		if !ok {
			continue
		}
		next := i + h.frameBytes
		if next == len(w.data) {
			return i
		}
		if next+4 <= len(w.data) {
			if _, ok := w.header(next); ok {
				return i
			}
		}
	}
	return len(w.data)
}

// warnings describe what the walk skipped, for Info.Warnings.
func (w *frameWalker) warnings() []string {
	var ws []string
	if w.skipped > 0 {
		ws = append(ws, fmt.Sprintf("skipped %d bytes of non-audio data between frames, first at byte %d", w.skipped, w.skipAt))
	}
	if w.truncated >= 0 {
		ws = append(ws, fmt.Sprintf("last frame at byte %d is cut off; dropped", w.truncated))
	}
	return ws
}

// frameStream feeds the frames of a walker to the decoder as an io.Reader.
// It deliberately has no Seek method: given a Seeker, go-mp3 pre-scans the
// whole file and allocates per frame.
type frameStream struct {
	w      *frameWalker
	cur    []byte // rest of the current frame
	frames int    // frames started so far
	off    int    // offset of the current frame in the file
}

func (s *frameStream) Read(p []byte) (int, error) {
	if len(s.cur) == 0 {
		off, h, ok := s.w.next()
		if !ok {
			return 0, io.EOF
		}
		s.cur = s.w.data[off : off+h.frameBytes]
		s.off = off
		s.frames++
	}
	n := copy(p, s.cur)
	s.cur = s.cur[n:]
	return n, nil
}
