package badinput

import (
	"encoding/binary"
	"io"
)

// speechMP3 is the MP3 reference clip: 2 s of voice-like MPEG-1 Layer III.
func speechMP3() []byte { return join(speechFrames(2)) }

// xingFrame is a Layer III frame (the hdrL3 stream) holding only a Xing
// header saying frames audio frames follow, and a LAME tag with the given
// encoder delay and padding (both 12-bit).
func xingFrame(frames, delay, padding int) []byte {
	f := silentFrame()
	x := 4 + l3SideInfo
	copy(f[x:], "Xing")
	binary.BigEndian.PutUint32(f[x+4:], 1) // flags: frame count only
	binary.BigEndian.PutUint32(f[x+8:], uint32(frames))
	p := x + 12
	copy(f[p:], "LAME3.100")
	v := delay<<12 | padding
	f[p+21], f[p+22], f[p+23] = byte(v>>16), byte(v>>8), byte(v)
	return f
}

// hugePicture is an MP3 whose ID3v2 tag carries a 16 MB cover picture.
func hugePicture() Kind {
	const pic = 16 << 20
	head := []byte{0, 'i', 'm', 'a', 'g', 'e', '/', 'p', 'n', 'g', 0, 3, 0, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
	body := len(head) + pic
	frame := append([]byte("APIC"), byte(body>>24), byte(body>>16), byte(body>>8), byte(body), 0, 0)
	tag := append(id3Header(len(frame)+body), frame...)
	audio := speechMP3()
	return streamed("mp3", "mp3-id3-huge-picture", ".mp3", Result,
		"the reference MP3 after an ID3v2 tag holding a 16 MB APIC picture (skipped without a copy)",
		len(tag)+body+len(audio), func(w io.Writer) error {
			for _, b := range [][]byte{tag, head} {
				if _, err := w.Write(b); err != nil {
					return err
				}
			}
			if err := repeat(w, noise(64<<10, 7), pic); err != nil {
				return err
			}
			_, err := w.Write(audio)
			return err
		})
}

// silence2hMP3 is two hours of MPEG-2.5 8 kHz silence (7.2 MB), streamed.
func silence2hMP3() Kind {
	const frames = 2 * 3600 * 8000 / 576
	f := silentFrame25()
	return streamed("mp3", "mp3-silence-2h", ".mp3", "too_long",
		"2 hours of 8 kHz MPEG-2.5 silence (7.2 MB): MaxSeconds rejects it after a header-only walk, before any sample buffer",
		frames*len(f), func(w io.Writer) error {
			block := make([]byte, 0, 1000*len(f))
			for range 1000 {
				block = append(block, f...)
			}
			return repeat(w, block, frames*len(f))
		})
}

func mp3Kinds() []Kind {
	k := func(name, want, what string, make func() []byte) Kind {
		return fixed("mp3", name, ".mp3", want, what, make)
	}
	return []Kind{
		k("mp3-speech", Result, "2 s of voice-like MPEG-1 Layer III, 48 kHz mono, built in Go: the reference MP3", speechMP3),
		k("mp3-garbage-between-frames", Result, "the reference MP3 with 100-400 random bytes after every 8th frame", func() []byte {
			var b []byte
			for i, f := range speechFrames(2) {
				b = append(b, f...)
				if i%8 == 7 {
					b = append(b, noise(100+37*i%300, uint64(i))...)
				}
			}
			return b
		}),
		// The decoder turns a frame it fails on into silence, up to 10 % of them.
		k("mp3-corrupt-frames", Result, "the reference MP3 with every 12th frame's side info and main data replaced by random bytes", func() []byte {
			frames := speechFrames(2)
			for i := 0; i < len(frames); i += 12 {
				copy(frames[i][4:], noise(l3FrameBytes-4, uint64(i)))
			}
			return join(frames)
		}),
		k("mp3-all-frames-random", "invalid", "valid frame headers, every frame body random bytes", func() []byte {
			frames := speechFrames(2)
			for i := range frames {
				copy(frames[i][4:], noise(l3FrameBytes-4, uint64(i)))
			}
			return join(frames)
		}),
		k("mp3-id3-only", "no_samples", "a complete ID3v2 tag (a title) and nothing after it", func() []byte {
			return id3v2([2][]byte{[]byte("TIT2"), textFrame("only a tag")})
		}),
		k("mp3-id3-size-past-end", "truncated", "an ID3v2 tag claiming 1 MB, the file ending after 100 bytes", func() []byte {
			return append(id3Header(1<<20), textFrame("cut off inside the tag, no audio after it............................................")...)
		}),
		hugePicture(),
		k("mp3-id3-then-garbage", "invalid", "an ID3v2 tag followed by 8 KB of random bytes", func() []byte {
			return append(id3v2([2][]byte{[]byte("TIT2"), textFrame("x")}), noise(8192, 3)...)
		}),
		k("mp3-id3-then-wav", "invalid", "an ID3v2 tag followed by a WAV file", func() []byte {
			return append(id3v2([2][]byte{[]byte("TIT2"), textFrame("x")}), speechWAV()...)
		}),
		k("mp3-id3v1-only", "not_audio", "a lone 128-byte ID3v1 tag", func() []byte {
			b := make([]byte, 128)
			copy(b, "TAGa title")
			return b
		}),
		k("mp3-trailing-tags", Result, "the reference MP3 followed by an APEv2 tag and an ID3v1 tag", func() []byte {
			ape := make([]byte, 32)
			copy(ape, "APETAGEX")
			binary.LittleEndian.PutUint32(ape[8:], 2000)
			binary.LittleEndian.PutUint32(ape[12:], 32) // size: footer only, no items
			v1 := make([]byte, 128)
			copy(v1, "TAGtitle")
			return append(append(speechMP3(), ape...), v1...)
		}),
		k("mp3-free-format", "unsupported", "free-format Layer III (bitrate index 0), 100 frames", func() []byte {
			return emptyFrames(hdrL3Free, 417, 100)
		}),
		k("mp3-layer1", "unsupported", "an MPEG-1 Layer I stream (silent frames)", func() []byte {
			return emptyFrames(hdrL1, 128, 375)
		}),
		k("mp3-layer2", "unsupported", "an MPEG-1 Layer II stream (silent frames)", func() []byte {
			return emptyFrames(hdrL2, 384, 125)
		}),
		k("mp3-last-frame-cut", Result, "the reference MP3 cut 100 bytes into its last frame", func() []byte {
			return cut(speechMP3(), -(l3FrameBytes - 100))
		}),
		k("mp3-first-frame-cut", "truncated", "the first 200 bytes of the reference MP3: one frame, cut off", func() []byte {
			return cut(speechMP3(), 200)
		}),
		k("mp3-xing-only", "no_samples", "a Xing header frame saying 1000 frames follow, and none", func() []byte {
			return xingFrame(1000, 576, 0)
		}),
		k("mp3-lame-delay-past-end", "no_samples", "a LAME tag whose encoder delay and padding (4095 each) exceed the 3 frames of audio", func() []byte {
			return append(xingFrame(3, 4095, 4095), join(speechFrames(0.07))...)
		}),
		k("mp3-silence-2s", "no_speech", "2 s of silent Layer III frames", func() []byte {
			b := make([]byte, 0, 84*l3FrameBytes)
			for range 84 {
				b = append(b, silentFrame()...)
			}
			return b
		}),
		silence2hMP3(),
	}
}
