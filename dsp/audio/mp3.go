package audio

import (
	"fmt"
	"math"
)

// decodeMP3 decodes an MPEG-1/2/2.5 Layer III file to mono at its own rate.
//
// go-mp3 (a patched copy in internal/gomp3, see its NOTICE.md) does the
// Layer III decoding; everything around it is done here:
// ID3v2 tags are skipped (of any size, without copying them), trailing
// ID3v1/APE/Lyrics3 tags are cut off, the frames are split and checked
// (see frameWalker) so garbage between frames is skipped and a cut-off
// last frame dropped, the Xing/Info/VBRI frame is parsed and kept from the
// decoder, and the LAME tag's delay and padding are trimmed the way ffmpeg
// trims them. The exact length is known from a header-only walk before any
// sample buffer is allocated.
//
// A file that is only an ID3 tag is ErrNoSamples if the tag is complete
// and ErrTruncated if its size runs past the end of the file.
func decodeMP3(data []byte, lim Limits) (decoded, error) {
	info := Info{Container: "mp3", Codec: "mp3"}
	pos, warns, err := skipID3v2(data)
	if err != nil {
		return decoded{}, err
	}
	end := trailingTags(data)
	if end < pos {
		end = pos
	}
	audio := data[:end]

	first, err := findFirstFrame(audio, pos)
	if err != nil {
		return decoded{}, err
	}
	if first > pos {
		warns = append(warns, fmt.Sprintf("skipped %d bytes before the first frame at byte %d", first-pos, first))
	}
	h0, _ := parseMPEGHeader(audio[first:])
	info.MPEG = h0.versionName()
	info.SampleRate = h0.rate

	// A Xing/Info/VBRI frame holds no audio: parse it and start after it.
	start := first
	var tag vbrTag
	if first+h0.frameBytes <= len(audio) {
		if t, ok := parseVBRTag(audio[first:first+h0.frameBytes], h0); ok {
			tag = t
			start += h0.frameBytes
			info.VBR = t.kind != "Info"
		}
	}

	// Header-only walk: frame count, bitrate, channels, oddities.
	w := newFrameWalker(audio, start, h0)
	frames, audioBytes, bitrate := 0, 0, 0
	for {
		_, h, ok := w.next()
		if !ok {
			break
		}
		if frames == 0 {
			info.Channels, bitrate = h.channels, h.bitrate
		} else if h.bitrate != bitrate {
			info.VBR = true
		}
		frames++
		audioBytes += h.frameBytes
	}
	warns = append(warns, w.warnings()...)
	if frames == 0 {
		if w.truncated >= 0 {
			return decoded{}, errorf(ErrTruncated, "the only MP3 frame, at byte %d, is cut off", w.truncated)
		}
		return decoded{}, errorf(ErrNoSamples, "MP3 with a %s header but no audio frames", tag.kind)
	}
	spf := h0.samples()
	info.Bitrate = int(math.Round(float64(audioBytes) * 8 * float64(h0.rate) / float64(frames*spf) / 1000))

	// Gapless trim as ffmpeg does it: skip delay+529 samples, and end at
	// frames*spf - padding + 529 when the tag gives the frame count.
	total := frames * spf
	skip, stop := 0, total
	if tag.lame {
		info.EncoderDelay, info.Padding = tag.delay, tag.padding
		skip = tag.delay + decoderDelay
		switch {
		case tag.frames == frames:
			stop = min(stop, tag.frames*spf-tag.padding+decoderDelay)
		case tag.frames > 0:
			// A stale or damaged count must not cut real audio; ffmpeg
			// would end at the tag's count.
			warns = append(warns, fmt.Sprintf("%s header says %d frames, found %d; end padding not trimmed", tag.kind, tag.frames, frames))
		}
	}
	n := max(stop-skip, 0)
	if err := checkDuration(int64(n), h0.rate, lim); err != nil {
		return decoded{}, err
	}

	mono, dw, err := decodeLayer3(audio, start, h0, skip, n, frames)
	if err != nil {
		return decoded{}, err
	}
	info.Warnings = append(warns, dw...)
	info.Frames = len(mono)
	info.Duration = float64(len(mono)) / float64(h0.rate)
	return decoded{mono: mono, info: info}, nil
}

// skipID3v2 returns the offset just past the ID3v2 tags at the start of
// data (writers sometimes stack several).
func skipID3v2(data []byte) (int, []string, error) {
	pos := 0
	var warns []string
	for range 16 {
		size := id3v2Size(data[pos:])
		if size == 0 {
			break
		}
		if int64(pos)+size > int64(len(data)) {
			// A wrong size, or a file cut inside the tag (cover art is
			// large). Look for audio after the tag header anyway.
			if f := firstMPEGFrame(data[pos+10:], len(data)); f >= 0 {
				warns = append(warns, fmt.Sprintf("ID3v2 tag size %d runs past the end of the file; found audio at byte %d", size, pos+10+f))
				return pos + 10 + f, warns, nil
			}
			return 0, nil, errorf(ErrTruncated, "ID3v2 tag of %d bytes at byte %d, but the file ends at byte %d", size, pos, len(data))
		}
		pos += int(size)
	}
	return pos, warns, nil
}

// findFirstFrame returns the offset of the first Layer III frame at or
// after pos, or an error naming what is there instead.
func findFirstFrame(audio []byte, pos int) (int, error) {
	if pos >= len(audio) {
		return 0, errorf(ErrNoSamples, "ID3 tag with no audio after it")
	}
	rest := audio[pos:]
	f := firstMPEGFrame(rest, len(rest))
	if f >= 0 {
		// An earlier frame of another layer means a Layer I/II stream
		// whose data happened to hold a Layer III look-alike.
		if g, h := firstAnyMPEGFrame(rest, min(f, 64<<10)); g >= 0 && h.layer != 3 {
			return 0, layerError(h)
		}
		return pos + f, nil
	}
	// Name what cannot be decoded; the window bounds the free-format search.
	if g, h := firstAnyMPEGFrame(rest, 64<<10); g >= 0 {
		return 0, layerError(h)
	}
	if h, ok := parseMPEGHeader(rest); ok && h.layer == 3 && h.frameBytes > len(rest) {
		return 0, errorf(ErrTruncated, "the only MP3 frame, at byte %d, is cut off", pos)
	}
	if err := notAudio(rest); err.(*Error).Kind == ErrUnsupported {
		return 0, err
	}
	return 0, errorf(ErrInvalid, "no MPEG audio frames found after byte %d", pos)
}

// layerError names an MPEG stream go-mp3 cannot decode.
func layerError(h mpegHeader) error {
	if h.layer != 3 {
		return errorf(ErrUnsupported, "MPEG layer %s is not supported", [4]string{"", "I", "II", "III"}[h.layer])
	}
	return errorf(ErrUnsupported, "free-format MP3 (no fixed bitrate) is not supported")
}
